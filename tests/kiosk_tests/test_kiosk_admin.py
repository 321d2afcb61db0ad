"""Running many posts: schema upgrades, account changes, demo accounts, backups of a live kiosk."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import pytest

from kiosk_helpers import PASSWORDS, login, post, records


def test_a_database_from_before_schema_versions_is_upgraded_in_place(tmp_path):
    from kiosk import db

    path = tmp_path / "kiosk.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(db.SCHEMA)  # version 0: as the first release made it
    old.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES ('ayna', 'officer', 'x', 'now')")
    old.commit()
    old.close()
    connection = db.connect(path)
    db.append(connection, db.LOGIN, {"via": "form"}, actor="ayna")
    connection.close()

    db.initialise(path)
    connection = db.connect(path)
    try:
        assert db.schema_version(connection) == db.SCHEMA_VERSION >= 1
        assert db.user(connection, "ayna").disabled is False
        assert db.verify_chain(connection).ok
        assert db.keying(connection).keyed_from == 2  # the record written before the key stays plain
        assert db.migrate(connection) == 0  # nothing left to do
    finally:
        connection.close()


def test_a_database_from_a_newer_kiosk_is_refused(tmp_path):
    from kiosk import db

    path = tmp_path / "kiosk.sqlite3"
    db.initialise(path)
    connection = db.connect(path)
    connection.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(db.NewerSchemaError):
        db.initialise(path)


def test_an_administrator_disables_enables_and_resets_accounts(app, client, as_role):
    from kiosk import create_app

    officer_client = create_app({"DATA_DIR": app.config["DATABASE"].parent, "TESTING": True}).test_client()
    assert login(officer_client, "officer").status_code == 302
    admin = as_role("admin")
    post(admin, "/users", {"action": "disable", "username": "officer"})
    assert "disabled" in admin.get("/users").get_data(as_text=True)
    # The open session ends at its next request, and the password no longer signs in.
    assert officer_client.get("/screen/").status_code == 302
    refused = login(officer_client, "officer")
    assert refused.status_code == 200 and "disabled" in refused.get_data(as_text=True)

    post(admin, "/users", {"action": "enable", "username": "officer"})
    post(admin, "/users", {"action": "password", "username": "officer", "password": "a-new-password"})
    assert login(officer_client, "officer").status_code == 200  # the old password is gone
    assert login(officer_client, "officer", "a-new-password").status_code == 302
    post(admin, "/users", {"action": "role", "username": "officer", "role": "supervisor"})
    changes = [r.payload for r in records(app, "user_changed")]
    assert changes == [{"user": "officer", "changed": ["disabled"], "disabled": True},
                       {"user": "officer", "changed": ["disabled"], "disabled": False},
                       {"user": "officer", "changed": ["password"]},
                       {"user": "officer", "changed": ["role"], "role": "supervisor"}]
    logged = json.dumps([r.payload for r in records(app)])
    assert "a-new-password" not in logged and "pbkdf2" not in logged and "scrypt" not in logged


def test_the_last_administrator_and_ones_own_account_are_protected(app, as_role):
    from kiosk import db
    from kiosk.auth import UserError, change_user

    admin = as_role("admin")
    post(admin, "/users", {"action": "disable", "username": "admin"})
    assert "cannot disable your own account" in admin.get("/users").get_data(as_text=True)
    connection = db.connect(app.config["DATABASE"])
    try:
        with pytest.raises(UserError, match="last active administrator"):
            change_user(connection, "admin", actor="test", head_path=None, role="officer")
        with pytest.raises(UserError, match="no user named"):
            change_user(connection, "nobody", actor="test", head_path=None, disabled=True)
    finally:
        connection.close()


def test_command_line_account_changes(data_dir):
    cli = [sys.executable, "-m", "screening.cli", "kiosk"]
    reset = subprocess.run([*cli, "set-password", "officer", "--password-stdin", "--data", str(data_dir)],
                           input="another-password\n", capture_output=True, text=True, timeout=60)
    assert reset.returncode == 0, reset.stderr
    off = subprocess.run([*cli, "disable-user", "officer", "--data", str(data_dir)], capture_output=True, text=True,
                         timeout=60)
    assert off.returncode == 0, off.stderr
    short = subprocess.run([*cli, "set-password", "trainer", "--password-stdin", "--data", str(data_dir)],
                           input="short\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 2 and "at least 8" in short.stderr
    from kiosk import db

    connection = db.connect(data_dir / db.DB_NAME)
    try:
        assert db.user(connection, "officer").disabled
    finally:
        connection.close()


def test_demo_accounts_are_disabled_when_the_kiosk_serves_for_real(tmp_path):
    from kiosk import create_app, db
    from kiosk.auth import change_user
    from kiosk.cli import disable_demo_accounts, set_up_demo

    app = create_app({"DATA_DIR": tmp_path / "kiosk", "TESTING": True})
    set_up_demo(app)
    connection = db.connect(app.config["DATABASE"])
    change_user(connection, "trainer", actor="test", head_path=None, password="not-the-published-one")
    connection.close()
    assert sorted(disable_demo_accounts(app)) == ["admin", "officer", "supervisor"]
    client = app.test_client()
    assert login(client, "officer", "officer-demo").status_code == 200
    assert login(client, "trainer", "not-the-published-one").status_code == 302


def test_a_backup_taken_while_the_kiosk_writes_is_consistent_and_restores(tmp_path, data_dir):
    import shutil

    from kiosk import db, logkey
    from kiosk.backup import BackupError, backup, restore

    stop = threading.Event()

    def keep_writing():
        connection = db.connect(data_dir / db.DB_NAME)
        while not stop.is_set():
            db.append(connection, db.LOGIN, {"via": "form"}, actor="officer", head_path=data_dir / db.HEAD_NAME)
        connection.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        report = backup(data_dir, tmp_path / "backup")
    finally:
        stop.set()
        writer.join()
    assert report.records > 0
    assert not (tmp_path / "backup" / logkey.key_path(data_dir).name).exists()  # backups never carry the key
    restored = restore(tmp_path / "backup", tmp_path / "restored")
    assert restored.key_needed == logkey.key_path(restored.folder)
    connection = db.connect(restored.folder / db.DB_NAME)
    try:
        unchecked = db.verify_chain(connection, restored.folder / db.HEAD_NAME)
        assert unchecked.key_problem and "is missing" in unchecked.problem
    finally:
        connection.close()
    shutil.copy2(logkey.key_path(data_dir), restored.key_needed)  # what the restore's message asks for
    connection = db.connect(restored.folder / db.DB_NAME)
    try:
        assert db.verify_chain(connection, restored.folder / db.HEAD_NAME).ok
        assert db.user(connection, "admin") is not None
    finally:
        connection.close()

    with open(tmp_path / "backup" / "kiosk.sqlite3", "ab") as copy:
        copy.write(b"\0")
    with pytest.raises(BackupError, match="changed since the backup"):
        restore(tmp_path / "backup", tmp_path / "again")
    with pytest.raises(BackupError, match="already exists"):
        backup(data_dir, tmp_path / "backup")


def test_history_from_two_posts_is_gathered_with_every_link_checked(tmp_path, data_dir):
    import shutil

    from kiosk import db, logkey
    from kiosk.gather import export_history, gather

    other = tmp_path / "post-b"
    shutil.copytree(data_dir, other)
    shutil.copy2(logkey.key_path(data_dir), logkey.key_path(other))
    for folder in (data_dir, other):
        connection = db.connect(folder / db.DB_NAME)
        db.append(connection, db.LOGIN, {"via": "form"}, actor="officer", head_path=folder / db.HEAD_NAME)
        connection.close()
    central = tmp_path / "central.sqlite"
    first = export_history(data_dir, tmp_path / "a-1.jsonl", post="post-a")
    gathered = gather(central, first.file)
    assert gathered.added == first.records and not gathered.problems
    assert gather(central, first.file).present == first.records  # again: nothing new, nothing wrong

    connection = db.connect(data_dir / db.DB_NAME)
    db.append(connection, db.LOGOUT, {}, actor="officer", head_path=data_dir / db.HEAD_NAME)
    connection.close()
    more = export_history(data_dir, tmp_path / "a-2.jsonl", post="post-a", after=first.last_id)
    assert more.first_id == first.last_id + 1
    assert gather(central, more.file).problems == []
    b = export_history(other, tmp_path / "b.jsonl", post="post-b")
    assert gather(central, b.file).problems == []
    rows = sqlite3.connect(central).execute("SELECT post, COUNT(*) FROM records GROUP BY post").fetchall()
    assert dict(rows) == {"post-a": first.records + more.records, "post-b": b.records}

    # A record edited in transit is refused; a later export without the one before shows the gap.
    lines = (tmp_path / "b.jsonl").read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[2])
    edited["actor"] = "someone-else"
    (tmp_path / "bad.jsonl").write_text("\n".join([lines[0].replace("post-b", "post-c"), json.dumps(edited)]) + "\n",
                                        encoding="utf-8")
    assert "was changed after it was written" in gather(central, tmp_path / "bad.jsonl").problems[0]
    (tmp_path / "gap.jsonl").write_text("\n".join([lines[0].replace("post-b", "post-d"), lines[3]]) + "\n",
                                        encoding="utf-8")
    assert "gap in the chain" in gather(central, tmp_path / "gap.jsonl").problems[0]


def test_gather_from_the_command_line(tmp_path, data_dir):
    cli = [sys.executable, "-m", "screening.cli", "kiosk"]
    out = tmp_path / "post.jsonl"
    exported = subprocess.run([*cli, "export-history", "--data", str(data_dir), "--out", str(out)],
                              capture_output=True, text=True, timeout=60)
    assert exported.returncode == 0 and "--after" in exported.stdout, exported.stderr
    merged = subprocess.run([*cli, "gather", "--into", str(tmp_path / "c.sqlite"), str(out), str(tmp_path / "x")],
                            capture_output=True, text=True, timeout=60)
    assert merged.returncode == 1 and "records added" in merged.stdout
