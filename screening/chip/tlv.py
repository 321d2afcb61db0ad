"""BER-TLV as ISO 7816-4 and the LDS use it, on top of asn1crypto's generic parser.

Tags are handled as the integers the standards print (0x5F1F, 0x7F61, 0x87), which is how
Doc 9303 names data objects; asn1crypto does the byte work (``parser.parse``/``emit``).
"""

from __future__ import annotations

from asn1crypto import parser

from screening.chip.errors import MalformedFile


def _tag_number(class_: int, method: int, tag: int) -> int:
    # The header of an empty value is the tag bytes plus a zero length byte.
    return int.from_bytes(parser.emit(class_, method, tag, b"")[:-1], "big")


def _split_tag(tag: int) -> tuple[int, int, int]:
    raw = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    class_, method = raw[0] >> 6, (raw[0] >> 5) & 1
    if len(raw) == 1:
        return class_, method, raw[0] & 0x1F
    number = 0
    for byte in raw[1:]:
        number = (number << 7) | (byte & 0x7F)
    return class_, method, number


def encode(tag: int, value: bytes) -> bytes:
    """One data object: ``tag`` as printed in the standards (e.g. 0x5F1F) and its value."""
    return parser.emit(*_split_tag(tag), value)


def decode_all(data: bytes, error: type[Exception] = MalformedFile) -> list[tuple[int, bytes]]:
    """The data objects that fill ``data`` end to end, as (tag, value) pairs.

    Anything that is not well-formed BER-TLV raises ``error`` (a ChipError subclass), so a
    chip's garbage never escapes as asn1crypto's ValueError.
    """
    return [(tag, value) for tag, value, _raw in decode_all_raw(data, error)]


def decode_one(data: bytes, expected_tag: int, error: type[Exception] = MalformedFile) -> bytes:
    """The value of the single data object ``data`` holds, which must have ``expected_tag``.

    Bytes after the object are tolerated (files are often padded to the chip's block size).
    """
    try:
        class_, method, tag, _header, value, _trailer = parser.parse(data)
    except ValueError as exc:
        raise error(f"bad TLV: {exc}") from None
    found = _tag_number(class_, method, tag)
    if found != expected_tag:
        raise error(f"expected tag {expected_tag:X}, found {found:X}")
    return value


def find(objects: list[tuple[int, bytes]], tag: int) -> bytes | None:
    """The value of the first object with ``tag``, or None."""
    for found, value in objects:
        if found == tag:
            return value
    return None


def total_length(header: bytes) -> int | None:
    """Length of the whole object that ``header`` (its first bytes) starts, or None if more
    bytes are needed to know. Used to size a file from its first READ BINARY.

    asn1crypto parses only complete objects, and a file's header is all we have at that point,
    so the tag and the length field (ISO 7816-4 5.2.2) are stepped over here: nothing else.
    """
    if not header:
        return None
    pointer = 1
    if header[0] & 0x1F == 0x1F:  # the tag goes on while bit 8 is set
        while pointer < len(header) and header[pointer] & 0x80:
            pointer += 1
        pointer += 1
    if pointer >= len(header):
        return None
    first = header[pointer]
    pointer += 1
    if first < 0x80:
        return pointer + first
    count = first & 0x7F
    if count == 0 or count > 4:
        raise MalformedFile(f"unsupported length field {first:02X}")
    if pointer + count > len(header):
        return None
    return pointer + count + int.from_bytes(header[pointer:pointer + count], "big")


def decode_all_raw(data: bytes, error: type[Exception] = MalformedFile) -> list[tuple[int, bytes, bytes]]:
    """As ``decode_all``, with each object's own bytes too: (tag, value, encoded object).

    Secure messaging MACs the objects exactly as the chip encoded them.
    """
    objects = []
    pointer = 0
    while pointer < len(data):
        try:
            class_, method, tag, header, value, trailer = parser.parse(data[pointer:])
        except ValueError as exc:
            raise error(f"bad TLV at byte {pointer}: {exc}") from None
        end = pointer + len(header) + len(value) + len(trailer)
        objects.append((_tag_number(class_, method, tag), value, data[pointer:end]))
        pointer = end
    return objects
