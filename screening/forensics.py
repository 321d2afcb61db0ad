"""Print forensics of the MRZ: per line, the character pitch, height, baseline, spacing, ink
and how closely the glyphs match OCR-B, each with the standard error its own characters give.

Sizes in pixels depend on the scan, so the MRZ is cut out at a fixed resolution (``zones``)
and then rectified: a photo taken at an angle makes the lines converge (their baselines are
no longer parallel) and the characters shrink towards the far end. That perspective is
measured from the MRZ's own characters (how their height changes along the lines, the same
on every line of one page) and removed by a homography before anything is compared. Lines
are then compared with each other: a pasted or re-printed line differs from its neighbours
by more than the scatter of the page's own characters allows.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace
from functools import lru_cache

import cv2
import numpy as np

from screening import zones
from screening.fonts import FontMissing, font_path
from screening.raster import byte_percentile, components
from screening.mrz.segment import ink_map, runs_above
from screening.text import Text

PX_PER_MM = 12.0  # about 305 dpi
GLYPH_SIZE = (20, 28)  # width, height of the normalised glyphs compared with OCR-B
# A page is rectified until the perspective left is below this (scale change from one end of
# the MRZ to the other); two passes reach it on every capture of benchmarks/fraud.py.
RECTIFIED = 0.005
MAX_PASSES = 4
# Box heights and bottoms are whole pixels of the cut: their rounding alone scatters them by
# 1/sqrt(12) px, a floor under every measured spread.
ROUNDING_PX = 1 / math.sqrt(12)
# OCR-B's glyphs are not all one height: round letters overshoot flat ones by 2-5 %, and in the
# font we render with (OCRB.otf, shipped in screening/data/fonts: a reconstruction) the digits
# stand 10 % taller than the capitals (at 200 px: 154-159 against 140-147), which printers'
# OCR-B need not share. Each character is measured against its own glyph's proportions
# (``_glyph_extent``); how much taller a printer's digits are than its capitals is left to each
# page's own characters (a digit offset fitted with them), the font's ratio only a faint prior
# (PRIOR_WEIGHT: a fifth of one character) so that a page whose lines cannot tell it (no line
# with both letters and digits) gets a height comparison with the wide error it has.
DIGIT_OFFSET = 0.0
PRIOR_WEIGHT = 0.2
# A camera held at an angle shears the print as well as it makes it converge: rectification (the
# lines' direction, their scale along them) leaves that shear, which sets each line sideways by the
# shear times its distance from the MRZ's middle (genuine hand-held photos of the tuning families
# measured lines 0.25-0.5 mm apart so). OCR-B's capitals and digits stand upright, so each glyph's
# slant (its ink's second moments, x per y) less the font's own glyph's is the capture's shear: the
# median over the MRZ's glyphs (``unsheared``). Only where the glyphs agree on it: their spread
# (1.4826 x the median absolute deviation, x per y) was 0.012-0.043 on every genuine capture
# measurable in `tools/calibrate_print.py --per-condition 40 --seed 51` (phone, handheld_tilt,
# webcam_640, shadow_glare, motion_blur, scan300, skew) except motion blur, which smears the glyphs
# along its own direction (0.053-0.091 on 4 of 32). With the shear taken out there, the largest
# sideways difference between the lines of a genuine photo with perspective beyond 2 % was
# 0.094 mm (0.50 before; 79 photos).
SLANT_SPREAD = 0.05
# The glyphs are measured against OCRB.otf, a reconstruction: a printer's OCR-B may lean apart from
# it, which reads as shear. Allowed for as an error of the shear (x per y), one standard error:
# 1.1 degrees, which a glyph's lean would show to the eye.
FONT_SLANT = 0.02


@dataclass(frozen=True)
class LineMeasure:
    """One MRZ line's print, in millimetres and degrees, measured in the rectified frame, with
    the standard errors the scatter of its own characters gives."""

    pitch_mm: float
    height_mm: float  # capital height (letters and digits only)
    baseline_mm: float  # baseline position, from the MRZ centre (down is positive)
    angle_deg: float  # slope of the baseline
    wobble_mm: float  # spread of the characters' bottoms about the fitted baseline
    darkness: float  # mean ink darkness 0..1 (1 = black)
    ocrb_match: float | None  # median correlation of the glyphs with OCR-B renderings (-1..1)
    glyphs: int  # characters measured
    pitch_se_mm: float = 0.0
    height_se_mm: float = 0.0
    baseline_se_mm: float = 0.0
    angle_se_deg: float = 0.0
    ocrb_se: float = 0.0
    centre_mm: float = 0.0  # the line's middle cell along the lines, from the MRZ centre (a line set off sideways)
    centre_se_mm: float = 0.0
    # The line's first cell along the lines, from the MRZ centre: a printer starts every line at one
    # margin whatever its pitch, so a line re-printed apart starts elsewhere. Infinite error: not known.
    start_mm: float = 0.0
    start_se_mm: float = math.inf
    # The baseline's slope over the line's left and right halves alone, degrees (every character on
    # the grid, fillers too, each against its glyph's own bottom); nan where a half holds too few.
    half_angles_deg: tuple[float, float] = (math.nan, math.nan)


@dataclass(frozen=True)
class Capture:
    """How well the image shows the print: what decides whether a difference can be claimed."""

    char_px: float  # capital height in the image's own pixels, before any resampling
    edge_px: float  # width of an ink edge (contrast over its steepest gradient), in the image's own pixels
    perspective: float  # scale change from one end of the MRZ to the other that rectification removed
    scatter: float  # the largest spread of a line's characters' bottoms about its baseline, in character heights
    # The capture's shear as the glyphs show it (x per y), its standard error, and how much the
    # glyphs' own slants spread about it (SLANT_SPREAD; ``unsheared``).
    slant: float = 0.0
    slant_se: float = math.inf
    slant_spread: float = math.inf

    @property
    def unsheared(self) -> bool:
        """Do the glyphs agree on the capture's shear (SLANT_SPREAD), so that it can be taken out?"""
        return self.slant_spread <= SLANT_SPREAD


@dataclass(frozen=True)
class PrintMeasure:
    lines: tuple[LineMeasure, ...]
    capture: Capture | None = None


class NotMeasurable(Exception):
    """The print could not be measured (the reason, a screening.text.Text, is the argument)."""


@dataclass(frozen=True)
class _Characters:
    """One line's characters found in a cut: every box on the grid, and the capitals and digits."""

    top: int  # rows of the band the boxes were looked for in
    bottom: int
    boxes: tuple[tuple[int, int, int, int], ...]  # x, y, w, h of every component on the line
    pitch: float
    offset: float
    pitch_se: float
    centre: float  # the middle cell's position, pixels of the cut
    centre_se: float
    start_se: float  # of the first cell's position (``offset``); infinite when the grid is not anchored
    tall: tuple[tuple[int, int, int, int], ...]  # capitals and digits, not joined, of the common height


def measure(page: np.ndarray, quarter_turns: int, polygon, lines: tuple[str, ...]) -> PrintMeasure:
    """Measure every MRZ line of ``page`` in the MRZ's rectified frame; raises NotMeasurable with a reason."""
    n, length = len(lines), len(lines[0])
    image, points = zones.upright(page, quarter_turns, polygon)
    fr = zones.frame(points, length)
    if fr is None:
        raise NotMeasurable(Text("the MRZ outline is too small to measure"))
    half_w, half_h = fr.width_mm / 2 + 3.0, fr.height_mm / 2 + 2.5
    affine, size = zones.cut_matrix(fr, PX_PER_MM, (-half_w, -half_h, half_w, half_h))
    source, to_source = _source(image, PX_PER_MM / fr.src_px_per_mm)
    base = np.vstack([affine, [0, 0, 1]]) @ to_source
    rectify = np.eye(3)
    removed = 0.0  # perspective removed, as the scale change along the MRZ
    for attempt in range(MAX_PASSES):
        crop = cv2.warpPerspective(source, rectify @ base, size, flags=cv2.INTER_LINEAR,
                                   borderMode=cv2.BORDER_REPLICATE)
        ink = ink_map(crop)
        bands = _bands(ink > 0.5, n)
        if bands is None:
            raise NotMeasurable(Text("the {count} MRZ lines could not be told apart in the image", count=n))
        mask = _levelled(ink, bands) > 0.5
        found = [_characters(mask, top, bottom, lines[i]) for i, (top, bottom) in enumerate(bands)]
        heights = _heights(found, lines, size[0] / 2)
        # The heights find a strong perspective at once (their boxes need no grid); the pitch then
        # refines it (uneven light biases the heights, never the centres).
        gradient = heights.gradient if attempt == 0 else _pitch_gradient(found)
        span = fr.width_mm * PX_PER_MM
        if abs(gradient) * span < RECTIFIED or attempt == MAX_PASSES - 1:
            break
        removed += gradient * span
        rectify = _flattening(gradient, size, span / 2) @ rectify
    out = tuple(_measure_line(crop, mask, chars, lines[i], half_h, heights.levels[i], heights.level_se[i])
                for i, chars in enumerate(found))
    slant, slant_se, spread = _slant(mask, found, lines)
    capture = Capture(
        char_px=float(np.median([m.height_mm for m in out])) * fr.src_px_per_mm,
        edge_px=_edge_width(crop, bands) / PX_PER_MM * fr.src_px_per_mm,
        perspective=abs(removed),
        scatter=float(max(m.wobble_mm / m.height_mm for m in out)),
        slant=slant, slant_se=slant_se, slant_spread=spread,
    )
    return PrintMeasure(out, capture)


def _slant(mask: np.ndarray, found: list[_Characters], texts: tuple[str, ...]) -> tuple[float, float, float]:
    """The capture's shear in the cut (x per y, SLANT_SPREAD), its standard error and the spread of
    the glyphs' slants about it; (0, inf, inf) with too few glyphs to tell."""
    slants = []
    for chars, text in zip(found, texts):
        for x, y, w, h in chars.tall:
            char = _char_at(text, (x, y, w, h), chars)
            own = _glyph_slant(char) if char.isalnum() else None
            moments = cv2.moments(mask[y:y + h, x:x + w].astype(np.uint8), binaryImage=True)
            if own is not None and moments["mu02"] > 0:
                slants.append(moments["mu11"] / moments["mu02"] - own)
    if len(slants) < MIN_SLANTS:
        return 0.0, math.inf, math.inf
    values = np.array(slants)
    median = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - median)))
    return median, 1.2533 * spread / math.sqrt(len(values)), spread


MIN_SLANTS = 8  # glyphs: fewer say too little of the shear


def unsheared(measure: PrintMeasure) -> tuple[LineMeasure, ...]:
    """The lines with the capture's shear taken out of their sideways places (start and middle): a
    shear moves a line by the slant times its height above or below the MRZ's middle (its
    baseline). Their errors grow by the slant's, and by FONT_SLANT: a printer's OCR-B may lean
    apart from the font the glyphs are measured against. Only where ``measure.capture.unsheared``."""
    capture = measure.capture
    if capture is None or not capture.unsheared:
        return measure.lines
    error = math.hypot(capture.slant_se, FONT_SLANT)
    out = []
    for line in measure.lines:
        moved, moved_se = capture.slant * line.baseline_mm, error * abs(line.baseline_mm)
        out.append(replace(line, start_mm=line.start_mm - moved, start_se_mm=math.hypot(line.start_se_mm, moved_se),
                           centre_mm=line.centre_mm - moved, centre_se_mm=math.hypot(line.centre_se_mm, moved_se)))
    return tuple(out)


def _source(image: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """The upright page, averaged down first where the cut shrinks it a lot (a perspective warp
    only interpolates, which would alias a 600 dpi scan), and the map from the page to it."""
    if scale >= 0.7:
        return image, np.eye(3)
    factor = scale / 0.8
    small = cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    # cv2.resize maps pixel centres: x' = (x + 0.5) * factor - 0.5
    return small, np.array([[factor, 0, 0.5 * factor - 0.5], [0, factor, 0.5 * factor - 0.5], [0, 0, 1]])


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


# A line's own ink level: this percentile of its inked pixels' darkness (the glyphs' cores; the
# pixels above INKED, not the paper).
LEVEL_PERCENTILE = 90
INKED = 0.5


def _levelled(ink: np.ndarray, bands: list[tuple[int, int]]) -> np.ndarray:
    """The ink map with each line's rows scaled to the same ink level (the darkest line's).

    Glyph boxes are cut where the ink passes half its full level: on a line printed lighter or darker
    than the others (a re-printed line in other ink, one under a shadow) a blurred edge passes that
    level further in or out, and its characters measure shorter or taller: lines re-printed at their
    own pitch in 80-120 % ink measured up to 4-8 % off in height (tools/diagnose_recall.py's set,
    seed 31; 0.2-2 % cut at their own level), which looks like the height change of a keystone and
    hid their pitch difference; a synthetic line at 80 % ink blurred over 2 px, 3 % (tests). Cut at half each line's own level, a line's size does not depend on its
    ink. Lines are scaled up to the darkest, never down: a line's faint strokes at the edge of the
    cut (thin blurred tops) stay as they were measured. Each line's rows reach half-way to the next
    line's."""
    levels = []
    for top, bottom in bands:
        values = ink[top:bottom]
        values = values[values > INKED]
        levels.append(float(np.percentile(values, LEVEL_PERCENTILE)) if values.size else 1.0)
    common = max(levels)
    out = ink.copy()
    edges = [0] + [(bands[i][1] + bands[i + 1][0]) // 2 for i in range(len(bands) - 1)] + [ink.shape[0]]
    for i, level in enumerate(levels):
        if level > 0:
            out[edges[i]:edges[i + 1]] *= common / level
    return out


def _characters(mask: np.ndarray, top: int, bottom: int, text: str) -> _Characters:
    pad = int(0.25 * (bottom - top))
    y0, y1 = max(0, top - pad), min(mask.shape[0], bottom + pad)
    band = mask[y0:y1].astype(np.uint8)
    count, labels, stats, centroids = components(band)
    boxes = [(int(x), int(y) + y0, int(w), int(h)) for (x, y, w, h, area) in stats[1:]
             if area >= 6 and h >= 0.6 * PX_PER_MM]
    if len(boxes) < 0.5 * len(text):
        raise NotMeasurable(Text("too few characters could be seen on an MRZ line ({seen} of {count})",
                                 seen=len(boxes), count=len(text)))
    # Pitch from the whole grid: every position is printed (fillers too), each character centred
    # in its cell, so the centres of all of them fall on one grid.
    boxes = _on_the_line(boxes, len(text))
    centres = np.sort(np.array([b[0] + b[2] / 2 for b in boxes], float))
    first, last = centres[0], centres[-1]
    rough = (last - first) / max(len(text) - 1, 1)
    # The span over every cell says the pitch only when both ends were seen: glare or a shadow over
    # a line's last fillers (a photo of the trust set: 34 of 36 boxes) made it 6 % short, and the
    # grid stretched to fit, a genuine line "at another pitch". Where cells went unseen (two or more
    # boxes fewer than characters), neighbours sit one cell apart (STEADY_SHARE of them within 15 %
    # of their median spacing: glyphs joined into one box space unevenly) and their spacing (the
    # mean of those steps: whole pixels, a median is off by half of one) says the span holds fewer
    # cells than the line, it is the pitch.
    if 4 <= len(centres) <= len(text) - 2:
        steps = np.diff(centres)
        near = np.abs(steps / max(float(np.median(steps)), 1e-9) - 1) < 0.15
        spacing = float(steps[near].mean()) if near.any() else 0.0
        if near.mean() >= STEADY_SHARE and (last - first) / spacing < len(text) - 1.5:
            rough = spacing
    index = np.round((centres - first) / rough)
    keep = np.abs(centres - first - index * rough) < 0.3 * rough
    middle = (len(text) - 1) / 2
    if keep.sum() >= 4 and len(np.unique(index[keep])) >= 3:
        (pitch, offset), pitch_se = _line_fit(index[keep], centres[keep])
        spread = pitch_se * math.sqrt(max(float(((index[keep] - index[keep].mean()) ** 2).sum()), 1e-9))
        centre_se = math.hypot(spread / math.sqrt(keep.sum()), pitch_se * abs(middle - index[keep].mean()))
        start_se = math.hypot(spread / math.sqrt(keep.sum()), pitch_se * abs(index[keep].mean()))
    else:
        pitch, offset, pitch_se, centre_se, start_se = rough, first, rough, rough, rough
    # The first box is the line's first cell only when the boxes span every cell, at the grid's own
    # pitch: a first or last character not seen (faded, joined to a card's edge) moves the grid by a
    # cell, so the line's start is then not known (its pitch and height still are).
    anchored = (int(index[keep].max()) == len(text) - 1 and abs(pitch / rough - 1) < 0.5 / max(len(text) - 1, 1))
    if not anchored:
        start_se = math.inf
    # A line's height from its capitals and digits only (a '<' is lower), found by their place on
    # the grid; glyphs joined to a neighbour (as wide as a cell) are left out.
    tall = []
    for box in boxes:
        position = _cell(box, pitch, offset)
        if 0 <= position < len(text) and text[position].isalnum() and box[2] < 0.95 * pitch:
            tall.append(box)
    if len(tall) < 4:
        raise NotMeasurable(Text("too few capital letters or digits on an MRZ line to measure"))
    height = float(np.median([b[3] for b in tall]))
    tall = [b for b in tall if 0.85 * height <= b[3] <= 1.15 * height]
    if len(tall) < 4:
        raise NotMeasurable(Text("too few capital letters or digits on an MRZ line to measure"))
    return _Characters(top, bottom, tuple(boxes), float(pitch), float(offset), float(pitch_se),
                       float(offset + pitch * middle), float(centre_se), float(start_se), tuple(tall))


# Measured on the genuine lines of `tools/calibrate_print.py --per-condition 40 --seed 51`: of 29
# lines with two or more cells unseen, the share of steps within 15 % of the median was 0.95 at the
# median and 0.77 at the 5th percentile. An MRZ printed 1.5 times too large (glyphs touching,
# tests/test_forensics.py) measured 0.45-0.84, and its span still holds every cell: left as it was.
STEADY_SHARE = 0.8


def _on_the_line(boxes: list, length: int) -> list:
    """The boxes without marks beyond the line's ends (a card's edge, a shadow, a stamp's rim
    next to the last character): while the boxes span more cells than the line has characters,
    the end box farther from its neighbour than the line's pitch goes."""
    boxes = sorted(boxes, key=lambda b: b[0] + b[2] / 2)
    for _ in range(4):  # a mark or two at either end at most; more is noise for the grid to reject
        if len(boxes) <= 4:
            break
        centres = np.array([b[0] + b[2] / 2 for b in boxes], float)
        cells, _ = _cells_in_order(centres)
        if cells[-1] - cells[0] <= length - 1:
            break
        gaps = np.diff(centres)
        pitch = float(np.median(gaps))
        first, last = abs(gaps[0] - pitch), abs(gaps[-1] - pitch)
        if max(first, last) < 0.3 * pitch:
            break  # both ends sit on the grid: the extra cells are inside the line
        boxes = boxes[1:] if first > last else boxes[:-1]
    return boxes


def _line_fit(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, float], float]:
    """Least-squares line y = a x + b and the standard error of its slope a."""
    a, b = np.polyfit(x, y, 1)
    residual = y - (a * x + b)
    spread = max(float(np.sqrt((residual ** 2).sum() / max(len(x) - 2, 1))), ROUNDING_PX)
    return (float(a), float(b)), spread / math.sqrt(max(float(((x - x.mean()) ** 2).sum()), 1e-9))


def _pitch_gradient(found: list[_Characters]) -> float:
    """d ln(scale) / dx along the lines from how the pitch changes along them, one value for the page.

    Perspective shrinks everything towards the lines' vanishing point: a character's height as
    1 - h x and the pitch as (1 - h x)^2, so the centres follow x = p j + q j^2 (j: position) with
    q / p^2 = -h, the heights' gradient. The centres are used, not the heights: uneven light or
    glare along a line thins the characters' ink (their boxes shrink), never moves their centres.
    Every line of a page shares the perspective, and a pasted line (printed flat on the same page)
    too: its own pitch is constant, so it adds no gradient."""
    estimates, weights = [], []
    for chars in found:
        index, centres = _cells_in_order(np.sort([b[0] + b[2] / 2 for b in chars.boxes]))
        if len(centres) < 8 or np.ptp(index) < 8:
            continue
        model = np.polyfit(index, centres, 2)
        residual = centres - np.polyval(model, index)
        keep = np.abs(residual) < 0.25 * chars.pitch  # not a stray mark or a box misplaced
        if keep.sum() < 8:
            continue
        model = np.polyfit(index[keep], centres[keep], 2)
        q, p = model[0], model[1] + 2 * model[0] * index[keep].mean()  # the pitch at the line's middle
        estimates.append(q / (p * p))
        weights.append(float(keep.sum()))
    return float(np.average(estimates, weights=weights)) if estimates else 0.0


def _cells_in_order(centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each character's cell counted along the line from its neighbours' spacing (a gap of two
    local pitches is one cell skipped, a box closer than half a pitch is a piece of the same
    character): under strong perspective the ends sit a whole pitch away from a straight grid."""
    if len(centres) < 3:
        return np.arange(len(centres), dtype=float), centres
    gaps = np.diff(centres).tolist()
    kept, cells, cell = [centres[0]], [0.0], 0.0
    for k, gap in enumerate(gaps):
        # statistics' median of a Python list: the same value as numpy's, without its overhead on
        # seven numbers (called for every gap of every line, it was a third of print forensics)
        local = float(statistics.median(gaps[max(0, k - 3):k + 4]))
        if local <= 0 or gap < 0.5 * local:
            continue
        cell += max(1, round(gap / local))
        kept.append(centres[k + 1])
        cells.append(cell)
    return np.array(cells), np.array(kept)


@dataclass(frozen=True)
class _Heights:
    """The capitals' and digits' heights of every line, fitted together (natural logarithms)."""

    gradient: float  # d ln(height) / dx along the lines, the same on every line of a page
    levels: tuple[float, ...]  # per line: ln of a capital's height at the cut's centre
    level_se: tuple[float, ...]  # their standard errors
    digit_offset: float  # ln(digit height / capital height) on this page


def _heights(found: list[_Characters], texts: tuple[str, ...], centre_x: float) -> _Heights:
    """Fit ln(height) = level(line) + digit_offset [a digit] + gradient * x to every capital and digit.

    Perspective makes the characters shrink towards the far end as the lines converge there, by
    the same rate on every line, so a pasted line (printed flat on the same page) shares it. OCR-B
    digits are taller than its capitals (about 9 % in the font we render with; printers differ),
    so a line of digits is not taller than a line of names: the offset is the page's own, with
    the font's as a weak prior (two characters' worth) where a page cannot tell it."""
    n = len(found)
    rows, values = [], []
    for line, chars in enumerate(found):
        for x, y, w, h in chars.tall:
            position = _cell((x, y, w, h), chars.pitch, chars.offset)
            digit = 0 <= position < len(texts[line]) and texts[line][position].isdigit()
            row = np.zeros(n + 2)
            row[line], row[n], row[n + 1] = 1.0, float(digit), (x + w / 2 - centre_x)
            rows.append(row)
            top, bottom = _glyph_extent(texts[line][position]) if 0 <= position < len(texts[line]) else (1.0, 0.0)
            values.append(math.log(h / (top + bottom)))
    design, y = np.array(rows), np.array(values)
    prior = np.zeros(n + 2)
    prior[n] = 1.0
    keep = np.ones(len(y), bool)
    for _ in range(2):  # once more without the characters far off the fit (a tail, a joined pair)
        weighted = np.vstack([design[keep], PRIOR_WEIGHT * prior])
        target = np.append(y[keep], PRIOR_WEIGHT * DIGIT_OFFSET)
        # x in pixels is hundreds of times the indicators: scale it for a well-conditioned solve.
        scale = np.ones(n + 2)
        scale[n + 1] = max(float(np.abs(design[:, n + 1]).max()), 1.0)
        fit = np.linalg.lstsq(weighted / scale, target, rcond=None)[0] / scale
        residual = y - design @ fit
        spread = max(1.4826 * float(np.median(np.abs(residual[keep]))), 1e-4)
        keep = np.abs(residual) <= 3.5 * spread
    dof = max(int(keep.sum()) - (n + 2), 1)
    sigma = max(float(np.sqrt((residual[keep] ** 2).sum() / dof)), ROUNDING_PX / float(np.exp(fit[:n].mean())))
    weighted = np.vstack([design[keep], PRIOR_WEIGHT * prior]) / scale
    covariance = sigma ** 2 * np.linalg.pinv(weighted.T @ weighted) / np.outer(scale, scale)
    return _Heights(float(fit[n + 1]), tuple(float(v) for v in fit[:n]),
                    tuple(float(np.sqrt(max(covariance[i, i], 0.0))) for i in range(n)), float(fit[n]))


def _flattening(gradient: float, size: tuple[int, int], half_span: float) -> np.ndarray:
    """The homography of the cut that removes a height gradient ``gradient`` along the lines: a
    projective map whose vanishing point lies along the lines (u' = u / (1 + g u), v' = v / (1 + g u)
    about the cut's centre), then scaled and shifted so that the MRZ keeps its length and centre."""
    cx, cy = size[0] / 2, size[1] / 2
    g = gradient
    projective = np.array([[1.0, 0, 0], [0, 1.0, 0], [g, 0, 1.0]])
    left, right = -half_span / (1 - g * half_span), half_span / (1 + g * half_span)
    scale = 2 * half_span / (right - left)
    middle = (left + right) / 2
    similarity = np.array([[scale, 0, -scale * middle], [0, scale, 0], [0, 0, 1.0]])
    to_centre = np.array([[1.0, 0, -cx], [0, 1.0, -cy], [0, 0, 1.0]])
    back = np.array([[1.0, 0, cx], [0, 1.0, cy], [0, 0, 1.0]])
    return back @ similarity @ projective @ to_centre


def _edge_width(grey: np.ndarray, bands: list[tuple[int, int]]) -> float:
    """The width of the print's edges, in pixels of the cut: ink contrast over the typical steepest
    gradient across an edge (a sharp scan about one source pixel, a blurred photo several)."""
    rows = np.concatenate([np.arange(top, bottom) for top, bottom in bands])
    band = grey[rows]
    contrast = float(byte_percentile(band, 95) - byte_percentile(band, 5))
    band = band.astype(np.float32)
    gx = cv2.Sobel(band, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(band, cv2.CV_32F, 0, 1, ksize=3) / 8
    magnitude = np.hypot(gx, gy)
    strongest = float(np.percentile(magnitude, 99))
    if contrast <= 0 or strongest <= 0:
        return float("inf")
    edges = magnitude[magnitude >= 0.5 * strongest]
    return contrast / float(np.median(edges))


def _measure_line(grey, mask, chars: _Characters, text: str, half_h: float, level: float,
                  level_se: float) -> LineMeasure:
    tall = chars.tall
    height = math.exp(level)  # a capital's height at the centre, from the joint fit of the page
    # Baseline: the bottoms and the tops of the capitals and digits share one slope (a digit's top
    # has its own level: OCR-B's digits are taller).
    xs = np.array([b[0] + b[2] / 2 for b in tall], float)
    bottoms = np.array([b[1] + b[3] for b in tall], float)
    tops = np.array([b[1] for b in tall], float)
    digit = np.array([_is_digit(text, b, chars) for b in tall], float)
    # Each glyph's own overshoot above and below the line (in capital heights) taken out.
    extents = np.array([_glyph_extent(_char_at(text, b, chars)) for b in tall], float)
    bottoms = bottoms - extents[:, 1] * height
    tops = tops + (extents[:, 0] - 1) * height
    centre_x = grey.shape[1] / 2
    x = np.concatenate([xs, xs]) - centre_x
    y = np.concatenate([bottoms, tops])
    ones, zeros = np.ones(len(xs)), np.zeros(len(xs))
    design = np.column_stack([x, np.concatenate([ones, zeros]), np.concatenate([zeros, 1 - digit]),
                              np.concatenate([zeros, digit])])
    fit = np.linalg.lstsq(design, y, rcond=None)[0]
    slope, bottom_at_centre = float(fit[0]), float(fit[1])
    residual = y - design @ fit
    spread = max(float(np.sqrt((residual ** 2).sum() / max(len(y) - 4, 1))), ROUNDING_PX)
    slope_se = spread / math.sqrt(max(float(((x - x.mean()) ** 2).sum()), 1e-9))
    bottom_residual = residual[: len(xs)]
    baseline = bottom_at_centre / PX_PER_MM - half_h
    y0, y1 = max(0, chars.top - int(0.25 * (chars.bottom - chars.top))), chars.bottom
    band = mask[y0:y1]
    darkness = 1.0 - float(np.median(grey[y0:y1][band])) / 255.0 if band.any() else 0.0
    match, match_se = _ocrb_match(mask, tall, text, chars.pitch, chars.offset)
    halves = _half_angles(chars, text, height, centre_x)
    return LineMeasure(
        pitch_mm=chars.pitch / PX_PER_MM,
        height_mm=height / PX_PER_MM,
        baseline_mm=float(baseline),
        angle_deg=math.degrees(math.atan(slope)),
        wobble_mm=float(np.std(bottom_residual)) / PX_PER_MM,
        darkness=darkness,
        ocrb_match=match,
        glyphs=len(chars.boxes),
        pitch_se_mm=chars.pitch_se / PX_PER_MM,
        height_se_mm=height * level_se / PX_PER_MM,
        baseline_se_mm=spread / math.sqrt(len(xs)) / PX_PER_MM,
        angle_se_deg=math.degrees(slope_se),
        ocrb_se=match_se,
        centre_mm=(chars.centre - centre_x) / PX_PER_MM,
        centre_se_mm=chars.centre_se / PX_PER_MM,
        start_mm=(chars.offset - centre_x) / PX_PER_MM,
        start_se_mm=chars.start_se / PX_PER_MM,
        half_angles_deg=halves,
    )


def _half_angles(chars: _Characters, text: str, height: float, centre_x: float) -> tuple[float, float]:
    """The slope of the line's bottoms (each glyph's own overshoot taken out) over its left and its
    right half, degrees: every single-cell box on the grid counts, fillers too, since a name line's
    right half may hold no capital at all."""
    xs, bottoms = [], []
    for box in chars.boxes:
        position = _cell(box, chars.pitch, chars.offset)
        if 0 <= position < len(text) and box[2] < 0.95 * chars.pitch:
            xs.append(box[0] + box[2] / 2 - centre_x)
            bottoms.append(box[1] + box[3] - _glyph_extent(text[position])[1] * height)
    x, y = np.array(xs, float), np.array(bottoms, float)
    out = []
    for half in (x < 0, x >= 0):
        if half.sum() < MIN_HALF or np.ptp(x[half]) <= 0:
            out.append(math.nan)
            continue
        slope = np.polyfit(x[half], y[half], 1)[0]
        out.append(math.degrees(math.atan(float(slope))))
    return out[0], out[1]


MIN_HALF = 6  # characters: fewer give a half's slope no meaning


def _cell(box, pitch: float, offset: float) -> int:
    """The grid position (0 = the line's first cell) of a box (x, y, w, h) whose line's cells start
    at ``offset`` and repeat every ``pitch`` pixels."""
    return int(round((box[0] + box[2] / 2 - offset) / pitch))


def _char_at(text: str, box, chars: _Characters) -> str:
    position = _cell(box, chars.pitch, chars.offset)
    return text[position] if 0 <= position < len(text) else "H"


def _is_digit(text: str, box, chars: _Characters) -> bool:
    return _char_at(text, box, chars).isdigit()


@lru_cache(maxsize=64)
def _glyph_extent(char: str) -> tuple[float, float]:
    """How far the OCR-B glyph of ``char`` reaches above and below the baseline, in capital heights
    (an H: 1.0 and 0.0; an O overshoots both ways, a digit stands taller)."""
    try:
        from PIL import ImageFont

        font = ImageFont.truetype(font_path("ocrb"), 200)
    except (OSError, FontMissing):
        return 1.0, 0.0
    capital = -font.getbbox("H", anchor="ls")[1]
    left, top, right, bottom = font.getbbox(char, anchor="ls")
    if capital <= 0 or bottom <= top:
        return 1.0, 0.0
    return -top / capital, max(bottom, 0) / capital


def _ocrb_match(mask, tall, text, pitch, offset) -> tuple[float | None, float]:
    """Median correlation of the line's capitals and digits with OCR-B glyphs of the same characters,
    and its standard error from the spread of the glyphs' own correlations."""
    scores = []
    for x, y, w, h in tall:
        position = _cell((x, y, w, h), pitch, offset)
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
    if len(scores) < 3:
        return None, 0.0
    values = np.array(scores)
    # The median's standard error: 1.2533 times the mean's for a normal spread (robust spread here).
    spread = 1.4826 * float(np.median(np.abs(values - np.median(values))))
    return float(np.median(values)), 1.2533 * spread / math.sqrt(len(values))


@lru_cache(maxsize=64)
def _rendered(char: str) -> np.ndarray | None:
    """``char`` in OCR-B, 64 px, cut to its ink (a boolean image); None without the font."""
    try:
        from PIL import Image, ImageDraw, ImageFont

        font = ImageFont.truetype(font_path("ocrb"), 64)
    except (OSError, FontMissing):
        return None
    image = Image.new("L", (96, 96), 0)
    ImageDraw.Draw(image).text((16, 80), char, font=font, fill=255, anchor="ls")
    pixels = np.asarray(image) > 127
    ys, xs = np.nonzero(pixels)
    if len(xs) == 0:
        return None
    return pixels[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


@lru_cache(maxsize=64)
def _reference(char: str) -> np.ndarray | None:
    glyph = _rendered(char)
    return None if glyph is None else cv2.resize(glyph.astype(np.float32), GLYPH_SIZE, interpolation=cv2.INTER_AREA)


@lru_cache(maxsize=64)
def _glyph_slant(char: str) -> float | None:
    """The OCR-B glyph's own slant (its ink's second moments, x per y: a 7 or a K is not symmetric)."""
    glyph = _rendered(char)
    if glyph is None:
        return None
    moments = cv2.moments(glyph.astype(np.uint8), binaryImage=True)
    return moments["mu11"] / moments["mu02"] if moments["mu02"] > 0 else None
