"""Upgrades: a kiosk database left at any earlier schema version reaches this version's in place."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk import db


@pytest.mark.parametrize("version", range(db.SCHEMA_VERSION))
def test_a_database_at_every_earlier_version_is_upgraded(tmp_path, version):
    path = tmp_path / db.DB_NAME
    old = sqlite3.connect(path, isolation_level=None)
    old.executescript(db.SCHEMA)  # version 0, as the first release made it
    for statement in (s for step in db.MIGRATIONS[:version] for s in step.split(";") if s.strip()):
        old.execute(statement)
    old.execute(f"PRAGMA user_version = {version}")
    old.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES ('ayna', 'officer', 'x', 'now')")
    old.close()

    db.initialise(path)
    connection = db.connect(path)
    try:
        assert db.schema_version(connection) == db.SCHEMA_VERSION
        assert db.user(connection, "ayna").role == "officer"
        db.append(connection, db.LOGIN, {"via": "form"}, actor="ayna")
        assert db.verify_chain(connection).ok
        assert db.migrate(connection) == 0  # nothing left to do
    finally:
        connection.close()
