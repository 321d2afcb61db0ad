"""The keyed log: seals that need the log key, a key outside the data folder, and heads kept off
the PC (exports and `screening kiosk head`) that `verify-log --against` checks."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from kiosk_helpers import TD3_BAD_BIRTH_CHECK, login, post, records


@pytest.fixture
def kiosk_cli(monkeypatch, capsys):
    """`screening kiosk ...` in this process: (exit status, standard output, standard error)."""
    from kiosk import cli, logkey

    monkeypatch.setenv(logkey.KEY_ENV, "")  # --log-key sets it for the process: undone after the test

    def run(*argv):
        status = cli.main([str(a) for a in argv])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def _screen_and_decide(app, client):
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    screening = records(app, "screening")[-1]
    post(client, f"/screen/{screening.id}/decision", {"decision": "admit"})
    return screening.id


def _rewrite(database, sql, head_path, key=None):
    """What someone who can write the files does: change rows, then recompute every hash after them
    (plain SHA-256, or sealed when they hold the key) and log.head, so that each link checks."""
    from kiosk import db, logkey

    connection = sqlite3.connect(database)
    connection.row_factory = sqlite3.Row
    connection.executescript("DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;" + sql)
    prev_hash, last = db.GENESIS, None
    for row in connection.execute("SELECT * FROM records ORDER BY id").fetchall():
        digest = db.row_hash(prev_hash, {c: row[c] for c in db.HASHED_COLUMNS})
        seal = key.seal(logkey.RECORD, digest) if key else row["seal"]
        connection.execute("UPDATE records SET prev_hash = ?, hash = ?, seal = ? WHERE id = ?",
                           (prev_hash, digest, seal, row["id"]))
        prev_hash, last = digest, row["id"]
    connection.commit()
    connection.close()
    if head_path is not None:
        line = f"{last} {prev_hash}"
        head_path.write_text(line + (" " + key.seal(logkey.HEAD, line) if key else "") + "\n", encoding="ascii")


def test_the_key_is_made_beside_the_data_folder_private_and_every_record_is_sealed(data_dir, app, as_role,
                                                                                   kiosk_cli):
    from kiosk import db, logkey

    _screen_and_decide(app, as_role("officer"))
    key_file = logkey.key_path(data_dir)
    assert key_file.parent == data_dir.parent and key_file.name == "data.log-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    secret = logkey.read_key(key_file).secret.hex()
    for path in data_dir.rglob("*"):  # nothing in the data folder holds the key
        assert not path.is_file() or secret.encode() not in path.read_bytes(), path
    connection = db.connect(data_dir / db.DB_NAME)
    try:
        assert all(row["seal"] for row in connection.execute("SELECT seal FROM records"))
    finally:
        connection.close()
    assert len((data_dir / db.HEAD_NAME).read_text().split()) == 3  # log.head is sealed too
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir)
    assert status == 0 and "every record is sealed with the log key" in out
    inside = kiosk_cli("verify-log", "--data", data_dir, "--log-key", data_dir / "log.key")
    assert inside[0] == 2 and "inside the data folder" in inside[2]
    from kiosk import cli

    assert (cli.LOG_KEY_ENV, cli.LOG_KEY_SUFFIX) == (logkey.KEY_ENV, logkey.KEY_SUFFIX)  # written twice: kept equal


@pytest.mark.parametrize("strip_keying", [False, True])
def test_a_verdict_rewritten_with_the_chain_recomputed_without_the_key_is_detected(data_dir, app, as_role, kiosk_cli,
                                                                                  strip_keying):
    from kiosk import db

    screening_id = _screen_and_decide(app, as_role("officer"))
    assert kiosk_cli("verify-log", "--data", data_dir)[0] == 0
    # Also wind the database back to before the key, as if its records had never been sealed.
    strip = "DELETE FROM log_keying; PRAGMA user_version = 2;" if strip_keying else ""
    _rewrite(app.config["DATABASE"], f"UPDATE records SET verdict = 'clear' WHERE id = {screening_id};" + strip,
             data_dir / db.HEAD_NAME)
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir)
    assert status == 1, out
    assert f"LOG CHANGED: record {screening_id} is not sealed with the log key" in out


def test_log_head_deleted_and_the_tail_cut_is_detected_against_an_export_and_a_head(data_dir, app, as_role,
                                                                                   kiosk_cli, tmp_path):
    from kiosk import db

    client = as_role("officer")
    _screen_and_decide(app, client)
    export = tmp_path / "post.jsonl"
    assert kiosk_cli("export-history", "--data", data_dir, "--out", export)[0] == 0
    status, head_line, _ = kiosk_cli("head", "--data", data_dir, "--out", tmp_path / "head.json")
    assert status == 0 and json.loads(head_line)["seal"] == json.loads((tmp_path / "head.json").read_text())["seal"]
    anchored = json.loads(export.read_text().splitlines()[0])["head"]["record"]
    _screen_and_decide(app, client)  # more records after the export
    assert kiosk_cli("verify-log", "--data", data_dir, "--against", export)[0] == 0
    # Cut back to before the export's last record, and remove the head that would show it.
    _rewrite(app.config["DATABASE"], f"DELETE FROM records WHERE id >= {anchored - 1};", None)
    (data_dir / db.HEAD_NAME).unlink()
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir)
    assert status == 1 and "log.head is missing" in out
    for anchor, record in ((export, anchored), (tmp_path / "head.json", anchored + 1)):  # + the export's own record
        status, out, _ = kiosk_cli("verify-log", "--data", data_dir, "--against", anchor)
        assert status == 1 and f"LOG CHANGED since {anchor}: record {record} is gone" in out, out


def test_a_holder_of_the_key_can_reseal_the_log_but_not_the_heads_kept_off_the_pc(data_dir, app, as_role, kiosk_cli,
                                                                               tmp_path):
    from kiosk import db, logkey

    screening_id = _screen_and_decide(app, as_role("officer"))
    export = tmp_path / "post.jsonl"
    kiosk_cli("export-history", "--data", data_dir, "--out", export)
    key = logkey.read_key(logkey.key_path(data_dir))
    _rewrite(app.config["DATABASE"], f"UPDATE records SET verdict = 'clear' WHERE id = {screening_id};",
             data_dir / db.HEAD_NAME, key=key)
    assert kiosk_cli("verify-log", "--data", data_dir)[0] == 0  # the limit docs/kiosk.md states
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir, "--against", export)
    assert status == 1 and f"record {screening_id} differs from the exported one" in out, out


def test_a_missing_or_wrong_key_says_so_and_the_kiosk_does_not_start(data_dir, tmp_path, kiosk_cli, monkeypatch):
    from kiosk import create_app, db, logkey

    other = tmp_path / "other"
    db.initialise(other / db.DB_NAME)  # another kiosk, with its own key
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir, "--log-key", logkey.key_path(other))
    assert status == 2 and "is not this log's key" in out and "fingerprint" in out
    monkeypatch.setenv(logkey.KEY_ENV, str(logkey.key_path(other)))
    with pytest.raises(logkey.LogKeyError, match="is not this log's key"):
        create_app({"DATA_DIR": data_dir, "TESTING": True})
    monkeypatch.setenv(logkey.KEY_ENV, "")
    logkey.key_path(data_dir).rename(tmp_path / "elsewhere.key")
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir)
    assert status == 2 and "LOG NOT CHECKED: the log key" in out and "is missing" in out
    with pytest.raises(logkey.LogKeyError, match="is missing"):  # never a new key for a sealed log
        create_app({"DATA_DIR": data_dir, "TESTING": True})
    assert not logkey.key_path(data_dir).exists()
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir, "--log-key", tmp_path / "elsewhere.key")
    assert status == 0, out


def test_a_database_of_schema_version_2_is_sealed_from_its_next_record(tmp_path, kiosk_cli):
    from kiosk import db

    data = tmp_path / "kiosk"
    data.mkdir()
    path = data / db.DB_NAME
    old = sqlite3.connect(path)
    old.executescript(db.SCHEMA + "".join(db.MIGRATIONS[:2]) + "PRAGMA user_version = 2;")
    old.close()
    connection = db.connect(path)
    for _ in range(3):  # as the kiosk of schema version 2 wrote them: plain SHA-256, an unsealed head
        db.append(connection, db.LOGIN, {"via": "form"}, actor="ayna", head_path=data / db.HEAD_NAME)
    connection.close()
    assert len((data / db.HEAD_NAME).read_text().split()) == 2
    assert kiosk_cli("verify-log", "--data", data)[1].endswith("(the kiosk keys it at its next start)\n")

    db.initialise(path)
    connection = db.connect(path)
    try:
        assert db.schema_version(connection) == db.SCHEMA_VERSION and db.keying(connection).keyed_from == 4
        assert db.verify_chain(connection, data / db.HEAD_NAME).ok  # the unsealed head of record 3 still checks
        db.append(connection, db.LOGOUT, {}, actor="ayna", head_path=data / db.HEAD_NAME)
        report = db.verify_chain(connection, data / db.HEAD_NAME)
        assert report.ok and report.keyed_from == 4 and report.records == 4
    finally:
        connection.close()
    status, out, _ = kiosk_cli("verify-log", "--data", data)
    assert status == 0 and "records from 4 on are sealed with the log key (the 3 before it" in out
    # A record from before the key, rewritten with the chain recomputed, breaks the first sealed one.
    _rewrite(path, "UPDATE records SET actor = 'someone' WHERE id = 2;", data / db.HEAD_NAME)
    status, out, _ = kiosk_cli("verify-log", "--data", data)
    assert status == 1 and "record 4 is not sealed with the log key" in out


def test_gathering_checks_an_export_against_its_signed_head(data_dir, tmp_path):
    from kiosk import db
    from kiosk.gather import export_history, gather

    exported = export_history(data_dir, tmp_path / "a.jsonl", post="post-a")
    lines = (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["head"]["record"] == exported.last_id and header["head"]["format"].startswith("screening.kiosk")
    assert gather(tmp_path / "c.sqlite", tmp_path / "a.jsonl").problems == []
    # The last record edited on the way, its hash recomputed: every link checks, the head does not.
    last = json.loads(lines[-1])
    last["actor"] = "someone-else"
    last["hash"] = db.row_hash(last["prev_hash"], last)
    (tmp_path / "b.jsonl").write_text("\n".join([lines[0].replace("post-a", "post-b"), *lines[1:-1],
                                                 json.dumps(last)]) + "\n", encoding="utf-8")
    problems = gather(tmp_path / "c.sqlite", tmp_path / "b.jsonl").problems
    assert problems == [f"record {exported.last_id} differs from the export's signed head"]


def test_a_backup_restored_elsewhere_checks_with_the_kiosks_key(data_dir, tmp_path, kiosk_cli):
    from kiosk import logkey

    assert kiosk_cli("backup", "--data", data_dir, "--out", tmp_path / "backup")[0] == 0
    manifest = json.loads((tmp_path / "backup" / "backup-manifest.json").read_text())
    assert manifest["log_key"]["fingerprint"] == logkey.read_key(logkey.key_path(data_dir)).fingerprint
    status, out, _ = kiosk_cli("restore", tmp_path / "backup", "--data", tmp_path / "new")
    assert status == 0 and f"copy the kiosk's log key to {tmp_path / 'new.log-key'}" in out
    assert kiosk_cli("verify-log", "--data", tmp_path / "new")[0] == 2
    shutil.copy2(logkey.key_path(data_dir), tmp_path / "key-from-the-safe")
    status, out, _ = kiosk_cli("verify-log", "--data", tmp_path / "new", "--log-key", tmp_path / "key-from-the-safe")
    assert status == 0 and "log intact" in out


def test_the_supervisors_verify_page_gives_a_signed_head_to_keep(data_dir, app, as_role, kiosk_cli, tmp_path):
    import html
    import re

    _screen_and_decide(app, as_role("officer"))
    client = app.test_client()
    login(client, "supervisor")
    page = client.get("/history/verify").get_data(as_text=True)
    assert "Every record is sealed with the log key." in page
    line = html.unescape(re.search(r'<pre id="signed-head">(.*?)</pre>', page).group(1))
    (tmp_path / "log-book.json").write_text(line + "\n", encoding="utf-8")
    status, out, _ = kiosk_cli("verify-log", "--data", data_dir, "--against", tmp_path / "log-book.json")
    assert status == 0 and f"every record up to {json.loads(line)['record']} is as it was" in out
