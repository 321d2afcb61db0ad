"""Fields -> MRZ lines with honest check digits (the inverse of ``parse``).

Used by the specimen generator and the tests. Values are given without fillers;
this module pads, truncates names as Doc 9303 Part 3 4.6 describes, and computes
every check digit (the caller may then corrupt one on purpose).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from screening.mrz import formats
from screening.mrz.checkdigit import check_digit


@dataclass(frozen=True)
class MRZData:
    """What an MRZ says, before it is laid out. Dates may be dates or raw YYMMDD text."""

    format: str  # TD1, TD2, TD3, MRV-A, MRV-B
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: dt.date | str
    sex: str
    expiry_date: dt.date | str
    optional_data: str = ""
    optional_data_2: str = ""  # TD1 line 2 only


def yymmdd(value: dt.date | str) -> str:
    return value.strftime("%y%m%d") if isinstance(value, dt.date) else value


def mrz_text(value: str) -> str:
    """Upper case, spaces and punctuation as fillers."""
    return re.sub(r"[^A-Z0-9<]", "<", value.upper())


def name_field(surname: str, given_names: str, width: int) -> str:
    """Primary and secondary identifiers in ``width`` characters, truncated if need be.

    Truncation (Doc 9303 Part 3, 4.6.1) shortens the secondary identifiers first, keeping
    at least one character of each; the primary is cut only when nothing else can give.
    """
    primary = mrz_text(surname.strip())
    secondary = [mrz_text(part) for part in given_names.split()]
    full = primary + ("<<" + "<".join(secondary) if secondary else "")
    if len(full) <= width:
        return full.ljust(width, "<")
    # Shorten given names from the last one backwards, down to their initials.
    parts = list(secondary)
    for i in reversed(range(len(parts))):
        while len(primary + "<<" + "<".join(parts)) > width and len(parts[i]) > 1:
            parts[i] = parts[i][:-1]
    candidate = primary + "<<" + "<".join(parts) if parts else primary
    if len(candidate) <= width:
        return candidate.ljust(width, "<")
    return candidate[:width]


def _pad(value: str, width: int) -> str:
    text = mrz_text(value)
    if len(text) > width:
        raise ValueError(f"{value!r} does not fit in {width} characters")
    return text.ljust(width, "<")


def document_number_fields(number: str, optional: str, width: int) -> tuple[str, str, str]:
    """(number field, its check character, optional data) with the TD1/TD2 run-on rule."""
    number = mrz_text(number)
    if len(number) <= 9:
        return number.ljust(9, "<"), check_digit(number.ljust(9, "<")), optional
    run_on = number[9:] + check_digit(number)
    return number[:9], "<", run_on + "<" + optional


def build_lines(data: MRZData) -> list[str]:
    """MRZ lines for ``data`` with every check digit computed."""
    layout = formats.LAYOUTS[data.format]
    code = _pad(data.document_code, 2)
    state = _pad(data.issuing_state, 3)
    nationality = _pad(data.nationality, 3)
    birth, expiry = yymmdd(data.birth_date), yymmdd(data.expiry_date)
    birth_part = birth + check_digit(birth)
    expiry_part = expiry + check_digit(expiry)
    sex = data.sex or "<"

    if data.format == "TD1":
        number, number_check, optional = document_number_fields(data.document_number, mrz_text(data.optional_data), 15)
        line1 = code + state + number + number_check + _pad(optional, 15)
        line2_body = birth_part + sex + expiry_part + nationality + _pad(data.optional_data_2, 11)
        composite = check_digit(line1[5:30] + line2_body[0:7] + line2_body[8:15] + line2_body[18:29])
        line3 = name_field(data.surname, data.given_names, 30)
        return [line1, line2_body + composite, line3]

    width = layout.length
    line1 = code + state + name_field(data.surname, data.given_names, width - 5)
    if data.format in ("MRV-A", "MRV-B"):
        number = _pad(data.document_number, 9)
        line2 = number + check_digit(number) + nationality + birth_part + sex + expiry_part
        return [line1, line2 + _pad(data.optional_data, width - 28)]

    if data.format == "TD2":
        number, number_check, optional = document_number_fields(data.document_number, mrz_text(data.optional_data), 7)
        body = number + number_check + nationality + birth_part + sex + expiry_part + _pad(optional, 7)
        return [line1, body + check_digit(body[0:10] + body[13:20] + body[21:35])]

    # TD3
    number = _pad(data.document_number, 9)
    optional = _pad(data.optional_data, 14)
    body = number + check_digit(number) + nationality + birth_part + sex + expiry_part + optional + check_digit(optional)
    return [line1, body + check_digit(body[0:10] + body[13:20] + body[21:43])]
