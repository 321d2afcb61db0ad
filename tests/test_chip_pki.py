"""The chip's PKI half: EF.SOD, passive authentication, the trust store and its imports, against a
test PKI made at test time (tests/chip_pki.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import io

import pytest
from asn1crypto import keys, x509 as asn1_x509
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import given, settings, strategies as st

from screening.chip import passive
from screening.chip.ldif import LdifError, read_ldif
from screening.chip.passive import verify_passive
from screening.chip.signatures import public_key_of
from screening.chip.sod import SodFormatError, parse_sod
from screening.chip.trust import TrustImportError, TrustStore
from screening.chip.trust_cli import coverage_table, import_command, list_command

from chip_pki import (
    TODAY, YEAR, _NOW, build_test_pki, make_crl, make_csca, make_dg1, make_master_list, make_signer, make_sod,
    pkd_ldif, sample_data_groups, tamper,
)


@pytest.fixture(scope="module")
def pki():
    return build_test_pki()


@pytest.fixture
def store(tmp_path, pki):
    """The trust store of a post that imported the master list (UT and UR) and UT's CRL."""
    with TrustStore(tmp_path / "trust.sqlite") as trust:
        trust.import_bytes(pki.master_list, "ml")
        trust.import_bytes(pki.crl, "crl")
        yield trust


def codes(result):
    return result.signature.code, result.chain.code, result.revocation.code, result.hashes.code


# --- passive authentication ---------------------------------------------------------------------

def test_a_genuine_chip_passes_every_finding(pki, store):
    dgs = sample_data_groups()
    result = verify_passive(make_sod(dgs, pki.signer), dgs, store, TODAY)
    assert codes(result) == ("verified", "verified", "not_revoked", "match")
    assert result.passed
    assert result.matched == (1, 2) and not result.mismatched and not result.not_in_sod
    assert result.issuing_state == "UT"
    assert "ECDSA with sha256" in str(result.signature.message)
    assert "CSCA UT (UT)" in str(result.chain.message) and "2039-11-20" in str(result.chain.message)
    assert "next update 2027-02-11" in str(result.revocation.message)


@pytest.mark.parametrize("variant", ["rsa", "rsa_pss", "brainpool384_sha384", "sha512_rsa", "no_signed_attributes",
                                     "rsa_encryption_oid", "ec_public_key_oid"])
def test_sods_signed_with_each_algorithm_verify(pki, store, variant):
    dgs = sample_data_groups()
    if variant == "rsa":
        sod = make_sod(dgs, pki.rsa_signer)
    elif variant == "rsa_pss":
        sod = make_sod(dgs, pki.rsa_signer, rsa_pss=True)
    elif variant == "sha512_rsa":
        sod = make_sod(dgs, pki.rsa_signer, hash="sha512")
    elif variant == "no_signed_attributes":
        sod = make_sod(dgs, pki.signer, signed_attributes=False)
    elif variant == "rsa_encryption_oid":  # the hash then comes from the SignerInfo's digest algorithm
        sod = make_sod(dgs, pki.rsa_signer, hash="sha384", key_type_only=True)
    elif variant == "ec_public_key_oid":
        sod = make_sod(dgs, pki.signer, key_type_only=True)
    else:
        csca = make_csca("UB", "brainpool384")
        store.import_bytes(csca.der, "csca")
        sod = make_sod(dgs, make_signer(csca, "brainpool384"), hash="sha384")
    result = verify_passive(sod, dgs, store, TODAY)
    assert result.signature.code == "verified", result.signature.message
    assert result.chain.code == "verified", result.chain.message
    assert result.hashes.code == "match"
    if variant == "rsa_pss":
        assert "RSASSA-PSS with sha256 (MGF1 sha256, salt 32 bytes)" in str(result.signature.message)


def test_a_pss_signed_document_signer_certificate_chains(pki, store):
    signer = make_signer(pki.rsa_csca, "rsa2048", rsa_pss=True, common_name="PSS signer")
    dgs = sample_data_groups()
    result = verify_passive(make_sod(dgs, signer, rsa_pss=True), dgs, store, TODAY)
    assert result.chain.code == "verified"


def test_an_altered_dg1_fails_its_hash(pki, store):
    dgs = sample_data_groups()
    sod = make_sod(dgs, pki.signer)
    altered = {**dgs, 1: make_dg1("P<UTOERIKSSEN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10")}
    result = verify_passive(sod, altered, store, TODAY)
    assert result.hashes.code == "mismatch"
    assert result.mismatched == (1,) and result.matched == (2,)
    assert "DG1" in str(result.hashes.message) and "Matching: DG2" in str(result.hashes.message)
    assert result.signature.code == "verified" and not result.passed


def test_dg1_re_signed_by_an_unknown_csca_is_unknown_csca(pki, store):
    dgs = {**sample_data_groups(), 1: make_dg1("P<UTOFORGED<<NAME<<<<<<<<<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10")}
    result = verify_passive(make_sod(dgs, pki.unknown_signer), dgs, store, TODAY)
    assert result.signature.code == "verified"  # the forger's own signature is sound
    assert result.chain.code == "unknown_csca"
    assert "not installed" in str(result.chain.message) and "ZZ" in str(result.chain.message)
    assert result.revocation.code == "not_run"
    assert not result.passed


def test_a_revoked_document_signer_is_revoked(pki, store):
    dgs = sample_data_groups()
    result = verify_passive(make_sod(dgs, pki.revoked_signer), dgs, store, TODAY)
    assert result.revocation.code == "revoked"
    assert format(pki.revoked_signer.serial, "X") in str(result.revocation.message)
    assert result.chain.code == "verified" and not result.passed


def test_a_tampered_sod_signature_fails(pki, store):
    dgs = sample_data_groups()
    result = verify_passive(tamper(make_sod(dgs, pki.signer)), dgs, store, TODAY)
    assert result.signature.code == "failed"
    assert result.chain.code == "not_run" and not result.passed


def test_a_security_object_altered_after_signing_is_a_digest_mismatch(pki, store):
    dgs = sample_data_groups()
    sod = make_sod(dgs, pki.signer, message_digest=bytes(32))
    assert verify_passive(sod, dgs, store, TODAY).signature.code == "digest_mismatch"


def test_a_document_signer_signed_by_another_key_under_the_csca_name_fails(pki, store):
    impostor = make_csca("UT", "p256")  # same name "CSCA UT", another key
    # The forger copies the genuine CSCA's name and key identifier: only the signature tells them apart.
    signer = make_signer(impostor, "p256", authority_key_of=pki.csca)
    dgs = sample_data_groups()
    result = verify_passive(make_sod(dgs, signer), dgs, store, TODAY)
    assert result.chain.code == "failed"
    assert "none of the trust store's 1 CSCA certificate of that name" in str(result.chain.message)
    honest_impostor = make_signer(impostor, "p256")  # its own key identifier: no CSCA of the store matches
    assert verify_passive(make_sod(dgs, honest_impostor), dgs, store, TODAY).chain.code == "unknown_csca"


def test_an_expired_document_signer_is_expired_with_its_dates(pki, store):
    signer = make_signer(pki.csca, "p256", not_before=_NOW - 11 * YEAR, not_after=_NOW - YEAR)
    dgs = sample_data_groups()
    result = verify_passive(make_sod(dgs, signer, signing_time=_NOW - 10 * YEAR), dgs, store, TODAY)
    assert result.chain.code == "expired"
    message = str(result.chain.message)
    assert "Document Signer" in message and "not on 2026-11-23" in message and "2016-" in message
    assert not result.passed


def test_an_expired_csca_is_expired(tmp_path):
    csca = make_csca("UX", "p256", not_before=_NOW - 15 * YEAR, not_after=_NOW - dt.timedelta(days=2))
    signer = make_signer(csca, "p256", not_before=_NOW - 10 * YEAR, not_after=_NOW + YEAR)
    dgs = sample_data_groups()
    with TrustStore(tmp_path / "t.sqlite") as store:
        store.import_bytes(csca.der, "csca")
        result = verify_passive(make_sod(dgs, signer), dgs, store, TODAY)
    assert result.chain.code == "expired" and "CSCA" in str(result.chain.message)


def test_a_document_signer_under_a_new_csca_chains_through_its_link_certificate(tmp_path):
    old = make_csca("UL", "p256", common_name="CSCA UL")
    new_key = ec.generate_private_key(ec.SECP256R1())
    link = make_csca("UL", key=new_key, common_name="CSCA UL 2", signed_by=old)
    signer = make_signer(link, "p256")
    dgs = sample_data_groups()
    with TrustStore(tmp_path / "t.sqlite") as store:
        store.import_bytes(old.der, "old")
        assert verify_passive(make_sod(dgs, signer), dgs, store, TODAY).chain.code == "unknown_csca"
        store.import_bytes(link.der, "link")  # the old CSCA's key vouches for the new one
        result = verify_passive(make_sod(dgs, signer), dgs, store, TODAY)
    assert result.chain.code == "verified"
    assert "CSCA UL 2" in str(result.chain.message)


def test_an_expired_crl_is_noted_but_still_checked(pki, tmp_path):
    stale = make_crl(pki.csca, (pki.revoked_signer.serial,), this_update=_NOW - 200 * dt.timedelta(days=1),
                     next_update=_NOW - 110 * dt.timedelta(days=1))
    dgs = sample_data_groups()
    with TrustStore(tmp_path / "t.sqlite") as store:
        store.import_bytes(pki.csca.der, "csca")
        store.import_bytes(stale, "crl")
        genuine = verify_passive(make_sod(dgs, pki.signer), dgs, store, TODAY)
        revoked = verify_passive(make_sod(dgs, pki.revoked_signer), dgs, store, TODAY)
    assert genuine.revocation.code == "crl_expired" and genuine.passed
    assert "import a current one" in str(genuine.revocation.message)
    assert revoked.revocation.code == "revoked"


def test_a_crl_not_signed_by_the_csca_is_ignored(pki, tmp_path):
    forged = make_crl(pki.csca, (), signing_key=ec.generate_private_key(ec.SECP256R1()))
    dgs = sample_data_groups()
    with TrustStore(tmp_path / "t.sqlite") as store:
        store.import_bytes(pki.csca.der, "csca")
        store.import_bytes(forged, "crl")
        result = verify_passive(make_sod(dgs, pki.revoked_signer), dgs, store, TODAY)
    assert result.revocation.code == "crl_unverified"


def test_without_a_store_the_chain_is_not_checked(pki):
    dgs = sample_data_groups()
    result = verify_passive(make_sod(dgs, pki.signer), dgs, None, TODAY)
    assert codes(result) == ("verified", "no_trust_store", "not_run", "match") and not result.passed


def test_data_groups_read_but_not_in_the_sod_and_listed_but_not_read(pki, store):
    dgs = sample_data_groups()
    sod = make_sod({1: dgs[1], 2: dgs[2], 14: b"\x6e\x01\x00"}, pki.signer)
    result = verify_passive(sod, {1: dgs[1], 11: b"\x6b\x01\x00"}, store, TODAY)
    assert result.hashes.code == "not_covered"
    assert result.not_in_sod == (11,) and result.not_read == (2, 14) and result.matched == (1,)
    assert verify_passive(sod, {}, store, TODAY).hashes.code == "none_read"


def test_a_sod_without_its_certificate_uses_the_document_signer_from_the_store(pki, store):
    dgs = sample_data_groups()
    sod = make_sod(dgs, pki.signer, include_certificate=False)
    assert verify_passive(sod, dgs, store, TODAY).signature.code == "no_certificate"
    store.import_bytes(pkd_ldif(dscs=(("UT", pki.signer.der),)).encode(), "ldif")
    result = verify_passive(sod, dgs, store, TODAY)
    assert codes(result) == ("verified", "verified", "not_revoked", "match")


@pytest.mark.parametrize("data", [b"", b"\x77", b"\x77\x03\x30\x01\x00", b"junk", b"\x30\x03\x02\x01\x00",
                                  b"\x04\x02ab"])
def test_a_malformed_sod_is_an_outcome_not_a_traceback(pki, store, data):
    result = verify_passive(data, sample_data_groups(), store, TODAY)
    assert result.signature.code == "malformed"
    assert "could not be read" in str(result.signature.message)
    assert (result.chain.code, result.hashes.code) == ("not_run", "not_run") and not result.passed


def test_the_sod_parser_reads_what_the_builder_wrote(pki):
    dgs = sample_data_groups()
    sod = parse_sod(make_sod(dgs, pki.rsa_signer, hash="sha1", signature_hash="sha256"))
    assert sod.hash_algorithm == "sha1" and set(sod.data_group_hashes) == {1, 2}
    assert sod.signed.signer.digest_algorithm == "sha256"
    assert sod.signed.signer_certificate().serial_number == pki.rsa_signer.serial
    assert sod.signed.signer.signing_time is not None and sod.lds_version is None


@st.composite
def damaged_sods(draw):
    genuine = GENUINE_SOD
    how = draw(st.sampled_from(["random", "truncated", "flipped"]))
    if how == "random":
        return draw(st.binary(max_size=400))
    if how == "truncated":
        return genuine[:draw(st.integers(0, len(genuine) - 1))]
    index = draw(st.integers(0, len(genuine) - 1))
    changed = bytearray(genuine)
    changed[index] ^= draw(st.integers(1, 255))
    return bytes(changed)


# Made once at import (EC keys are quick): hypothesis damages it in every way it can.
GENUINE_SOD = make_sod(sample_data_groups(), make_signer(make_csca("UH", "p256"), "p256"))


@settings(max_examples=300, deadline=None)
@given(data=damaged_sods())
def test_damaged_sods_raise_only_the_sod_error(data):
    try:
        parse_sod(data)
    except SodFormatError as error:
        assert error.message
    result = verify_passive(data, sample_data_groups(), None, TODAY)  # and never a traceback
    assert result.signature.code in {"malformed", "verified", "failed", "digest_mismatch", "unsupported",
                                     "no_certificate"}


def test_a_brainpool_key_written_with_explicit_parameters_is_recognised(pki):
    certificate = asn1_x509.Certificate.load(pki.unknown_signer.der)  # brainpoolP256r1 by name
    info = certificate["tbs_certificate"]["subject_public_key_info"]
    point = info["public_key"].native
    explicit = keys.PublicKeyInfo({
        "algorithm": {"algorithm": "ec", "parameters": keys.ECDomainParameters(name="specified", value={
            "version": "ecdpVer1",
            "field_id": {"field_type": "prime_field", "parameters": BRAINPOOL_P256R1["p"]},
            "curve": {"a": BRAINPOOL_P256R1["a"].to_bytes(32, "big"), "b": BRAINPOOL_P256R1["b"].to_bytes(32, "big")},
            "base": bytes.fromhex(BRAINPOOL_P256R1["g"]),
            "order": BRAINPOOL_P256R1["n"],
            "cofactor": 1,
        })},
        "public_key": point,
    })
    certificate["tbs_certificate"]["subject_public_key_info"] = explicit
    reloaded = asn1_x509.Certificate.load(certificate.dump(force=True))
    key = public_key_of(reloaded)
    assert isinstance(key.curve, ec.BrainpoolP256R1)
    assert key.public_numbers() == pki.unknown_signer.key.public_key().public_numbers()


# RFC 5639, 3.4 (an independent copy of the constants screening.chip.signatures matches against).
BRAINPOOL_P256R1 = {
    "p": 0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
    "a": 0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
    "b": 0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
    "g": "048BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262"
         "547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997",
    "n": 0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
}


# --- the trust store and its imports -------------------------------------------------------------

def test_a_master_list_imports_its_cscas_and_says_where_its_signer_chains(pki, tmp_path):
    with TrustStore(tmp_path / "t.sqlite") as store:
        report = store.import_bytes(pki.master_list, "ml")
        assert report.file_format == "master list"
        assert report.added == {("csca", "UT"): 1, ("csca", "UR"): 1} and report.duplicates == 0
        assert "a CSCA in the list itself (UT)" in report.notes[0]
        again = store.import_bytes(pki.master_list, "ml")
        assert again.added == {} and again.duplicates == 2


def test_a_master_list_signer_is_chained_to_the_store_or_to_nothing(pki, tmp_path):
    rsa_only = make_master_list([pki.rsa_csca.der], pki.ml_signer)  # signed under UT, which it omits
    with TrustStore(tmp_path / "t.sqlite") as store:
        assert "chains to no CSCA" in store.import_bytes(rsa_only, "ml").notes[0]
        store.import_bytes(pki.csca.der, "csca")
        assert "already in the store (UT)" in store.import_bytes(rsa_only, "ml").notes[0]


@pytest.mark.parametrize("damage", ["signature", "content"])
def test_a_master_list_whose_signature_fails_is_refused_and_adds_nothing(pki, tmp_path, damage):
    if damage == "signature":
        data = tamper(pki.master_list)
    else:
        data = make_master_list([pki.csca.der, pki.rsa_csca.der], pki.ml_signer, message_digest=bytes(32))
    with TrustStore(tmp_path / "t.sqlite") as store:
        with pytest.raises(TrustImportError) as refused:
            store.import_bytes(data, "ml")
        assert "refused" in refused.value.message
        assert ("does not verify" in refused.value.message) == (damage == "signature")
        assert store.coverage() == []


def test_an_ldif_download_with_folded_lines_imports_dscs_crls_and_master_lists(pki, tmp_path):
    text = pkd_ldif(dscs=(("UT", pki.signer.der), ("UR", pki.rsa_signer.der)), crls=(("UT", pki.crl),),
                    master_lists=(("UT", pki.master_list),))
    assert "\n " in text  # the values are folded as the PKD writes them
    with TrustStore(tmp_path / "t.sqlite") as store:
        report = store.import_bytes(text.encode(), "icaopkd-001.ldif")
        assert report.file_format == "LDIF"
        assert report.added == {("dsc", "UT"): 1, ("dsc", "UR"): 1, ("crl", "UT"): 1, ("csca", "UT"): 1,
                                ("csca", "UR"): 1}
        assert any("in the list itself" in note for note in report.notes)


def test_ldif_delete_records_are_ignored_and_said(pki, tmp_path):
    text = pkd_ldif(dscs=(("UT", pki.signer.der),)) + "\ndn: cn=old,o=dsc,c=UT\nchangetype: delete\n"
    with TrustStore(tmp_path / "t.sqlite") as store:
        report = store.import_bytes(text.encode(), "delta.ldif")
    assert report.added == {("dsc", "UT"): 1}
    assert "1 'delete' record(s) ignored" in report.notes[-1]


def test_the_ldif_reader_unfolds_lines_and_refuses_damage():
    records = read_ldif("version: 1\n# a comment\n  folded comment\ndn: cn=a,\n c=UT\ncn: a\nsn:: YWI=\n\n")
    assert records[0].dn == "cn=a,c=UT" and records[0].values("SN") == [b"ab"] and records[0].values("cn") == ["a"]
    for bad in ("dn: x\nuserCertificate;binary:: AB$%\n", " continued\n", "dn: x\njust text\n",
                "dn: x\nuserCertificate;binary:< file:///etc/passwd\n", "cn: first\n"):
        with pytest.raises(LdifError):
            read_ldif(bad)


def test_a_truncated_ldif_file_adds_nothing(pki, tmp_path):
    text = pkd_ldif(dscs=(("UT", pki.signer.der), ("UR", pki.rsa_signer.der)))
    with TrustStore(tmp_path / "t.sqlite") as store:
        for cut in (len(text) - 40, len(text) - 41, len(text) - 200):
            with pytest.raises(TrustImportError):
                store.import_bytes(text[:cut].encode(), "cut.ldif")
        assert store.coverage() == []


def test_single_certificates_and_crls_in_der_and_pem(pki, tmp_path):
    with TrustStore(tmp_path / "t.sqlite") as store:
        assert store.import_bytes(pki.csca.der, "a.der").added == {("csca", "UT"): 1}
        pem = pki.rsa_csca.pem + pki.signer.pem
        report = store.import_bytes(pem, "b.pem")
        assert report.file_format == "PEM" and report.added == {("csca", "UR"): 1, ("dsc", "UT"): 1}
        assert store.import_bytes(pki.crl, "c.crl").added == {("crl", "UT"): 1}
        import base64
        crl_pem = b"-----BEGIN X509 CRL-----\n" + base64.encodebytes(pki.crl) + b"-----END X509 CRL-----\n"
        assert store.import_bytes(crl_pem, "c.pem").duplicates == 1
        assert store.import_bytes(pki.csca.pem, "a.pem").duplicates == 1  # the same certificate as a.der


@pytest.mark.parametrize("data", [b"", b"   \n", b"\x89PNG\r\n\x1a\n....", b"{\"json\": true}", b"\x30\x82\x01",
                                  b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                                  b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                                  b"dn: cn=x\ncn: x\n"])
def test_junk_truncated_and_wrong_format_files_are_refused_with_a_message(tmp_path, data):
    with TrustStore(tmp_path / "t.sqlite") as store:
        with pytest.raises(TrustImportError) as refused:
            store.import_bytes(data, "f")
        assert refused.value.message and store.coverage() == []


def test_a_truncated_der_certificate_is_refused(pki, tmp_path):
    with TrustStore(tmp_path / "t.sqlite") as store:
        with pytest.raises(TrustImportError):
            store.import_bytes(pki.csca.der[:-10], "cut.der")
        with pytest.raises(TrustImportError):
            store.import_bytes(pki.master_list[:-100], "cut.ml")


def test_coverage_per_state(pki, store):
    store.import_bytes(pkd_ldif(dscs=(("UT", pki.signer.der), ("UT", pki.revoked_signer.der))).encode(), "l")
    old = make_csca("UT", "p256", common_name="CSCA UT old", not_before=_NOW - 8 * YEAR,
                    not_after=_NOW - YEAR)
    store.import_bytes(old.der, "old")
    coverage = {c.state: c for c in store.coverage()}
    assert set(coverage) == {"UT", "UR"}
    ut = coverage["UT"]
    assert (ut.cscas, ut.dscs) == (2, 2)
    assert ut.csca_earliest_expiry.date() == (_NOW - YEAR).date()
    assert ut.csca_latest_expiry.date() == dt.date(2039, 11, 20)
    assert ut.crl_next_update.date() == dt.date(2027, 2, 11)
    assert coverage["UR"].crl_next_update is None and coverage["UR"].dscs == 0
    table = coverage_table(store.coverage(), TODAY)
    assert "2025-11-23 (expired)" in table and "UR" in table


def test_the_import_and_list_commands(pki, tmp_path):
    (tmp_path / "ml.der").write_bytes(pki.master_list)
    (tmp_path / "junk.bin").write_bytes(b"\x00\x01junk")
    (tmp_path / "crl.der").write_bytes(pki.crl)
    out, err = io.StringIO(), io.StringIO()
    args = argparse.Namespace(store=str(tmp_path / "trust.sqlite"),
                              files=[str(tmp_path / n) for n in ("ml.der", "junk.bin", "crl.der", "ml.der")])
    assert import_command(args, out, err) == 1
    printed = out.getvalue()
    assert "master list: added 2 CSCA (UR 1, UT 1)" in printed and "1 CRL (UT 1)" in printed
    assert "added nothing new; 2 already in the store (skipped)" in printed
    assert "junk.bin: refused, nothing imported" in err.getvalue()
    listing = io.StringIO()
    assert list_command(argparse.Namespace(store=args.store), listing, today=TODAY) == 0
    lines = listing.getvalue().splitlines()
    assert lines[0].split()[:3] == ["state", "CSCAs", "DSCs"]
    assert any(line.startswith("UT") and "2027-02-11" in line for line in lines)
    missing = io.StringIO()
    list_command(argparse.Namespace(store=str(tmp_path / "none.sqlite")), missing, today=TODAY)
    assert "no trust store" in missing.getvalue() and not (tmp_path / "none.sqlite").exists()


def test_outcome_codes_are_the_documented_set():
    documented = {"verified", "failed", "malformed", "unsupported", "no_certificate", "digest_mismatch",
                  "unknown_csca", "expired", "no_trust_store", "not_run", "not_revoked", "revoked",
                  "crl_expired", "no_crl", "crl_unverified", "match", "mismatch", "not_covered", "none_read"}
    found = {value for name, value in vars(passive).items() if name.isupper() and isinstance(value, str)}
    assert found == documented


@st.composite
def damaged_trust_files(draw):
    genuine = draw(st.sampled_from(GENUINE_TRUST_FILES))
    how = draw(st.sampled_from(["random", "truncated", "flipped"]))
    if how == "random":
        return draw(st.binary(max_size=300))
    if how == "truncated":
        return genuine[:draw(st.integers(0, len(genuine) - 1))]
    index = draw(st.integers(0, len(genuine) - 1))
    changed = bytearray(genuine)
    changed[index] ^= draw(st.integers(1, 255))
    return bytes(changed)


_UH = make_csca("UH", "p256")
GENUINE_TRUST_FILES = [
    make_master_list([_UH.der], make_signer(_UH, "p256", common_name="ML signer")),
    _UH.der, _UH.pem, make_crl(_UH, (5,)),
    pkd_ldif(dscs=(("UH", make_signer(_UH, "p256").der),), crls=(("UH", make_crl(_UH)),)).encode(),
]


@settings(max_examples=200, deadline=None)
@given(data=damaged_trust_files())
def test_damaged_trust_files_are_refused_or_imported_never_a_traceback(tmp_path_factory, data):
    with TrustStore(tmp_path_factory.mktemp("store") / "t.sqlite") as store:
        try:
            report = store.import_bytes(data, "f")
        except TrustImportError as error:
            assert error.message and store.coverage() == []
        else:
            assert report.added_total + report.duplicates >= 1


def test_the_trust_commands_parse_as_the_cli_will_wire_them(tmp_path):
    from screening.chip.trust_cli import add_trust_parser

    parser = argparse.ArgumentParser(prog="screening")
    add_trust_parser(parser.add_subparsers())
    args = parser.parse_args(["trust", "--store", str(tmp_path / "t.sqlite"), "import", "a.ml", "b.ldif"])
    assert args.run is import_command and args.files == ["a.ml", "b.ldif"]
    assert parser.parse_args(["trust", "list"]).run is list_command


def test_a_store_path_that_is_not_a_store_is_a_usage_error(tmp_path):
    from screening.chip.trust import TrustStoreError
    from screening.errors import UsageError

    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("not a database" * 100)
    with pytest.raises(TrustStoreError):
        TrustStore(not_a_database)
    with pytest.raises(UsageError):
        import_command(argparse.Namespace(store=str(tmp_path), files=["x"]))  # a folder
    with pytest.raises(UsageError):
        list_command(argparse.Namespace(store=str(not_a_database)))


def test_a_damaged_csca_certificate_is_refused(pki, tmp_path):
    # Flip a bit inside the signature at the end: the certificate still parses, its key is intact.
    with TrustStore(tmp_path / "t.sqlite") as store:
        with pytest.raises(TrustImportError) as refused:
            store.import_bytes(tamper(pki.csca.der), "damaged.der")
        assert "does not verify with its own key" in refused.value.message
        assert store.coverage() == []
        assert store.import_bytes(tamper(pki.signer.der), "dsc.der").added == {("dsc", "UT"): 1}  # checked when used


def test_a_master_list_csca_failing_its_own_signature_is_kept_and_said(pki, tmp_path):
    listed = make_master_list([tamper(pki.rsa_csca.der), pki.csca.der], pki.ml_signer)
    with TrustStore(tmp_path / "t.sqlite") as store:
        report = store.import_bytes(listed, "ml")
    assert report.added == {("csca", "UR"): 1, ("csca", "UT"): 1}
    assert any("CSCA UR (UR) does not verify with its own key (imported as listed)" in n for n in report.notes)
