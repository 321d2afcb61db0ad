"""The data flow: MRZ text (or, with the reader, an image) -> parsed MRZ -> (from an image) the visual
zone read -> checks -> verdict.

One function per stage; each returns plain data for the next.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Sequence

import numpy as np

from screening import raster, tesseract, viz, viz_ocr
from screening.checks import CheckContext, Settings, run_checks
from screening.checks.registry import in_registration_order
from screening.errors import MRZTextTooLongError, ScreeningError
from screening.imageio import ImageLoadError, Page, PageFile, load_array, load_bytes, load_stream, open_pages
from screening.models import UNREADABLE, ErrorInfo, MRZRead, Result
from screening.mrz import recognize
from screening.mrz.parse import parse
from screening.mrz.read import read_page
from screening.text import Text
from screening.verdict import decide_with_texts
from screening.viz_stage import read_visual_zone


# The checks that compare the page with the visual zone stage's evidence (CheckContext.viz).
VIZ_FAMILIES = ("viz",)
_beside_pool: ThreadPoolExecutor | None = None


def _beside() -> ThreadPoolExecutor:
    global _beside_pool
    if _beside_pool is None:
        _beside_pool = ThreadPoolExecutor(1, thread_name_prefix="checks")
    return _beside_pool


def warm_up() -> None:
    """Load now what a process's first screenings would otherwise load on the traveller's time:
    the reader's and the visual zone's networks (their first run plans them), Tesseract's common
    languages on every thread that reads lines, and the deblurring's arrays. For a long-running
    service (the kiosk), on the thread that will screen, before its first page; raises the
    ScreeningError the first page would (a model, Tesseract missing)."""
    recognize.check_model()
    recognize.probabilities(np.zeros((1, 32, 24), np.float32))
    viz_ocr.read_crops([np.full((32, 200), 255, np.uint8)])
    tesseract.load(viz.COMMON_LANGUAGES)
    raster.warm_up()


# One document's typed MRZ, with generous room for spaces and line breaks: longer text is not
# one MRZ, and parsing it would only cost time (a pasted file, a script's mistake).
MAX_TYPED_CHARS = 2000


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
    length = len(text) if isinstance(text, str) else sum(map(len, text))
    if length > MAX_TYPED_CHARS:
        error = MRZTextTooLongError(Text("The text is {count} characters long; one document's MRZ is at most "
                                         "{limit} (3 lines of 30, 2 of 44, with spaces).", count=length,
                                         limit=MAX_TYPED_CHARS))
        return unreadable(file, error, {"total": _ms(started)})
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
    page: np.ndarray | None = None,
) -> Result:
    """The visual zone stage (on ``page``, the grey image the MRZ was read from, if any), then the
    checks and verdict for an MRZ that has been read."""
    context = CheckContext(read.parsed, today, settings, read, page=page)
    if page is None or not read.region:  # typed MRZs have no page, hence no visual zone to compare
        findings, checks_ms = _timed_checks(context)
    else:
        viz_started = time.perf_counter()
        # The other checks need no visual zone: where this process has cores of its own (not an
        # audit worker's share), they run beside the stage, which mostly waits on Tesseract.
        # (timings_ms: each stage its own time, so where they overlap the total is less than the sum.)
        beside = _beside().submit(_timed_checks, context, exclude=VIZ_FAMILIES) if tesseract.threads() > 1 else None
        viz_evidence = read_visual_zone(page, read, today=today, settings=settings)
        timings = {**timings, "viz": _ms(viz_started)}
        others, others_ms = beside.result() if beside is not None else _timed_checks(context, exclude=VIZ_FAMILIES)
        compared, compared_ms = _timed_checks(dataclasses.replace(context, viz=viz_evidence), families=VIZ_FAMILIES)
        findings, checks_ms = in_registration_order(others + compared), others_ms + compared_ms
    verdict, reasons, texts = decide_with_texts(findings)
    timings = {**timings, "checks": checks_ms, "total": _ms(started)}
    return Result(file=file, verdict=verdict, reasons=reasons, mrz=read, checks=tuple(findings), timings_ms=timings,
                  reason_texts=texts)


def _timed_checks(context: CheckContext, **which) -> tuple[list, float]:
    """``run_checks(context, **which)`` and its time in milliseconds."""
    started = time.perf_counter()
    return run_checks(context, **which), _ms(started)


def add_chip(result: Result, evidence, *, today: dt.date | None = None, settings: Settings | None = None) -> Result:
    """``result`` joined by what the chip stage found (screening.chip.evidence.ChipEvidence): the
    chip's checks run against the printed MRZ, the verdict decided again. The page's own findings
    stand as they were; earlier chip findings (a read before this one) are replaced."""
    if result.mrz is None:
        raise ValueError("a chip joins a screening whose MRZ was read")
    settings = settings or Settings()
    today = today or settings.today or dt.date.today()
    started = time.perf_counter()
    context = CheckContext(result.mrz.parsed, today, settings, result.mrz, chip=evidence)
    chip_findings = run_checks(context, families=("chip",))
    findings = [f for f in result.checks if not f.id.startswith("chip.")] + chip_findings
    verdict, reasons, texts = decide_with_texts(findings)
    timings = {**result.timings_ms, "chip_checks": _ms(started)}
    return dataclasses.replace(result, verdict=verdict, reasons=reasons, reason_texts=texts, checks=tuple(findings),
                               timings_ms=timings, chip=evidence)


def screen_light_set(
    light_set, *, today: dt.date | None = None, settings: Settings | None = None, engine: str = "ocrb",
    keep_images: bool = False,
) -> Result:
    """Screen one page captured under several lights (screening.lights.LightSet): the white image
    exactly as ``screen_file`` screens a page, then the light checks (``light.*``) on the IR and UV
    images registered onto it; the result's ``lights`` says what was supplied, missing and how each
    image was registered. Never raises for bad input. A set without its white image is screened
    from the IR image (the MRZ's B900 ink reads there), else the UV one, and says so. A set whose
    page gives no MRZ, or whose white image cannot be read, is unreadable as a single scan would be,
    and lists each light check as a skip saying why (``checks.light.not_screened``).

    ``keep_images``: the result's evidence keeps the registered IR and UV arrays (for a display
    that marks findings on them); by default results stay light, as ``screen_file``'s drop the page.
    """
    from screening import lights

    from screening.checks import light as light_checks

    settings = settings or Settings()
    today = today or settings.today or dt.date.today()
    started = time.perf_counter()
    light = next((x for x in lights.LIGHTS if light_set.source(x) is not None), None)
    name = light_set.name
    white_broken = dict(light_set.unreadable).get(lights.WHITE)
    if white_broken is not None:  # the white image was in the set but could not be got (a damaged zip member)
        light = None
        error = ImageLoadError(Text("The white-light image could not be read: {why}", why=white_broken))
    elif light is None:
        error = ScreeningError(Text("The set {stem} holds no image.", stem=light_set.stem))
    if light is None:
        return _not_screened(unreadable(name, error, {"total": _ms(started)}), light_set, error)
    try:
        page = Page(lights.load(light_set.source(light), name), name, 0)
    except ScreeningError as error:
        return _not_screened(unreadable(name, error, {"load": _ms(started), "total": _ms(started)}), light_set, error)
    result = _screen_page(page, name, _ms(started), today=today, settings=settings, engine=engine)
    if result.mrz is None:
        return _not_screened(result, light_set, None)
    lights_started = time.perf_counter()
    evidence = lights.gather(light_set, page.image)
    context = CheckContext(result.mrz.parsed, today, settings, result.mrz, page=page.image, lights=evidence)
    light_findings = run_checks(context, families=("light",))
    evidence = dataclasses.replace(evidence, uv_signature=light_checks.uv_signature(context))
    findings = [f for f in result.checks if not f.id.startswith("light.")] + light_findings
    verdict, reasons, texts = decide_with_texts(findings)
    timings = {**result.timings_ms, "lights": _ms(lights_started)}
    timings["total"] = timings.get("total", 0.0) + timings["lights"]
    return dataclasses.replace(result, verdict=verdict, reasons=reasons, reason_texts=texts, checks=tuple(findings),
                               timings_ms=timings, lights=evidence if keep_images else evidence.without_images())


def _not_screened(result: Result, light_set, error: ScreeningError | None) -> Result:
    """An unreadable screening of a light set (no MRZ on its white page, or its white image not
    read: ``error``) with its ``lights`` block and each light check as a skip saying why; the
    verdict and reasons stay the page's."""
    from screening import lights
    from screening.checks import light as light_checks

    evidence = lights.LightEvidence(light_set.offered, light_set.missing,
                                    unreadable=tuple(light_set.unreadable))
    skips = light_checks.not_screened(evidence, error.text if error is not None else None)
    return dataclasses.replace(result, checks=result.checks + skips, lights=evidence)


# What ``screen_file`` takes: a path, a file's content, a binary file object, or a decoded page.
Source = str | os.PathLike | bytes | bytearray | memoryview | BinaryIO | np.ndarray


def screen_file(
    source: Source, *, name: str | None = None, today: dt.date | None = None, settings: Settings | None = None,
    engine: str = "ocrb",
) -> list[Result]:
    """Screen a document image or PDF: one result per page. Never raises for bad input.

    ``source`` is a path (``str`` or ``pathlib.Path``), the file's content (``bytes``), a
    binary file object (``open(path, "rb")``, ``io.BytesIO``), or an image array (numpy:
    ``(H, W)`` grey or ``(H, W, 3)`` RGB, uint8). ``name`` is the ``file`` the results report
    (default: the path, the file object's name, or ``<bytes>`` / ``<array>``). Content that is
    no image gives an ``unreadable`` result whose ``error`` says why; only a source of another
    Python type (a number, a text-mode file) raises ``TypeError``, as a programming error.
    """
    started = time.perf_counter()
    loader, default_name = _loader(source)
    name = name if name is not None else default_name
    try:
        pages = loader(name)
    except ScreeningError as error:
        return [unreadable(name, error, {"load": _ms(started), "total": _ms(started)})]
    return screen_pages(name, pages, load_ms=_ms(started), today=today, settings=settings, engine=engine)


def _loader(source: Source) -> tuple[Callable[[str], PageFile | list[Page]], str]:
    """How to decode ``source``, and the name its results carry unless the caller gives one."""
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        # Messages name the file by its own name; the results carry ``name`` when one is given.
        return (lambda _name: open_pages(path)), path
    if isinstance(source, (bytes, bytearray, memoryview)):
        return (lambda name: load_bytes(source, name)), "<bytes>"
    if isinstance(source, np.ndarray):
        return (lambda name: load_array(source, name)), "<array>"
    if hasattr(source, "read"):
        stream_name = getattr(source, "name", None)
        default = stream_name if isinstance(stream_name, str) else "<stream>"
        return (lambda name: load_stream(source, name)), default
    raise TypeError(f"screen_file takes a path, bytes, a binary file object or a numpy array, "
                    f"not {type(source).__name__}")


@dataclass(frozen=True)
class ScreenedPage:
    """One page's result, with its decoded page while the caller may still use the pixels."""

    result: Result
    page: Page | None  # None when the page could not be decoded


def screen_pages(
    path: str, pages: PageFile | Sequence[Page], *, load_ms: float = 0.0, today: dt.date | None = None,
    settings: Settings | None = None, engine: str = "ocrb",
) -> list[Result]:
    """Screen the pages of ``path``, one at a time: one result per page."""
    results = []
    for screened in screen_each(path, pages, load_ms=load_ms, today=today, settings=settings, engine=engine):
        results.append(screened.result)
        del screened  # the page is not held while the next one is decoded
    return results


def screen_each(
    path: str, pages: PageFile | Sequence[Page], *, load_ms: float = 0.0, today: dt.date | None = None,
    settings: Settings | None = None, engine: str = "ocrb",
) -> Iterator[ScreenedPage]:
    """Each page of ``path`` decoded, screened and handed over before the next is decoded (for
    callers that use the pixels too, like the audit's fingerprints and the kiosk's display copy).

    ``load_ms`` is the time spent opening the file, counted into the first page's load. A page
    that cannot be decoded is an unreadable result of its own, and the pages after it are still
    screened.
    """
    settings = settings or Settings()
    today = today or settings.today or dt.date.today()
    count = len(pages)
    decoding = _decoded(pages, 0)
    for index in range(count):
        name = _page_name(path, index, count)
        started = time.perf_counter()
        try:
            page = next(decoding)
        except ScreeningError as error:  # this page's decoder refused it (truncated, damaged)
            load = _ms(started) + (load_ms if index == 0 else 0.0)
            yield ScreenedPage(unreadable(name, error, {"load": load, "total": load}), None)
            decoding = _decoded(pages, index + 1)  # a generator that raised is over: go on after the page
            continue
        load = _ms(started) + (load_ms if index == 0 else 0.0)
        yield ScreenedPage(_screen_page(page, name, load, today=today, settings=settings, engine=engine), page)
        del page  # not held while the next page is decoded


def _decoded(pages: PageFile | Sequence[Page], start: int) -> Iterator[Page]:
    return pages.decode(start) if isinstance(pages, PageFile) else iter(pages[start:])


def _page_name(path: str, index: int, count: int) -> str:
    return str(path) if count == 1 else f"{path}#page={index + 1}"


def _screen_page(page: Page, name: str, load_ms: float, *, today: dt.date, settings: Settings,
                 engine: str) -> Result:
    page_started = time.perf_counter()
    try:
        reading = read_page(page.image, engine)
    except ScreeningError as error:  # e.g. Tesseract missing for the tesseract engine
        return unreadable(name, error, {"total": _ms(page_started)})
    timings = {"load": load_ms}
    if reading is None:
        timings["total"] = _ms(page_started) + load_ms
        reason = Text("No MRZ was found in the image: check the page is the data page, or type the MRZ.")
        return Result(file=name, verdict=UNREADABLE, reasons=(str(reason),), mrz=None, checks=(),
                      timings_ms=timings, reason_texts=(reason,))
    timings.update(locate=reading.timings_ms["locate"], read=reading.timings_ms["read"])
    parse_started = time.perf_counter()
    try:
        parsed = parse(list(reading.lines), today=today)
    except ScreeningError as error:  # cannot happen for the reader's fixed-length lines; kept honest
        return unreadable(name, error, timings)
    timings["parse"] = _ms(parse_started)
    read = MRZRead(parsed, reading.confidence, reading.polygon, engine=engine,
                   char_confidences=reading.char_confidences, corrections=reading.corrections,
                   quarter_turns=reading.quarter_turns)
    return screen_parsed(read, file=name, today=today, settings=settings, timings=timings,
                         started=page_started - load_ms / 1000.0, page=page.image)


def unreadable(file: str, error: ScreeningError, timings: dict[str, float]) -> Result:
    return Result(
        file=file,
        verdict=UNREADABLE,
        reasons=(error.message,),
        mrz=None,
        checks=(),
        timings_ms=timings,
        error=ErrorInfo(error.code, error.message, error.text),
        reason_texts=(error.text,),
    )


def _ms(start: float, end: float | None = None) -> float:
    return ((end if end is not None else time.perf_counter()) - start) * 1000.0
