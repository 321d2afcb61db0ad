"""Decoding: the layout's character classes, check-digit-confirmed choices between look-alikes,
and the rule that a confidently read character — a forged check digit above all — is never changed."""

import numpy as np
import pytest

from screening.mrz import formats
from screening.mrz.decode import CONFIDENT, decode
from screening.mrz.recognize import ALPHABET

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def confident(lines, p=0.995):
    """Probabilities as a recogniser that is sure of every character would give them."""
    out = []
    for line in lines:
        probs = np.full((len(line), len(ALPHABET)), (1 - p) / (len(ALPHABET) - 1))
        for i, char in enumerate(line):
            probs[i, ALPHABET.index(char)] = p
        out.append(probs)
    return out


def unsure(probs, line, position, first, second, p_first=0.55):
    row = np.full(len(ALPHABET), 0.0001)
    row[ALPHABET.index(first)] = p_first
    row[ALPHABET.index(second)] = 1 - p_first - 0.0001 * 35
    probs[line][position] = row / row.sum()


def test_confident_reading_is_returned_as_read():
    decoded = decode(confident(TD3), formats.TD3)
    assert list(decoded.lines) == TD3 and decoded.corrections == ()
    assert decoded.confidence > 0.99


def test_a_letter_read_in_a_date_is_taken_as_the_digit_it_resembles():
    probs = confident(TD3)
    unsure(probs, 1, 15, "O", "0", p_first=0.6)  # birth date 740812: the 0 read as O
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[1] == TD3[1]


def test_look_alike_is_settled_by_the_check_digit_and_reported():
    probs = confident(TD3)
    unsure(probs, 1, 3, "B", "8", p_first=0.6)  # document number L898902C3: the second 8 read as B
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[1] == TD3[1]
    [correction] = decoded.corrections
    assert (correction.line, correction.position, correction.read, correction.chosen) == (2, 4, "B", "8")
    assert "check digit" in correction.reason


def test_a_confidently_read_wrong_check_digit_stays_wrong():
    forged = [TD3[0], TD3[1][:19] + "7" + TD3[1][20:]]  # birth date check digit 2 -> 7
    decoded = decode(confident(forged), formats.TD3)
    assert decoded.lines[1][19] == "7"
    assert decoded.corrections == ()


def test_a_confident_wrong_check_digit_is_not_explained_away_by_an_unsure_neighbour():
    # The check digit is printed wrong and read surely; one date digit is unsure but its
    # runner-up does not satisfy the check digit either: nothing may change.
    forged = [TD3[0], TD3[1][:19] + "7" + TD3[1][20:]]
    probs = confident(forged)
    unsure(probs, 1, 18, "2", "Z", p_first=0.7)  # 'Z' is not even allowed in a date
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[1][13:20] == "7408127"


def test_confident_characters_are_never_candidates_for_repair():
    forged = [TD3[0], TD3[1][:5] + "3" + TD3[1][6:]]  # L89893...: document number altered, check fails
    probs = confident(forged, p=CONFIDENT + 0.05)
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[1][:10] == forged[1][:10]
    assert decoded.corrections == ()


def test_a_failing_composite_is_not_repaired_while_a_field_check_digit_fails():
    # The birth date's check digit is forged (read surely); the composite fails because of
    # it. Unsure characters elsewhere must not be changed to make the composite hold.
    forged = [TD3[0], TD3[1][:19] + "7" + TD3[1][20:]]
    probs = confident(forged)
    for position, (first, second) in {3: ("B", "8"), 5: ("O", "0")}.items():
        unsure(probs, 1, position, second, first, p_first=0.6)  # read right, but not surely
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[1] == forged[1]
    assert decoded.corrections == ()


@pytest.mark.parametrize("seed", range(20))
def test_confidence_bound_is_never_below_the_decoded_confidence(seed):
    # The reader skips decoding readings whose bound cannot beat the best so far: the
    # bound must hold for any probabilities, sure or not, whatever the decoder repairs.
    from screening.mrz.decode import confidence_bound

    rng = np.random.default_rng(seed)
    for layout in (formats.TD1, formats.TD2, formats.TD3, formats.MRV_A):
        sharpness = rng.uniform(0.5, 8)
        probs = [rng.dirichlet(np.full(len(ALPHABET), 1 / sharpness), size=layout.length) for _ in range(layout.lines)]
        assert confidence_bound(probs, layout) >= decode(probs, layout).confidence


# Code fields against the code tables (issuing state, nationality, document code).

def test_an_unsure_look_alike_in_a_state_code_is_decoded_to_the_known_code_and_reported():
    from screening.mrz.decode import CODE_UNSURE

    probs = confident(TD3)
    unsure(probs, 0, 4, "Q", "O", p_first=0.55)  # issuing state 'UTQ': no such code
    assert 0.55 < CODE_UNSURE
    decoded = decode(probs, formats.TD3)
    assert decoded.lines == tuple(TD3)
    (correction,) = decoded.corrections
    assert (correction.line, correction.position, correction.read, correction.chosen) == (1, 5, "Q", "O")
    assert "UTO" in correction.reason


def test_a_nationality_look_alike_is_decoded_too():
    probs = confident(TD3)
    unsure(probs, 1, 12, "Q", "O", p_first=0.6)
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[1][10:13] == "UTO"
    assert [(c.line, c.position, c.chosen) for c in decoded.corrections] == [(2, 13, "O")]


def test_a_confidently_read_unknown_code_stays_as_printed():
    # 'UTQ' printed clearly is what the document says: a finding for the checks, not a misread.
    lines = [TD3[0].replace("UTO", "UTQ", 1), TD3[1]]
    probs = confident(lines, p=0.97)
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[0][2:5] == "UTQ"
    assert decoded.corrections == ()


def test_an_unsure_character_of_a_known_code_is_not_second_guessed():
    # 'AZE' read with an unsure 'E' (runner-up 'F'): AZE is a code, so nothing changes.
    lines = [TD3[0].replace("UTO", "AZE", 1), TD3[1]]
    probs = confident(lines)
    unsure(probs, 0, 4, "E", "F", p_first=0.5)
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[0][2:5] == "AZE" and decoded.corrections == ()


def test_an_unsure_document_code_becomes_one_of_doc_9303s():
    lines = ["T" + TD3[0][1:], TD3[1]]
    probs = confident(lines)
    unsure(probs, 0, 0, "T", "P", p_first=0.6)
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[0].startswith("P<UTO")
    assert [(c.position, c.read, c.chosen) for c in decoded.corrections] == [(1, "T", "P")]


def test_a_character_read_surely_where_the_layout_allows_none_of_its_kind_is_kept_as_printed():
    from screening.mrz.decode import as_printed

    # An A printed where the expiry date's check digit goes (a malformed MRZ), read at 0.96 with no
    # digit plausible: scored with the best digit, returned as printed, with no correction.
    malformed = [TD3[0], TD3[1][:27] + "A" + TD3[1][28:]]
    probs = confident(malformed, p=0.96)
    decoded = decode(probs, formats.TD3)
    assert decoded.lines[1][27].isdigit()
    assert decoded.as_printed == ((1, 27, "A", pytest.approx(0.96)),)
    lines, confidences, corrections = as_printed(decoded.lines, decoded.confidences, decoded.corrections,
                                                 decoded.as_printed)
    assert lines[1] == malformed[1] and confidences[1][27] == pytest.approx(0.96)
    assert not [c for c in corrections if (c.line, c.position) == (2, 28)]
    # An O for a 0 stays the reader's digit, however sure: another face prints 0 as an O.
    for p_first in (0.93, 0.985):  # the digit plausible, and not (0.015: a DejaVu MRZ on real-dev)
        probs = confident(TD3)
        unsure(probs, 1, 15, "O", "0", p_first=p_first)
        decoded = decode(probs, formats.TD3)
        assert decoded.as_printed == () and decoded.lines[1] == TD3[1]


def test_the_reader_returns_a_malformed_mrz_as_printed(monkeypatch):
    from screening.mrz import read

    malformed = [TD3[0], TD3[1][:27] + "A" + TD3[1][28:]]
    decoded = decode(confident(malformed, p=0.96), formats.TD3)
    reading = read.Reading(decoded.lines, "TD3", decoded.confidence, decoded.weakest, decoded.confidences,
                           decoded.corrections, None, 0, {}, 0.95, decoded.as_printed)
    monkeypatch.setattr(read, "locate", lambda *a, **k: [object()])
    monkeypatch.setattr(read, "_hypotheses", lambda candidate, recognise, to_beat: iter([reading]))
    page = np.full((400, 600), 255, np.uint8)
    assert read.read_page(page).lines[1] == malformed[1]
    assert read.read_page(page, engine="tesseract").lines[1] == decoded.lines[1]  # not for uncalibrated engines
