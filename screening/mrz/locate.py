"""Find the MRZ in a page: 2 or 3 long, parallel, equally long lines of text.

Morphology turns text into blobs: a black-hat filter keeps dark print on a lighter
background, a horizontal closing joins the characters of a line into one long bar. An
MRZ is a group of 2 or 3 such bars of about the same length and angle, evenly spaced.
The page is searched upright and turned a quarter (a document on its side); which way
up the lines read is settled by the recogniser.

Each candidate comes back with its lines cut out and straightened (``LineStrip``) and
its outline as a polygon in the original page's coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from screening.raster import components

STRIP_HEIGHT = 40  # height of a straightened line strip, in pixels
# A strip holds the line's bar scaled so the bar is 1/1.7 of the strip's height, with
# 0.8 bar-heights of margin at each end.
STRIP_MARGIN = 0.8 * STRIP_HEIGHT / 1.7


@dataclass(frozen=True)
class LineBox:
    """A bar of text: rotated rectangle in working-image coordinates."""

    center: tuple[float, float]
    length: float
    thickness: float
    angle: float  # degrees, the direction of the line


@dataclass(frozen=True)
class MRZCandidate:
    """A group of lines that may be an MRZ, cut out of the page."""

    strips: tuple[np.ndarray, ...]  # straightened lines, top to bottom, STRIP_HEIGHT high
    polygon: tuple[tuple[float, float], ...]  # corners in original page coordinates
    quarter_turns: int  # how the page was turned (np.rot90 k) before the search
    score: float
    method: str = "bars"  # how it was found (see locate)


# Longest sides of the images the search runs on, in the order they are tried: the
# morphology joins characters into lines only within a range of character sizes.
WORK_SIZES = (1000, 650, 1400)
# The search by characters needs characters of at least 5 pixels: a large working size.
CHARS_WORK_SIZE = 1400


def locate(page: np.ndarray, quarter_turns: int = 0, work_size: int = WORK_SIZES[0],
           max_candidates: int = 3, seen: list[MRZCandidate] | None = None, method: str = "bars") -> list[MRZCandidate]:
    """Candidate MRZ regions of a grey page turned ``quarter_turns`` times, searched at one
    working size, most likely first; regions already in ``seen`` are left out.

    ``method``: ``bars`` (morphology joins each line into a bar: fast, and robust to
    broken print), ``chars`` (character-sized components chained into rows: for tight
    lines that the morphology merges, as on a small card in a photo) or ``strong`` (bars of
    only the darkest print: a stamp or a guilloche over the lines, see ``print_mask``)."""
    # A turned copy made once: OpenCV would copy a strided view again for the resize and
    # for every strip cut out of it (cv2.rotate: np.rot90's pixels, seven times faster).
    turned = cv2.rotate(page, _ROTATIONS[quarter_turns % 4]) if quarter_turns % 4 else page
    scale = work_size / max(turned.shape)
    work = _work_image(turned, scale)
    ink = print_mask(work, strong_only=method == "strong")
    lines = long_lines(find_rows(work, ink) if method == "chars" else find_lines(work, ink), work.shape)
    out: list[MRZCandidate] = []
    for group, score in group_lines(lines):
        if len(out) == max_candidates:
            break  # the groups come best first: the rest would be cut off below
        group = extend_ends(ink, equalise(group))
        polygon = tuple(_unturn(p, quarter_turns, page.shape) for p in _group_polygon(group, 1.0 / scale))
        # The same lines found again by the same method would be cut the same way; found
        # by the other method they are cut from other outlines, and read again.
        # The search on the darkest print is for lines no other search found: where one did,
        # the same lines are not read again.
        if any((c.method == method or method == "strong") and len(c.strips) == len(group)
               and _same_place(c.polygon, polygon) for c in (seen or []) + out):
            continue
        strips = tuple(cut_strip(turned, box, 1.0 / scale) for box in group)
        out.append(MRZCandidate(strips, polygon, quarter_turns, score, method))
    out.sort(key=lambda c: -c.score)
    return out[:max_candidates]


# np.rot90(page, k) for k = 1, 2, 3.
_ROTATIONS = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}


def _work_image(image: np.ndarray, scale: float) -> np.ndarray:
    """The image scaled by ``scale`` for the search.

    Shrinking, OpenCV's area average is fast only by a whole factor (0.06 ms for a page)
    and slow at any other ratio (3.5 ms): the page is averaged down by the largest whole
    factor that keeps it above the working size (its rows and columns that make whole
    blocks), and the rest, a shrink by less than half, interpolated (0.5 ms). Outlines
    found move by 2-3 page pixels (10 at most); no reading of the audit, synthetic or
    real sets was lost (the whole factor nearest the ratio instead, 2 for a phone's 1600 to
    1000, lost one: the print too soft)."""
    if scale >= 1:
        return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    # Never a whole factor larger than a side: a 30000 x 2 strip would average down to nothing.
    factor = min(int(1 / scale), image.shape[0], image.shape[1])
    if factor >= 2:
        height, width = image.shape[0] // factor, image.shape[1] // factor
        image = cv2.resize(image[: height * factor, : width * factor], (width, height), interpolation=cv2.INTER_AREA)
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)


def _same_place(a, b) -> bool:
    """Do two candidates' outlines cover the same lines? Their centres must agree to a
    fraction of the outlines' height: a group one line lower (the second MRZ line and
    the text under it) is another candidate, though its centre is close."""
    a, b = np.array(a), np.array(b)
    centre_a, centre_b = a.mean(axis=0), b.mean(axis=0)
    sides = [float(np.hypot(*(p[(i + 1) % 4] - p[i]))) for p in (a, b) for i in range(2)]
    return float(np.hypot(*(centre_a - centre_b))) < 0.2 * min(sides)


# With ``strong_only``, ink less than this share of the page's darkest print (its 99th
# percentile of black-hat contrast) is left out: MRZ print is the page's darkest, a stamp's ink
# (red or blue, 80-150 grey on 235 paper) and a guilloche's fine lines are about half of it or
# less, and joined to the lines they bridge them into one blob. (benchmarks/reader_stamps.py:
# stamps 80-150 grey, guilloche 40-90 grey levels deep, print 20.)
STRONG_SHARE = 0.6


def print_mask(work: np.ndarray, strong_only: bool = False) -> np.ndarray:
    """Dark print on lighter paper, as a 0/255 mask of a working-size grey image.

    ``strong_only``: only the print nearly as dark as the page's darkest (see STRONG_SHARE):
    for the search's last try, on pages where a stamp or a busy background joins the lines."""
    size = max(work.shape)
    k = max(15, size // 40) | 1
    # Divide out the light falling on the page (glare, shadows, uneven scans) so print
    # under a bright spot is as dark, relative to its paper, as print elsewhere.
    light = _wide_blur(work, size / 40).astype(np.float32) + 8.0
    levelled = np.clip(work.astype(np.float32) / light * 200.0, 0, 255).astype(np.uint8)
    blackhat = cv2.morphologyEx(levelled, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    level, ink = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if strong_only:
        above = blackhat[blackhat > level]
        if above.size:
            _, ink = cv2.threshold(blackhat, max(level, STRONG_SHARE * float(np.percentile(above, 99))), 255,
                                   cv2.THRESH_BINARY)
    return ink


def _wide_blur(image: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian blur of a large sigma, computed at an eighth of the size (the same to a
    grey level or two, a hundred times faster)."""
    factor = 8
    if sigma < 2 * factor or min(image.shape) < 8 * factor:
        return cv2.GaussianBlur(image, (0, 0), sigma)
    small = cv2.resize(image, (image.shape[1] // factor, image.shape[0] // factor), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / factor)
    return cv2.resize(small, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)


def find_lines(work: np.ndarray, ink: np.ndarray | None = None) -> list[LineBox]:
    """Bars of text (words, parts of lines) in a working-size grey image (``ink``: its
    ``print_mask``, when the caller has it)."""
    size = max(work.shape)
    ink = print_mask(work) if ink is None else ink
    join = max(9, size // 50)
    # Taller than a stroke: runs of '<' touch their neighbours only at different heights.
    bars = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (join, max(3, join // 4))))
    bars = cv2.morphologyEx(bars, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (join // 2, 1)))
    count, labels, stats, _ = components(bars)
    pieces = []
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        if max(w, h) < 12 or area < 40:
            continue
        if w < 2 * h and h < 2 * w:
            continue  # a blob, not a bar at any angle this search accepts
        mask = labels[y : y + h, x : x + w] == label
        ys, xs = np.nonzero(mask)
        step = max(1, len(xs) // 600)  # the rectangle of a few hundred points is as good
        points = np.column_stack([xs[::step] + x, ys[::step] + y]).astype(np.float32)
        (cx, cy), (rw, rh), angle = cv2.minAreaRect(points)
        if rw < rh:
            rw, rh, angle = rh, rw, angle + 90
        angle = (angle + 90) % 180 - 90  # -90..90, 0 = horizontal
        if abs(angle) > 30 or rh < 4:
            continue
        # A line of text covers nearly every column it spans; its bar may be full of holes.
        coverage = np.count_nonzero(mask.any(axis=0)) / w if abs(angle) < 10 else area / (rw * rh) * 2
        if rw / rh < 2 or coverage < 0.8:
            continue
        pieces.append(LineBox((cx, cy), rw, rh, angle))
    return pieces


def find_rows(work: np.ndarray, ink: np.ndarray | None = None) -> list[LineBox]:
    """Rows of character-sized print components, as bars.

    Each component is linked to its nearest neighbour to the right on about the same
    baseline and of a comparable size (fillers are smaller than letters); chains of
    many components along a straight line are rows of text."""
    ink = print_mask(work) if ink is None else ink
    count, _, stats, centroids = components(ink)
    x, y, w, h, area = (stats[1:, i].astype(np.float32) for i in range(5))
    size = max(work.shape)
    keep = (h >= 5) & (h <= size / 12) & (w <= 1.6 * h) & (area >= 0.12 * w * h) & (area >= 8)
    index = np.nonzero(keep)[0]
    if len(index) < 10 or len(index) > 6000:
        return []
    cx, cy = x[index] + w[index] / 2, y[index] + h[index] / 2
    hh = np.maximum(h[index], w[index])  # a '<' or a '-' is wider than tall at most angles
    successor = np.full(len(index), -1)
    order = np.argsort(cx)
    sorted_x = cx[order]
    for i in range(len(index)):
        lo, hi = np.searchsorted(sorted_x, [cx[i] + 0.3 * hh[i], cx[i] + 2.6 * hh[i]])
        js = order[lo:hi]
        if not len(js):
            continue
        big = np.maximum(hh[js], hh[i])
        dx, dy = cx[js] - cx[i], cy[js] - cy[i]
        ratio = hh[js] / hh[i]
        ok = (dx < 2.4 * big) & (np.abs(dy) < 0.25 * big + 0.58 * dx) & (ratio > 0.4) & (ratio < 2.5)
        if np.any(ok):
            cost = np.where(ok, dx ** 2 + 4 * dy ** 2, np.inf)
            successor[i] = js[int(np.argmin(cost))]
    # Each component keeps one predecessor: the nearest that chose it.
    predecessor = np.full(len(index), -1)
    best = np.full(len(index), np.inf)
    for i, j in enumerate(successor):
        if j >= 0:
            d = (cx[j] - cx[i]) ** 2 + (cy[j] - cy[i]) ** 2
            if d < best[j]:
                best[j], predecessor[j] = d, i
    rows = []
    for start in np.nonzero(predecessor < 0)[0]:
        chain, i = [start], start
        while successor[i] >= 0 and predecessor[successor[i]] == i and len(chain) < 200:
            i = successor[i]
            chain.append(i)
        if len(chain) >= 8:
            rows.append(_row_box(np.array(chain), cx, cy, w[index], h[index]))
    return [r for r in rows if r is not None]


def _row_box(chain: np.ndarray, cx, cy, width, height) -> LineBox | None:
    points = np.column_stack([cx[chain], cy[chain]]).astype(np.float32)
    vx, vy, x0, y0 = cv2.fitLine(points, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    if vx < 0:
        vx, vy = -vx, -vy
    angle = float(np.degrees(np.arctan2(vy, vx)))
    if abs(angle) > 30:
        return None
    along = (points[:, 0] - x0) * vx + (points[:, 1] - y0) * vy
    across = -(points[:, 0] - x0) * vy + (points[:, 1] - y0) * vx
    char = float(np.percentile(height[chain], 75))  # letters and digits, not fillers
    if np.median(np.abs(across)) > 0.2 * char:
        return None  # not a straight row
    # The row's ends where its first and last characters' ink ends (as a bar's would).
    half = 0.5 * width[chain] * abs(vx)
    start, end = float((along - half).min()), float((along + half).max())
    middle = (start + end) / 2
    centre = (float(x0 + middle * vx), float(y0 + middle * vy))
    # As thick as the morphology's bar of the same line: the characters and a little more.
    return LineBox(centre, end - start, 1.15 * char, angle)


def long_lines(pieces: list[LineBox], work_shape) -> list[LineBox]:
    """Pieces joined into lines, and only those long and thin enough to be MRZ lines."""
    min_length = 0.15 * min(work_shape[1], max(work_shape))
    return [b for b in merge_collinear(pieces) if b.length >= min_length and b.length / b.thickness >= 8]


def merge_collinear(lines: list[LineBox]) -> list[LineBox]:
    """Join bars that continue each other: a line broken at a faint run of fillers or by a
    gap in the print is one line. Bars are taken left to right, each joining the line it
    continues (along that line's direction, so skewed lines join too)."""
    rows: list[LineBox] = []
    for box in sorted(lines, key=lambda b: b.center[0] - b.length / 2):
        for index, row in enumerate(rows):
            if _continues(row, box):
                rows[index] = _join(row, box)
                break
        else:
            rows.append(box)
    return rows


def _continues(a: LineBox, b: LineBox) -> bool:
    """Does ``b`` continue line ``a`` to the right, on the same baseline?"""
    if not 0.6 < a.thickness / b.thickness < 1.6:
        return False
    # The direction of the longer bar is the better estimate of the line's.
    angle = np.deg2rad(a.angle if a.length >= b.length else b.angle)
    dx, dy = b.center[0] - a.center[0], b.center[1] - a.center[1]
    across = abs(-dx * np.sin(angle) + dy * np.cos(angle))
    along = dx * np.cos(angle) + dy * np.sin(angle)
    gap = along - (a.length + b.length) / 2
    thickness = max(a.thickness, b.thickness)
    return across < 0.45 * thickness and -0.5 * thickness < gap + b.length and gap < 2.5 * thickness


def _join(a: LineBox, b: LineBox) -> LineBox:
    angle = (a.angle * a.length + b.angle * b.length) / (a.length + b.length)
    ux, uy = np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))
    ends = []
    for box in (a, b):
        along = box.center[0] * ux + box.center[1] * uy
        ends += [along - box.length / 2, along + box.length / 2]
    start, end = min(ends), max(ends)
    across_center = np.mean([-box.center[0] * uy + box.center[1] * ux for box in (a, b)])
    middle = (start + end) / 2
    center = (middle * ux - across_center * uy, middle * uy + across_center * ux)
    return LineBox(center, end - start, max(a.thickness, b.thickness), angle)


def group_lines(lines: list[LineBox]) -> list[tuple[tuple[LineBox, ...], float]]:
    """Groups of 2 or 3 lines that look like an MRZ, with a score."""
    ordered = sorted(lines, key=lambda b: b.center[1])
    groups = []
    for i, first in enumerate(ordered):
        chain = [first]
        for other in ordered[i + 1 :]:
            if len(chain) == 3:
                break
            if _follows(chain[-1], other):
                chain.append(other)
        for size in (3, 2):
            if len(chain) >= size:
                group = tuple(chain[:size])
                groups.append((group, _score(group)))
    # A group may share lines with another (three lines of a TD1 and two of them): both
    # stay candidates, and the recogniser decides which reads as an MRZ.
    groups.sort(key=lambda g: -g[1])
    return groups


def _follows(upper: LineBox, lower: LineBox) -> bool:
    if not 0.7 < lower.length / upper.length < 1.4:
        return False
    if abs(lower.angle - upper.angle) > 4:
        return False
    thickness = (upper.thickness + lower.thickness) / 2
    angle = np.deg2rad(upper.angle)
    dx, dy = lower.center[0] - upper.center[0], lower.center[1] - upper.center[1]
    across = -dx * np.sin(angle) + dy * np.cos(angle)
    along = dx * np.cos(angle) + dy * np.sin(angle)
    # The two bars must overlap along the line for most of the shorter one.
    overlap = min(along + lower.length / 2, upper.length / 2) - max(along - lower.length / 2, -upper.length / 2)
    # Lines closer than usual happen (a line re-printed off its baseline): down to about
    # touching, which only rows of separate characters (not merged bars) can be.
    return 0.9 * thickness < across < 3.2 * thickness and overlap > 0.5 * min(upper.length, lower.length)


def _score(group: tuple[LineBox, ...]) -> float:
    lengths = [b.length for b in group]
    evenness = min(lengths) / max(lengths)
    aspect = np.mean([b.length / b.thickness for b in group])
    # MRZ lines are 30-44 characters of about 1.5 x their height each.
    aspect_fit = np.exp(-((np.log(aspect) - np.log(30)) ** 2) / 0.5)
    return float(evenness * aspect_fit * (1.0 + 0.1 * len(group)))


def equalise(group: tuple[LineBox, ...]) -> tuple[LineBox, ...]:
    """Give every line of a group the group's full extent: MRZ lines are all equally long,
    and a line the morphology broke (a faint run of fillers) is restored by its neighbours."""
    angle = float(np.mean([b.angle for b in group]))
    ux, uy = np.cos(np.deg2rad(angle)), np.sin(np.deg2rad(angle))
    along = [b.center[0] * ux + b.center[1] * uy for b in group]
    start = min(a - b.length / 2 for a, b in zip(along, group))
    end = max(a + b.length / 2 for a, b in zip(along, group))
    middle = (start + end) / 2
    out = []
    for a, box in zip(along, group):
        shift = middle - a
        center = (box.center[0] + shift * ux, box.center[1] + shift * uy)
        out.append(LineBox(center, end - start, box.thickness, angle))
    return tuple(out)


# How far a located group may be lengthened at each end, as a share of its length: a stamp
# over the first characters of a line (the QAT specimen's SPECIMEN stamp, generated pages
# with a stamp over the MRZ) or digits that touch at a low resolution break a row a fifth
# to a quarter of the way along; the characters beyond are still print in the line's band.
EXTEND_AT_MOST = 0.35
# A step along the band is print when its ink spans this share of the band's height: OCR-B
# letters and digits span about 0.85 of it and the filler '<' about 0.45; the thin lines of
# a guilloche or a rule cross it in a few rows.
PRINT_SPAN = 0.35


def extend_ends(ink: np.ndarray, group: tuple[LineBox, ...]) -> tuple[LineBox, ...]:
    """The group's lines lengthened at either end while print continues in their bands with
    no gap wider than a character and a bit (the gap ``segment.text_extent`` bridges): a line
    broken by a stamp or by touching characters gets back the part the search missed. Ink
    beside the line that is not part of it is left for the reader's alignment to reject."""
    angle = np.deg2rad(group[0].angle)
    ux, uy = np.cos(angle), np.sin(angle)
    thickness = float(np.median([b.thickness for b in group]))
    char = thickness / 1.15  # as _row_box and the bars make a line's thickness
    step = max(1.0, 0.25 * char)
    length = group[0].length
    across = np.linspace(-0.45, 0.45, max(5, int(0.9 * thickness)))  # rows of the band, in thicknesses
    along = np.arange(step, EXTEND_AT_MOST * length + step, step)
    reach = []
    for side in (-1.0, 1.0):
        inked = np.zeros(len(along), bool)
        for box in group:
            # Sample points: (steps, a few columns of one step, rows of the band).
            cols = np.linspace(0, step, 3, endpoint=False)
            d = side * (length / 2 + along[:, None, None] - cols[None, :, None] * (side < 0) + cols[None, :, None] * (side > 0))
            x = box.center[0] + d * ux - across[None, None, :] * thickness * uy
            y = box.center[1] + d * uy + across[None, None, :] * thickness * ux
            inside = (x >= 0) & (y >= 0) & (x < ink.shape[1] - 1) & (y < ink.shape[0] - 1)
            values = np.where(inside, ink[np.clip(np.round(y).astype(int), 0, ink.shape[0] - 1),
                                         np.clip(np.round(x).astype(int), 0, ink.shape[1] - 1)], 0) > 0
            rows = values.any(axis=1)  # (steps, rows)
            span = np.where(rows.any(axis=1), (len(across) - np.argmax(rows[:, ::-1], axis=1) - np.argmax(rows, axis=1)),
                            0) / len(across)
            inked |= span >= PRINT_SPAN
        last, gap_limit, steps = 0.0, 1.3 * char, 0
        for distance, on in zip(along, inked):
            if on:
                last, steps = distance, steps + 1
            elif distance - last > gap_limit:
                break
        # Less than a character's width of print beyond the end: the end's own anti-aliased
        # rim or a speck, not characters the search missed.
        reach.append(last if steps * step >= char else 0.0)
    if not any(reach):
        return group
    before, after = reach
    shift = (after - before) / 2
    return tuple(LineBox((b.center[0] + shift * ux, b.center[1] + shift * uy), b.length + before + after,
                         b.thickness, b.angle) for b in group)


def cut_strip(page: np.ndarray, box: LineBox, to_page: float) -> np.ndarray:
    """The line straightened and scaled to STRIP_HEIGHT, with a margin around it."""
    cx, cy = box.center[0] * to_page, box.center[1] * to_page
    length, thickness = box.length * to_page, box.thickness * to_page
    out_height = STRIP_HEIGHT
    scale = out_height / (thickness * 1.7)
    out_width = int(round((length + 1.6 * thickness) * scale))
    matrix = cv2.getRotationMatrix2D((cx, cy), box.angle, scale)
    matrix[0, 2] += out_width / 2 - cx
    matrix[1, 2] += out_height / 2 - cy
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.warpAffine(page, matrix, (out_width, out_height), flags=interpolation, borderMode=cv2.BORDER_REPLICATE)


def _group_polygon(group: tuple[LineBox, ...], to_page: float) -> tuple[tuple[float, float], ...]:
    corners = []
    for box in group:
        rect = ((box.center[0] * to_page, box.center[1] * to_page),
                (box.length * to_page, box.thickness * to_page * 1.4), box.angle)
        corners.append(cv2.boxPoints(rect))
    hull = cv2.minAreaRect(np.vstack(corners).astype(np.float32))
    points = cv2.boxPoints(hull)
    # Clockwise from top-left.
    order = np.argsort(np.arctan2(points[:, 1] - points[:, 1].mean(), points[:, 0] - points[:, 0].mean()))
    points = points[order]
    start = int(np.argmin(points.sum(axis=1)))
    points = np.roll(points, -start, axis=0)
    return tuple((round(float(x), 1), round(float(y), 1)) for x, y in points)


def _unturn(point: tuple[float, float], turns: int, original_shape) -> tuple[float, float]:
    """Map a point of np.rot90(page, turns) back to the page."""
    x, y = point
    if turns == 0:
        return (x, y)
    # np.rot90 by one turn (counter-clockwise): page (r, c) -> turned (W - 1 - c, r).
    width = original_shape[1]
    return (round(width - 1 - y, 1), round(x, 1))
