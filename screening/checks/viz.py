"""MRZ against the visual zone: the page prints the same name, number, dates and sex as the MRZ;
and no SPECIMEN overprint.

Only for MRZs read from an image (typed MRZs yield nothing). Conservative by design: a field
disagrees (alert) only when its label was found and its value read clearly and differs
beyond OCR noise; whatever could not be read is a skip with the reason, never an alarm.
"""

from __future__ import annotations

import difflib
import re

from screening import tesseract, viz
from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import ALERT, REVIEW
from screening.mrz.formats import name_text
from screening.mrz.transliterate import spellings, transliterate
from screening.text import text_of

CLEAR_READ = 0.75  # Tesseract confidence of a value read clearly enough to raise an alarm
# OCR look-alikes: one class per group, so "O" against "0" is noise, not a difference.
_CANON = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "B": "8", "S": "5", "Z": "2",
                        "G": "6", "T": "7", "A": "4"})
_CYRILLIC_LOOKALIKE = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")

# The fields compared, as the messages name them ("the date of birth differs"), translatable.
FIELD_NAMES = {key: name_text(key) for key in ("surname", "given_names", "document_number", "birth_date",
                                               "expiry_date", "sex")}


@check(
    CheckSpec("viz.surname", ALERT, "The surname printed on the page agrees with the MRZ (ICAO transliteration)"),
    CheckSpec("viz.given_names", ALERT, "The given names printed on the page agree with the MRZ (ICAO transliteration)"),
    CheckSpec("viz.document_number", ALERT, "The document number printed on the page agrees with the MRZ"),
    CheckSpec("viz.birth_date", ALERT, "The date of birth printed on the page agrees with the MRZ"),
    CheckSpec("viz.expiry_date", ALERT, "The date of expiry printed on the page agrees with the MRZ"),
    CheckSpec("viz.sex", ALERT, "The sex printed on the page agrees with the MRZ"),
    CheckSpec("viz.specimen_overprint", REVIEW, "No SPECIMEN / ОБРАЗЕЦ / SAMPLE overprint on the page"),
)
def visual_zone(ctx: CheckContext):
    read = ctx.read
    if read is None or read.page is None or not read.region:
        return  # typed MRZ: no page to compare with
    parsed = ctx.parsed
    try:
        zone = viz.read(read.page, read.quarter_turns, read.region, len(parsed.lines[0]), parsed.format)
    except viz.NotReadable as reason:
        yield ctx.skipped("viz.document_number", "The visual zone could not be compared with the MRZ: {reason}.",
                          reason=text_of(reason))
        return
    except tesseract.TesseractError as error:
        yield ctx.skipped("viz.document_number", "The visual zone could not be read: {reason}", reason=text_of(error))
        return
    except Exception as error:  # noqa: BLE001 - reading the page must never stop a screening
        yield ctx.skipped("viz.document_number", "The visual zone could not be read ({error}).",
                          error=type(error).__name__)
        return
    yield from _names(ctx, zone, "surname", parsed.surname)
    yield from _names(ctx, zone, "given_names", parsed.given_names)
    number = parsed.document_number + (parsed.document_number_overflow or "")
    yield from _number(ctx, zone, number)
    yield from _date(ctx, zone, "birth_date", parsed.raw.get("birth_date", ""))
    yield from _date(ctx, zone, "expiry_date", parsed.raw.get("expiry_date", ""))
    yield from _sex(ctx, zone, parsed.sex)
    if zone.specimen_marks:
        yield ctx.failed("viz.specimen_overprint", "The page is overprinted {marks}: a specimen, not a travel document.",
                         marks=" / ".join(zone.specimen_marks))
    else:
        yield ctx.passed("viz.specimen_overprint", "No specimen overprint was read on the page.")


def _not_found(ctx, key):
    return ctx.skipped(f"viz.{key}", "The {field} could not be found on the page (no label read): not compared.",
                       [key], field=FIELD_NAMES[key])


def _names(ctx, zone, key, mrz_value):
    lines = zone.fields.get(key)
    if not lines:
        yield _not_found(ctx, key)
        return
    target = re.sub(r"[^A-Z]", "", mrz_value)
    if not target:
        return
    best, distance, clear = 0.0, len(target), True
    for line in lines:
        text = line.text.strip()
        for spelling in _name_spellings(text):
            best = max(best, difflib.SequenceMatcher(None, spelling, target).ratio())
            distance = min(distance, _edits(spelling, target))
        clear = clear and line.confidence >= CLEAR_READ and len(re.sub(r"\W", "", text)) >= 2
    printed = " / ".join(line.text for line in lines)
    if best >= 0.8:
        yield ctx.passed(f"viz.{key}", "The page prints the {field} {printed}, as the MRZ.", [key],
                         field=FIELD_NAMES[key], printed=printed)
    elif clear and distance >= 2:  # more than one character: beyond OCR noise
        yield ctx.failed(f"viz.{key}", "The {field} differs: the MRZ says {mrz}, the page prints {printed}.", [key],
                         field=FIELD_NAMES[key], mrz=mrz_value, printed=printed)
    else:
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) was not read clearly enough to compare "
                                        "with the MRZ ({mrz}).", [key], field=FIELD_NAMES[key], printed=printed,
                          mrz=mrz_value)


def _name_spellings(text: str) -> set[str]:
    upper = text.upper()
    out = {re.sub(r"[^A-Z]", "", transliterate(upper))}
    if re.search(r"[А-ЯЁІЎЄЇҒҚҢӨҮҰҲҶӢӮӘҺ]", upper):
        words = re.sub(r"[^\w\s-]", "", upper)
        if len(words) <= 24:  # spellings grow with each letter that has alternatives
            out |= {re.sub(r"[^A-Z]", "", s) for s in list(spellings(words))[:200]}
        # Tesseract's Latin model reads Cyrillic capitals as their Latin look-alikes.
        out.add(re.sub(r"[^A-Z]", "", upper.translate(_CYRILLIC_LOOKALIKE)))
    return {s for s in out if s}


def _number(ctx, zone, mrz_number):
    lines = zone.fields.get("document_number")
    if not lines:
        yield _not_found(ctx, "document_number")
        return
    line = lines[0]
    printed = viz.alnum(line.text).translate(_CYRILLIC_LOOKALIKE)
    if printed == mrz_number or printed.translate(_CANON) == mrz_number.translate(_CANON):
        yield ctx.passed("viz.document_number", "The page prints the document number {number}, as the MRZ.",
                         ["document_number"], number=mrz_number)
        return
    # Clearly read: the same length (no character lost or split) and a sure read.
    if line.confidence >= CLEAR_READ and len(printed) == len(mrz_number):
        yield ctx.failed("viz.document_number", "The document number differs: the MRZ says {mrz}, the page "
                                                "prints {printed}.", ["document_number"], mrz=mrz_number,
                         printed=line.text.strip())
    else:
        yield ctx.skipped("viz.document_number", "The document number on the page ({printed}) was not "
                                                 "read clearly enough to compare with the MRZ ({mrz}).",
                          ["document_number"], printed=line.text.strip(), mrz=mrz_number)


def _date(ctx, zone, key, mrz_raw):
    lines = zone.fields.get(key)
    if not lines:
        yield _not_found(ctx, key)
        return
    line = lines[0]
    printed = viz.yymmdd(line.text)
    if printed is None:
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) is not a date that could be read: "
                                        "not compared.", [key], field=FIELD_NAMES[key], printed=line.text.strip())
        return
    if printed == mrz_raw:
        yield ctx.passed(f"viz.{key}", "The page prints the {field} {printed}, as the MRZ.", [key],
                         field=FIELD_NAMES[key], printed=line.text.strip())
    elif line.confidence >= CLEAR_READ and len(mrz_raw) == 6 and mrz_raw.isdigit():
        shown = f"{mrz_raw[4:6]}.{mrz_raw[2:4]}.{mrz_raw[0:2]}"
        yield ctx.failed(f"viz.{key}", "The {field} differs: the MRZ says {mrz} ({raw}), the page prints {printed}.",
                         [key], field=FIELD_NAMES[key], mrz=shown, raw=mrz_raw, printed=line.text.strip())
    else:
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) was not read clearly enough to compare "
                                        "with the MRZ.", [key], field=FIELD_NAMES[key], printed=line.text.strip())


def _sex(ctx, zone, mrz_sex):
    lines = zone.fields.get("sex")
    if not lines:
        yield _not_found(ctx, "sex")
        return
    line = lines[0]
    text = viz.alnum(line.text)
    value = {"M": "M", "F": "F", "X": "X", "М": "M", "Ж": "F", "Э": "M", "Е": "F"}.get(text[:1]) if text else None
    mrz = {"<": "X"}.get(mrz_sex, mrz_sex)
    if value is None or len(text) > 3:
        yield ctx.skipped("viz.sex", "The sex on the page ({printed}) could not be read: not compared.", ["sex"],
                          printed=line.text.strip())
    elif value == mrz:
        yield ctx.passed("viz.sex", "The page prints sex {sex}, as the MRZ.", ["sex"], sex=value)
    elif line.confidence >= 0.85:
        yield ctx.failed("viz.sex", "The sex differs: the MRZ says {mrz}, the page prints {printed}.", ["sex"],
                         mrz=mrz, printed=line.text.strip())
    else:
        yield ctx.skipped("viz.sex", "The sex on the page was not read clearly enough to compare.", ["sex"])


def _edits(a: str, b: str) -> int:
    """Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]
