"""Parsing: every ICAO format, national deviations, typed-input normalisation, bad input."""

import datetime as dt

import pytest

from screening.errors import EmptyInputError, MRZFormatError
from screening.mrz.checkdigit import check_digit
from screening.mrz.parse import parse, resolve_birth_date, resolve_expiry_date

from mrz_cases import SPECIMENS, TODAY


@pytest.mark.parametrize("fmt", SPECIMENS)
def test_icao_specimens_parse_with_every_field_ok(fmt):
    parsed = parse(SPECIMENS[fmt], today=TODAY)
    assert parsed.format == fmt
    assert parsed.problems == ()
    assert set(parsed.field_status.values()) == {"ok"}
    assert parsed.issuing_state == "UTO"


def test_td3_fields():
    p = parse(SPECIMENS["TD3"], today=TODAY)
    assert (p.document_code, p.surname, p.given_names) == ("P", "ERIKSSON", "ANNA MARIA")
    assert (p.document_number, p.nationality, p.sex) == ("L898902C3", "UTO", "F")
    assert p.birth_date == dt.date(1974, 8, 12)
    assert p.expiry_date == dt.date(2012, 4, 15)
    assert p.optional_data == "ZE184226B"
    assert p.raw["optional_data_check"] == "1" and p.raw["composite_check"] == "0"


def test_td1_long_document_number_runs_on_into_optional_data():
    # Doc 9303 Part 5's example: number D23145890734, its check digit 9 after the run-on.
    p = parse(SPECIMENS["TD1"], today=TODAY)
    assert p.document_number == "D23145890734"
    assert p.document_number_overflow == "734"
    assert p.document_number_overflow_check == "9" == check_digit("D23145890734")
    assert p.optional_data == ""
    assert (p.surname, p.given_names, p.sex) == ("STEVENSON", "PETER JOHN", "M")
    assert p.birth_date == dt.date(1934, 7, 12)


def test_td2_long_document_number():
    p = parse(["I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<", "D23145890<UTO3407127M95071227349<<<8"], today=TODAY)
    assert p.format == "TD2"
    assert p.document_number == "D23145890734"
    assert p.document_number_overflow_check == "9"


def test_visas_have_no_composite_and_keep_optional_data():
    a = parse(SPECIMENS["MRV-A"], today=TODAY)
    b = parse(SPECIMENS["MRV-B"], today=TODAY)
    assert (a.format, b.format) == ("MRV-A", "MRV-B")
    assert "composite_check" not in a.raw and "composite_check" not in b.raw
    assert a.optional_data == "6ZE184226B"
    assert a.nationality == "XXX"


def test_several_given_names_and_single_name():
    p = parse(["P<KAZZHAKSYBEKOV<<ARMAN<SERIKULY<BEKOVICH<<<<", "N123456785KAZ9001011M3001019<<<<<<<<<<<<<<06"], today=TODAY)
    assert p.given_names == "ARMAN SERIKULY BEKOVICH"
    single = parse(["P<AFGMOHAMMAD<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "P012345675AFG9001011M3001019<<<<<<<<<<<<<<06"], today=TODAY)
    assert (single.surname, single.given_names) == ("MOHAMMAD", "")


def test_name_filling_the_field_is_flagged_as_possibly_truncated():
    p = parse(["P<UTOSTEVENSONSTEVENSONSTEVENSON<<PETERJOHNA", SPECIMENS["TD3"][1]], today=TODAY)
    assert p.name_truncated
    assert not parse(SPECIMENS["TD3"], today=TODAY).name_truncated


def test_german_one_letter_code_and_unspecified_sex():
    p = parse(["IDD<<T220001293<<<<<<<<<<<<<<<", "6408125<2702280D<<<<<<<<<<<<<4", "MUSTERMANN<<ERIKA<<<<<<<<<<<<<"], today=TODAY)
    assert (p.issuing_state, p.nationality, p.sex) == ("D", "D", "<")


def test_french_id_card_before_2021_is_not_taken_for_td2():
    p = parse(["IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "8806923102858CORINNE<<<<<<<6512068F6"], today=TODAY)
    assert p.format == "FRA-ID"
    assert (p.surname, p.given_names, p.document_number) == ("BERTHIER", "CORINNE", "880692310285")
    assert p.birth_date == dt.date(1965, 12, 6) and p.expiry_date is None


@pytest.mark.parametrize(
    "text, note",
    [
        ("p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\nl898902c36uto7408122f1204159ze184226b<<<<<10", "Lower-case"),
        ("P<UTOERIKSSON<<ANNA<MARIA <<<<<<<<<<<<<<<<<<<\n  L898902C36UTO7408122F1204159ZE184226B<<<<<10  \n\n", "Spaces"),
        ("Р<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B«<<<<10", "Look-alike"),
        ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10", "split"),
    ],
)
def test_typed_input_is_normalised_and_the_change_is_noted(text, note):
    p = parse(text, today=TODAY)
    assert list(p.lines) == SPECIMENS["TD3"]
    assert any(note in n for n in p.notes)


def test_wrong_line_length_names_the_line_and_still_returns_fields():
    p = parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<1"], today=TODAY)
    assert p.format == "TD3"
    [problem] = p.problems
    assert problem.code == "line_length" and problem.line == 2
    assert "Line 2 has 42 characters" in problem.message
    assert p.surname == "ERIKSSON" and p.field_status["name"] == "ok"
    assert p.field_status["birth_date"] == "uncertain"
    assert p.field_status["composite_check"] == "missing"


def test_illegal_character_names_line_and_position():
    p = parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO74O8122F1204159ZE184226B<<<<<10"], today=TODAY)
    [problem] = p.problems
    assert (problem.code, problem.line, problem.position) == ("illegal_character", 2, 16)
    assert "'O'" in problem.message and "position 16" in problem.message
    assert p.field_status["birth_date"] == "invalid"
    assert p.birth_date is None and p.surname == "ERIKSSON"


@pytest.mark.parametrize(
    "text, message",
    [
        ("P<UTOERIKSSON", "this text has 1"),
        ("A\nB\nC\nD", "this text has 4"),
        ("P<UTOERIKSSON<<ANNA\nL898902C36UTO7408122F12", "no MRZ layout fits"),
    ],
)
def test_text_that_fits_no_layout_raises_the_documented_error(text, message):
    with pytest.raises(MRZFormatError, match=message):
        parse(text, today=TODAY)


def test_empty_text_raises_empty_input():
    with pytest.raises(EmptyInputError):
        parse(" \n\n", today=TODAY)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("740812", dt.date(1974, 8, 12)),
        ("261123", dt.date(2026, 11, 23)),  # born today
        ("261124", dt.date(1926, 11, 24)),  # tomorrow in 2026 would be the future
        ("050101", dt.date(2005, 1, 1)),
        ("270101", dt.date(1927, 1, 1)),
        ("740230", None),  # 30 February
        ("741301", None),  # month 13
        ("74<<<<", None),  # unknown parts
    ],
)
def test_birth_dates_take_the_latest_century_not_in_the_future(raw, expected):
    assert resolve_birth_date(raw, TODAY) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("120415", dt.date(2012, 4, 15)), ("360101", dt.date(2036, 1, 1)), ("461231", dt.date(2046, 12, 31)),
     ("470101", dt.date(1947, 1, 1)), ("991231", dt.date(1999, 12, 31))],
)
def test_expiry_dates_are_at_most_twenty_years_ahead(raw, expected):
    assert resolve_expiry_date(raw, TODAY) == expected
