"""Signature verification for the chip's PKI: the algorithms Doc 9303 Part 12 allows, checked with
``cryptography``, on structures parsed by ``asn1crypto``.

Three places sign in the eMRTD PKI: the Document Signer signs the SOD, the CSCA signs Document
Signer certificates and CRLs, a master-list signer signs a master list. All use RSA (PKCS#1 v1.5 or
PSS) or ECDSA, often on Brainpool curves (Part 12, 4.4).
"""

from __future__ import annotations

from dataclasses import dataclass

from asn1crypto import algos, crl, keys, x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from screening.chip.ec import CURVES

HASHES = {
    "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
    "sha384": hashes.SHA384, "sha512": hashes.SHA512,
}

# Brainpool curves are often written in CSCA certificates with explicit domain parameters rather
# than their OID (German CSCAs, among others), and cryptography loads explicit parameters only for
# the NIST curves. Their (p, a, b, n), from the curve table PACE uses (screening.chip.ec, RFC 5639),
# recognise the curves cryptography supports by name.
_EXPLICIT_BRAINPOOL = {(curve.p, curve.a, curve.b, curve.n): curve.crypto_curve
                       for curve in CURVES.values() if curve.name.startswith("brainpool")}


class UnsupportedSignature(Exception):
    """An algorithm, parameter set or key this verifier does not handle (not a failed signature)."""


@dataclass(frozen=True)
class SignatureAlgorithm:
    """How a signature was made: ``scheme`` is ``rsassa_pkcs1v15``, ``rsassa_pss`` or ``ecdsa``."""

    scheme: str
    hash: str
    pss_salt_length: int | None = None  # PSS only
    pss_mgf_hash: str | None = None  # PSS only: the hash of MGF1

    def describe(self) -> str:
        if self.scheme == "rsassa_pss":
            return f"RSASSA-PSS with {self.hash} (MGF1 {self.pss_mgf_hash}, salt {self.pss_salt_length} bytes)"
        return {"rsassa_pkcs1v15": "RSA PKCS#1 v1.5", "ecdsa": "ECDSA"}[self.scheme] + f" with {self.hash}"


def signature_algorithm(algorithm: algos.SignedDigestAlgorithm, digest_hint: str | None = None) -> SignatureAlgorithm:
    """The scheme and hashes of an AlgorithmIdentifier. ``digest_hint`` is the CMS digest algorithm,
    for signers that name only the key type (rsaEncryption, id-ecPublicKey) as their algorithm."""
    try:
        name = algorithm["algorithm"].native
    except (ValueError, TypeError) as error:
        raise UnsupportedSignature(f"unreadable signature algorithm ({error})") from None
    if name == "rsassa_pss":
        try:
            params = algorithm["parameters"]
            hash_name = params["hash_algorithm"]["algorithm"].native
            mgf = params["mask_gen_algorithm"]
            if mgf["algorithm"].native != "mgf1":
                raise UnsupportedSignature(f"RSASSA-PSS with mask generation {mgf['algorithm'].native}")
            mgf_hash = mgf["parameters"]["algorithm"].native
            salt = int(params["salt_length"].native)
            trailer = params["trailer_field"].native
        except (ValueError, TypeError, KeyError) as error:
            raise UnsupportedSignature(f"unreadable RSASSA-PSS parameters ({error})") from None
        if trailer not in ("trailer_field_bc", 1):
            raise UnsupportedSignature(f"RSASSA-PSS trailer field {trailer}")
        _hash(hash_name)
        _hash(mgf_hash)
        return SignatureAlgorithm("rsassa_pss", hash_name, salt, mgf_hash)
    if name in ("rsassa_pkcs1v15", "ecdsa", "1.2.840.10045.2.1"):  # the bare key-type identifiers
        if not digest_hint:
            raise UnsupportedSignature(f"signature algorithm {name} names no hash")
        scheme = "rsassa_pkcs1v15" if name == "rsassa_pkcs1v15" else "ecdsa"
        return SignatureAlgorithm(scheme, _hash(digest_hint))
    hash_name, _, kind = name.partition("_")
    if kind == "rsa":
        return SignatureAlgorithm("rsassa_pkcs1v15", _hash(hash_name))
    if kind == "ecdsa":
        return SignatureAlgorithm("ecdsa", _hash(hash_name))
    raise UnsupportedSignature(f"signature algorithm {name}")


def _hash(name: str):
    if name not in HASHES:
        raise UnsupportedSignature(f"hash algorithm {name}")
    return name


def public_key_of(certificate: x509.Certificate):
    """The certificate's public key as a cryptography key (explicit Brainpool parameters included)."""
    info: keys.PublicKeyInfo = certificate["tbs_certificate"]["subject_public_key_info"]
    try:
        return serialization.load_der_public_key(info.dump())
    except (ValueError, UnsupportedAlgorithm) as error:
        curve = _explicit_curve(info)
        if curve is None:
            raise UnsupportedSignature(f"public key not supported ({error})") from None
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve(), info["public_key"].native)
    except ValueError as error:
        raise UnsupportedSignature(f"EC public key point not on {curve.name} ({error})") from None


def _explicit_curve(info: keys.PublicKeyInfo):
    try:
        if info["algorithm"]["algorithm"].native != "ec":
            return None
        params = info["algorithm"]["parameters"]
        if params.name != "specified":
            return None
        spec = params.chosen
        field = spec["field_id"]
        if field["field_type"].native != "prime_field":
            return None
        curve = spec["curve"]
        key = (field["parameters"].native, int.from_bytes(curve["a"].native, "big"),
               int.from_bytes(curve["b"].native, "big"), spec["order"].native)
    except (ValueError, TypeError, KeyError):
        return None
    return _EXPLICIT_BRAINPOOL.get(key)


def verify(public_key, signature: bytes, data: bytes, algorithm: SignatureAlgorithm) -> bool:
    """True when ``signature`` over ``data`` verifies; UnsupportedSignature when it cannot be checked."""
    digest = HASHES[algorithm.hash]()
    try:
        if algorithm.scheme == "ecdsa":
            if not isinstance(public_key, ec.EllipticCurvePublicKey):
                raise UnsupportedSignature(f"an ECDSA signature with a {_key_kind(public_key)} key")
            public_key.verify(signature, data, ec.ECDSA(digest))
        else:
            if not isinstance(public_key, rsa.RSAPublicKey):
                raise UnsupportedSignature(f"an RSA signature with a {_key_kind(public_key)} key")
            if algorithm.scheme == "rsassa_pss":
                pad = padding.PSS(mgf=padding.MGF1(HASHES[algorithm.pss_mgf_hash]()),
                                  salt_length=algorithm.pss_salt_length)
            else:
                pad = padding.PKCS1v15()
            public_key.verify(signature, data, pad, digest)
    except InvalidSignature:
        return False
    except (ValueError, UnsupportedAlgorithm) as error:
        raise UnsupportedSignature(str(error)) from None
    return True


def _key_kind(public_key) -> str:
    if isinstance(public_key, rsa.RSAPublicKey):
        return "RSA"
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        return "EC"
    return type(public_key).__name__


def signed_by(signed: x509.Certificate | crl.CertificateList, issuer_key) -> bool:
    """Whether ``issuer_key`` made the signature of a certificate or a CRL (the same layout)."""
    is_certificate = isinstance(signed, x509.Certificate)
    to_be_signed = signed["tbs_certificate" if is_certificate else "tbs_cert_list"]
    try:
        algorithm = signature_algorithm(signed["signature_algorithm"])
        signature = signed["signature_value" if is_certificate else "signature"].native
    except (ValueError, TypeError) as error:
        raise UnsupportedSignature(f"unreadable signature ({error})") from None
    return verify(issuer_key, signature, to_be_signed.dump(), algorithm)
