"""A software eMRTD: a chip in Python answering the real APDUs, for the chip protocol's tests.

It holds files by file identifier and answers SELECT, READ BINARY (B0 and B1), GET
CHALLENGE and MUTUAL AUTHENTICATE (BAC), MSE:Set AT and GENERAL AUTHENTICATE (PACE with ECDH
generic mapping), MSE:Set KAT / Set AT + GENERAL AUTHENTICATE (chip authentication) and
INTERNAL AUTHENTICATE (active authentication), under secure messaging once access is open.
It implements the Transport protocol. Knobs make the failures the tests need: a wrong MRZ
(any key other than the card's is refused as a real chip refuses it), a card pulled away after
N commands, garbage answers, a clone (CA/AA private key missing or not DG14's/DG15's), BAC-only,
PACE, a transmit that blocks.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec as crypto_ec
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from screening.chip import kdf, lds, tlv
from screening.chip.access import AccessKey
from screening.chip.apdu import Command, Response
from screening.chip.bac import session_from
from screening.chip.ec import CURVES
from screening.chip.errors import CardRemoved, GarbageResponse
from screening.chip.pace import (
    authentication_token,
    mapped_generator,
    oid_bytes,
    random_scalar,
    shared_x,
    standard_multiple,
)
from screening.chip.sm import SecureMessaging

PACE_AES128 = lds.ID_PACE_ECDH_GM + ".2"
CA_AES128 = lds.ID_CA_ECDH + ".2"
CA_3DES = lds.ID_CA_ECDH + ".1"

ok = Response(b"", 0x9000)


def status(sw: int) -> Response:
    return Response(b"", sw)


def parse_command(raw: bytes) -> Command:
    """A plain command APDU as a chip reads it (ISO 7816-4 cases 1-4, short or extended)."""
    header, body = raw[:4], raw[4:]
    data, le = b"", None
    if len(body) == 1:
        le = body[0] or 256
    elif len(body) == 3 and body[0] == 0:
        le = int.from_bytes(body[1:], "big") or 65536
    elif body and body[0] == 0 and len(body) > 3:
        length = int.from_bytes(body[1:3], "big")
        data = body[3:3 + length]
        rest = body[3 + length:]
        le = (int.from_bytes(rest, "big") or 65536) if rest else None
    elif body:
        data = body[1:1 + body[0]]
        rest = body[1 + body[0]:]
        le = (rest[0] or 256) if rest else None
    return Command(header[0], header[1], header[2], header[3], data, le)


@dataclass
class SoftwareCard:
    key: AccessKey  # the MRZ printed on this card: only its keys open the chip
    files: dict[int, bytes]  # file identifier -> content, for the eMRTD application
    pace_parameter_id: int | None = 13  # None: no EF.CardAccess, a BAC-only chip
    pace_protocol: str = PACE_AES128
    bac: bool = True  # False: a PACE-only chip
    ca_private_key: crypto_ec.EllipticCurvePrivateKey | None = None
    ca_protocol: str = CA_AES128
    aa_private_key: rsa.RSAPrivateKey | crypto_ec.EllipticCurvePrivateKey | None = None
    remove_after: int | None = None  # the card leaves the field after this many commands
    garbage_after: int | None = None  # answers after this many commands are corrupted ...
    garbage_kind: str = "mac"  # ... by a flipped MAC byte ("mac") or cut to one byte ("truncated")
    hang_after: int | None = None  # transmits after this many commands never answer
    random: object = os.urandom
    commands: int = 0
    log: list[bytes] = field(default_factory=list)

    def __post_init__(self):
        self._released = threading.Event()
        self._reset_state()

    # -- Transport

    def transmit(self, apdu: bytes, timeout_s: float) -> bytes:
        self.commands += 1
        self.log.append(bytes(apdu))
        if self.remove_after is not None and self.commands > self.remove_after:
            raise CardRemoved("the software card left the field")
        if self.hang_after is not None and self.commands > self.hang_after:
            # A chip that never answers; the DeadlineTransport in front must give up on it.
            self._released.wait()
            raise CardRemoved("the blocked software card was released")
        answer = self._answer(bytes(apdu))
        if self.garbage_after is not None and self.commands > self.garbage_after:
            if self.garbage_kind == "truncated":
                return answer[:1]
            if len(answer) > 4:
                return answer[:-3] + bytes([answer[-3] ^ 0x01]) + answer[-2:]
        return answer

    def release(self) -> None:
        """Let blocked transmits end (test teardown)."""
        self._released.set()

    # -- state

    def _reset_state(self) -> None:
        self.sm: SecureMessaging | None = None
        self.pending_sm: SecureMessaging | None = None
        self.application = False
        self.current: int | None = None
        self.rnd_ic: bytes | None = None
        self.pace_step = 0
        self.ca_setting: tuple[str, int | None] | None = None

    @property
    def card_access(self) -> bytes | None:
        if self.pace_parameter_id is None:
            return None
        return lds.build_security_infos(lds.PACEInfo(
            {"protocol": self.pace_protocol, "version": 2, "parameter_id": self.pace_parameter_id}))

    def _answer(self, apdu: bytes) -> bytes:
        if self.sm is not None and apdu[0] & 0x0C == 0x0C:
            try:
                command = self.sm.unwrap_command(apdu)
            except GarbageResponse:
                # Part 11 §9.8.6: a wrong MAC ends secure messaging, answered without it.
                self._reset_state()
                return status(0x6988).encode()
            answer = self.sm.wrap_response(self._dispatch(command), odd_ins=bool(command.ins & 1))
            if self.pending_sm is not None:  # chip authentication: new keys from the next command on
                self.sm, self.pending_sm = self.pending_sm, None
            return answer
        if self.sm is not None:
            self._reset_state()  # a plain command ends the session
        return self._dispatch(parse_command(apdu)).encode()

    def _dispatch(self, command: Command) -> Response:
        handler = {0xA4: self._select, 0xB0: self._read_binary, 0xB1: self._read_binary_odd,
                   0x84: self._get_challenge, 0x82: self._mutual_authenticate, 0x22: self._mse,
                   0x86: self._general_authenticate, 0x88: self._internal_authenticate}.get(command.ins)
        return handler(command) if handler else status(0x6D00)

    # -- files

    def _select(self, command: Command) -> Response:
        if command.p1 == 0x04:
            if command.data != lds.EMRTD_AID:
                return status(0x6A82)
            self.application, self.current = True, None
            return ok
        fid = int.from_bytes(command.data, "big")
        if fid == lds.EF_CARD_ACCESS and self.card_access is not None:
            self.current = fid
            return ok
        if not self.application or fid not in self.files:
            return status(0x6A82)
        if self.sm is None:
            return status(0x6982)  # the LDS is readable only after BAC or PACE
        self.current = fid
        return ok

    def _content(self) -> bytes | None:
        if self.current == lds.EF_CARD_ACCESS:
            return self.card_access
        if self.current is None or self.sm is None:
            return None
        return self.files[self.current]

    def _slice(self, offset: int, le: int | None) -> Response:
        content = self._content()
        if content is None:
            return status(0x6986)
        if offset > len(content):
            return status(0x6B00)
        data = content[offset:offset + (le or 256)]
        return Response(data, 0x9000 if len(data) == (le or 256) else 0x6282)

    def _read_binary(self, command: Command) -> Response:
        return self._slice((command.p1 << 8) | command.p2, command.le)

    def _read_binary_odd(self, command: Command) -> Response:
        offset = int.from_bytes(tlv.decode_one(command.data, 0x54), "big")
        answer = self._slice(offset, command.le)
        return Response(tlv.encode(0x53, answer.data), answer.sw) if answer.data else answer

    # -- BAC

    def _get_challenge(self, command: Command) -> Response:
        if not self.bac:
            return status(0x6D00)
        self.rnd_ic = self.random(8)
        return Response(self.rnd_ic, 0x9000)

    def _mutual_authenticate(self, command: Command) -> Response:
        if not self.bac or self.rnd_ic is None or len(command.data) != 40:
            return status(0x6985)
        k_enc, k_mac = self.key.bac_keys
        encrypted, mac = command.data[:32], command.data[32:]
        if kdf.retail_mac(k_mac, kdf.pad(encrypted, 8)) != mac:
            return status(0x6300)  # the terminal's keys are not this MRZ's
        plain = kdf.tdes_cbc(k_enc, encrypted, decrypt=True)
        rnd_ifd, rnd_ic, k_ifd = plain[:8], plain[8:16], plain[16:]
        if rnd_ic != self.rnd_ic:
            return status(0x6300)
        k_ic = self.random(16)
        answer = kdf.tdes_cbc(k_enc, self.rnd_ic + rnd_ifd + k_ic)
        self.sm = session_from(k_ifd, k_ic, self.rnd_ic, rnd_ifd)
        return Response(answer + kdf.retail_mac(k_mac, kdf.pad(answer, 8)), 0x9000)

    # -- PACE

    def _mse(self, command: Command) -> Response:
        objects = tlv.decode_all(command.data)
        if (command.p1, command.p2) == (0xC1, 0xA4):
            if self.card_access is None or tlv.find(objects, 0x80) != oid_bytes(self.pace_protocol):
                return status(0x6A80)
            self.pace_step, self._pace = 1, {}
            return ok
        if self.sm is None:
            return status(0x6982)
        if (command.p1, command.p2) == (0x41, 0xA6) and self.ca_protocol == CA_3DES:
            return self._agree_ca(tlv.find(objects, 0x91))
        if (command.p1, command.p2) == (0x41, 0xA4) and tlv.find(objects, 0x80) == oid_bytes(self.ca_protocol):
            self.ca_setting = (self.ca_protocol, None)
            return ok
        return status(0x6A80)

    def _pace_cipher(self) -> tuple[str, int]:
        return lds.CIPHER_BY_ARC[int(self.pace_protocol.rsplit(".", 1)[1])]

    def _general_authenticate(self, command: Command) -> Response:
        if self.ca_setting is not None and self.sm is not None:
            self.ca_setting = None
            inner = tlv.decode_all(tlv.decode_one(command.data, 0x7C))
            answer = self._agree_ca(tlv.find(inner, 0x80))
            return Response(tlv.encode(0x7C, b""), 0x9000) if answer.sw == 0x9000 else answer
        if not self.pace_step:
            return status(0x6985)
        curve = CURVES[self.pace_parameter_id]
        cipher, key_bytes = self._pace_cipher()
        inner = tlv.decode_all(tlv.decode_one(command.data, 0x7C))
        state = self._pace
        step, self.pace_step = self.pace_step, self.pace_step + 1
        if step == 1:
            state["nonce"] = self.random(16)
            k_pi = kdf.derive_key(self.key.pace_password, kdf.COUNTER_PACE, cipher, key_bytes)
            # The nonce is sent encrypted under K_pi; decryption by the terminal inverts this.
            # 16 bytes: one AES block, or two 3DES blocks (the nonce is at least a block long).
            if cipher == kdf.AES:
                encrypted = kdf.aes_cbc(k_pi, state["nonce"])
            else:
                encrypted = kdf.tdes_cbc(k_pi, state["nonce"])
            return Response(tlv.encode(0x7C, tlv.encode(0x80, encrypted)), 0x9000)
        if step == 2:
            terminal = curve.decode(tlv.find(inner, 0x81))
            private = random_scalar(curve)
            state["generator"] = mapped_generator(curve, state["nonce"], private, terminal)
            return Response(tlv.encode(0x7C, tlv.encode(0x82, curve.encode(standard_multiple(curve, private)))),
                            0x9000)
        if step == 3:
            state["terminal"] = tlv.find(inner, 0x83)
            private = random_scalar(curve)
            state["public"] = curve.encode(curve.multiply(private, state["generator"]))
            secret = shared_x(curve, private, curve.decode(state["terminal"]))
            state["keys"] = (kdf.derive_key(secret, kdf.COUNTER_ENC, cipher, key_bytes),
                             kdf.derive_key(secret, kdf.COUNTER_MAC, cipher, key_bytes))
            return Response(tlv.encode(0x7C, tlv.encode(0x84, state["public"])), 0x9000)
        self.pace_step = 0
        ks_enc, ks_mac = state["keys"]
        expected = authentication_token(cipher, ks_mac, self.pace_protocol, state["public"])
        if tlv.find(inner, 0x85) != expected:
            return status(0x6300)  # the terminal's password is not this MRZ
        token = authentication_token(cipher, ks_mac, self.pace_protocol, state["terminal"])
        self.sm = SecureMessaging(cipher, ks_enc, ks_mac, 0)
        return Response(tlv.encode(0x7C, tlv.encode(0x86, token)), 0x9000)

    # -- chip and active authentication

    def _agree_ca(self, terminal_point: bytes | None) -> Response:
        if self.ca_private_key is None or terminal_point is None:
            return status(0x6A80)
        curve_name = self.ca_private_key.curve.name.lower()
        curve = next(c for c in CURVES.values() if c.name.lower() == curve_name)
        secret = shared_x(curve, self.ca_private_key.private_numbers().private_value, curve.decode(terminal_point))
        cipher, key_bytes = lds.CIPHER_BY_ARC[int(self.ca_protocol.rsplit(".", 1)[1])]
        self.pending_sm = SecureMessaging(cipher, kdf.derive_key(secret, kdf.COUNTER_ENC, cipher, key_bytes),
                                          kdf.derive_key(secret, kdf.COUNTER_MAC, cipher, key_bytes), 0)
        return ok

    def _internal_authenticate(self, command: Command) -> Response:
        if self.aa_private_key is None:
            return status(0x6D00)
        if self.sm is None:
            return status(0x6982)
        return Response(sign_challenge(self.aa_private_key, command.data, self.random), 0x9000)


def sign_challenge(private_key, challenge: bytes, random=os.urandom) -> bytes:
    """The chip's AA signature: ISO 9796-2 scheme 1 with SHA-1 (RSA) or plain ECDSA-SHA-256."""
    if isinstance(private_key, rsa.RSAPrivateKey):
        numbers = private_key.private_numbers()
        n = numbers.public_numbers.n
        size = (n.bit_length() + 7) // 8
        recoverable = random(size - 20 - 2)
        message = b"\x6A" + recoverable + hashlib.sha1(recoverable + challenge).digest() + b"\xBC"
        return pow(int.from_bytes(message, "big"), numbers.d, n).to_bytes(size, "big")
    r, s = decode_dss_signature(private_key.sign(challenge, crypto_ec.ECDSA(hashes.SHA256())))
    size = (private_key.curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


# --- a whole genuine card, and its clone --------------------------------------------------------

GENUINE_TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
               "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
FACE_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40 + b"\xff\xd9"


@dataclass
class CardMaterial:
    """A card's files and the private keys that make it genuine."""

    key: AccessKey
    files: dict[int, bytes]
    ca_private_key: crypto_ec.EllipticCurvePrivateKey
    aa_private_key: rsa.RSAPrivateKey
    ca_protocol: str = CA_AES128

    def card(self, **knobs) -> SoftwareCard:
        knobs.setdefault("ca_protocol", self.ca_protocol)
        knobs.setdefault("ca_private_key", self.ca_private_key)
        knobs.setdefault("aa_private_key", self.aa_private_key)
        return SoftwareCard(self.key, dict(self.files), **knobs)

    def clone(self, **knobs) -> SoftwareCard:
        """The same files, without the chip's private keys: a copy made by reading the chip."""
        knobs.setdefault("ca_private_key", crypto_ec.generate_private_key(self.ca_private_key.curve))
        knobs.setdefault("aa_private_key", rsa.generate_private_key(65537, 1024))
        return self.card(**knobs)


def make_material(mrz: tuple[str, ...] = GENUINE_TD3, *, ca_protocol: str = CA_AES128,
                  ca_curve: crypto_ec.EllipticCurve | None = None, sod: bytes | None = None,
                  extra_files: dict[int, bytes] | None = None) -> CardMaterial:
    """Files of a genuine passport: EF.COM, DG1, DG2, DG11, DG14 (CA), DG15 (AA) and an EF.SOD.

    The SOD here is placeholder bytes of the right outer tag unless ``sod`` is given (the test
    PKI makes a real one).
    """
    ca_key = crypto_ec.generate_private_key(ca_curve or crypto_ec.BrainpoolP256R1())
    aa_key = rsa.generate_private_key(65537, 1024)
    ca_spki = ca_key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    aa_spki = aa_key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    from asn1crypto import keys as asn1_keys

    security_infos = lds.build_security_infos(
        lds.ChipAuthenticationInfo({"protocol": ca_protocol, "version": 1}),
        lds.ChipAuthenticationPublicKeyInfo({"protocol": lds.ID_PK_ECDH,
                                             "chip_authentication_public_key": asn1_keys.PublicKeyInfo.load(ca_spki)}),
    )
    files = {
        lds.DG_FIDS[1]: lds.build_dg1(mrz),
        lds.DG_FIDS[2]: lds.build_dg2(FACE_JPEG, lds.JPEG, 480, 640),
        lds.DG_FIDS[11]: lds.build_details(11, {"full_name": "ERIKSSON<<ANNA<MARIA", "place_of_birth": "ZENITH"}),
        lds.DG_FIDS[14]: lds.build_dg14(security_infos),
        lds.DG_FIDS[15]: lds.build_dg15(aa_spki),
        lds.EF_SOD: sod if sod is not None else tlv.encode(lds.TAG_SOD, b"\x30\x03\x02\x01\x03"),
    }
    files.update(extra_files or {})
    groups = sorted(fid - 0x0100 for fid in files if 0x0101 <= fid <= 0x0110)
    files[lds.EF_COM] = lds.build_com(groups)
    return CardMaterial(AccessKey.from_mrz_lines(mrz), files, ca_key, aa_key, ca_protocol)
