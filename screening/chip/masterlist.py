"""CSCA master lists (Doc 9303 Part 12, 9): the CSCA certificates a state or the ICAO PKD vouches
for, in a CMS SignedData with content type id-icao-cscaMasterList (2.23.136.1.1.2)."""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import core, x509

from screening.chip.signatures import UnsupportedSignature, public_key_of, signed_by
from screening.chip.signed_data import ASN1_ERRORS, SignedContent, SignedDataError, parse_content_info

CSCA_MASTER_LIST = "2.23.136.1.1.2"


class CertificateSet(core.SetOf):
    _child_spec = x509.Certificate


class CscaMasterList(core.Sequence):
    _fields = [("version", core.Integer), ("cert_list", CertificateSet)]


class MasterListError(ValueError):
    """Not a master list, or one whose signature does not verify: the list must not be imported."""


@dataclass(frozen=True)
class MasterList:
    certificates: tuple[x509.Certificate, ...]  # the CSCA (and link) certificates it lists
    signer: x509.Certificate  # the master-list signer's certificate, from the SignedData
    signed: SignedContent


def is_master_list(data: bytes) -> bool:
    """Whether ``data`` is a DER SignedData whose content type is a CSCA master list (not verified)."""
    try:
        parse_content_info(data, CSCA_MASTER_LIST)
    except SignedDataError:
        return False
    return True


def read_master_list(data: bytes) -> MasterList:
    """Parse and verify the signature of a master list (its signer's certificate is in the CMS).

    Whether that signer chains to a CSCA is the caller's question (``issuing_csca``)."""
    try:
        signed = parse_content_info(data, CSCA_MASTER_LIST)
    except SignedDataError as error:
        raise MasterListError(f"not a CSCA master list: {error}") from None
    try:
        listed = CscaMasterList.load(signed.content, strict=True)
        certificates = tuple(listed["cert_list"])
        for certificate in certificates:
            certificate.native  # parse each now: a damaged certificate refuses the whole list
    except ASN1_ERRORS as error:
        raise MasterListError(f"the master list's certificate list is malformed ({str(error)[:160]})") from None
    signer = signed.signer_certificate()
    if signer is None:
        raise MasterListError("the master list does not include its signer's certificate, so its signature "
                              "cannot be checked")
    if not signed.digest_matches():
        raise MasterListError("the master list's content does not match the digest its signer signed: "
                              "it was altered after signing")
    try:
        verified = signed.signature_verifies(signer)
    except UnsupportedSignature as error:
        raise MasterListError(f"the master list's signature cannot be checked: {error}") from None
    if not verified:
        raise MasterListError(f"the master list's signature does not verify with its signer's certificate "
                              f"({signer.subject.human_friendly})")
    return MasterList(certificates, signer, signed)


def issuing_csca(certificate: x509.Certificate, candidates) -> x509.Certificate | None:
    """The candidate CSCA whose key signed ``certificate`` (matched by name or key identifier)."""
    for candidate in candidates:
        if not could_have_issued(candidate, certificate):
            continue
        try:
            if signed_by(certificate, public_key_of(candidate)):
                return candidate
        except UnsupportedSignature:
            continue
    return None


def could_have_issued(issuer: x509.Certificate, certificate) -> bool:
    """Whether ``issuer`` is named by ``certificate`` (a certificate or a CRL) as its issuer: by the
    authority key identifier when both have one, else by name."""
    try:
        authority_key = certificate.authority_key_identifier
        if authority_key is not None and issuer.key_identifier is not None:
            return authority_key == issuer.key_identifier
        return issuer.subject == certificate.issuer
    except ASN1_ERRORS:
        return False
