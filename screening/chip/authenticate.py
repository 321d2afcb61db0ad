"""Clone detection: chip authentication (DG14) and active authentication (DG15).

Chip authentication (Doc 9303 Part 11 §6.2): an ECDH key agreement with the chip's static
key of DG14 restarts secure messaging with keys only the holder of the private key can
compute; the next answer whose MAC verifies proves the chip genuine. Active authentication
(§6.1): the chip signs an 8-byte challenge with the private key of DG15's public key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Callable

from asn1crypto import keys as asn1_keys
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from screening.chip import kdf, tlv
from screening.chip.apdu import Command
from screening.chip.channel import Channel
from screening.chip.ec import CURVES, Curve, Point
from screening.chip.errors import MalformedFile, UnsupportedChip
from screening.chip.lds import ChipAuthenticationKey, ChipAuthenticationOption, SecurityInfoSet
from screening.chip.pace import oid_bytes, random_scalar, shared_x, standard_multiple
from screening.chip.sm import SecureMessaging


# --- keys -----------------------------------------------------------------------------------

def ec_key_of(public_key_info: bytes) -> tuple[Curve, Point]:
    """The curve and point of an EC SubjectPublicKeyInfo, named or explicit parameters.

    Chips often give the CA and AA keys with explicit domain parameters, which
    ``cryptography`` does not load; they are matched against the standardized curves.
    """
    try:
        info = asn1_keys.PublicKeyInfo.load(public_key_info)
        if info["algorithm"]["algorithm"].native != "ec":
            raise UnsupportedChip(f"{info['algorithm']['algorithm'].native} key")
        parameters = info["algorithm"]["parameters"]
        point_bytes = info["public_key"].native
        if parameters.name == "named":
            name = parameters.chosen.native.lower()
            curve = next((c for c in CURVES.values() if c.name.lower() == name), None)
        elif parameters.name == "specified":
            spec = parameters.chosen
            p = spec["field_id"]["parameters"].native
            a = int.from_bytes(spec["curve"]["a"].native, "big")
            b = int.from_bytes(spec["curve"]["b"].native, "big")
            n = spec["order"].native
            curve = next((c for c in CURVES.values() if (c.p, c.a % c.p, c.b, c.n) == (p, a % p, b, n)), None)
        else:
            curve = None
    except (ValueError, TypeError, KeyError) as exc:
        raise MalformedFile(f"public key: {exc}") from None
    if curve is None:
        raise UnsupportedChip("a key on a curve this reader does not know")
    return curve, curve.decode(point_bytes)


# --- chip authentication ---------------------------------------------------------------------

def choose_chip_authentication(infos: SecurityInfoSet) -> tuple[ChipAuthenticationOption, ChipAuthenticationKey]:
    for option in infos.chip_authentication:
        if option.cipher is None:
            continue
        for key in infos.chip_authentication_keys:
            if option.key_id is None or key.key_id is None or option.key_id == key.key_id:
                return option, key
    raise UnsupportedChip("no ECDH chip authentication in DG14")


def chip_authentication(channel: Channel, infos: SecurityInfoSet,
                        private_scalar: Callable[[Curve], int] = random_scalar) -> str:
    """Start chip authentication; the channel goes on with the new session keys.

    Returns the variant run (e.g. "ECDH AES-128"). The caller must see the next protected
    answer verify before calling it passed: only then has the chip proven its key.
    """
    option, key = choose_chip_authentication(infos)
    cipher, key_bytes = option.cipher
    curve, chip_point = ec_key_of(key.public_key_info)
    private = private_scalar(curve)
    public = curve.encode(standard_multiple(curve, private))
    key_reference = tlv.encode(0x84, bytes([key.key_id])) if key.key_id is not None else b""
    if cipher == kdf.TDES:
        # 3DES chips take the key in MSE:Set KAT (Part 11 §6.2.4.1).
        answer = channel.send(Command(0x00, 0x22, 0x41, 0xA6, tlv.encode(0x91, public) + key_reference))
    else:
        answer = channel.send(Command(0x00, 0x22, 0x41, 0xA4, tlv.encode(0x80, oid_bytes(option.protocol))
                                      + key_reference))
        if answer.ok:
            answer = channel.send(Command(0x00, 0x86, 0x00, 0x00, tlv.encode(0x7C, tlv.encode(0x80, public)),
                                          le=256))
    if not answer.ok:
        raise ChipAuthenticationRefused(answer.sw)
    secret = shared_x(curve, private, chip_point)
    channel.sm = SecureMessaging(cipher, kdf.derive_key(secret, kdf.COUNTER_ENC, cipher, key_bytes),
                                 kdf.derive_key(secret, kdf.COUNTER_MAC, cipher, key_bytes), 0)
    return f"ECDH {cipher}" + (f"-{key_bytes * 8}" if cipher == kdf.AES else "")


class ChipAuthenticationRefused(Exception):
    """The chip answered the key agreement with an error status (a clone without the key)."""

    def __init__(self, sw: int):
        self.sw = sw
        super().__init__(f"the chip refused chip authentication (status {sw:04X})")


# --- active authentication -------------------------------------------------------------------

_ISO9796_HASHES = {0x33: "sha1", 0x34: "sha256", 0x35: "sha512", 0x36: "sha384", 0x38: "sha224"}
_HASHES = {"sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
           "sha384": hashes.SHA384, "sha512": hashes.SHA512}


def verify_iso9796_2(public: rsa.RSAPublicKey, signature: bytes, challenge: bytes) -> str | None:
    """None if ``signature`` is an ISO/IEC 9796-2 scheme 1 signature of ``challenge``, else why not.

    Message recovery is the raw RSA operation m = s^e mod n, done with Python's ``pow`` on the
    key's public numbers: ``cryptography`` offers no ISO 9796-2 and no raw RSA. The recovered
    m is 6A || M1 || hash(M1 || challenge) || BC (SHA-1) or || hash-id CC (Part 11 §6.1).
    """
    numbers = public.public_numbers()
    size = (numbers.n.bit_length() + 7) // 8
    value = int.from_bytes(signature, "big")
    if len(signature) != size or value >= numbers.n:
        return "signature of the wrong size for the key"
    message = pow(value, numbers.e, numbers.n).to_bytes(size, "big")
    if message[-1] == 0xBC:
        hash_name, trailer = "sha1", 1
    elif message[-1] == 0xCC and message[-2] in _ISO9796_HASHES:
        hash_name, trailer = _ISO9796_HASHES[message[-2]], 2
    else:
        return "the recovered message has no ISO 9796-2 trailer"
    if message[0] != 0x6A:
        return "the recovered message has no ISO 9796-2 header"
    digest_size = hashlib.new(hash_name).digest_size
    digest = message[-trailer - digest_size:-trailer]
    recovered = message[1:-trailer - digest_size]
    if not hmac.compare_digest(digest, hashlib.new(hash_name, recovered + challenge).digest()):
        return "the signature does not sign our challenge"
    return None


def verify_ecdsa_plain(public: crypto_ec.EllipticCurvePublicKey, signature: bytes, challenge: bytes,
                       hash_name: str | None) -> str | None:
    """None if ``signature`` (r || s, BSI TR-03111) signs ``challenge``, else why not.

    Without ActiveAuthenticationInfo in DG14 the hash is not named; each is tried (the
    signature still has to verify over our fresh challenge).
    """
    if not signature or len(signature) % 2:
        return "signature of odd length"
    half = len(signature) // 2
    der = encode_dss_signature(int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big"))
    for name in [hash_name] if hash_name else list(_HASHES):
        try:
            public.verify(der, challenge, crypto_ec.ECDSA(_HASHES[name]()))
            return None
        except InvalidSignature:
            continue
    return "the signature does not sign our challenge"


def load_aa_key(public_key_info: bytes):
    try:
        return serialization.load_der_public_key(public_key_info)
    except (ValueError, UnsupportedAlgorithm):
        curve, point = ec_key_of(public_key_info)  # explicit EC parameters
        return curve.public_key(point)


def active_authentication(channel: Channel, public_key_info: bytes, hash_name: str | None,
                          random: Callable[[int], bytes] = os.urandom) -> str | None:
    """Challenge the chip; None if its signature verifies with DG15's key, else why not."""
    public = load_aa_key(public_key_info)
    challenge = random(8)
    answer = channel.send(Command(0x00, 0x88, 0x00, 0x00, challenge, le=256))
    if not answer.ok:
        return f"the chip did not sign the challenge (status {answer.sw:04X})"
    if isinstance(public, rsa.RSAPublicKey):
        return verify_iso9796_2(public, answer.data, challenge)
    if isinstance(public, crypto_ec.EllipticCurvePublicKey):
        return verify_ecdsa_plain(public, answer.data, challenge, hash_name)
    raise UnsupportedChip("an active authentication key that is neither RSA nor EC")
