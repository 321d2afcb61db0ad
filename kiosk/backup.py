"""A consistent copy of a kiosk's data folder, taken while the kiosk runs.

Copying a live SQLite file in WAL mode can catch the database between its main file and its
write-ahead log; SQLite's online backup copies a consistent snapshot page by page instead.
The other files are small and written whole. A manifest lists every file with its SHA-256, and
the copied log is verified before the backup counts as made.

The log key is not copied: it lives outside the data folder so that a copy of the folder cannot
reseal a rewritten log (kiosk/logkey.py). Keep a copy of the key apart from the backups; the
manifest names it by its fingerprint, and a restored kiosk needs it back beside its new folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk import db, logkey
from kiosk.config import CONFIG_NAME, SECRET_NAME, WATCHLIST_NAME
from screening.chip.trust import STORE_NAME as TRUST_STORE_NAME

MANIFEST_NAME = "backup-manifest.json"
DATABASES = (db.DB_NAME, WATCHLIST_NAME, TRUST_STORE_NAME)  # the chip trust store, once imported
PLAIN_FILES = (CONFIG_NAME, SECRET_NAME, db.HEAD_NAME)


class BackupError(RuntimeError):
    """The backup could not be made, or the copy does not check."""


@dataclass(frozen=True)
class BackupReport:
    folder: Path
    files: int
    records: int  # log records in the copy, every hash link checked
    key_needed: Path | None = None  # restored: where the log key must be put (backups do not carry it)


def backup(data_dir: Path, out: Path, *, images: bool = False) -> BackupReport:
    """Copy ``data_dir`` into the new folder ``out`` (which must not exist yet)."""
    if not (data_dir / db.DB_NAME).is_file():
        raise BackupError(f"no kiosk database in {data_dir}")
    if out.exists():
        raise BackupError(f"{out} already exists: give a new folder")
    out.mkdir(parents=True)
    # The head file first: a record appended during the copy is then in the database copy but past
    # the copied head, which the chain check accepts (the head records the last record it saw).
    for name in PLAIN_FILES:
        if (data_dir / name).is_file():
            shutil.copy2(data_dir / name, out / name)
    for name in DATABASES:
        if (data_dir / name).is_file():
            _copy_database(data_dir / name, out / name)
    if images and (data_dir / "images").is_dir():
        shutil.copytree(data_dir / "images", out / "images")
    connection = db.connect(out / db.DB_NAME, key_file=logkey.key_path(data_dir))  # the kiosk's own key
    try:
        report = db.verify_chain(connection, out / db.HEAD_NAME if (out / db.HEAD_NAME).exists() else None)
        keyed = db.keying(connection)
    finally:
        connection.close()
    if not report.ok:
        raise BackupError(f"the copied log does not check: {report.problem}")
    files = sorted(p for p in out.rglob("*") if p.is_file() and not p.name.endswith(("-wal", "-shm")))
    manifest = {
        "made_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source": str(data_dir),
        "schema_version": db.SCHEMA_VERSION,
        "log_records": report.records,
        # Which key seals the log (not the key: that is kept apart from backups).
        "log_key": {"keyed_from": keyed.keyed_from, "fingerprint": keyed.fingerprint} if keyed else None,
        "files": {p.relative_to(out).as_posix(): _sha256(p) for p in files},
    }
    (out / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupReport(out, len(files), report.records)


def _copy_database(source: Path, target: Path) -> None:
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        origin.backup(copy)
        # The copy stands alone: one file, no write-ahead log beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
        origin.close()


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def restore(backup_dir: Path, data_dir: Path) -> BackupReport:
    """Check a backup against its manifest and copy it into ``data_dir`` (new or empty)."""
    manifest_path = backup_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        raise BackupError(f"{backup_dir} is not a kiosk backup (no {MANIFEST_NAME})")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, digest in manifest["files"].items():
        path = backup_dir / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{name} in the backup is missing or changed since the backup was made")
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(f"{data_dir} is not empty: restore into a new folder")
    shutil.copytree(backup_dir, data_dir, dirs_exist_ok=True, ignore=shutil.ignore_patterns(MANIFEST_NAME))
    db.initialise(data_dir / db.DB_NAME)  # a backup of an older kiosk is brought to this schema (and keyed)
    key_file = logkey.key_path(data_dir)
    return BackupReport(data_dir, len(manifest["files"]), manifest["log_records"],
                        None if key_file.exists() else key_file)
