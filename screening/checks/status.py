"""Document status: expired or expiring, a specimen, valid for longer than its issuer allows."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from screening.checks.registry import CheckContext, CheckSpec, check
from screening.checks.validity import age_on, officer_date
from screening.models import ALERT, REVIEW
from screening.mrz import codes
from screening.text import Join, Text

# Document numbers printed on ICAO's own specimens (Doc 9303 Parts 4-7 examples).
SPECIMEN_NUMBERS = {
    "L898902C3": Text("ICAO's specimen passport, Doc 9303 Part 4"),
    "D23145890": Text("ICAO's specimen card, Doc 9303 Parts 5-6"),
    "D23145890734": Text("ICAO's specimen card with a long number, Doc 9303 Part 5"),
    "L8988901C": Text("ICAO's specimen visa, Doc 9303 Part 7"),
}


@check(
    CheckSpec("status.expired", REVIEW, "The document has not expired"),
    CheckSpec("status.expiring_soon", None, "The document does not expire within the next 90 days (notice only)"),
)
def expiry(ctx: CheckContext):
    expiry_date = ctx.parsed.expiry_date
    if expiry_date is None:
        return
    if expiry_date < ctx.today:
        years = age_on(expiry_date, ctx.today)
        ago = (Text("{years:plural:year|years} ago", years=years) if years
               else Text("{days:plural:day|days} ago", days=(ctx.today - expiry_date).days))
        yield ctx.failed("status.expired", "The document expired on {date} ({ago}).", ["expiry_date"],
                         date=officer_date(expiry_date), ago=ago)
        return
    yield ctx.passed("status.expired", "Valid until {date}.", ["expiry_date"], date=officer_date(expiry_date))
    days_left = (expiry_date - ctx.today).days
    if days_left <= ctx.settings.expiring_soon_days:
        yield ctx.warned("status.expiring_soon", "The document expires in {days:plural:day|days}.", ["expiry_date"],
                         days=days_left)


@check(CheckSpec("status.specimen", REVIEW, "Not a specimen document (Utopia/UTO, XXA issuer, ICAO specimen numbers)"))
def specimen(ctx: CheckContext):
    parsed = ctx.parsed
    reasons = []
    states = {code for code in (parsed.issuing_state, parsed.nationality) if code in codes.SPECIMEN_STATES}
    for code in sorted(states):
        reasons.append(Text("state code {code} ({name})", code=code, name=codes.SPECIMEN_STATES[code]))
    if parsed.issuing_state == "XXA":
        reasons.append(Text("issuer XXA, which no authority issues under"))
    if parsed.document_number in SPECIMEN_NUMBERS:
        reasons.append(Text("number {number} ({what})", number=parsed.document_number,
                            what=SPECIMEN_NUMBERS[parsed.document_number]))
    if reasons:
        yield ctx.failed("status.specimen", "Specimen document, not a genuine one: {reasons}.",
                         ["issuing_state", "document_number"], reasons=Join("; ", reasons))
    else:
        yield ctx.passed("status.specimen", "No specimen marks in the MRZ.")


@lru_cache(maxsize=1)
def validity_table() -> dict:
    """Maximum validity per issuer and kind of document, with sources (data/validity_periods.json)."""
    text = resources.files("screening.data").joinpath("validity_periods.json").read_text(encoding="utf-8")
    return json.loads(text)


# The kinds of document validity_periods.json knows, as the messages name them.
DOCUMENT_KINDS = {"passport": Text("a passport"), "id_card": Text("an id card"), "visa": Text("a visa")}


def document_kind(document_code: str, fmt: str) -> str:
    if fmt in ("MRV-A", "MRV-B"):
        return "visa"
    return "passport" if document_code.startswith("P") else "id_card"


def max_validity(issuer: str, kind: str) -> tuple[int, bool, str] | None:
    """(years, confirmed, source) for an issuer's kind of document, or the generic rule."""
    table = validity_table()
    for entry in table["issuers"]:
        if entry["issuer"] == issuer and entry["document"] == kind:
            return entry["max_years"], entry["confidence"] == "confirmed", entry["source"]
    generic = table["generic"].get(kind)
    if generic is None:
        return None
    return generic, False, "generic limit: no issuer gives a longer validity"


@check(CheckSpec("status.validity_period", ALERT, "The expiry date is no further ahead than the issuer's longest validity"))
def validity_period(ctx: CheckContext):
    parsed = ctx.parsed
    if parsed.expiry_date is None or parsed.expiry_date <= ctx.today:
        return
    kind = document_kind(parsed.document_code, parsed.format)
    rule = max_validity(parsed.issuing_state, kind)
    if rule is None:
        return
    years, confirmed, _source = rule
    # Issued today at the latest, so the expiry can be at most `years` ahead (+1 day of slack).
    latest = ctx.today.replace(year=ctx.today.year + years) if not (ctx.today.month == 2 and ctx.today.day == 29) \
        else ctx.today.replace(year=ctx.today.year + years, day=28)
    if parsed.expiry_date <= latest:
        yield ctx.passed("status.validity_period", "Expiry within the {years}-year validity of this kind of document.",
                         ["expiry_date"], years=years)
        return
    # The sources stay in data/validity_periods.json: the officer needs the rule, not the URLs.
    values = dict(date=officer_date(parsed.expiry_date), years=years, issuer=parsed.issuing_state,
                  kind=DOCUMENT_KINDS[kind])
    if confirmed:
        yield ctx.failed("status.validity_period", "Valid until {date}: more than {years:plural:year|years} from "
                         "today, longer than {issuer} issues {kind} for.", ["expiry_date"], **values)
    else:
        yield ctx.warned("status.validity_period", "Valid until {date}: more than {years:plural:year|years} from "
                         "today, longer than {issuer} issues {kind} for. The limit is not confirmed, so this is a "
                         "notice only.", ["expiry_date"], **values)
