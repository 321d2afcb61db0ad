"""The defect registry: one ``@defect(...)`` per defect, declaring what it plants, the verdict a
perfect screening gives, and which checks (ids of ``screening.checks.registry``) should catch it.

A defect's function takes a clean (or already defective) ``Specimen`` and returns it with the
defect planted and a detail sentence saying exactly what changed (the answer key's).
``stage`` orders several defects on one document: those that rewrite the MRZ from its data
first, those that edit printed lines last. ``catalogue.DEFECTS`` is this registry; the
benchmarks (fraud.py, trust.py) and docs/samples.md read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from screening.mrz import codes
from screening.mrz.generate import MRZData, build_lines
from screening.mrz.transliterate import transliterate
from screening.samples.people import female_surname, personal_number
from screening.mrz.formats import check_digit_text, name_text
from screening.samples.specimen import LineStyle, Specimen, _pick, add_years, printed_date
from screening.text import Text
from screening.zones import MRZ_PITCH_MM

CLEAR, REVIEW, ALERT = "clear", "review", "alert"


@dataclass(frozen=True)
class Defect:
    id: str
    title: str
    verdict: str  # what a perfect screening concludes: review or alert
    mrz_visible: bool  # whether the MRZ text alone (check_mrz_text) reveals it
    notice: Text  # what the officer should notice, for trainers and the answer key (translatable)
    conflicts: frozenset[str] = frozenset()  # defects it cannot be combined with
    plants: str = ""  # what the generator changes, in one line
    checks: tuple[str, ...] = ()  # the check ids that should catch it (any one suffices)
    stage: int = 50
    needs_labels: bool = False  # only on layouts that print labels (a field "under a clear label")
    # Shows only under infrared or ultraviolet light: planted in LIGHT_DEFECTS, drawn only for sets
    # generated with --lights (the white-light sets, their benchmarks and seeds stay as they were).
    lights: bool = False
    plant: Callable[[Specimen, np.random.Generator, dt.date], Specimen] | None = field(
        default=None, compare=False, repr=False)


DEFECTS: dict[str, Defect] = {}
# The defects that show only under IR or UV light (``lights=True``), kept apart from DEFECTS so
# that everything drawing from DEFECTS (the white-light generator, fraud.py, trust.py) is unchanged.
LIGHT_DEFECTS: dict[str, Defect] = {}


def get(defect_id: str) -> Defect:
    """A defect of either registry."""
    found = DEFECTS.get(defect_id) or LIGHT_DEFECTS.get(defect_id)
    if found is None:
        raise KeyError(f"unknown defect {defect_id!r}; known: {', '.join([*DEFECTS, *LIGHT_DEFECTS])}")
    return found


def defect(id: str, title: str, verdict: str, *, mrz_visible: bool, notice: Text, plants: str,
           checks: tuple[str, ...], stage: int, conflicts: tuple[str, ...] = (), needs_labels: bool = False,
           lights: bool = False):
    """Register the decorated function as the planter of defect ``id``."""

    def decorate(function):
        if id in DEFECTS or id in LIGHT_DEFECTS:
            raise ValueError(f"defect {id!r} registered twice")
        registry = LIGHT_DEFECTS if lights else DEFECTS
        registry[id] = Defect(id, title, verdict, mrz_visible, notice, frozenset(conflicts), plants, tuple(checks),
                              stage, needs_labels, lights, function)
        # A conflict goes both ways.
        for other in conflicts:
            for table in (DEFECTS, LIGHT_DEFECTS):
                if other in table and id not in table[other].conflicts:
                    table[other] = replace(table[other], conflicts=table[other].conflicts | {id})
        return function

    return decorate


# ------------------------------------------------------------------ helpers

# Where each check digit sits: (line index, 0-based position), per format and field.
CHECK_POSITIONS = {
    "TD3": {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27), "composite": (1, 43)},
    "TD2": {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27), "composite": (1, 35)},
    "TD1": {"document_number": (0, 14), "birth_date": (1, 6), "expiry_date": (1, 14), "composite": (1, 29)},
    "MRV-A": {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27)},
    "MRV-B": {"document_number": (1, 9), "birth_date": (1, 19), "expiry_date": (1, 27)},
}
# The watch list's reasons, as words the kiosk translates.
REASON_WORDS = {"stolen": Text("stolen"), "lost": Text("lost"), "revoked": Text("revoked")}
# Three-letter codes that are no ISO 3166-1 or ICAO code, but look like the region's.
FAKE_STATES = ("KZS", "TJR", "UZR", "RUF", "KGR", "AZR", "TKR", "KZR", "UZS", "TJS")


def _with_lines(spec: Specimen, data: MRZData, **changes) -> Specimen:
    return replace(spec, mrz=data, lines=tuple(build_lines(data)), **changes)


def _note(spec: Specimen, defect_id: str, detail: Text, **changes) -> Specimen:
    return replace(spec, defects=spec.defects + (defect_id,), details=spec.details + (detail,), **changes)


def _change_chars(text: str, rng: np.random.Generator, count: int = 1) -> str:
    chars = list(text)
    digits = [i for i, c in enumerate(chars) if c.isdigit()]
    for i in rng.choice(digits, size=min(count, len(digits)), replace=False):
        chars[int(i)] = str((int(chars[int(i)]) + int(rng.integers(1, 10))) % 10)
    return "".join(chars)


# Letter swaps a forger makes to a printed surname: a vowel for a vowel, a consonant for a
# look-alike consonant (the page's script; the Latin line follows by transliteration).
_SWAPS = {
    "latin": ("AEIOUY", "BDGKLMNPRSTVZ"),
    "cyrillic": ("АЕИОУЫЭЯ", "БВГДКЛМНПРСТЗ"),
}


def _altered_name(name: str, rng: np.random.Generator) -> str:
    script = "cyrillic" if any("А" <= c <= "я" or c in "ЁёҚқҒғҮүҰұҺһӘәІіӨөҢңҶҷӢӣӮӯ" for c in name) else "latin"
    vowels, consonants = _SWAPS[script]
    positions = [i for i, c in enumerate(name) if i > 0 and (c in vowels or c in consonants)]
    chars = list(name)
    for i in rng.choice(positions, size=min(len(positions), 1 + int(rng.random() < 0.4)), replace=False):
        pool = vowels if chars[int(i)] in vowels else consonants
        chars[int(i)] = _pick(rng, [c for c in pool if c != chars[int(i)]])
    return "".join(chars)


# ------------------------------------------------------------------ the defects


@defect("check_digit", "Wrong check digit", ALERT, mrz_visible=True, stage=90,
        notice=Text("One check digit in the MRZ does not match its field: recompute it (weights 7-3-1). "
                    "The field was altered, or the MRZ was typed by hand."),
        plants="one printed check digit changed to another digit",
        checks=("mrz.check_digit.document_number", "mrz.check_digit.birth_date", "mrz.check_digit.expiry_date",
                "mrz.check_digit.composite"))
def check_digit(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    name, (line, pos) = _pick(rng, CHECK_POSITIONS[spec.format].items())
    lines = list(spec.lines)
    old = lines[line][pos]
    new = str((int(old) + int(rng.integers(1, 10))) % 10) if old.isdigit() else str(int(rng.integers(1, 10)))
    lines[line] = lines[line][:pos] + new + lines[line][pos + 1:]
    return _note(spec, "check_digit", Text("{digit} (line {line}, position {position}) is printed {printed}; the "
                                           "correct digit is {correct}.", digit=check_digit_text(name), line=line + 1,
                                           position=pos + 1, printed=new, correct=old), lines=tuple(lines))


@defect("altered_field_recomputed", "Field altered, check digits recomputed", ALERT, mrz_visible=False, stage=50,
        notice=Text("Every check digit is right, yet the MRZ and the printed page disagree on a date or the "
                    "document number: a forger changed the MRZ and recomputed the check digits. Always compare "
                    "the MRZ with the visual zone."),
        plants="the MRZ's date of birth (two times in three) or document number changed, check digits recomputed",
        checks=("viz.birth_date", "viz.document_number", "data.personal_number.kaz_iin",
                "data.personal_number.uzb_pinfl"),
        conflicts=("impossible_date", "birth_after_expiry", "viz_mismatch_number"))
def altered_field_recomputed(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data, viz = spec.mrz, spec.viz
    choice = _pick(rng, ("birth_date", "document_number", "birth_date"))
    if choice == "birth_date":
        birth = data.birth_date
        new_birth = add_years(birth, int(_pick(rng, (-9, -7, -6, -5, 4, 5, 6))))
        new_data = replace(data, birth_date=new_birth)
        if spec.viz.personal_number:  # a careful forger rewrites the personal number too
            new_data = replace(new_data, optional_data=personal_number(
                spec.issuer.personal_number, new_birth.strftime("%y%m%d"), new_birth.year, data.sex, rng))
        detail = Text("The MRZ date of birth was changed to {date} with every check digit recomputed; the page "
                      "still prints {printed}.", date=printed_date(new_birth), printed=viz.birth_date)
    else:
        new_number = _change_chars(data.document_number, rng, 2)
        new_data = replace(data, document_number=new_number)
        detail = Text("The MRZ document number was changed to {number} with every check digit recomputed; the page "
                      "still prints {printed}.", number=new_number, printed=viz.document_number)
    return _note(_with_lines(spec, new_data), "altered_field_recomputed", detail)


@defect("viz_mismatch_name", "Visual zone and MRZ disagree on the name", ALERT, mrz_visible=False, stage=60,
        notice=Text("The name printed on the page is not the name in the MRZ (allowing for transliteration): "
                    "the page or the MRZ was replaced or altered."),
        plants="the page prints another surname of the holder's country (both scripts)",
        checks=("viz.surname",))
def viz_mismatch_name(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data, viz = spec.mrz, spec.viz
    names = spec.holder_issuer.names
    # Compare the form the holder would carry (a woman's surname takes its female ending),
    # or the "different" name could be the holder's own.
    forms = [female_surname(s, names) if data.sex == "F" else s for s in names.surnames]
    new = _pick(rng, [s for s in forms if transliterate(s, spec.holder_issuer.code) != data.surname])
    cyrillic_page = viz.surname != viz.surname_latin
    latin = transliterate(new, spec.holder_issuer.code)
    new_viz = replace(viz, surname=new.upper() if cyrillic_page else latin, surname_latin=latin)
    printed = new_viz.surname + (" / " + latin if cyrillic_page else "")
    return _note(spec, "viz_mismatch_name", Text("The page prints the surname {surname}; the MRZ says {mrz}.",
                                                 surname=printed, mrz=data.surname), viz=new_viz)


@defect("viz_mismatch_number", "Visual zone and MRZ disagree on the document number", ALERT, mrz_visible=False,
        stage=60,
        notice=Text("The document number printed on the page differs from the one in the MRZ (and on the "
                    "other pages): the page was replaced or altered."),
        plants="one digit of the page's document number changed",
        checks=("viz.document_number",), conflicts=("altered_field_recomputed", "watchlist"))
def viz_mismatch_number(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    new_number = _change_chars(spec.viz.document_number, rng, 1)
    return _note(spec, "viz_mismatch_number", Text("The page prints document number {number}; the MRZ says {mrz}.",
                                                   number=new_number, mrz=spec.mrz.document_number),
                 viz=replace(spec.viz, document_number=new_number))


def _pasted_line_index(spec: Specimen, rng: np.random.Generator) -> int:
    line = int(rng.integers(0, len(spec.lines))) if spec.format == "TD1" else 1
    for altered in ("altered_field_recomputed", "altered_number"):
        if altered in spec.defects and spec.format == "TD1":  # paste the line that carries the change
            detail = spec.details[spec.defects.index(altered)]
            line = 1 if "date of birth" in str(detail) else 0
    return line


@defect("pasted_line", "An MRZ line pasted in", ALERT, mrz_visible=False, stage=80,
        notice=Text("One MRZ line does not match the others: another font, character size, spacing (pitch) or "
                    "baseline. Look along the lines: genuine MRZ characters sit on one grid, 10 per inch."),
        plants="one MRZ line printed with another pitch (-8 to -12 %), size (+22 to +32 %), font, or a "
               "raised, sloping baseline",
        checks=("print.line_consistency", "print.ocrb", "print.proportions"))
def pasted_line(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    line = _pasted_line_index(spec, rng)
    kind = _pick(rng, ("pitch", "size", "font", "baseline"))
    style = {
        "pitch": LineStyle(pitch_mm=round(float(rng.uniform(2.24, 2.34)), 2)),
        "size": LineStyle(size=round(float(rng.uniform(1.22, 1.32)), 2)),
        "font": LineStyle(font="mono", size=1.2),
        "baseline": LineStyle(baseline_mm=round(float(rng.uniform(-0.8, -0.6)), 2),
                              tilt_deg=round(float(rng.uniform(0.4, 0.6)), 2)),
    }[kind]
    if kind == "pitch":
        what = Text("narrower spacing ({pitch} mm per character instead of {icao} mm)", pitch=str(style.pitch_mm),
                    icao=f"{MRZ_PITCH_MM:.2f}")
    elif kind == "size":
        what = Text("larger characters ({times} times the height of the other lines)", times=f"{style.size:.2f}")
    elif kind == "font":
        what = Text("another font (not OCR-B) and slightly larger characters")
    else:
        what = Text("a baseline {mm} mm too high that slopes by {degrees} degrees", mm=str(abs(style.baseline_mm)),
                    degrees=str(style.tilt_deg))
    styles = list(spec.styles)
    styles[line] = style
    return _note(spec, "pasted_line", Text("MRZ line {line} was pasted in: {what}.", line=line + 1, what=what),
                 styles=tuple(styles))


@defect("impossible_date", "Impossible date", ALERT, mrz_visible=True, stage=40,
        notice=Text("A date in the MRZ does not exist (30 February, month 13), even though its check digit is "
                    "right: a made-up document."),
        plants="the date of birth (two times in three) or expiry set to a day that does not exist, check digit right",
        checks=("data.birth_date", "data.expiry_date"),
        conflicts=("expired", "birth_after_expiry", "altered_field_recomputed"))
def impossible_date(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data, viz = spec.mrz, spec.viz
    which = _pick(rng, ("birth_date", "birth_date", "expiry_date"))
    value = data.birth_date if which == "birth_date" else data.expiry_date
    yy = value.strftime("%y")
    raw = yy + _pick(rng, ("0230", "0231", f"13{value.day:02d}", "0431", "0631", f"00{value.day:02d}"))
    new_data = replace(data, **{which: raw})
    if which == "birth_date" and viz.personal_number:
        new_data = replace(new_data, optional_data=personal_number(
            spec.issuer.personal_number, raw, value.year, data.sex, rng))
    new_viz = replace(viz, **{which: printed_date(raw)},
                      personal_number=new_data.optional_data if viz.personal_number else "")
    return _note(_with_lines(spec, new_data), "impossible_date",
                 Text("The {field} is {date} (MRZ {raw}), a day that does not exist; its check digit is correct.",
                      field=name_text(which), date=printed_date(raw), raw=raw), viz=new_viz)


@defect("unknown_state", "Unknown state code", ALERT, mrz_visible=True, stage=10,
        notice=Text("The issuing state or nationality code is not an ISO 3166-1 or ICAO code: no state issues "
                    "this document."),
        plants="the issuing state (and the nationality, where they were the same) set to a made-up code",
        checks=("data.issuing_state", "data.nationality"), conflicts=("specimen",))
def unknown_state(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data, viz = spec.mrz, spec.viz
    fake = _pick(rng, [c for c in FAKE_STATES if codes.state_name(c) is None])
    new_data = replace(data, issuing_state=fake, nationality=fake if data.nationality == data.issuing_state
                       else data.nationality)
    new_viz = replace(viz, issuing_state=fake, nationality=new_data.nationality)
    return _note(_with_lines(spec, new_data), "unknown_state",
                 Text("The issuing state code is {code}, which is no ISO 3166-1 or ICAO code.", code=fake), viz=new_viz)


@defect("expired", "Expired", REVIEW, mrz_visible=True, stage=20,
        notice=Text("The date of expiry has passed: not valid for travel (not a forgery by itself)."),
        plants="a document issued long enough ago to have expired",
        checks=("status.expired",), conflicts=("impossible_date", "birth_after_expiry"))
def expired(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    # compose(expired=True) made it so (make_specimen asks for it); this notes it.
    return _note(spec, "expired", Text("The document expired on {date}.", date=spec.viz.expiry_date))


@defect("specimen", "Specimen document", REVIEW, mrz_visible=True, stage=15,
        notice=Text("The state code is UTO (ICAO's fictional Utopia) and the page says SPECIMEN: a sample, not "
                    "a travel document."),
        plants="issued by UTO and overprinted SPECIMEN",
        checks=("status.specimen", "viz.specimen_overprint"), conflicts=("unknown_state", "watchlist"))
def specimen(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    return _note(spec, "specimen", Text("Issued by UTO (Utopia, ICAO's fictional state) and overprinted SPECIMEN."))


@defect("watchlist", "Document number on a watch list", ALERT, mrz_visible=False, stage=70,
        notice=Text("The MRZ is consistent, but the document number is on the watch list (lost, stolen or "
                    "revoked): refer to second-line inspection."),
        plants="a watch-list entry (stolen, lost or revoked) for the document's number",
        checks=("watchlist.hit",), conflicts=("viz_mismatch_number", "specimen"))
def watchlist(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data = spec.mrz
    reason = _pick(rng, ("stolen", "lost", "revoked"))
    entry = {"issuing_state": data.issuing_state, "document_number": data.document_number, "reason": reason,
             "source": "training set", "date": (today - dt.timedelta(days=int(rng.integers(10, 700)))).isoformat()}
    return _note(spec, "watchlist", Text("Document number {number} ({state}) is on the watch list as {reason} since "
                                         "{date}.", number=data.document_number, state=data.issuing_state,
                                         reason=REASON_WORDS[reason], date=entry["date"]),
                 watchlist=spec.watchlist + (entry,))


@defect("birth_after_expiry", "Birth after expiry", ALERT, mrz_visible=True, stage=30,
        notice=Text("The date of birth is later than the date of expiry: impossible for a genuine document."),
        plants="the date of expiry set before the date of birth",
        checks=("data.dates_order",), conflicts=("expired", "impossible_date", "altered_field_recomputed"))
def birth_after_expiry(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data, viz = spec.mrz, spec.viz
    birth = data.birth_date if isinstance(data.birth_date, dt.date) else today
    expiry = birth - dt.timedelta(days=int(rng.integers(200, 2500)))
    issue = add_years(expiry, -spec.issuer.validity_years) + dt.timedelta(days=1)
    new_data = replace(data, expiry_date=expiry)
    new_viz = replace(viz, expiry_date=printed_date(expiry), issue_date=printed_date(issue))
    return _note(_with_lines(spec, new_data), "birth_after_expiry",
                 Text("The date of birth {birth} is after the date of expiry {expiry} (so the document also appears "
                      "expired).", birth=viz.birth_date, expiry=printed_date(expiry)), viz=new_viz)


@defect("altered_surname", "Surname altered on the page, under its label", ALERT, mrz_visible=False, stage=60,
        needs_labels=True,
        notice=Text("The surname printed under its label differs by a letter or two from the MRZ's: the page was "
                    "altered. Read the labelled line itself, not only whether the MRZ's name appears."),
        plants="one or two letters of the page's surname swapped (a vowel for a vowel, a consonant for a "
               "consonant), in its national script and Latin",
        checks=("viz.surname",), conflicts=("viz_mismatch_name",))
def altered_surname(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data, viz = spec.mrz, spec.viz
    cyrillic_page = viz.surname != viz.surname_latin
    for _ in range(20):
        if cyrillic_page:
            national = _altered_name(viz.surname, rng)
            latin = transliterate(national, spec.holder_issuer.code)
        else:
            national = latin = _altered_name(viz.surname_latin, rng)
        if latin != data.surname and latin.replace("<", " ") != data.surname.replace("<", " "):
            break
    new_viz = replace(viz, surname=national, surname_latin=latin)
    printed = national + (" / " + latin if cyrillic_page else "")
    return _note(spec, "altered_surname", Text("The page prints the surname {surname} under its label; the MRZ says "
                                               "{mrz}.", surname=printed, mrz=data.surname), viz=new_viz)


@defect("altered_number", "Document number altered in the MRZ, check digits recomputed", ALERT, mrz_visible=False,
        stage=50,
        notice=Text("The MRZ's document number differs from the number printed on the page, yet its check digit and "
                    "the composite are right: the MRZ was re-made with another number."),
        plants="one digit of the MRZ's document number changed, every check digit recomputed; the page keeps "
               "the original",
        checks=("viz.document_number",), conflicts=("altered_field_recomputed", "viz_mismatch_number", "watchlist"))
def altered_number(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    data = spec.mrz
    new_number = _change_chars(data.document_number, rng, 1)
    return _note(_with_lines(spec, replace(data, document_number=new_number)), "altered_number",
                 Text("The MRZ document number is {number} with every check digit recomputed; the page prints "
                      "{printed}.", number=new_number, printed=spec.viz.document_number))


@defect("reprinted_line", "An MRZ line re-printed on another printer", ALERT, mrz_visible=False, stage=80,
        notice=Text("One MRZ line is in OCR-B like the others but was printed separately: its pitch, character "
                    "height or baseline differs from the other lines by more than one printer's spread "
                    "(about 0.3 % pitch, 0.05 mm baseline), and it starts a little off the others' margin."),
        plants="one MRZ line in OCR-B with pitch +-2.5 to 3.5 %, or height +-9 to 14 %, or baseline shifted "
               "0.3-0.45 mm; shifted 0.4-0.9 mm sideways, ink 80-120 % as dark",
        checks=("print.line_consistency", "print.proportions"), conflicts=("pasted_line",))
def reprinted_line(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    line = _pasted_line_index(spec, rng)
    kind = _pick(rng, ("pitch", "size", "baseline"))
    sign = 1 if rng.random() < 0.5 else -1
    offset = round(float(rng.uniform(0.4, 0.9)) * (1 if rng.random() < 0.5 else -1), 2)
    density = round(float(_pick(rng, (rng.uniform(0.8, 0.9), rng.uniform(1.1, 1.2)))), 2)
    if kind == "pitch":
        style = LineStyle(pitch_mm=round(MRZ_PITCH_MM * (1 + sign * float(rng.uniform(0.025, 0.035))), 3))
        what = Text("a pitch of {pitch} mm instead of {icao} mm", pitch=str(style.pitch_mm), icao=f"{MRZ_PITCH_MM:.2f}")
    elif kind == "size":
        style = LineStyle(size=round(1 + sign * float(rng.uniform(0.09, 0.14)), 2))
        what = Text("characters {times} times the height of the other lines", times=f"{style.size:.2f}")
    else:
        style = LineStyle(baseline_mm=round(sign * float(rng.uniform(0.3, 0.45)), 2))
        mm = str(abs(style.baseline_mm))
        what = Text("a baseline {mm} mm lower", mm=mm) if sign > 0 else Text("a baseline {mm} mm higher", mm=mm)
    style = replace(style, offset_mm=offset, density=density)
    styles = list(spec.styles)
    styles[line] = style
    if offset > 0:
        detail = Text("MRZ line {line} was re-printed in OCR-B with {what}, shifted {mm} mm right.", line=line + 1,
                      what=what, mm=str(abs(offset)))
    else:
        detail = Text("MRZ line {line} was re-printed in OCR-B with {what}, shifted {mm} mm left.", line=line + 1,
                      what=what, mm=str(abs(offset)))
    return _note(spec, "reprinted_line", detail, styles=tuple(styles))


# ------------------------------------------------------------------ the light defects
# Planted as parameters of the light render (Specimen.light_plan; screening.samples.illumination
# draws them): the white image stays as the clean document's, only IR and UV show the defect.


def _light_note(spec: Specimen, defect_id: str, detail: Text, **plan) -> Specimen:
    return replace(spec, defects=spec.defects + (defect_id,), details=spec.details + (detail,),
                   light_plan=spec.light_plan + tuple(sorted(plan.items())))


@defect("mrz_non_ir_ink", "MRZ printed in ink that does not absorb in infrared", ALERT, mrz_visible=False,
        stage=95, lights=True, conflicts=("ir_patched_field",),
        notice=Text("Under infrared the MRZ fades: Doc 9303 requires it in ink that absorbs in the B900 band, so a "
                    "genuine MRZ stays black in IR. Inkjet dyes and many office toners do not."),
        plants="the MRZ keeps 5-30 % of its white-light contrast under IR",
        checks=("light.ir_mrz",))
def mrz_non_ir_ink(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    residual = round(float(rng.uniform(0.05, 0.30)), 2)
    return _light_note(spec, "mrz_non_ir_ink", Text("The MRZ is printed in ink that does not absorb in infrared: "
                                                    "it keeps {share} % of its contrast under IR.",
                                                    share=round(residual * 100)), mrz_ir_residual=residual)


@defect("brightened_paper", "Printed on optically brightened (office) paper", ALERT, mrz_visible=False, stage=95,
        lights=True, conflicts=("substituted_photo",),
        notice=Text("Under ultraviolet the paper glows bright blue-white: office paper with optical brighteners. "
                    "Security paper is dull under UV."),
        plants="the page's paper glows blue-white under UV (about 4-8 times a security paper's response); "
               "no fluorescent fibres, the UV emblem imitated on half of them",
        checks=("light.uv_paper",))
def brightened_paper(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    glow = round(float(rng.uniform(0.62, 0.9)), 2)
    emblem = bool(rng.random() < 0.5)
    return _light_note(spec, "brightened_paper", Text("The page is printed on brightened office paper: it glows "
                                                      "under UV at {glow} % of full scale.", glow=round(glow * 100)),
                       uv_paper_glow=glow, uv_emblem=emblem)


# The MRZ fields a forger re-prints (with their check digit): (field name, check digit name).
_PATCHABLE = ("document_number", "birth_date", "expiry_date")


@defect("ir_patched_field", "An MRZ field re-printed in ink that shows only under infrared", ALERT,
        mrz_visible=False, stage=95, lights=True, conflicts=("mrz_non_ir_ink",),
        notice=Text("Under infrared some characters of the MRZ fade while the rest stay black: the field was "
                    "erased and re-printed in other ink. In white light it looks like the others."),
        plants="one MRZ field (document number, date of birth or expiry) and its check digit keep 5-30 % of "
               "their contrast under IR; the rest of the MRZ stays black",
        checks=("light.consistency",))
def ir_patched_field(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    from screening.mrz.formats import LAYOUTS

    layout = LAYOUTS[spec.format]
    name = _pick(rng, _PATCHABLE)
    field_spec = layout.field(name)
    check = next((c for c in layout.check_digits if c.name == f"{name}_check" or c.name == name), None)
    end = field_spec.end
    if check is not None and check.digit[0] == field_spec.line and check.digit[1] == end:
        end += 1  # the check digit is re-printed with its field
    residual = round(float(rng.uniform(0.05, 0.30)), 2)
    detail = Text("MRZ line {line}, positions {start}-{end} ({field}), were re-printed in ink that does not absorb "
                  "in infrared: they keep {share} % of their contrast under IR.", line=field_spec.line + 1,
                  start=field_spec.start + 1, end=end, field=name_text(name), share=round(residual * 100))
    return _light_note(spec, "ir_patched_field", detail, patch_cells=(field_spec.line, field_spec.start, end),
                       patch_residual=residual)


@defect("substituted_photo", "Substituted photo", ALERT, mrz_visible=False, stage=95, lights=True,
        conflicts=("brightened_paper",),
        notice=Text("Under ultraviolet the portrait glows while the page around it is dull, and the page's UV "
                    "pattern stops at its edge: another photo was pasted or printed in."),
        plants="the portrait's area glows under UV (brightened photo paper, 3-6 times the page's paper), stays "
               "dark under IR, and covers the page's fibres and UV emblem",
        checks=("light.consistency",))
def substituted_photo(spec: Specimen, rng: np.random.Generator, today: dt.date) -> Specimen:
    glow = round(float(rng.uniform(0.45, 0.8)), 2)
    return _light_note(spec, "substituted_photo", Text("The portrait was substituted: its photo paper glows under "
                                                       "UV at {glow} % of full scale.", glow=round(glow * 100)),
                       photo_uv_glow=glow, photo_ir=round(float(rng.uniform(0.8, 1.0)), 2))


__all__ = ["ALERT", "CLEAR", "DEFECTS", "LIGHT_DEFECTS", "REVIEW", "Defect", "defect", "get"]
