"""Each check: a clean document passes it, a hand-made case fails it with the right severity."""

import dataclasses
import datetime as dt

import pytest

from screening.checks import SPECS, Settings
from screening.checks.personal_numbers import kaz_iin_check_digit
from screening.mrz.checkdigit import check_digit
from screening.mrz.generate import MRZData, build_lines

from mrz_cases import SPECIMENS, TODAY, finding


def kaz_iin(birth: dt.date, sex: str, serial: str = "0123") -> str:
    century_digit = {1900: {"M": 3, "F": 4}, 2000: {"M": 5, "F": 6}}[birth.year // 100 * 100][sex]
    first = birth.strftime("%y%m%d") + str(century_digit) + serial
    return first + str(kaz_iin_check_digit(first))


CLEAN = MRZData(
    format="TD3",
    document_code="P",
    issuing_state="TJK",
    surname="Rahimov",
    given_names="Firdavs Karimovich",
    document_number="401234567",
    nationality="TJK",
    birth_date=dt.date(1988, 3, 14),
    sex="M",
    expiry_date=dt.date(2031, 6, 30),
)


def lines_of(**changes):
    return build_lines(dataclasses.replace(CLEAN, **changes))


def replace_at(lines, line, index, char):
    lines = list(lines)
    lines[line] = lines[line][:index] + char + lines[line][index + 1 :]
    return lines


@pytest.mark.parametrize("fmt", ["TD1", "TD2", "TD3", "MRV-A", "MRV-B"])
def test_a_clean_document_of_every_format_is_clear(screen, fmt):
    code = {"TD1": "ID", "TD2": "I", "TD3": "P", "MRV-A": "V", "MRV-B": "V"}[fmt]
    result = screen(lines_of(format=fmt, document_code=code))
    assert result.verdict == "clear", result.reasons
    # Every check passes, or (like a watch list that was never imported) could not run at no cost.
    assert all(f.status == "pass" or (f.status == "skip" and f.severity is None) for f in result.checks), \
        [f for f in result.checks if f.status != "pass"]
    assert result.reasons == ()


@pytest.mark.parametrize("fmt", SPECIMENS)
def test_icao_specimens_are_review_as_expired_specimens(screen, fmt):
    result = screen(SPECIMENS[fmt])
    assert result.verdict == "review"
    assert finding(result, "status.specimen").status == "fail"
    assert finding(result, "status.expired").status == "fail"
    assert not [f for f in result.checks if f.id.startswith("mrz.check_digit") and f.status != "pass"]


# (check id, line index, position index) of each check digit in a clean TD3 and TD1.
TD3_DIGITS = [("document_number", 1, 9), ("birth_date", 1, 19), ("expiry_date", 1, 27),
              ("optional_data", 1, 42), ("composite", 1, 43)]
TD1_DIGITS = [("document_number", 0, 14), ("birth_date", 1, 6), ("expiry_date", 1, 14), ("composite", 1, 29)]


@pytest.mark.parametrize("fmt, name, line, index", [("TD3", *d) for d in TD3_DIGITS] + [("TD1", *d) for d in TD1_DIGITS])
def test_a_wrong_check_digit_is_an_alert_naming_printed_and_computed(screen, fmt, name, line, index):
    lines = lines_of(format=fmt, document_code="P" if fmt == "TD3" else "ID")
    printed = lines[line][index]
    wrong = str((int(printed) + 3) % 10)
    result = screen(replace_at(lines, line, index, wrong))
    f = finding(result, f"mrz.check_digit.{name}")
    assert (f.status, f.severity) == ("fail", "alert")
    assert f"printed {wrong}, computed {printed}" in f.message
    assert result.verdict == "alert"
    assert result.reasons[0] == f.message or any(r == f.message for r in result.reasons)


def test_a_changed_birth_date_breaks_its_check_digit_and_the_composite(screen):
    lines = replace_at(lines_of(), 1, 15, "9")  # 880314 -> 889314: also an impossible month
    result = screen(lines)
    assert finding(result, "mrz.check_digit.birth_date").status == "fail"
    assert finding(result, "mrz.check_digit.composite").status == "fail"
    assert finding(result, "data.birth_date").status == "fail"


def test_empty_td3_optional_data_may_carry_a_filler_check_digit(screen):
    lines = lines_of()
    assert lines[1][28:43] == "<" * 14 + "0"
    lines = replace_at(lines, 1, 42, "<")
    lines = replace_at(lines, 1, 43, check_digit(lines[1][0:10] + lines[1][13:20] + lines[1][21:43]))
    result = screen(lines)
    assert finding(result, "mrz.check_digit.optional_data").status == "pass"
    assert result.verdict == "clear"


def test_filler_check_digit_over_real_optional_data_fails(screen):
    lines = replace_at(lines_of(optional_data="AB1234"), 1, 42, "<")
    f = finding(screen(lines), "mrz.check_digit.optional_data")
    assert f.status == "fail" and "printed '<'" in f.message


def test_long_td1_number_with_a_wrong_run_on_check_digit(screen):
    lines = replace_at(SPECIMENS["TD1"], 0, 18, "5")  # D23145890734's check digit 9 -> 5
    f = finding(screen(lines), "mrz.check_digit.document_number")
    assert f.status == "fail" and "printed 5, computed 9" in f.message


@pytest.mark.parametrize(
    "changes, check_id, severity",
    [
        ({"issuing_state": "XYZ"}, "data.issuing_state", "alert"),
        ({"nationality": "QQQ"}, "data.nationality", "alert"),
        ({"issuing_state": "XXB"}, "data.issuing_state", "alert"),
        ({"birth_date": "880230"}, "data.birth_date", "alert"),
        ({"expiry_date": "311301"}, "data.expiry_date", "alert"),
        ({"birth_date": dt.date(2015, 1, 1), "expiry_date": dt.date(2014, 6, 1)}, "data.dates_order", "alert"),
        ({"birth_date": "000101", "expiry_date": "240101"}, "status.expired", "review"),
        ({"birth_date": dt.date(1927, 1, 1), "expiry_date": dt.date(2031, 6, 30)}, "data.age", "review"),
        ({"document_code": "X"}, "mrz.document_code", "alert"),
        ({"issuing_state": "UTO"}, "status.specimen", "review"),
        ({"issuing_state": "KAZ", "expiry_date": dt.date(2040, 1, 1)}, "status.validity_period", "alert"),
    ],
)
def test_hand_made_cases_fail_their_check(screen, changes, check_id, severity):
    result = screen(lines_of(**changes))
    f = finding(result, check_id)
    assert (f.status, f.severity) == ("fail", severity), f.message
    assert result.verdict == severity
    assert f.message in result.reasons


def test_impossible_dates_are_explained(screen):
    assert "February 1988 has no day 30" in finding(screen(lines_of(birth_date="880230")), "data.birth_date").message
    assert "month 13 does not exist" in finding(screen(lines_of(expiry_date="311301")), "data.expiry_date").message


def test_birth_after_expiry_is_an_alert(screen):
    result = screen(lines_of(birth_date=dt.date(2020, 5, 5), expiry_date=dt.date(2019, 5, 5)))
    f = finding(result, "data.dates_order")
    assert f.status == "fail" and "05.05.2020 is not before date of expiry 05.05.2019" in f.message
    assert result.verdict == "alert"


def test_expiring_soon_is_a_notice_that_keeps_the_verdict_clear(screen):
    result = screen(lines_of(expiry_date=TODAY + dt.timedelta(days=30)))
    assert finding(result, "status.expiring_soon").status == "warn"
    assert result.verdict == "clear"
    assert result.reasons == ("The document expires in 30 days.",)


def test_sex_x_is_an_explained_deviation_not_an_alert(screen):
    result = screen(lines_of(sex="X"))
    f = finding(result, "data.sex")
    assert f.status == "warn" and "not a sign of forgery" in f.message.lower()
    assert result.verdict == "clear"


def test_invalid_sex_value_is_an_alert(screen):
    lines = replace_at(lines_of(), 1, 20, "Q")
    lines = replace_at(lines, 1, 43, check_digit(lines[1][0:10] + lines[1][13:20] + lines[1][21:43]))
    result = screen(lines)
    assert finding(result, "data.sex").status == "fail"
    assert finding(result, "mrz.charset").status == "pass"  # reported once, by data.sex
    assert result.verdict == "alert"


def test_letter_in_a_date_is_a_charset_alert_naming_the_position(screen):
    lines = replace_at(lines_of(), 1, 14, "O")  # 880314 -> 8O0314
    f = finding(screen(lines), "mrz.charset")
    assert f.status == "fail" and "line 2, position 15" in f.message and f.fields == ("birth_date",)


def test_partly_unknown_birth_date_is_allowed(screen):
    result = screen(lines_of(birth_date="88<<<<"))
    assert finding(result, "data.birth_date").status == "warn"
    assert finding(result, "mrz.check_digit.birth_date").status == "pass"
    assert result.verdict == "clear"


def test_wrong_line_length_is_review_with_a_clear_message(screen):
    lines = lines_of()
    result = screen([lines[0], lines[1][:-1]])
    f = finding(result, "mrz.structure")
    assert (f.status, f.severity) == ("fail", "review")
    assert "Line 2 has 43 characters; a TD3 line has 44" in f.message
    assert finding(result, "mrz.check_digit.composite").status == "skip"
    assert result.verdict == "review"
    assert result.mrz.parsed.surname == "RAHIMOV"


def test_filler_inside_a_document_number_is_a_notice(screen):
    result = screen(lines_of(document_number="40<234567"))
    assert finding(result, "mrz.fillers").status == "warn"


def test_truncated_name_is_a_notice(screen):
    result = screen(lines_of(surname="Abdurakhmonovazimjonovnaboboeva", given_names="Mukhayyokhon Zulfiyakhon"))
    f = finding(result, "mrz.name")
    assert f.status == "warn" and "truncated" in f.message


def test_kazakh_iin_consistent_passes(screen):
    birth = dt.date(1990, 2, 14)
    result = screen(lines_of(issuing_state="KAZ", nationality="KAZ", birth_date=birth, sex="F",
                             optional_data=kaz_iin(birth, "F")))
    assert finding(result, "data.personal_number.kaz_iin").status == "pass"
    assert result.verdict == "clear"


@pytest.mark.parametrize(
    "iin_birth, iin_sex, bad_check, expected",
    [
        (dt.date(1990, 2, 14), "F", True, "check digit"),
        (dt.date(1991, 2, 14), "F", False, "date of birth"),
        (dt.date(1990, 2, 14), "M", False, "sex M"),
    ],
)
def test_kazakh_iin_that_contradicts_the_mrz_is_an_alert(screen, iin_birth, iin_sex, bad_check, expected):
    iin = kaz_iin(iin_birth, iin_sex)
    if bad_check:
        iin = iin[:-1] + str((int(iin[-1]) + 1) % 10)
    result = screen(lines_of(issuing_state="KAZ", nationality="KAZ", birth_date=dt.date(1990, 2, 14), sex="F",
                             optional_data=iin))
    f = finding(result, "data.personal_number.kaz_iin")
    assert (f.status, f.severity) == ("fail", "alert") and expected in f.message
    assert result.verdict == "alert"


def test_uzbek_pinfl_rule_is_unconfirmed_so_it_only_warns(screen):
    pinfl = "3140388" + "123456"
    bad = pinfl + str((int(check_digit(pinfl)) + 1) % 10)
    result = screen(lines_of(issuing_state="UZB", nationality="UZB", optional_data=bad))
    f = finding(result, "data.personal_number.uzb_pinfl")
    assert f.status == "warn" and "not confirmed" in f.message
    assert result.verdict == "clear"
    good = screen(lines_of(issuing_state="UZB", nationality="UZB", optional_data=pinfl + check_digit(pinfl)))
    assert finding(good, "data.personal_number.uzb_pinfl").status == "pass"


def test_reasons_are_most_serious_first(screen):
    lines = lines_of(issuing_state="UTO", expiry_date=dt.date(2020, 1, 1))
    lines = replace_at(lines, 1, 19, "0" if lines[1][19] != "0" else "1")
    result = screen(lines)
    severities = [f.severity for r in result.reasons for f in result.checks if f.message == r]
    assert severities[0] == "alert" and "review" in severities
    assert severities == sorted(severities, key=["alert", "review", None].index)


def test_docs_checks_md_lists_every_registered_check_as_the_cli_prints_it():
    import pathlib

    from screening.cli import checks_markdown

    doc = (pathlib.Path(__file__).parent.parent / "docs" / "checks.md").read_text()
    assert checks_markdown() in doc, "docs/checks.md is stale: paste `screening list-checks --markdown` into it"
    for check_id in SPECS:
        assert f"`{check_id}`" in doc


def test_no_primary_identifier_is_read_and_explained(screen):
    lines = lines_of()
    lines[0] = "P<TJK<<FIRDAVS".ljust(44, "<")
    result = screen(lines)
    assert (result.mrz.parsed.surname, result.mrz.parsed.given_names) == ("", "FIRDAVS")
    assert finding(result, "mrz.name").status == "warn"
    assert result.verdict == "clear"


def test_german_id_card_with_d_code_and_unspecified_sex(screen):
    # A German ID card's layout: issuer D<<, sex '<' (shown as X, as the card prints it).
    lines = build_lines(MRZData("TD1", "ID", "D", "Mustermann", "Erika", "T22000129", "D", dt.date(1964, 8, 12), "<",
                                dt.date(2030, 2, 28)))
    assert lines[0].startswith("IDD<<T22000129")
    result = screen(lines)
    assert result.verdict == "clear", result.reasons
    assert result.to_dict()["mrz"]["fields"]["sex"] == "X"
    assert result.to_dict()["mrz"]["raw"]["sex"] == "<"


def test_french_id_card_layout_is_checked_with_its_own_check_digits(screen):
    lines = ["IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "8806923102858CORINNE<<<<<<<6512068F6"]
    result = screen(lines)
    assert result.mrz.parsed.format == "FRA-ID"
    digits = [f for f in result.checks if f.id.startswith("mrz.check_digit.")]
    assert {f.id for f in digits} == {"mrz.check_digit.document_number", "mrz.check_digit.birth_date",
                                      "mrz.check_digit.composite"}
    assert all(f.status == "pass" for f in digits)
    assert result.verdict == "clear"
    broken = screen(replace_at(lines, 1, 33, "9"))
    assert finding(broken, "mrz.check_digit.birth_date").status == "fail"


def test_a_check_that_breaks_is_a_skip_and_the_other_checks_still_run(monkeypatch):
    from screening.checks import registry
    from screening.pipeline import check_mrz_text

    monkeypatch.delenv("SCREENING_STRICT")  # as in use: the guard reports, the screening goes on
    def broken(ctx):
        yield ctx.passed("mrz.structure", "first finding")
        raise ZeroDivisionError

    functions = [(broken, ids) if "mrz.structure" in ids else (f, ids) for f, ids in registry._FUNCTIONS]
    monkeypatch.setattr(registry, "_FUNCTIONS", functions)
    result = check_mrz_text(list(SPECIMENS["TD3"]), today=TODAY)
    skipped = [f for f in result.checks if f.status == "skip" and "internal error: ZeroDivisionError" in f.message]
    assert len(skipped) == 1 and skipped[0].severity == "review"
    assert finding(result, "mrz.check_digit.birth_date").status == "pass"
    assert result.verdict == "review"


@pytest.mark.parametrize("weak,severity,verdict", [(0.95, "alert", "alert"), (0.3, "review", "review")])
def test_a_failure_resting_on_characters_hard_to_read_is_a_review(weak, severity, verdict):
    from screening.models import MRZRead
    from screening.mrz.parse import parse
    from screening.pipeline import screen_parsed

    lines = list(SPECIMENS["TD3"])
    lines[1] = lines[1][:19] + "5" + lines[1][20:]  # the date of birth check digit, 2 -> 5
    confidences = [[0.99] * 44, [0.99] * 44]
    confidences[1][19] = weak  # ... read with this confidence
    read = MRZRead(parse(lines, today=TODAY), 0.9, ((0, 0), (1, 0), (1, 1), (0, 1)), engine="ocrb",
                   char_confidences=tuple(map(tuple, confidences)))
    result = screen_parsed(read, file="x", today=TODAY, settings=Settings(watchlist="/nonexistent"), timings={},
                           started=0.0)
    found = finding(result, "mrz.check_digit.birth_date")
    assert found.status == "fail" and found.severity == severity
    assert result.verdict == verdict


def test_weakly_read_name_letters_weaken_the_name_they_belong_to():
    # The MRZ layout has one name field; the visual zone compares the surname and the given names.
    from screening.checks import CheckContext
    from screening.models import MRZRead
    from screening.mrz.parse import parse

    lines = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
    parsed = parse(lines, today=dt.date(2026, 11, 23))

    def weak(position):
        confidences = tuple(tuple(0.3 if (i, j) == (0, position) else 0.99 for j in range(44)) for i in range(2))
        read = MRZRead(parsed, 0.9, engine="ocrb", char_confidences=confidences)
        return CheckContext(parsed, dt.date(2026, 11, 23), read=read).weakly_read

    assert {"name", "surname"} <= weak(7) and "given_names" not in weak(7)  # the K of ERIKSSON
    assert {"name", "given_names"} <= weak(17) and "surname" not in weak(17)  # the N of ANNA
    assert not {"surname", "given_names"} & weak(2)  # the issuing state


def test_no_alert_rests_on_a_reading_doubtful_as_a_whole():
    # Every character above LOW_CONFIDENCE, but the mean below DOUBTFUL_READ (a blurred card read
    # at another layout's pitch): an invalid document code, read surely, is a review, and
    # read.confidence says why; the same reading at a sure mean is an alert.
    from screening.checks.registry import DOUBTFUL_READ, LOW_CONFIDENCE
    from screening.models import MRZRead
    from screening.mrz.parse import parse
    from screening.pipeline import screen_parsed

    lines = list(SPECIMENS["TD3"])
    lines[0] = "<<" + lines[0][2:]
    mean = (DOUBTFUL_READ + LOW_CONFIDENCE) / 2
    results = {}
    for confidence in (mean, 0.95):
        read = MRZRead(parse(lines, today=TODAY), confidence, ((0, 0), (1, 0), (1, 1), (0, 1)), engine="ocrb",
                       char_confidences=((0.99, 0.99) + (confidence,) * 42, (confidence,) * 44))
        results[confidence] = screen_parsed(read, file="x", today=TODAY, settings=Settings(watchlist="/nonexistent"),
                                            timings={}, started=0.0)
    doubtful, sure = results[mean], results[0.95]
    assert finding(doubtful, "mrz.document_code").status == "fail"
    assert finding(doubtful, "mrz.document_code").severity == "review"
    assert finding(doubtful, "read.confidence").status == "fail"
    assert "unsurely as a whole" in finding(doubtful, "read.confidence").message
    assert doubtful.verdict == "review"
    assert finding(sure, "mrz.document_code").severity == "alert" and sure.verdict == "alert"
    assert finding(sure, "read.confidence").status == "pass"


def test_checks_run_in_parts_are_put_back_in_registration_order():
    """The pipeline runs the visual zone's checks apart from the others (beside the stage): merged,
    the findings come in the order one run of all gives, whichever part came first."""
    from screening.checks.registry import CheckContext, in_registration_order, run_checks
    from screening.mrz.parse import parse

    context = CheckContext(parse(SPECIMENS["TD3"], today=TODAY), TODAY, Settings(watchlist="/nonexistent"))
    whole = run_checks(context)
    parts = run_checks(context, families=("integrity",)), run_checks(context, exclude=("integrity",))
    assert parts[0] and parts[1] and {f.id for f in parts[0]}.isdisjoint(f.id for f in parts[1])
    assert in_registration_order(parts[1] + parts[0]) == whole
