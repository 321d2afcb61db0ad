"""The chip joining a screening: the software card read with the printed MRZ's keys, its data
signed by the test PKI, the chip.* checks, the verdict and the result's 'chip' part."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

import pages
from chip_card import make_material
from chip_pki import TODAY, build_test_pki, make_crl, make_csca, make_signer, make_sod
from screening.checks import Settings
from screening.chip import lds
from screening.chip.session import read_for
from screening.chip.trust import TrustStore
from screening.pipeline import add_chip, check_mrz_text

MRZ = tuple(pages.td3(surname="ERIKSSON", given="ANNA<MARIA", number="K52816473", state="KAZ", birth="740812",
                      expiry="301231"))
SCHEMA = json.loads((Path(__file__).parent.parent / "screening" / "schema" / "result-v1.json").read_text())
SETTINGS = Settings(today=TODAY)


@pytest.fixture(scope="module")
def pki():
    return build_test_pki()


@pytest.fixture(scope="module")
def kazakh():
    """Kazakhstan's CSCA and a Document Signer (the pages here are Kazakh: KAZ, KZ in certificates)."""
    csca = make_csca("KZ", "p256")
    return csca, make_signer(csca, "p256", common_name="Document Signer KZ")


@pytest.fixture(scope="module")
def store(pki, kazakh, tmp_path_factory):
    path = tmp_path_factory.mktemp("trust") / "trust.sqlite"
    with TrustStore(path) as trust:
        trust.import_bytes(pki.master_list, "master list")
        trust.import_bytes(kazakh[0].der, "KZ CSCA")
        trust.import_bytes(make_crl(kazakh[0]), "KZ CRL")
        trust.import_bytes(pki.crl, "crl")
    return TrustStore(path)


def signed(material, signer):
    """The card's files with an EF.SOD over its data groups, signed by ``signer``."""
    groups = {fid - 0x0100: data for fid, data in material.files.items() if 0x0101 <= fid <= 0x0110}
    return dataclasses.replace(material, files={**material.files, lds.EF_SOD: make_sod(groups, signer)})


@pytest.fixture(scope="module")
def genuine(kazakh):
    return signed(make_material(MRZ), kazakh[1])


def screen(card, store, lines=MRZ):
    page = check_mrz_text(list(lines), settings=SETTINGS)
    evidence = read_for(page.mrz.parsed, card, store=store, today=TODAY, timeout_s=1.0)
    return add_chip(page, evidence, settings=SETTINGS)


def by_id(result):
    return {f.id: f for f in result.checks if f.id.startswith("chip.")}


def test_a_genuine_chip_passes_every_chip_check_and_the_result_carries_it(genuine, store):
    result = screen(genuine.card(), store)
    found = by_id(result)
    assert {f.status for f in found.values()} == {"pass"}, {f.id: f.message for f in found.values()}
    assert set(found) == {"chip.access", "chip.dg1_match", "chip.signature", "chip.certificate_chain",
                          "chip.revocation", "chip.data_groups", "chip.clone"}
    assert result.verdict == "clear", result.reasons
    out = result.to_dict()
    jsonschema.validate(out, SCHEMA)
    assert out["chip"]["outcome"] == "read" and out["chip"]["access"] == "PACE"
    assert out["chip"]["passive"]["chain"] == "verified" and out["chip"]["face"]["format"] == "jpeg"


def test_a_chip_whose_mrz_differs_from_the_page_is_an_alert_naming_the_fields(genuine, store, kazakh):
    other = tuple(pages.td3(surname="PETROVA", given="ANNA<MARIA", number="K52816473", state="KAZ", birth="740812",
                            expiry="301231"))
    card = signed(make_material(other), kazakh[1]).card()
    result = screen(card, store)  # the page prints ERIKSSON: same keys, another name on the chip
    finding = by_id(result)["chip.dg1_match"]
    assert (finding.status, finding.severity) == ("fail", "alert") and "PETROVA" in finding.message
    assert "surname" in finding.fields or "name" in finding.fields
    assert result.verdict == "alert"


def test_a_data_group_altered_after_signing_fails_its_hash(genuine, store):
    files = dict(genuine.files)
    files[lds.DG_FIDS[11]] = lds.build_details(11, {"full_name": "PETROVA<<ANNA", "place_of_birth": "ZENITH"})
    result = screen(dataclasses.replace(genuine, files=files).card(), store)
    finding = by_id(result)["chip.data_groups"]
    assert (finding.status, finding.severity) == ("fail", "alert") and "11" in finding.message


def test_a_chip_signed_under_a_csca_not_installed_is_a_review(pki, store):
    result = screen(signed(make_material(MRZ), pki.unknown_signer).card(), store)
    finding = by_id(result)["chip.certificate_chain"]
    assert (finding.status, finding.severity) == ("skip", "review") and "not installed" in finding.message
    assert result.verdict == "review"


def test_a_revoked_document_signer_is_an_alert(pki, store):
    result = screen(signed(make_material(MRZ), pki.revoked_signer).card(), store)
    finding = by_id(result)["chip.revocation"]
    assert (finding.status, finding.severity) == ("fail", "alert"), finding.message


def test_a_cloned_chip_fails_chip_and_active_authentication(genuine, store):
    result = screen(genuine.clone(), store)
    finding = by_id(result)["chip.clone"]
    assert (finding.status, finding.severity) == ("fail", "alert"), finding.message
    assert by_id(result)["chip.data_groups"].status == "pass"  # copied data hash right: only the key tells


def test_a_chip_that_refuses_the_printed_mrz_is_an_alert(genuine, store):
    other = tuple(pages.td3(surname="ERIKSSON", given="ANNA<MARIA", number="K52816474", state="KAZ", birth="740812",
                            expiry="301231"))
    result = screen(genuine.card(), store, other)  # the page's number is not the chip's
    finding = by_id(result)["chip.access"]
    assert (finding.status, finding.severity) == ("fail", "alert")
    assert result.to_dict()["chip"]["outcome"] == "refused"


@pytest.mark.parametrize("knobs,outcome", [({"remove_after": 12}, "removed"), ({"garbage_after": 12}, "garbage")])
def test_a_read_that_breaks_off_is_said_and_makes_a_review(genuine, store, knobs, outcome):
    result = screen(genuine.card(**knobs), store)
    assert result.to_dict()["chip"]["outcome"] == outcome
    assert result.verdict == "review"
    assert any(f.status == "skip" and f.severity == "review" for f in by_id(result).values())


def test_no_chip_on_a_passport_is_a_review_and_no_reader_changes_nothing(store):
    from screening.chip.evidence import verify_chip
    from screening.chip.models import ChipRead

    page = check_mrz_text(list(MRZ), settings=SETTINGS)
    no_card = add_chip(page, verify_chip(ChipRead("no_card", "no card"), store, TODAY), settings=SETTINGS)
    assert (by_id(no_card)["chip.access"].status, no_card.verdict) == ("skip", "review")
    no_reader = add_chip(page, verify_chip(ChipRead("no_reader", "no reader"), store, TODAY), settings=SETTINGS)
    assert no_reader.verdict == page.verdict == "clear"
    assert "Chip not read" in by_id(no_reader)["chip.access"].message


def test_the_chip_read_joins_without_touching_the_pages_findings(genuine, store):
    page = check_mrz_text(list(MRZ), settings=SETTINGS)
    joined = screen(genuine.card(), store)
    assert [f for f in joined.checks if not f.id.startswith("chip.")] == list(page.checks)
    again = add_chip(joined, joined.chip, settings=SETTINGS)  # a second read replaces the first's findings
    assert len(again.checks) == len(joined.checks)


def test_screening_chip_read_prints_the_chips_outcome(genuine, store, monkeypatch, tmp_path, capsys):
    from screening.chip import chip_cli
    from screening.cli import main

    monkeypatch.setattr(chip_cli, "open_transport", lambda reader: genuine.card())
    mrz = tmp_path / "mrz.txt"
    mrz.write_text("\n".join(MRZ))
    code = main(["chip", "read", "--mrz-text", str(mrz), "--store", str(store.path), "--today", TODAY.isoformat(),
                 "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["verdict"] == "clear" and out["chip"]["outcome"] == "read"
    jsonschema.validate(out, SCHEMA)



def test_a_chip_signed_by_another_state_than_the_page_names_is_an_alert(pki, store):
    # The page is Kazakh (KAZ); this chip is signed, validly, by the test state UT's Document Signer.
    result = screen(signed(make_material(MRZ), pki.signer).card(), store)
    finding = by_id(result)["chip.certificate_chain"]
    assert (finding.status, finding.severity) == ("fail", "alert") and "UT" in finding.message and "KAZ" in finding.message
