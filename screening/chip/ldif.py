"""A strict reader of LDIF content files (RFC 2849), the format of the ICAO PKD downloads.

Only what the PKD files use: ``dn``, ``name: value`` and ``name:: base64`` lines, continuation
lines (a leading space), comments, ``version: 1`` and ``changetype`` in delta files. A value by
URL (``name:< file:///...``) is refused: nothing is fetched. Any line that fits none of these is
an error naming its line, so that a damaged download is refused rather than half-read.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field


class LdifError(ValueError):
    """The text is not LDIF; the message names the line."""


@dataclass(frozen=True)
class LdifRecord:
    dn: str
    line: int  # where the record starts, for messages
    changetype: str = "add"  # content records are additions
    attributes: dict[str, list[bytes | str]] = field(default_factory=dict)  # names in lower case

    def values(self, name: str) -> list[bytes | str]:
        return self.attributes.get(name.lower(), [])


def read_ldif(text: str) -> list[LdifRecord]:
    records: list[LdifRecord] = []
    for start, lines in _records(_logical_lines(text)):
        records.append(_record(start, lines))
    return records


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) with continuation lines joined and comments dropped; "" separates records."""
    logical: list[tuple[int, str]] = []
    in_comment = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.startswith(" "):
            if in_comment:
                continue
            if not logical or logical[-1][1] == "":
                raise LdifError(f"line {number}: a continuation line with nothing to continue")
            start, previous = logical[-1]
            logical[-1] = (start, previous + raw[1:])
            continue
        in_comment = raw.startswith("#")
        if in_comment:
            continue
        logical.append((number, raw if raw.strip() else ""))
    return logical


def _records(lines: list[tuple[int, str]]):
    current: list[tuple[int, str]] = []
    for number, line in lines:
        if line == "":
            if current:
                yield current[0][0], current
            current = []
        else:
            current.append((number, line))
    if current:
        yield current[0][0], current


def _record(start: int, lines: list[tuple[int, str]]) -> LdifRecord:
    if lines[0][1].lower().startswith("version:"):
        if _split(*lines[0])[1] != "1":
            raise LdifError(f"line {start}: LDIF version {_split(*lines[0])[1]!r}, expected 1")
        lines = lines[1:]
        if not lines:
            return LdifRecord(dn="", line=start, changetype="version")
    number, first = lines[0]
    name, dn = _split(number, first)
    if name.lower() != "dn":
        raise LdifError(f"line {number}: a record must begin with dn:, found {name!r}")
    if isinstance(dn, bytes):
        try:
            dn = dn.decode("utf-8")
        except UnicodeDecodeError:
            raise LdifError(f"line {number}: the dn is not UTF-8") from None
    changetype = "add"
    attributes: dict[str, list[bytes | str]] = {}
    for number, line in lines[1:]:
        name, value = _split(number, line)
        if name.lower() == "changetype":
            changetype = str(value).lower()
            continue
        if name == "-":  # the separator inside modify records
            continue
        attributes.setdefault(name.lower(), []).append(value)
    return LdifRecord(dn=dn, line=start, changetype=changetype, attributes=attributes)


def _split(number: int, line: str) -> tuple[str, bytes | str]:
    if line == "-":
        return "-", ""
    name, colon, rest = line.partition(":")
    if not colon or not name or " " in name:
        raise LdifError(f"line {number}: not an LDIF attribute line: {line[:60]!r}")
    if rest.startswith(":"):
        try:
            return name, base64.b64decode(rest[1:].strip(), validate=True)
        except (binascii.Error, ValueError):
            raise LdifError(f"line {number}: the base64 value of {name} is damaged or cut short") from None
    if rest.startswith("<"):
        raise LdifError(f"line {number}: {name} refers to a URL; values must be in the file")
    return name, rest.strip()
