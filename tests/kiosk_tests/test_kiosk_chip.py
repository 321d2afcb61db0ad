"""The chip at the kiosk: the page is screened and shown at once, the software card (tests/chip_card.py)
is read on the chip's own thread, and its joined result is logged, shown and served by the API."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import threading
import time

import cv2
import numpy as np
import pytest

import pages
from chip_card import make_material
from chip_pki import TODAY, make_crl, make_csca, make_signer, make_sod
from kiosk_helpers import PASSWORDS, post, records
from screening.chip import lds

MRZ = tuple(pages.td3(surname="ERIKSSON", given="ANNA<MARIA", number="K52816473", state="KAZ", birth="740812",
                      expiry="301231"))
# The same traveller's dates, another document number: a chip refuses these keys.
OTHER_NUMBER = tuple(pages.td3(surname="ERIKSSON", given="ANNA<MARIA", number="K52816474", state="KAZ",
                               birth="740812", expiry="301231"))
READ_WAIT_S = 10.0  # a software-card read takes 20-60 ms; generous for a busy machine


def face_image(extension: str) -> tuple[bytes, int, int]:
    rows, columns = np.mgrid[0:64, 0:48]
    image = np.dstack([rows * 4, columns * 5, (rows + columns) * 2]).astype(np.uint8)
    ok, buffer = cv2.imencode(extension, image)
    assert ok
    return buffer.tobytes(), 48, 64


@pytest.fixture(scope="module")
def kazakh():
    csca = make_csca("KZ", "p256")
    return csca, make_signer(csca, "p256", common_name="Document Signer KZ")


def card_material(signer, mrz=MRZ, face_format=lds.JPEG):
    """A genuine card of ``mrz`` with a real portrait, its EF.SOD signed by ``signer``."""
    face, width, height = face_image(".jpg" if face_format == lds.JPEG else ".jp2")
    material = make_material(mrz, extra_files={lds.DG_FIDS[2]: lds.build_dg2(face, face_format, width, height)})
    groups = {fid - 0x0100: data for fid, data in material.files.items() if 0x0101 <= fid <= 0x0110}
    return dataclasses.replace(material, files={**material.files, lds.EF_SOD: make_sod(groups, signer)}), face


@pytest.fixture(scope="module")
def genuine(kazakh):
    return card_material(kazakh[1])


@pytest.fixture
def chip_app(data_dir, kazakh):
    """A kiosk whose trust store (in its data folder) holds Kazakhstan's CSCA and CRL, screening as of
    the test PKI's day; the tests put a card on its reader (state.open_chip_transport)."""
    from kiosk import create_app
    from kiosk.config import WATCHLIST_NAME
    from screening import Settings
    from screening.chip.trust import TrustStore

    with TrustStore.in_data_dir(data_dir) as trust:
        trust.import_bytes(kazakh[0].der, "KZ CSCA")
        trust.import_bytes(make_crl(kazakh[0]), "KZ CRL")
    settings = Settings(today=TODAY, watchlist=str(data_dir / WATCHLIST_NAME))
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "SETTINGS": settings})
    yield app
    app.extensions["kiosk"].chip.stop()


@pytest.fixture
def kiosk_cli(monkeypatch, capsys):
    """`screening kiosk ...` in this process: (exit status, standard output)."""
    from kiosk import cli, logkey

    monkeypatch.setenv(logkey.KEY_ENV, "")  # --log-key sets it for the process: undone after the test

    def run(*argv):
        status = cli.main([str(a) for a in argv])
        return status, capsys.readouterr().out

    return run


def on_reader(app, card):
    app.extensions["kiosk"].open_chip_transport = lambda: card


def signed_in(app, role="officer"):
    client = app.test_client()
    response = post(client, "/login", {"username": role, "password": PASSWORDS[role]})
    assert response.status_code == 302
    return client


def screen_typed(app, client, lines=MRZ, wait=True) -> int:
    post(client, "/screen/typed", {"mrz_text": "\n".join(lines)})
    screening_id = records(app, "screening")[-1].id
    if wait:
        assert app.extensions["kiosk"].chip.wait_idle(READ_WAIT_S)
    return screening_id


def chip_findings(result: dict) -> dict[str, dict]:
    return {c["id"]: c for c in result["checks"] if c["id"].startswith("chip.")}


def basic(role="officer"):
    return {"Authorization": "Basic " + base64.b64encode(f"{role}:{PASSWORDS[role]}".encode()).decode()}


def test_without_a_reader_the_screen_says_the_chip_was_not_read_and_the_verdict_stands(app):
    client = signed_in(app)
    screening_id = screen_typed(app, client)
    page = client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert "Chip: not read (no reader configured)" in page
    assert 'data-verdict="clear"' in page
    assert records(app, "chip") == []
    body = client.get(f"/api/screenings/{screening_id}", headers=basic()).get_json()
    assert body["chip_status"] == "off" and body["chip"] is None and body["verdict"] == "clear"


def test_a_genuine_chip_joins_the_screening_in_the_log_on_screen_and_in_the_api(chip_app, genuine, kiosk_cli):
    material, face = genuine
    on_reader(chip_app, material.card())
    client = signed_in(chip_app)
    screening_id = screen_typed(chip_app, client)

    (chip,) = records(chip_app, "chip")
    assert chip.ref == screening_id and chip.verdict == "clear"
    assert records(chip_app, "screening")[-1].payload["result"]["chip"] is None  # the page's record stays as written
    found = chip_findings(chip.payload["result"])
    assert {f["status"] for f in found.values()} == {"pass"}, {k: f["message"] for k, f in found.items()}
    assert "chip.clone" in found and "chip.certificate_chain" in found

    page = client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert "Chip: read over PACE" in page and 'data-verdict="clear"' in page
    assert f'src="/screen/chip-face/{screening_id}"' in page

    with client.get(f"/screen/chip-face/{screening_id}") as portrait:
        assert portrait.status_code == 200 and portrait.mimetype == "image/jpeg" and portrait.data == face
    assert chip_app.test_client().get(f"/screen/chip-face/{screening_id}").status_code == 403  # not signed in

    body = client.get(f"/api/screenings/{screening_id}", headers=basic()).get_json()
    assert body["chip_status"] == "done" and body["chip"]["outcome"] == "read" and body["chip"]["access"] == "PACE"
    listed = client.get("/api/screenings", headers=basic()).get_json()[0]
    assert listed["id"] == screening_id and listed["chip_status"] == "done"

    # The officer's decision stays on the screening, with the verdict the chip joined.
    post(client, f"/screen/{screening_id}/decision", {"decision": "admit"})
    (decision,) = records(chip_app, "decision")
    assert decision.ref == screening_id and decision.verdict == "clear"

    status, out = kiosk_cli("verify-log", "--data", chip_app.extensions["kiosk"].data_dir)
    assert status == 0, out


def test_a_chip_that_refuses_the_printed_mrz_turns_the_screen_to_an_alert(chip_app, genuine):
    on_reader(chip_app, genuine[0].card())
    client = signed_in(chip_app)
    screening_id = screen_typed(chip_app, client, OTHER_NUMBER)
    page = client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert 'data-verdict="alert"' in page
    assert "Chip: refused the MRZ&#39;s keys" in page
    assert "The chip refuses the keys of the printed MRZ" in page  # among the reasons
    assert chip_findings(records(chip_app, "chip")[-1].payload["result"])["chip.access"]["status"] == "fail"
    assert "chip-face" not in page  # nothing was read: no portrait to compare


def test_a_card_taken_away_mid_read_is_a_review_that_says_so(chip_app, genuine):
    on_reader(chip_app, genuine[0].card(remove_after=12))
    client = signed_in(chip_app)
    screening_id = screen_typed(chip_app, client)
    page = client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert 'data-verdict="review"' in page
    assert "Chip: opened over PACE, then the read broke off: the document was taken off the reader during the read" \
        in page
    assert records(chip_app, "chip")[-1].payload["result"]["chip"]["outcome"] == "removed"


def test_no_chip_answering_is_stated(chip_app):
    from screening.chip.errors import NoCard

    def nothing_on_the_reader():
        raise NoCard("reader 0")

    chip_app.extensions["kiosk"].open_chip_transport = nothing_on_the_reader
    client = signed_in(chip_app)
    screening_id = screen_typed(chip_app, client)
    page = client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert "Chip: not read: no chip answered on the reader" in page
    assert 'data-verdict="review"' in page  # a passport whose chip does not answer is looked at


def test_a_jpeg2000_portrait_is_shown_as_png(chip_app, kazakh):
    material, _face = card_material(kazakh[1], face_format=lds.JPEG2000)
    on_reader(chip_app, material.card())
    client = signed_in(chip_app)
    screening_id = screen_typed(chip_app, client)
    with client.get(f"/screen/chip-face/{screening_id}") as portrait:
        assert portrait.status_code == 200 and portrait.mimetype == "image/png"
        decoded = cv2.imdecode(np.frombuffer(portrait.data, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (64, 48, 3)


def test_the_portrait_is_purged_with_the_page_images(chip_app, genuine):
    on_reader(chip_app, genuine[0].card())
    client = signed_in(chip_app)
    screening_id = screen_typed(chip_app, client)
    intake = chip_app.extensions["kiosk"].intake
    assert intake.purge_images(30, now=time.time() + 31 * 86400) == 1
    assert client.get(f"/screen/chip-face/{screening_id}").status_code == 404
    page = client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert "Chip: read over PACE" in page and "deleted after the retention period" in page


class GatedReader:
    """A reader on which the card answers once the test opens the gate: a read that is still running.
    (The gate is in front of opening the card, which no per-command deadline bounds.)"""

    def __init__(self, card):
        self.card, self.gate, self.started = card, threading.Event(), threading.Event()

    def __call__(self):
        self.started.set()
        assert self.gate.wait(READ_WAIT_S)
        return self.card


def test_the_page_is_shown_while_the_chip_is_read_and_a_waiting_read_gives_way_to_a_newer_one(chip_app, genuine):
    gated = GatedReader(genuine[0].card())
    chip_app.extensions["kiosk"].open_chip_transport = gated
    client = signed_in(chip_app)
    first = screen_typed(chip_app, client, wait=False)
    assert gated.started.wait(READ_WAIT_S)
    assert "Chip: reading…" in client.get(f"/screen/{first}").get_data(as_text=True)
    assert client.get(f"/api/screenings/{first}", headers=basic()).get_json()["chip_status"] == "reading"
    second = screen_typed(chip_app, client, wait=False)  # waits its turn ...
    third = screen_typed(chip_app, client, wait=False)  # ... and gives it to the newest document
    gated.gate.set()
    assert chip_app.extensions["kiosk"].chip.wait_idle(READ_WAIT_S)
    by_screening = {r.ref: r for r in records(chip_app, "chip")}
    assert set(by_screening) == {first, second, third}
    assert by_screening[second].payload == {"skipped": "superseded"}
    assert "result" in by_screening[first].payload and "result" in by_screening[third].payload
    page = client.get(f"/screen/{second}").get_data(as_text=True)
    assert "a newer document was screened before this one" in page and 'data-verdict="clear"' in page


def test_an_unreadable_page_says_why_the_chip_was_not_read(chip_app, genuine):
    on_reader(chip_app, genuine[0].card())
    client = signed_in(chip_app)
    screening_id = screen_typed(chip_app, client, ("NOT AN MRZ",))
    assert "Chip: not read (its keys come from the MRZ, which was not read)" in \
        client.get(f"/screen/{screening_id}").get_data(as_text=True)
    assert records(chip_app, "chip") == []


def test_the_open_stream_gets_the_screening_then_its_chip(chip_app, genuine):
    on_reader(chip_app, genuine[0].card())
    client = signed_in(chip_app)
    response = client.get("/screen/events", buffered=False)
    chunks = (chunk.decode() if isinstance(chunk, bytes) else chunk for chunk in response.response)
    assert next(chunks).startswith("retry:")
    screening_id = screen_typed(chip_app, client)
    first, second = next(chunks), next(chunks)
    response.close()
    assert first.startswith(f"id: {screening_id}\nevent: screening\n")
    # No id line on the chip's event: a reconnection resumes after the newest screening, as before.
    assert second.startswith("event: chip\n")
    assert json.loads(second.split("data: ")[1]) == {"id": screening_id, "verdict": "clear"}


def test_every_reason_a_chip_is_not_read_has_a_russian_translation():
    from kiosk.locales import ru
    from kiosk.views import CHIP_NOT_READ

    assert set(CHIP_NOT_READ.values()) <= set(ru.MESSAGES)


def test_import_trust_puts_the_certificates_where_the_kiosks_chip_reads_find_them(data_dir, kazakh, genuine, kiosk_cli,
                                                                                  tmp_path):
    from kiosk import create_app
    from screening import Settings
    from screening.chip.trust import TrustStore

    csca = tmp_path / "kz-csca.pem"
    csca.write_bytes(kazakh[0].pem)
    status, out = kiosk_cli("import-trust", csca, "--data", data_dir)
    assert status == 0 and "trust.sqlite" in out
    assert (data_dir / "trust.sqlite").stat().st_mode & 0o077 == 0
    app = create_app({"DATA_DIR": data_dir, "TESTING": True, "SETTINGS": Settings(today=TODAY)})
    try:
        on_reader(app, genuine[0].card())
        screening_id = screen_typed(app, signed_in(app))
        (chip,) = records(app, "chip")
        assert chip.ref == screening_id
        assert chip_findings(chip.payload["result"])["chip.certificate_chain"]["status"] == "pass"
    finally:
        app.extensions["kiosk"].chip.stop()
    assert kiosk_cli("import-trust", tmp_path / "missing.pem", "--data", data_dir)[0] != 0
    # Both imports are in the tamper-evident log: the file, its digest, what it added or why it was refused.
    from kiosk import db

    connection = db.connect(data_dir / db.DB_NAME)
    try:
        imported, refused = db.records_of_kind(connection, db.TRUST_IMPORTED)
        assert db.verify_chain(connection, data_dir / db.HEAD_NAME).ok
    finally:
        connection.close()
    assert imported.actor == "command-line"
    assert imported.payload == {"file": "kz-csca.pem", "sha256": hashlib.sha256(kazakh[0].pem).hexdigest(),
                                "format": imported.payload["format"], "added": 1, "duplicates": 0}
    assert refused.payload["file"] == "missing.pem" and refused.payload["sha256"] is None and refused.payload["refused"]

    from kiosk.backup import backup

    backup(data_dir, tmp_path / "backup")
    with TrustStore(tmp_path / "backup" / "trust.sqlite") as copied:  # the backup carries the trust store
        assert [(c.state, c.cscas) for c in copied.coverage()] == [("KZ", 1)]
