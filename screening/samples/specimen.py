"""A specimen document's content: who, which numbers and dates, what the MRZ and the page print.

``compose`` makes a clean document; ``plant`` applies defects from the catalogue to it.
Both are pure functions of their inputs and a seeded random generator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from screening.mrz import codes
from screening.mrz.generate import MRZData, build_lines
from screening.mrz.transliterate import transliterate
from screening.samples.catalogue import DEFECTS
from screening.samples.people import (ISSUERS, UTOPIA, Issuer, female_surname, fill_pattern, make_person,
                                     personal_number)


@dataclass(frozen=True)
class LineStyle:
    """How one MRZ line is printed. The genuine style: OCR-B, 10 characters per inch."""

    font: str = "ocrb"  # ocrb or mono (DejaVu Sans Mono: a pasted line in another font)
    pitch_mm: float = 2.54
    size: float = 1.0  # character height relative to the genuine OCR-B height
    baseline_mm: float = 0.0  # vertical shift (positive: down)
    tilt_deg: float = 0.0  # the line's baseline rises or falls along the line


GENUINE = LineStyle()


@dataclass(frozen=True)
class Viz:
    """What the visual zone prints (the page), dates already formatted as printed."""

    surname: str  # national script
    given_names: str
    surname_latin: str
    given_names_latin: str
    document_number: str
    issuing_state: str
    nationality: str
    birth_date: str
    sex: str
    birth_place: str
    issue_date: str
    expiry_date: str
    authority: str
    personal_number: str = ""
    passport_number: str = ""  # visas: the holder's passport
    valid_from: str = ""
    entries: str = ""


@dataclass(frozen=True)
class Specimen:
    format: str
    issuer: Issuer
    holder_issuer: Issuer  # the holder's own state (differs from the issuer on visas)
    mrz: MRZData
    lines: tuple[str, ...]  # the MRZ as printed, exactly
    styles: tuple[LineStyle, ...]
    viz: Viz
    defects: tuple[str, ...] = ()
    details: tuple[str, ...] = ()  # one sentence per planted defect: what exactly was changed
    overprint: bool = False
    watchlist: tuple[dict, ...] = field(default=())


def printed_date(value: dt.date | str) -> str:
    """Dates as the region's documents print them: 12.03.1985 (raw YYMMDD kept for impossible ones)."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    yy, mm, dd = value[0:2], value[2:4], value[4:6]
    century = "19" if int(yy) > 30 else "20"
    return f"{dd}.{mm}.{century}{yy}"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _pick(rng: np.random.Generator, items):
    items = list(items)
    return items[int(rng.integers(0, len(items)))]


CARD_ISSUERS = tuple(code for code, issuer in ISSUERS.items() if issuer.id_number)
VISA_ISSUERS = ("RUS", "KAZ", "UZB", "TJK", "KGZ", "AZE")


def choose_issuers(fmt: str, rng: np.random.Generator, specimen: bool) -> tuple[Issuer, Issuer]:
    if fmt in ("MRV-A", "MRV-B"):
        issuer = UTOPIA if specimen else ISSUERS[_pick(rng, VISA_ISSUERS)]
        holder = ISSUERS[_pick(rng, [c for c in ISSUERS if c != issuer.code])]
        return issuer, holder
    pool = CARD_ISSUERS if fmt in ("TD1", "TD2") else tuple(ISSUERS)
    issuer = ISSUERS[_pick(rng, pool)]
    return (UTOPIA, issuer) if specimen else (issuer, issuer)


def compose(fmt: str, rng: np.random.Generator, today: dt.date, *, specimen: bool = False,
            expired: bool = False, overprint: bool = False) -> Specimen:
    """A clean document of format ``fmt``, valid on ``today`` (or expired, or a UTO specimen)."""
    issuer, holder = choose_issuers(fmt, rng, specimen)
    person = make_person(holder, rng, today)
    visa = fmt in ("MRV-A", "MRV-B")
    card = fmt in ("TD1", "TD2")

    if visa:
        validity_days = int(_pick(rng, (30, 90, 180, 365)))
        issue = today - dt.timedelta(days=int(rng.integers(1, 25)))
        if expired:
            issue = today - dt.timedelta(days=validity_days + int(rng.integers(20, 400)))
        expiry = issue + dt.timedelta(days=validity_days)
    else:
        years = issuer.validity_years
        span = years * 365 - 200  # clean documents keep at least ~half a year of validity
        issue = today - dt.timedelta(days=int(rng.integers(30, span)))
        if expired:
            issue = today - dt.timedelta(days=years * 365 + int(rng.integers(30, 1500)))
        expiry = add_years(issue, years) - dt.timedelta(days=1)

    number_pattern = "V99999999" if visa else (issuer.id_number if card else issuer.passport_number)
    number = fill_pattern(number_pattern or issuer.passport_number, rng)
    pnumber = ""
    if not visa and fmt != "TD2" and issuer.personal_number:
        pnumber = personal_number(issuer.personal_number, person.birth_date.strftime("%y%m%d"),
                                  person.birth_date.year, person.sex, rng)
    surname_mrz = transliterate(person.surname, holder.code)
    given_mrz = transliterate(person.given_names, holder.code)
    code = {"TD3": "P", "TD1": "ID" if issuer.code in ("KAZ", "UZB", "AZE") else "I", "TD2": "I"}.get(fmt, "V")
    data = MRZData(format=fmt, document_code=code, issuing_state=issuer.code, surname=surname_mrz,
                   given_names=given_mrz, document_number=number, nationality=holder.code,
                   birth_date=person.birth_date, sex=person.sex, expiry_date=expiry, optional_data=pnumber)
    latin_on_page = holder.cyrillic and not visa
    viz = Viz(
        surname=person.surname.upper() if latin_on_page else surname_mrz,
        given_names=person.given_names.upper() if latin_on_page else given_mrz,
        surname_latin=surname_mrz, given_names_latin=given_mrz,
        document_number=number, issuing_state=issuer.code, nationality=holder.code,
        birth_date=printed_date(person.birth_date), sex={"M": "M", "F": "F"}.get(person.sex, "X"),
        birth_place=person.birth_place if issuer is holder else transliterate(person.birth_place),
        issue_date=printed_date(issue), expiry_date=printed_date(expiry), authority=issuer.authority,
        personal_number=pnumber,
        passport_number=fill_pattern(holder.passport_number, rng) if visa else "",
        valid_from=printed_date(issue) if visa else "",
        entries=_pick(rng, ("1", "2", "MULT")) if visa else "",
    )
    lines = tuple(build_lines(data))
    return Specimen(fmt, issuer, holder, data, lines, tuple(GENUINE for _ in lines), viz,
                    overprint=overprint or specimen)


# ---------------------------------------------------------------- planting defects

# Where each check digit sits: (line index, 0-based position), per format.
CHECK_POSITIONS = {
    "TD3": {"document number": (1, 9), "date of birth": (1, 19), "date of expiry": (1, 27), "composite": (1, 43)},
    "TD2": {"document number": (1, 9), "date of birth": (1, 19), "date of expiry": (1, 27), "composite": (1, 35)},
    "TD1": {"document number": (0, 14), "date of birth": (1, 6), "date of expiry": (1, 14), "composite": (1, 29)},
    "MRV-A": {"document number": (1, 9), "date of birth": (1, 19), "date of expiry": (1, 27)},
    "MRV-B": {"document number": (1, 9), "date of birth": (1, 19), "date of expiry": (1, 27)},
}
# The MRZ line that holds each field (for a pasted line that carries an altered field).
FIELD_LINE = {"TD1": {"birth_date": 1, "expiry_date": 1, "document_number": 0}}

# Three-letter codes that are no ISO 3166-1 or ICAO code, but look like the region's.
FAKE_STATES = ("KZS", "TJR", "UZR", "RUF", "KGR", "AZR", "TKR", "KZR", "UZS", "TJS")


def _with_lines(spec: Specimen, data: MRZData, **changes) -> Specimen:
    return replace(spec, mrz=data, lines=tuple(build_lines(data)), **changes)


def _note(spec: Specimen, defect: str, detail: str, **changes) -> Specimen:
    return replace(spec, defects=spec.defects + (defect,), details=spec.details + (detail,), **changes)


def _change_chars(text: str, rng: np.random.Generator, count: int = 1) -> str:
    chars = list(text)
    digits = [i for i, c in enumerate(chars) if c.isdigit()]
    for i in rng.choice(digits, size=min(count, len(digits)), replace=False):
        chars[int(i)] = str((int(chars[int(i)]) + int(rng.integers(1, 10))) % 10)
    return "".join(chars)


def plant(spec: Specimen, defect: str, rng: np.random.Generator, today: dt.date) -> Specimen:
    """``spec`` with ``defect`` planted; the answer key's detail sentence says exactly what changed."""
    data, viz = spec.mrz, spec.viz
    if defect == "check_digit":
        name, (line, pos) = _pick(rng, CHECK_POSITIONS[spec.format].items())
        lines = list(spec.lines)
        old = lines[line][pos]
        new = str((int(old) + int(rng.integers(1, 10))) % 10) if old.isdigit() else str(int(rng.integers(1, 10)))
        lines[line] = lines[line][:pos] + new + lines[line][pos + 1:]
        return _note(spec, defect, f"The {name} check digit (line {line + 1}, position {pos + 1}) is printed {new}; "
                                   f"the correct digit is {old}.", lines=tuple(lines))

    if defect == "altered_field_recomputed":
        choice = _pick(rng, ("birth_date", "document_number", "birth_date"))
        if choice == "birth_date":
            birth = data.birth_date
            shift = int(_pick(rng, (-9, -7, -6, -5, 4, 5, 6)))
            new_birth = add_years(birth, shift)
            new_data = replace(data, birth_date=new_birth)
            if spec.viz.personal_number:  # a careful forger rewrites the personal number too
                new_data = replace(new_data, optional_data=personal_number(
                    spec.issuer.personal_number, new_birth.strftime("%y%m%d"), new_birth.year, data.sex, rng))
            detail = (f"The MRZ date of birth was changed to {printed_date(new_birth)} with every check digit "
                      f"recomputed; the page still prints {viz.birth_date}.")
        else:
            new_number = _change_chars(data.document_number, rng, 2)
            new_data = replace(data, document_number=new_number)
            detail = (f"The MRZ document number was changed to {new_number} with every check digit recomputed; "
                      f"the page still prints {viz.document_number}.")
        return _note(_with_lines(spec, new_data), defect, detail)

    if defect == "viz_mismatch_name":
        names = spec.holder_issuer.names
        # Compare the form the holder would carry (a woman's surname takes its female ending),
        # or the "different" name could be the holder's own.
        forms = [female_surname(s, names) if data.sex == "F" else s for s in names.surnames]
        new = _pick(rng, [s for s in forms if transliterate(s, spec.holder_issuer.code) != data.surname])
        cyrillic_page = viz.surname != viz.surname_latin
        latin = transliterate(new, spec.holder_issuer.code)
        new_viz = replace(viz, surname=new.upper() if cyrillic_page else latin, surname_latin=latin)
        return _note(spec, defect, f"The page prints the surname {new_viz.surname}"
                                   f"{' / ' + latin if cyrillic_page else ''}; the MRZ says {data.surname}.",
                     viz=new_viz)

    if defect == "viz_mismatch_number":
        new_number = _change_chars(viz.document_number, rng, 1)
        return _note(spec, defect, f"The page prints document number {new_number}; the MRZ says "
                                   f"{data.document_number}.", viz=replace(viz, document_number=new_number))

    if defect == "pasted_line":
        line = int(rng.integers(0, len(spec.lines))) if spec.format == "TD1" else 1
        if "altered_field_recomputed" in spec.defects and spec.format == "TD1":
            line = 1 if "date of birth" in spec.details[spec.defects.index("altered_field_recomputed")] else 0
        kind = _pick(rng, ("pitch", "size", "font", "baseline"))
        style = {
            "pitch": LineStyle(pitch_mm=round(float(rng.uniform(2.24, 2.34)), 2)),
            "size": LineStyle(size=round(float(rng.uniform(1.22, 1.32)), 2)),
            "font": LineStyle(font="mono", size=1.2),
            "baseline": LineStyle(baseline_mm=round(float(rng.uniform(-0.8, -0.6)), 2),
                                  tilt_deg=round(float(rng.uniform(0.4, 0.6)), 2)),
        }[kind]
        what = {"pitch": f"narrower spacing ({style.pitch_mm} mm per character instead of 2.54 mm)",
                "size": f"larger characters ({style.size:.2f} times the height of the other lines)",
                "font": "another font (not OCR-B) and slightly larger characters",
                "baseline": f"a baseline {abs(style.baseline_mm)} mm too high that slopes by {style.tilt_deg} degrees"}[kind]
        styles = list(spec.styles)
        styles[line] = style
        return _note(spec, defect, f"MRZ line {line + 1} was pasted in: {what}.", styles=tuple(styles))

    if defect == "impossible_date":
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
        label = "date of birth" if which == "birth_date" else "date of expiry"
        return _note(_with_lines(spec, new_data), defect,
                     f"The {label} is {printed_date(raw)} (MRZ {raw}), a day that does not exist; its check digit "
                     f"is correct.", viz=new_viz)

    if defect == "unknown_state":
        fake = _pick(rng, [c for c in FAKE_STATES if codes.state_name(c) is None])
        new_data = replace(data, issuing_state=fake, nationality=fake if data.nationality == data.issuing_state
                           else data.nationality)
        new_viz = replace(viz, issuing_state=fake, nationality=new_data.nationality)
        return _note(_with_lines(spec, new_data), defect,
                     f"The issuing state code is {fake}, which is no ISO 3166-1 or ICAO code.", viz=new_viz)

    if defect == "expired":
        return _note(spec, defect, f"The document expired on {viz.expiry_date}.")

    if defect == "specimen":
        return _note(spec, defect, "Issued by UTO (Utopia, ICAO's fictional state) and overprinted SPECIMEN.")

    if defect == "watchlist":
        reason = _pick(rng, ("stolen", "lost", "revoked"))
        entry = {"issuing_state": data.issuing_state, "document_number": data.document_number, "reason": reason,
                 "source": "training set", "date": (today - dt.timedelta(days=int(rng.integers(10, 700)))).isoformat()}
        return _note(spec, defect, f"Document number {data.document_number} ({data.issuing_state}) is on the watch "
                                   f"list as {reason} since {entry['date']}.",
                     watchlist=spec.watchlist + (entry,))

    if defect == "birth_after_expiry":
        birth = data.birth_date if isinstance(data.birth_date, dt.date) else today
        expiry = birth - dt.timedelta(days=int(rng.integers(200, 2500)))
        issue = add_years(expiry, -spec.issuer.validity_years) + dt.timedelta(days=1)
        new_data = replace(data, expiry_date=expiry)
        new_viz = replace(viz, expiry_date=printed_date(expiry), issue_date=printed_date(issue))
        return _note(_with_lines(spec, new_data), defect,
                     f"The date of birth {viz.birth_date} is after the date of expiry {printed_date(expiry)} "
                     f"(so the document also appears expired).", viz=new_viz)

    raise KeyError(f"unknown defect {defect!r}; known: {', '.join(DEFECTS)}")


def make_specimen(fmt: str, defects: tuple[str, ...], rng: np.random.Generator, today: dt.date,
                  overprint: bool = False) -> Specimen:
    """A document of ``fmt`` with ``defects`` planted (empty: a clean one)."""
    spec = compose(fmt, rng, today, specimen="specimen" in defects, expired="expired" in defects,
                   overprint=overprint)
    # Defects that rewrite the MRZ from its data come first; those that edit printed lines last.
    order = ("unknown_state", "specimen", "expired", "birth_after_expiry", "impossible_date",
             "altered_field_recomputed", "viz_mismatch_name", "viz_mismatch_number", "watchlist",
             "pasted_line", "check_digit")
    for defect in sorted(defects, key=order.index):
        spec = plant(spec, defect, rng, today)
    return spec


__all__ = ["GENUINE", "LineStyle", "Specimen", "Viz", "compose", "make_specimen", "plant", "printed_date"]
