"""The log key: the secret that seals the kiosk's hash chain, kept outside the data folder.

A plain SHA-256 chain can be recomputed by anyone who can write the database: rewrite a
verdict, recompute every later hash and ``log.head``, and the chain checks again. So every
record written since the chain was keyed carries a seal, HMAC-SHA256 under this key of its
chain hash (which covers every record before it), and ``log.head`` is sealed too; without the
key nobody can write a record, or a shortened log's head, that checks.

Where the key lives: ``--log-key FILE`` or ``$SCREENING_KIOSK_LOG_KEY``, else ``DIR.log-key``
beside the data folder ``DIR`` (``/srv/kiosk`` -> ``/srv/kiosk.log-key``), mode 0600; never
inside it, so that the data folder, its backups and copies of its database do not carry it. Its
location is never read from the data folder (someone who rewrote the log could point it at a
key of their own). The key file also holds the record from which the chain is keyed: someone who
strips the keying from the database cannot make the records after it pass as unkeyed ones.

What it cannot do is written in docs/kiosk.md: whoever can read the key (the account that runs
the kiosk, an administrator, root) can forge a sealed log; only a head anchored outside the PC
(``SignedHead``, in every history export and printed by ``screening kiosk head``) still shows
what was there when it was taken.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KEY_ENV = "SCREENING_KIOSK_LOG_KEY"
KEY_SUFFIX = ".log-key"
KEY_FORMAT = "screening.kiosk-log-key/v1"
HEAD_FORMAT = "screening.kiosk-signed-head/v1"
# Each kind of sealed message under its own label, so a seal made for one never checks as another
# (a record's seal is not a head's seal for the same hash).
RECORD, HEAD, ANCHOR, FINGERPRINT = "record", "log.head", "signed-head", "fingerprint"


class LogKeyError(RuntimeError):
    """The log key is missing, unreadable, or not this log's; the message says which and what to do."""


@dataclass(frozen=True)
class LogKey:
    path: Path
    secret: bytes
    keyed_from: int  # the first record sealed with this key

    def seal(self, label: str, message: str) -> str:
        return hmac.new(self.secret, f"{label}\0{message}".encode("utf-8"), hashlib.sha256).hexdigest()

    def checks(self, label: str, message: str, seal: str | None) -> bool:
        return seal is not None and hmac.compare_digest(self.seal(label, message), seal)

    @property
    def fingerprint(self) -> str:
        """Names the key without revealing it (kept in the database: a wrong key is then told apart)."""
        return self.seal(FINGERPRINT, "")[:16]


def key_path(data_dir: Path) -> Path:
    """Where the log key of ``data_dir`` is: $SCREENING_KIOSK_LOG_KEY, else DIR.log-key beside it."""
    data_dir = data_dir.resolve()
    chosen = os.environ.get(KEY_ENV)
    if not chosen:
        return data_dir.with_name(data_dir.name + KEY_SUFFIX)
    path = Path(chosen).expanduser().resolve()
    if path.is_relative_to(data_dir):
        raise LogKeyError(f"the log key {path} is inside the data folder, where every backup and copy of the "
                          f"folder would carry it: keep it outside {data_dir}")
    return path


def read_key(path: Path) -> LogKey:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LogKeyError(f"the log key {path} is missing") from None
    except OSError as error:
        raise LogKeyError(f"cannot read the log key {path}: {error.strerror}") from None
    try:
        data = json.loads(text)
        if data.get("format") != KEY_FORMAT:
            raise ValueError(data.get("format"))
        return LogKey(path, bytes.fromhex(data["secret"]), int(data["keyed_from"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        raise LogKeyError(f"{path} is not a kiosk log key") from None


def create_key(path: Path, keyed_from: int) -> LogKey:
    """A new random key in a new file only this account may read (never over an existing one)."""
    key = LogKey(path, secrets.token_bytes(32), keyed_from)
    content = json.dumps({"format": KEY_FORMAT, "secret": key.secret.hex(), "keyed_from": keyed_from}) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise LogKeyError(f"cannot write the log key {path}: {error.strerror} (give --log-key FILE, or "
                          f"{KEY_ENV}, a place this account may write outside the data folder)") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return key


@dataclass(frozen=True)
class SignedHead:
    """The log's last record as it was at one moment, sealed: kept off the PC, it later shows
    whether the log still holds, unchanged, every record up to it."""

    post: str
    record: int  # the last record's id (0: an empty log)
    hash: str  # its chain hash, which covers every record before it
    at: str  # when the head was taken (UTC)
    seal: str

    @staticmethod
    def message(post: str, record: int, chain_hash: str, at: str) -> str:
        return json.dumps([post, record, chain_hash, at], ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def sign(cls, key: LogKey, post: str, record: int, chain_hash: str, at: str) -> "SignedHead":
        return cls(post, record, chain_hash, at, key.seal(ANCHOR, cls.message(post, record, chain_hash, at)))

    def checks_with(self, key: LogKey) -> bool:
        return key.checks(ANCHOR, self.message(self.post, self.record, self.hash, self.at), self.seal)

    def to_mapping(self) -> dict[str, Any]:
        return {"format": HEAD_FORMAT, "post": self.post, "record": self.record, "hash": self.hash, "at": self.at,
                "seal": self.seal}

    @classmethod
    def from_mapping(cls, data: Any) -> "SignedHead":
        """Raises ValueError for anything that is not a signed head."""
        if not isinstance(data, dict) or data.get("format") != HEAD_FORMAT:
            raise ValueError("not a signed head")
        try:
            head = cls(str(data["post"]), int(data["record"]), str(data["hash"]), str(data["at"]), str(data["seal"]))
        except (KeyError, TypeError) as error:
            raise ValueError(f"not a signed head: {error}") from None
        if head.record < 0:
            raise ValueError("not a signed head: a negative record")
        return head
