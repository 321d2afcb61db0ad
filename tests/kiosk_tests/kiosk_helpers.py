"""Helpers shared by the kiosk tests: sign in, post forms with their CSRF token, read the log."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "sample_docs"
PASSWORDS = {role: f"{role}-password" for role in ("officer", "supervisor", "trainer", "admin")}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

TD3_BAD_BIRTH_CHECK = "P<TJKRAHIMOV<<FIRDAVS<<<<<<<<<<<<<<<<<<<<<<<\n4012345676TJK8803145M3106305<<<<<<<<<<<<<<04"


def csrf_token(client) -> str:
    page = client.get("/login").get_data(as_text=True)
    return TOKEN.search(page).group(1)


def post(client, url, data=None, **kwargs):
    """POST a form the way the browser does: with the page's CSRF token."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def login(client, role="officer", password=None):
    return post(client, "/login", {"username": role, "password": password or PASSWORDS[role]})


def records(app, kind=None):
    from kiosk import db

    connection = db.connect(app.config["DATABASE"])
    try:
        sql = "SELECT * FROM records" + (" WHERE kind = ?" if kind else "") + " ORDER BY id"
        return [db.Record.from_row(r) for r in connection.execute(sql, (kind,) if kind else ())]
    finally:
        connection.close()

