"""A second, closer look at unsure letters that no check digit protects (names, codes)."""

import numpy as np
import pytest

from screening.mrz import formats
from screening.mrz.locate import locate
from screening.mrz.read import SECOND_LOOK_BELOW, _align, _recognise_ocrb, second_look
from screening.mrz.recognize import ALPHABET

from pages import mrz_page

LINES = ["P<UTODUPONT<<CHRISTOPHE<<<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122M1204159ZE184226B<<<<<14"]


@pytest.fixture(scope="module")
def recognised():
    candidate = locate(mrz_page(LINES, dpi=200))[0]
    cells = _recognise_ocrb(candidate.strips, 44)
    offsets = _align(cells, 44)
    return cells, offsets


def _doubt(probs, line, position, read, truth, p_read=0.5):
    """The recogniser's output at one position made unsure: ``read`` first, ``truth`` second."""
    out = [p.copy() for p in probs]
    row = np.full(len(ALPHABET), 1e-4, np.float32)
    row[ALPHABET.index(read)] = p_read
    row[ALPHABET.index(truth)] = 1 - p_read - 0.1
    out[line][position] = row / row.sum()
    return out


def test_an_unsure_name_letter_is_read_again_and_the_change_reported(recognised):
    cells, offsets = recognised
    probs = [r.probs[o:o + 44] for r, o in zip(cells, offsets)]
    assert "".join(ALPHABET[i] for i in probs[0].argmax(1)) == LINES[0]
    position = LINES[0].index("CHRISTOPHE") + 9  # its last E, as if read 'F' (CHRISTOPHF)
    doubted = _doubt(probs, 0, position, "F", "E")
    assert doubted[0][position].max() < SECOND_LOOK_BELOW
    looked, corrections = second_look(cells, offsets, doubted, formats.TD3)
    assert ALPHABET[int(looked[0][position].argmax())] == "E"
    (correction,) = corrections
    assert (correction.line, correction.position, correction.read, correction.chosen) == (1, position + 1, "F", "E")


def test_sure_letters_and_check_digit_fields_are_not_looked_at_again(recognised):
    cells, offsets = recognised
    probs = [r.probs[o:o + 44] for r, o in zip(cells, offsets)]
    # The document number has its check digit: the decoder's repair settles it, not a second look.
    doubted = _doubt(probs, 1, 2, "B", "8")
    looked, corrections = second_look(cells, offsets, doubted, formats.TD3)
    assert corrections == ()
    assert all(np.array_equal(a, b) for a, b in zip(looked, doubted))
