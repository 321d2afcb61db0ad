"""The officer's screen: upload, typed MRZ, scanner, decisions, images, the live stream, purging."""

import io
import json
import logging
import os
import sys
import time
from pathlib import Path

import pytest

from kiosk_helpers import SAMPLES, TD3_BAD_BIRTH_CHECK, post, records

CLEAN_SCAN = SAMPLES / "001_td3_tkm_scan300.jpg"


def upload(client, path=CLEAN_SCAN, name=None, content=None):
    data = content if content is not None else path.read_bytes()
    return post(client, "/screen/upload", {"image": (io.BytesIO(data), name or path.name)},
                content_type="multipart/form-data")


def test_empty_screen_waits_for_a_document(as_role):
    page = as_role("officer").get("/screen/").get_data(as_text=True)
    assert "Waiting for a document" in page and "Nothing screened yet" in page


def test_upload_screens_the_scan_and_shows_the_verdict(app, as_role):
    client = as_role("officer")
    response = upload(client)
    assert response.status_code == 302
    screening = records(app, "screening")[-1]
    assert response.headers["Location"].endswith(f"/screen/{screening.id}")
    assert screening.verdict == "clear" and screening.actor == "officer"
    assert screening.payload["source"] == "upload" and screening.payload["original_name"] == CLEAN_SCAN.name
    page = client.get(f"/screen/{screening.id}").get_data(as_text=True)
    assert 'class="banner verdict-clear"' in page and "ORAZOW" in page and "mrz-region" in page
    with client.get(f"/screen/image/{screening.id}") as image:
        assert image.status_code == 200 and image.data == CLEAN_SCAN.read_bytes()
    assert not list((app.extensions["kiosk"].data_dir / "incoming").iterdir())  # no stray copies


def test_upload_marks_the_problem_fields_on_the_image(app, as_role):
    client = as_role("officer")
    upload(client, SAMPLES / "008_td3_tkm_scan300.jpg")
    page = client.get("/screen/").get_data(as_text=True)
    assert 'class="banner verdict-alert"' in page
    assert 'class="mark mark-alert"' in page and '<span class="mark-alert">' in page


def test_junk_upload_is_unreadable_with_its_reason(app, as_role):
    client = as_role("officer")
    upload(client, name="junk.jpg", content=b"\xff\xd8\xff not really a jpeg")
    screening = records(app, "screening")[-1]
    assert screening.verdict == "unreadable"
    assert screening.payload["result"]["error"]["code"]
    page = client.get("/screen/").get_data(as_text=True)
    assert "verdict-unreadable" in page and screening.payload["result"]["error"]["code"] in page


def test_an_unreadable_upload_names_the_officers_file(app, as_role):
    client = as_role("supervisor")
    name = "паспорт Иванова.pdf"  # the officer's own name for it, in any script
    upload(client, name=name, content=b"%PDF-1.4 cut short by the scanner")
    screening = records(app, "screening")[-1]
    result = screening.payload["result"]
    stored = screening.payload["original"].rsplit("/", 1)[-1].rsplit(".", 1)[0]  # the kiosk's random name
    assert screening.verdict == "unreadable" and screening.payload["original_name"] == name
    assert result["file"] == name and result["reasons"][0].startswith(f"{name} is not a readable PDF")
    assert result["error"]["message"] == result["reasons"][0] and result["error"]["params"]["file"] == name
    assert result["reason_templates"][0]["params"]["file"] == name
    for page in (client.get(f"/screen/{screening.id}"), client.get("/history/"), client.get(f"/history/{screening.id}")):
        text = page.get_data(as_text=True)
        assert name in text and stored not in text


def test_upload_of_a_disallowed_type_is_refused(app, as_role):
    client = as_role("officer")
    page = upload(client, name="notes.txt", content=b"hello").data.decode()
    assert not records(app, "screening")
    assert "notes.txt was not accepted" in client.get("/screen/").get_data(as_text=True)


def test_upload_larger_than_the_limit_is_refused(app, as_role):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    client = as_role("officer")
    response = upload(client)
    assert response.status_code == 413 and "too large" in response.get_data(as_text=True)


def test_upload_file_name_is_sanitised(app, as_role):
    client = as_role("officer")
    upload(client, name="../../etc/passwd.jpg")
    assert records(app, "screening")[-1].payload["original_name"] == "passwd.jpg"
    upload(client, name="скан\x00.jpg")
    assert records(app, "screening")[-1].payload["original_name"] == "скан.jpg"
    assert records(app, "screening")[-1].verdict == "clear"  # a name in Cyrillic is not refused as 'no type'


def test_typed_mrz_gets_the_same_checks(app, as_role):
    client = as_role("officer")
    response = post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    screening = records(app, "screening")[-1]
    assert response.headers["Location"].endswith(f"/screen/{screening.id}")
    assert screening.verdict == "alert" and screening.payload["source"] == "typed"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Date of birth check digit does not match" in page and "Typed by the officer" in page


def test_typed_garbage_is_unreadable_not_an_error(app, as_role):
    client = as_role("officer")
    post(client, "/screen/typed", {"mrz_text": "hello"})
    assert records(app, "screening")[-1].verdict == "unreadable"
    assert post(client, "/screen/typed", {"mrz_text": "  "}).status_code == 302


def test_decisions_are_recorded_and_shown(app, as_role):
    client = as_role("officer")
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    screening_id = records(app, "screening")[-1].id
    response = post(client, f"/screen/{screening_id}/decision", {"decision": "refer", "note": "check the page"})
    assert response.status_code == 302
    decision = records(app, "decision")[-1]
    assert decision.ref == screening_id and decision.payload == {"decision": "refer", "note": "check the page"}
    page = client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert "check the page" in page and "Decision" in page
    assert post(client, f"/screen/{screening_id}/decision", {"decision": "shoot"}).status_code == 400
    assert post(client, "/screen/9999/decision", {"decision": "admit"}).status_code == 404


def test_trainer_may_screen_but_not_decide(app, as_role):
    client = as_role("trainer")
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    screening_id = records(app, "screening")[-1].id
    assert "decision-form" not in client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert post(client, f"/screen/{screening_id}/decision", {"decision": "admit"}).status_code == 403


def test_panel_and_recent_fragments(app, as_role):
    client = as_role("officer")
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    screening_id = records(app, "screening")[-1].id
    panel = client.get(f"/screen/{screening_id}/panel").get_data(as_text=True)
    assert panel.lstrip().startswith("<article") and "verdict-alert" in panel
    recent = client.get(f"/screen/recent?current={screening_id}").get_data(as_text=True)
    assert "401234567" in recent and 'class="current"' in recent
    assert client.get("/screen/9999").status_code == 404


def test_event_stream_sends_each_new_screening(app, as_role):
    client = as_role("officer")
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    first = records(app, "screening")[-1].id
    response = client.get("/screen/events?after=0", buffered=False)
    assert response.mimetype == "text/event-stream"
    chunks = (chunk.decode() if isinstance(chunk, bytes) else chunk for chunk in response.response)
    assert next(chunks).startswith("retry:")
    assert json.loads(next(chunks).split("data: ")[1]) == {"id": first, "verdict": "alert"}  # caught up
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    event = next(chunks)
    assert "event: screening" in event and json.loads(event.split("data: ")[1])["verdict"] == "alert"
    response.close()
    assert app.extensions["kiosk"].announcer.listeners == 0


def test_scan_button_is_disabled_with_a_note_without_scanimage(app, as_role, monkeypatch):
    monkeypatch.setenv("PATH", "")
    client = as_role("officer")
    page = client.get("/screen/").get_data(as_text=True)
    assert 'id="scan-button" disabled' in page and "scanimage" in page
    response = post(client, "/screen/scan", follow_redirects=True)
    assert "Scanning failed" in response.get_data(as_text=True)


@pytest.mark.skipif(sys.platform == "win32", reason="the fake scanimage is a POSIX shell script")
def test_scan_drives_scanimage(app, as_role, tmp_path, monkeypatch):
    fake = tmp_path / "bin" / "scanimage"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ncat '{CLEAN_SCAN}'\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent) + os.pathsep + os.environ["PATH"])
    client = as_role("officer")
    assert 'id="scan-button" class="primary"' in client.get("/screen/").get_data(as_text=True)
    post(client, "/screen/scan")
    screening = records(app, "screening")[-1]
    assert screening.payload["source"] == "scanner" and screening.verdict == "clear"
    fake.write_text("#!/bin/sh\necho 'scanimage: no SANE devices found' >&2\nexit 1\n")
    page = post(client, "/screen/scan", follow_redirects=True).get_data(as_text=True)
    assert "no SANE devices found" in page


def test_old_images_are_purged_and_the_record_stays(app, as_role):
    client = as_role("officer")
    upload(client)
    screening = records(app, "screening")[-1]
    intake = app.extensions["kiosk"].intake
    assert intake.purge_images(30) == 0
    assert intake.purge_images(30, now=time.time() + 31 * 86400) == 1
    page = client.get(f"/screen/{screening.id}").get_data(as_text=True)
    assert "deleted after the retention period" in page and "ORAZOW" in page
    assert client.get(f"/screen/image/{screening.id}").status_code == 404


def test_no_personal_data_in_the_application_log(app, as_role, caplog):
    caplog.set_level(logging.DEBUG)
    client = as_role("officer")
    upload(client)
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    post(client, f"/screen/{records(app, 'screening')[-1].id}/decision", {"decision": "admit", "note": "ok"})
    text = caplog.text
    assert "screening" in text
    for secret in ("ORAZOW", "BERDI", "A2894937", "RAHIMOV", "401234567", CLEAN_SCAN.name, "P<TJK"):
        assert secret not in text



def test_an_exception_in_the_kiosk_log_keeps_its_frames_not_its_text(caplog):
    # An OSError's text names the file, and scans are named after their holders.
    from kiosk import chip, intake, sources

    caplog.set_level(logging.DEBUG)
    scan = Path("/nonexistent") / "ORAZOW_BERDI_A2894937.jpg"  # not on a line the traceback shows
    for logger in (sources.log, intake.log, chip.log):
        try:
            try:
                open(scan, "rb")
            except OSError as error:
                raise RuntimeError(f"while taking {error.filename}") from error
        except RuntimeError:
            logger.exception("a file in the hot folder could not be taken")
            logger.warning("could not remove a file from the hot folder", exc_info=True)
    text = caplog.text
    assert "ORAZOW" not in text and "A2894937" not in text
    assert text.count("builtins.FileNotFoundError (its text is not logged)") == 6
    assert text.count("builtins.RuntimeError (its text is not logged)") == 6
    assert "test_an_exception_in_the_kiosk_log_keeps_its_frames_not_its_text" in text  # the frames are there

def test_marks_outline_whole_fields_in_the_gaps_between_characters():
    from kiosk.views import MRZChar, marked_runs, region_outline, run_outline

    # An MRZ read at a 10-pixel pitch: characters 7 pixels wide, lines 5 high, 10 apart.
    region = [[0, 0], [437, 0], [437, 15], [0, 15]]
    line = tuple(MRZChar("X", "alert" if 13 <= i < 20 else "review" if i == 43 else "") for i in range(44))
    runs = marked_runs([tuple(MRZChar("<", "") for _ in range(44)), line])
    assert runs == [(1, 13, 20, "alert"), (1, 43, 44, "review")]  # a date and its check digit: one outline

    def box(points):
        xs, ys = zip(*(map(float, p.split(",")) for p in points.split()))
        return min(xs), max(xs), min(ys), max(ys)

    left, right, top, bottom = box(run_outline(region, 2, 44, 1, 13, 20))
    assert 127 < left < 130 and 197 < right < 200  # around characters 13..19 (130..197), clear of 12 and 20
    assert 5 < top < 10 and 15 < bottom < 20  # around the second line (10..15), clear of the first (0..5)
    left, right, top, bottom = box(region_outline(region, 2, 44))
    assert left < -3 and right > 440 and top < -2 and bottom > 17  # the MRZ outline clears its characters


def test_a_multi_page_pdf_is_decoded_once_for_screening_and_display(app, as_role, monkeypatch, tmp_path):
    from PIL import Image

    from kiosk import intake
    from screening import imageio

    calls, rendered = [], []
    real, render = intake.open_pages, imageio._render_pdf_page
    monkeypatch.setattr(intake, "open_pages", lambda path: calls.append(path) or real(path))
    monkeypatch.setattr(imageio, "_render_pdf_page", lambda path, index, scale: rendered.append(index) or
                        render(path, index, scale))
    with Image.open(CLEAN_SCAN) as scan:  # small enough to stay in memory as an upload (no spooled file)
        pages = [scan.convert("RGB").resize((scan.width // 2, scan.height // 2)) for _ in range(3)]
    pdf = tmp_path / "three.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=75, quality=70)
    client = as_role("officer")
    upload(client, pdf, name="three.pdf")
    screenings = records(app, "screening")
    assert len(screenings) == 3 and len(calls) == 1 and rendered == [0, 1, 2]  # each page rendered once
    assert all(r.payload["image"] for r in screenings)  # each page still has its picture


def test_a_bug_while_screening_is_recorded_as_an_internal_error_not_a_500(app, as_role, monkeypatch):
    from kiosk import intake

    monkeypatch.delenv("SCREENING_STRICT")

    def buggy(*args, **kwargs):
        raise AttributeError("a bug")

    monkeypatch.setattr(intake, "screen_each", buggy)
    client = as_role("officer")
    assert upload(client).status_code == 302
    (screening,) = records(app, "screening")
    assert screening.payload["result"]["error"]["code"] == "internal_error"


def test_a_field_not_compared_is_named_on_the_screen_and_the_page_is_no_clear(app, as_role, tmp_path):
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    import pages
    from PIL import Image

    rows = pages.icao_rows({"surname": None, "document_number": "K52816473", "expiry_date": "31.12.2030"})
    path = tmp_path / "no_surname.png"
    Image.fromarray(pages.viz_page(rows, pages.td3())).save(path)
    client = as_role("officer")
    upload(client, path)
    page = client.get("/screen/").get_data(as_text=True)
    assert 'class="banner verdict-review"' in page and "Every check that applies ran and passed" not in page
    box = page[page.index("not-compared"):]
    assert "Not compared with the page" in box and "Surname" in box[:box.index("</section>")]
