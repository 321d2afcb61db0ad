"""Print forensics of the MRZ: per line, the character pitch, height, baseline, spacing, ink
and how closely the glyphs match OCR-B.

Sizes in pixels depend on the scan, so the MRZ is first cut out at a fixed resolution
(``zones``), and lines are compared with each other: a pasted or re-printed line differs
from its neighbours. The pitch-to-height ratio is checked against the specification.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from screening import zones
from screening.raster import components
from screening.mrz.segment import ink_map, runs_above
from screening.text import Text

PX_PER_MM = 12.0  # about 305 dpi
OCRB_FONT = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
GLYPH_SIZE = (20, 28)  # width, height of the normalised glyphs compared with OCR-B


@dataclass(frozen=True)
class LineMeasure:
    """One MRZ line's print, in millimetres and degrees."""

    pitch_mm: float
    height_mm: float  # capital height
    baseline_mm: float  # baseline position, from the MRZ centre (down is positive)
    angle_deg: float  # slope of the baseline
    wobble_mm: float  # spread of the characters' bottoms about the fitted baseline
    darkness: float  # mean ink darkness 0..1 (1 = black)
    ocrb_match: float | None  # mean correlation of the glyphs with OCR-B renderings (-1..1)
    glyphs: int  # characters measured


@dataclass(frozen=True)
class PrintMeasure:
    lines: tuple[LineMeasure, ...]


class NotMeasurable(Exception):
    """The print could not be measured (the reason, a screening.text.Text, is the argument)."""


def measure(page: np.ndarray, quarter_turns: int, polygon, lines: tuple[str, ...]) -> PrintMeasure:
    """Measure every MRZ line of ``page``; raises NotMeasurable with a reason."""
    n, length = len(lines), len(lines[0])
    image, points = zones.upright(page, quarter_turns, polygon)
    fr = zones.frame(points, length)
    if fr is None:
        raise NotMeasurable(Text("the MRZ outline is too small to measure"))
    half_w, half_h = fr.width_mm / 2 + 3.0, fr.height_mm / 2 + 2.5
    crop = zones.cut(image, fr, PX_PER_MM, (-half_w, -half_h, half_w, half_h))
    ink = ink_map(crop)
    mask = ink > 0.5
    bands = _bands(mask, n)
    if bands is None:
        raise NotMeasurable(Text("the {count} MRZ lines could not be told apart in the image", count=n))
    out = []
    for index, (top, bottom) in enumerate(bands):
        out.append(_measure_line(crop, ink, mask, top, bottom, lines[index], half_h))
    return PrintMeasure(tuple(out))


def _bands(mask: np.ndarray, n: int) -> list[tuple[int, int]] | None:
    profile = mask.mean(axis=1)
    profile = np.convolve(profile, np.ones(3) / 3, mode="same")
    if profile.max() <= 0:
        return None
    runs = runs_above(profile, 0.12 * np.percentile(profile, 98))
    runs = [r for r in runs if r[1] - r[0] >= 0.8 * PX_PER_MM]
    if len(runs) < n:
        return None
    runs = sorted(sorted(runs, key=lambda r: -profile[r[0]:r[1]].sum())[:n])
    return runs


def _measure_line(grey, ink, mask, top, bottom, text, half_h) -> LineMeasure:
    pad = int(0.25 * (bottom - top))
    y0, y1 = max(0, top - pad), min(mask.shape[0], bottom + pad)
    band = mask[y0:y1].astype(np.uint8)
    count, labels, stats, centroids = components(band)
    boxes = [(x, y + y0, w, h) for (x, y, w, h, area) in stats[1:] if area >= 6 and h >= 0.6 * PX_PER_MM]
    if len(boxes) < 0.5 * len(text):
        raise NotMeasurable(Text("too few characters could be seen on an MRZ line ({seen} of {count})",
                                 seen=len(boxes), count=len(text)))
    # Pitch: every position is printed, so the centres of the characters fall on a grid.
    centres = np.sort(np.array([b[0] + b[2] / 2 for b in boxes], float))
    first, last = centres[0], centres[-1]
    rough = (last - first) / max(len(text) - 1, 1)
    index = np.round((centres - first) / rough)
    keep = np.abs(centres - first - index * rough) < 0.3 * rough
    pitch, offset = np.polyfit(index[keep], centres[keep], 1) if keep.sum() >= 4 else (rough, first)
    # Capitals and digits (not fillers) by their place on the grid; joined glyphs are left out.
    tall = []
    for box in boxes:
        position = int(round((box[0] + box[2] / 2 - offset) / pitch))
        if 0 <= position < len(text) and text[position].isalnum() and box[2] < 0.95 * pitch:
            tall.append(box)
    if len(tall) < 4:
        raise NotMeasurable(Text("too few capital letters or digits on an MRZ line to measure"))
    heights = np.array([b[3] for b in tall], float)
    height = float(np.median(heights))
    tall = [b for b in tall if 0.85 * height <= b[3] <= 1.15 * height]
    # Baseline: the bottoms of the capitals and digits.
    xs = np.array([b[0] + b[2] / 2 for b in tall], float)
    bottoms = np.array([b[1] + b[3] for b in tall], float)
    slope, intercept = np.polyfit(xs, bottoms, 1)
    residual = bottoms - (slope * xs + intercept)
    centre_x = grey.shape[1] / 2
    baseline = (slope * centre_x + intercept) / PX_PER_MM - half_h
    line_ink = ink[y0:y1][band > 0]
    darkness = float(1.0 - np.median(grey[y0:y1][band > 0]) / 255.0) if line_ink.size else 0.0
    match = _ocrb_match(mask, tall, text, pitch, offset)
    return LineMeasure(
        pitch_mm=float(pitch) / PX_PER_MM,
        height_mm=height / PX_PER_MM,
        baseline_mm=float(baseline),
        angle_deg=math.degrees(math.atan(slope)),
        wobble_mm=float(np.std(residual)) / PX_PER_MM,
        darkness=darkness,
        ocrb_match=match,
        glyphs=len(boxes),
    )


def _ocrb_match(mask, tall, text, pitch, offset) -> float | None:
    """Mean correlation of the line's capitals and digits with OCR-B glyphs of the same characters."""
    scores = []
    for x, y, w, h in tall:
        position = int(round((x + w / 2 - offset) / pitch))
        if not 0 <= position < len(text) or not text[position].isalnum():
            continue
        reference = _reference(text[position])
        if reference is None:
            continue
        glyph = cv2.resize(mask[y:y + h, x:x + w].astype(np.float32), GLYPH_SIZE, interpolation=cv2.INTER_AREA)
        a, b = glyph - glyph.mean(), reference - reference.mean()
        denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
        if denominator > 0:
            scores.append(float((a * b).sum()) / denominator)
    return float(np.median(scores)) if len(scores) >= 3 else None


@lru_cache(maxsize=64)
def _reference(char: str) -> np.ndarray | None:
    try:
        from PIL import Image, ImageDraw, ImageFont

        font = ImageFont.truetype(OCRB_FONT, 64)
    except OSError:
        return None
    image = Image.new("L", (96, 96), 0)
    ImageDraw.Draw(image).text((16, 80), char, font=font, fill=255, anchor="ls")
    pixels = np.asarray(image) > 127
    ys, xs = np.nonzero(pixels)
    if len(xs) == 0:
        return None
    glyph = pixels[ys.min():ys.max() + 1, xs.min():xs.max() + 1].astype(np.float32)
    return cv2.resize(glyph, GLYPH_SIZE, interpolation=cv2.INTER_AREA)
