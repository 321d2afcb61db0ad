"""MRZ data validity: real state codes, real calendar dates in a possible order, a sex value."""

from __future__ import annotations

import datetime as dt

from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import ALERT, FIELD_MISSING, FIELD_UNCERTAIN, REVIEW
from screening.mrz import codes, formats
from screening.mrz.checkdigit import is_digits
from screening.mrz.parse import birth_year, expiry_year
from screening.text import Text

MONTHS = (Text("January"), Text("February"), Text("March"), Text("April"), Text("May"), Text("June"),
          Text("July"), Text("August"), Text("September"), Text("October"), Text("November"),
          Text("December"))  # fmt: skip


def officer_date(date: dt.date) -> str:
    """Dates as officers in the region read them: 12.08.1974."""
    return date.strftime("%d.%m.%Y")


def _unplaced(ctx: CheckContext, field: str) -> bool:
    return ctx.parsed.field_status.get(field) in (FIELD_MISSING, FIELD_UNCERTAIN, None)


@check(
    CheckSpec("data.issuing_state", ALERT, "Issuing state is an ISO 3166-1 alpha-3 or ICAO code"),
    CheckSpec("data.nationality", ALERT, "Nationality is an ISO 3166-1 alpha-3 or ICAO code"),
)
def state_codes(ctx: CheckContext):
    parsed = ctx.parsed
    for field, check_id in (("issuing_state", "data.issuing_state"), ("nationality", "data.nationality")):
        if field not in parsed.raw:
            continue  # a national layout that has no such field
        label = formats.label_text(field)
        if _unplaced(ctx, field):
            yield ctx.skipped(check_id, "{field} not verified: its line has the wrong length.", [field], field=label)
            continue
        raw = parsed.raw[field]
        name = codes.state_name(raw)
        if field == "issuing_state" and raw in codes.NATIONALITY_ONLY and raw != "XXA":
            yield ctx.failed(check_id, "{field} '{code}' ({name}) is a nationality, not an issuing authority.", [field],
                             field=label, code=raw, name=name)
        elif name:
            yield ctx.passed(check_id, "{field} {code}: {name}.", [field], field=label, code=raw.replace("<", ""),
                             name=name)
        else:
            yield ctx.failed(check_id, "{field} '{code}' is not a known state or organisation code.", [field],
                             field=label, code=raw)


def describe_bad_date(raw: str, year: int) -> Text:
    """Why six digits are not a calendar date, in words."""
    month, day = int(raw[2:4]), int(raw[4:6])
    if not 1 <= month <= 12:
        return Text("month {month} does not exist", month=f"{month:02d}")
    if day == 0:
        return Text("day 00 does not exist")
    return Text("{month} {year} has no day {day}", month=MONTHS[month - 1], year=year, day=day)


@check(
    CheckSpec("data.birth_date", ALERT, "Date of birth is a real calendar date (unknown parts '<' allowed)"),
    CheckSpec("data.expiry_date", ALERT, "Date of expiry is a real calendar date"),
)
def calendar_dates(ctx: CheckContext):
    parsed = ctx.parsed
    for field, value, year_of in (
        ("birth_date", parsed.birth_date, birth_year),
        ("expiry_date", parsed.expiry_date, expiry_year),
    ):
        if field not in parsed.raw:
            continue
        check_id, label, raw = f"data.{field}", formats.label_text(field), parsed.raw[field]
        if _unplaced(ctx, field):
            yield ctx.skipped(check_id, "{field} not verified: its line has the wrong length.", [field], field=label)
        elif value is not None:
            yield ctx.passed(check_id, "{field} {date}.", [field], field=label, date=officer_date(value))
        elif field == "birth_date" and "<" in raw and all(is_digits(c) or c == "<" for c in raw):
            yield ctx.warned(check_id, "{field} is partly unknown ({raw}), as ICAO allows.", [field], field=label,
                             raw=raw)
        elif field == "expiry_date" and raw == "<<<<<<":
            yield ctx.warned(check_id, "There is no date of expiry in the MRZ.", [field])
        elif is_digits(raw):
            reason = describe_bad_date(raw, year_of(int(raw[:2]), ctx.today))
            yield ctx.failed(check_id, "{field} {raw} is not a real date: {reason}.", [field], field=label, raw=raw,
                             reason=reason)
        else:
            yield ctx.failed(check_id, "{field} '{raw}' is not a date (YYMMDD digits).", [field], field=label, raw=raw)


@check(CheckSpec("data.sex", ALERT, "Sex is M, F or '<' (X accepted as a national deviation)"))
def sex(ctx: CheckContext):
    value = ctx.parsed.sex
    if _unplaced(ctx, "sex"):
        yield ctx.skipped("data.sex", "Sex not verified: its line has the wrong length.", ["sex"])
    elif value in ("M", "F"):
        yield ctx.passed("data.sex", "Sex {sex}.", ["sex"], sex=value)
    elif value == "<":
        yield ctx.passed("data.sex", "Sex unspecified ('<'; the page prints X).", ["sex"])
    elif value == "X":
        yield ctx.warned(
            "data.sex",
            "Sex is 'X' in the MRZ: ICAO writes '<' there, but some issuers print X. Not a sign of forgery.",
            ["sex"],
        )
    else:
        yield ctx.failed("data.sex", "Sex '{sex}' is not a valid value (M, F or '<').", ["sex"], sex=value)


@check(CheckSpec("data.dates_order", ALERT, "Date of birth comes before date of expiry"))
def dates_order(ctx: CheckContext):
    birth, expiry = ctx.parsed.birth_date, ctx.parsed.expiry_date
    if birth is None or expiry is None:
        return  # the calendar checks say why a date is missing
    if birth < expiry:
        yield ctx.passed("data.dates_order", "Date of birth is before date of expiry.", ["birth_date", "expiry_date"])
    else:
        yield ctx.failed(
            "data.dates_order",
            "Date of birth {birth} is not before date of expiry {expiry}.",
            ["birth_date", "expiry_date"],
            birth=officer_date(birth),
            expiry=officer_date(expiry),
        )


@check(CheckSpec("data.age", REVIEW, "The holder's age is plausible: not over 100 years by the date of expiry"))
def age(ctx: CheckContext):
    # An MRZ date has no century, so the age today is always under 100; what can be
    # implausible is a document that would still be valid when its holder is over 100.
    birth, expiry = ctx.parsed.birth_date, ctx.parsed.expiry_date
    if birth is None:
        return
    years = age_on(birth, ctx.today)
    at_expiry = age_on(birth, expiry) if expiry is not None and expiry > ctx.today else years
    if at_expiry > ctx.settings.max_age_years:
        yield ctx.failed(
            "data.age",
            "The holder (born {birth}) would be {age:plural:year|years} old when the document expires: "
            "check the date of birth.",
            ["birth_date", "expiry_date"],
            birth=officer_date(birth),
            age=at_expiry,
        )
    else:
        yield ctx.passed("data.age", "The holder is {age:plural:year|years} old.", ["birth_date"], age=years)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
