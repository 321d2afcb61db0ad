"""Key derivation of Doc 9303 Part 11 §9.7.1 and the block ciphers' primitives it feeds.

KDF(K, c) = hash(K || c as 32 bits), cut to the key size: SHA-1 for 3DES and AES-128,
SHA-256 for AES-192/256. Counter 1 makes the encryption key, 2 the MAC key, 3 the PACE
password key. All primitives are the ``cryptography`` package's.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

COUNTER_ENC = 1
COUNTER_MAC = 2
COUNTER_PACE = 3

TDES = "3DES"
AES = "AES"


def adjust_parity(key: bytes) -> bytes:
    """Each byte's low bit set so the byte has odd parity, as DES keys are written (Part 11 D.1)."""
    return bytes((b & 0xFE) | ((bin(b >> 1).count("1") + 1) & 1) for b in key)


def derive_key(secret: bytes, counter: int, cipher: str, key_bytes: int = 16) -> bytes:
    data = secret + counter.to_bytes(4, "big")
    if cipher == TDES:
        return adjust_parity(hashlib.sha1(data).digest()[:16])
    if key_bytes == 16:
        return hashlib.sha1(data).digest()[:16]
    return hashlib.sha256(data).digest()[:key_bytes]


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: 80 then zeros to the block size."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % block)


def unpad(data: bytes) -> bytes | None:
    """``data`` without its method-2 padding, or None if it has none (a wrong key, say)."""
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        return None
    return stripped[:-1]


def _tdes_key(key: bytes) -> bytes:
    # Two-key 3DES (K1 K2 K1) in the 24-byte form cryptography wants.
    return key[:16] + key[:8] if len(key) == 16 else key


def tdes_cbc(key: bytes, data: bytes, *, decrypt: bool = False, iv: bytes = bytes(8)) -> bytes:
    cipher = Cipher(TripleDES(_tdes_key(key)), modes.CBC(iv))
    worker = cipher.decryptor() if decrypt else cipher.encryptor()
    return worker.update(data) + worker.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 (DES CBC with K1, last block through 3DES) over padded data.

    ``data`` must already be padded to 8 bytes (callers pad, as the standard's examples do).
    Single DES with K1 is 3DES with K1 K1 K1; the final block's E(K1) D(K2) E(K1) is 3DES K1 K2.
    """
    k1 = key[:8]
    body, last = data[:-8], data[-8:]
    chain = bytes(8)
    if body:
        chain = tdes_cbc(k1 * 3, body)[-8:]
    mixed = bytes(a ^ b for a, b in zip(chain, last))
    return tdes_cbc(key[:16], mixed)


def aes_cbc(key: bytes, data: bytes, *, decrypt: bool = False, iv: bytes = bytes(16)) -> bytes:
    cipher = Cipher(algorithms.AES(key), modes.CBC(iv))
    worker = cipher.decryptor() if decrypt else cipher.encryptor()
    return worker.update(data) + worker.finalize()


def aes_ecb_block(key: bytes, block: bytes) -> bytes:
    worker = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return worker.update(block) + worker.finalize()


def aes_cmac8(key: bytes, data: bytes) -> bytes:
    """AES-CMAC cut to 8 bytes, the MAC of AES secure messaging and of PACE tokens."""
    mac = cmac.CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()[:8]
