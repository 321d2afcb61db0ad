"""Batch audit of a scanned archive: walk -> store -> screen in parallel -> findings -> report.

    run_audit(AuditOptions(archives=[...], out=DIR)) -> AuditSummary

Stages, one module each: ``walk`` (files and zip members), ``store`` (SQLite progress in
DIR, so a crashed audit resumes), ``executor`` (serial, local processes or Dask),
``task`` (one item in a worker), ``findings`` (across documents), ``report`` (outputs).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from screening.audit.executor import Executor, make_executor
from screening.audit.report import ReportOptions, validate_options, write_outputs
from screening.audit.store import Store
from screening.audit.task import ItemOutcome, PageOutcome, TaskOptions, screen_item
from screening.audit.walk import Item, walk
from screening.errors import UsageError
from screening.models import ALERT, REVIEW
from screening.pipeline import unreadable

__all__ = ["AuditOptions", "AuditSummary", "run_audit"]


@dataclass(frozen=True)
class AuditOptions:
    archives: tuple[str, ...]
    out: Path
    workers: int | None = None  # local processes; None: one per core
    resume: bool = False
    dask_address: str | None = None
    engine: str = "ocrb"
    today: dt.date | None = None  # None: today, fixed at the first run so resumed results agree
    serial: bool = False  # in this process (tests, debugging)
    progress: bool = True
    language: str = "en"  # the report's (report.html); `screening audit report` writes it again in another


@dataclass(frozen=True)
class AuditSummary:
    out: Path
    items: int
    pages: int
    verdicts: dict = field(default_factory=dict)
    findings: int = 0
    screened_now: int = 0
    seconds: float = 0.0
    failed_items: int = 0


class WorkerCrashError(UsageError):
    code = "worker_crashed"


def run_audit(options: AuditOptions, executor: Executor | None = None,
              on_outcome: Callable[[ItemOutcome], None] | None = None) -> AuditSummary:
    out = Path(options.out)
    if Store.exists(out) and not options.resume:
        raise UsageError(f"{out} already holds an audit: add --resume to finish it, or choose another --out")
    if options.resume and not Store.exists(out):
        raise UsageError(f"nothing to resume in {out}: there is no {out / 'progress.sqlite'}")
    validate_options(ReportOptions(language=options.language))
    missing = [a for a in options.archives if not Path(a).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    _check_out_folder(out)
    store = Store(out)
    try:
        task_options = _settings(store, options)
        store.add_items(item for item in walk(options.archives) if not _inside(item, out))
        files, sets = store.regrouped
        if files and options.progress:
            print(f"this audit was begun before pages under several lights were screened together: {files:,} "
                  f"files screened one by one are screened again as {sets:,} sets of white, infrared and "
                  f"ultraviolet images", file=sys.stderr)
        if store.count_items() == 0:
            store.close()
            for leftover in out.glob("progress.sqlite*"):  # nothing to resume: leave no half-made audit behind
                leftover.unlink()
            raise UsageError(f"no images, PDFs or zip files found in {', '.join(options.archives)}")
        executor = executor or make_executor(options.workers, options.dask_address, options.serial)
        screened, failed, busy = _screen(store, executor, task_options, options, on_outcome)
        info = {
            "archives": list(store.get_meta("archives")), "out": str(out), "engine": task_options.engine,
            "today": task_options.today.isoformat(), "items": store.count_items(),
            "written": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "sessions": store.sessions(),
        }
        done_time = sum(s["busy_seconds"] for s in info["sessions"])
        done_items = sum(s["items_done"] for s in info["sessions"])
        info["rate"] = done_items / done_time if done_time else None
        totals = write_outputs(store, out, info, ReportOptions(language=options.language))
        return AuditSummary(out, store.count_items(), totals.pages, dict(totals.verdicts), info["findings"],
                            screened, busy, failed)
    finally:
        store.close()


def _check_out_folder(out: Path) -> None:
    """One clear line, before anything is written, when --out cannot hold an audit."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file: give a folder for the audit's results")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".screening-write-test"
        with open(probe, "wb") as handle:
            handle.write(b"\0" * 65536)  # a full disk refuses this, not just an empty file
            handle.flush()
            os.fsync(handle.fileno())
        probe.unlink()
    except OSError as error:
        raise UsageError(f"cannot write into --out {out}: {error.strerror}") from None


def _settings(store: Store, options: AuditOptions) -> TaskOptions:
    """The first run's settings; a resumed run must screen the rest the same way."""
    saved = store.get_meta("settings")
    if saved is None:
        today = options.today or dt.date.today()
        store.set_meta("settings", {"engine": options.engine, "today": today.isoformat()})
        store.set_meta("archives", [str(a) for a in options.archives])
        return TaskOptions(today=today, engine=options.engine)
    if options.today and options.today.isoformat() != saved["today"]:
        raise UsageError(f"this audit screens as of {saved['today']}; resume it without --today or with the same date")
    if options.engine != saved["engine"]:
        raise UsageError(f"this audit was started with --engine {saved['engine']}; resume it with the same engine")
    archives = store.get_meta("archives")
    store.set_meta("archives", archives + [str(a) for a in options.archives if str(a) not in archives])
    return TaskOptions(today=dt.date.fromisoformat(saved["today"]), engine=saved["engine"])


def _inside(item: Item, out: Path) -> bool:
    # An output folder inside the archive must not be screened (its report has thumbnails...).
    try:
        Path(item.path).resolve().relative_to(out.resolve())
        return True
    except ValueError:
        return False


def _screen(store: Store, executor: Executor, task_options: TaskOptions, options: AuditOptions, on_outcome):
    pending = store.count_items(done=False)
    verdicts = store.verdict_counts()
    flagged = verdicts.get(ALERT, 0) + verdicts.get(REVIEW, 0)
    bar = _progress_bar(pending, store.count_items(done=True), flagged, options.progress)
    session = store.start_session(executor.description)
    state = {"screened": 0, "failed": 0, "flagged": flagged}

    def on_done(outcome: ItemOutcome) -> None:
        store.record(outcome)
        state["screened"] += 1
        state["flagged"] += sum(p.verdict in (ALERT, REVIEW) for p in outcome.pages)
        if bar is not None:
            bar.update(1)
            bar.set_postfix_str(f"flagged {state['flagged']:,}", refresh=False)
        if on_outcome is not None:
            on_outcome(outcome)

    def on_failed(item: Item, message: str) -> None:
        state["failed"] += 1
        result = unreadable(item.name, WorkerCrashError(f"{Path(item.member or item.path).name} could not be "
                                                         f"screened: {message}."), {})
        on_done(ItemOutcome(item.name, None, (PageOutcome(item.name, 0, result.verdict, result.to_dict()),), "parent"))

    started = time.perf_counter()
    try:
        executor.run(functools.partial(screen_item, options=task_options), store.pending(), on_done, on_failed)
    finally:
        busy = time.perf_counter() - started
        store.finish_session(session, state["screened"], busy, executor.description)
        if bar is not None:
            bar.close()
    return state["screened"], state["failed"], busy


def _progress_bar(pending: int, already: int, flagged: int, enabled: bool, stream=None):
    if not enabled:
        return None
    stream = stream or sys.stderr
    if stream.isatty():
        from tqdm import tqdm

        bar = tqdm(total=pending, unit="file", desc="screening", file=stream, dynamic_ncols=True,
                   smoothing=0.1, mininterval=0.5)
    else:
        bar = LineProgress(pending, stream)
    if already:
        bar.write(f"resuming: {already:,} files already screened, {pending:,} to go")
    bar.set_postfix_str(f"flagged {flagged:,}")
    return bar


class LineProgress:
    """Progress as whole lines now and then, for logs and pipes: a progress bar's carriage returns
    pile up there as one endless line. The methods the audit calls on a tqdm bar."""

    def __init__(self, total: int, stream, interval_s: float = 30.0):
        self.total, self.stream, self.interval_s = total, stream, interval_s
        self.done, self.postfix = 0, ""
        self.started = self.printed_at = time.monotonic()
        self.printed_done = -1

    def update(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.printed_at >= self.interval_s or self.done >= self.total:
            self._line(now)

    def set_postfix_str(self, text: str, refresh: bool = True) -> None:
        self.postfix = text

    def write(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.printed_done != self.done:
            self._line(time.monotonic())

    def _line(self, now: float) -> None:
        share = f" ({100 * self.done / self.total:.0f}%)" if self.total else ""
        rate = self.done / max(now - self.started, 1e-9)
        extra = f", {self.postfix}" if self.postfix else ""
        self.write(f"screening: {self.done:,}/{self.total:,} files{share}, {rate:.1f} files/s{extra}")
        self.printed_at, self.printed_done = now, self.done


def default_workers() -> int:
    return os.cpu_count() or 1
