"""The JSON API, the supervisor's history and CSV export, and the hash-chained log."""

import base64
import csv
import io
import sqlite3
import subprocess
import sys

import pytest

from kiosk_helpers import PASSWORDS, SAMPLES, TD3_BAD_BIRTH_CHECK, post, records


def basic(role, password=None):
    token = base64.b64encode(f"{role}:{password or PASSWORDS[role]}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def test_api_refuses_anonymous_and_wrong_credentials(client):
    response = client.get("/api/screenings")
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Basic")
    assert client.post("/api/screenings", data={"mrz_text": "x"}).status_code == 401
    assert client.get("/api/screenings", headers=basic("officer", "wrong-password")).status_code == 401


def test_api_screens_typed_mrz_and_an_image(app, client, result_validator):
    response = client.post("/api/screenings", data={"mrz_text": TD3_BAD_BIRTH_CHECK}, headers=basic("officer"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["verdict"] == "alert" and isinstance(body["id"], int)
    result_validator.validate({k: v for k, v in body.items() if k != "id"})
    image = SAMPLES / "001_td3_tkm_scan300.jpg"
    response = client.post("/api/screenings", headers=basic("officer"), content_type="multipart/form-data",
                           data={"image": (io.BytesIO(image.read_bytes()), image.name)})
    body = response.get_json()
    assert response.status_code == 201 and body["verdict"] == "clear" and body["file"] == image.name
    result_validator.validate({k: v for k, v in body.items() if k != "id"})
    assert client.post("/api/screenings", json={"mrz_text": TD3_BAD_BIRTH_CHECK},
                       headers=basic("officer")).status_code == 201


def test_api_names_the_callers_file_when_it_cannot_be_read(client, result_validator):
    response = client.post("/api/screenings", headers=basic("officer"), content_type="multipart/form-data",
                           data={"image": (io.BytesIO(b"\xff\xd8\xff\xe0 cut short"), "scan 0042.jpg")})
    body = response.get_json()
    assert response.status_code == 201 and body["verdict"] == "unreadable"
    assert body["file"] == "scan 0042.jpg"
    assert body["reasons"][0].startswith("scan 0042.jpg ") and body["error"]["message"] == body["reasons"][0]
    result_validator.validate({k: v for k, v in body.items() if k != "id"})
    listed = client.get("/api/screenings?limit=1", headers=basic("officer")).get_json()
    assert listed[0]["file"] == "scan 0042.jpg"


def test_api_rejects_bad_requests(client):
    assert client.post("/api/screenings", headers=basic("officer")).status_code == 400
    response = client.post("/api/screenings", headers=basic("officer"), content_type="multipart/form-data",
                           data={"image": (io.BytesIO(b"MZ"), "tool.exe")})
    assert response.status_code == 415
    assert client.post("/api/screenings", data={"mrz_text": "x"}, headers=basic("admin")).status_code == 403


def test_api_lists_recent_screenings(app, client):
    for _ in range(3):
        client.post("/api/screenings", data={"mrz_text": TD3_BAD_BIRTH_CHECK}, headers=basic("officer"))
    latest = records(app, "screening")[-1].id
    login_client = app.test_client()
    post(login_client, "/login", {"username": "officer", "password": PASSWORDS["officer"]})
    post(login_client, f"/screen/{latest}/decision", {"decision": "refuse"})
    listing = client.get("/api/screenings?limit=2", headers=basic("supervisor")).get_json()
    assert [item["id"] for item in listing] == [latest, latest - 1]
    assert listing[0]["decision"] == "refuse" and listing[0]["officer"] == "officer"
    assert set(listing[0]) >= {"id", "time", "file", "verdict", "officer", "decision"}
    assert client.get(f"/api/screenings/{latest}", headers=basic("officer")).get_json()["id"] == latest
    assert client.get("/api/screenings/999", headers=basic("officer")).status_code == 404


def test_history_search_export_and_verify(app, as_role):
    client = as_role("officer")
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    post(client, "/screen/typed", {"mrz_text": "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
                                                "L898902C36UTO7408122F1204159ZE184226B<<<<<10"})
    post(client, "/logout")
    client = as_role("supervisor")
    page = client.get("/history/?q=rahimov").get_data(as_text=True)
    assert "401234567" in page and "L898902C3" not in page
    page = client.get("/history/?q=L898902").get_data(as_text=True)
    assert "ERIKSSON" in page and "RAHIMOV" not in page
    first = records(app, "screening")[0].id
    assert "verdict-alert" in client.get(f"/history/{first}").get_data(as_text=True)
    response = client.get("/history/export.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert {row["document_number"] for row in rows} == {"401234567", "L898902C3"}
    export = records(app, "export")[-1]
    assert export.actor == "supervisor" and export.payload["rows"] == 2
    assert "The log is intact" in client.get("/history/verify").get_data(as_text=True)


def _tamper(database, sql):
    connection = sqlite3.connect(database)
    connection.executescript("DROP TRIGGER records_no_update; DROP TRIGGER records_no_delete;" + sql)
    connection.close()


def test_the_csv_export_does_not_carry_formulas(app, as_role):
    client = as_role("officer")
    post(client, "/screen/upload", {"image": (io.BytesIO(b"junk"), "=HYPERLINK(1).jpg")},
         content_type="multipart/form-data")
    post(client, f"/screen/{records(app, 'screening')[-1].id}/decision", {"decision": "refer", "note": "=1+2 see visa"})
    post(client, "/logout")
    client = as_role("supervisor")
    rows = list(csv.DictReader(io.StringIO(client.get("/history/export.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["file"] == "'=HYPERLINK(1).jpg" and rows[0]["note"] == "'=1+2 see visa"
    assert rows[0]["reasons"].startswith("'=HYPERLINK(1).jpg is not an image")  # a reason names the file


def test_the_log_is_append_only(app, as_role):
    as_role("officer")
    connection = sqlite3.connect(app.config["DATABASE"])
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("UPDATE records SET actor = 'someone' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        connection.execute("DELETE FROM records")
    connection.close()


@pytest.mark.parametrize("sql,problem", [
    ("UPDATE records SET verdict = 'clear' WHERE kind = 'screening';", "was changed"),
    ("DELETE FROM records WHERE kind = 'login';", "missing"),
    ("DELETE FROM records WHERE id = (SELECT max(id) FROM records);", "removed from the end"),
])
def test_an_edited_log_is_detected(app, as_role, data_dir, sql, problem):
    client = as_role("officer")
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    post(client, f"/screen/{records(app, 'screening')[-1].id}/decision", {"decision": "admit"})
    cli = [sys.executable, "-m", "screening.cli", "kiosk", "verify-log", "--data", str(data_dir)]
    intact = subprocess.run(cli, capture_output=True, text=True)
    assert intact.returncode == 0 and "log intact" in intact.stdout
    _tamper(app.config["DATABASE"], sql)
    broken = subprocess.run(cli, capture_output=True, text=True)
    assert broken.returncode == 1 and problem in broken.stdout, broken.stdout


def test_add_user_command(tmp_path):
    data = tmp_path / "kiosk"
    cli = [sys.executable, "-m", "screening.cli", "kiosk", "add-user", "ayna", "--role", "trainer",
           "--password-stdin", "--data", str(data)]
    added = subprocess.run(cli, input="a-long-password\n", capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    again = subprocess.run(cli, input="a-long-password\n", capture_output=True, text=True)
    assert again.returncode == 2 and "already exists" in again.stderr
    short = subprocess.run(cli[:5] + ["bob"] + cli[6:], input="short\n", capture_output=True, text=True)
    assert short.returncode == 2 and "at least 8" in short.stderr
    from kiosk import create_app

    client = create_app({"DATA_DIR": data, "TESTING": True}).test_client()
    assert post(client, "/login", {"username": "ayna", "password": "a-long-password"}).status_code == 302


def test_api_bodies_that_are_no_object_or_hold_lone_surrogates_are_answered(app, client):
    import base64

    headers = {"Authorization": "Basic " + base64.b64encode(b"officer:officer-password").decode()}
    for body in ("[1, 2]", '"text"', '{"mrz_text": 5}'):
        answer = client.post("/api/screenings", data=body, content_type="application/json", headers=headers)
        assert answer.status_code == 400, body
    surrogate = ('{"mrz_text": "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<\\ud800\\n'
                 'L898902C36UTO7408122F1204159ZE184226B<<<<<10"}')
    answer = client.post("/api/screenings", data=surrogate, content_type="application/json", headers=headers)
    assert answer.status_code == 201
    assert any("'?'" in reason for reason in answer.get_json()["reasons"])
    long = client.post("/api/screenings", json={"mrz_text": "P<UTO" * 1000}, headers=headers)
    assert long.status_code == 201 and long.get_json()["error"]["code"] == "mrz_text_too_long"
