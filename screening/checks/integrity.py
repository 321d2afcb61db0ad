"""MRZ integrity: the lines fit their layout, every check digit holds, codes and fillers are right."""

from __future__ import annotations

from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import ALERT, FIELD_MISSING, FIELD_OK, FIELD_UNCERTAIN, REVIEW
from screening.mrz import formats
from screening.mrz.checkdigit import check_digit, is_digits
from screening.mrz.formats import MRZ_ALPHABET, SEX
from screening.text import Join, Text

# The harmonised second letters of passport codes (mandatory from 1 January 2028).
PASSPORT_KINDS = {
    "P": Text("ordinary passport"), "E": Text("emergency passport"), "D": Text("diplomatic passport"),
    "O": Text("official or service passport"), "R": Text("refugee travel document"),
    "T": Text("travel document for aliens"), "S": Text("stateless person's travel document"),
    "L": Text("laissez-passer"), "M": Text("military passport"), "<": Text("passport"),
}  # fmt: skip


@check(CheckSpec("mrz.structure", REVIEW, "Each line has its layout's length (30, 36 or 44 characters)"))
def structure(ctx: CheckContext):
    problems = [p for p in ctx.parsed.problems if p.code == "line_length"]
    if problems:
        yield ctx.failed("mrz.structure", "{problems} Check the lines against the document.",
                         problems=Join(" ", [p.text for p in problems]))
    else:
        yield ctx.passed("mrz.structure", "{count} lines of the {format} layout.", count=len(ctx.parsed.lines),
                         format=ctx.parsed.format)


@check(CheckSpec("mrz.charset", ALERT, "Each field holds only the characters it allows (digits in dates, letters in codes…)"))
def charset(ctx: CheckContext):
    problems = [p for p in ctx.parsed.problems if p.code == "illegal_character"]
    layout = formats.LAYOUTS[ctx.parsed.format]
    # A wrong sex value is reported once, by data.sex.
    sex_positions = {(s.line + 1, s.start + 1) for s in layout.fields if s.charset == SEX}
    problems = [p for p in problems if (p.line, p.position) not in sex_positions]
    if not problems:
        yield ctx.passed("mrz.charset", "Every field holds only the characters it allows.")
        return
    fields = sorted({_field_at(layout, p.line - 1, p.position - 1) for p in problems})
    yield ctx.failed("mrz.charset", "{problems}", fields, problems=Join(" ", [p.text for p in problems]))


def _field_at(layout, line: int, index: int) -> str:
    for spec in layout.fields:
        if spec.line == line and spec.start <= index < spec.end:
            return spec.name.removesuffix("_check")
    return "unknown"


_CHECK_DIGIT_IDS = ("document_number", "birth_date", "expiry_date", "optional_data", "composite")


@check(
    *(
        CheckSpec(f"mrz.check_digit.{name}", ALERT, f"{formats.label(name)} check digit (7-3-1, Doc 9303 Part 3, 4.9)")
        for name in _CHECK_DIGIT_IDS
    )
)
def check_digits(ctx: CheckContext):
    parsed = ctx.parsed
    layout = formats.LAYOUTS[parsed.format]
    for spec in layout.check_digits:
        check_id = f"mrz.check_digit.{spec.name}"
        what = formats.check_digit_text(spec.name)
        field_name = spec.name
        if (pair := formats.guarded(parsed, spec)) is None:
            # mrz.structure already makes this a review; no second reason per field.
            yield ctx.skipped(
                check_id,
                "{what} not verified: line {line} has the wrong length, so its position is uncertain.",
                [field_name],
                what=what,
                line=spec.digit[0] + 1,
            )
            continue
        data, printed = pair
        if spec.name == "document_number" and parsed.document_number_overflow is not None:
            what = Text("Document number check digit (long number run on into the optional data)")
        if any(c not in MRZ_ALPHABET for c in data + printed):
            yield ctx.skipped(
                check_id,
                "{what} not verified: the field holds characters that are not MRZ characters.",
                [field_name],
                severity=REVIEW,
                what=what,
            )
            continue
        computed = check_digit(data)
        if printed == "<" and spec.name == "optional_data" and set(data) == {"<"}:
            yield ctx.passed(check_id, "Optional data is empty; '<' in place of its check digit is allowed.", [field_name])
        elif printed == computed:
            yield ctx.passed(check_id, "{what} is correct ({computed}).", [field_name], what=what, computed=computed)
        else:
            printed_text = f"'{printed}'" if not is_digits(printed) else printed
            yield ctx.failed(
                check_id,
                "{what} does not match (printed {printed}, computed {computed}).",
                [field_name],
                what=what,
                printed=printed_text,
                computed=computed,
            )


@check(CheckSpec("mrz.document_code", ALERT, "The document code fits the layout (P for passports, A/C/I for ID cards, V for visas)"))
def document_code(ctx: CheckContext):
    parsed = ctx.parsed
    code = parsed.raw["document_code"]
    first, second = (code + "  ")[:2]
    fmt = parsed.format
    if fmt == "TD3":
        ok, expected = first == "P" and (second.isalpha() or second == "<"), Text("P followed by a letter or '<'")
        meaning = PASSPORT_KINDS.get(second, Text("passport of a national type"))
    elif fmt in ("TD1", "TD2"):
        ok = first in "ACI" and (second.isalpha() or second == "<") and second != "V"
        expected = Text("A, C or I followed by a letter (not V) or '<'")
        meaning = Text("crew member certificate") if code == "AC" else Text("identity or travel document")
    elif fmt in ("MRV-A", "MRV-B"):
        ok, expected = first == "V" and (second.isalpha() or second == "<"), Text("V followed by a letter or '<'")
        meaning = Text("visa")
    else:  # the French national ID card layout
        ok, expected, meaning = code == "ID", "ID", Text("French national identity card")
    if not ok and first in ("A", "C", "I", "P", "V") and is_digits(second) and fmt != "FRA-ID":
        yield ctx.warned(
            "mrz.document_code",
            "Document code {code}: a digit in the second place is not ICAO's rule, but some issuers print it "
            "(the USA's C1 and A3 cards). Not a sign of forgery on its own.",
            ["document_code"],
            code=code,
        )
    elif ok:
        yield ctx.passed("mrz.document_code", "Document code {code} ({meaning}).", ["document_code"], code=code,
                         meaning=meaning)
    else:
        yield ctx.failed(
            "mrz.document_code",
            "Document code '{code}' is not valid for a {format} document (expected {expected}).",
            ["document_code"],
            code=code,
            format=fmt,
            expected=expected,
        )


@check(CheckSpec("mrz.fillers", None, "Fillers '<' only where the layout allows them (no gaps inside a number or name)"))
def fillers(ctx: CheckContext):
    parsed = ctx.parsed
    if parsed.field_status.get("document_number") in (FIELD_MISSING, FIELD_UNCERTAIN):
        return
    problems = []
    number = parsed.raw["document_number"]
    if "<" in number.rstrip("<"):
        problems.append(Text("The document number field '{number}' has a filler inside the number.", number=number))
    name = parsed.raw.get("name")
    if name is not None and parsed.field_status.get("name") == FIELD_OK:
        body = name.rstrip("<")
        if "<<<" in body:
            problems.append(Text("The name has three or more fillers in a row between name parts."))
        if body.count("<<") > 1:
            problems.append(Text("The name has more than one '<<' separator."))
    if problems:
        yield ctx.warned("mrz.fillers", "{problems}", ["document_number", "name"], problems=Join(" ", problems))
    else:
        yield ctx.passed("mrz.fillers", "Fillers only where the layout allows them.")


@check(CheckSpec("mrz.name", None, "Name structure: primary and secondary identifiers, possible truncation"))
def name(ctx: CheckContext):
    parsed = ctx.parsed
    if not parsed.surname:
        yield ctx.warned(
            "mrz.name",
            "There is no primary identifier (surname); some issuers print a single name this way.",
            ["surname"],
        )
    elif parsed.name_truncated:
        yield ctx.warned(
            "mrz.name",
            "The name fills the whole field and may be truncated: compare it with the visual zone.",
            ["surname", "given_names"],
        )
    else:
        yield ctx.passed("mrz.name", "Name read: {name}.", name=(parsed.surname + ", " + parsed.given_names).rstrip(", "))
