"""A straightened MRZ line -> one small patch per character.

OCR-B in an MRZ is monospaced and every position is printed (fillers are '<'), so a
line of n characters is n equal cells. The pitch and the first cell's offset are found
together: the cell boundaries should fall where the column profile has the least ink.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from screening.mrz.locate import STRIP_MARGIN
from screening.raster import byte_percentile

PATCH_HEIGHT = 32
PATCH_WIDTH = 24


@dataclass(frozen=True)
class Cells:
    patches: np.ndarray  # (n, PATCH_HEIGHT, PATCH_WIDTH) float32, ink 1.0, paper 0.0
    pitch: float  # in strip pixels
    offset: float  # left edge of the first cell, in strip pixels
    ink: np.ndarray  # (n,) share of inked pixels per cell (an empty cell is a misread)
    # (n + 1,) cell boundaries in strip pixels; with ``extra`` cells, these run past the line.
    bounds: np.ndarray | None = None
    rows: tuple[int, int] | None = None  # the rows the patches were cut from


def ink_map(strip: np.ndarray) -> np.ndarray:
    """Ink as floats 0..1 with the background levelled out."""
    height = strip.shape[0]
    # Paper level per column from a wide closing (removes the print, keeps the paper). On 8-bit
    # pixels where given (the same values: a closing only picks among them), twice as fast.
    k = max(3, height // 2) | 1
    paper = cv2.morphologyEx(strip, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    ink = np.clip(paper.astype(np.float32) - strip.astype(np.float32), 0, None)
    # On 8-bit pixels the ink is whole levels: its percentile from their histogram (the same value).
    top = byte_percentile(cv2.subtract(paper, strip), 99.5) if strip.dtype == np.uint8 else np.percentile(ink, 99.5)
    ink = np.clip(ink / max(top, 1e-3), 0, 1)
    # Faint print behind the MRZ (security patterns, show-through) sits well below the
    # print's own contrast: Otsu splits the two, and what is below half its level goes.
    level, _ = cv2.threshold((ink * 255).astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    floor = 0.5 * level / 255.0
    return np.clip((ink - floor) / max(1 - floor, 1e-3), 0, 1)


def runs_above(profile: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """(start, end) of every run of values above ``threshold``, end exclusive."""
    runs, start = [], None
    for index, value in enumerate(np.append(profile, threshold)):
        if value > threshold and start is None:
            start = index
        elif value <= threshold and start is not None:
            runs.append((start, index))
            start = None
    return runs


def text_rows(ink: np.ndarray) -> tuple[int, int]:
    """Top and bottom rows of the characters: the run of inked rows holding the most ink.

    A stray rule or a printed edge can make a single row the darkest: the threshold is
    taken from the typical inked row, and the run must hold most of the ink."""
    profile = np.convolve((ink > 0.5).mean(axis=1), np.ones(3) / 3, mode="same")
    if profile.max() <= 0:
        return 0, ink.shape[0]
    runs = runs_above(profile, 0.3 * np.percentile(profile[profile > 0], 75))
    top, bottom = max(runs, key=lambda r: profile[r[0] : r[1]].sum())
    # Blur thins the characters' horizontal strokes (the tops of A, E, T, the bars of B and H)
    # below the inked rows' threshold, and splits one line's rows in two: the run with most ink
    # (the lower half, where the fillers print too) lost the letters' tops, which then read as
    # N, L, I, D (motion-blurred generated pages). A run that close is the same characters; the
    # next MRZ line or the visual zone lies at least ~0.7 of a character's height away (Doc 9303
    # line spacing), well beyond SPLIT_GAP.
    others = [r for r in runs if r != (top, bottom)]
    while near := [r for r in others if max(r[0] - bottom, top - r[1]) <= SPLIT_GAP * (bottom - top)]:
        others = [r for r in others if r not in near]
        top, bottom = min([top] + [r[0] for r in near]), max([bottom] + [r[1] for r in near])
    return int(top), int(bottom)


# See text_rows: a gap of at most this share of the characters' rows found splits one line.
SPLIT_GAP = 0.25


@dataclass(frozen=True)
class Line:
    """What every reading of one strip shares, whatever its length: worked out once."""

    ink: np.ndarray  # ink_map of the strip
    top: int  # the characters' rows
    bottom: int
    columns: np.ndarray  # column profile of the characters' rows, edges left out
    print_extent: tuple[float, float] | None  # left and right of the print; None: too short to trust
    located_extent: tuple[float, float]  # the locator's extent: the strip less its margins


def analyse_line(strip: np.ndarray) -> Line:
    """The strip's ink, characters' rows, column profile and extent (see ``Line``)."""
    ink = ink_map(strip)
    top, bottom = text_rows(ink)
    columns = not_edges(ink, top, bottom)
    # The extent from the columns' strongest ink, not their mean: a run of fillers ('<',
    # thin strokes) under glare is faint on average but still has inked pixels.
    strongest = np.where(columns > 0, ink[top:bottom].max(axis=0), 0.0)
    left, right = text_extent(np.maximum(columns, 0.3 * strongest), bottom - top)
    located = (STRIP_MARGIN, strip.shape[1] - STRIP_MARGIN)
    # A blot or a gap split the print when it covers less than 70% of the located line.
    trusted = right - left >= 0.7 * (strip.shape[1] - 2 * STRIP_MARGIN)
    return Line(ink, top, bottom, columns, (left, right) if trusted else None, located)


def split_cells(strip: np.ndarray, count: int, grid: tuple[float, float] | None = None,
                located: bool = False, line: Line | None = None, extra: int = 0) -> Cells:
    """Cut ``count`` character cells out of a strip; ``grid`` (pitch, offset) overrides the fit.

    ``located``: take the line's extent from the locator (the strip less its margins)
    rather than from the print (which misses faint ends, as fillers under glare).
    ``line``: the strip's ``analyse_line``, when the caller has it already.
    ``extra``: that many more cells at each end, at the end cells' widths (``count + 2 *
    extra`` in all): ink beside the line (a mark, text, a card's edge) can make the print's
    extent one or two cells longer than the line, and the reader picks which ``count``
    cells are the line (see ``read._align``)."""
    line = line or analyse_line(strip)
    ink, top, bottom, columns = line.ink, line.top, line.bottom, line.columns
    text = ink[top:bottom]
    # Where the print's extent is not to be trusted, the locator's extent of the line.
    left, right = line.located_extent if located or line.print_extent is None else line.print_extent
    estimate = (right - left) / (count - 0.35)
    if grid is not None:
        pitch, offset = grid
        bounds = offset + np.arange(count + 1) * pitch
    else:
        pitch, offset = _fit_grid(columns, left, estimate, count)
        bounds = refine_bounds(columns, _fit_taper(columns, pitch, offset, count), pitch)
    if extra:
        steps = np.arange(1, extra + 1)
        bounds = np.concatenate([bounds[0] - (bounds[1] - bounds[0]) * steps[::-1], bounds,
                                 bounds[-1] + (bounds[-1] - bounds[-2]) * steps])
        count += 2 * extra
    height = bottom - top
    pad_y = 0.18 * height
    patches = np.zeros((count, PATCH_HEIGHT, PATCH_WIDTH), np.float32)
    share = np.zeros(count, np.float32)
    y0, y1 = max(0, int(top - pad_y)), min(ink.shape[0], int(np.ceil(bottom + pad_y)))
    for i in range(count):
        x0 = bounds[i] - 0.08 * pitch
        x1 = bounds[i + 1] + 0.08 * pitch
        patches[i] = _patch(ink, x0, x1, y0, y1)
        cell = text[:, max(0, int(x0)) : max(1, int(x1))]
        share[i] = float(cell.mean()) if cell.size else 0.0
    return Cells(patches, pitch, offset, share, np.asarray(bounds, np.float64), (y0, y1))


def recut(line: Line, x0: float, x1: float, rows: tuple[int, int], shift: float = 0.0, grow: float = 0.0,
          threshold: float | None = None) -> np.ndarray:
    """One cell cut again for a second look: moved by ``shift`` and widened on each side by
    ``grow`` (fractions of its width), and where ``threshold`` is given, the ink binarised at it
    (a character under a faint stain or with thin strokes reads differently)."""
    width = x1 - x0
    ink = line.ink if threshold is None else (line.ink > threshold).astype(np.float32)
    return _patch(ink, x0 + (shift - grow) * width, x1 + (shift + grow) * width, rows[0], rows[1])


def refine_bounds(columns: np.ndarray, bounds: np.ndarray, pitch: float) -> np.ndarray:
    """Let each cell boundary move to the nearby column with the least ink (dynamic
    programming over half-pixel positions), each cell staying within 12% of the pitch.

    On a phone photo the pitch shrinks or grows along the line (perspective): one grid
    for the whole line slips by the end, these boundaries follow the print."""
    fine = np.interp(np.arange(0, len(columns), 0.5), np.arange(len(columns)), columns)
    fine = np.convolve(fine, np.ones(3) / 3, mode="same")
    size = len(fine)
    step = 2 * pitch  # the pitch in half pixels
    # Each cell's expected width: the pitch, or along a tapered grid its own.
    steps = 2 * np.diff(bounds) if np.ptp(np.diff(bounds)) > 1e-6 * pitch else np.full(len(bounds) - 1, step)
    weight = 0.5 * (float(fine[fine > 0].mean()) if np.any(fine > 0) else 1.0)
    start = int(round(2 * bounds[0]))
    cost = np.full(size, np.inf)
    window = int(0.3 * step)
    lo, hi = max(0, start - window), min(size, start + window + 1)
    if lo >= hi:
        return bounds
    cost[lo:hi] = fine[lo:hi] + weight * ((np.arange(lo, hi) - start) / step) ** 2 * 25
    choices = []
    for cell_step in steps:
        widths = np.arange(max(1, int(np.floor(0.88 * cell_step))), int(np.ceil(1.12 * cell_step)) + 1)
        penalty = weight * ((widths - cell_step) / cell_step) ** 2 * 25
        # One min-plus step, only over the positions the finite costs [lo, hi) can reach:
        # reached[w, p] is the cost of ending this cell at p with width widths[w].
        lo, hi = min(size, lo + int(widths[0])), min(size, hi + int(widths[-1]))
        arg = np.zeros(size, np.int64)
        if lo >= hi:
            cost = np.full(size, np.inf)
            choices.append(arg)
            continue
        sources = np.arange(lo, hi)[None, :] - widths[:, None]
        reached = np.where(sources >= 0, cost[np.maximum(sources, 0)] + penalty[:, None], np.inf)
        pick = np.argmin(reached, axis=0)  # the narrowest width among equally cheap ones
        best = reached[pick, np.arange(hi - lo)]
        cost = np.full(size, np.inf)
        cost[lo:hi] = best + fine[lo:hi]
        arg[lo:hi] = np.where(np.isfinite(best), widths[pick], 0)
        choices.append(arg)
    end = int(np.argmin(cost))
    if not np.isfinite(cost[end]):
        return bounds
    path = [end]
    for arg in reversed(choices):
        path.append(path[-1] - int(arg[path[-1]]))
    return np.array(path[::-1], np.float64) / 2.0


def not_edges(ink: np.ndarray, top: int, bottom: int) -> np.ndarray:
    """Column profile of the text band without vertical edges (a card's border, a frame).

    Print stays within its band; an edge also runs through the narrow gaps just above and
    below it, where the neighbouring MRZ lines (aligned column for column) do not reach."""
    inside = ink[top:bottom].mean(axis=0)
    above = ink[max(0, top - 4) : max(0, top - 1)]
    below = ink[bottom + 1 : bottom + 4]
    if not above.size or not below.size:
        return inside
    through = np.minimum(above.min(axis=0), below.min(axis=0))
    edge = (through > 0.1) & (through > 0.5 * inside)
    edge = edge | np.roll(edge, 1) | np.roll(edge, -1)  # and its anti-aliased rim
    return np.where(edge, 0.0, inside)


def text_extent(columns: np.ndarray, char_height: int) -> tuple[float, float]:
    """Left and right edges of the longest run of print, bridging gaps narrower than a character."""
    if columns.max() <= 0:
        return 0.0, float(len(columns))
    level = 0.3 * np.percentile(columns[columns > 0], 90) if np.any(columns > 0) else 0
    inked = columns > level
    bridge = max(2, int(1.3 * char_height))
    runs, start, gap = [], None, 0
    for x, on in enumerate(inked):
        if on:
            if start is None:
                start = x
            gap, end = 0, x
        elif start is not None:
            gap += 1
            if gap > bridge:
                runs.append((start, end + 1))
                start = None
    if start is not None:
        runs.append((start, end + 1))
    left, right = max(runs, key=lambda r: columns[r[0] : r[1]].sum())
    return float(left), float(right)


def _fit_grid(columns: np.ndarray, left: float, estimate: float, count: int) -> tuple[float, float]:
    """Pitch and offset whose cell boundaries cross the least ink."""
    padded = np.concatenate([columns, np.zeros(int(estimate * 2) + 2)])
    pitches = estimate * np.linspace(0.94, 1.06, 49)
    offsets = left - estimate * np.linspace(0.0, 0.3, 13)
    k = np.arange(count + 1)
    cumulative = np.concatenate([[0.0], np.cumsum(padded)])
    typical = padded[padded > 0].mean() if np.any(padded > 0) else 1.0
    # Every (pitch, offset) at once: bounds[p, o] are the boundaries of that grid.
    bounds = offsets[None, :, None] + k[None, None, :] * pitches[:, None, None]
    index = np.clip(np.round(bounds).astype(int), 0, len(padded) - 1)
    cost = padded[index].sum(axis=2)
    # Every MRZ position is printed: an empty first or last cell means the grid
    # runs past the text.
    for a, b in ((index[..., 0], index[..., 1]), (index[..., -2], index[..., -1])):
        cell_ink = (cumulative[b] - cumulative[a]) / np.maximum(b - a, 1)
        cost += np.where(cell_ink < 0.15 * typical, 5.0 * typical * pitches[:, None], 0.0)
    # The first of equally good grids in (pitch, offset) order, as the search always took.
    p, o = np.unravel_index(int(np.argmin(cost)), cost.shape)
    return float(pitches[p]), float(offsets[o])


def _fit_taper(columns: np.ndarray, pitch: float, offset: float, count: int) -> np.ndarray:
    """Cell boundaries of the best grid whose pitch changes steadily along the line (a line
    seen at an angle: its characters shrink towards the far end), near the fitted grid.
    An even grid unless a tapered one crosses clearly less ink."""
    padded = np.concatenate([columns, np.zeros(int(pitch * 4) + 2)])
    typical = padded[padded > 0].mean() if np.any(padded > 0) else 1.0
    tapers = np.linspace(-0.4, 0.4, 17)  # last cell's pitch over the first's, minus one, about
    pitches = pitch * np.linspace(0.96, 1.04, 9)
    offsets = offset + pitch * np.linspace(-0.2, 0.2, 9)
    position = np.arange(count) / max(count - 1, 1) - 0.5
    T, P, O = np.meshgrid(tapers, pitches, offsets, indexing="ij")
    widths = P.reshape(-1, 1) * (1 + T.reshape(-1, 1) * position[None, :])
    bounds = O.reshape(-1, 1) + np.concatenate([np.zeros((widths.shape[0], 1)), np.cumsum(widths, axis=1)], axis=1)
    index = np.clip(np.round(bounds).astype(int), 0, len(padded) - 1)
    cost = padded[index].sum(axis=1) + 2.0 * typical * np.abs(T.reshape(-1))
    even = offset + np.arange(count + 1) * pitch
    even_cost = padded[np.clip(np.round(even).astype(int), 0, len(padded) - 1)].sum()
    j = int(np.argmin(cost))
    return bounds[j] if cost[j] < even_cost - 0.5 * typical else even


def _patch(ink: np.ndarray, x0: float, x1: float, y0: int, y1: int) -> np.ndarray:
    width = x1 - x0
    height = y1 - y0
    # Affine crop with sub-pixel x, resized to the patch size.
    sx, sy = PATCH_WIDTH / width, PATCH_HEIGHT / height
    matrix = np.array([[sx, 0, -x0 * sx], [0, sy, -y0 * sy]], np.float32)
    interpolation = cv2.INTER_AREA if sx < 1 else cv2.INTER_LINEAR
    return cv2.warpAffine(ink, matrix, (PATCH_WIDTH, PATCH_HEIGHT), flags=interpolation, borderValue=0)
