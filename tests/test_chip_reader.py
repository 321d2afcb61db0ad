"""Full chip reads with the software card: BAC, PACE, clone detection, and every way a read
can fail, each with its clear outcome and none with a hang."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec

from chip_card import CA_3DES, FACE_JPEG, GENUINE_TD3, make_material
from screening.chip.reader import read_chip
from screening.chip.transport import DeadlineTransport, PcscTransport, list_readers
from screening.chip import lds
from screening.chip.access import AccessKey
from screening.chip.errors import NoCard, NoReader
from screening.chip.models import FAILED, NOT_SUPPORTED, PASSED

ALL_FILES = {"EF.COM", "EF.SOD", "DG1", "DG2", "DG11", "DG14", "DG15"}


@pytest.fixture(scope="module")
def genuine():
    return make_material()


def assert_complete(read, material):
    assert read.outcome == "read", read.message
    assert ALL_FILES <= set(read.files)
    for name in ALL_FILES:
        fid = lds.EF_COM if name == "EF.COM" else lds.EF_SOD if name == "EF.SOD" else lds.DG_FIDS[int(name[2:])]
        assert read.files[name] == material.files[fid], name
    assert read.mrz_lines == GENUINE_TD3
    assert read.face is not None and read.face.image == FACE_JPEG and read.face.format == "jpeg"
    assert read.chip_authentication.status == PASSED
    assert read.active_authentication.status == PASSED


def test_full_read_over_bac(genuine):
    read = read_chip(genuine.card(pace_parameter_id=None), genuine.key)
    assert read.access_protocol == "BAC"
    assert "EF.CardAccess" not in read.files
    assert_complete(read, genuine)
    steps = [step for step, _ms in read.timings_ms]
    assert steps[:3] == ["EF.CardAccess", "access", "read EF.COM"] and steps[-1] == "total"
    assert all(ms >= 0 for _step, ms in read.timings_ms)


@pytest.mark.parametrize("parameter_id", [13, 12])
def test_full_read_over_pace(genuine, parameter_id):
    read = read_chip(genuine.card(pace_parameter_id=parameter_id), genuine.key)
    assert read.access_protocol == "PACE" and read.pace_fallback == ""
    assert "EF.CardAccess" in read.files
    assert_complete(read, genuine)


def test_pace_only_chip_is_read_without_bac(genuine):
    card = genuine.card(bac=False)
    assert read_chip(card, genuine.key).access_protocol == "PACE"
    assert not any(apdu[1] == 0x84 for apdu in card.log)  # no GET CHALLENGE


def test_pace_variant_not_supported_falls_back_to_bac(genuine):
    # Parameter ID 9 (brainpoolP192r1) is not a curve cryptography has.
    read = read_chip(genuine.card(pace_parameter_id=9), genuine.key)
    assert read.access_protocol == "BAC"
    assert "not supported" in read.pace_fallback
    assert_complete(read, genuine)


def test_chip_authentication_with_3des_keys():
    material = make_material(ca_protocol=CA_3DES, ca_curve=crypto_ec.SECP256R1())
    read = read_chip(material.card(pace_parameter_id=None), material.key)
    assert read.chip_authentication.status == PASSED and read.chip_authentication.reason == "ECDH 3DES"


def test_a_file_past_32_kilobytes_is_read_with_odd_ins():
    big_face = FACE_JPEG[:-2] + bytes(range(256)) * 160 + b"\xff\xd9"  # ~45 KB
    material = make_material(extra_files={lds.DG_FIDS[2]: lds.build_dg2(big_face, lds.JPEG)})
    card = material.card()
    read = read_chip(card, material.key)
    assert read.outcome == "read"
    assert read.face.image == big_face
    assert any(apdu[1] == 0xB1 for apdu in card.log)


def test_long_td1_document_number_opens_the_chip():
    td1 = ("I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<")
    material = make_material(td1)
    typed = AccessKey("D23145890734", "340712", "950712")
    for pace_parameter_id in (None, 13):
        read = read_chip(material.card(pace_parameter_id=pace_parameter_id), typed)
        assert read.outcome == "read" and read.mrz_lines == td1
    # The nine printed characters alone are not the key.
    assert read_chip(material.card(), AccessKey("D23145890", "340712", "950712")).outcome == "refused"


# --- clone detection ---------------------------------------------------------------------------

def test_a_clone_fails_chip_and_active_authentication(genuine):
    for pace_parameter_id in (None, 13):
        read = read_chip(genuine.clone(pace_parameter_id=pace_parameter_id), genuine.key)
        assert read.chip_authentication.status == FAILED, read.chip_authentication
        assert read.active_authentication.status == FAILED
        # Another key recovers noise, or (where the clone's modulus is the larger) signs a value
        # beyond the genuine key's: which one is down to the clone's random key.
        assert ("ISO 9796-2" in read.active_authentication.reason
                or read.active_authentication.reason == "signature of the wrong size for the key")
        # The data are still read (a new session after the failed key agreement) for the officer.
        assert read.outcome == "read" and read.mrz_lines == GENUINE_TD3


def test_a_clone_without_any_private_keys_fails_both(genuine):
    read = read_chip(genuine.card(ca_private_key=None, aa_private_key=None), genuine.key)
    assert read.chip_authentication.status == FAILED and "6A80" in read.chip_authentication.reason
    assert read.active_authentication.status == FAILED and "6D00" in read.active_authentication.reason


def test_a_chip_without_dg14_and_dg15_does_not_support_them(genuine):
    files = {fid: data for fid, data in genuine.files.items() if fid not in (lds.DG_FIDS[14], lds.DG_FIDS[15])}
    files[lds.EF_COM] = lds.build_com([1, 2, 11])
    material = type(genuine)(genuine.key, files, genuine.ca_private_key, genuine.aa_private_key)
    read = read_chip(material.card(), material.key)
    assert read.outcome == "read"
    assert read.chip_authentication.status == NOT_SUPPORTED
    assert read.active_authentication.status == NOT_SUPPORTED


# --- failures -------------------------------------------------------------------------------------

WRONG = AccessKey("L898902C3", "740812", "120416")  # expiry one day off


@pytest.mark.parametrize("pace_parameter_id", [None, 13])
def test_the_wrong_mrz_is_refused(genuine, pace_parameter_id):
    read = read_chip(genuine.card(pace_parameter_id=pace_parameter_id), WRONG)
    assert read.outcome == "refused"
    assert "refused" in read.message
    assert not set(read.files) & ALL_FILES


def test_a_card_removed_mid_read_keeps_what_was_read(genuine):
    read = read_chip(genuine.card(remove_after=30), genuine.key)
    assert read.outcome == "removed"
    assert "EF.COM" in read.files and "DG15" not in read.files


@pytest.mark.parametrize("kind", ["mac", "truncated"])
def test_a_garbage_answer_is_garbage(genuine, kind):
    read = read_chip(genuine.card(garbage_after=20, garbage_kind=kind), genuine.key)
    assert read.outcome == "garbage"
    assert read.access_protocol == "PACE" and "EF.COM" in read.files


def test_garbage_during_bac_is_garbage(genuine):
    read = read_chip(genuine.card(pace_parameter_id=None, garbage_after=3), genuine.key)
    assert read.outcome == "garbage" and read.access_protocol is None


def test_a_chip_that_stops_answering_times_out_without_hanging(genuine):
    card = genuine.card(hang_after=25)
    start = time.monotonic()
    try:
        read = read_chip(DeadlineTransport(card), genuine.key, timeout_s=0.2)
    finally:
        card.release()
    assert time.monotonic() - start < 2.0
    assert read.outcome == "timeout"
    assert "EF.COM" in read.files


class RaisingTransport:
    def __init__(self, error):
        self.error = error

    def transmit(self, apdu: bytes, timeout_s: float) -> bytes:
        raise self.error


@pytest.mark.parametrize("error, outcome", [(NoReader("unplugged"), "no_reader"), (NoCard(), "no_card")])
def test_no_reader_and_no_card_are_outcomes(genuine, error, outcome):
    read = read_chip(RaisingTransport(error), genuine.key)
    assert read.outcome == outcome and read.files == {}
    assert read.chip_authentication.status == "not_run"


def test_pcsc_without_a_reader_is_an_outcome_not_an_exception(genuine):
    try:
        readers = list_readers()
    except NoReader:
        readers = []
    if readers:
        pytest.skip(f"a real reader is attached: {readers}")
    read = read_chip(PcscTransport(), genuine.key)
    assert read.outcome == "no_reader"
