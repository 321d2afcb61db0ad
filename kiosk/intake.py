"""One way in for every document: screen it, keep the image, log the screening, announce it.

The hot folder, the browser upload, the scanner, typed MRZ and the JSON API all end here,
so each screening is stored and recorded the same way whatever brought it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageOps

from screening import Settings, check_mrz_text, lights
from screening.errors import ScreeningError
from screening.guard import guarded, private_logger
from screening.imageio import SUPPORTED_SUFFIXES, open_pages
from screening.pipeline import ScreenedPage, screen_each, screen_light_set, unreadable
from screening.models import UNREADABLE, ErrorInfo, Result
from screening.text import Text

from kiosk import db
from kiosk.chip import PENDING, ChipReads
from kiosk.config import PRIVATE_FILE
from kiosk.events import Announcer, Notice

log = private_logger("kiosk.intake")

# Formats a browser shows as they are; others (TIFF, PDF) get a PNG per page for display.
BROWSER_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".gif", ".webp", ".bmp"}

# Where a screening came from.
HOT_FOLDER, UPLOAD, SCANNER, TYPED, API = "hotfolder", "upload", "scanner", "typed", "api"


@dataclass(frozen=True)
class StoredPage:
    image: str | None  # path relative to the images folder, or None
    size: tuple[int, int] | None


class Intake:
    def __init__(self, data_dir: Path, announcer: Announcer, *, engine: str = "ocrb",
                 settings: Settings | None = None, chip: ChipReads | None = None):
        self.data_dir = data_dir
        self.images_dir = data_dir / "images"
        self.database = data_dir / db.DB_NAME
        self.head = data_dir / db.HEAD_NAME
        self.announcer = announcer
        self.engine = engine
        self.settings = settings or Settings()
        self.chip = chip

    # --- documents ---------------------------------------------------------------------

    def screen_path(self, path: Path, *, source: str, original_name: str, actor: str | None,
                    remove_source: bool = False) -> list[int]:
        """Screen a file and record one screening per page; returns the record ids."""
        started = time.perf_counter()
        modified_ns = path.stat().st_mtime_ns
        stored, digest = self._store_original(path)  # the digest is of the bytes stored, read once
        connection = db.connect(self.database)
        try:
            if source == HOT_FOLDER and db.screened_before(connection, digest, modified_ns):
                # This very file was screened (the kiosk stopped before it could remove it). The same
                # content saved again (a new file time) is a new scan and is screened again.
                remove_from_hot_folder(stored)
                remove_from_hot_folder(path)
                return []
            screened = self._screen(stored, original_name)
            ids = []
            for index, (result, page) in enumerate(screened):
                ids.append(self._record(connection, result, source=source, actor=actor, page=page,
                                        page_number=index + 1, pages=len(screened), digest=digest,
                                        modified_ns=modified_ns,
                                        original=stored.relative_to(self.images_dir).as_posix()))
            results = [result for result, _page in screened]
        finally:
            connection.close()
        if remove_source:
            remove_from_hot_folder(path)
        elapsed = (time.perf_counter() - started) * 1000
        # No names, numbers or file names here: the application log is not a place for personal data.
        for record_id, result in zip(ids, results):
            log.info("screening %d from %s: %s (%.0f ms)", record_id, source, result.verdict, elapsed)
            self._read_chip(record_id, result)
            self.announcer.publish(Notice(record_id, result.verdict, source))
        return ids

    def screen_set(self, light_set: lights.LightSet, *, source: str, actor: str | None,
                   names: dict[str, str] | None = None, remove_source: bool = False) -> list[int]:
        """Screen a page captured under several lights (a screening.lights.LightSet of files): one
        screening that keeps every light's stored copy and display image. ``names`` maps a file's
        path to the name the officer knows (default: its own name). A ``single`` set is an ordinary
        file, screened by ``screen_path``. Returns the record ids (none when already screened)."""
        names = names or {}
        if light_set.single:
            path = Path(light_set.white)
            return self.screen_path(path, source=source, original_name=names.get(str(path), path.name), actor=actor,
                                    remove_source=remove_source)
        started = time.perf_counter()
        # light -> (file, sha256 of the stored copy, mtime); the stored copy is the one read.
        members: dict[str, tuple[Path, str, int]] = {}
        stored: dict[str, Path] = {}
        for light in light_set.supplied:
            path = Path(light_set.source(light))
            try:
                modified_ns = path.stat().st_mtime_ns
                stored[light], digest = self._store_original(path)
            except FileNotFoundError:  # taken out of the folder meanwhile: the set goes without it
                continue
            members[light] = (path, digest, modified_ns)
        connection = db.connect(self.database)
        try:
            if source == HOT_FOLDER:
                for light, (path, digest, modified_ns) in list(members.items()):
                    if db.screened_before(connection, digest, modified_ns):
                        remove_from_hot_folder(stored.pop(light))
                        remove_from_hot_folder(path)  # recorded already (the kiosk stopped before removing it)
                        del members[light]
            if not members:
                return []
            missing = tuple(x for x in light_set.missing + light_set.supplied if x not in members)
            stored_set = lights.LightSet(light_set.stem, **{light: str(p) for light, p in stored.items()},
                                         missing=tuple(x for x in lights.LIGHTS if x in missing))
            main = next(x for x in lights.LIGHTS if x in stored)  # the page screen_light_set reads
            original = {light: names.get(str(path), path.name) for light, (path, _d, _m) in members.items()}
            (result,) = guarded(str(stored[main]), "the kiosk screening a set of lights",
                                lambda: [screen_light_set(stored_set, settings=self.settings, engine=self.engine,
                                                          keep_images=True)])
            result = _renamed(result, original[main], stored[main].name)
            shown = self._display_lights(stored, main, result)
            if result.lights is not None:
                result = replace(result, lights=result.lights.without_images())
            light_images = {light: {"name": original[light], "original": self._relative(stored[light]),
                                    "sha256": members[light][1], "mtime_ns": members[light][2],
                                    "image": shown[light].image,
                                    "size": list(shown[light].size) if shown[light].size else None,
                                    "registered": light == main or (
                                        result.lights is not None and result.lights.registration(light) is not None
                                        and result.lights.registration(light).accepted)}
                            for light in stored}
            record_id = self._record(connection, result, source=source, actor=actor, page=shown[main], page_number=1,
                                     pages=1, digest=members[main][1], modified_ns=members[main][2],
                                     original=self._relative(stored[main]),
                                     extra={"light_images": light_images, "light_stem": light_set.stem})
        finally:
            connection.close()
        if remove_source:
            for path, _digest, _modified in members.values():
                remove_from_hot_folder(path)
        elapsed = (time.perf_counter() - started) * 1000
        log.info("screening %d from %s (a set of %d lights): %s (%.0f ms)", record_id, source, len(stored),
                 result.verdict, elapsed)
        self._read_chip(record_id, result)
        self.announcer.publish(Notice(record_id, result.verdict, source))
        return [record_id]

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.images_dir).as_posix()

    def _display_lights(self, stored: dict[str, Path], main: str, result: Result) -> dict[str, StoredPage]:
        """A display image per light: the screened page as screen_path shows one; the IR and UV
        images registered onto it (so the page's marks fall on them), or as captured when they
        could not be registered."""
        shown = {}
        evidence = result.lights
        for light, path in stored.items():
            try:
                if light == main:
                    shown[light] = self._display_image(path) if result.error is None else StoredPage(None, None)
                    continue
                registered = evidence.image(light) if evidence is not None else None
                image = registered if registered is not None else lights.load(path, path.name)
                png = path.with_name(f"{path.stem}-{light}.png")
                Image.fromarray(image).save(png)
                png.chmod(PRIVATE_FILE)
                shown[light] = StoredPage(self._relative(png), (image.shape[1], image.shape[0]))
            except (OSError, ValueError, ScreeningError):  # the screening stands without that picture
                log.warning("could not prepare a display image of one light", exc_info=True)
                shown[light] = StoredPage(None, None)
        return shown

    def _display_image(self, stored: Path) -> StoredPage:
        """The screened page of a set as the browser shows it (its first page)."""
        return self._browser_copy(stored, lambda: lights.load(stored, stored.name))

    def _browser_copy(self, stored: Path, pixels, index: int = 0, as_stored: bool = True) -> StoredPage:
        """``stored`` itself where a browser shows it (``as_stored``), else a PNG of ``pixels()``
        beside it; with the size in the coordinates the reader used."""
        if as_stored and stored.suffix.lower() in BROWSER_SUFFIXES:
            with Image.open(stored) as image:
                # Browsers honour EXIF orientation, and so did the reader: report the turned size.
                width, height = ImageOps.exif_transpose(image).size
            return StoredPage(self._relative(stored), (width, height))
        image = pixels()
        png = stored.with_name(f"{stored.stem}-p{index + 1}.png")
        Image.fromarray(image).save(png)
        png.chmod(PRIVATE_FILE)
        return StoredPage(self._relative(png), (image.shape[1], image.shape[0]))

    def screen_text(self, text: str, *, source: str, actor: str | None) -> int:
        # JSON may carry lone surrogates, which no UTF-8 record can hold: they become '?', which
        # the MRZ checks then name as a character the field does not allow.
        text = text.encode("utf-8", "replace").decode("utf-8")
        (result,) = guarded("typed", "the kiosk screening a typed MRZ",
                            lambda: [check_mrz_text(text, file="typed", settings=self.settings)])
        connection = db.connect(self.database)
        try:
            record_id = self._record(connection, result, source=source, actor=actor,
                                     page=StoredPage(None, None), page_number=1, pages=1, digest=None,
                                     modified_ns=None, original=None)
        finally:
            connection.close()
        log.info("screening %d from %s: %s", record_id, source, result.verdict)
        self._read_chip(record_id, result)
        self.announcer.publish(Notice(record_id, result.verdict, source))
        return record_id

    def _read_chip(self, record_id: int, result: Result) -> None:
        """The chip is read after the page's result is recorded, on the chip's own thread."""
        if self.chip is not None and self.chip.plan(result) == PENDING:
            self.chip.request(record_id, result)

    # --- stages ------------------------------------------------------------------------

    def _store_original(self, path: Path) -> tuple[Path, str]:
        """A copy of ``path`` in the images folder, and the sha256 of exactly the bytes written
        there (one read: the record's digest is the stored copy's, whatever happens to ``path``)."""
        folder = self.images_dir / dt.date.today().isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        destination = folder / f"{uuid.uuid4().hex}{path.suffix.lower()}"
        digest = hashlib.sha256()
        with open(path, "rb") as source, open(destination, "wb") as sink:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                sink.write(chunk)
        destination.chmod(PRIVATE_FILE)
        return destination, digest.hexdigest()

    def _screen(self, stored: Path, original_name: str) -> list[tuple[Result, StoredPage]]:
        """Every page's result and its display image: each page is decoded once, screened, and
        saved for display before the next page is decoded."""
        if stored.suffix.lower() not in SUPPORTED_SUFFIXES:
            text = (Text("This kind of file ({suffix}) is not a scan the kiosk can read: save scans as JPEG, PNG, "
                         "TIFF or PDF.", suffix=stored.suffix) if stored.suffix else
                    Text("This kind of file (no extension) is not a scan the kiosk can read: save scans as JPEG, "
                         "PNG, TIFF or PDF."))
            result = Result(file=original_name, verdict=UNREADABLE, reasons=(str(text),), mrz=None, checks=(),
                            timings_ms={}, error=ErrorInfo("unsupported_file_type", str(text), text),
                            reason_texts=(text,))
            return [(result, StoredPage(None, None))]
        started = time.perf_counter()
        try:
            pages = open_pages(stored)
        except ScreeningError as error:
            result = unreadable(str(stored), error, {"load": (time.perf_counter() - started) * 1000})
            return [(_renamed(result, original_name, stored.name), StoredPage(None, None))]
        completed: list[Result] = []
        shown: list[StoredPage] = []

        def screen_and_show() -> list[Result]:
            for screened in screen_each(str(stored), pages, load_ms=(time.perf_counter() - started) * 1000,
                                        settings=self.settings, engine=self.engine):
                completed.append(screened.result)
                shown.append(self._display_page(stored, len(pages), screened))
            return completed

        results = guarded(str(stored), "the kiosk screening a file", screen_and_show)
        if results is not completed:  # the guard's internal error stands for the whole file: no picture
            shown = [StoredPage(None, None)] * len(results)
        if len(results) == 1:
            return [(_renamed(results[0], original_name, stored.name), shown[0])]
        return [(_renamed(r, f"{original_name}#page={i + 1}", stored.name), page)
                for i, (r, page) in enumerate(zip(results, shown))]

    def _display_page(self, stored: Path, pages: int, screened: ScreenedPage) -> StoredPage:
        """An image the browser can show, in the coordinates the reader used."""
        if screened.result.error is not None or screened.page is None:
            return StoredPage(None, None)
        try:
            return self._browser_copy(stored, lambda: screened.page.image, screened.page.index, as_stored=pages == 1)
        except (OSError, ValueError):  # the screening stands without a picture; never lose it
            log.warning("could not prepare a display image for a screening", exc_info=True)
            return StoredPage(None, None)

    def _record(self, connection, result: Result, *, source: str, actor: str | None, page: StoredPage,
                page_number: int, pages: int, digest: str | None, modified_ns: int | None,
                original: str | None, extra: dict | None = None) -> int:
        contract = result.to_dict()
        fields = (contract.get("mrz") or {}).get("fields") or {}
        name = " ".join(part for part in (fields.get("surname"), fields.get("given_names")) if part) or None
        payload = {
            "source": source,
            "original_name": result.file,
            "page": page_number,
            "pages": pages,
            "image": page.image,
            "image_size": list(page.size) if page.size else None,
            "original": original,
            "source_sha256": digest,
            "source_mtime_ns": modified_ns,
            "result": contract,
            # Whether this screening's chip is read (kiosk.chip): the screen states it either way.
            "chip_read": self.chip.plan(result) if self.chip is not None else None,
            # A page under several lights (screen_set): each light's stored copy and display image.
            **(extra or {}),
        }
        return db.append(connection, db.SCREENING, payload, actor=actor, verdict=result.verdict,
                         document_number=fields.get("document_number") or None, person_name=name,
                         head_path=self.head)

    # --- privacy -----------------------------------------------------------------------

    def purge_images(self, older_than_days: int, now: float | None = None) -> int:
        """Delete stored images older than the retention period; the records stay."""
        if older_than_days <= 0 or not self.images_dir.exists():
            return 0
        cutoff = (now or time.time()) - older_than_days * 86400
        removed = 0
        for path in sorted(self.images_dir.rglob("*")):
            if path.is_file() and path.stat().st_mtime < cutoff:
                remove_from_hot_folder(path)
                removed += 1
        for folder in sorted(self.images_dir.iterdir()) if self.images_dir.exists() else []:
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if removed:
            log.info("purged %d stored images older than %d days", removed, older_than_days)
        return removed


def _renamed(result: Result, file: str, stored_name: str) -> Result:
    """The result under the officer's file name, also inside its sentences.

    The library names the file it was given, which is the kiosk's stored copy (a random
    name): an unreadable scan's error and reason name the file the officer knows instead.
    """
    original = file.split("#page=")[0]
    error = result.error
    if error is not None and error.text is not None and dict(error.text.params).get("file") == stored_name:
        text = Text.of(error.text.template, {**dict(error.text.params), "file": original})
        error = ErrorInfo(error.code, str(text), text)
    texts = tuple(Text.of(t.template, {**dict(t.params), "file": original})
                  if dict(t.params).get("file") == stored_name else t for t in result.reason_texts)
    reasons = tuple(str(new) if new is not old else reason
                    for reason, old, new in zip(result.reasons, result.reason_texts, texts))
    if len(reasons) < len(result.reasons):  # reasons without texts: keep them, naming the original file
        reasons += tuple(r.replace(stored_name, original) for r in result.reasons[len(reasons):])
    return replace(result, file=file, error=error, reasons=reasons, reason_texts=texts)


def remove_from_hot_folder(path: Path) -> None:
    """Remove a file the kiosk has taken or processed; a failure is logged, never raised."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        log.warning("could not remove a file from the hot folder", exc_info=True)
