"""Page image -> MRZ lines: locate, cut into characters, recognise, decode.

Every hypothesis the image leaves open — which candidate region, which way up, 36 or
44 characters a line — is recognised, and the one whose characters are read most
surely and whose check digits hold wins. The result says which.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from screening.mrz import formats
from screening.mrz.decode import Correction, Decoded, _holds, decode
from screening.mrz.locate import MRZCandidate, locate
from screening.mrz.parse import _two_by_36
from screening.mrz.recognize import ALPHABET, probabilities
from screening.mrz.segment import ink_map, split_cells, text_extent, text_rows

# OCR-B in an MRZ: 10 characters per inch, about 1.05 x the characters' height.
PITCH_PER_HEIGHT = 0.95


@dataclass(frozen=True)
class Reading:
    lines: tuple[str, ...]
    layout: str
    confidence: float
    weakest: float
    char_confidences: tuple[tuple[float, ...], ...]
    corrections: tuple[Correction, ...]
    polygon: tuple[tuple[float, float], ...]
    upside_down: bool
    timings_ms: dict
    score: float


# A reading this sure (mean confidence, discounted per failing check digit) ends the search.
SURE = 0.93
# Below this, what was found is not taken for an MRZ at all.
MINIMUM = 0.55


def read_page(page: np.ndarray) -> Reading | None:
    """The best MRZ reading of a grey page, or None when no MRZ can be found."""
    started = time.perf_counter()
    timings = {"locate": 0.0, "read": 0.0}
    best: Reading | None = None
    for turns in (0, 1):
        t0 = time.perf_counter()
        candidates = locate(page, turns)
        timings["locate"] += (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        for candidate in candidates:
            for reading in _hypotheses(candidate):
                if best is None or reading.score > best.score:
                    best = reading
                if best.score >= SURE:
                    break
            if best is not None and best.score >= SURE:
                break
        timings["read"] += (time.perf_counter() - t0) * 1000
        if best is not None and best.score >= SURE:
            break
    if best is None or best.score < MINIMUM:
        return None
    timings["total"] = (time.perf_counter() - started) * 1000
    return Reading(best.lines, best.layout, best.confidence, best.weakest, best.char_confidences, best.corrections,
                   best.polygon, best.upside_down, timings, best.score)


def _hypotheses(candidate: MRZCandidate):
    """Readings of a candidate, the likeliest first: upright before upside down, and the
    line length that fits the strip's proportions before the other."""
    strips = candidate.strips
    lengths = (30,) if len(strips) == 3 else tuple(sorted((44, 36), key=lambda n: abs(n - _estimate_length(strips[0]))))
    for upside_down in (False, True):
        turned = tuple(np.rot90(s, 2) for s in reversed(strips)) if upside_down else strips
        for length in lengths:
            yield _read_strips(turned, length, candidate, upside_down)


def _estimate_length(strip: np.ndarray) -> float:
    ink = ink_map(strip)
    top, bottom = text_rows(ink)
    left, right = text_extent(ink[top:bottom].mean(axis=0), bottom - top)
    return (right - left) / max(PITCH_PER_HEIGHT * (bottom - top), 1.0)


def _read_strips(strips, length: int, candidate: MRZCandidate, upside_down: bool) -> Reading:
    cells = [split_cells(strip, length) for strip in strips]
    patches = np.concatenate([c.patches for c in cells])
    probs = probabilities(patches).reshape(len(strips), length, -1)
    guess = ["".join(ALPHABET[i] for i in p.argmax(axis=1)) for p in probs]
    layout = _layout_for(guess, length)
    decoded = decode(list(probs), layout)
    return Reading(decoded.lines, layout.name, decoded.confidence, decoded.weakest, decoded.confidences,
                   decoded.corrections, candidate.polygon, upside_down, {}, _score(decoded, layout))


def _layout_for(lines: list[str], length: int):
    if length == 30:
        return formats.TD1
    if length == 44:
        return formats.MRV_A if lines[0].startswith("V") else formats.TD3
    return _two_by_36(lines)


def _score(decoded: Decoded, layout) -> float:
    """Mean character confidence, discounted for every check digit that fails."""
    chars = [list(line) for line in decoded.lines]
    failing = sum(not _holds(spec, chars, layout) for spec in layout.check_digits)
    return decoded.confidence * (0.85 ** failing)
