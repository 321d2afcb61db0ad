"""The kiosk's watch list: in its data folder, loaded by a supervisor, its size and date on screen."""

from __future__ import annotations

import io
import subprocess
import sys

from kiosk_helpers import TD3_BAD_BIRTH_CHECK, post, records

LISTED = "issuing_state,document_number,reason,source,date\nTJK,401234567,stolen,national list,2026-10-01\n"


def _upload(client, name, data):
    return post(client, "/watchlist/import", {"csv": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_supervisor_loads_a_list_and_the_officer_screens_against_it(app, data_dir, as_role):
    client = as_role("supervisor")
    assert "No watch list is loaded" in client.get("/watchlist/").get_data(as_text=True)
    response = _upload(client, "stolen.csv", LISTED.encode())
    assert response.status_code == 302
    page = client.get("/watchlist/").get_data(as_text=True)
    assert "lost, stolen or revoked: 1;" in page and "stolen.csv" in page
    assert (data_dir / "watchlist.sqlite").is_file()  # beside the database, backed up with it
    (logged,) = records(app, "watchlist_imported")
    assert logged.payload == {"file": "stolen.csv", "imported": 1, "skipped": 0} and logged.actor == "supervisor"

    client.post("/logout", data={"csrf_token": ""})
    officer = as_role("officer")
    assert "Watch list: 1 documents" in officer.get("/screen/").get_data(as_text=True)
    post(officer, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    (screening,) = records(app, "screening")
    hit = [c for c in screening.payload["result"]["checks"] if c["id"] == "watchlist.hit"]
    assert hit and hit[0]["status"] == "fail"


def test_the_screen_says_when_no_list_is_loaded(as_role):
    page = as_role("officer").get("/screen/").get_data(as_text=True)
    assert "No watch list is loaded" in page


def test_officers_cannot_load_lists(as_role):
    client = as_role("officer")
    assert client.get("/watchlist/").status_code == 403
    assert _upload(client, "stolen.csv", LISTED.encode()).status_code == 403


def test_binary_or_misnamed_uploads_are_refused(app, as_role):
    client = as_role("supervisor")
    _upload(client, "list.csv", b"\x89PNG\r\n\x1a\n\x00\x00")
    _upload(client, "list.exe", LISTED.encode())
    page = client.get("/watchlist/").get_data(as_text=True)
    assert "No watch list is loaded" in page
    assert records(app, "watchlist_imported") == []


def test_the_command_line_loads_into_the_kiosk_folder(tmp_path):
    csv_file = tmp_path / "stolen.csv"
    csv_file.write_text(LISTED, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("nothing,useful\n", encoding="utf-8")
    cli = [sys.executable, "-m", "screening.cli", "kiosk", "import-watchlist", "--data", str(tmp_path / "kiosk")]
    loaded = subprocess.run([*cli, str(csv_file)], capture_output=True, text=True, timeout=60)
    assert loaded.returncode == 0 and "imported 1 entries" in loaded.stdout, loaded.stderr
    assert (tmp_path / "kiosk" / "watchlist.sqlite").is_file()
    refused = subprocess.run([*cli, str(bad)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "row skipped" in refused.stderr


def test_the_demo_loads_the_sample_list_once(tmp_path, capsys):
    from kiosk import create_app
    from kiosk.cli import set_up_demo
    from kiosk.watchlist import summary

    app = create_app({"DATA_DIR": tmp_path / "kiosk", "TESTING": True})
    set_up_demo(app)
    first = summary(tmp_path / "kiosk")
    assert first is not None and first.entries > 0 and first.source == "watchlist.csv"
    set_up_demo(app)
    assert len(records(app, "watchlist_imported")) == 1
