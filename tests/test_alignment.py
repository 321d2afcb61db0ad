"""Where each MRZ line starts and ends: ink beside a line (a mark, text, a card's edge) must
not add or drop a character, and every alignment the reader may choose keeps the line's length."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from screening.mrz import formats
from screening.mrz.read import EXTRA_CELLS, LineCells, _align, read_page
from screening.mrz.recognize import ALPHABET
from screening.mrz.segment import Cells, analyse_line

from pages import DEJAVU, mrz_page, with_guilloche, with_stamp

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"]
DPI = 200


def px(mm):
    return int(round(mm / 25.4 * DPI))


def with_ink_beside(lines, kind, gap_mm, which):
    """``mrz_page`` with ink left of the MRZ lines numbered in ``which`` (0 = the first line):
    a short bar, a letter 'T' in another face, or a card's dark edge, ``gap_mm`` before the line."""
    page = Image.fromarray(mrz_page(lines, dpi=DPI))
    draw = ImageDraw.Draw(page)
    bottom = px(88 - 5)
    for index in which:
        y = bottom - (len(lines) - index) * px(4.2)
        x = px(6) - px(gap_mm)
        if kind == "bar":
            draw.rectangle([x - 3, y + 5, x, y + px(3.0)], fill=30)
        elif kind == "text":
            draw.text((x - px(2.0), y), "T", fill=20, font=ImageFont.truetype(DEJAVU, px(3.4)))
        else:  # the card's edge: everything left of x is the darker table under the card
            draw.rectangle([0, 0, x, page.size[1]], fill=60)
    return np.asarray(page).copy()


@pytest.mark.parametrize("kind", ["bar", "text", "edge"])
@pytest.mark.parametrize("gap_mm", [0.8, 1.5])
@pytest.mark.parametrize("which", [(0,), (1,), (0, 1)])
def test_ink_left_of_a_passport_mrz_is_no_character(kind, gap_mm, which):
    # Before the alignment, a 'T' 0.8-1.5 mm before a line was read as its first character:
    # 'TP<UTO...' and a second line one position off, every check digit failing.
    reading = read_page(with_ink_beside(TD3, kind, gap_mm, which))
    assert reading is not None and list(reading.lines) == TD3


@pytest.mark.parametrize("which", [(0,), (2,), (0, 1, 2)])
def test_ink_left_of_an_id_card_mrz_is_no_character(which):
    # The third line of a TD1 has no check digit: its start is taken from the other lines'.
    reading = read_page(with_ink_beside(TD1, "text", 1.0, which))
    assert reading is not None and list(reading.lines) == TD1


def _line_cells(rng, length, strip_width=600):
    """A strip's cells with made-up recogniser output (the alignment's inputs, nothing more)."""
    count = length + 2 * EXTRA_CELLS
    strip = np.full((40, strip_width), 230, np.uint8)
    strip[12:28, 30:strip_width - 30] = rng.integers(0, 230, (16, strip_width - 60), dtype=np.uint8)
    line = analyse_line(strip)
    pitch = (strip_width - 60) / length
    bounds = 30 + pitch * (np.arange(count + 1) - EXTRA_CELLS)
    ink = rng.uniform(0.0, 0.4, count).astype(np.float32)
    probs = rng.dirichlet(np.full(len(ALPHABET), 0.3), count).astype(np.float32)
    cells = Cells(np.zeros((count, 32, 24), np.float32), pitch, 30.0, ink, bounds, (8, 32))
    return LineCells(probs, cells, line)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from([(2, 44), (2, 36), (3, 30)]), st.integers(0, 2**32 - 1))
def test_every_alignment_choice_keeps_the_line_length(shape, seed):
    lines, length = shape
    rng = np.random.default_rng(seed)
    recognised = tuple(_line_cells(rng, length) for _ in range(lines))
    offsets = _align(recognised, length)
    assert len(offsets) == lines
    for r, offset in zip(recognised, offsets):
        assert 0 <= offset <= 2 * EXTRA_CELLS
        assert r.probs[offset:offset + length].shape == (length, len(ALPHABET))


def test_a_clean_line_keeps_its_own_extent():
    # Confident, well-formed lines in the centred window: the alignment leaves them there.
    rng = np.random.default_rng(1)
    recognised = []
    for text in TD3:
        r = _line_cells(rng, 44)
        probs = np.full((44 + 2 * EXTRA_CELLS, len(ALPHABET)), 1e-4, np.float32)
        padded = "<<" + text + "<<"
        for i, char in enumerate(padded):
            probs[i, ALPHABET.index(char)] = 1.0
        ink = np.full(44 + 2 * EXTRA_CELLS, 0.3, np.float32)
        ink[:EXTRA_CELLS] = ink[-EXTRA_CELLS:] = 0.0  # nothing printed beyond the line
        recognised.append(LineCells(probs / probs.sum(1, keepdims=True),
                                    Cells(r.cells.patches, r.cells.pitch, 30.0, ink, r.cells.bounds, (8, 32)), r.line))
    assert _align(tuple(recognised), 44) == (EXTRA_CELLS, EXTRA_CELLS)
    assert formats.TD3.length == 44


# Lines under stamps and over busy backgrounds.

def _mrz_top(lines):
    return px(88 - 5) - len(lines) * px(4.2)


@pytest.mark.parametrize("where, angle", [("start", 8), ("middle", -6), ("end", 12)])
def test_a_stamp_over_the_mrz_does_not_hide_it(where, angle):
    # The stamp's frame crosses both lines and joins them into one blob for the line search;
    # before the search on the darkest print only, no MRZ was found under such stamps.
    page = mrz_page(TD1, dpi=DPI)
    left, right = px(6), px(6) + 30 * px(2.54)
    x = {"start": left + px(10), "middle": (left + right) / 2, "end": right - px(10)}[where]
    reading = read_page(with_stamp(page, (x, _mrz_top(TD1) + px(5)), (px(36), px(14)), angle))
    assert reading is not None and [len(line) for line in reading.lines] == [30, 30, 30]
    # Found, and no line shifted: every line agrees with the print in place, but for a
    # character or two under the stamp's frame (a T read as I, a filler as K).
    for got, want in zip(reading.lines, TD1):
        assert sum(a != b for a, b in zip(got, want)) <= 2
    if where == "start":
        assert list(reading.lines) == TD1


@pytest.mark.parametrize("period, depth", [(7.0, 50), (11.0, 80)])
def test_a_guilloche_behind_the_mrz(period, depth):
    reading = read_page(with_guilloche(mrz_page(TD3, dpi=DPI), period, depth))
    assert reading is not None and list(reading.lines) == TD3
