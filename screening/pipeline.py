"""The data flow: MRZ text (or, with the reader, an image) -> parsed MRZ -> checks -> verdict.

One function per stage; each returns plain data for the next.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from screening.checks import CheckContext, Settings, run_checks
from screening.errors import ReaderUnavailableError, ScreeningError
from screening.models import UNREADABLE, ErrorInfo, MRZRead, Result
from screening.mrz.parse import parse
from screening.verdict import decide


def check_mrz_text(
    text: str | list[str] | tuple[str, ...],
    *,
    file: str = "-",
    today: dt.date | None = None,
    settings: Settings | None = None,
) -> Result:
    """Check MRZ lines typed, pasted or read by another program.

    Never raises for bad input: text that is no MRZ gives an ``unreadable`` result whose
    ``error`` says why.
    """
    settings = settings or Settings()
    today = today or settings.today or dt.date.today()
    started = time.perf_counter()
    try:
        parsed = parse(text, today=today)
    except ScreeningError as error:
        return unreadable(file, error, {"parse": _ms(started), "total": _ms(started)})
    parsed_at = time.perf_counter()
    return screen_parsed(MRZRead(parsed), file=file, today=today, settings=settings,
                         timings={"parse": _ms(started, parsed_at)}, started=started)


def screen_parsed(
    read: MRZRead,
    *,
    file: str,
    today: dt.date,
    settings: Settings,
    timings: dict[str, float],
    started: float,
) -> Result:
    """Checks and verdict for an MRZ that has been read."""
    checks_started = time.perf_counter()
    findings = run_checks(CheckContext(read.parsed, today, settings))
    verdict, reasons = decide(findings)
    timings = {**timings, "checks": _ms(checks_started), "total": _ms(started)}
    return Result(file=file, verdict=verdict, reasons=reasons, mrz=read, checks=tuple(findings), timings_ms=timings)


def screen_file(path: str | Path, *, today: dt.date | None = None, settings: Settings | None = None) -> Result:
    """Screen a document image. Reading images arrives with the MRZ reader."""
    started = time.perf_counter()
    error = ReaderUnavailableError(
        "Reading images is not available yet in this version: type the MRZ with --mrz-text - instead."
    )
    return unreadable(str(path), error, {"total": _ms(started)})


def unreadable(file: str, error: ScreeningError, timings: dict[str, float]) -> Result:
    return Result(
        file=file,
        verdict=UNREADABLE,
        reasons=(error.message,),
        mrz=None,
        checks=(),
        timings_ms=timings,
        error=ErrorInfo(error.code, error.message),
    )


def _ms(start: float, end: float | None = None) -> float:
    return ((end if end is not None else time.perf_counter()) - start) * 1000.0
