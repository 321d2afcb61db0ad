"""The kiosk's settings: one JSON file in the data directory, written with defaults on first run.

The officer's PC is the only place the kiosk runs, so settings live beside the database
(``DIR/config.json``) rather than in environment variables a checkpoint cannot manage.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from screening import lights

CONFIG_NAME = "config.json"
SECRET_NAME = "secret_key"
WATCHLIST_NAME = "watchlist.sqlite"


@dataclass(frozen=True)
class KioskConfig:
    hot_folder: str | None = None
    # Network shares do not deliver file-system events: poll them instead.
    hot_folder_polling: bool = False
    # A scanner writes a page in several steps; a file counts as finished once its size
    # has not changed for this long.
    hot_folder_settle_seconds: float = 0.15
    # Pages captured under white, infrared and ultraviolet light (docs/lights.md): how long an
    # incomplete set waits for its other images after the last one arrived, and the name patterns
    # (regular expressions with the groups ``stem`` and ``light``; None: the library's defaults).
    light_set_timeout_seconds: float = lights.DEFAULT_TIMEOUT_S
    light_name_patterns: tuple[str, ...] | None = None
    purge_images_after_days: int = 30
    session_idle_minutes: int = 60
    lockout_attempts: int = 5
    lockout_minutes: int = 15
    max_upload_mb: int = 40
    scanner_device: str | None = None
    scanner_resolution_dpi: int = 300
    training_sets: tuple[str, ...] = field(default_factory=tuple)
    engine: str = "ocrb"
    # How this kiosk is named in history gathered from many posts (default: the PC's name).
    post_name: str | None = None
    # The e-passport chip reader: a PC/SC reader's name (or part of it), "auto" for the first one,
    # None for none (the screen then says the chip was not read). Trust store: DIR/trust.sqlite.
    chip_reader: str | None = None

    @classmethod
    def from_mapping(cls, data: dict) -> "KioskConfig":
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        if "training_sets" in values:
            values["training_sets"] = tuple(values["training_sets"] or ())
        if values.get("light_name_patterns") is not None:
            values["light_name_patterns"] = tuple(values["light_name_patterns"])
        config = cls(**values)
        config.light_patterns()  # a pattern that is no regular expression is refused here, with its reason
        return config

    def light_patterns(self):
        """The light sets' name patterns (screening.lights.NamePattern): the configured ones or the defaults."""
        if self.light_name_patterns is None:
            return lights.DEFAULT_PATTERNS
        return tuple(lights.NamePattern(regex, "configured") for regex in self.light_name_patterns)

    def to_mapping(self) -> dict:
        data = asdict(self)
        data["training_sets"] = list(self.training_sets)
        if self.light_name_patterns is not None:
            data["light_name_patterns"] = list(self.light_name_patterns)
        return data


def load_config(data_dir: Path) -> KioskConfig:
    """The configuration in ``data_dir``; written with defaults when there is none yet."""
    path = data_dir / CONFIG_NAME
    if not path.exists():
        config = KioskConfig()
        save_config(data_dir, config)
        return config
    return KioskConfig.from_mapping(json.loads(path.read_text(encoding="utf-8")))


def save_config(data_dir: Path, config: KioskConfig) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / CONFIG_NAME).write_text(json.dumps(config.to_mapping(), indent=2) + "\n", encoding="utf-8")


def update_config(data_dir: Path, **changes) -> KioskConfig:
    config = replace(load_config(data_dir), **changes)
    save_config(data_dir, config)
    return config


# Personal data: only the account that runs the kiosk may read its folder and files.
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def protect_data_dir(data_dir: Path) -> None:
    """The data folder and the files at its top 0700/0600, also for folders made by older versions
    (on Windows the folder's ACLs apply instead and chmod changes nothing)."""
    data_dir.chmod(PRIVATE_DIR)
    for path in data_dir.iterdir():
        path.chmod(PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def secret_key(data_dir: Path) -> str:
    """The session-signing key, made once per installation and kept out of git with the data."""
    path = data_dir / SECRET_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        try:
            path.chmod(0o600)
        except OSError:  # Windows ACLs: the data directory's own permissions apply
            pass
    return path.read_text(encoding="utf-8").strip()
