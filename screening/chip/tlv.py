"""BER-TLV as ISO/IEC 7816-4 (clause 5.2) and the LDS use it.

Tags are the integers the standards print (0x5F1F, 0x7F61, 0x87): that is how Doc 9303
names its data objects.

Why this steps over tags and lengths itself instead of using asn1crypto's generic parser:
asn1crypto (``parser.parse``) follows X.690 strictly and refuses a tag number below 31 written
in the two-byte form ("non-minimal tag encoding"), but ISO 7816 and Doc 9303 Part 10 use
exactly such tags: 5F01 (LDS version in EF.COM), 5F0E, 5F10-5F1E (DG11, DG12). So this module
reads only the ISO 7816 framing, tag then length then value, and nothing of ASN.1's types;
every ASN.1 structure inside the files (SecurityInfos, keys, the SOD) is parsed by asn1crypto.
"""

from __future__ import annotations

from screening.chip.errors import MalformedFile


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def encode(tag: int, value: bytes) -> bytes:
    """One data object: ``tag`` as printed in the standards (e.g. 0x5F1F) and its value."""
    return tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big") + encode_length(len(value)) + value


def _read_header(data: bytes, pointer: int, error: type[Exception], bounded: bool = True) -> tuple[int, int, int]:
    """(tag, value start, value end) of the object at ``pointer``."""
    start = pointer
    if pointer >= len(data):
        raise error(f"no tag at byte {start}")
    if data[pointer] in (0x00, 0xFF):
        raise error(f"byte {data[pointer]:02X} where a tag should be, at {start}")
    tag = data[pointer]
    pointer += 1
    if tag & 0x1F == 0x1F:  # later tag bytes follow while their bit 8 is set
        while True:
            if pointer >= len(data) or pointer - start > 3:
                raise error(f"tag cut short or too long at byte {start}")
            tag = (tag << 8) | data[pointer]
            pointer += 1
            if not data[pointer - 1] & 0x80:
                break
    if pointer >= len(data):
        raise error(f"no length at byte {pointer}")
    first = data[pointer]
    pointer += 1
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            raise error(f"length field {first:02X} at byte {pointer - 1}")
        if pointer + count > len(data):
            raise error(f"length cut short at byte {pointer}")
        length = int.from_bytes(data[pointer:pointer + count], "big")
        pointer += count
    if bounded and pointer + length > len(data):
        raise error(f"object of tag {tag:X} needs {length} bytes, {len(data) - pointer} left")
    return tag, pointer, pointer + length


def decode_all_raw(data: bytes, error: type[Exception] = MalformedFile) -> list[tuple[int, bytes, bytes]]:
    """The data objects that fill ``data`` end to end: (tag, value, the object's own bytes).

    Anything that is not well-formed raises ``error`` (a ChipError subclass).
    """
    objects = []
    pointer = 0
    while pointer < len(data):
        tag, start, end = _read_header(data, pointer, error)
        objects.append((tag, data[start:end], data[pointer:end]))
        pointer = end
    return objects


def decode_all(data: bytes, error: type[Exception] = MalformedFile) -> list[tuple[int, bytes]]:
    """As ``decode_all_raw``, as (tag, value) pairs."""
    return [(tag, value) for tag, value, _raw in decode_all_raw(data, error)]


def decode_one(data: bytes, expected_tag: int, error: type[Exception] = MalformedFile) -> bytes:
    """The value of the object ``data`` starts with, which must have ``expected_tag``.

    Bytes after the object are tolerated: files are often padded to the chip's block size.
    """
    tag, start, end = _read_header(data, 0, error)
    if tag != expected_tag:
        raise error(f"expected tag {expected_tag:X}, found {tag:X}")
    return data[start:end]


def find(objects: list[tuple[int, bytes]], tag: int) -> bytes | None:
    """The value of the first object with ``tag``, or None."""
    for found, value in objects:
        if found == tag:
            return value
    return None


def total_length(header: bytes) -> int | None:
    """Length of the whole object that ``header`` (its first bytes) starts, or None if more
    bytes are needed to know. Sizes a file from its first READ BINARY."""
    try:
        _tag, _start, end = _read_header(header, 0, MalformedFile, bounded=False)
    except MalformedFile:
        if len(header) < 6:  # 3 tag bytes and a 3-byte length field at most
            return None
        raise
    return end
