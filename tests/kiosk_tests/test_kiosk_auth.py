"""Signing in, roles, lock-out, idle timeout, CSRF, language, user management."""

import time

import pytest

from kiosk_helpers import PASSWORDS, csrf_token, login, post, records

# (method, url, roles allowed). Every route of every blueprint, for every role.
ROUTES = [
    ("GET", "/screen/", {"officer", "supervisor", "trainer"}),
    ("GET", "/screen/recent", {"officer", "supervisor", "trainer"}),
    ("GET", "/history/", {"supervisor", "admin"}),
    ("GET", "/history/verify", {"supervisor", "admin"}),
    ("GET", "/history/export.csv", {"supervisor", "admin"}),
    ("GET", "/training/", {"officer", "supervisor", "trainer"}),
    ("GET", "/users", {"admin"}),
    ("POST", "/training/open", {"trainer"}),
    ("POST", "/screen/typed", {"officer", "supervisor", "trainer"}),
    ("POST", "/screen/upload", {"officer", "supervisor", "trainer"}),
    ("POST", "/screen/scan", {"officer", "supervisor", "trainer"}),
]


@pytest.mark.parametrize("role", sorted(PASSWORDS))
def test_every_route_allows_exactly_its_roles(client, role):
    login(client, role)
    for method, url, allowed in ROUTES:
        response = client.get(url) if method == "GET" else post(client, url)
        expected = (200, 302) if role in allowed else (403,)
        assert response.status_code in expected, f"{role} {method} {url}: {response.status_code}"


@pytest.mark.parametrize("url", ["/screen/", "/history/", "/training/", "/users", "/screen/events", "/"])
def test_anonymous_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_each_role_lands_on_its_first_screen(client):
    for role, target in [("officer", "/screen/"), ("trainer", "/screen/"), ("admin", "/users"),
                         ("supervisor", "/screen/")]:
        login(client, role)
        assert client.get("/").headers["Location"].endswith(target)
        post(client, "/logout")


def test_login_and_logout_are_logged(app, client):
    assert login(client).status_code == 302
    assert client.get("/screen/").status_code == 200
    post(client, "/logout")
    assert client.get("/screen/").status_code == 302
    kinds = [r.kind for r in records(app)]
    assert kinds[-2:] == ["login", "logout"]


def test_wrong_password_is_refused_and_logged(app, client):
    response = login(client, "officer", "not-the-password")
    assert response.status_code == 200
    assert "Wrong user name or password" in response.get_data(as_text=True)
    assert records(app, "login_failed")[-1].actor == "officer"


def test_repeated_failures_lock_the_account(app, client):
    for _ in range(5):
        login(client, "officer", "wrong-password")
    response = login(client, "officer")  # the right password, but locked now
    assert response.status_code == 200
    assert "locked" in response.get_data(as_text=True)
    # The administrator unlocks it.
    login(client, "admin")
    post(client, "/users", {"action": "unlock", "username": "officer"})
    post(client, "/logout")
    assert login(client, "officer").status_code == 302


def test_session_times_out_after_idling(client):
    login(client)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 2 * 3600
    response = client.get("/screen/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_forms_without_csrf_token_are_rejected(client):
    response = client.post("/login", data={"username": "officer", "password": PASSWORDS["officer"]})
    assert response.status_code == 400
    login(client)
    assert client.post("/screen/typed", data={"mrz_text": "x"}).status_code == 400


def test_only_local_redirects_after_login(client):
    token = csrf_token(client)
    response = client.post("/login?next=//evil.example/", data={"csrf_token": token, "username": "officer",
                                                                 "password": PASSWORDS["officer"]})
    assert response.headers["Location"] == "/"


def test_language_switch_is_kept_per_user(client):
    login(client)
    post(client, "/language", {"language": "ru", "next": "/screen/"})
    page = client.get("/screen/").get_data(as_text=True)
    assert "Проверить документ" in page and 'lang="ru"' in page
    post(client, "/logout")
    login(client, "supervisor")
    assert "Screen a document" in client.get("/screen/").get_data(as_text=True)
    post(client, "/logout")
    login(client, "officer")  # the officer's choice comes back with the account
    assert "Проверить документ" in client.get("/screen/").get_data(as_text=True)
    assert post(client, "/language", {"language": "xx"}).status_code == 400


def test_admin_adds_users_and_bad_accounts_are_refused(app, client):
    login(client, "admin")
    post(client, "/users", {"action": "add", "username": "newbie", "role": "officer", "password": "long-enough"})
    page = post(client, "/users", {"action": "add", "username": "x", "role": "boss", "password": "long-enough"},
                follow_redirects=True).get_data(as_text=True)
    assert "Role must be one of" in page
    page = post(client, "/users", {"action": "add", "username": "short", "role": "officer", "password": "short"},
                follow_redirects=True).get_data(as_text=True)
    assert "at least 8" in page
    assert "newbie" in page and "short</td>" not in page
    post(client, "/language", {"language": "ru", "next": "/users"})
    page = post(client, "/users", {"action": "add", "username": "newbie", "role": "officer", "password": "long-enough"},
                follow_redirects=True).get_data(as_text=True)
    assert "Пользователь newbie уже существует." in page  # the administrator's language, too
    page = post(client, "/users", {"action": "add", "username": "x", "role": "officer", "password": "short"},
                follow_redirects=True).get_data(as_text=True)
    assert "Пароль должен содержать не меньше 8 символов." in page
    post(client, "/language", {"language": "en", "next": "/users"})
    post(client, "/logout")
    assert login(client, "newbie", "long-enough").status_code == 302


def test_passwords_are_stored_hashed(app):
    from kiosk import db

    connection = db.connect(app.config["DATABASE"])
    stored = db.user(connection, "officer").password_hash
    connection.close()
    assert PASSWORDS["officer"] not in stored and stored.startswith(("scrypt:", "pbkdf2:"))
