"""Watch list: the document number is not on the local list of lost, stolen and revoked documents."""

from __future__ import annotations

import sqlite3

from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import ALERT, FIELD_OK, REVIEW
from screening.mrz import formats
from screening.mrz.checkdigit import is_valid
from screening import watchlist
from screening.text import Join, Text


@check(
    # A hit stays an alert whatever engine read the number: a misread hits only if it turns the
    # document's number into another one listed for the same issuer, which noise does about as often
    # as a guess does; and a listed number is what the officer must stop and compare by eye anyway.
    CheckSpec("watchlist.hit", ALERT, "The document number is not on the watch list of lost, stolen and revoked documents",
              misread_can_fail=False),
    CheckSpec("watchlist.near_hit", REVIEW,
              "The document number is not one OCR-confusable character (0/O, 1/I, 8/B, 5/S, 2/Z) from a listed one"),
)
def watchlist_hit(ctx: CheckContext):
    parsed = ctx.parsed
    number = parsed.document_number  # a long TD1/TD2 number with its run-on part (parse._document_number)
    if not number or parsed.field_status.get("document_number", FIELD_OK) != FIELD_OK:
        return
    store = watchlist.open_existing(ctx.settings.watchlist)
    if store is None:
        yield ctx.skipped("watchlist.hit", "No watch list has been imported on this computer "
                                           "(screening watchlist import FILE.csv).", ["document_number"])
        return
    try:
        with store:
            exact, near = store.lookup(parsed.issuing_state, number)
    except sqlite3.Error as error:
        yield ctx.skipped("watchlist.hit", "The watch list could not be read ({error}).", ["document_number"],
                          severity=REVIEW, error=str(error))
        return
    if exact is not None:
        # A misreading lands on a listed number only by also giving a right check digit, which a
        # single misread character never does (7-3-1 weights, Doc 9303 Part 3): a hit whose check
        # digit verifies is an alert even where the number was hard to read.
        yield ctx.failed("watchlist.hit", "Document number {number} ({issuer}) is on the watch list: {entry}.",
                         ["document_number", "issuing_state"], despite_weak_read=_number_verified(parsed),
                         number=number, issuer=parsed.issuing_state, entry=_describe(exact))
        return
    yield ctx.passed("watchlist.hit", "The document number is not on the watch list.", ["document_number"])
    if near:
        listed = Join("; ", [Text("{number}: {entry}", number=e.document_number, entry=_describe(e)) for e in near])
        yield ctx.failed("watchlist.near_hit",
                         "Document number {number} differs by one look-alike character from a watch-listed number "
                         "({listed}): compare the number on the page with the MRZ.", ["document_number"],
                         number=number, listed=listed)


def _number_verified(parsed) -> bool:
    """Does the document number's check digit (of a long TD1/TD2 number, the run-on one) verify?"""
    layout = formats.LAYOUTS.get(parsed.format)
    spec = next((c for c in layout.check_digits if c.name == "document_number"), None) if layout else None
    guarded = formats.guarded(parsed, spec) if spec is not None else None
    return guarded is not None and is_valid(*guarded)


def _describe(entry: watchlist.Entry) -> Join:
    # The reason and source are the list's own words (as imported), shown as they are.
    parts: list = [entry.reason]
    if entry.date:
        parts.append(Text("since {date}", date=entry.date))
    if entry.source:
        parts.append(Text("(source: {source})", source=entry.source))
    return Join(" ", parts)
