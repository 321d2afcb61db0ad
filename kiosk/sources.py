"""Where scans come from: the scanner's hot folder, a SANE scanner, and browser uploads.

Each source hands files to ``Intake``; none of them screens anything itself.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from werkzeug.datastructures import FileStorage
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from screening import lights, pipeline
from screening.errors import ScreeningError
from screening.imageio import SUPPORTED_SUFFIXES
from screening.text import Text
from screening.guard import private_logger

from kiosk.config import PRIVATE_FILE
from kiosk.intake import HOT_FOLDER, Intake, remove_from_hot_folder

log = private_logger("kiosk.sources")

# Files a scanner or a copy program writes before renaming to the real name.
TEMPORARY_SUFFIXES = {".tmp", ".part", ".partial", ".crdownload", ".download", ".lock"}
MAX_SETTLE_WAIT_SECONDS = 120.0
# How often a set waiting for its other lights is looked at (its timeout is seconds).
SET_POLL_SECONDS = 0.1
_TICK = Path("")  # the worker woke up to look at the waiting sets, with no new file
FINISHED_SETTLE_SECONDS = 0.0


def is_candidate(path: Path) -> bool:
    name = path.name
    return not (name.startswith(".") or name.startswith("~") or name.endswith("~")
                or path.suffix.lower() in TEMPORARY_SUFFIXES or name.lower() in ("thumbs.db", "desktop.ini"))


# Where the hot folder keeps the files it has taken (inside the folder: the same file system, so
# taking a file is one atomic rename). Hidden, and not watched: nothing in it is offered as new.
TAKEN_FOLDER = ".screening-taken"
# A taken file's name: a name of the kiosk's own, this, and the name the reader gave it.
TAKEN_SEPARATOR = "--"


@dataclass(frozen=True)
class Taken:
    """A file the hot folder has taken out of the folder: ``name`` as the reader wrote it, ``path``
    where it is now (in TAKEN_FOLDER, until it is screened and recorded)."""

    name: str
    path: Path


class HotFolder:
    """Watch the folder the scanner's software saves pages into, and screen each new file.

    File-system events (watchdog) say that something changed; one worker thread then waits
    until the file's size has stopped changing and **takes** it: moves it out of the folder's
    names into TAKEN_FOLDER (one rename) before anything else is done with it. From then on the
    name is free: a reader that writes the same name for every page (``white.jpg``, ``ir.jpg``,
    ``uv.jpg``, or ``scan.jpg``) writes its next page as a new file, which is never mixed into the
    page taken before nor removed with it. The taken file is screened, stored, recorded and then
    removed (the stored copy and the record keep it). Files already there when the kiosk starts,
    and files taken but not yet recorded when it stopped, are screened first, so a restart loses
    nothing.

    A file whose name carries a light (``0001_ir.jpg``: screening.lights' patterns) waits, taken,
    for the rest of its page's set (screening.lights.SetTracker): the set is screened once it is
    complete, when a file for a light it already has arrives (the next page's), or ``set_timeout``
    seconds after its last file arrived, as far as it goes (its result says what was missing). Any
    other file is screened at once, as always.
    """

    def __init__(self, folder: Path, intake: Intake, *, polling: bool = False, settle_seconds: float = 0.15,
                 poll_interval: float = 0.05, set_timeout: float = lights.DEFAULT_TIMEOUT_S,
                 patterns=lights.DEFAULT_PATTERNS, clock=time.monotonic):
        self.folder = folder.resolve()
        self.taken_folder = self.folder / TAKEN_FOLDER
        self.patterns = tuple(patterns)
        self.sets = lights.SetTracker(timeout=set_timeout, clock=clock, patterns=self.patterns)
        self.intake = intake
        self.polling = polling
        self.settle_seconds = settle_seconds
        self.poll_interval = poll_interval
        self._queue: queue.Queue[Path | Taken | None] = queue.Queue()
        self._pending: set[Path] = set()
        # Paths whose writer has closed them (Linux reports it) or renamed them into place, with
        # the file's identity then (inode, size, time): finished, so no need to wait for the size
        # to settle, as long as it is still that file (not the next one written to the name).
        self._finished: dict[Path, tuple[int, int, int]] = {}
        self._names: dict[str, str] = {}  # a taken light file's path -> the name the reader gave it
        self._pending_lock = threading.Lock()
        self._observer = None
        self._worker: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # Network shares deliver no change events: poll them (twice a second keeps within the 1 s budget).
        self._observer = PollingObserver(timeout=0.5) if self.polling else _event_observer()
        # Events of TAKEN_FOLDER too (the handler offers only the folder's own files): taking a file
        # is a rename out of the folder, and inotify's half of a rename whose other half goes
        # unseen is held back 0.5 s (watchdog's move pairing), and every event behind it with it:
        # the next page's arrival waited up to half a second (kiosk benchmark: detect p95 93 ms).
        self.taken_folder.mkdir(exist_ok=True)
        self._observer.schedule(_Handler(self.offer), str(self.folder), recursive=not self.polling)
        self._observer.daemon = True
        self._observer.start()
        self._worker = threading.Thread(target=self._work, name="kiosk-hot-folder", daemon=True)
        self._worker.start()
        # Taken before the kiosk stopped but not recorded (a set still waiting, a screening cut
        # short): screened first, in the order they were written. Recorded ones are not screened twice.
        for taken in sorted(self.taken_folder.iterdir() if self.taken_folder.is_dir() else (), key=_written_at):
            if taken.is_file():
                name = taken.name.split(TAKEN_SEPARATOR, 1)[-1]
                self._queue.put(Taken(name, taken))
        for path in sorted(self.folder.iterdir(), key=_written_at):
            self.offer(path)

    def stop(self) -> None:
        self._stopping.set()
        self._queue.put(None)
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._worker is not None:
            self._worker.join(timeout=10)

    def offer(self, path: Path, finished: bool = False) -> None:
        # Only files in the folder itself: a file moved out of it is not ours to screen (or remove).
        if not is_candidate(path) or path.parent.resolve() != self.folder:
            return
        identity = _identity(path) if finished else None
        with self._pending_lock:
            if identity is not None:
                self._finished[path] = identity
            if path in self._pending:
                return
            self._pending.add(path)
        self._queue.put(path)

    def _work(self) -> None:
        _warm_up()
        while True:
            # While a set waits for its other lights, wake up to see whether it has timed out.
            try:
                path = self._queue.get(timeout=SET_POLL_SECONDS if self.sets.waiting() else None)
            except queue.Empty:
                path = _TICK
            if path is None or self._stopping.is_set():
                return
            self._step(path)

    def _step(self, item) -> None:
        if isinstance(item, Taken):
            self._hand_over(item)
        elif item is not _TICK:
            self._take(item)
        # Files that arrived while the last one was screened join their sets first: a set is not
        # timed out with only its first light because its other lights waited in the queue.
        if self._queue.empty():
            self._screen_due_sets()

    def _take(self, path: Path) -> None:
        taken = None
        try:
            if self._wait_until_written(path):
                taken = self._capture(path)
        except Exception:  # one bad file must never stop the watcher
            log.exception("a file in the hot folder could not be taken")
        finally:
            self._done(path)  # the name is free again: what is written to it now is a new file
        if taken is not None:
            self._hand_over(taken)

    def _capture(self, path: Path) -> Taken | None:
        """``path`` taken out of the folder's names into TAKEN_FOLDER, as it is now; None when it
        is gone or is being written again (its next event brings it back)."""
        before = _identity(path)
        if before is None:
            return None
        self.taken_folder.mkdir(exist_ok=True)
        target = self.taken_folder / f"{uuid.uuid4().hex}{TAKEN_SEPARATOR}{path.name}"
        try:
            os.rename(path, target)  # atomic: the reader's next file of this name cannot be caught in it
        except FileNotFoundError:
            return None
        except OSError:
            # A folder that refuses renames (a share, a file held open on Windows): copy it, and
            # remove the original only if it is still the file copied.
            log.warning("a file in the hot folder could not be moved; copying it instead", exc_info=True)
            shutil.copy2(path, target)
            if _identity(path) != before or _identity(target)[1:] != before[1:]:
                target.unlink(missing_ok=True)
                return None  # written again while it was copied: its next event brings it back
            remove_from_hot_folder(path)
            return Taken(path.name, target)
        if _identity(target) != before:
            # The writer was still writing into it as it was moved: wait until it has finished there.
            self._wait_until_written(target)
        return Taken(path.name, target)

    def _hand_over(self, taken: Taken) -> None:
        """A taken file to its screening: a light file to its set, any other file screened at once."""
        try:
            if self.carries_light(Path(taken.name)):
                self._names[str(taken.path)] = taken.name
                self.sets.seen(self.folder / taken.name, stored_as=taken.path)
            else:
                self.intake.screen_path(taken.path, source=HOT_FOLDER, original_name=taken.name, actor=None,
                                        remove_source=True)
        except Exception:  # one bad file must never stop the watcher
            log.exception("a file in the hot folder could not be screened")

    def carries_light(self, path: Path) -> bool:
        """Whether ``path``'s name says which light it was captured under (one of a set's images)."""
        return not lights.group([path], self.patterns, on_disk=False)[0].single

    def _screen_due_sets(self) -> None:
        for light_set in self.sets.due():
            paths = [str(light_set.source(light)) for light in light_set.supplied]
            names = {path: self._names.pop(path, Path(path).name) for path in paths}
            try:
                self.intake.screen_set(light_set, source=HOT_FOLDER, actor=None, names=names, remove_source=True)
            except Exception:  # one bad set must never stop the watcher
                log.exception("a set of lights in the hot folder could not be screened")

    def _done(self, path: Path) -> None:
        with self._pending_lock:
            self._pending.discard(path)
            self._finished.pop(path, None)

    def _wait_until_written(self, path: Path) -> bool:
        """True once the file exists, is a regular file, and its size and time have settled."""
        deadline = time.monotonic() + MAX_SETTLE_WAIT_SECONDS
        last = None
        stable_since = time.monotonic()
        while not self._stopping.is_set():
            try:
                stat = path.stat()
            except FileNotFoundError:
                return False  # renamed away or already handled
            if not path.is_file():
                return False
            signature = (stat.st_size, stat.st_mtime_ns)
            now = time.monotonic()
            with self._pending_lock:
                finished = self._finished.get(path) == (stat.st_ino, stat.st_size, stat.st_mtime_ns)
            settle = FINISHED_SETTLE_SECONDS if finished else self.settle_seconds
            if signature != last:
                last, stable_since = signature, now
                if settle == 0 and stat.st_size > 0 and _can_open(path):
                    return True
            elif now - stable_since >= settle and stat.st_size > 0 and _can_open(path):
                return True
            elif now - stable_since >= max(self.settle_seconds, 2.0) and stat.st_size == 0:
                return True  # an empty file stays empty: screen it as unreadable
            if now > deadline:
                return True
            time.sleep(self.poll_interval)
        return False


def _warm_up() -> None:
    """Load the models and Tesseract's languages on the watcher's thread now, not when the first
    traveller's scan arrives (measured: the first phone photos of a fresh kiosk screened 150-300 ms
    slower than the same photos later)."""
    try:
        pipeline.warm_up()
    except ScreeningError as error:  # the first scan reports it, as every scan would
        log.warning("warm-up failed: %s", error.code)
    except Exception:  # an internal error: the hot folder keeps working and the first scan pays the load
        log.exception("warm-up failed (internal error)")


def _identity(path: Path) -> tuple[int, int, int] | None:
    """Which file is at ``path`` now (inode, size, modification time), None when none is."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def _written_at(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _can_open(path: Path) -> bool:
    # On Windows a scanner still writing holds the file open without sharing.
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def _event_observer():
    """The platform's change events. On Linux, with a file renamed into the folder from elsewhere
    reported as moved (by default inotify's unpaired move is reported as created): a rename is
    atomic, so the file is finished and is screened without waiting for it to settle."""
    if not sys.platform.startswith("linux"):
        return Observer()
    from watchdog.observers.inotify import InotifyObserver

    return InotifyObserver(generate_full_events=True)


class _Handler(FileSystemEventHandler):
    def __init__(self, offer):
        self._offer = offer

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        target = getattr(event, "dest_path", "") or event.src_path
        if event.event_type in ("created", "modified"):
            self._offer(Path(target))
        elif event.event_type in ("moved", "closed"):
            self._offer(Path(target), finished=True)


# --- uploads ----------------------------------------------------------------------------

class UploadError(ScreeningError):
    code = "upload_rejected"


MAX_NAME_LENGTH = 120


def display_name(filename: str | None) -> str:
    """The name of the officer's file as the officer knows it, safe to show and to log.

    Only ever shown (the kiosk stores the file under a name of its own), so it keeps its
    letters in any script ("паспорт.jpg"): the folders a browser may send are dropped, and
    control characters too; a very long name keeps its end, which holds the extension.
    """
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip()
    if len(name) > MAX_NAME_LENGTH:
        name = "…" + name[-(MAX_NAME_LENGTH - 1):]
    return name if name.strip(".") else "upload"


def save_upload(upload: FileStorage, folder: Path) -> tuple[Path, str]:
    """Save an uploaded file under a name of our own; returns it and the original name (to show)."""
    original = display_name(upload.filename)
    suffix = Path(original).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        allowed = ", ".join(sorted(s.lstrip(".") for s in SUPPORTED_SUFFIXES))
        raise UploadError(Text("Files of this type cannot be screened. Allowed: {allowed}.", allowed=allowed))
    folder.mkdir(parents=True, exist_ok=True)
    destination = folder / f"{uuid.uuid4().hex}{suffix}"
    upload.save(destination)
    destination.chmod(PRIVATE_FILE)
    return destination, original


# --- SANE scanner -----------------------------------------------------------------------

class ScannerError(ScreeningError):
    code = "scanner_failed"


@dataclass(frozen=True)
class Scanner:
    """A flatbed scanner driven through SANE's ``scanimage`` (absent on Windows and most PCs)."""

    device: str | None = None
    resolution_dpi: int = 300
    timeout_seconds: float = 90.0

    @staticmethod
    def program() -> str | None:
        return shutil.which("scanimage")

    def available(self) -> bool:
        return self.program() is not None

    def scan(self, folder: Path) -> Path:
        program = self.program()
        if program is None:
            raise ScannerError(Text("No scanner program (SANE's scanimage) is installed on this computer."))
        folder.mkdir(parents=True, exist_ok=True)
        destination = folder / f"scan-{uuid.uuid4().hex}.png"
        command = [program, "--format=png", f"--resolution={self.resolution_dpi}"]
        if self.device:
            command.append(f"--device-name={self.device}")
        # Output goes to stdout: every scanimage version supports that (--output-file came later).
        try:
            with open(destination, "wb") as out:
                completed = subprocess.run(command, stdout=out, stderr=subprocess.PIPE,
                                           timeout=self.timeout_seconds, check=False)
        except subprocess.TimeoutExpired:
            destination.unlink(missing_ok=True)
            raise ScannerError(Text("The scanner did not finish within the time allowed.")) from None
        except OSError as error:
            destination.unlink(missing_ok=True)
            raise ScannerError(Text("The scanner program could not be started ({error}).", error=str(error.strerror))) from None
        if completed.returncode != 0 or destination.stat().st_size == 0:
            destination.unlink(missing_ok=True)
            detail = completed.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ScannerError(Text("The scanner reported a problem: {detail}", detail=detail[-1]) if detail
                               else Text("The scanner reported a problem: no image"))
        return destination
