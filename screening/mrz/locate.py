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

WORK_SIZE = 1400  # longest side of the image the search runs on, in pixels
STRIP_HEIGHT = 40  # height of a straightened line strip, in pixels


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


def locate(page: np.ndarray, quarter_turns: int = 0, max_candidates: int = 3) -> list[MRZCandidate]:
    """Candidate MRZ regions of a grey page turned ``quarter_turns`` times, most likely first."""
    turned = np.rot90(page, quarter_turns) if quarter_turns else page
    candidates = _locate_upright(turned, quarter_turns, page.shape)
    candidates.sort(key=lambda c: -c.score)
    return candidates[:max_candidates]


def _locate_upright(page: np.ndarray, turns: int, original_shape) -> list[MRZCandidate]:
    scale = WORK_SIZE / max(page.shape)
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    work = cv2.resize(page, None, fx=scale, fy=scale, interpolation=interpolation)
    lines = find_lines(work)
    out = []
    for group, score in group_lines(lines):
        group = equalise(group)
        strips = tuple(cut_strip(page, box, 1.0 / scale) for box in group)
        polygon = _group_polygon(group, 1.0 / scale)
        polygon = tuple(_unturn(p, turns, original_shape) for p in polygon)
        out.append(MRZCandidate(strips, polygon, turns, score))
    return out


def find_lines(work: np.ndarray) -> list[LineBox]:
    """Long bars of text in a working-size grey image."""
    size = max(work.shape)
    k = max(15, size // 40) | 1
    blackhat = cv2.morphologyEx(work, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    _, ink = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    join = max(9, size // 70)
    bars = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 3)))
    bars = cv2.morphologyEx(bars, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(bars, connectivity=8)
    lines = []
    min_length = 0.15 * min(work.shape[1], size)
    for label in range(1, count):
        x, y, w, h, area = stats[label]
        if max(w, h) < min_length or area < 50:
            continue
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == label)
        points = np.column_stack([xs + x, ys + y]).astype(np.float32)
        (cx, cy), (rw, rh), angle = cv2.minAreaRect(points)
        if rw < rh:
            rw, rh, angle = rh, rw, angle + 90
        angle = (angle + 90) % 180 - 90  # -90..90, 0 = horizontal
        if abs(angle) > 30 or rh < 4:
            continue
        if rw / rh < 8 or area / (rw * rh) < 0.45:
            continue
        lines.append(LineBox((cx, cy), rw, rh, angle))
    return lines


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
    groups.sort(key=lambda g: -g[1])
    # Drop groups that reuse a line of a better group.
    taken: set[int] = set()
    kept = []
    for group, score in groups:
        ids = {id(b) for b in group}
        if ids & taken and len(kept) >= 1:
            continue
        taken |= ids
        kept.append((group, score))
    return kept


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
    return 1.1 * thickness < across < 3.2 * thickness and abs(along) < 0.2 * upper.length


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
