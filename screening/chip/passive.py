"""Passive authentication (Doc 9303 Part 11, 5.1 and Part 12): is what the chip holds what the
issuing state signed?

Three separate findings, each with the figures that support it:

- ``signature``: the SOD's signature verifies with its Document Signer certificate, and the signed
  messageDigest is the hash of the security object;
- ``chain``: that certificate was issued by a CSCA in the trust store and, like the CSCA, is valid
  today; ``revocation``: no CRL of that CSCA in the store revokes either;
- ``hashes``: every data group read hashes to the value the SOD lists for it.

Validity follows Part 12 (5.3, 7.1): each certificate's validity covers the documents it vouches
for (a Document Signer's is its key's use plus the documents' validity; a CSCA's its key's use plus
its Document Signers' validity), so on a valid document every certificate of the chain is valid
today, as in RFC 5280's path validation. An expired certificate means an expired document or a
chain the issuer got wrong; the SOD's signing time, when it has one, is given for the officer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Mapping

from asn1crypto import crl, x509

from screening.chip.signatures import HASHES, UnsupportedSignature, public_key_of, signed_by
from screening.chip.sod import SecurityObject, SodFormatError, parse_sod
from screening.chip.trust import TrustStore, name_text, state_of
from screening.text import Text

# Outcome codes. The lead's checks decide severity; these say what was found.
VERIFIED = "verified"  # signature, chain
FAILED = "failed"  # signature, chain (the CSCA's key did not sign the Document Signer certificate)
MALFORMED = "malformed"  # signature: the SOD could not be read
UNSUPPORTED = "unsupported"  # signature, chain: an algorithm or key this verifier cannot check
NO_CERTIFICATE = "no_certificate"  # signature: no Document Signer certificate in the SOD or the store
DIGEST_MISMATCH = "digest_mismatch"  # signature: the signed messageDigest is not the security object's hash
UNKNOWN_CSCA = "unknown_csca"  # chain: no CSCA of the issuer in the store (a review: not installed)
EXPIRED = "expired"  # chain: the Document Signer or CSCA certificate is not valid today
NO_TRUST_STORE = "no_trust_store"  # chain: no store was given
NOT_RUN = "not_run"  # any: an earlier finding left nothing to check
NOT_REVOKED = "not_revoked"  # revocation: a current CRL of the CSCA lists neither certificate
REVOKED = "revoked"  # revocation
CRL_EXPIRED = "crl_expired"  # revocation: the newest CRL is past its next update (checked, noted)
NO_CRL = "no_crl"  # revocation: the store has no CRL of that CSCA
CRL_UNVERIFIED = "crl_unverified"  # revocation: CRLs under the CSCA's name whose signature fails (ignored)
MATCH = "match"  # hashes: every data group read matches
MISMATCH = "mismatch"  # hashes: at least one does not
NOT_COVERED = "not_covered"  # hashes: a data group was read that the SOD does not list
NONE_READ = "none_read"  # hashes: no data group was given


DOCUMENT_SIGNER = Text("Document Signer")
CSCA_ROLE = Text("CSCA")


@dataclass(frozen=True)
class Outcome:
    code: str
    message: Text


@dataclass(frozen=True)
class PassiveAuthResult:
    signature: Outcome
    chain: Outcome
    revocation: Outcome
    hashes: Outcome
    matched: tuple[int, ...] = ()  # data-group numbers whose hash matches the SOD
    mismatched: tuple[int, ...] = ()
    not_in_sod: tuple[int, ...] = ()  # read, but not listed in the SOD: not vouched for
    not_read: tuple[int, ...] = ()  # listed in the SOD, not given (not read, or access-protected)
    issuing_state: str | None = None  # the Document Signer's country (ISO 3166 alpha-2), when known
    document_signer: x509.Certificate | None = None
    csca: x509.Certificate | None = None
    signing_time: dt.datetime | None = None

    @property
    def passed(self) -> bool:
        """The chip's data are the issuing state's, unaltered: signature, chain and hashes verified,
        nothing revoked (a stale or missing CRL is noted in ``revocation``, not a failure)."""
        return (self.signature.code == VERIFIED and self.chain.code == VERIFIED
                and self.revocation.code != REVOKED and self.hashes.code == MATCH)


_SKIPPED = Outcome(NOT_RUN, Text("Not checked: the chip's signature could not be verified."))


def verify_passive(sod_bytes: bytes, files: Mapping[int, bytes], store: TrustStore | None,
                   today: dt.date) -> PassiveAuthResult:
    """Passive authentication of EF.SOD and the data groups read (number -> the file's bytes)."""
    try:
        sod = parse_sod(sod_bytes)
    except SodFormatError as error:
        unread = Outcome(MALFORMED, Text("The chip's security object (EF.SOD) could not be read: {detail}.",
                                         detail=error.message))
        return PassiveAuthResult(unread, _SKIPPED, _SKIPPED, _SKIPPED)
    hashes, matched, mismatched, not_in_sod, not_read = _hash_outcome(sod, files)
    signer_certificate = sod.signed.signer_certificate()
    if signer_certificate is None and store is not None:
        signer = sod.signed.signer
        signer_certificate = store.document_signer(signer.issuer, signer.serial_number, signer.key_identifier)
    common = dict(hashes=hashes, matched=matched, mismatched=mismatched, not_in_sod=not_in_sod,
                  not_read=not_read, signing_time=sod.signed.signer.signing_time)
    if signer_certificate is None:
        missing = Outcome(NO_CERTIFICATE, Text(
            "The security object does not carry its Document Signer certificate, and the trust store has "
            "none that matches: its signature cannot be checked."))
        return PassiveAuthResult(missing, _SKIPPED, _SKIPPED, **common)
    state = state_of(signer_certificate.issuer)
    signature = _signature_outcome(sod, signer_certificate)
    if signature.code != VERIFIED:
        return PassiveAuthResult(signature, _SKIPPED, _SKIPPED, issuing_state=state,
                                 document_signer=signer_certificate, **common)
    chain, csca = _chain_outcome(signer_certificate, store, today, sod.signed.signer.signing_time, state)
    revocation = _revocation_outcome(signer_certificate, csca, store, today) if csca is not None else Outcome(
        NOT_RUN, Text("Revocation not checked: no CSCA certificate verified the Document Signer."))
    return PassiveAuthResult(signature, chain, revocation, issuing_state=state, document_signer=signer_certificate,
                             csca=csca, **common)


def _hash_outcome(sod: SecurityObject, files: Mapping[int, bytes]):
    listed = sod.data_group_hashes
    matched, mismatched, not_in_sod = [], [], []
    supported = sod.hash_algorithm in HASHES
    for number in sorted(files):
        if number not in listed:
            not_in_sod.append(number)
        elif not supported:
            continue
        elif hashlib.new(sod.hash_algorithm, files[number]).digest() == listed[number]:
            matched.append(number)
        else:
            mismatched.append(number)
    not_read = sorted(set(listed) - set(files))
    names = dict(matched=_dgs(matched), mismatched=_dgs(mismatched), not_in_sod=_dgs(not_in_sod),
                 algorithm=sod.hash_algorithm)
    if not supported:
        outcome = Outcome(UNSUPPORTED, Text("The security object hashes the data groups with {algorithm}, "
                                            "which this verifier does not support.", algorithm=sod.hash_algorithm))
    elif not files:
        outcome = Outcome(NONE_READ, Text("No data group was read to compare with the security object."))
    elif mismatched:
        outcome = Outcome(MISMATCH, Text("Data groups {mismatched} do not hash ({algorithm}) to the values the "
                                         "security object signs: the chip's data were altered. Matching: "
                                         "{matched}.", **names))
    elif not_in_sod:
        outcome = Outcome(NOT_COVERED, Text("Data groups {not_in_sod} were read but the security object does not "
                                            "list them, so nothing vouches for them. Matching ({algorithm}): "
                                            "{matched}.", **names))
    else:
        outcome = Outcome(MATCH, Text("Every data group read ({matched}) hashes ({algorithm}) to its value in "
                                      "the security object.", **names))
    return outcome, tuple(matched), tuple(mismatched), tuple(not_in_sod), tuple(not_read)


def _signature_outcome(sod: SecurityObject, certificate: x509.Certificate) -> Outcome:
    signed = sod.signed
    signer_name = _subject(certificate)
    algorithm = signed.signer.algorithm
    if algorithm is None:
        return Outcome(UNSUPPORTED, Text("The security object is signed with an algorithm this verifier does not "
                                         "support ({detail}).", detail=signed.signer.unsupported_reason))
    if not signed.digest_matches():
        return Outcome(DIGEST_MISMATCH, Text(
            "The security object's digest ({algorithm}) is not the one its signer signed: it was altered after "
            "signing.", algorithm=signed.signer.digest_algorithm))
    if signed.signer.content_type_attribute not in (None, signed.content_type):
        return Outcome(FAILED, Text("The signed content type {signed_type} is not the security object's "
                                    "({content_type}).", signed_type=signed.signer.content_type_attribute,
                                    content_type=signed.content_type))
    try:
        verified = signed.signature_verifies(certificate)
    except UnsupportedSignature as error:
        return Outcome(UNSUPPORTED, Text("The security object's signature cannot be checked: {detail}.",
                                         detail=str(error)))
    if not verified:
        return Outcome(FAILED, Text("The security object's signature ({algorithm}) does not verify with the "
                                    "Document Signer certificate {signer}.", algorithm=algorithm.describe(),
                                    signer=signer_name))
    return Outcome(VERIFIED, Text("The security object's signature ({algorithm}) verifies with the Document "
                                  "Signer certificate {signer}.", algorithm=algorithm.describe(), signer=signer_name))


def _chain_outcome(signer: x509.Certificate, store: TrustStore | None, today: dt.date,
                   signing_time: dt.datetime | None, state: str) -> tuple[Outcome, x509.Certificate | None]:
    if store is None:
        return Outcome(NO_TRUST_STORE, Text("No trust store is installed: the Document Signer certificate cannot "
                                            "be traced to its state's CSCA.")), None
    candidates = store.cscas_for(signer)
    if not candidates:
        return Outcome(UNKNOWN_CSCA, Text(
            "This state's certificates are not installed: the trust store has no CSCA certificate of {state} "
            "that issued the Document Signer ({issuer}).", state=state, issuer=name_text(signer.issuer))), None
    # Prefer a CSCA valid today among those whose key signed the Document Signer (a link certificate
    # and the self-signed certificate of the same key are both candidates).
    verifying = []
    unsupported = ""
    for candidate in candidates:
        try:
            if signed_by(signer, public_key_of(candidate)):
                verifying.append(candidate)
        except UnsupportedSignature as error:
            unsupported = str(error)
    if not verifying:
        if unsupported:
            return Outcome(UNSUPPORTED, Text("The Document Signer certificate's signature by the CSCA of {state} "
                                             "cannot be checked: {detail}.", state=state, detail=unsupported)), None
        return Outcome(FAILED, Text(
            "The Document Signer certificate names the CSCA {issuer}, but none of the trust store's "
            "{count:plural:CSCA certificate|CSCA certificates} of that name signed it.", issuer=name_text(signer.issuer),
            count=len(candidates))), None
    csca = next((c for c in verifying if _valid_on(c, today)), verifying[0])
    problems = [_validity_problem(certificate, role, today)
                for certificate, role in ((signer, DOCUMENT_SIGNER), (csca, CSCA_ROLE))]
    problems = [p for p in problems if p]
    signed_on = signing_time.date().isoformat() if signing_time else Text("not recorded")
    if problems:
        first = problems[0]
        return Outcome(EXPIRED, Text(
            "The {role} certificate {subject} is valid from {not_before} to {not_after}, not on {today} "
            "(the security object was signed on: {signed_on}).", role=first[0], subject=first[1],
            not_before=first[2], not_after=first[3], today=today.isoformat(), signed_on=signed_on)), csca
    return Outcome(VERIFIED, Text(
        "The Document Signer certificate was issued by the CSCA {csca} of {state} in the trust store; both are "
        "valid on {today} (Document Signer until {signer_expiry}, CSCA until {csca_expiry}).",
        csca=_subject(csca), state=state, today=today.isoformat(),
        signer_expiry=_validity(signer)[1].date().isoformat(), csca_expiry=_validity(csca)[1].date().isoformat())), csca


def _revocation_outcome(signer: x509.Certificate, csca: x509.Certificate, store: TrustStore,
                        today: dt.date) -> Outcome:
    crls = [c for c in store.crls_by(csca.subject)]
    verified, unverified = [], 0
    key = public_key_of(csca)
    for revocation in crls:
        try:
            if signed_by(revocation, key):
                verified.append(revocation)
                continue
        except UnsupportedSignature:
            pass
        unverified += 1
    if not verified:
        if unverified:
            return Outcome(CRL_UNVERIFIED, Text(
                "Revocation not checked: the trust store's {count:plural:CRL|CRLs} under the CSCA's name do not "
                "verify with its key, so they were ignored.", count=unverified))
        return Outcome(NO_CRL, Text("Revocation not checked: the trust store has no CRL of the CSCA {csca}.",
                                    csca=_subject(csca)))
    for revocation in verified:
        for role, certificate in ((DOCUMENT_SIGNER, signer), (CSCA_ROLE, csca)):
            if certificate.issuer != revocation.issuer:
                continue
            date = _revocation_date(revocation, certificate.serial_number)
            if date is not None:
                return Outcome(REVOKED, Text(
                    "The {role} certificate {subject} (serial {serial}) was revoked on {date} by its CSCA's CRL.",
                    role=role, subject=_subject(certificate), serial=format(certificate.serial_number, "X"),
                    date=date))
    newest = verified[0]  # crls_by gives the newest first
    this_update = newest["tbs_cert_list"]["this_update"].native
    next_update = newest["tbs_cert_list"]["next_update"].native
    if next_update is not None and next_update.date() < today:
        return Outcome(CRL_EXPIRED, Text(
            "Not revoked by the newest CRL in the trust store, but that CRL (issued {this_update}) was due to be "
            "replaced on {next_update}: import a current one.", this_update=this_update.date().isoformat(),
            next_update=next_update.date().isoformat()))
    return Outcome(NOT_REVOKED, Text(
        "Not revoked: the CSCA's CRL of {this_update} (next update {next_update}) does not list the Document Signer.",
        this_update=this_update.date().isoformat(),
        next_update=next_update.date().isoformat() if next_update else Text("none given")))


def _revocation_date(revocation: crl.CertificateList, serial: int) -> str | None:
    for entry in revocation["tbs_cert_list"]["revoked_certificates"]:
        if entry["user_certificate"].native == serial:
            return entry["revocation_date"].native.date().isoformat()
    return None


def _validity(certificate: x509.Certificate) -> tuple[dt.datetime, dt.datetime]:
    validity = certificate["tbs_certificate"]["validity"]
    return validity["not_before"].native, validity["not_after"].native


def _valid_on(certificate: x509.Certificate, today: dt.date) -> bool:
    not_before, not_after = _validity(certificate)
    return not_before.date() <= today <= not_after.date()


def _validity_problem(certificate: x509.Certificate, role: str, today: dt.date):
    if _valid_on(certificate, today):
        return None
    not_before, not_after = _validity(certificate)
    return role, _subject(certificate), not_before.date().isoformat(), not_after.date().isoformat()


def _subject(certificate: x509.Certificate) -> str:
    return name_text(certificate.subject)


def _dgs(numbers: list[int]) -> str | Text:
    return ", ".join(f"DG{n}" for n in numbers) or Text("none")
