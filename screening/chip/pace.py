"""PACE (Doc 9303 Part 11 §4.4) with ECDH generic mapping, the MRZ as password.

1. MSE:Set AT names the protocol (from EF.CardAccess) and the MRZ password.
2. GENERAL AUTHENTICATE x4: the chip's encrypted nonce z, decrypted with K_pi to s; mapping
   keys exchanged, H = SK_map·PK_map,IC; the mapped generator G' = s·G + H; ephemeral keys on
   G' exchanged; K = x(SK·PK_IC); tokens T = MAC(KS_mac, public key data object 7F49) of the
   other side's ephemeral key, checked both ways.
3. Secure messaging with KS_enc / KS_mac (AES, or 3DES for the 3DES variants), SSC 0.
A chip given the wrong MRZ decrypts a different s, so its check of our token fails: it
answers the last step with 6300, which is AccessDenied.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Callable

from asn1crypto import core
from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec

from screening.chip import kdf, tlv
from screening.chip.access import AccessKey
from screening.chip.apdu import Command, Response, raise_for_authentication
from screening.chip.channel import Channel
from screening.chip.ec import CURVES, Curve, Point
from screening.chip.errors import GarbageResponse, UnsupportedChip
from screening.chip.lds import PaceOption
from screening.chip.sm import SecureMessaging

PASSWORD_MRZ = 0x01


def random_scalar(curve: Curve) -> int:
    return secrets.randbelow(curve.n - 1) + 1


def oid_bytes(dotted: str) -> bytes:
    """The content octets of an object identifier, as tags 80 and 06 carry it."""
    return core.ObjectIdentifier(dotted).contents


def standard_multiple(curve: Curve, k: int) -> Point:
    """k·G on the curve's own generator, by ``cryptography``."""
    numbers = crypto_ec.derive_private_key(k, curve.crypto_curve()).public_key().public_numbers()
    return (numbers.x, numbers.y)


def shared_x(curve: Curve, private: int, peer: Point) -> bytes:
    """x(private·peer), by ``cryptography``'s ECDH (any point of the curve, any generator)."""
    key = crypto_ec.derive_private_key(private, curve.crypto_curve())
    return key.exchange(crypto_ec.ECDH(), curve.public_key(peer))


def mapped_generator(curve: Curve, nonce: bytes, mapping_private: int, mapping_peer: Point) -> Point:
    """G' = s·G + H, H = mapping_private·mapping_peer (generic mapping, Part 11 §4.4.3.3.1)."""
    shared = curve.multiply(mapping_private, mapping_peer)
    generator = curve.add(standard_multiple(curve, int.from_bytes(nonce, "big")), shared)
    if shared is None or generator is None:
        raise GarbageResponse("the chip's mapping key gives no generator")
    return generator


def authentication_token(cipher: str, ks_mac: bytes, protocol: str, public_key: bytes) -> bytes:
    """T = MAC over 7F49 { 06 protocol, 86 public point } (Part 11 §4.4.3.4)."""
    data = tlv.encode(0x7F49, tlv.encode(0x06, oid_bytes(protocol)) + tlv.encode(0x86, public_key))
    if cipher == kdf.AES:
        return kdf.aes_cmac8(ks_mac, data)
    return kdf.retail_mac(ks_mac, kdf.pad(data, 8))


def decrypt_nonce(cipher: str, k_pi: bytes, encrypted: bytes) -> bytes:
    if cipher == kdf.AES:
        return kdf.aes_cbc(k_pi, encrypted, decrypt=True)
    return kdf.tdes_cbc(k_pi, encrypted, decrypt=True)


def _dynamic_data(response: Response, tag: int, step: str) -> bytes:
    objects = tlv.decode_all(tlv.decode_one(response.data, 0x7C, GarbageResponse), GarbageResponse)
    value = tlv.find(objects, tag)
    if value is None:
        raise GarbageResponse(f"GENERAL AUTHENTICATE {step}: no data object {tag:02X}")
    return value


def _general_authenticate(channel: Channel, tag: int, value: bytes | None, last: bool, step: str) -> Response:
    data = tlv.encode(0x7C, b"" if value is None else tlv.encode(tag, value))
    # CLA 10 (command chaining) on all steps but the last (Part 11 §4.4.4.2).
    command = Command(0x00 if last else 0x10, 0x86, 0x00, 0x00, data, le=256)
    return raise_for_authentication(channel.send(command), f"GENERAL AUTHENTICATE {step}")


def establish_pace(channel: Channel, key: AccessKey, option: PaceOption, *, name_parameters: bool = False,
                   private_scalar: Callable[[Curve], int] = random_scalar) -> SecureMessaging:
    """Run PACE on ``channel`` and switch it to the session's secure messaging.

    ``name_parameters`` sends the parameter ID (tag 84), needed when EF.CardAccess offers
    several; ``private_scalar`` draws the terminal's two key pairs (the tests give the
    worked example's).
    """
    curve = CURVES.get(option.parameter_id)
    cipher_spec = option.cipher
    if not option.is_ecdh_generic_mapping or curve is None or cipher_spec is None:
        raise UnsupportedChip(f"PACE {option.protocol} with parameters {option.parameter_id}")
    cipher, key_bytes = cipher_spec
    protocol = option.protocol
    setting = tlv.encode(0x80, oid_bytes(protocol)) + tlv.encode(0x83, bytes([PASSWORD_MRZ]))
    if name_parameters:
        setting += tlv.encode(0x84, bytes([option.parameter_id]))
    answer = channel.send(Command(0x00, 0x22, 0xC1, 0xA4, setting))
    if not answer.ok:
        raise UnsupportedChip(f"MSE:Set AT for PACE answered {answer.sw:04X}")

    k_pi = kdf.derive_key(key.pace_password, kdf.COUNTER_PACE, cipher, key_bytes)
    encrypted_nonce = _dynamic_data(_general_authenticate(channel, 0, None, False, "1"), 0x80, "1")
    if not encrypted_nonce or len(encrypted_nonce) % (8 if cipher == kdf.TDES else 16):
        raise GarbageResponse(f"encrypted nonce of {len(encrypted_nonce)} bytes")
    nonce = decrypt_nonce(cipher, k_pi, encrypted_nonce)

    mapping_private = private_scalar(curve)
    mapping_public = curve.encode(standard_multiple(curve, mapping_private))
    chip_mapping = curve.decode(_dynamic_data(
        _general_authenticate(channel, 0x81, mapping_public, False, "2"), 0x82, "2"))
    generator = mapped_generator(curve, nonce, mapping_private, chip_mapping)

    private = private_scalar(curve)
    public_point = curve.multiply(private, generator)
    public = curve.encode(public_point)
    chip_public_raw = _dynamic_data(_general_authenticate(channel, 0x83, public, False, "3"), 0x84, "3")
    chip_public = curve.decode(chip_public_raw)
    if chip_public == public_point:
        raise GarbageResponse("the chip echoed our ephemeral key")
    secret = shared_x(curve, private, chip_public)
    ks_enc = kdf.derive_key(secret, kdf.COUNTER_ENC, cipher, key_bytes)
    ks_mac = kdf.derive_key(secret, kdf.COUNTER_MAC, cipher, key_bytes)

    token = authentication_token(cipher, ks_mac, protocol, curve.encode(chip_public))
    chip_token = _dynamic_data(_general_authenticate(channel, 0x85, token, True, "4"), 0x86, "4")
    if not hmac.compare_digest(chip_token, authentication_token(cipher, ks_mac, protocol, public)):
        raise GarbageResponse("the chip's PACE token is wrong")
    session = SecureMessaging(cipher, ks_enc, ks_mac, 0)
    channel.sm = session
    return session
