"""Page geometry (screening.zones): its one home, the frame and the character cells."""

import ast
import io
import tokenize
from pathlib import Path

import numpy as np

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


def test_the_mrz_pitch_is_written_only_in_zones():
    # Messages may say "ICAO: 2.54 mm" (strings are not numbers here); code takes zones.MRZ_PITCH_MM.
    found = [f"{path.relative_to(ROOT)}:{line}" for path in _sources() if path.resolve() != ZONES
             for line, number in _numbers(path) if number == zones.MRZ_PITCH_MM]
    assert found == []
    assert [(line, number) for line, number in _numbers(ZONES) if number == zones.MRZ_PITCH_MM] != []


def _restated_line_lengths(source: str):
    """Lines where a mapping of MRZ formats to their characters per line is written out (as
    ``formats.LAYOUTS`` already says): {"TD1": 30, "TD3": 44, ...}."""
    lengths = {name: layout.length for name, layout in LAYOUTS.items()}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Dict):
            pairs = [(k.value, v.value) for k, v in zip(node.keys, node.values)
                     if isinstance(k, ast.Constant) and isinstance(v, ast.Constant)]
            if sum(lengths.get(key) == value for key, value in pairs) >= 2:
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
