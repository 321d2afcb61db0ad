"""MRZ text -> ParsedMRZ: normalise typed input, pick the layout, split the fields.

Parsing never gives up on a document it can place: a line of the wrong length or an
illegal character becomes a ``ParseProblem`` naming the line and position, the field
it touches gets an outcome other than ``ok``, and everything else is still returned.
Only text that fits no layout at all raises ``MRZFormatError``.
"""

from __future__ import annotations

import datetime as dt
import re

from screening.errors import EmptyInputError, MRZFormatError
from screening.models import (
    FIELD_INVALID,
    FIELD_MISSING,
    FIELD_OK,
    FIELD_UNCERTAIN,
    ParsedMRZ,
    ParseProblem,
)
from screening.mrz import formats
from screening.mrz.checkdigit import is_digits
from screening.mrz.formats import ALNUM, ALPHA, CHECK, DATE, DIGITS, SEX, Layout
from screening.text import Text

# How far a line's length may be off before the text is no longer taken for that layout.
_LENGTH_TOLERANCE = 4
# An expiry date is read as 20YY unless that is further ahead than this (then 19YY).
EXPIRY_HORIZON_YEARS = 20

# Characters an officer's keyboard or a paste may put where the MRZ has '<' or a
# Latin letter: Cyrillic look-alikes typed on a Russian layout, angle quotes.
_LOOKALIKES = {
    "«": "<", "‹": "<", "＜": "<", "〈": "<",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ѕ": "S", "Ј": "J",
}  # fmt: skip

_CHARSET_RULES = {
    ALPHA: (set("ABCDEFGHIJKLMNOPQRSTUVWXYZ<"), Text("letters A-Z and '<'")),
    ALNUM: (set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"), Text("letters, digits and '<'")),
    DIGITS: (set("0123456789"), Text("digits")),
    DATE: (set("0123456789"), Text("digits")),
    CHECK: (set("0123456789"), Text("a digit")),
    SEX: (set("MF<"), Text("M, F or '<'")),
}


def normalize_text(text: str) -> tuple[list[str], list[str]]:
    """Split typed or pasted MRZ text into lines, and say what was changed on the way.

    Case is folded, spaces and blank lines dropped, look-alike characters mapped; a
    whole MRZ pasted as one line is split at its layout's line length.
    """
    notes: list[str] = []
    lines = []
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        compact = re.sub(r"\s+", "", line)
        if compact != line:
            notes.append("Spaces inside a line were removed.")
        upper = compact.upper()
        if upper != compact:
            notes.append("Lower-case letters were read as upper case.")
        mapped = "".join(_LOOKALIKES.get(c, c) for c in upper)
        if mapped != upper:
            notes.append("Look-alike characters (Cyrillic letters, angle quotes) were read as MRZ characters.")
        lines.append(mapped)
    if len(lines) == 1:
        for count, length in ((2, 44), (2, 36), (3, 30)):
            if len(lines[0]) == count * length:
                lines = [lines[0][i * length : (i + 1) * length] for i in range(count)]
                notes.append(f"One line of {count * length} characters was split into {count} lines.")
                break
    return lines, sorted(set(notes), key=notes.index)


def detect_layout(lines: list[str]) -> Layout:
    """The layout these lines were printed in, judged by line count, length and code."""
    if not lines:
        raise EmptyInputError(Text("No MRZ text was given."))
    lengths = [len(line) for line in lines]
    if len(lines) == 3:
        candidates = [formats.TD1]
    elif len(lines) == 2:
        mean = sum(lengths) / 2
        if abs(mean - 44) <= abs(mean - 36):
            candidates = [formats.MRV_A if lines[0].startswith("V") else formats.TD3]
        else:
            candidates = [_two_by_36(lines)]
    else:
        raise MRZFormatError(Text("An MRZ has 2 or 3 lines; this text has {count}. Type each MRZ line on its own line.",
                                  count=len(lines)))
    layout = candidates[0]
    if any(abs(n - layout.length) > _LENGTH_TOLERANCE for n in lengths):
        described = ", ".join(str(n) for n in lengths)
        raise MRZFormatError(Text("The lines are {lengths} characters long; no MRZ layout fits "
                                  "(TD1: 3 x 30, TD2 and MRV-B: 2 x 36, TD3 and MRV-A: 2 x 44).", lengths=described))
    return layout


def _two_by_36(lines: list[str]) -> Layout:
    if lines[0].startswith("V"):
        return formats.MRV_B
    # French ID cards of 1988-2021: TD2-sized, but line 2 starts with a 12-digit card
    # number where TD2 has the nationality (positions 11-13), so no letters there.
    if lines[0].startswith("IDFRA") and not re.search("[A-Z]", lines[1][10:13]):
        return formats.FRA_ID_1988
    return formats.TD2


def parse(text_or_lines: str | list[str] | tuple[str, ...], today: dt.date | None = None) -> ParsedMRZ:
    """Parse MRZ text (or its lines) into fields, with a per-field outcome.

    Raises ``MRZFormatError`` (or ``EmptyInputError``) only when no layout fits.
    """
    if isinstance(text_or_lines, str):
        lines, notes = normalize_text(text_or_lines)
    else:
        lines, notes = normalize_text("\n".join(text_or_lines))
    layout = detect_layout(lines)
    today = today or dt.date.today()
    problems = _structure_problems(layout, lines)

    raw: dict[str, str] = {}
    status: dict[str, str] = {}
    for spec in layout.fields:
        line = lines[spec.line]
        raw[spec.name] = line[spec.start : spec.end]
        if len(line) < spec.end:
            status[spec.name] = FIELD_MISSING
        elif len(line) != layout.length:
            status[spec.name] = FIELD_UNCERTAIN
        else:
            status[spec.name] = FIELD_OK
        bad = _illegal_characters(spec, raw[spec.name], layout)
        if bad and status[spec.name] != FIELD_MISSING:
            status[spec.name] = FIELD_INVALID
        for offset, char, allowed in bad:
            text = Text("{field} has {char} at line {line}, position {position}; it allows only {allowed}.",
                        field=formats.label_text(spec.name), char=repr(char), line=spec.line + 1,
                        position=spec.start + offset + 1, allowed=allowed)
            problems.append(ParseProblem("illegal_character", spec.line + 1, spec.start + offset + 1, str(text), text))

    if layout is formats.FRA_ID_1988:
        return _parse_french_id(layout, lines, raw, status, problems, notes, today)

    surname, given_names, truncated = split_name(raw["name"], layout.field("name").end - layout.field("name").start)
    number, optional, overflow, overflow_check = _document_number(layout, raw)
    return ParsedMRZ(
        format=layout.name,
        lines=tuple(lines),
        raw=raw,
        field_status=status,
        document_code=raw["document_code"].replace("<", ""),
        issuing_state=raw["issuing_state"].replace("<", ""),
        surname=surname,
        given_names=given_names,
        document_number=number,
        nationality=raw["nationality"].replace("<", ""),
        birth_date=resolve_birth_date(raw["birth_date"], today),
        sex=raw["sex"],
        expiry_date=resolve_expiry_date(raw["expiry_date"], today),
        optional_data=optional,
        optional_data_2=strip_fillers(raw["optional_data_2"]) if "optional_data_2" in raw else None,
        document_number_overflow=overflow,
        document_number_overflow_check=overflow_check,
        name_truncated=truncated,
        problems=tuple(problems),
        notes=tuple(notes),
    )


def _structure_problems(layout: Layout, lines: list[str]) -> list[ParseProblem]:
    problems = []
    for index, line in enumerate(lines):
        if len(line) != layout.length:
            text = Text("Line {line} has {length} characters; a {format} line has {expected}. Fields after the "
                        "first difference may be shifted.", line=index + 1, length=len(line), format=layout.name,
                        expected=layout.length)
            problems.append(ParseProblem("line_length", index + 1, None, str(text), text))
    return problems


def _illegal_characters(spec, value: str, layout: Layout) -> list[tuple[int, str, Text]]:
    allowed, described = _CHARSET_RULES[spec.charset]
    if spec.charset == SEX:
        allowed = allowed | {"X"}  # a national deviation, reported by the checks, not here
    if spec.charset == DATE and spec.name == "birth_date":
        allowed = allowed | {"<"}  # unknown parts of a birth date (Doc 9303 Part 3, 4.2.2)
        described = Text("digits and '<' for an unknown part")
    if spec.charset == DATE and spec.name == "expiry_date" and set(value) == {"<"}:
        return []  # no expiry date at all: reported by the checks
    if spec.charset == CHECK:
        # '<' is a legal check "digit" in two places: over an empty TD3 optional data
        # field, and in TD1/TD2 where a long document number runs on. The checks judge
        # whether it was legal here; the character itself is in the MRZ alphabet.
        allowed = allowed | {"<"}
    return [(i, c, described) for i, c in enumerate(value) if c not in allowed]


def strip_fillers(value: str) -> str:
    """Field text without fillers: trailing '<' dropped, inner '<' read as spaces."""
    return re.sub(" +", " ", value.replace("<", " ")).strip()


def split_name(field: str, width: int) -> tuple[str, str, bool]:
    """Primary and secondary identifiers of a name field, and whether it may be truncated.

    Doc 9303 Part 3, 4.6: primary identifier, '<<', secondary identifiers separated by
    '<'. A letter in the field's last position means the name may have been cut short.
    """
    truncated = len(field) >= width and field[-1:].isalpha()
    body = field.rstrip("<")
    primary, sep, secondary = body.partition("<<")
    return strip_fillers(primary), strip_fillers(secondary), truncated


def _document_number(layout: Layout, raw: dict[str, str]) -> tuple[str, str, str | None, str | None]:
    """Document number (with any run-on part), optional data, overflow and its check."""
    number = raw["document_number"]
    optional = raw["optional_data"]
    if layout.long_document_number and raw["document_number_check"] == "<" and optional[:1] not in ("", "<"):
        # Doc 9303 Part 5 4.2.4 note j / Part 6: the first 9 characters sit in the number
        # field, '<' takes its check digit's place, and the rest run on into the optional
        # data, followed by the check digit over the whole number and a '<'.
        run_on, _, rest = optional.partition("<")
        if len(run_on) >= 2:
            return number + run_on[:-1], strip_fillers(rest), run_on[:-1], run_on[-1]
    return number.replace("<", ""), strip_fillers(optional), None, None


def _date_parts(raw: str) -> tuple[int, int, int] | None:
    if len(raw) != 6 or not is_digits(raw):
        return None
    return int(raw[:2]), int(raw[2:4]), int(raw[4:6])


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def birth_year(yy: int, today: dt.date) -> int:
    """The latest century that does not put a birth year in the future."""
    return 2000 + yy if 2000 + yy <= today.year else 1900 + yy


def expiry_year(yy: int, today: dt.date) -> int:
    """20YY, unless that is further ahead than any issuer's validity allows."""
    return 2000 + yy if 2000 + yy <= today.year + EXPIRY_HORIZON_YEARS else 1900 + yy


def resolve_birth_date(raw: str, today: dt.date) -> dt.date | None:
    parts = _date_parts(raw)
    if parts is None:
        return None
    yy, month, day = parts
    date = _make_date(birth_year(yy, today), month, day)
    if date is not None and date > today:
        # Same year as today but a later day: the century before.
        date = _make_date(date.year - 100, month, day)
    return date


def resolve_expiry_date(raw: str, today: dt.date) -> dt.date | None:
    parts = _date_parts(raw)
    if parts is None:
        return None
    yy, month, day = parts
    return _make_date(expiry_year(yy, today), month, day)


def _parse_french_id(layout, lines, raw, status, problems, notes, today) -> ParsedMRZ:
    surname, _, _ = split_name(raw["surname_field"], 25)
    given = raw["given_names_field"].rstrip("<")
    return ParsedMRZ(
        format=layout.name,
        lines=tuple(lines),
        raw=raw,
        field_status=status,
        document_code=raw["document_code"].replace("<", ""),
        issuing_state=raw["issuing_state"],
        surname=surname,
        given_names=strip_fillers(given.replace("<<", " ")),
        document_number=raw["document_number"].replace("<", ""),
        nationality="FRA",
        birth_date=resolve_birth_date(raw["birth_date"], today),
        sex=raw["sex"],
        expiry_date=None,
        optional_data=strip_fillers(raw["optional_data"]),
        name_truncated=raw["given_names_field"][-1:].isalpha(),
        problems=tuple(problems),
        notes=tuple(notes)
        + ("French national ID card (1988-2021 layout, not ICAO TD2): it has no expiry date in the MRZ.",),
    )
