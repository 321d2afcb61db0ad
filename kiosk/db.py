"""The kiosk's SQLite database: users, and one append-only, hash-chained log of records.

Every screening, decision, login, export and training answer is a row of ``records``.
Each row's ``hash`` covers its own content and the previous row's hash, so editing,
inserting or deleting a row anywhere breaks the chain from there on (``verify_chain``);
a head file beside the database catches rows cut from the end. Triggers refuse UPDATE and
DELETE, so only someone who bypasses the application can change the log at all.

Anyone who can write the file can recompute a plain SHA-256 chain, though. Since schema version
3 the chain is keyed: each new row's ``seal`` is HMAC-SHA256 of its hash under the log key, which
lives outside the data folder (kiosk/logkey.py), and ``log.head`` is sealed too. Rows written
before the key stay plain and are checked as such; ``log_keying`` says from which row on the log
is sealed, and with which key (its fingerprint; never the key itself).

Connections are per thread (SQLite's rule); WAL lets the hot-folder thread write while
request threads read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from flask import current_app, g

from kiosk import logkey
from kiosk.logkey import LogKey, LogKeyError, SignedHead

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
TRUST_IMPORTED = "trust_imported"  # chip trust material imported into the data folder's store, or refused
USER_CHANGED = "user_changed"
CHIP = "chip"  # a chip read joining a screening (ref): the joined result, or why no read was made

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
    # 3: the chain keyed (kiosk/logkey.py): each record's seal, and the record from which the log is
    # sealed, with the key's fingerprint. ``key_the_log`` fills it in, after this step.
    "ALTER TABLE records ADD COLUMN seal TEXT;"
    "CREATE TABLE IF NOT EXISTS log_keying (keyed_from INTEGER NOT NULL, fingerprint TEXT NOT NULL);",
)
KEYED_SCHEMA = 3
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
    keyed_from: int | None = None  # the first record sealed with the log key; None: the log has no key yet
    key_problem: bool = False  # the log could not be checked: its key is missing, unreadable or another's


@dataclass(frozen=True)
class AnchorReport:
    """Whether the log still holds, unchanged, every record up to a signed head kept elsewhere."""

    ok: bool
    problem: str | None = None
    first_bad_id: int | None = None


@dataclass(frozen=True)
class Keying:
    keyed_from: int
    fingerprint: str


class LogConnection(sqlite3.Connection):
    """A connection that knows where its log's key is; the key is read when first needed."""

    key_file: Path
    _key: LogKey | None = None

    def log_key(self) -> LogKey:
        if self._key is None:
            self._key = logkey.read_key(self.key_file)
        return self._key


def connect(path: Path, key_file: Path | None = None) -> LogConnection:
    """A connection to the database at ``path``; its log key is ``key_file``, by default where
    ``logkey.key_path`` says for the database's folder."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False,
                                 factory=LogConnection)
    connection.key_file = key_file or logkey.key_path(Path(path).parent)
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
        key_the_log(connection)
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
    connection = connect(app.config["DATABASE"])
    try:
        sealing_key(connection)  # a missing or wrong key stops the kiosk now, not at its first record
    finally:
        connection.close()
    app.teardown_appcontext(close_db)


# --- the key ----------------------------------------------------------------------------

def keying(connection: sqlite3.Connection) -> Keying | None:
    """From which record on, and with which key, the log is sealed; None when it is not keyed."""
    if schema_version(connection) < KEYED_SCHEMA:
        return None
    row = connection.execute("SELECT keyed_from, fingerprint FROM log_keying ORDER BY rowid LIMIT 1").fetchone()
    return Keying(row[0], row[1]) if row else None


def key_the_log(connection: LogConnection) -> None:
    """Key a log that has no key yet: new records are sealed from the next one on.

    The key file is made (or, when it exists, kept: the database lost its keying, and the key
    still says where sealing began) under the write lock, so no record slips in between.
    """
    if schema_version(connection) < KEYED_SCHEMA:
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        if keying(connection) is None:
            last = connection.execute("SELECT COALESCE(MAX(id), 0) FROM records").fetchone()[0]
            if connection.key_file.exists():
                key = connection.log_key()
                if key.keyed_from > last + 1:
                    raise LogKeyError(
                        f"{key.path} seals a log from record {key.keyed_from} on, but this log ends at record "
                        f"{last}: records were cut from it, or the key is another kiosk's (a new kiosk needs a "
                        f"new key file: move that one away)")
            else:
                key = logkey.create_key(connection.key_file, last + 1)
            connection.execute("INSERT INTO log_keying (keyed_from, fingerprint) VALUES (?, ?)",
                               (key.keyed_from, key.fingerprint))
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def sealing_key(connection: LogConnection) -> LogKey | None:
    """The key new records are sealed with (None: the log is not keyed); LogKeyError when it is
    missing or is not this log's."""
    keyed = keying(connection)
    if keyed is None:
        return None
    try:
        key = connection.log_key()
    except LogKeyError as error:
        raise LogKeyError(f"{error}: this log is sealed with it from record {keyed.keyed_from} on (put it back "
                          f"from its safe copy, or give its place with --log-key FILE)") from None
    if key.fingerprint != keyed.fingerprint:
        raise LogKeyError(f"{key.path} is not this log's key (its fingerprint is {key.fingerprint}; the log was "
                          f"sealed with {keyed.fingerprint}): give the right one with --log-key FILE")
    return key


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
        key = sealing_key(connection)
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
        row = {**values, "prev_hash": prev_hash, "hash": digest}
        if schema_version(connection) >= KEYED_SCHEMA:
            row["seal"] = key.seal(logkey.RECORD, digest) if key else None
        connection.execute(f"INSERT INTO records ({', '.join(row)}) VALUES ({', '.join(':' + c for c in row)})", row)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    # The head only after the record is committed: a head ahead of the log reads as records cut
    # from its end, which a process killed between the two, or a backup copying the head while a
    # record was being written, would otherwise show. A head behind the log (another writer's
    # record committed in between) is what the chain check accepts.
    if head_path is not None:
        _write_head(head_path, values["id"], digest, key)
    return values["id"]


def _write_head(head_path: Path, record_id: int, digest: str, key: LogKey | None) -> None:
    line = f"{record_id} {digest}"
    if key is not None:  # sealed: a head for a shortened log cannot be written without the key
        line += " " + key.seal(logkey.HEAD, line)
    # A name of its own per writer: heads are written outside the database's lock now.
    temporary = head_path.with_name(f"{head_path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    temporary.write_text(line + "\n", encoding="ascii")
    temporary.replace(head_path)


def verify_chain(connection: LogConnection, head_path: Path | None = None) -> ChainReport:
    """Recompute every hash and check every seal; report the first row where the log was changed."""
    try:
        key, keyed_from, problem = _checking_key(connection)
    except LogKeyError as error:
        return ChainReport(False, 0, str(error), key_problem=True)
    if problem is not None:
        return ChainReport(False, 0, problem, keyed_from, keyed_from)
    head = _read_head(head_path)
    if isinstance(head, str):
        return ChainReport(False, 0, head, None, keyed_from)
    prev_hash = GENESIS
    expected_id = 1
    count = 0
    head_row_hash = None
    for row in connection.execute("SELECT * FROM records ORDER BY id"):
        values = {c: row[c] for c in HASHED_COLUMNS}
        if row["id"] != expected_id:
            return ChainReport(False, count, f"record {expected_id} is missing (next is {row['id']})", expected_id,
                               keyed_from)
        if row["prev_hash"] != prev_hash:
            return ChainReport(False, count, f"record {row['id']} does not follow the record before it", row["id"],
                               keyed_from)
        if row_hash(prev_hash, values) != row["hash"]:
            return ChainReport(False, count, f"record {row['id']} was changed after it was written", row["id"],
                               keyed_from)
        if keyed_from is not None and row["id"] >= keyed_from:
            seal = row["seal"] if "seal" in row.keys() else None
            if not key.checks(logkey.RECORD, row["hash"], seal):
                return ChainReport(False, count, f"record {row['id']} is not sealed with the log key: it was changed "
                                   f"or written by someone without the key", row["id"], keyed_from)
        if head is not None and row["id"] == head[0]:
            head_row_hash = row["hash"]
        prev_hash = row["hash"]
        expected_id += 1
        count += 1
    if keyed_from is not None and keyed_from > count + 1:
        return ChainReport(False, count, f"the log key seals records from {keyed_from} on, but the log ends at "
                           f"record {count}: records were removed from the end", count + 1, keyed_from)
    sealed_records = keyed_from is not None and count >= keyed_from
    if head is None:
        if head_path is not None and sealed_records:
            return ChainReport(False, count, f"{head_path.name} is missing, so records cut from the end would not "
                               f"show: verify against a signed head kept off this PC (--against)", None, keyed_from)
        return ChainReport(True, count, keyed_from=keyed_from)
    head_id, head_hash, head_seal = head
    if keyed_from is not None and head_id >= keyed_from and not key.checks(logkey.HEAD, f"{head_id} {head_hash}",
                                                                          head_seal):
        return ChainReport(False, count, f"{head_path.name} was written by someone without the log key", None,
                           keyed_from)
    if head_id > count:
        return ChainReport(False, count, f"records {count + 1} to {head_id} were removed from the end", count + 1,
                           keyed_from)
    if head_row_hash is not None and head_row_hash != head_hash:
        return ChainReport(False, count, f"record {head_id} differs from the last one written", head_id, keyed_from)
    return ChainReport(True, count, keyed_from=keyed_from)


def _checking_key(connection: LogConnection) -> tuple[LogKey | None, int | None, str | None]:
    """The key to check seals with, the first sealed record, and a problem with the keying itself.

    The key file, not the database, says where sealing began: someone who strips the keying from
    the database (or winds its schema version back) does not turn sealed records into plain ones.
    """
    keyed = keying(connection)
    if keyed is None:
        if not connection.key_file.exists():
            return None, None, None  # never keyed: plain SHA-256 only
        key = connection.log_key()
        return key, key.keyed_from, None
    key = sealing_key(connection)
    if key.keyed_from != keyed.keyed_from:
        first = min(key.keyed_from, keyed.keyed_from)
        return key, first, (f"the log's keying was changed: its key seals it from record {key.keyed_from} on, the "
                            f"database says from {keyed.keyed_from}")
    return key, key.keyed_from, None


def _read_head(head_path: Path | None) -> tuple[int, str, str | None] | str | None:
    """log.head's record id, hash and seal; None when there is none; a sentence when it is damaged."""
    if head_path is None or not head_path.exists():
        return None
    parts = head_path.read_text(encoding="ascii", errors="replace").split()
    if len(parts) not in (2, 3) or not parts[0].isdigit():
        return f"{head_path.name} is damaged"
    return int(parts[0]), parts[1], parts[2] if len(parts) == 3 else None


def signed_head(connection: LogConnection, post: str) -> SignedHead:
    """The log's last record now, sealed with the log key: to be kept off this PC."""
    key = sealing_key(connection)
    if key is None:
        raise LogKeyError("this log has no key yet: start the kiosk once, or run verify-log, to key it")
    last = connection.execute("SELECT id, hash FROM records ORDER BY id DESC LIMIT 1").fetchone()
    return SignedHead.sign(key, post, last["id"] if last else 0, last["hash"] if last else GENESIS, now_iso())


def verify_against(connection: LogConnection, anchor: SignedHead,
                   exported: dict[int, str] | None = None) -> AnchorReport:
    """Whether the log still holds, unchanged, every record up to ``anchor``.

    The anchor's chain hash covers every record before it, so a record rewritten anywhere up to
    it, even with its hashes recomputed (even by someone holding the key), changes the hash the
    log has there; records cut from the end are missing, whether log.head was deleted or not.
    ``exported`` (an export's records' hashes) names the first record that differs.
    """
    try:
        key = sealing_key(connection)
    except LogKeyError as error:
        return AnchorReport(False, str(error))
    taken = f"the signed head of post {anchor.post}, record {anchor.record}, taken {anchor.at}"
    if key is None or not anchor.checks_with(key):
        return AnchorReport(False, f"{taken}, does not check with this log's key: it was edited, or it is another "
                                   f"kiosk's")
    if anchor.record == 0:
        return AnchorReport(True)
    row = connection.execute("SELECT hash FROM records WHERE id = ?", (anchor.record,)).fetchone()
    if row is None:
        last = connection.execute("SELECT COALESCE(MAX(id), 0) FROM records").fetchone()[0]
        return AnchorReport(False, f"record {anchor.record} is gone ({taken}): the log now ends at record {last}, "
                                   f"records were cut from the end", last + 1)
    if row["hash"] == anchor.hash:
        return AnchorReport(True)
    first = None
    for record_id in sorted(exported or {}):
        stored = connection.execute("SELECT hash FROM records WHERE id = ?", (record_id,)).fetchone()
        if stored is None or stored["hash"] != exported[record_id]:
            first = record_id
            break
    where = f"record {first} differs from the exported one" if first else "records up to it were rewritten"
    return AnchorReport(False, f"the log up to record {anchor.record} is not the one of {taken}: {where}", first)


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


def chip_reads_for(connection: sqlite3.Connection, screening_ids: Iterable[int]) -> dict[int, Record]:
    """The newest chip record of each screening (a read again later supersedes; the earlier stays logged)."""
    ids = list(screening_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = connection.execute(
        f"SELECT * FROM records WHERE kind = ? AND ref IN ({marks}) ORDER BY id", [CHIP, *ids])
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
    if row is None:
        # Any image of a page screened under several lights (Intake.screen_set).
        row = connection.execute(
            "SELECT 1 FROM records, json_each(records.payload, '$.light_images') AS light WHERE records.kind = ?"
            " AND json_extract(light.value, '$.sha256') = ? AND json_extract(light.value, '$.mtime_ns') = ? LIMIT 1",
            (SCREENING, digest, modified_ns)).fetchone()
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
