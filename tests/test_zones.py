"""Page geometry (screening.zones): its one home, the frame and the character cells."""

import ast
import io
import tokenize
from pathlib import Path

from screening import zones

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
