"""The hot folder (watchdog, settling, junk, restart) and training mode (the catalogues: test_i18n.py)."""

import json
import os
import re
import shutil
import sys
import time

import pytest

from kiosk_helpers import REPO, SAMPLES, post, records


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


@pytest.fixture
def hot_app(data_dir, tmp_path):
    from kiosk import create_app, start_services, stop_services

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "waiting-since-before-start.jpg").write_bytes((SAMPLES / "002_td1_kgz_scan300.jpg").read_bytes())
    application = create_app({"DATA_DIR": data_dir, "TESTING": True, "HOT_FOLDER": inbox})
    start_services(application)
    yield application, inbox
    stop_services(application)


def test_hot_folder_screens_new_files_and_those_left_from_before(hot_app):
    app, inbox = hot_app
    # Left in the folder while the kiosk was down: screened at start.
    wait_for(lambda: any(r.payload["original_name"] == "waiting-since-before-start.jpg"
                         for r in records(app, "screening")))
    shutil.copyfile(SAMPLES / "001_td3_tkm_scan300.jpg", inbox / "scan-0001.jpg")
    screening = wait_for(lambda: [r for r in records(app, "screening") if r.payload["original_name"] == "scan-0001.jpg"])[0]
    assert screening.verdict == "clear" and screening.payload["source"] == "hotfolder" and screening.actor is None
    wait_for(lambda: not (inbox / "scan-0001.jpg").exists())  # kept in the store, not in the folder


def test_hot_folder_junk_and_truncated_files_are_unreadable_and_it_keeps_working(hot_app):
    app, inbox = hot_app
    (inbox / "junk.jpg").write_bytes(b"not an image at all")
    (inbox / "truncated.jpg").write_bytes((SAMPLES / "001_td3_tkm_scan300.jpg").read_bytes()[:5000])
    (inbox / "readme.txt").write_text("a note")
    (inbox / ".hidden.jpg").write_bytes(b"x")
    (inbox / "scan.tmp").write_bytes(b"x")
    wait_for(lambda: len(records(app, "screening")) >= 4)
    by_name = {r.payload["original_name"]: r for r in records(app, "screening")}
    for name in ("junk.jpg", "truncated.jpg", "readme.txt"):
        assert by_name[name].verdict == "unreadable" and by_name[name].payload["result"]["error"]["code"], name
    # The reason names the scanner's file, not the kiosk's stored copy of it.
    assert by_name["junk.jpg"].payload["result"]["reasons"][0].startswith("junk.jpg is not an image")
    assert by_name["truncated.jpg"].payload["result"]["error"]["message"].startswith("truncated.jpg is truncated")
    assert ".hidden.jpg" not in by_name and "scan.tmp" not in by_name
    shutil.copyfile(SAMPLES / "010_td3_mda_scan300.jpg", inbox / "after-junk.jpg")
    wait_for(lambda: any(r.payload["original_name"] == "after-junk.jpg" for r in records(app, "screening")))


def test_hot_folder_waits_until_the_scanner_has_finished_writing(hot_app):
    app, inbox = hot_app
    content = (SAMPLES / "001_td3_tkm_scan300.jpg").read_bytes()
    with open(inbox / "slow.jpg", "wb") as handle:  # a scanner writing in bursts
        for start in range(0, len(content), len(content) // 4):
            handle.write(content[start:start + len(content) // 4])
            handle.flush()
            time.sleep(0.06)
    screening = wait_for(lambda: [r for r in records(app, "screening") if r.payload["original_name"] == "slow.jpg"])
    assert screening[0].verdict == "clear"  # not unreadable: it was not read half-written



def test_a_scan_renamed_into_the_folder_from_elsewhere_is_screened_without_settling(hot_app, tmp_path):
    # Scanner software that writes elsewhere and renames the finished file in: a rename is atomic,
    # so the file is not watched for a settle time (made long here: the screening must not wait it).
    app, inbox = hot_app
    wait_for(lambda: records(app, "screening"))  # the file left from before start
    app.extensions["kiosk"].hot_folder.settle_seconds = 30.0
    staged = tmp_path / "staged.jpg"
    shutil.copyfile(SAMPLES / "001_td3_tkm_scan300.jpg", staged)
    staged.replace(inbox / "renamed-in.jpg")
    screening = wait_for(lambda: [r for r in records(app, "screening") if r.payload["original_name"] == "renamed-in.jpg"],
                         timeout=15.0)
    assert screening[0].verdict == "clear"

@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify's move pairing")
def test_taking_a_scan_holds_back_no_event_of_the_next(data_dir, tmp_path, monkeypatch):
    # The hot folder takes each scan by renaming it into its taken folder. A rename whose other half
    # inotify does not report is held back by watchdog to pair it (0.5 s; 60 s here), and every event
    # behind it waits too: the next scan then waited for it. Seen whole, the rename is paired at once.
    from watchdog.observers.inotify_move_event_grouper import InotifyMoveEventGrouper

    from kiosk import create_app, start_services, stop_services

    monkeypatch.setattr(InotifyMoveEventGrouper, "delay", 60.0)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "HOT_FOLDER": inbox})
    start_services(app)
    try:
        for name in ("first.jpg", "second.jpg"):
            staged = tmp_path / name
            shutil.copyfile(SAMPLES / "002_td1_kgz_scan300.jpg", staged)
            staged.replace(inbox / name)
            wait_for(lambda: any(r.payload["original_name"] == name for r in records(app, "screening")), timeout=30.0)
    finally:
        stop_services(app)


def test_the_same_scan_is_not_screened_twice_after_a_crash(app, tmp_path):
    from kiosk.intake import HOT_FOLDER

    intake = app.extensions["kiosk"].intake
    copy = tmp_path / "again.jpg"
    shutil.copyfile(SAMPLES / "001_td3_tkm_scan300.jpg", copy)
    assert len(intake.screen_path(copy, source=HOT_FOLDER, original_name="again.jpg", actor=None)) == 1
    assert intake.screen_path(copy, source=HOT_FOLDER, original_name="again.jpg", actor=None) == []
    assert not copy.exists()
    # The same content saved anew is a new scan (the officer scans the page again).
    shutil.copyfile(SAMPLES / "001_td3_tkm_scan300.jpg", copy)
    os.utime(copy, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert len(intake.screen_path(copy, source=HOT_FOLDER, original_name="again.jpg", actor=None)) == 1


def test_training_round_trip(app, as_role):
    client = as_role("trainer")
    page = post(client, "/training/open", {"folder": str(REPO / "screening"), "title": "x"},
                follow_redirects=True).get_data(as_text=True)
    assert "no answer_key.jsonl" in page
    post(client, "/training/open", {"folder": str(SAMPLES), "title": "Course 1", "assisted": "on"})
    session_id = records(app, "training_opened")[-1].id
    post(client, "/logout")

    client = as_role("officer")
    assert "Course 1" in client.get("/training/").get_data(as_text=True)
    assert client.get(f"/training/{session_id}").headers["Location"].endswith(f"/training/{session_id}/1")
    page = client.get(f"/training/{session_id}/1").get_data(as_text=True)
    assert "What is your verdict?" in page and "The kiosk&#39;s screening" in page
    with client.get(f"/training/{session_id}/image/1") as image:
        assert image.data == (SAMPLES / "001_td3_tkm_scan300.jpg").read_bytes()
    key = [json.loads(line) for line in (SAMPLES / "answer_key.jsonl").read_text().splitlines() if line.strip()]
    post(client, f"/training/{session_id}/1", {"verdict": key[0]["expected_verdict"]})  # right
    wrong = next(v for v in ("clear", "review", "alert") if v != key[1]["expected_verdict"])
    post(client, f"/training/{session_id}/2", {"verdict": wrong})
    assert client.get(f"/training/{session_id}").headers["Location"].endswith(f"/training/{session_id}/3")
    score = client.get(f"/training/{session_id}/score").get_data(as_text=True)
    assert re.search(r'id="score">1 / 2<', score) and "Clean document" in score  # right of answered
    assert f"answered 2 of {len(key)}" in score
    assert post(client, f"/training/{session_id}/1", {"verdict": "maybe"}).status_code == 400
    assert client.get(f"/training/{session_id}/99").status_code == 404
    assert client.get(f"/training/{session_id}/trainees").status_code == 403
    post(client, "/logout")

    client = as_role("trainer")
    trainees = client.get(f"/training/{session_id}/trainees").get_data(as_text=True)
    assert "officer" in trainees and f"<td>1 / 2</td><td>2 / {len(key)}</td>" in trainees


def _answer_all(client, session_id: int, key: list[dict]) -> str:
    for entry in key:
        post(client, f"/training/{session_id}/{entry['index']}", {"verdict": entry["expected_verdict"]})
    return client.get(f"/training/{session_id}/score").get_data(as_text=True)


def test_the_russian_score_page_explains_in_russian(app, as_role):
    client = as_role("trainer")
    post(client, "/training/open", {"folder": str(SAMPLES), "title": "Курс"})
    session_id = records(app, "training_opened")[-1].id
    post(client, "/logout")
    client = as_role("officer")
    post(client, "/language", {"language": "ru", "next": "/training/"})
    key = [json.loads(line) for line in (SAMPLES / "answer_key.jsonl").read_text().splitlines() if line.strip()]
    score = _answer_all(client, session_id, key)
    # 008: a date of birth check digit changed; 001: clean. Details, notices and the verdict, in Russian.
    assert ("Контрольная цифра поля «Дата рождения» (строка 2, позиция 20) напечатана как 3; правильная цифра — 6. "
            "Одна контрольная цифра МСЗ не совпадает со своим полем") in score
    assert "Документ без нарушений: все контрольные цифры верны" in score and "Заключение: тревога." in score
    assert "Clean document" not in score and "check digit" not in score and "Verdict:" not in score
    explained = re.findall(r'<td class="explanation">(.*?)</td>', score, re.S)
    assert len(explained) == len(key) and not [e for e in explained if not re.search("[А-Яа-я]", e)]


def test_an_answer_key_without_templates_still_shows_its_english(app, as_role, tmp_path):
    folder = tmp_path / "old-set"
    folder.mkdir()
    rows = [json.loads(line) for line in (SAMPLES / "answer_key.jsonl").read_text().splitlines()][:2]
    for row in rows:
        shutil.copy(SAMPLES / row["file"], folder / row["file"])
        del row["explanation_template"]
    (folder / "answer_key.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    client = as_role("trainer")
    post(client, "/training/open", {"folder": str(folder), "title": "old"})
    session_id = records(app, "training_opened")[-1].id
    post(client, "/language", {"language": "ru", "next": "/training/"})
    score = _answer_all(client, session_id, [{**r, "index": n} for n, r in enumerate(rows, 1)])
    assert rows[0]["explanation"] in score
