"""The unit of work an audit sends to a worker: screen one item, and note what the
cross-document findings need. Runs in worker processes (local or on Dask), so it takes
and returns plain picklable frozen dataclasses, and never raises for bad input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from screening import lights
from screening.audit import features
from screening.audit.walk import Item
from screening.checks import Settings
from screening.errors import InputFileError, ScreeningError
from screening.guard import internal_error, report_bug, strict
from screening.imageio import MAX_FILE_BYTES, ImageLoadError, open_pages
from screening.models import ALERT, REVIEW, UNREADABLE, Result
from screening.pipeline import ScreenedPage, screen_each, screen_light_set, unreadable

# Pages whose thumbnail the report shows: what a supervisor should look at.
THUMBNAIL_VERDICTS = {ALERT, REVIEW, UNREADABLE}


class ZipMemberError(ImageLoadError):
    code = "zip_unreadable"


@dataclass(frozen=True)
class TaskOptions:
    today: dt.date
    engine: str = "ocrb"


@dataclass(frozen=True)
class PageOutcome:
    """One page's contract result and its fingerprints."""

    name: str
    page: int  # 0-based
    verdict: str
    result: dict  # the contract JSON
    pixel_digest: str | None = None
    image_hash: int | None = None  # pHash of the whole page
    portrait_hash: int | None = None  # pHash of the portrait area, when the MRZ places it
    thumbnail: bytes | None = None  # small JPEG, for flagged pages


@dataclass(frozen=True)
class ItemOutcome:
    item: str
    file_digest: str | None
    pages: tuple[PageOutcome, ...]
    worker: str  # host:pid, to see how the work spread


def screen_item(item: Item, options: TaskOptions) -> ItemOutcome:
    """Screen every page of ``item``; bad files give unreadable results, never an exception."""
    worker = f"{os.uname().nodename}:{os.getpid()}"
    try:
        if item.lights:
            return _screen_lights(item, options, worker)
        if item.member is None:
            return _screen_path(item, Path(item.path), options, worker)
        with tempfile.TemporaryDirectory(prefix="screening-audit-") as folder:
            # The member's own base name, so messages name it ("c.jpg is truncated ...").
            extracted = Path(folder) / (Path(item.member).name or "member")
            _extract(item, extracted)
            return _screen_path(item, extracted, options, worker)
    except ScreeningError as error:
        result = unreadable(item.name, error, {})
        return ItemOutcome(item.name, None, (_page(result, 0, None, None),), worker)
    except Exception as error:  # noqa: BLE001 - the one guard around an item: a bug stops only this file
        if strict():
            raise
        report_bug("an audit worker", error)
        return ItemOutcome(item.name, None, (_page(internal_error(item.name, error), 0, None, None),), worker)


def _screen_lights(item: Item, options: TaskOptions, worker: str) -> ItemOutcome:
    """One page under several lights: its images (zip members unpacked beside each other under
    their own names) screened as one set; the fingerprints are the white image's. A member that
    does not unpack leaves the set without that light, and its checks say which image could not
    be read and why (screen_light_set); one bad image never makes the others unread."""
    with tempfile.TemporaryDirectory(prefix="screening-audit-") as folder:
        files: dict[str, str] = {}
        broken: list[tuple[str, str]] = []
        for light, file in item.lights:
            if item.member is None:
                files[light] = file
                continue
            extracted = Path(folder) / light / (Path(file).name or "member")
            extracted.parent.mkdir()
            try:
                _extract(dataclasses.replace(item, member=file, name=f"{item.path}!{file}"), extracted)
            except ScreeningError as error:
                broken.append((light, error.message))
                continue
            files[light] = str(extracted)
        offered = set(files) | {light for light, _why in broken}
        light_set = lights.LightSet(Path(item.name).stem, **files, unreadable=tuple(broken),
                                    missing=tuple(x for x in lights.LIGHTS if x not in offered))
        # The image the page is read from (white, else IR, else UV); none when the white one broke.
        main = None if lights.WHITE in dict(broken) else next((files[x] for x in lights.LIGHTS if x in files), None)
        file_digest = _file_digest(Path(main)) if main is not None else None
        result = screen_light_set(light_set, today=options.today, settings=Settings(today=options.today),
                                  engine=options.engine)
        result = dataclasses.replace(result, file=item.name)
        image = None
        if result.error is None and main is not None:
            try:  # decoded again for the fingerprints: screen_light_set keeps no white page
                image = lights.load(main, Path(main).name)
            except ScreeningError:
                image = None
        return ItemOutcome(item.name, file_digest, (_page(result, 0, image, file_digest),), worker)


def _extract(item: Item, target: Path) -> None:
    try:
        with zipfile.ZipFile(item.path) as archive:
            if not item.member:
                raise ZipMemberError(f"{Path(item.path).name} is not a readable zip file.")
            info = archive.getinfo(item.member)
            if info.file_size > MAX_FILE_BYTES:
                raise ZipMemberError(f"{item.member} in {Path(item.path).name} is too large "
                                     f"({info.file_size / 2**20:.0f} MB unpacked).")
            with archive.open(info) as source, open(target, "wb") as sink:
                while chunk := source.read(1 << 20):
                    sink.write(chunk)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, RuntimeError, NotImplementedError, ValueError) as error:
        # RuntimeError: encrypted member; NotImplementedError: unsupported compression.
        if isinstance(error, FileNotFoundError):
            raise InputFileError(f"Cannot open {item.path}: {error.strerror}.") from None
        raise ZipMemberError(f"{item.name} could not be unpacked: {error}.") from None


def _screen_path(item: Item, path: Path, options: TaskOptions, worker: str) -> ItemOutcome:
    started = time.perf_counter()
    file_digest = _file_digest(path)
    try:
        pages = open_pages(path)
    except ScreeningError as error:
        load_ms = (time.perf_counter() - started) * 1000.0
        screened = [ScreenedPage(unreadable(str(path), error, {"load": load_ms, "total": load_ms}), None)]
    else:
        # Each page decoded once, screened, then fingerprinted before the next page is decoded.
        screened = screen_each(str(path), pages, load_ms=(time.perf_counter() - started) * 1000.0,
                               today=options.today, settings=Settings(today=options.today), engine=options.engine)
    renamed = item.member is not None or str(path) != item.name
    outcomes = []
    for index, page in enumerate(screened):
        result = page.result
        if renamed:
            result = dataclasses.replace(result, file=item.name + result.file[len(str(path)):])
        image = page.page.image if page.page is not None and result.error is None else None
        outcomes.append(_page(result, index, image, file_digest))
    return ItemOutcome(item.name, file_digest, tuple(outcomes), worker)


def _file_digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _page(result: Result, index: int, image, file_digest: str | None) -> PageOutcome:
    started = time.perf_counter()
    pixel = image_hash = portrait_hash = thumb = None
    if image is not None:
        pixel = features.pixel_digest(image)
        image_hash = features.perceptual_hash(image)
        region = result.mrz.region if result.mrz is not None else None
        if region is not None:
            crop = features.portrait_area(image, result.mrz.parsed.format, region)
            portrait_hash = features.perceptual_hash(crop) if crop is not None else None
        if result.verdict in THUMBNAIL_VERDICTS:
            thumb = features.thumbnail(image, region)
    data = result.to_dict()
    # Additive to the contract (timings_ms takes any stage): what the audit's fingerprints cost.
    data["timings_ms"]["audit"] = round((time.perf_counter() - started) * 1000.0, 3)
    return PageOutcome(result.file, index, result.verdict, data, pixel, image_hash,
                       portrait_hash, thumb)
