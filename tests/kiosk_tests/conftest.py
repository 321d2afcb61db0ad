"""Fixtures for the kiosk: an app on temporary storage with one user per role (CSRF stays on)."""

from __future__ import annotations

import shutil

import pytest

from kiosk_helpers import PASSWORDS, login


@pytest.fixture(scope="session")
def template_data_dir(tmp_path_factory):
    """A data directory with one user per role, made once: hashing passwords is slow on purpose."""
    from kiosk import db
    from kiosk.auth import create_user

    data = tmp_path_factory.mktemp("kiosk-template") / "data"
    db.initialise(data / db.DB_NAME)
    connection = db.connect(data / db.DB_NAME)
    for role, password in PASSWORDS.items():
        create_user(connection, role, role, password, actor="test", head_path=data / db.HEAD_NAME)
    connection.close()
    return data


@pytest.fixture
def data_dir(tmp_path, template_data_dir):
    from kiosk import logkey

    data = tmp_path / "data"
    shutil.copytree(template_data_dir, data)
    # The log key lives beside the data folder, not in it: a copy of the folder needs it copied too.
    shutil.copy2(logkey.key_path(template_data_dir), logkey.key_path(data))
    return data


@pytest.fixture
def app(data_dir):
    from kiosk import create_app

    return create_app({"DATA_DIR": data_dir, "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_role(client):
    def sign_in(role):
        response = login(client, role)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return sign_in
