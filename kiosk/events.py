"""'A new screening is ready' (and 'its chip was read') notices, fanned out to every open screen (Server-Sent Events).

Each open page holds one queue; publishing never blocks (a page that stopped reading just
misses notices and catches up from the database when it reconnects with Last-Event-ID).
Plain threads and queues: waitress serves each stream on a worker thread.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    screening_id: int
    verdict: str
    source: str
    kind: str = "screening"  # "chip": the screening's chip read joined it (its panel is fetched again)


CLOSED = None  # put on every queue when the kiosk stops, so streams end


class Announcer:
    def __init__(self, queue_size: int = 100):
        self._queues: list[queue.Queue] = []
        self._lock = threading.Lock()
        self._queue_size = queue_size

    def subscribe(self) -> queue.Queue:
        listener: queue.Queue = queue.Queue(maxsize=self._queue_size)
        with self._lock:
            self._queues.append(listener)
        return listener

    def unsubscribe(self, listener: queue.Queue) -> None:
        with self._lock:
            if listener in self._queues:
                self._queues.remove(listener)

    def publish(self, notice: Notice | None) -> None:
        with self._lock:
            listeners = list(self._queues)
        for listener in listeners:
            try:
                listener.put_nowait(notice)
            except queue.Full:
                pass

    def close(self) -> None:
        self.publish(CLOSED)

    @property
    def listeners(self) -> int:
        with self._lock:
            return len(self._queues)
