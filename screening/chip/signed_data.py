"""CMS SignedData (RFC 5652) as the eMRTD PKI uses it: one signer, the signed content inside.

Both the SOD (Doc 9303 Part 10, 4.6.2) and a CSCA master list (Part 12, 9) are a SignedData with
exactly one SignerInfo; this module reads one into plain values and checks its signature.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from asn1crypto import cms, x509

from screening.chip.signatures import (
    HASHES, SignatureAlgorithm, UnsupportedSignature, public_key_of, signature_algorithm, verify,
)

# What asn1crypto raises on bytes that are not the structure asked for: ValueError and TypeError,
# and KeyError where an unknown algorithm OID selects a field's type (keys.PublicKeyInfo, found by
# the damaged-SOD property test).
ASN1_ERRORS = (ValueError, TypeError, KeyError)


class SignedDataError(ValueError):
    """The bytes are not a SignedData of the expected shape; the message says what was wrong."""


@dataclass(frozen=True)
class Signer:
    """The one SignerInfo: what it signed, with what, and which certificate it names."""

    digest_algorithm: str
    algorithm: SignatureAlgorithm | None  # None when not one this verifier supports
    unsupported_reason: str  # why ``algorithm`` is None, else ""
    signature: bytes
    signed_bytes: bytes  # the DER the signature covers: the signed attributes as a SET, or the content
    message_digest: bytes | None  # the messageDigest signed attribute (None without signed attributes)
    content_type_attribute: str | None  # the contentType signed attribute, dotted
    signing_time: dt.datetime | None
    issuer: x509.Name | None  # sid as IssuerAndSerialNumber
    serial_number: int | None
    key_identifier: bytes | None  # sid as SubjectKeyIdentifier


@dataclass(frozen=True)
class SignedContent:
    content_type: str  # dotted OID of the encapsulated content
    content: bytes  # the encapsulated content (eContent)
    signer: Signer
    certificates: tuple[x509.Certificate, ...]

    def content_digest(self) -> bytes:
        return hashlib.new(self.signer.digest_algorithm, self.content).digest()

    def digest_matches(self) -> bool:
        """The messageDigest attribute equals the hash of the content (true when there are no attributes)."""
        return self.signer.message_digest is None or self.signer.message_digest == self.content_digest()

    def signer_certificate(self) -> x509.Certificate | None:
        """The certificate among ``certificates`` that the SignerInfo names."""
        return next((c for c in self.certificates if names_certificate(self.signer, c)), None)

    def signature_verifies(self, certificate: x509.Certificate) -> bool:
        """Whether ``certificate``'s key made the signature; UnsupportedSignature if it cannot tell."""
        if self.signer.algorithm is None:
            raise UnsupportedSignature(self.signer.unsupported_reason)
        return verify(public_key_of(certificate), self.signer.signature, self.signer.signed_bytes,
                      self.signer.algorithm)


def names_certificate(signer: Signer, certificate: x509.Certificate) -> bool:
    try:
        if signer.key_identifier is not None:
            return certificate.key_identifier == signer.key_identifier
        return certificate.serial_number == signer.serial_number and certificate.issuer == signer.issuer
    except ASN1_ERRORS:
        return False


def parse_content_info(data: bytes, expected_content_type: str) -> SignedContent:
    """A DER ContentInfo holding SignedData whose content is ``expected_content_type`` (dotted OID)."""
    try:
        info = cms.ContentInfo.load(data, strict=True)
        if info["content_type"].native != "signed_data":
            raise SignedDataError(f"a CMS {info['content_type'].native}, not SignedData")
        signed = info["content"]
        return _signed_content(signed, expected_content_type)
    except ASN1_ERRORS as error:
        if isinstance(error, SignedDataError):
            raise
        raise SignedDataError(f"not a CMS SignedData ({_short(error)})") from None


def _signed_content(signed: cms.SignedData, expected_content_type: str) -> SignedContent:
    encapsulated = signed["encap_content_info"]
    content_type = encapsulated["content_type"].dotted
    if content_type != expected_content_type:
        raise SignedDataError(f"the signed content is {content_type}, not {expected_content_type}")
    content = encapsulated["content"]
    if content.native is None:
        raise SignedDataError("the signed content is missing (a detached signature)")
    content_bytes = content.native
    if not isinstance(content_bytes, bytes):
        raise SignedDataError("the signed content is not an OCTET STRING")
    signer_infos = signed["signer_infos"]
    if len(signer_infos) != 1:
        raise SignedDataError(f"{len(signer_infos)} signers where Doc 9303 has exactly one")
    certificates = tuple(choice.chosen for choice in signed["certificates"] or ()
                         if isinstance(choice.chosen, x509.Certificate))
    for certificate in certificates:
        certificate.native  # parse fully now, so that a bad certificate is a SignedDataError here
    return SignedContent(content_type, content_bytes, _signer(signer_infos[0], content_bytes), certificates)


def _signer(info: cms.SignerInfo, content: bytes) -> Signer:
    digest = info["digest_algorithm"]["algorithm"].native
    if digest not in HASHES:
        raise SignedDataError(f"digest algorithm {digest} is not supported")
    try:
        algorithm, reason = signature_algorithm(info["signature_algorithm"], digest), ""
    except UnsupportedSignature as error:
        algorithm, reason = None, str(error)
    attributes = info["signed_attrs"]
    message_digest = content_type = signing_time = None
    if attributes.native is None:
        signed_bytes = content  # without signed attributes the signature covers the content itself
    else:
        # RFC 5652, 5.4: the signature covers the attributes' DER with the SET OF tag, not [0].
        encoded = attributes.dump()
        signed_bytes = b"\x31" + encoded[1:]
        for attribute in attributes:
            kind = attribute["type"].native
            values = attribute["values"]
            if kind == "message_digest":
                message_digest = values[0].native
            elif kind == "content_type":
                content_type = values[0].dotted
            elif kind == "signing_time":
                signing_time = values[0].native
        if message_digest is None:
            raise SignedDataError("the signed attributes have no messageDigest")
    sid = info["sid"]
    issuer = serial = key_id = None
    if sid.name == "issuer_and_serial_number":
        issuer, serial = sid.chosen["issuer"], sid.chosen["serial_number"].native
    else:
        key_id = sid.chosen.native
    return Signer(digest, algorithm, reason, info["signature"].native, signed_bytes, message_digest,
                  content_type, signing_time, issuer, serial, key_id)


def _short(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:160]
