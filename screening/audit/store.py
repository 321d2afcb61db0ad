"""The audit's memory, in SQLite inside the output folder (``progress.sqlite``).

Every item found by the walk is a row; a finished item's page results are written in the
same transaction that marks it done, so after a crash or ``kill -9`` an item is either
done with all its results or not done at all, and ``--resume`` screens exactly the rest.
The outputs (results.jsonl, summary.csv, report.html) are written from here at the end of
each run, so they always hold one result per page, whatever happened in between.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from screening.audit.task import ItemOutcome
from screening.audit.walk import Item

STORE_NAME = "progress.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY,              -- walk order: outputs follow it
    name TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    member TEXT,
    done INTEGER NOT NULL DEFAULT 0,
    worker TEXT,
    file_digest TEXT,
    lights TEXT                           -- a page under several lights: JSON [[light, file], ...]
);
CREATE INDEX IF NOT EXISTS items_pending ON items (done, seq);
CREATE TABLE IF NOT EXISTS pages (
    item_seq INTEGER NOT NULL REFERENCES items (seq),
    page INTEGER NOT NULL,
    name TEXT NOT NULL,
    verdict TEXT NOT NULL,
    result TEXT NOT NULL,                 -- the contract JSON
    pixel_digest TEXT,
    image_hash TEXT,                      -- 16 hex digits (SQLite integers are signed 64-bit)
    portrait_hash TEXT,
    thumbnail BLOB,
    PRIMARY KEY (item_seq, page)
);
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    executor TEXT NOT NULL,
    items_done INTEGER NOT NULL DEFAULT 0,
    busy_seconds REAL NOT NULL DEFAULT 0  -- wall time spent screening (not walking or reporting)
);
"""
# Commit at most this often: each commit is an fsync; losing a second of work to a crash is cheap.
COMMIT_EVERY_SECONDS = 1.0
# How the store's items are keyed, in meta "item_keys": since light sets, a page under several
# lights is one item (named after its white image, ``lights`` listing its files). A store without
# it and with items was begun before, when every file was an item of its own: ``add_items`` then
# regroups those files into their sets (Store.regrouped says how many).
ITEM_KEYS = "light_sets"


@dataclass(frozen=True)
class PageRow:
    item_seq: int
    page: int
    name: str
    verdict: str
    result: dict
    file_digest: str | None
    pixel_digest: str | None
    image_hash: int | None
    portrait_hash: int | None
    thumbnail: bytes | None


@dataclass(frozen=True)
class PageKey:
    """Where a page's result lives in the store, and its fingerprints (without the result itself)."""

    item_seq: int
    page: int
    file_digest: str | None
    pixel_digest: str | None
    image_hash: int | None
    portrait_hash: int | None

    @property
    def digests(self) -> tuple:
        return self.file_digest, self.pixel_digest, self.image_hash, self.portrait_hash


class Store:
    def __init__(self, folder: Path):
        self.path = Path(folder) / STORE_NAME
        self.db = sqlite3.connect(self.path, isolation_level=None)
        # WAL: readers (a supervisor peeking) do not block the writer; NORMAL sync is crash-safe in WAL.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        if "lights" not in {row[1] for row in self.db.execute("PRAGMA table_info(items)")}:
            self.db.execute("ALTER TABLE items ADD COLUMN lights TEXT")  # an audit begun before light sets
        if self.get_meta("item_keys") is None and self.count_items() == 0:
            self.set_meta("item_keys", ITEM_KEYS)  # a new audit
        self.per_file_keys = self.get_meta("item_keys") != ITEM_KEYS
        self.regrouped: tuple[int, int] = (0, 0)  # (files screened one by one before, sets they now are)
        self._in_transaction = False
        self._last_commit = time.monotonic()

    @classmethod
    def read_only(cls, folder: Path) -> Store:
        """The store of a finished audit opened for reading only (re-rendering its report)."""
        store = cls.__new__(cls)
        store.path = Path(folder) / STORE_NAME
        # Opened as usual (a read-only URI would leave its -wal and -shm files behind on closing),
        # with writes refused; a write-protected file opens read-only by itself.
        store.db = sqlite3.connect(store.path, isolation_level=None)
        store.db.execute("PRAGMA query_only = ON")
        store._in_transaction = False
        store._last_commit = time.monotonic()
        return store

    @staticmethod
    def exists(folder: Path) -> bool:
        return (Path(folder) / STORE_NAME).exists()

    def close(self) -> None:
        self.commit()
        self.db.close()

    # -- settings -------------------------------------------------------------------
    def get_meta(self, key: str):
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_meta(self, key: str, value) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))

    # -- items ----------------------------------------------------------------------
    def add_items(self, items: Iterable[Item], batch: int = 2000) -> int:
        """Adds items not yet known (a resumed walk finds the same ones again); returns how many are new.

        In a store begun before light sets (``per_file_keys``) a set's files were items of their
        own: they are regrouped as the walk brings each set (``_regroup``), so that a resumed audit
        neither counts a set's IR and UV images as pages of their own nor keeps its white image's
        result screened without them."""
        before = self.count_items()
        chunk: list[tuple[str, str, str | None, str | None]] = []
        for item in items:
            if self.per_file_keys and item.lights:
                self._insert_items(chunk)
                chunk = []
                self._regroup(item)
            chunk.append((item.name, item.path, item.member,
                          json.dumps([list(pair) for pair in item.lights]) if item.lights else None))
            if len(chunk) >= batch:
                self._insert_items(chunk)
                chunk = []
        self._insert_items(chunk)
        if self.per_file_keys:  # the whole walk is regrouped: from now on the store is keyed by sets
            self.set_meta("item_keys", ITEM_KEYS)
            self.per_file_keys = False
        return self.count_items() - before

    def _regroup(self, item: Item) -> None:
        """The per-file items (and their results) of ``item``'s images, from a store begun before
        light sets, made into ``item``: the one named like it is kept in its place, set to be
        screened again as the set; the others are removed with their results."""
        named = (lambda file: file) if item.member is None else (lambda file: f"{item.path}!{file}")
        names = [named(file) for _light, file in item.lights]
        marks = ",".join("?" * len(names))
        rows = self.db.execute(f"SELECT seq, name FROM items WHERE lights IS NULL AND name IN ({marks})",
                               names).fetchall()
        if not rows:
            return
        with self.db:
            self.db.execute("BEGIN")
            for seq, name in rows:
                self.db.execute("DELETE FROM pages WHERE item_seq = ?", (seq,))
                if name == item.name:
                    self.db.execute("UPDATE items SET path = ?, member = ?, lights = ?, done = 0, worker = NULL, "
                                    "file_digest = NULL WHERE seq = ?",
                                    (item.path, item.member, json.dumps([list(pair) for pair in item.lights]), seq))
                else:
                    self.db.execute("DELETE FROM items WHERE seq = ?", (seq,))
        files, sets = self.regrouped
        self.regrouped = (files + len(rows), sets + 1)

    def _insert_items(self, rows) -> None:
        if rows:
            with self.db:
                self.db.execute("BEGIN")
                self.db.executemany("INSERT OR IGNORE INTO items (name, path, member, lights) VALUES (?, ?, ?, ?)",
                                    rows)

    def count_items(self, done: bool | None = None) -> int:
        if done is None:
            return self.db.execute("SELECT count(*) FROM items").fetchone()[0]
        return self.db.execute("SELECT count(*) FROM items WHERE done = ?", (int(done),)).fetchone()[0]

    def pending(self) -> Iterator[Item]:
        # Read in one go: the cursor must not stay open while results are written.
        rows = self.db.execute("SELECT name, path, member, lights FROM items WHERE done = 0 ORDER BY seq").fetchall()
        for name, path, member, light_files in rows:
            yield Item(name, path, member, tuple(tuple(pair) for pair in json.loads(light_files)) if light_files else ())

    # -- results --------------------------------------------------------------------
    def record(self, outcome: ItemOutcome) -> None:
        """Stores an item's page results and marks it done, atomically (one transaction)."""
        if not self._in_transaction:
            self.db.execute("BEGIN")
            self._in_transaction = True
        seq = self.db.execute("SELECT seq FROM items WHERE name = ?", (outcome.item,)).fetchone()[0]
        self.db.execute("DELETE FROM pages WHERE item_seq = ?", (seq,))
        self.db.executemany(
            "INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(seq, p.page, p.name, p.verdict, json.dumps(p.result, ensure_ascii=False), p.pixel_digest,
              _hex(p.image_hash), _hex(p.portrait_hash), p.thumbnail) for p in outcome.pages],
        )
        self.db.execute("UPDATE items SET done = 1, worker = ?, file_digest = ? WHERE seq = ?",
                        (outcome.worker, outcome.file_digest, seq))
        if time.monotonic() - self._last_commit >= COMMIT_EVERY_SECONDS:
            self.commit()

    def commit(self) -> None:
        if self._in_transaction:
            self.db.execute("COMMIT")
            self._in_transaction = False
        self._last_commit = time.monotonic()

    def verdict_counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT verdict, count(*) FROM pages GROUP BY verdict").fetchall())

    def pages(self, with_thumbnails: bool = False) -> Iterator[PageRow]:
        """Every page result, in walk order (streamed: archives can be large)."""
        thumbnail = "p.thumbnail" if with_thumbnails else "NULL"
        cursor = self.db.execute(
            f"SELECT p.item_seq, p.page, p.name, p.verdict, p.result, i.file_digest, p.pixel_digest, p.image_hash, "
            f"p.portrait_hash, {thumbnail} FROM pages p JOIN items i ON i.seq = p.item_seq "
            f"ORDER BY p.item_seq, p.page")
        for row in cursor:
            yield PageRow(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6], _int(row[7]),
                          _int(row[8]), row[9])

    def page_keys(self) -> dict[str, PageKey]:
        """Every page's place and fingerprints by its name (``file``, as in results.jsonl)."""
        rows = self.db.execute("SELECT p.name, p.item_seq, p.page, i.file_digest, p.pixel_digest, p.image_hash, "
                               "p.portrait_hash FROM pages p JOIN items i ON i.seq = p.item_seq")
        return {r[0]: PageKey(r[1], r[2], r[3], r[4], _int(r[5]), _int(r[6])) for r in rows}

    def card(self, item_seq: int, page: int) -> tuple[dict, bytes | None]:
        """A page's result and thumbnail, for one card of the report."""
        result, thumbnail = self.db.execute("SELECT result, thumbnail FROM pages WHERE item_seq = ? AND page = ?",
                                            (item_seq, page)).fetchone()
        return json.loads(result), thumbnail

    def thumbnail(self, item_seq: int, page: int) -> bytes | None:
        row = self.db.execute("SELECT thumbnail FROM pages WHERE item_seq = ? AND page = ?", (item_seq, page)).fetchone()
        return row[0] if row else None

    # -- sessions -------------------------------------------------------------------
    def start_session(self, executor: str) -> int:
        cursor = self.db.execute("INSERT INTO sessions (started, executor) VALUES (?, ?)", (time.time(), executor))
        return cursor.lastrowid

    def finish_session(self, session: int, items_done: int, busy_seconds: float, executor: str) -> None:
        self.commit()
        # The executor's description may have grown while running (a Dask cluster's size).
        self.db.execute("UPDATE sessions SET finished = ?, items_done = ?, busy_seconds = ?, executor = ? WHERE id = ?",
                        (time.time(), items_done, busy_seconds, executor, session))

    def sessions(self) -> list[dict]:
        rows = self.db.execute("SELECT id, started, finished, executor, items_done, busy_seconds FROM sessions "
                               "ORDER BY id").fetchall()
        return [dict(zip(("id", "started", "finished", "executor", "items_done", "busy_seconds"), r)) for r in rows]


def _hex(value: int | None) -> str | None:
    return None if value is None else f"{value:016x}"


def _int(value: str | None) -> int | None:
    return None if value is None else int(value, 16)
