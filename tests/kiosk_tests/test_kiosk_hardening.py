"""The kiosk under attack (issue 16): lock-out races, timing, redirects, stolen cookies, headers,
log flooding, file modes, and a start-up that refuses what it cannot do."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import time

import pytest

from kiosk_helpers import PASSWORDS, csrf_token, login, post, records


def _counting_checks(monkeypatch, delay=0.0):
    """Count (and slow down) the kiosk's password checks, to see how many a burst of guesses gets."""
    from kiosk import auth

    real = auth.check_password_hash
    count = {"n": 0}
    lock = threading.Lock()

    def counted(hash_, password):
        with lock:
            count["n"] += 1
        time.sleep(delay)
        return real(hash_, password)

    monkeypatch.setattr(auth, "check_password_hash", counted)
    return count


def test_32_parallel_guesses_get_no_more_password_checks_than_the_lockout_allows(app, monkeypatch):
    checks = _counting_checks(monkeypatch, delay=0.05)  # every guess is in flight at once
    clients = [app.test_client() for _ in range(32)]
    tokens = [csrf_token(c) for c in clients]
    barrier = threading.Barrier(len(clients))
    answers = []

    def guess(client, token):
        barrier.wait()
        answers.append(client.post("/login", data={"username": "officer", "password": "wrong-guess",
                                                   "csrf_token": token}).status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(clients, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 32
    lockout = 5  # KioskConfig.lockout_attempts
    assert checks["n"] <= lockout, checks["n"]
    assert login(app.test_client(), "officer").status_code == 200  # locked, even with the right password


def test_an_unknown_name_costs_a_password_check_like_a_real_one(app, monkeypatch):
    checks = _counting_checks(monkeypatch)
    client = app.test_client()
    login(client, "officer", "wrong-password")
    login(client, "no-such-user", "wrong-password")
    assert checks["n"] == 2


@pytest.mark.parametrize("target", ["/%09/evil.example", "/\t/evil.example", "//evil.example", "/\\evil.example",
                                    "https://evil.example/", "/\n/evil.example"])
def test_next_must_be_a_local_path(client, target):
    response = post(client, f"/login?next={target}", {"username": "officer", "password": PASSWORDS["officer"]})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location, location


def test_a_saved_cookie_signs_in_no_more_after_logout_or_a_new_password(app, client):
    assert login(client, "officer").status_code == 302
    saved = client.get_cookie("session").value
    post(client, "/logout")
    client.set_cookie("session", saved)
    assert client.get("/screen/").status_code == 302  # to the login page

    assert login(client, "supervisor").status_code == 302
    saved = client.get_cookie("session").value
    from kiosk import db
    from kiosk.auth import change_user

    connection = db.connect(app.config["DATABASE"])
    change_user(connection, "supervisor", actor="admin", head_path=None, password="a-brand-new-password")
    connection.close()
    client.set_cookie("session", saved)
    assert client.get("/screen/").status_code == 302


def test_pages_carry_security_headers_and_are_not_cached(as_role):
    client = as_role("officer")
    page = client.get("/screen/")
    assert page.status_code == 200
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-store"
    assert client.get("/login").headers["Cache-Control"] == "no-store"


def test_anonymous_failed_logins_cannot_flood_the_log(app, monkeypatch):
    from kiosk import auth

    monkeypatch.setattr(auth, "check_password_hash", lambda hash_, password: False)  # 200 tries within a minute
    client = app.test_client()
    token = csrf_token(client)
    for i in range(200):
        client.post("/login", data={"username": f"bot{i}", "password": "x", "csrf_token": token})
    failed = records(app, "login_failed")
    assert len(failed) == auth.ANONYMOUS_FAILURES_PER_MINUTE == 20


def test_data_folder_and_files_are_private(tmp_path):
    from kiosk import create_app

    data = tmp_path / "kiosk"
    data.mkdir(mode=0o755)
    (data / "config.json").write_text("{}", encoding="utf-8")
    (data / "config.json").chmod(0o644)
    create_app({"DATA_DIR": data, "TESTING": True})
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600), path


def _serve(*args, timeout=30):
    return subprocess.run([sys.executable, "-m", "screening.cli", "kiosk", "serve", *args], capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def test_a_second_kiosk_on_the_same_folder_is_refused(tmp_path):
    from kiosk.cli import DataDirInUse, lock_data_dir

    held = lock_data_dir(tmp_path / "kiosk")
    try:
        with pytest.raises(DataDirInUse):
            lock_data_dir(tmp_path / "kiosk")
        second = _serve("--data", str(tmp_path / "kiosk"), "--port", "0")
        assert second.returncode == 2 and "another kiosk is already running" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        held.close()


def test_a_taken_port_or_a_missing_watch_folder_is_one_clear_line(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        busy = _serve("--data", str(tmp_path / "a"), "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert busy.returncode == 2 and "cannot listen on 127.0.0.1" in busy.stderr, busy.stderr
    assert "Traceback" not in busy.stderr and "The kiosk is at" not in busy.stdout
    missing = _serve("--data", str(tmp_path / "b"), "--watch", str(tmp_path / "no-such-folder"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert not (tmp_path / "no-such-folder").exists()
