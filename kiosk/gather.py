"""History gathered from many posts: each kiosk exports its log, headquarters merges the exports.

An export is JSON Lines: a header naming the post and the span of records, then every record
with the columns its hash covers, as stored, so that the receiving side recomputes each hash
and each link to the record before it. The central store keeps every post's chain apart
(``post, id``); importing the same export twice adds nothing, a gap is reported, and a record
that differs from the one already gathered is tampering and is refused.

The header also carries the log's signed head (kiosk/logkey.py) at the export's last record:
kept off the PC, the export is an anchor, and ``verify-log --against EXPORT`` later shows whether
the post's log still holds, unchanged, every record up to it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from kiosk import db
from kiosk.logkey import HEAD_FORMAT, SignedHead

FORMAT = "screening.kiosk-history/v1"
COLUMNS = (*db.HASHED_COLUMNS, "prev_hash", "hash")

CENTRAL_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    post TEXT NOT NULL, id INTEGER NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, actor TEXT, ref INTEGER,
    verdict TEXT, document_number TEXT, person_name TEXT, payload TEXT NOT NULL, prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL, PRIMARY KEY (post, id)
);
CREATE INDEX IF NOT EXISTS central_document ON records (document_number);
CREATE INDEX IF NOT EXISTS central_kind ON records (post, kind, id);
"""


class ExportError(ValueError):
    """A file that is not a kiosk history export."""


@dataclass(frozen=True)
class Exported:
    file: Path
    post: str
    first_id: int | None
    last_id: int | None
    records: int


@dataclass
class Gathered:
    file: str
    post: str
    added: int = 0
    present: int = 0
    problems: list[str] = field(default_factory=list)


def export_history(data_dir: Path, out: Path, *, post: str, after: int = 0, actor: str = "command-line") -> Exported:
    """Write the post's records after id ``after`` to ``out``, with the log's signed head; the export
    itself is logged."""
    connection = db.connect(data_dir / db.DB_NAME)
    try:
        connection.execute("BEGIN")  # one snapshot: the signed head is the last record exported
        try:
            rows = connection.execute("SELECT * FROM records WHERE id > ? ORDER BY id", (after,)).fetchall()
            head = db.signed_head(connection, post)
        finally:
            connection.execute("COMMIT")
        first, last = (rows[0]["id"], rows[-1]["id"]) if rows else (None, None)
        with open(out, "w", encoding="utf-8") as handle:
            header = {"format": FORMAT, "post": post, "first_id": first, "last_id": last, "records": len(rows),
                      "head": head.to_mapping()}
            handle.write(json.dumps(header, ensure_ascii=False) + "\n")
            for row in rows:
                handle.write(json.dumps({c: row[c] for c in COLUMNS}, ensure_ascii=False) + "\n")
        db.append(connection, db.EXPORT, {"format": "history-jsonl", "rows": len(rows), "after": after},
                  actor=actor, head_path=data_dir / db.HEAD_NAME)
    finally:
        connection.close()
    return Exported(out, post, first, last, len(rows))


def read_anchor(path: Path) -> tuple[SignedHead, dict[int, str]]:
    """The signed head of an export (with its records' hashes) or of a file `screening kiosk head` wrote."""
    with open(path, encoding="utf-8") as handle:
        try:
            first = json.loads(handle.readline() or "null")
        except json.JSONDecodeError:
            first = None
        if isinstance(first, dict) and first.get("format") == HEAD_FORMAT:
            return SignedHead.from_mapping(first), {}
        if not isinstance(first, dict) or first.get("format") != FORMAT:
            raise ExportError(f"{path} is neither a kiosk history export nor a signed head")
        if "head" not in first:
            raise ExportError(f"{path} was exported before exports carried a signed head: there is nothing in it to "
                              f"verify against")
        try:
            head = SignedHead.from_mapping(first["head"])
        except ValueError:
            raise ExportError(f"{path}: its signed head is damaged") from None
        hashes = {}
        for line in handle:
            try:
                row = json.loads(line)
                hashes[int(row["id"])] = str(row["hash"])
            except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                continue  # a damaged line only makes the first differing record harder to name
        return head, hashes


def gather(central: Path, export: Path) -> Gathered:
    """Merge one export into the central store, checking every hash and link."""
    with open(export, encoding="utf-8") as handle:
        try:
            header = json.loads(handle.readline() or "null")
        except json.JSONDecodeError:
            header = None
        if not isinstance(header, dict) or header.get("format") != FORMAT or not header.get("post"):
            raise ExportError(f"{export} is not a kiosk history export")
        outcome = Gathered(str(export), str(header["post"]))
        connection = sqlite3.connect(central)
        try:
            connection.executescript(CENTRAL_SCHEMA)
            for number, line in enumerate(handle, start=2):
                problem = _merge(connection, outcome, line)
                if problem:
                    outcome.problems.append(f"line {number}: {problem}")
            problem = _against_head(connection, outcome.post, header)
            if problem:
                outcome.problems.append(problem)
            connection.commit()
        finally:
            connection.close()
    return outcome


def _against_head(connection: sqlite3.Connection, post: str, header: dict) -> str | None:
    """Headquarters holds no post's key, so it cannot check the head's seal; it checks that the
    records it now holds end where the export's head says (a record edited on the way, with the
    chain after it recomputed, no longer leads to the head's hash)."""
    try:
        head = SignedHead.from_mapping(header["head"]) if "head" in header else None
    except ValueError:
        return "the export's signed head is damaged"
    if head is None or not head.record or header.get("last_id") != head.record:
        return None
    gathered = connection.execute("SELECT hash FROM records WHERE post = ? AND id = ?", (post, head.record)).fetchone()
    if gathered is not None and gathered[0] != head.hash:
        return f"record {head.record} differs from the export's signed head"
    return None


def _merge(connection: sqlite3.Connection, outcome: Gathered, line: str) -> str | None:
    try:
        row = json.loads(line)
        values = {c: row[c] for c in COLUMNS}
    except (json.JSONDecodeError, KeyError, TypeError):
        return "not a record"
    if db.row_hash(values["prev_hash"], values) != values["hash"]:
        return f"record {values['id']} was changed after it was written"
    present = connection.execute("SELECT hash FROM records WHERE post = ? AND id = ?",
                                 (outcome.post, values["id"])).fetchone()
    if present is not None:
        if present[0] != values["hash"]:
            return f"record {values['id']} differs from the one gathered before"
        outcome.present += 1
        return None
    before = connection.execute("SELECT hash FROM records WHERE post = ? AND id = ?",
                                (outcome.post, values["id"] - 1)).fetchone()
    expected = before[0] if before else (db.GENESIS if values["id"] == 1 else None)
    if expected is not None and values["prev_hash"] != expected:
        return f"record {values['id']} does not follow record {values['id'] - 1} gathered before"
    connection.execute(f"INSERT INTO records (post, {', '.join(COLUMNS)}) VALUES (?, {', '.join('?' * len(COLUMNS))})",
                       (outcome.post, *(values[c] for c in COLUMNS)))
    outcome.added += 1
    if expected is None:
        return f"records before {values['id']} have not been gathered yet (a gap in the chain)"
    return None
