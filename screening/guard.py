"""The one guard around each document: a bug stops that document, never the run.

The CLI, the audit's workers and the kiosk screen many documents; an exception that escapes
the pipeline (a bug, not bad input: bad input is a typed ``ScreeningError``) becomes an
``internal_error`` result that asks the user to report it, and its traceback goes to the log
for developers. Only the frames are logged, not the exception's text, which may quote a
document's data. Under ``SCREENING_STRICT=1`` (the test suite) the guard re-raises, so that a
bug fails the tests instead of hiding in a result.
"""

from __future__ import annotations

import logging
import os
import traceback
from typing import Callable

from screening.models import UNREADABLE, ErrorInfo, Result
from screening.text import Text

STRICT_ENV = "SCREENING_STRICT"


def frames_only(error: BaseException) -> str:
    """``error``'s traceback without its text (and its causes' the same way): the frames and the
    exception's type, never its message, which may quote a document's data or name its file (an
    OSError names the scan, and scans are named after their holders)."""
    parts = []
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        parts.append("".join(traceback.format_tb(error.__traceback__))
                     + f"{type(error).__module__}.{type(error).__qualname__} (its text is not logged)\n")
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return "caused:\n".join(reversed(parts)).rstrip("\n")


class FramesOnly(logging.Filter):
    """Any exception logged through a logger with this filter (``log.exception``, ``exc_info=True``)
    is written as ``frames_only`` writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = frames_only(record.exc_info[1])  # the formatter takes it instead of its own
        return True


def private_logger(name: str) -> logging.Logger:
    """The logger ``name``, its exceptions logged without their text (FramesOnly)."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, FramesOnly) for f in logger.filters):
        logger.addFilter(FramesOnly())
    return logger


log = private_logger("screening")


def strict() -> bool:
    return os.environ.get(STRICT_ENV) == "1"


def report_bug(where: str, error: BaseException) -> None:
    log.error("internal error in %s: %s (please report it)\n%s", where, type(error).__name__, frames_only(error))


def internal_error(file: str, error: BaseException) -> Result:
    text = Text("An internal error stopped the screening of this document ({error}): please report it. The other "
                "documents are screened as usual.", error=type(error).__name__)
    return Result(file=file, verdict=UNREADABLE, reasons=(str(text),), mrz=None, checks=(), timings_ms={},
                  error=ErrorInfo("internal_error", str(text), text), reason_texts=(text,))


def guarded(file: str, where: str, work: Callable[[], list[Result]]) -> list[Result]:
    """``work()``'s results, or one internal-error result for ``file`` when it raised."""
    try:
        return work()
    except Exception as error:  # noqa: BLE001 - the one guard around an item; a bug stops only this one
        if strict():
            raise
        report_bug(where, error)
        return [internal_error(file, error)]
