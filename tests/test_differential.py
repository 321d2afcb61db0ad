"""Differential test against an independent implementation: the `mrz` package (PyPI, GPL,
a test dependency only — nothing of it is in the toolkit).

On thousands of random valid and mutated MRZs both must agree on every check-digit
outcome, except where the ICAO rule shows the other side wrong; each such class of
disagreement is named below and proved from Doc 9303.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mrz.checker.mrva import MRVACodeChecker
from mrz.checker.mrvb import MRVBCodeChecker
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker

from screening import check_mrz_text
from screening.mrz.checkdigit import check_digit

from mrz_cases import SPECIMENS, TODAY
from strategies import valid_mrz

THEIRS = {"TD1": TD1CodeChecker, "TD2": TD2CodeChecker, "TD3": TD3CodeChecker,
          "MRV-A": MRVACodeChecker, "MRV-B": MRVBCodeChecker}
# Their property for each of our check ids.
PROPERTIES = {"document_number": "document_number_hash", "birth_date": "birth_date_hash",
              "expiry_date": "expiry_date_hash", "optional_data": "optional_data_hash", "composite": "final_hash"}
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


# Field validity: our check id -> their property. Their date properties are left out: they
# depend on a period-checking switch, not on the date (e.g. TD1 dates always read False).
FIELD_PROPERTIES = {"data.issuing_state": "country", "data.nationality": "nationality", "data.sex": "sex"}


def outcomes(lines):
    ours_result = check_mrz_text(lines, today=TODAY)
    fmt = ours_result.mrz.parsed.format
    checker = THEIRS[fmt]("\n".join(lines))
    ours, theirs = {}, {}
    for f in ours_result.checks:
        if f.id.startswith("mrz.check_digit."):
            name = f.id.rsplit(".", 1)[1]
            ours[name], theirs[name] = f.status == "pass", bool(getattr(checker, PROPERTIES[name]))
        elif f.id in FIELD_PROPERTIES:
            ours[f.id] = f.status != "fail"  # a notice (sex X) is not a failure
            theirs[f.id] = bool(getattr(checker, FIELD_PROPERTIES[f.id]))
    return ours_result.mrz.parsed, ours, theirs


# Codes Doc 9303 Part 3 allows that `mrz`'s table lacks: Germany's ISO code (ICAO allows
# both D and DEU), and organisations of Part 3 section 5.
MISSING_FROM_THEIRS = {"DEU", "XCE", "XDC", "XES", "XMP", "XPO", "XXC"}


def explain(parsed, name):
    """Why the two sides may disagree on check ``name`` for this MRZ, or None."""
    if name == "document_number" and parsed.document_number_overflow is not None:
        # Doc 9303 Part 5 4.2.4 (note j) and Part 6: a number longer than 9 characters puts
        # '<' in the check digit's place and its check digit after the run-on part.
        # `mrz` checks the first 9 characters against '<' and calls it wrong.
        return "long document number"
    if name == "data.sex" and parsed.sex == "X":
        # `mrz` rejects X; some issuers print it where Doc 9303 writes '<' (unspecified).
        # A deviation to explain to the officer, not evidence of forgery: we give a notice.
        return "sex X"
    if name in ("data.issuing_state", "data.nationality"):
        code = parsed.raw["issuing_state" if name == "data.issuing_state" else "nationality"]
        if code in MISSING_FROM_THEIRS:
            return "a valid code missing from their table"
        if code.endswith("<") and len(code.rstrip("<")) == 2:
            # Their table holds "GB", a two-letter code; Doc 9303 writes the UK as GBR, and
            # only Germany's D is shorter than three letters.
            return "a two-letter code their table accepts"
        if code == "XXA" or code in ("XXB", "XXC", "XXX"):
            # XXA/XXB/XXC/XXX are nationalities only: no authority issues under them.
            return "a nationality-only code as issuer"
    return None


def test_state_code_tables_differ_only_where_explained():
    from mrz.base.countries_ops import code_list

    from screening.mrz.codes import state_name

    theirs = {code.replace("<", "") for code in code_list()}
    ours_missing = {code for code in theirs if state_name(code) is None}
    assert ours_missing == {"GB"}
    assert {code for code in MISSING_FROM_THEIRS if state_name(code)} == MISSING_FROM_THEIRS
    assert not MISSING_FROM_THEIRS & theirs


def test_the_long_number_disagreement_on_icao_own_example():
    # ICAO's TD1 specimen: D23145890734, check digit 9 printed after the run-on "734".
    parsed, ours, theirs = outcomes(SPECIMENS["TD1"])
    assert check_digit("D23145890734") == "9"
    assert ours["document_number"] is True and theirs["document_number"] is False
    assert explain(parsed, "document_number") == "long document number"
    # Both agree on everything else, including the composite over line 1 positions 6-30.
    assert {k: v for k, v in ours.items() if k != "document_number"} == \
           {k: v for k, v in theirs.items() if k != "document_number"}


def _mutate(lines, rng):
    lines = list(lines)
    line = rng.randrange(len(lines))
    index = rng.randrange(len(lines[line]))
    lines[line] = lines[line][:index] + rng.choice(ALPHABET) + lines[line][index + 1 :]
    return lines


@given(valid_mrz(), st.randoms(use_true_random=False), st.integers(0, 2))
@settings(max_examples=3000, deadline=None)
def test_both_implementations_agree_on_check_digits_except_where_explained(case, rng, mutations):
    _, lines = case
    for _ in range(mutations):
        lines = _mutate(lines, rng)
    parsed, ours, theirs = outcomes(lines)
    for name in ours:
        if ours[name] != theirs[name]:
            assert explain(parsed, name), f"unexplained disagreement on {name}: ours {ours[name]}, theirs {theirs[name]} for {lines}"


@pytest.mark.parametrize("fmt", sorted(SPECIMENS))
def test_every_single_character_change_of_the_icao_specimens(fmt):
    """Exhaustive and deterministic: every position of the specimen, every other character."""
    base = SPECIMENS[fmt]
    compared, kinds = 0, set()
    for line in range(len(base)):
        for index in range(len(base[line])):
            for char in ALPHABET:
                if char == base[line][index]:
                    continue
                lines = list(base)
                lines[line] = lines[line][:index] + char + lines[line][index + 1 :]
                parsed, ours, theirs = outcomes(lines)
                for name in ours:
                    compared += 1
                    if ours[name] != theirs[name]:
                        kind = explain(parsed, name)
                        assert kind, (fmt, line, index, char, name, ours[name], theirs[name])
                        kinds.add(kind)
    assert compared > 1000
    # Only the long-number specimen (TD1) disagrees on a check digit.
    assert ("long document number" in kinds) == (fmt == "TD1")
