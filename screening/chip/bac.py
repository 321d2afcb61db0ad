"""Basic Access Control (Doc 9303 Part 11 §4.3): the MRZ key opens a 3DES session.

GET CHALLENGE gives the chip's nonce RND.IC; the terminal sends E_IFD || M_IFD, the
encryption of RND.IFD || RND.IC || K.IFD under K_enc and its retail MAC under K_mac, in
MUTUAL AUTHENTICATE; the chip answers likewise with RND.IC || RND.IFD || K.IC. The session
keys come from K.IFD xor K.IC and the SSC from the low halves of both nonces.
"""

from __future__ import annotations

import hmac
import os
from typing import Callable

from screening.chip import kdf
from screening.chip.access import AccessKey
from screening.chip.apdu import Command, get_challenge, raise_for_authentication
from screening.chip.channel import Channel
from screening.chip.errors import GarbageResponse
from screening.chip.sm import SecureMessaging


def terminal_cryptogram(k_enc: bytes, k_mac: bytes, rnd_ifd: bytes, rnd_ic: bytes, k_ifd: bytes) -> bytes:
    """E_IFD || M_IFD, the data of MUTUAL AUTHENTICATE."""
    encrypted = kdf.tdes_cbc(k_enc, rnd_ifd + rnd_ic + k_ifd)
    return encrypted + kdf.retail_mac(k_mac, kdf.pad(encrypted, 8))


def session_from(k_ifd: bytes, k_ic: bytes, rnd_ic: bytes, rnd_ifd: bytes) -> SecureMessaging:
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_ic))
    ssc = int.from_bytes(rnd_ic[4:8] + rnd_ifd[4:8], "big")
    return SecureMessaging(kdf.TDES, kdf.derive_key(seed, kdf.COUNTER_ENC, kdf.TDES),
                           kdf.derive_key(seed, kdf.COUNTER_MAC, kdf.TDES), ssc)


def establish_bac(channel: Channel, key: AccessKey, random: Callable[[int], bytes] = os.urandom) -> SecureMessaging:
    """Run BAC on ``channel`` and switch it to the session's secure messaging.

    AccessDenied when the chip refuses the key, GarbageResponse when its answer does not
    authenticate (it did not decrypt our nonce: not the chip we talk to, or a broken one).
    """
    k_enc, k_mac = key.bac_keys
    challenge = raise_for_authentication(channel.send(get_challenge(8)), "GET CHALLENGE")
    if len(challenge.data) != 8:
        raise GarbageResponse(f"a challenge of {len(challenge.data)} bytes")
    rnd_ic = challenge.data
    rnd_ifd, k_ifd = random(8), random(16)
    data = terminal_cryptogram(k_enc, k_mac, rnd_ifd, rnd_ic, k_ifd)
    answer = raise_for_authentication(channel.send(Command(0x00, 0x82, 0x00, 0x00, data, le=40)),
                                      "MUTUAL AUTHENTICATE")
    if len(answer.data) != 40:
        raise GarbageResponse(f"MUTUAL AUTHENTICATE answer of {len(answer.data)} bytes")
    encrypted, mac = answer.data[:32], answer.data[32:]
    if not hmac.compare_digest(mac, kdf.retail_mac(k_mac, kdf.pad(encrypted, 8))):
        raise GarbageResponse("the MAC of the chip's MUTUAL AUTHENTICATE answer is wrong")
    plain = kdf.tdes_cbc(k_enc, encrypted, decrypt=True)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise GarbageResponse("the chip's answer does not hold our nonces")
    session = session_from(k_ifd, plain[16:32], rnd_ic, rnd_ifd)
    channel.sm = session
    return session
