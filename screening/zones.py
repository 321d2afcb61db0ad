"""Page geometry, in one place: the MRZ's pitch and outline, the frame it gives the page, the
cells its characters sit in, and the visual zone and portrait areas placed from it.

Whatever needs to know where something lies on a page relative to its MRZ takes it from here:
print forensics and the visual zone (``frame``, ``cut``, ``above_mrz``), the audit's portrait
fingerprint (``portrait_corners``), the kiosk's marks on characters (``cells``) and the
sample generator (``MRZ_PITCH_MM``). Characters per line come from ``formats.LAYOUTS``.

The reader gives the MRZ's outline in page coordinates, its corners clockwise from the top
left as read (whichever way up the page lies), and the quarter turns that bring the page
upright. An MRZ line is ``n`` characters at 2.54 mm (10 per inch, Doc 9303 Part 3), and the
outline runs from the first character's left edge to the last one's right edge, so its length
also gives the page's scale: every zone is cut at ``px_per_mm`` whatever the scanner's
resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from screening.mrz.formats import LAYOUTS

# OCR-B characters on a grid of 10 per inch (Doc 9303 Part 3).
MRZ_PITCH_MM = 2.54
# How the outline sits on the print: an OCR-B character is about 0.7 of its pitch wide and a
# line about half its line pitch high, so an outline of n characters on k lines is
# (n - 1 + GLYPH_WIDTH) pitches long and (k - 1 + GLYPH_HEIGHT) line pitches high.
GLYPH_WIDTH = 0.7  # of the character pitch
GLYPH_HEIGHT = 0.5  # of the line pitch
# An ID-1 card (TD1; ISO/IEC 7810), whose MRZ is on the back: its front is its own piece of the image.
TD1_CARD_MM = (85.60, 53.98)


@dataclass(frozen=True)
class Frame:
    """How the upright, straightened page relates to the MRZ (all in millimetres)."""

    centre: tuple[float, float]  # MRZ centre in the upright page, pixels
    angle: float  # direction of the MRZ lines in the upright page, degrees (image coordinates)
    src_px_per_mm: float
    width_mm: float  # MRZ outline, along the lines
    height_mm: float  # across the lines


def upright(page: np.ndarray, quarter_turns: int, polygon) -> tuple[np.ndarray, np.ndarray]:
    """The page turned upright (np.rot90) and the MRZ outline's corners in it."""
    points = np.asarray(polygon, np.float64)
    image = page
    for _ in range(quarter_turns % 4):
        width = image.shape[1]
        points = np.column_stack([points[:, 1], width - 1 - points[:, 0]])
        image = np.rot90(image)
    return np.ascontiguousarray(image), points


def frame(points: np.ndarray, chars_per_line: int) -> Frame | None:
    """The frame of the MRZ outline ``points`` (in the upright page); None when it is too small to place anything."""
    if points.shape != (4, 2):
        return None
    edges = [points[(i + 1) % 4] - points[i] for i in range(4)]
    lengths = [float(np.hypot(*e)) for e in edges]
    longest = int(np.argmax(lengths))
    dx, dy = edges[longest]
    angle = math.degrees(math.atan2(dy, dx))
    while angle > 45:
        angle -= 180
    while angle <= -135:
        angle += 180
    if angle < -45:
        angle += 180
    width = lengths[longest]
    height = min(lengths)
    if width < 10 or height < 2:
        return None
    px_per_mm = width / ((chars_per_line - 1 + GLYPH_WIDTH) * MRZ_PITCH_MM)
    centre = points.mean(axis=0)
    return Frame((float(centre[0]), float(centre[1])), angle, px_per_mm, width / px_per_mm, height / px_per_mm)


def cut_matrix(fr: Frame, px_per_mm: float, box_mm: tuple[float, float, float, float]):
    """The affine map (2x3) from the upright page to the cut of ``box_mm`` at ``px_per_mm``, and the
    cut's size (width, height): for callers that refine the map (print forensics adds perspective)."""
    left, top, right, bottom = box_mm
    scale = px_per_mm / fr.src_px_per_mm
    matrix = cv2.getRotationMatrix2D(fr.centre, fr.angle, scale)
    matrix[0, 2] += -fr.centre[0] - left * px_per_mm
    matrix[1, 2] += -fr.centre[1] - top * px_per_mm
    size = (max(1, int(round((right - left) * px_per_mm))), max(1, int(round((bottom - top) * px_per_mm))))
    return matrix, size


def inside(shape: tuple[int, ...], fr: Frame, px_per_mm: float, box_mm: tuple[float, float, float, float]) -> np.ndarray:
    """Which pixels of ``cut(image, fr, px_per_mm, box_mm)`` come from inside the image (True), not
    from its replicated border (whose streaks would look like print)."""
    matrix, size = cut_matrix(fr, px_per_mm, box_mm)
    ones = np.full(shape[:2], 255, np.uint8)
    return cv2.warpAffine(ones, matrix, size, flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_CONSTANT,
                          borderValue=0) > 0


# A cut enlarged this much or more (a 640 px webcam frame, a card photographed beside its other side:
# 3-5 px a millimetre, cut at 10) is interpolated bicubically, which keeps the strokes' edges that
# bilinear interpolation softens. Visual zone fields compared on tools/diagnose_recall.py's 350
# tuning pages: 1993 of 2100 bilinear throughout; bicubic from 2x (webcam frames and card photos
# only) 2001, as from 2.5x and 3x; from 1.5x 1999; from 1x or 1.25x 1991 (a mildly enlarged scan
# reads better bilinear).
ENLARGED_CUBIC = 2.0


def cut(image: np.ndarray, fr: Frame, px_per_mm: float, box_mm: tuple[float, float, float, float]) -> np.ndarray:
    """The part of the upright page in ``box_mm`` = (left, top, right, bottom), millimetres from
    the MRZ centre along and across its lines, straightened, at ``px_per_mm``."""
    matrix, size = cut_matrix(fr, px_per_mm, box_mm)
    scale = px_per_mm / fr.src_px_per_mm
    interpolation = (cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC if scale >= ENLARGED_CUBIC
                     else cv2.INTER_LINEAR)
    return cv2.warpAffine(image, matrix, size, flags=interpolation, borderMode=cv2.BORDER_REPLICATE)




# The visual zone above the MRZ, in the frame's millimetres: from VIZ_GAP_MM above the outline up
# to the image's top edge (an ID card's front may lie above its back; VIZ_PAST_EDGE_MM beyond the
# edge, which ``inside`` tells apart), at most VIZ_REACH_MM above the MRZ's centre, and VIZ_SIDE_MM
# beyond the lines' ends on either side; none when less than VIZ_MIN_HEIGHT_MM is left.
VIZ_REACH_MM = 135.0
VIZ_PAST_EDGE_MM = 5.0
VIZ_GAP_MM = 0.3
VIZ_SIDE_MM = 8.0
VIZ_MIN_HEIGHT_MM = 10.0


def above_mrz(fr: Frame) -> tuple[float, float, float, float] | None:
    """The visual zone above the MRZ as a ``box_mm`` for ``cut`` (left, top, right, bottom), or None
    when the MRZ lies too near the image's top edge to leave one."""
    centre_y_mm = fr.centre[1] / fr.src_px_per_mm
    top = -min(VIZ_REACH_MM, centre_y_mm + VIZ_PAST_EDGE_MM)
    bottom = -fr.height_mm / 2 - VIZ_GAP_MM
    if bottom - top < VIZ_MIN_HEIGHT_MM:
        return None
    return (-fr.width_mm / 2 - VIZ_SIDE_MM, top, fr.width_mm / 2 + VIZ_SIDE_MM, bottom)


# A TD1 card's front photographed beside its back (the MRZ's side): looked for left and right of
# the back, up to TD1_SIDE_GAP_MM away, in the frame's millimetres (``cut``'s box_mm). The back's
# MRZ is centred on the card and its centre lies about 8 mm above the card's lower edge (Doc 9303
# Part 5): the card spans about -46..+8 mm across the lines; 8 mm margin.
TD1_SIDE_GAP_MM = 40.0
_CARD_W, _CARD_H = TD1_CARD_MM
_FRONT_TOP, _FRONT_BOTTOM = -(_CARD_H - 8) - 8, 16.0
TD1_FRONTS_BESIDE_MM = (
    (-_CARD_W / 2 - TD1_SIDE_GAP_MM - _CARD_W - 4, _FRONT_TOP, -_CARD_W / 2 - 1, _FRONT_BOTTOM),
    (_CARD_W / 2 + 1, _FRONT_TOP, _CARD_W / 2 + TD1_SIDE_GAP_MM + _CARD_W + 4, _FRONT_BOTTOM),
)

def cells(polygon, grid: tuple[int, int], lines: range, positions: range,
          margin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """The corners in page coordinates (4 x 2: top left, top right, bottom right, bottom left as
    read) around characters ``positions`` of lines ``lines`` of an MRZ of ``grid`` = (lines,
    characters per line), from the reader's outline ``polygon``; ``margin`` = (along, across)
    further out on every side, in character and line pitches.

    The outline's corners come in reading order whichever way up the page lies, so the cells are
    placed on the page as it lies, without the quarter turns. Points are taken bilinearly between
    the corners, so an outline that is not quite a rectangle is followed too."""
    line_count, line_length = grid
    along = 1 / max(line_length - 1 + GLYPH_WIDTH, 1e-6)  # a pitch, as a share of the outline
    across = 1 / max(line_count - 1 + GLYPH_HEIGHT, 1e-6)
    margin_along, margin_across = margin
    u0, u1 = (positions.start - margin_along) * along, (positions.stop - 1 + GLYPH_WIDTH + margin_along) * along
    v0, v1 = (lines.start - margin_across) * across, (lines.stop - 1 + GLYPH_HEIGHT + margin_across) * across
    return np.array([_bilinear(polygon, u0, v0), _bilinear(polygon, u1, v0), _bilinear(polygon, u1, v1),
                     _bilinear(polygon, u0, v1)])


def _bilinear(polygon, u: float, v: float) -> tuple[float, float]:
    """A point of the quadrilateral (u, v in 0..1 inside it; outside them, beyond its edges)."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = polygon[:4]
    x = (1 - u) * (1 - v) * x0 + u * (1 - v) * x1 + u * v * x2 + (1 - u) * v * x3
    y = (1 - u) * (1 - v) * y0 + u * (1 - v) * y1 + u * v * y2 + (1 - u) * v * y3
    return x, y

# The portrait relative to the MRZ outline's first corner (the top left as read), in mm along
# the lines (x) and down the page (y, negative = above), from the layouts of Doc 9303 Parts 4-7
# as our specimens print them. A TD1 card's portrait is on its front: scanned together, the
# front lies above the back (4 mm apart), which is what the TD1 entry assumes.
PORTRAIT_MM = {
    "TD3": (-1.6, -63.5, 28.4, -24.5),
    "TD2": (-2.6, -52.1, 22.6, -19.3),
    "MRV-A": (0.4, -56.8, 27.7, -21.3),
    "MRV-B": (-2.6, -52.1, 22.6, -19.3),
    "TD1": (-1.2, -87.2, 20.8, -58.2),
}


# Where a page prints its portrait: on the left as Doc 9303 lays the data page out (PORTRAIT_MM),
# or on the right, where some national layouts put it (the same area mirrored across the middle of
# the MRZ, which is centred on the page).
PORTRAIT_SIDES = ("left", "right")


def portrait_corners(polygon, mrz_format: str, inset: float = 0.0, side: str = "left") -> np.ndarray | None:
    """The portrait area's corners in page coordinates (4 x 2: top left, top right, bottom right,
    bottom left, upright), ``inset`` of its width and height in from every side, placed from the
    reader's MRZ outline ``polygon``; None for a format without one or an outline too small.
    ``side``: "left" (Doc 9303's place) or "right" (PORTRAIT_SIDES).

    The outline's corners come in reading order whichever way up the page lies, so the area is
    found on a turned or skewed page as it lies, without the quarter turns."""
    box = PORTRAIT_MM.get(mrz_format)
    if side not in PORTRAIT_SIDES:
        raise ValueError(f"side is one of {PORTRAIT_SIDES}, not {side!r}")
    if box is None or polygon is None or len(polygon) != 4:
        return None
    p0, p1, _, p3 = (np.asarray(p, dtype=np.float64) for p in polygon)
    along, down = p1 - p0, p3 - p0
    length = float(np.hypot(*along))
    if length < 20 or float(np.hypot(*down)) < 2:
        return None
    along /= length
    # "Down" is perpendicular to the line, on the side of the polygon's bottom edge (robust to skew).
    down = np.array([-along[1], along[0]])
    if np.dot(down, p3 - p0) < 0:
        down = -down
    # The outline taken as n whole pitches long, where ``frame`` takes n - 1 + GLYPH_WIDTH: the
    # area comes out 1.6-2.3 % smaller, well inside the inset the audit hashes, and is kept so
    # because the audit's portrait fingerprints have always been cut so.
    px_per_mm = length / (LAYOUTS[mrz_format].length * MRZ_PITCH_MM)
    x0, y0, x1, y1 = box
    if side == "right":  # mirrored across the perpendicular through the middle of the outline's top edge
        span = length / px_per_mm
        x0, x1 = span - x1, span - x0
    dx, dy = (x1 - x0) * inset, (y1 - y0) * inset
    x0, x1, y0, y1 = x0 + dx, x1 - dx, y0 + dy, y1 - dy

    def at(x_mm: float, y_mm: float) -> np.ndarray:
        return p0 + along * x_mm * px_per_mm + down * y_mm * px_per_mm

    return np.array([at(x0, y0), at(x1, y0), at(x1, y1), at(x0, y1)])
