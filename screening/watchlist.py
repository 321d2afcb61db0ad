"""The offline watch list of lost, stolen and revoked documents: a small SQLite store.

Entries come from CSV files (``issuing_state,document_number,reason,source,date``) that a
border service exports from its own lists; ``screening watchlist import`` loads them. The
store lives in the per-user data directory unless ``--store PATH`` or the environment
variable ``SCREENING_WATCHLIST`` says otherwise.

A document number one OCR-confusable character away from a listed one (0/O, 1/I, 8/B, …)
is a near hit: the MRZ may have been misread, or the number altered by one stroke.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "SCREENING_WATCHLIST"
COLUMNS = ("issuing_state", "document_number", "reason", "source", "date")

# Characters OCR (and a forger's pen) turn into each other; each group is one confusion class.
CONFUSABLE = ("0OQD", "1I", "8B", "5S", "2Z", "6G")
_PARTNERS = {c: "".join(g.replace(c, "") for g in CONFUSABLE if c in g) for g in CONFUSABLE for c in g}

_NUMBER = re.compile(r"^[A-Z0-9]{1,20}$")
_STATE = re.compile(r"^[A-Z]{1,3}$")


@dataclass(frozen=True)
class Entry:
    issuing_state: str
    document_number: str
    reason: str
    source: str
    date: str  # ISO 8601, or "" when the list gives none


@dataclass(frozen=True)
class ImportReport:
    imported: int
    problems: tuple[str, ...]  # one message per rejected row, with its line number


@dataclass(frozen=True)
class Summary:
    """What an officer needs to know of the list: how big, and how fresh."""

    entries: int
    updated: str | None  # when the last import ran (ISO 8601, UTC), None if never recorded
    source: str  # the file name of the last import


def default_path() -> Path:
    """$SCREENING_WATCHLIST, else ``$XDG_DATA_HOME/screening/watchlist.sqlite`` (``~/.local/share``;
    ``%LOCALAPPDATA%`` on Windows)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "screening" / "watchlist.sqlite"


def resolve(path: str | Path | None) -> Path:
    return Path(path) if path else default_path()


def normalise_number(text: str) -> str:
    return re.sub(r"[\s<-]", "", text).upper()


class Store:
    """The watch list in one SQLite file (created on first import)."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        self.path = resolve(path)
        if create:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise FileNotFoundError(self.path)
        self._db = sqlite3.connect(str(self.path))
        if create:
            self._create()

    def _create(self) -> None:
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS entries (issuing_state TEXT NOT NULL, document_number TEXT NOT NULL, "
            "reason TEXT NOT NULL, source TEXT NOT NULL, date TEXT NOT NULL, "
            "PRIMARY KEY (issuing_state, document_number))"
        )
        # Each import, so that the list can say how old it is (stores made before this table have none).
        self._db.execute("CREATE TABLE IF NOT EXISTS imports (at TEXT NOT NULL, source TEXT NOT NULL, "
                         "imported INTEGER NOT NULL, skipped INTEGER NOT NULL)")
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, entries: list[Entry]) -> None:
        self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
                             [(e.issuing_state, e.document_number, e.reason, e.source, e.date) for e in entries])
        self._db.commit()

    def import_csv(self, text: str, source: str = "") -> ImportReport:
        entries, problems = parse_csv(text)
        self.add(entries)
        if entries:
            at = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
            self._db.execute("INSERT INTO imports VALUES (?, ?, ?, ?)", (at, source, len(entries), len(problems)))
            self._db.commit()
        return ImportReport(len(entries), tuple(problems))

    def summary(self) -> Summary:
        (count,) = self._db.execute("SELECT COUNT(*) FROM entries").fetchone()
        try:
            last = self._db.execute("SELECT at, source FROM imports ORDER BY at DESC LIMIT 1").fetchone()
        except sqlite3.OperationalError:  # a store from before imports were recorded
            last = None
        return Summary(count, last[0] if last else None, last[1] if last else "")

    def entries(self) -> list[Entry]:
        rows = self._db.execute("SELECT * FROM entries ORDER BY issuing_state, document_number").fetchall()
        return [Entry(*row) for row in rows]

    def remove(self, issuing_state: str | None, document_number: str) -> int:
        number = normalise_number(document_number)
        if issuing_state:
            cursor = self._db.execute("DELETE FROM entries WHERE issuing_state = ? AND document_number = ?",
                                      (issuing_state.upper(), number))
        else:
            cursor = self._db.execute("DELETE FROM entries WHERE document_number = ?", (number,))
        self._db.commit()
        return cursor.rowcount

    def lookup(self, issuing_state: str, document_number: str) -> tuple[Entry | None, list[Entry]]:
        """(the exact hit or None, near hits one confusable character away), same issuing state."""
        number = normalise_number(document_number)
        if not number:
            return None, []
        variants = near_variants(number)
        marks = ",".join("?" * (len(variants) + 1))
        rows = self._db.execute(f"SELECT * FROM entries WHERE issuing_state = ? AND document_number IN ({marks})",
                                (issuing_state, number, *variants)).fetchall()
        found = [Entry(*row) for row in rows]
        exact = next((e for e in found if e.document_number == number), None)
        return exact, [e for e in found if e.document_number != number]


def near_variants(number: str) -> list[str]:
    """Every string one confusable substitution away from ``number``."""
    out = []
    for i, char in enumerate(number):
        for other in _PARTNERS.get(char, ""):
            out.append(number[:i] + other + number[i + 1:])
    return out


def parse_csv(text: str) -> tuple[list[Entry], list[str]]:
    """Good rows as entries, and a message for each bad one (``line N: ...``). A header row is optional."""
    entries: list[Entry] = []
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for index, row in enumerate(reader, start=1):
        line = reader.line_num
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if index == 1 and [c.lower() for c in cells[:2]] == list(COLUMNS[:2]):
            continue  # the header
        try:
            entries.append(_entry(cells))
        except ValueError as error:
            problems.append(f"line {line}: {error}")
    return entries, problems


def _entry(cells: list[str]) -> Entry:
    if len(cells) < 3:
        raise ValueError(f"expected {len(COLUMNS)} columns ({', '.join(COLUMNS)}), found {len(cells)}")
    cells = (cells + ["", ""])[:5]
    state, number, reason, source, date = cells
    state = state.upper().rstrip("<")
    if not _STATE.match(state):
        raise ValueError(f"issuing state {cells[0]!r} is not a state code (1 to 3 letters, e.g. KAZ or D)")
    number = normalise_number(number)
    if not _NUMBER.match(number):
        raise ValueError(f"document number {cells[1]!r} is empty or holds characters an MRZ number cannot have")
    if not reason:
        raise ValueError("the reason (lost, stolen, revoked, …) is empty")
    if date:
        try:
            date = dt.date.fromisoformat(date).isoformat()
        except ValueError:
            raise ValueError(f"date {date!r} is not a date (YYYY-MM-DD)") from None
    return Entry(state, number, reason, source, date)


def open_existing(path: str | Path | None) -> Store | None:
    """The store at ``path`` (or the default), or None when no watch list has been imported."""
    try:
        return Store(path, create=False)
    except (FileNotFoundError, sqlite3.Error):
        return None
