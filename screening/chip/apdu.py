"""Command and response APDUs (ISO/IEC 7816-4 clause 5) and what their status words mean."""

from __future__ import annotations

from dataclasses import dataclass

from screening.chip import tlv
from screening.chip.errors import (
    AccessDenied,
    FileNotFound,
    GarbageResponse,
    SecurityStatusNotSatisfied,
    StatusError,
)

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # warning: fewer bytes than asked, the file ended
SW_AUTHENTICATION_FAILED = 0x6300
SW_SECURITY_STATUS_NOT_SATISFIED = 0x6982
SW_SM_OBJECTS_MISSING = 0x6987
SW_SM_OBJECTS_INCORRECT = 0x6988
SW_FILE_NOT_FOUND = 0x6A82
SW_WRONG_DATA = 0x6A80
SW_INS_NOT_SUPPORTED = 0x6D00

# The largest Le of a short APDU; a longer answer needs extended length.
SHORT_LE_MAX = 256
SHORT_LC_MAX = 255


@dataclass(frozen=True)
class Command:
    """A command APDU: header, optional data, optional Le (1..65536, 256 means '00' short)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    @property
    def needs_extended(self) -> bool:
        return len(self.data) > SHORT_LC_MAX or (self.le is not None and self.le > SHORT_LE_MAX)

    def encode(self, extended: bool | None = None) -> bytes:
        """The APDU's bytes (cases 1-4, short unless the data or Le need extended length)."""
        if extended is None:
            extended = self.needs_extended
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if extended:
            if self.data:
                out += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
            if self.le is not None:
                le = b"\x00\x00" if self.le >= 65536 else self.le.to_bytes(2, "big")
                out += le if self.data else b"\x00" + le
            return out
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @classmethod
    def parse(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise GarbageResponse(f"answer of {len(raw)} bytes has no status word")
        return cls(bytes(raw[:-2]), int.from_bytes(raw[-2:], "big"))

    def encode(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    @property
    def ok(self) -> bool:
        # 6282 (end of file reached) still carries the data asked for, up to the end.
        return self.sw in (SW_OK, SW_END_OF_FILE)


def raise_for_status(response: Response, what: str) -> Response:
    """``response`` if it succeeded; otherwise the error its status word means."""
    if response.ok:
        return response
    sw = response.sw
    if sw == SW_FILE_NOT_FOUND:
        raise FileNotFound(sw, what)
    if sw == SW_SECURITY_STATUS_NOT_SATISFIED:
        raise SecurityStatusNotSatisfied(sw, what)
    raise StatusError(sw, what)


def raise_for_authentication(response: Response, what: str) -> Response:
    """As ``raise_for_status``, for the steps where a refusal means the keys are wrong.

    Doc 9303 Part 11 has the chip answer 6300 (or 63Cx, x tries left) to a wrong MRZ key; some
    chips answer 6982 or 6A80 instead. Any of them is the chip refusing access.
    """
    if response.ok:
        return response
    sw = response.sw
    if sw & 0xFFF0 in (0x6300, 0x63C0) or sw in (SW_SECURITY_STATUS_NOT_SATISFIED, SW_WRONG_DATA, 0x6A88):
        raise AccessDenied(f"{what}: status {sw:04X}")
    raise StatusError(sw, what)


def select_file(fid: int) -> Command:
    """SELECT an elementary file by its file identifier, no answer data (P1=02, P2=0C)."""
    return Command(0x00, 0xA4, 0x02, 0x0C, fid.to_bytes(2, "big"))


def select_application(aid: bytes) -> Command:
    return Command(0x00, 0xA4, 0x04, 0x0C, aid)


def read_binary(offset: int, length: int) -> Command:
    """READ BINARY of the selected file; ``offset`` must be at most 0x7FFF (15 bits in P1-P2)."""
    if offset > 0x7FFF:
        raise ValueError("offsets above 0x7FFF need READ BINARY with odd INS (read_binary_odd)")
    return Command(0x00, 0xB0, offset >> 8, offset & 0xFF, le=length)


def read_binary_odd(offset: int, length: int) -> Command:
    """READ BINARY with odd INS (B1): the offset in a data object 54, for files past 32 KB."""
    raw_offset = offset.to_bytes(max(1, (offset.bit_length() + 7) // 8), "big")
    return Command(0x00, 0xB1, 0x00, 0x00, tlv.encode(0x54, raw_offset), le=length)


def get_challenge(length: int = 8) -> Command:
    return Command(0x00, 0x84, 0x00, 0x00, le=length)
