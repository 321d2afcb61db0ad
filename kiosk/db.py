"""The kiosk's SQLite database: users, and one append-only, hash-chained log of records.

Every screening, decision, login, export and training answer is a row of ``records``.
Each row's ``hash`` covers its own content and the previous row's hash, so editing,
inserting or deleting a row anywhere breaks the chain from there on (``verify_chain``);
a head file beside the database catches rows cut from the end. Triggers refuse UPDATE and
DELETE, so only someone who bypasses the application can change the log at all.

Connections are per thread (SQLite's rule); WAL lets the hot-folder thread write while
request threads read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from flask import current_app, g

DB_NAME = "kiosk.sqlite3"
HEAD_NAME = "log.head"
GENESIS = "0" * 64

# Record kinds.
SCREENING = "screening"
DECISION = "decision"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
EXPORT = "export"
USER_ADDED = "user_added"
TRAINING_OPENED = "training_opened"
TRAINING_ANSWER = "training_answer"
WATCHLIST_IMPORTED = "watchlist_imported"
USER_CHANGED = "user_changed"

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'en',
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    ref INTEGER,
    verdict TEXT,
    document_number TEXT,
    person_name TEXT,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_kind ON records (kind, id);
CREATE INDEX IF NOT EXISTS records_ref ON records (ref);
CREATE INDEX IF NOT EXISTS records_document ON records (document_number);
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
"""

# Schema changes after the first release, in order: MIGRATIONS[n - 1] takes a database from
# version n - 1 to n (SQLite's user_version; a database made before versions were kept is 0,
# and the SCHEMA above is version 0's). Each runs in one transaction with its version bump, so
# a kiosk stopped mid-upgrade finds its database at the old version or the new, never between.
MIGRATIONS: tuple[str, ...] = (
    # 1: accounts can be disabled (a person who left keeps their records, not their access).
    "ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;",
    # 2: a counter in every session cookie; raising it ends the account's sessions server-side
    # (sign-out, a new password), so a copied cookie stops working.
    "ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;",
)
SCHEMA_VERSION = len(MIGRATIONS)

HASHED_COLUMNS = ("id", "at", "kind", "actor", "ref", "verdict", "document_number", "person_name", "payload")


@dataclass(frozen=True)
class Record:
    id: int
    at: str
    kind: str
    actor: str | None
    ref: int | None
    verdict: str | None
    document_number: str | None
    person_name: str | None
    payload: dict[str, Any]

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "Record":
        return cls(row["id"], row["at"], row["kind"], row["actor"], row["ref"], row["verdict"],
                   row["document_number"], row["person_name"], json.loads(row["payload"]))


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    records: int
    problem: str | None = None
    first_bad_id: int | None = None


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


class NewerSchemaError(RuntimeError):
    """The database was written by a newer version of the kiosk than this one."""


def initialise(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connect(path)
    try:
        connection.executescript(SCHEMA)
        migrate(connection)
    finally:
        connection.close()


def schema_version(connection: sqlite3.Connection) -> int:
    return connection.execute("PRAGMA user_version").fetchone()[0]


def migrate(connection: sqlite3.Connection) -> int:
    """Bring the database to SCHEMA_VERSION; returns how many steps ran."""
    version = schema_version(connection)
    if version > SCHEMA_VERSION:
        raise NewerSchemaError(f"the kiosk database is at schema version {version}, newer than this kiosk's "
                               f"{SCHEMA_VERSION}: install the newer version of screening")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(connection) >= number:  # another process upgraded it meanwhile
                connection.execute("ROLLBACK")
                continue
            for statement in filter(str.strip, MIGRATIONS[number - 1].split(";")):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except sqlite3.Error:
            connection.execute("ROLLBACK")
            raise
    return max(0, SCHEMA_VERSION - version)


def get_db() -> sqlite3.Connection:
    """The request's connection (closed at teardown)."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app) -> None:
    initialise(app.config["DATABASE"])
    app.teardown_appcontext(close_db)


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


def row_hash(prev_hash: str, values: dict[str, Any]) -> str:
    canonical = json.dumps([values[c] for c in HASHED_COLUMNS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest()


def append(
    connection: sqlite3.Connection,
    kind: str,
    payload: dict[str, Any],
    *,
    actor: str | None = None,
    ref: int | None = None,
    verdict: str | None = None,
    document_number: str | None = None,
    person_name: str | None = None,
    head_path: Path | None = None,
) -> int:
    """Append one record to the chain; returns its id.

    BEGIN IMMEDIATE takes SQLite's write lock before the last hash is read, so two
    threads (or two processes) can never chain onto the same row.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        last = connection.execute("SELECT id, hash FROM records ORDER BY id DESC LIMIT 1").fetchone()
        prev_hash = last["hash"] if last else GENESIS
        values = {
            "id": (last["id"] + 1) if last else 1,
            "at": now_iso(),
            "kind": kind,
            "actor": actor,
            "ref": ref,
            "verdict": verdict,
            "document_number": document_number,
            "person_name": person_name,
            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
        }
        digest = row_hash(prev_hash, values)
        connection.execute(
            "INSERT INTO records (id, at, kind, actor, ref, verdict, document_number, person_name, payload,"
            " prev_hash, hash) VALUES (:id, :at, :kind, :actor, :ref, :verdict, :document_number, :person_name,"
            " :payload, :prev_hash, :hash)",
            {**values, "prev_hash": prev_hash, "hash": digest},
        )
        if head_path is not None:
            _write_head(head_path, values["id"], digest)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return values["id"]


def _write_head(head_path: Path, record_id: int, digest: str) -> None:
    temporary = head_path.with_suffix(".tmp")
    temporary.write_text(f"{record_id} {digest}\n", encoding="ascii")
    temporary.replace(head_path)


def verify_chain(connection: sqlite3.Connection, head_path: Path | None = None) -> ChainReport:
    """Recompute every hash; report the first row where the log was changed."""
    prev_hash = GENESIS
    expected_id = 1
    count = 0
    for row in connection.execute("SELECT * FROM records ORDER BY id"):
        values = {c: row[c] for c in HASHED_COLUMNS}
        if row["id"] != expected_id:
            return ChainReport(False, count, f"record {expected_id} is missing (next is {row['id']})", expected_id)
        if row["prev_hash"] != prev_hash:
            return ChainReport(False, count, f"record {row['id']} does not follow the record before it", row["id"])
        if row_hash(prev_hash, values) != row["hash"]:
            return ChainReport(False, count, f"record {row['id']} was changed after it was written", row["id"])
        prev_hash = row["hash"]
        expected_id += 1
        count += 1
    if head_path is not None and head_path.exists():
        parts = head_path.read_text(encoding="ascii").split()
        if len(parts) == 2:
            head_id, head_hash = int(parts[0]), parts[1]
            if head_id > count:
                return ChainReport(False, count, f"records {count + 1} to {head_id} were removed from the end",
                                   count + 1)
            if head_id == count and head_hash != prev_hash:
                return ChainReport(False, count, f"record {head_id} differs from the last one written", head_id)
    return ChainReport(True, count)


# --- queries ---------------------------------------------------------------------------

def record(connection: sqlite3.Connection, record_id: int) -> Record | None:
    row = connection.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
    return Record.from_row(row) if row else None


def screenings(
    connection: sqlite3.Connection,
    *,
    limit: int = 50,
    query: str | None = None,
    actor: str | None = None,
    after_id: int | None = None,
) -> list[Record]:
    sql = "SELECT * FROM records WHERE kind = ?"
    params: list[Any] = [SCREENING]
    if query:
        sql += " AND (document_number LIKE ? OR person_name LIKE ?)"
        pattern = f"%{query.strip().upper()}%"
        params += [pattern, pattern]
    if actor:
        sql += " AND actor = ?"
        params.append(actor)
    if after_id is not None:
        sql += " AND id > ?"
        params.append(after_id)
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(limit)
    return [Record.from_row(row) for row in connection.execute(sql, params)]


def decisions_for(connection: sqlite3.Connection, screening_ids: Iterable[int]) -> dict[int, Record]:
    """The latest decision on each screening (a later decision supersedes, the earlier stays logged)."""
    ids = list(screening_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = connection.execute(
        f"SELECT * FROM records WHERE kind = ? AND ref IN ({marks}) ORDER BY id", [DECISION, *ids])
    return {row["ref"]: Record.from_row(row) for row in rows}


def records_of_kind(connection: sqlite3.Connection, kind: str, *, ref: int | None = None,
                    actor: str | None = None) -> list[Record]:
    sql = "SELECT * FROM records WHERE kind = ?"
    params: list[Any] = [kind]
    if ref is not None:
        sql += " AND ref = ?"
        params.append(ref)
    if actor is not None:
        sql += " AND actor = ?"
        params.append(actor)
    return [Record.from_row(row) for row in connection.execute(sql + " ORDER BY id", params)]


def screened_before(connection: sqlite3.Connection, digest: str, modified_ns: int) -> bool:
    """Whether this very file (same content, same modification time) was screened already."""
    row = connection.execute(
        "SELECT 1 FROM records WHERE kind = ? AND json_extract(payload, '$.source_sha256') = ?"
        " AND json_extract(payload, '$.source_mtime_ns') = ? LIMIT 1", (SCREENING, digest, modified_ns)).fetchone()
    return row is not None


# --- users ------------------------------------------------------------------------------

@dataclass(frozen=True)
class User:
    name: str
    role: str
    password_hash: str
    language: str
    failed_logins: int
    locked_until: str | None
    disabled: bool = False
    session_epoch: int = 0

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "User":
        return cls(row["name"], row["role"], row["password_hash"], row["language"], row["failed_logins"],
                   row["locked_until"], bool(row["disabled"]), row["session_epoch"])


def user(connection: sqlite3.Connection, name: str) -> User | None:
    row = connection.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    return User.from_row(row) if row else None


def users(connection: sqlite3.Connection) -> list[User]:
    return [User.from_row(row) for row in connection.execute("SELECT * FROM users ORDER BY name")]


def add_user(connection: sqlite3.Connection, name: str, role: str, password_hash: str, language: str = "en") -> None:
    connection.execute(
        "INSERT INTO users (name, role, password_hash, language, created_at) VALUES (?, ?, ?, ?, ?)",
        (name, role, password_hash, language, now_iso()))


def end_sessions(connection: sqlite3.Connection, name: str) -> None:
    connection.execute("UPDATE users SET session_epoch = session_epoch + 1 WHERE name = ?", (name,))


def reserve_attempt(connection: sqlite3.Connection, name: str, limit: int, lock_for: dt.timedelta) -> bool:
    """Count a sign-in attempt before its password is checked; False when the account is locked.

    One transaction under SQLite's write lock reads and bumps the counter, so parallel guesses
    are counted one by one: the attempt that reaches ``limit`` locks the account, and no guess
    after it gets its password checked. A right password then clears the count (``clear_attempts``).
    """
    now = dt.datetime.now(dt.timezone.utc)
    connection.execute("BEGIN IMMEDIATE")
    try:
        row = connection.execute("SELECT failed_logins, locked_until FROM users WHERE name = ?", (name,)).fetchone()
        if row is None:
            connection.execute("COMMIT")
            return True
        if row["locked_until"] and dt.datetime.fromisoformat(row["locked_until"]) > now:
            connection.execute("COMMIT")
            return False
        attempts = row["failed_logins"] + 1
        locked_until = (now + lock_for).isoformat() if attempts >= limit else None
        connection.execute("UPDATE users SET failed_logins = ?, locked_until = ? WHERE name = ?",
                           (0 if locked_until else attempts, locked_until, name))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return True


def clear_attempts(connection: sqlite3.Connection, name: str) -> None:
    connection.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = ?", (name,))


def set_user_fields(connection: sqlite3.Connection, name: str, **values: Any) -> None:
    allowed = {"role", "password_hash", "language", "failed_logins", "locked_until", "disabled"}
    assert set(values) <= allowed, values
    assignments = ", ".join(f"{column} = :{column}" for column in values)
    connection.execute(f"UPDATE users SET {assignments} WHERE name = :name", {**values, "name": name})
