"""MRZ layouts as data (ICAO Doc 9303, 8th edition).

Positions here are 0-based slices into a line; the docstrings and messages speak
1-based positions, as the standard does.

- TD3 (passports, 2 x 44): Doc 9303 Part 4, section 4.2.2.
- TD1 (ID cards, 3 x 30): Doc 9303 Part 5, section 4.2.2.
- TD2 (2 x 36): Doc 9303 Part 6, section 4.2.2.
- MRV-A (2 x 44) and MRV-B (2 x 36) visas: Doc 9303 Part 7, sections 4.2.2 and 5.2.2.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.text import Text

# Character classes a field may hold. '<' is the filler.
ALPHA = "alpha"  # A-Z and '<'
ALNUM = "alnum"  # A-Z, 0-9 and '<'
DIGITS = "digits"  # 0-9 only
DATE = "date"  # YYMMDD, digits; '<' allowed for unknown parts of a birth date
CHECK = "check"  # a check digit: 0-9 ('<' only where the standard allows it)
SEX = "sex"  # M, F, '<' (and X as a national deviation)

MRZ_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<")


@dataclass(frozen=True)
class FieldSpec:
    """One field of an MRZ layout: where it sits and what it may contain."""

    name: str
    line: int  # 0-based line index
    start: int  # 0-based, inclusive
    end: int  # 0-based, exclusive
    charset: str

    def position(self) -> str:
        """The field's position as the standard writes it: line 2, positions 14-19."""
        if self.end - self.start == 1:
            return f"line {self.line + 1}, position {self.start + 1}"
        return f"line {self.line + 1}, positions {self.start + 1}-{self.end}"


@dataclass(frozen=True)
class CheckDigitSpec:
    """A check digit: the field(s) it covers, and where it is printed."""

    name: str  # the field it protects, or "composite"
    covers: tuple[tuple[int, int, int], ...]  # (line, start, end) slices, in order
    digit: tuple[int, int]  # (line, index)


@dataclass(frozen=True)
class Layout:
    name: str
    lines: int
    length: int
    fields: tuple[FieldSpec, ...]
    check_digits: tuple[CheckDigitSpec, ...]
    reference: str
    # TD1 and TD2 let a document number longer than 9 characters run on into the
    # optional data (Doc 9303 Part 5 4.2.4 note j, Part 6 4.2.4 note j).
    long_document_number: bool = False

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def has_field(self, name: str) -> bool:
        return any(spec.name == name for spec in self.fields)


def _f(name, line, start, end, charset):
    return FieldSpec(name, line, start, end, charset)


def _cd(name, digit_line, digit_index, *covers):
    return CheckDigitSpec(name, tuple(covers), (digit_line, digit_index))


def _line2_common() -> tuple[FieldSpec, ...]:
    """Line 2 of TD2, TD3 and both visas shares its first 28 positions."""
    return (
        _f("document_number", 1, 0, 9, ALNUM),
        _f("document_number_check", 1, 9, 10, CHECK),
        _f("nationality", 1, 10, 13, ALPHA),
        _f("birth_date", 1, 13, 19, DATE),
        _f("birth_date_check", 1, 19, 20, CHECK),
        _f("sex", 1, 20, 21, SEX),
        _f("expiry_date", 1, 21, 27, DATE),
        _f("expiry_date_check", 1, 27, 28, CHECK),
    )


def _line1_name(length: int, code_charset: str = ALPHA) -> tuple[FieldSpec, ...]:
    return (
        _f("document_code", 0, 0, 2, code_charset),
        _f("issuing_state", 0, 2, 5, ALPHA),
        _f("name", 0, 5, length, ALPHA),
    )


_LINE2_CHECKS = (
    _cd("document_number", 1, 9, (1, 0, 9)),
    _cd("birth_date", 1, 19, (1, 13, 19)),
    _cd("expiry_date", 1, 27, (1, 21, 27)),
)

TD3 = Layout(
    name="TD3",
    lines=2,
    length=44,
    fields=_line1_name(44)
    + _line2_common()
    + (
        _f("optional_data", 1, 28, 42, ALNUM),
        _f("optional_data_check", 1, 42, 43, CHECK),
        _f("composite_check", 1, 43, 44, CHECK),
    ),
    check_digits=_LINE2_CHECKS
    + (
        _cd("optional_data", 1, 42, (1, 28, 42)),
        _cd("composite", 1, 43, (1, 0, 10), (1, 13, 20), (1, 21, 43)),
    ),
    reference="ICAO Doc 9303 Part 4, 4.2.2",
)

TD2 = Layout(
    name="TD2",
    lines=2,
    length=36,
    fields=_line1_name(36)
    + _line2_common()
    + (
        _f("optional_data", 1, 28, 35, ALNUM),
        _f("composite_check", 1, 35, 36, CHECK),
    ),
    check_digits=_LINE2_CHECKS
    + (_cd("composite", 1, 35, (1, 0, 10), (1, 13, 20), (1, 21, 35)),),
    reference="ICAO Doc 9303 Part 6, 4.2.2",
    long_document_number=True,
)

TD1 = Layout(
    name="TD1",
    lines=3,
    length=30,
    fields=(
        _f("document_code", 0, 0, 2, ALPHA),
        _f("issuing_state", 0, 2, 5, ALPHA),
        _f("document_number", 0, 5, 14, ALNUM),
        _f("document_number_check", 0, 14, 15, CHECK),
        _f("optional_data", 0, 15, 30, ALNUM),
        _f("birth_date", 1, 0, 6, DATE),
        _f("birth_date_check", 1, 6, 7, CHECK),
        _f("sex", 1, 7, 8, SEX),
        _f("expiry_date", 1, 8, 14, DATE),
        _f("expiry_date_check", 1, 14, 15, CHECK),
        _f("nationality", 1, 15, 18, ALPHA),
        _f("optional_data_2", 1, 18, 29, ALNUM),
        _f("composite_check", 1, 29, 30, CHECK),
        _f("name", 2, 0, 30, ALPHA),
    ),
    check_digits=(
        _cd("document_number", 0, 14, (0, 5, 14)),
        _cd("birth_date", 1, 6, (1, 0, 6)),
        _cd("expiry_date", 1, 14, (1, 8, 14)),
        _cd("composite", 1, 29, (0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)),
    ),
    reference="ICAO Doc 9303 Part 5, 4.2.2",
    long_document_number=True,
)

MRV_A = Layout(
    name="MRV-A",
    lines=2,
    length=44,
    fields=_line1_name(44) + _line2_common() + (_f("optional_data", 1, 28, 44, ALNUM),),
    check_digits=_LINE2_CHECKS,
    reference="ICAO Doc 9303 Part 7, 4.2.2",
)

MRV_B = Layout(
    name="MRV-B",
    lines=2,
    length=36,
    fields=_line1_name(36) + _line2_common() + (_f("optional_data", 1, 28, 36, ALNUM),),
    check_digits=_LINE2_CHECKS,
    reference="ICAO Doc 9303 Part 7, 5.2.2",
)

# French national identity cards issued before 2021 use a national 2 x 36 layout
# that is not TD2 (see docs/checks.md, "national deviations"): line 1 is
# IDFRA + surname (6-30) + office code (31-36); line 2 is the card number (1-12),
# its check digit (13), given names (14-27), birth date (28-33) and its check (34),
# sex (35) and a composite over both lines (36). There is no expiry date.
FRA_ID_1988 = Layout(
    name="FRA-ID",
    lines=2,
    length=36,
    fields=(
        _f("document_code", 0, 0, 2, ALPHA),
        _f("issuing_state", 0, 2, 5, ALPHA),
        _f("surname_field", 0, 5, 30, ALPHA),
        _f("optional_data", 0, 30, 36, ALNUM),
        _f("document_number", 1, 0, 12, ALNUM),
        _f("document_number_check", 1, 12, 13, CHECK),
        _f("given_names_field", 1, 13, 27, ALPHA),
        _f("birth_date", 1, 27, 33, DATE),
        _f("birth_date_check", 1, 33, 34, CHECK),
        _f("sex", 1, 34, 35, SEX),
        _f("composite_check", 1, 35, 36, CHECK),
    ),
    check_digits=(
        _cd("document_number", 1, 12, (1, 0, 12)),
        _cd("birth_date", 1, 33, (1, 27, 33)),
        _cd("composite", 1, 35, (0, 0, 36), (1, 0, 35)),
    ),
    reference="French national ID card (1988-2021), a non-ICAO national layout",
)

LAYOUTS = {layout.name: layout for layout in (TD1, TD2, TD3, MRV_A, MRV_B, FRA_ID_1988)}
ICAO_FORMATS = ("TD1", "TD2", "TD3", "MRV-A", "MRV-B")


def guarded(parsed, spec: CheckDigitSpec) -> tuple[str, str] | None:
    """(the data, the printed digit) that check digit ``spec`` of the parsed MRZ ``parsed`` guards;
    for a long TD1/TD2 document number, the whole number with its run-on part and the digit after
    it. None where a line of the wrong length leaves the positions uncertain."""
    lines, length = parsed.lines, LAYOUTS[parsed.format].length
    digit_line, digit_index = spec.digit
    if any(line >= len(lines) or len(lines[line]) != length for line in {digit_line, *(c[0] for c in spec.covers)}):
        return None
    if spec.name == "document_number" and parsed.document_number_overflow is not None:
        return parsed.document_number, parsed.document_number_overflow_check
    return "".join(lines[line][start:end] for line, start, end in spec.covers), lines[digit_line][digit_index]

# Human names of fields, for messages an officer reads.
FIELD_LABELS = {
    "document_code": "Document code",
    "issuing_state": "Issuing state",
    "name": "Name",
    "surname_field": "Surname",
    "given_names_field": "Given names",
    "document_number": "Document number",
    "nationality": "Nationality",
    "birth_date": "Date of birth",
    "sex": "Sex",
    "expiry_date": "Date of expiry",
    "optional_data": "Optional data",
    "optional_data_2": "Optional data (line 2)",
    "composite": "Composite",
}


def label(field_name: str) -> str:
    base = field_name.removesuffix("_check")
    text = FIELD_LABELS.get(base, base.replace("_", " ").capitalize())
    return text + (" check digit" if field_name.endswith("_check") else "")


def label_text(field_name: str) -> Text:
    """``label`` as a translatable word (screening.text): "Date of birth", "Date of birth check digit"."""
    if field_name.endswith("_check"):
        return check_digit_text(field_name.removesuffix("_check"))
    return Text(label(field_name))


def name_text(field_name: str) -> Text:
    """A field's name inside a sentence ("the date of birth differs"), translatable."""
    return Text(label(field_name).lower())


def check_digit_text(field_name: str, inside: bool = False) -> Text:
    """"Date of birth check digit" (``inside``: "the date of birth check digit"), translatable.

    The composite has a phrase of its own: it is no field, so languages name it differently.
    """
    if field_name == "composite":
        return Text("the composite check digit") if inside else Text("Composite check digit")
    if inside:
        return Text("the {field} check digit", field=name_text(field_name))
    return Text("{field} check digit", field=label_text(field_name))
