"""Secure messaging (Doc 9303 Part 11 §9.8): 3DES after BAC, AES after PACE.

A command's data travel encrypted in DO'87' (DO'85' for an odd INS), its Le in DO'97', and a
MAC over the send sequence counter (SSC), the header and those objects in DO'8E'. The answer
carries its data in DO'87', its status word in DO'99' and its MAC in DO'8E'. 3DES: CBC with a
zero IV, ISO 9797-1 MAC algorithm 3, 8-byte SSC. AES: CBC with IV = E(K_enc, SSC), AES-CMAC
cut to 8 bytes, 16-byte SSC. The SSC goes up by one for each command and each answer.
"""

from __future__ import annotations

import hmac

from screening.chip import kdf, tlv
from screening.chip.apdu import SW_END_OF_FILE, SW_OK, SW_SM_OBJECTS_INCORRECT, SW_SM_OBJECTS_MISSING, Command, Response
from screening.chip.errors import GarbageResponse


class SecureMessaging:
    def __init__(self, cipher: str, k_enc: bytes, k_mac: bytes, ssc: int):
        if cipher not in (kdf.TDES, kdf.AES):
            raise ValueError(cipher)
        self.cipher = cipher
        self.k_enc = k_enc
        self.k_mac = k_mac
        self.ssc = ssc
        self.block = 8 if cipher == kdf.TDES else 16

    # -- primitives

    def ssc_bytes(self) -> bytes:
        return (self.ssc % (1 << (8 * self.block))).to_bytes(self.block, "big")

    def _iv(self) -> bytes:
        if self.cipher == kdf.TDES:
            return bytes(8)
        return kdf.aes_ecb_block(self.k_enc, self.ssc_bytes())

    def encrypt(self, plain: bytes) -> bytes:
        padded = kdf.pad(plain, self.block)
        if self.cipher == kdf.TDES:
            return kdf.tdes_cbc(self.k_enc, padded, iv=self._iv())
        return kdf.aes_cbc(self.k_enc, padded, iv=self._iv())

    def decrypt(self, cryptogram: bytes) -> bytes:
        if not cryptogram or len(cryptogram) % self.block:
            raise GarbageResponse("encrypted data of a length that is not whole blocks")
        if self.cipher == kdf.TDES:
            padded = kdf.tdes_cbc(self.k_enc, cryptogram, decrypt=True, iv=self._iv())
        else:
            padded = kdf.aes_cbc(self.k_enc, cryptogram, decrypt=True, iv=self._iv())
        plain = kdf.unpad(padded)
        if plain is None:
            raise GarbageResponse("decrypted data without padding")
        return plain

    def mac(self, data: bytes) -> bytes:
        """The MAC of SSC || data, padded to the block size."""
        message = kdf.pad(self.ssc_bytes() + data, self.block)
        if self.cipher == kdf.TDES:
            return kdf.retail_mac(self.k_mac, message)
        return kdf.aes_cmac8(self.k_mac, message)

    # -- the terminal's side

    def wrap(self, command: Command) -> bytes:
        """The protected APDU for ``command`` (and the SSC moved on by one)."""
        self.ssc += 1
        extended = command.needs_extended
        cla = command.cla | 0x0C
        header = bytes([cla, command.ins, command.p1, command.p2])
        data_object = b""
        if command.data:
            if command.ins & 1:
                data_object = tlv.encode(0x85, self.encrypt(command.data))
            else:
                data_object = tlv.encode(0x87, b"\x01" + self.encrypt(command.data))
        le_object = b""
        if command.le is not None:
            le = command.le % 65536 if extended else command.le % 256
            le_object = tlv.encode(0x97, le.to_bytes(2 if extended else 1, "big"))
        mac = self.mac(kdf.pad(header, self.block) + data_object + le_object)
        body = data_object + le_object + tlv.encode(0x8E, mac)
        extended = extended or len(body) > 255
        protected = Command(cla, command.ins, command.p1, command.p2, body, le=65536 if extended else 256)
        return protected.encode(extended)

    def unwrap(self, raw: bytes) -> Response:
        """The plain answer inside the protected answer ``raw``; GarbageResponse unless its MAC verifies."""
        self.ssc += 1
        response = Response.parse(raw)
        if not response.data:
            if response.sw in (SW_SM_OBJECTS_MISSING, SW_SM_OBJECTS_INCORRECT):
                raise GarbageResponse(f"the chip rejected the secure messaging (status {response.sw:04X})")
            if response.sw in (SW_OK, SW_END_OF_FILE) or response.sw >> 8 == 0x61:
                raise GarbageResponse(f"unprotected success status {response.sw:04X}")
            # An error status without secure messaging carries no data, so trusting it can at
            # worst make us skip a file; Part 11 allows chips to send errors so.
            return response
        objects = tlv.decode_all_raw(response.data, GarbageResponse)
        macced = b"".join(raw_object for tag, _value, raw_object in objects if tag != 0x8E)
        macs = [value for tag, value, _raw in objects if tag == 0x8E]
        if not macs:
            raise GarbageResponse("protected answer without a MAC")
        if not hmac.compare_digest(macs[0], self.mac(macced)):
            raise GarbageResponse("the MAC of the chip's answer is wrong")
        status = tlv.find([(t, v) for t, v, _r in objects], 0x99)
        if status is None or len(status) != 2:
            raise GarbageResponse("protected answer without its status word")
        data = b""
        found = dict((t, v) for t, v, _r in objects)
        if 0x87 in found:
            value = found[0x87]
            if not value or value[0] != 0x01:
                raise GarbageResponse("encrypted data object without padding indicator 01")
            data = self.decrypt(value[1:])
        elif 0x85 in found:
            data = self.decrypt(found[0x85])
        return Response(data, int.from_bytes(status, "big"))

    # -- the chip's side (the software card of the tests, and round-trip checks)

    def unwrap_command(self, raw: bytes) -> Command:
        """The plain command inside protected APDU ``raw``, as a chip reads it."""
        self.ssc += 1
        if len(raw) < 5:
            raise GarbageResponse("protected command too short")
        header = raw[:4]
        if len(raw) >= 7 and raw[4] == 0:
            body = raw[7:7 + int.from_bytes(raw[5:7], "big")]
        else:
            body = raw[5:5 + raw[4]]
        objects = tlv.decode_all_raw(body, GarbageResponse)
        macced = b"".join(r for t, _v, r in objects if t != 0x8E)
        found = dict((t, v) for t, v, _r in objects)
        if 0x8E not in found or not hmac.compare_digest(
                found[0x8E], self.mac(kdf.pad(header, self.block) + macced)):
            raise GarbageResponse("the MAC of the command is wrong")
        data = b""
        if 0x87 in found:
            data = self.decrypt(found[0x87][1:])
        elif 0x85 in found:
            data = self.decrypt(found[0x85])
        le = None
        if 0x97 in found:
            raw_le = int.from_bytes(found[0x97], "big")
            le = raw_le or (256 if len(found[0x97]) == 1 else 65536)
        return Command(header[0] & ~0x0C & 0xFF, header[1], header[2], header[3], data, le)

    def wrap_response(self, response: Response, odd_ins: bool = False) -> bytes:
        """The protected answer a chip sends for ``response``."""
        self.ssc += 1
        body = b""
        if response.data:
            if odd_ins:
                body = tlv.encode(0x85, self.encrypt(response.data))
            else:
                body = tlv.encode(0x87, b"\x01" + self.encrypt(response.data))
        body += tlv.encode(0x99, response.sw.to_bytes(2, "big"))
        body += tlv.encode(0x8E, self.mac(body))
        return body + response.sw.to_bytes(2, "big")
