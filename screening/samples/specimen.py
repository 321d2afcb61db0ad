"""A specimen document's content: who, which numbers and dates, what the MRZ and the page print.

``compose`` makes a clean document; ``plant`` applies a defect registered in defects.py.
Both are pure functions of their inputs and a seeded random generator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from screening.mrz.generate import MRZData, build_lines
from screening.mrz.transliterate import transliterate
from screening.text import Text
from screening.zones import MRZ_PITCH_MM
from screening.samples.people import (ISSUERS, UTOPIA, Issuer, female_surname, fill_pattern, make_person,
                                     personal_number)


@dataclass(frozen=True)
class LineStyle:
    """How one MRZ line is printed. The genuine style: OCR-B, 10 characters per inch."""

    font: str = "ocrb"  # ocrb or mono (DejaVu Sans Mono: a pasted line in another font)
    pitch_mm: float = MRZ_PITCH_MM
    size: float = 1.0  # character height relative to the genuine OCR-B height
    baseline_mm: float = 0.0  # vertical shift (positive: down)
    tilt_deg: float = 0.0  # the line's baseline rises or falls along the line
    offset_mm: float = 0.0  # horizontal shift of the line's start (positive: right)
    density: float = 1.0  # ink darkness relative to the other lines


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
    details: tuple[Text, ...] = ()  # one sentence per planted defect: what exactly was changed (translatable)
    overprint: bool = False
    watchlist: tuple[dict, ...] = field(default=())
    # What the light defects planted, as (name, value) pairs the light render reads
    # (screening.samples.illumination); empty for every document without one.
    light_plan: tuple[tuple[str, object], ...] = ()


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

def plant(spec: Specimen, defect: str, rng: np.random.Generator, today: dt.date) -> Specimen:
    """``spec`` with ``defect`` planted (a defect registered in defects.py); the answer key's
    detail sentence says exactly what changed."""
    from screening.samples.defects import get

    return get(defect).plant(spec, rng, today)


def make_specimen(fmt: str, defects: tuple[str, ...], rng: np.random.Generator, today: dt.date,
                  overprint: bool = False) -> Specimen:
    """A document of ``fmt`` with ``defects`` planted (empty: a clean one)."""
    from screening.samples.defects import get

    stages = {d: get(d).stage for d in defects}  # KeyError names an unknown one
    spec = compose(fmt, rng, today, specimen="specimen" in defects, expired="expired" in defects,
                   overprint=overprint)
    # Each defect declares its stage: those that rewrite the MRZ from its data come first,
    # those that edit printed lines last (defects.py).
    for defect in sorted(defects, key=stages.__getitem__):
        spec = plant(spec, defect, rng, today)
    return spec


__all__ = ["GENUINE", "LineStyle", "Specimen", "Viz", "compose", "make_specimen", "plant", "printed_date"]
