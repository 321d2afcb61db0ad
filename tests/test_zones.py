"""Page geometry (screening.zones): its one home, the frame and the character cells."""

import ast
import io
import tokenize
from pathlib import Path

import numpy as np
import pytest

from screening import zones
from screening.mrz.formats import LAYOUTS

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [ROOT / "screening", ROOT / "kiosk"]
ZONES = Path(zones.__file__).resolve()


def _sources():
    for package in PACKAGES:
        yield from sorted(package.rglob("*.py"))


def _numbers(path: Path):
    """(line, value) of every number written in the file's code (not in its comments or strings)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type == tokenize.NUMBER:
            yield token.start[0], ast.literal_eval(token.string)


def _strings(path: Path):
    """(line, text) of every string constant in the file's code but its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


def test_the_mrz_pitch_is_written_only_in_zones():
    found = [f"{path.relative_to(ROOT)}:{line}" for path in _sources() if path.resolve() != ZONES
             for line, number in _numbers(path) if number == zones.MRZ_PITCH_MM]
    assert found == []
    assert [(line, number) for line, number in _numbers(ZONES) if number == zones.MRZ_PITCH_MM] != []
    # Nor in a message: one that states ICAO's pitch takes it from zones.MRZ_PITCH_MM ("{icao} mm").
    pitch = f"{zones.MRZ_PITCH_MM:.2f}"
    said = [f"{path.relative_to(ROOT)}:{line}" for path in _sources() for line, text in _strings(path)
            if pitch in text or pitch.replace(".", ",") in text]
    assert said == []


def _restated_line_lengths(source: str):
    """Lines where a mapping of MRZ formats to their characters per line is written out (as
    ``formats.LAYOUTS`` already says): {"TD1": 30, "TD3": 44, ...}."""
    lengths = {name: layout.length for name, layout in LAYOUTS.items()}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            pairs = [(k.value, v.value) for k, v in zip(node.keys, node.values)
                     if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)]
            if sum(key in lengths and lengths[key] == value for key, value in pairs) >= 2:
                yield node.lineno


def test_characters_per_line_are_not_restated_outside_the_layouts():
    formats_py = ROOT / "screening" / "mrz" / "formats.py"
    found = [f"{path.relative_to(ROOT)}:{line}" for path in _sources() if path != formats_py
             for line in _restated_line_lengths(path.read_text(encoding="utf-8"))]
    assert found == []
    assert list(_restated_line_lengths('X = 1\nCHARS = {"TD1": 30, "TD2": 36, "TD3": 44}\n')) == [2]


def _outline(origin, along, across, length_px, height_px):
    """A reader's outline: corners clockwise from the top left as read, ``along`` the lines."""
    origin, along, across = (np.asarray(v, np.float64) for v in (origin, along, across))
    return [tuple(origin), tuple(origin + along * length_px), tuple(origin + along * length_px + across * height_px),
            tuple(origin + across * height_px)]


def test_the_portrait_is_placed_from_the_outlines_first_corner():
    # A TD3 outline at 10 px/mm on the outline's own scale (44 whole pitches), axis-aligned.
    scale = 10.0
    polygon = _outline((100, 800), (1, 0), (0, 1), 44 * zones.MRZ_PITCH_MM * scale, 8 * scale)
    left, top, right, bottom = zones.PORTRAIT_MM["TD3"]
    corners = zones.portrait_corners(polygon, "TD3")
    np.testing.assert_allclose(corners, [(100 + left * scale, 800 + top * scale), (100 + right * scale, 800 + top * scale),
                                         (100 + right * scale, 800 + bottom * scale),
                                         (100 + left * scale, 800 + bottom * scale)])
    inset = zones.portrait_corners(polygon, "TD3", inset=0.25)
    assert np.allclose(inset[0], corners[0] + 0.25 * (corners[2] - corners[0]))
    # Upside down, the outline's corners start at the other end: the portrait is found there.
    turned = polygon[2:] + polygon[:2]
    np.testing.assert_allclose(zones.portrait_corners(turned, "TD3"), [(2 * 100 + 44 * zones.MRZ_PITCH_MM * scale - x,
                                                                        2 * 800 + 8 * scale - y) for x, y in corners])
    assert zones.portrait_corners(polygon, "FRA-ID") is None  # no portrait area known for it
    assert zones.portrait_corners(polygon[:3], "TD3") is None


def test_cells_of_an_axis_aligned_outline():
    # A TD3 MRZ at a 10-pixel pitch: characters 7 pixels wide, lines 5 high and 10 apart, so the
    # outline runs 437 pixels from the first character's left edge and 15 down.
    polygon = _outline((50, 200), (1, 0), (0, 1), 437, 15)
    np.testing.assert_allclose(zones.cells(polygon, (2, 44), range(1, 2), range(13, 14)),
                               [(180, 210), (187, 210), (187, 215), (180, 215)])
    np.testing.assert_allclose(zones.cells(polygon, (2, 44), range(0, 1), range(0, 44)),
                               [(50, 200), (487, 200), (487, 205), (50, 205)])
    np.testing.assert_allclose(zones.cells(polygon, (2, 44), range(2), range(44)), polygon)
    # A margin reaches into the gaps around the cell, in pitches.
    np.testing.assert_allclose(zones.cells(polygon, (2, 44), range(1, 2), range(13, 20), (0.1, 0.2)),
                               [(179, 208), (248, 208), (248, 217), (179, 217)])
    # A TD1's three lines.
    card = _outline((0, 0), (1, 0), (0, 1), 297, 25)
    np.testing.assert_allclose(zones.cells(card, (3, 30), range(2, 3), range(29, 30)),
                               [(290, 20), (297, 20), (297, 25), (290, 25)])


def test_cells_agree_with_the_frame():
    # The frame cut from the same outline puts the outline's centre between the middle cells,
    # a pitch apart: both take the outline as (n - 1 + GLYPH_WIDTH) pitches long.
    polygon = _outline((50, 200), (1, 0), (0, 1), 437, 15)
    _, points = zones.upright(np.zeros((400, 600), np.uint8), 0, polygon)
    fr = zones.frame(points, 44)
    assert fr is not None and np.isclose(fr.src_px_per_mm * zones.MRZ_PITCH_MM, 10)
    for position in (0, 21, 43):
        centre = zones.cells(polygon, (2, 44), range(1), range(position, position + 1)).mean(axis=0)
        assert np.isclose(centre[0], fr.centre[0] + (position - 21.5) * 10)


def test_cells_follow_a_rotated_outline():
    # The same outline turned by 30 degrees about a point: every cell turns with it.
    angle = np.radians(30)
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    pivot = np.array([300.0, 300.0])
    straight = _outline((50, 200), (1, 0), (0, 1), 437, 15)
    rotated = [tuple(pivot + turn @ (np.array(p) - pivot)) for p in straight]
    for lines, positions in ((range(1, 2), range(13, 14)), (range(0, 1), range(40, 44)), (range(2), range(44))):
        expected = (zones.cells(straight, (2, 44), lines, positions) - pivot) @ turn.T + pivot
        np.testing.assert_allclose(zones.cells(rotated, (2, 44), lines, positions), expected, atol=1e-9)


@pytest.mark.parametrize("quarter_turns", [0, 1, 2, 3])
def test_cells_land_on_their_characters_on_a_turned_page(quarter_turns):
    # The reader's outline of a page scanned turned: the cell of each character, taken back to
    # the upright page, sits on that character's print.
    from PIL import ImageFont

    from pages import OCRB, TD3_ERIKSSON, mrz_page
    from screening.mrz.read import read_page

    dpi = 200
    px = lambda mm: int(round(mm / 25.4 * dpi))  # noqa: E731  (as pages.mrz_page places the print)
    page = mrz_page(TD3_ERIKSSON, dpi=dpi)
    turned = np.ascontiguousarray(np.rot90(page, quarter_turns))
    reading = read_page(turned)
    assert reading is not None and list(reading.lines) == TD3_ERIKSSON
    font = ImageFont.truetype(OCRB, px(3.4))
    for line in (0, 1):
        for position in (0, 7, 22, 43):
            corners = zones.cells(reading.polygon, (2, 44), range(line, line + 1), range(position, position + 1))
            _, upright_corners = zones.upright(turned, reading.quarter_turns, corners)
            x, y = upright_corners.mean(axis=0)
            left, top, right, bottom = font.getbbox(TD3_ERIKSSON[line][position])
            glyph_x = px(6) + position * px(2.54) + (left + right) / 2
            glyph_y = px(88 - 5) - (2 - line) * px(4.2) + (top + bottom) / 2
            assert abs(x - glyph_x) < 0.25 * px(2.54) and abs(y - glyph_y) < 0.25 * px(4.2), (line, position)


def test_the_visual_zone_is_everything_above_the_mrz_up_to_the_edge():
    # A TD3 outline 10 px per mm (43.7 pitches long), its centre 80 mm below the image's top.
    scale = 10.0
    length, height = 43.7 * zones.MRZ_PITCH_MM * scale, 7.5 * scale
    polygon = _outline((60, 800 - height / 2), (1, 0), (0, 1), length, height)
    _, points = zones.upright(np.zeros((1000, 1300), np.uint8), 0, polygon)
    fr = zones.frame(points, 44)
    left, top, right, bottom = zones.above_mrz(fr)
    assert np.isclose(top, -(80 + zones.VIZ_PAST_EDGE_MM)) and np.isclose(bottom, -3.75 - zones.VIZ_GAP_MM)
    assert np.isclose(right - left, 43.7 * zones.MRZ_PITCH_MM + 2 * zones.VIZ_SIDE_MM)
    # Far down a tall image, the zone stops VIZ_REACH_MM above the MRZ; at the top edge there is none.
    far = zones.frame(points + [0, 3000], 44)
    assert np.isclose(zones.above_mrz(far)[1], -zones.VIZ_REACH_MM)
    assert zones.above_mrz(zones.frame(points - [0, 795], 44)) is None


def test_a_td1_front_is_looked_for_beside_its_back_not_over_it():
    card_w, card_h = zones.TD1_CARD_MM
    (left_x0, top, left_x1, bottom), (right_x0, _, right_x1, _) = zones.TD1_FRONTS_BESIDE_MM
    assert left_x1 < -card_w / 2 and right_x0 > card_w / 2  # clear of the back itself
    assert right_x1 - right_x0 >= card_w + zones.TD1_SIDE_GAP_MM and bottom - top >= card_h


def test_the_portrait_on_the_right_is_doc9303s_place_mirrored_across_the_middle_of_the_mrz():
    import pytest

    from screening.zones import portrait_corners

    polygon = [(100.0, 800.0), (1222.0, 800.0), (1222.0, 860.0), (100.0, 860.0)]  # a level TD3 outline
    left = portrait_corners(polygon, "TD3")
    right = portrait_corners(polygon, "TD3", side="right")
    middle = (100.0 + 1222.0) / 2
    assert left[:, 0].max() < middle < right[:, 0].min()
    assert sorted(2 * middle - right[:, 0]) == pytest.approx(sorted(left[:, 0]))
    assert right[:, 1] == pytest.approx(left[:, 1])
    with pytest.raises(ValueError):
        portrait_corners(polygon, "TD3", side="top")
