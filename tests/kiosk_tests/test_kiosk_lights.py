"""Pages under white, infrared and ultraviolet light at the kiosk: the hot folder groups a page's
images into one screening (complete at once, incomplete after the timeout saying what is
missing), an ordinary scan is not delayed, uploads group the same way, and the screen serves
each light's image with the light findings marked on it. The switch in the real browser:
test_kiosk_browser.py."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import time
from pathlib import Path

import pytest

from kiosk_helpers import SAMPLES, post, records

TODAY = dt.date(2026, 11, 23)


def wait_for(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def light_images(defects=(), index=0) -> dict[str, bytes]:
    """A generated TD3 page under the three lights (JPEG bytes per light), as a reader writes them."""
    from screening.samples.generate import Options, Plan, make_document

    options = Options(out=Path("."), seed=15, today=TODAY, lights=True, course=False)
    return dict(make_document(Plan(index, "TD3", "reader_desk", tuple(defects), "icao_en"), options).images)


@pytest.fixture(scope="module")
def non_ir_ink():
    return light_images(("mrz_non_ir_ink",))


@pytest.fixture(scope="module")
def clean_set():
    return light_images(index=1)


def write_set(folder: Path, stem: str, images: dict[str, bytes], lights=("white", "ir", "uv")) -> list[Path]:
    paths = []
    for light in lights:
        path = folder / f"{stem}_{light}.jpg"
        path.write_bytes(images[light])
        paths.append(path)
    return paths


@pytest.fixture
def light_app(data_dir, tmp_path):
    """A kiosk watching a hot folder, with a short set timeout (the default is the library's 4 s)."""
    from kiosk import create_app, start_services, stop_services
    from kiosk.config import update_config

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    update_config(data_dir, light_set_timeout_seconds=1.0)
    application = create_app({"DATA_DIR": data_dir, "TESTING": True, "HOT_FOLDER": inbox})
    start_services(application)
    yield application, inbox
    stop_services(application)


def screenings(app):
    return records(app, "screening")


def test_a_complete_set_is_one_screening_with_every_lights_copy(light_app, non_ir_ink):
    app, inbox = light_app
    write_set(inbox, "page-0001", non_ir_ink)
    (record,) = wait_for(lambda: screenings(app))
    time.sleep(1.5)  # past the timeout: nothing else is screened from these files
    assert len(screenings(app)) == 1
    payload = record.payload
    assert payload["original_name"] == "page-0001_white.jpg" and payload["source"] == "hotfolder"
    assert payload["result"]["lights"]["supplied"] == ["white", "ir", "uv"]
    assert payload["result"]["lights"]["missing"] == []
    checks = {c["id"]: c for c in payload["result"]["checks"]}
    assert checks["light.ir_mrz"]["status"] == "fail" and record.verdict == "alert"
    images_dir = app.extensions["kiosk"].intake.images_dir
    stored = payload["light_images"]
    assert set(stored) == {"white", "ir", "uv"}
    for light, entry in stored.items():
        assert entry["name"] == f"page-0001_{light}.jpg"
        assert (images_dir / entry["original"]).read_bytes() == non_ir_ink[light]  # the original kept as it came
        assert (images_dir / entry["image"]).is_file() and entry["registered"]
        assert entry["size"] == stored["white"]["size"]  # IR and UV shown laid onto the white page
    wait_for(lambda: not any(inbox.rglob("*.jpg")))  # all three moved into the store


def test_an_ordinary_scan_is_not_held_back_by_a_waiting_set(light_app, clean_set):
    app, inbox = light_app
    write_set(inbox, "0007", clean_set, lights=("white", "ir"))  # UV never comes
    time.sleep(0.3)
    shutil.copyfile(SAMPLES / "001_td3_tkm_scan300.jpg", inbox / "scan-0001.jpg")
    ordinary = wait_for(lambda: [r for r in screenings(app) if r.payload["original_name"] == "scan-0001.jpg"])
    assert not [r for r in screenings(app) if r.payload["original_name"].startswith("0007")]  # still waiting
    assert "light_images" not in ordinary[0].payload and "lights" not in ordinary[0].payload["result"]
    # After the timeout the incomplete set is screened as far as it goes, saying what is missing.
    (partial,) = wait_for(lambda: [r for r in screenings(app) if r.payload["original_name"] == "0007_white.jpg"])
    assert partial.payload["result"]["lights"]["missing"] == ["uv"]
    assert set(partial.payload["light_images"]) == {"white", "ir"}
    checks = {c["id"]: c for c in partial.payload["result"]["checks"]}
    assert checks["light.uv_paper"]["status"] == "skip" and checks["light.uv_paper"]["severity"] == "review"
    assert "ultraviolet image of this set is missing" in checks["light.uv_paper"]["message"]
    assert partial.verdict == "review"


def test_a_set_is_not_screened_twice_after_a_crash(app, tmp_path, clean_set):
    from screening import lights

    from kiosk.intake import HOT_FOLDER

    intake = app.extensions["kiosk"].intake
    paths = write_set(tmp_path, "again", clean_set)
    (light_set,) = lights.group(paths)
    assert len(intake.screen_set(light_set, source=HOT_FOLDER, actor=None)) == 1
    # The kiosk stopped before removing the files: the same files are not screened again.
    assert intake.screen_set(light_set, source=HOT_FOLDER, actor=None) == []
    assert not any(p.exists() for p in paths)


def upload(client, files: dict[str, bytes]):
    data = {"image": [(io.BytesIO(content), name) for name, content in files.items()]}
    response = post(client, "/screen/upload", data, content_type="multipart/form-data")
    response.request.environ["wsgi.input"].close()  # a form over 500 kB is sent from a temporary file
    return response


def test_uploads_sent_together_are_grouped_and_each_light_is_served(app, as_role, non_ir_ink):
    client = as_role("officer")
    files = {f"doc_{light}.jpg": content for light, content in non_ir_ink.items()}
    files["other.jpg"] = (SAMPLES / "001_td3_tkm_scan300.jpg").read_bytes()
    response = upload(client, files)
    assert response.status_code == 302
    found = {r.payload["original_name"]: r for r in screenings(app)}
    assert set(found) == {"doc_white.jpg", "other.jpg"}  # one page under three lights, one ordinary scan
    record = found["doc_white.jpg"]
    assert record.payload["source"] == "upload" and set(record.payload["light_images"]) == {"white", "ir", "uv"}
    assert "light_images" not in found["other.jpg"].payload

    page = client.get(f"/screen/{record.id}").get_data(as_text=True)
    assert 'class="light-switch"' in page and page.count('class="light-button"') == 3
    # The MRZ that fades under infrared is marked on the infrared image, not on the white one.
    frames = {m.group(1): m.group(0) for m in re.finditer(
        r'<div class="light-frame" data-light="(\w+)".*?(?=<div class="light-frame"|<figcaption)', page, re.S)}
    assert "light-mark mark-alert" in frames["ir"] and "The MRZ fades under infrared" in frames["ir"]
    assert "light-mark" not in frames["white"] and "light-mark" not in frames["uv"]
    for light in ("white", "ir", "uv"):
        with client.get(f"/screen/image/{record.id}/{light}") as served:
            assert served.status_code == 200 and "no-store" in served.headers["Cache-Control"]
            assert served.data[:8] == b"\x89PNG\r\n\x1a\n" if light != "white" else served.data[:2] == b"\xff\xd8"
    # An ordinary scan has no switch and no light images.
    assert 'class="light-switch"' not in client.get(f"/screen/{found['other.jpg'].id}").get_data(as_text=True)
    assert client.get(f"/screen/image/{found['other.jpg'].id}/ir").status_code == 404
    post(client, "/logout")
    assert client.get(f"/screen/image/{record.id}/ir").status_code == 403  # login required, as for the white copy


def test_the_russian_screen_names_the_lights_in_russian(app, as_role, clean_set):
    from kiosk import db

    client = as_role("officer")
    upload(client, {f"p_{light}.jpg": clean_set[light] for light in ("white", "uv")})
    (record,) = screenings(app)
    connection = db.connect(app.config["DATABASE"])
    connection.execute("UPDATE users SET language = 'ru' WHERE name = 'officer'")
    connection.commit()
    connection.close()
    page = client.get(f"/screen/{record.id}").get_data(as_text=True)
    assert "Белый свет" in page and "Ультрафиолет" in page and "переключает свет" in page
    assert "В комплекте нет снимка" in page and "Инфракрасный" in page  # the missing IR, named


def test_the_light_marks_labels_are_translated():
    from kiosk import views
    from kiosk.locales import ru

    words = set(views.PLACE_LABELS.values()) | set(views.LIGHT_LABELS.values())
    assert not words - set(ru.MESSAGES)


def test_a_set_whose_lights_waited_behind_a_long_screening_is_still_one_set(tmp_path):
    from kiosk.sources import _TICK, HotFolder

    class Clock:
        now = 0.0

        def __call__(self):
            return self.now

    class Intake:  # records what it is asked to screen; an ordinary scan takes longer than the set timeout
        def __init__(self):
            self.sets, self.files = [], []

        def screen_path(self, path, *, original_name, **_):
            clock.now += 10.0
            self.files.append(original_name)

        def screen_set(self, light_set, **_):
            self.sets.append(sorted(light_set.supplied))

    clock, intake = Clock(), Intake()
    folder = tmp_path / "inbox"
    folder.mkdir()
    hot = HotFolder(folder, intake, settle_seconds=0.0, set_timeout=4.0, clock=clock)
    for name in ("0001_white.jpg", "ordinary.jpg", "0001_ir.jpg", "0001_uv.jpg"):
        (folder / name).write_bytes(b"scan")
        hot.offer(folder / name, finished=True)
    while not hot._queue.empty():
        hot._step(hot._queue.get())
    hot._step(_TICK)
    assert intake.files == ["ordinary.jpg"]
    assert intake.sets == [sorted(["white", "ir", "uv"])]


# ------------------------------------------------------------------ readers that write the same names for every page


class FakeClock:
    now = 0.0

    def __call__(self):
        return self.now


def _hot_folder(folder: Path, intake, clock=None, timeout=4.0):
    from kiosk.sources import HotFolder

    folder.mkdir(exist_ok=True)
    return HotFolder(folder, intake, settle_seconds=0.0, set_timeout=timeout, clock=clock or FakeClock())


def _run(hot) -> None:
    """What the watcher's thread does with the files offered so far, then one look at the waiting sets."""
    from kiosk.sources import _TICK

    while not hot._queue.empty():
        hot._step(hot._queue.get())
    hot._step(_TICK)


def _write(hot, name: str, content: bytes) -> None:
    (hot.folder / name).write_bytes(content)
    hot.offer(hot.folder / name, finished=True)


def _stored(app, record) -> dict[str, bytes]:
    images_dir = app.extensions["kiosk"].intake.images_dir
    return {light: (images_dir / entry["original"]).read_bytes() for light, entry in record.payload["light_images"].items()}


def _sha256(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_the_next_page_written_under_the_same_names_while_a_set_is_screened_is_neither_mixed_in_nor_lost(
        app, tmp_path, non_ir_ink, clean_set):
    intake = app.extensions["kiosk"].intake

    class NextPageArrives:
        """The reader writes the next page's white.jpg while the page before is being screened."""

        arrived = False

        def screen_path(self, *args, **kwargs):
            return intake.screen_path(*args, **kwargs)

        def screen_set(self, light_set, **kwargs):
            if not self.arrived:
                self.arrived = True
                _write(hot, "white.jpg", clean_set["white"])
            return intake.screen_set(light_set, **kwargs)

    hot = _hot_folder(tmp_path / "inbox", NextPageArrives())
    for light in ("white", "ir", "uv"):
        _write(hot, f"{light}.jpg", non_ir_ink[light])
    _run(hot)
    (first,) = screenings(app)
    assert _stored(app, first) == non_ir_ink  # the first page's own three images, nothing of the next
    assert {e["name"] for e in first.payload["light_images"].values()} == {"white.jpg", "ir.jpg", "uv.jpg"}
    # The next page's image is kept (taken, waiting for its set), not removed with the page before.
    assert [p.read_bytes() for p in hot.folder.rglob("*.jpg")] == [clean_set["white"]]
    for light in ("ir", "uv"):
        _write(hot, f"{light}.jpg", clean_set[light])
    _run(hot)
    first_again, second = screenings(app)
    assert first_again.id == first.id and _stored(app, second) == clean_set
    assert first.verdict == "alert" and second.verdict != "alert"
    for record in (first, second):
        for light, entry in record.payload["light_images"].items():
            assert entry["sha256"] == _sha256(_stored(app, record)[light])
    assert not any(hot.folder.rglob("*.jpg"))  # every file recorded, then cleared


def test_a_light_the_waiting_set_already_has_is_the_next_pages_and_starts_a_set_of_its_own(app, tmp_path, non_ir_ink,
                                                                                             clean_set):
    clock = FakeClock()
    hot = _hot_folder(tmp_path / "inbox", app.extensions["kiosk"].intake, clock=clock)
    for light in ("white", "ir"):  # this reader saves no UV image
        _write(hot, f"{light}.jpg", non_ir_ink[light])
    _run(hot)
    assert screenings(app) == []  # waiting for its UV image, within the timeout
    clock.now += 1.0
    _write(hot, "white.jpg", clean_set["white"])  # the next page: the set before is as complete as it gets
    _run(hot)
    (first,) = screenings(app)
    assert _stored(app, first) == {"white": non_ir_ink["white"], "ir": non_ir_ink["ir"]}
    assert first.payload["result"]["lights"]["missing"] == ["uv"]
    _write(hot, "ir.jpg", clean_set["ir"])
    _run(hot)
    assert len(screenings(app)) == 1  # the next page waits for its own UV image
    clock.now += 10.0
    _run(hot)
    second = screenings(app)[1]
    assert _stored(app, second) == {"white": clean_set["white"], "ir": clean_set["ir"]}


def test_files_taken_but_not_recorded_when_the_kiosk_stopped_are_screened_at_the_next_start(app, tmp_path, clean_set):
    from kiosk.sources import TAKEN_FOLDER

    intake = app.extensions["kiosk"].intake
    hot = _hot_folder(tmp_path / "inbox", intake)
    for light in ("white", "ir"):  # the kiosk stops while the set waits for its UV image
        _write(hot, f"0009_{light}.jpg", clean_set[light])
    _run(hot)
    assert screenings(app) == [] and len(list((hot.folder / TAKEN_FOLDER).iterdir())) == 2
    restarted = _hot_folder(hot.folder, intake)
    restarted.start()
    try:
        _write(restarted, "0009_uv.jpg", clean_set["uv"])
        (record,) = wait_for(lambda: screenings(app))
    finally:
        restarted.stop()
    assert _stored(app, record) == clean_set and record.payload["original_name"] == "0009_white.jpg"
    assert not any(hot.folder.rglob("*.jpg"))


def test_the_recorded_digest_is_of_the_bytes_stored_even_if_the_file_changes_meanwhile(app, tmp_path, monkeypatch,
                                                                                         clean_set, non_ir_ink):
    from kiosk import db
    from screening import lights

    from kiosk.intake import HOT_FOLDER

    intake = app.extensions["kiosk"].intake
    paths = write_set(tmp_path, "p", clean_set)
    single = tmp_path / "single.jpg"
    single.write_bytes(clean_set["white"])
    connect = db.connect

    def rewritten_then_connect(*args, **kwargs):  # a writer rewrites the files as the screening starts
        for light, path in zip(("white", "ir", "uv"), paths):
            if path.exists():
                path.write_bytes(non_ir_ink[light])
        if single.exists():
            single.write_bytes(non_ir_ink["white"])
        return connect(*args, **kwargs)

    monkeypatch.setattr(db, "connect", rewritten_then_connect)
    (light_set,) = lights.group(paths)
    intake.screen_set(light_set, source=HOT_FOLDER, actor=None)
    intake.screen_path(single, source=HOT_FOLDER, original_name="single.jpg", actor=None)
    monkeypatch.setattr(db, "connect", connect)
    as_set, alone = screenings(app)
    stored = _stored(app, as_set)
    for light, entry in as_set.payload["light_images"].items():
        assert entry["sha256"] == _sha256(stored[light])
    assert as_set.payload["source_sha256"] == _sha256(stored["white"])
    images_dir = intake.images_dir
    assert alone.payload["source_sha256"] == _sha256((images_dir / alone.payload["original"]).read_bytes())


@pytest.mark.parametrize("index, side", [(0, "right"), (1, "left")])  # two_column's draws: photo right, left
def test_the_portrait_mark_is_drawn_where_the_page_prints_the_portrait(index, side):
    from screening.imageio import load_bytes
    from screening.lights import LightSet
    from screening.pipeline import screen_light_set
    from screening.samples.generate import Options, Plan, make_document

    from kiosk.views import light_marks

    options = Options(out=Path("."), seed=15, today=TODAY, lights=True, course=False)
    document = make_document(Plan(index, "TD3", "reader_desk", ("substituted_photo",), "two_column"), options)
    images = {light: load_bytes(data, f"{light}.jpg")[0].image for light, data in document.images.items()}
    result = screen_light_set(LightSet("photo", **images), today=TODAY).to_dict()
    height, width = images["white"].shape
    (mark,) = light_marks(result["checks"], result["mrz"], "uv", (width, height))
    assert mark.mark == "alert" and mark.labels == ("The portrait glows under ultraviolet",)
    xs = [float(point.split(",")[0]) for point in mark.points.split()]
    mrz_xs = [x for x, _y in result["mrz"]["region"]]
    middle = (min(mrz_xs) + max(mrz_xs)) / 2
    # The mark lies wholly on the portrait's side of the page's middle (the MRZ is centred on it).
    assert (min(xs) > middle) if side == "right" else (max(xs) < middle), (xs, middle)
