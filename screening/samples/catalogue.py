"""The defect catalogue and the capture conditions, as data.

Each defect has a stable id (used in answer keys, course sheets and training scores),
the verdict a perfect screening gives, whether the MRZ text alone reveals it, and what
an officer should notice. docs/samples.md is written from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

CLEAR, REVIEW, ALERT = "clear", "review", "alert"
_RANK = {CLEAR: 0, REVIEW: 1, ALERT: 2}


@dataclass(frozen=True)
class Defect:
    id: str
    title: str
    verdict: str  # what a perfect screening concludes: review or alert
    mrz_visible: bool  # whether the MRZ text alone (check_mrz_text) reveals it
    notice: str  # what the officer should notice, for trainers and the answer key
    conflicts: frozenset[str] = frozenset()  # defects it cannot be combined with


DEFECTS: dict[str, Defect] = {
    d.id: d
    for d in (
        Defect("check_digit", "Wrong check digit", ALERT, True,
               "One check digit in the MRZ does not match its field: recompute it (weights 7-3-1). "
               "The field was altered, or the MRZ was typed by hand."),
        Defect("altered_field_recomputed", "Field altered, check digits recomputed", ALERT, False,
               "Every check digit is right, yet the MRZ and the printed page disagree on a date or the "
               "document number: a forger changed the MRZ and recomputed the check digits. Always compare "
               "the MRZ with the visual zone.",
               frozenset({"impossible_date", "birth_after_expiry", "viz_mismatch_number"})),
        Defect("viz_mismatch_name", "Visual zone and MRZ disagree on the name", ALERT, False,
               "The name printed on the page is not the name in the MRZ (allowing for transliteration): "
               "the page or the MRZ was replaced or altered."),
        Defect("viz_mismatch_number", "Visual zone and MRZ disagree on the document number", ALERT, False,
               "The document number printed on the page differs from the one in the MRZ (and on the "
               "other pages): the page was replaced or altered.",
               frozenset({"altered_field_recomputed", "watchlist"})),
        Defect("pasted_line", "An MRZ line pasted in", ALERT, False,
               "One MRZ line does not match the others: another font, character size, spacing (pitch) or "
               "baseline. Look along the lines: genuine MRZ characters sit on one grid, 10 per inch."),
        Defect("impossible_date", "Impossible date", ALERT, True,
               "A date in the MRZ does not exist (30 February, month 13), even though its check digit is "
               "right: a made-up document.",
               frozenset({"expired", "birth_after_expiry", "altered_field_recomputed"})),
        Defect("unknown_state", "Unknown state code", ALERT, True,
               "The issuing state or nationality code is not an ISO 3166-1 or ICAO code: no state issues "
               "this document.",
               frozenset({"specimen"})),
        Defect("expired", "Expired", REVIEW, True,
               "The date of expiry has passed: not valid for travel (not a forgery by itself).",
               frozenset({"impossible_date", "birth_after_expiry"})),
        Defect("specimen", "Specimen document", REVIEW, True,
               "The state code is UTO (ICAO's fictional Utopia) and the page says SPECIMEN: a sample, not "
               "a travel document.",
               frozenset({"unknown_state", "watchlist"})),
        Defect("watchlist", "Document number on a watch list", ALERT, False,
               "The MRZ is consistent, but the document number is on the watch list (lost, stolen or "
               "revoked): refer to second-line inspection.",
               frozenset({"viz_mismatch_number", "specimen"})),
        Defect("birth_after_expiry", "Birth after expiry", ALERT, True,
               "The date of birth is later than the date of expiry: impossible for a genuine document.",
               frozenset({"expired", "impossible_date", "altered_field_recomputed"})),
    )
}  # fmt: skip


def expected_verdict(defect_ids: list[str] | tuple[str, ...]) -> str:
    """The verdict a perfect screening gives: the most serious defect's, clear without defects."""
    return max((DEFECTS[d].verdict for d in defect_ids), key=_RANK.__getitem__, default=CLEAR)


def mrz_visible(defect_ids: list[str] | tuple[str, ...]) -> bool:
    """Whether every defect shows in the MRZ text (true for a clean document)."""
    return all(DEFECTS[d].mrz_visible for d in defect_ids)


@dataclass(frozen=True)
class Condition:
    id: str
    title: str
    dpi: int  # resolution of the rendered page before degradation
    image_format: str  # jpg or png


CONDITIONS: dict[str, Condition] = {
    c.id: c
    for c in (
        Condition("scan300", "Flat scan, 300 dpi", 300, "jpg"),
        Condition("scan150", "Low-resolution scan, about 150 dpi", 150, "jpg"),
        Condition("jpeg_low", "Scan saved as low-quality JPEG", 300, "jpg"),
        Condition("rotated90", "Scan, document rotated 90 degrees on the glass", 300, "jpg"),
        Condition("rotated180", "Scan, document upside down on the glass", 300, "jpg"),
        Condition("rotated270", "Scan, document rotated 270 degrees on the glass", 300, "jpg"),
        Condition("skew", "Scan, document slightly skewed", 300, "jpg"),
        Condition("phone", "Hand-held phone photo on a table", 300, "jpg"),
    )
}

FORMATS = ("TD3", "TD1", "TD2", "MRV-A", "MRV-B")
