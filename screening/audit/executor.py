"""One interface for running the audit's tasks, with three implementations:

- ``SerialExecutor``: in this process, one at a time (tests, debugging);
- ``ProcessPoolExecutor``: a local pool of worker processes (the default);
- ``DaskExecutor``: an existing Dask distributed cluster (``--dask tcp://HOST:8786``),
  for archives too large for one machine. Its workers need the package installed and
  must see the archive at the same path (shared storage).

Each runs ``task(item)`` for every item and calls ``on_done(outcome)`` in the calling
process as each finishes (in completion order): that callback stores the result and
advances the progress bar. Submissions are bounded, so millions of items never sit in
memory as futures. A task that kills its worker (a decoder crash on a hostile file) is
retried once alone, then reported through ``on_failed(item, message)`` - the run goes on.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import os
from abc import ABC, abstractmethod
from typing import Callable, Iterable, Iterator, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")
Task = Callable[[Item], Outcome]
OnDone = Callable[[Outcome], None]
OnFailed = Callable[[Item, str], None]

# Tasks in flight per worker: enough to keep workers busy while the parent stores results.
IN_FLIGHT_PER_WORKER = 4


class Executor(ABC):
    description: str

    @abstractmethod
    def run(self, task: Task, items: Iterable[Item], on_done: OnDone, on_failed: OnFailed) -> None:
        """Runs ``task`` on every item; returns when all are done or have failed."""


class SerialExecutor(Executor):
    def __init__(self) -> None:
        self.description = "serial (in process)"

    def run(self, task, items, on_done, on_failed) -> None:
        for item in items:
            try:
                outcome = task(item)
            except Exception as error:  # the task never raises for bad input; this is a bug, kept to one item
                on_failed(item, f"{type(error).__name__}: {error}")
            else:
                on_done(outcome)


def _init_worker(opencv_threads: int) -> None:
    import cv2

    from screening import tesseract
    from screening.audit.lifeline import arm

    arm()  # end with the forkserver, which ends with the audit: no orphans after a SIGKILL
    # Several worker processes on few cores: OpenCV's own thread pool would only contend.
    cv2.setNumThreads(opencv_threads)
    tesseract.set_threads(opencv_threads)


class ProcessPoolExecutor(Executor):
    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.opencv_threads = max(1, (os.cpu_count() or 1) // self.workers)
        self.description = f"local process pool, {self.workers} worker{'s' if self.workers != 1 else ''}"

    def _pool(self) -> futures.ProcessPoolExecutor:
        # forkserver: workers start from a clean process, not a fork of one that holds a
        # SQLite connection, a progress-bar thread and OpenCV's threads.
        from screening.audit.lifeline import note_audit_process

        note_audit_process()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["screening.audit.forkserver_preload"])
        return futures.ProcessPoolExecutor(self.workers, mp_context=context, initializer=_init_worker,
                                           initargs=(self.opencv_threads,))

    def run(self, task, items, on_done, on_failed) -> None:
        source = iter(items)
        retry: list = []  # items whose worker died: each is run again alone
        limit = self.workers * IN_FLIGHT_PER_WORKER
        while True:
            broken = self._run_batch(task, source, on_done, limit)
            if not broken:
                break
            # The pool broke with these in flight; only one of them is likely the culprit.
            for item in broken:
                if item in retry:
                    on_failed(item, "the worker process screening this file crashed")
                else:
                    retry.append(item)
                    still = self._run_batch(task, iter([item]), on_done, 1)
                    if still:
                        on_failed(item, "the worker process screening this file crashed")

    def _run_batch(self, task, source: Iterator, on_done: OnDone, limit: int) -> list:
        """Runs items from ``source`` until it is exhausted; returns items in flight if the pool broke."""
        pool = self._pool()
        in_flight: dict[futures.Future, object] = {}
        try:
            while True:
                while len(in_flight) < limit:
                    item = next(source, _END)
                    if item is _END:
                        break
                    in_flight[pool.submit(task, item)] = item
                if not in_flight:
                    return []
                done, _ = futures.wait(in_flight, return_when=futures.FIRST_COMPLETED)
                for future in done:
                    item = in_flight.pop(future)
                    try:
                        outcome = future.result()
                    except futures.process.BrokenProcessPool:
                        return [item, *in_flight.values()]
                    on_done(outcome)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


_END = object()


class DaskExecutor(Executor):
    """Sends tasks to a running Dask distributed scheduler (``tcp://HOST:8786``)."""

    def __init__(self, address: str, in_flight: int | None = None) -> None:
        self.address = address
        self.in_flight = in_flight
        self.description = f"Dask cluster at {address}"

    def run(self, task, items, on_done, on_failed) -> None:
        try:
            from distributed import Client, as_completed
        except ImportError:
            from screening.errors import UsageError

            raise UsageError("--dask needs the 'distributed' package: pip install 'screening[dask]'") from None
        with Client(self.address) as client:
            info = client.scheduler_info()["workers"]
            workers = sum(w.get("nthreads", 1) for w in info.values()) or 1
            _share_cores(client, info)
            self.description = f"Dask cluster at {self.address}, {workers} worker thread{'s' if workers != 1 else ''}"
            limit = self.in_flight or workers * IN_FLIGHT_PER_WORKER
            source = iter(items)
            pending: dict = {}
            completed = as_completed()  # filled as tasks are submitted

            def submit_next() -> None:
                item = next(source, _END)
                if item is not _END:
                    # pure=False: a rerun of the same item must screen again, not reuse a cached result.
                    future = client.submit(task, item, pure=False)
                    pending[future.key] = item
                    completed.add(future)

            for _ in range(limit):
                submit_next()
            for future in completed:
                item = pending.pop(future.key)
                try:
                    outcome = future.result()
                except Exception as error:  # KilledWorker after Dask's own retries, or a lost worker
                    on_failed(item, f"{type(error).__name__}: {error}")
                else:
                    on_done(outcome)
                future.release()
                submit_next()


def _share_cores(client, workers: dict) -> None:
    """Worker processes on one host share its cores: each gets OpenCV and Tesseract threads for its
    share, as the local pool's workers do (left at their defaults, two Dask workers on two cores ran
    at 9.8 pages/s against the local pool's 15.8)."""
    by_host: dict[str, list[str]] = {}
    for address, worker in workers.items():
        by_host.setdefault(worker.get("host", address), []).append(address)
    for addresses in by_host.values():
        threads_on_host = sum(workers[a].get("nthreads", 1) for a in addresses)
        try:
            client.run(_init_dask_worker, threads_on_host, workers=addresses)
        except Exception:  # noqa: BLE001 - a worker that cannot be tuned still screens
            pass


def _init_dask_worker(threads_on_host: int) -> None:
    _init_worker(max(1, (os.cpu_count() or 1) // max(1, threads_on_host)))
    _keep_freed_memory()


def _keep_freed_memory() -> None:
    """Undo the Dask nanny's MALLOC_TRIM_THRESHOLD_ (64 kB) in this worker: with it, glibc hands
    every freed image back to the system and maps the next one afresh (page faults on every
    page screened; measured: the local pool under the same setting fell from 15.4 to 10.6 pages/s).
    Freed memory is kept for reuse up to the thresholds below."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return
    try:
        libc = ctypes.CDLL(name)
        m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's mallopt parameters
        libc.mallopt(m_mmap_threshold, 32 << 20)
        libc.mallopt(m_trim_threshold, 128 << 20)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to undo


def make_executor(workers: int | None = None, dask_address: str | None = None, serial: bool = False) -> Executor:
    if dask_address:
        return DaskExecutor(dask_address)
    if serial:
        return SerialExecutor()
    return ProcessPoolExecutor(workers)
