"""The vectorised grid search and boundary refinement choose what the plain loops chose."""

from __future__ import annotations

import numpy as np
import pytest

from screening.mrz.segment import _fit_grid, refine_bounds


def _fit_grid_loop(columns, left, estimate, count):
    """The grid search one pitch at a time (the reference)."""
    padded = np.concatenate([columns, np.zeros(int(estimate * 2) + 2)])
    best = (np.inf, estimate, left)
    offsets = left - estimate * np.linspace(0.0, 0.3, 13)
    k = np.arange(count + 1)
    cumulative = np.concatenate([[0.0], np.cumsum(padded)])
    typical = padded[padded > 0].mean() if np.any(padded > 0) else 1.0
    for pitch in estimate * np.linspace(0.94, 1.06, 49):
        index = np.clip(np.round(offsets[:, None] + k[None, :] * pitch).astype(int), 0, len(padded) - 1)
        cost = padded[index].sum(axis=1)
        for a, b in ((index[:, 0], index[:, 1]), (index[:, -2], index[:, -1])):
            cell_ink = (cumulative[b] - cumulative[a]) / np.maximum(b - a, 1)
            cost += np.where(cell_ink < 0.15 * typical, 5.0 * typical * pitch, 0.0)
        j = int(np.argmin(cost))
        if cost[j] < best[0]:
            best = (cost[j], pitch, offsets[j])
    return float(best[1]), float(best[2])


def _refine_bounds_loop(columns, bounds, pitch):
    """The boundary refinement one width at a time over every position (the reference)."""
    fine = np.interp(np.arange(0, len(columns), 0.5), np.arange(len(columns)), columns)
    fine = np.convolve(fine, np.ones(3) / 3, mode="same")
    size, step = len(fine), 2 * pitch
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
        best, arg = np.full(size, np.inf), np.zeros(size, np.int64)
        for width, extra in zip(widths, penalty):
            if width >= size:
                continue
            shifted = np.full(size, np.inf)
            shifted[width:] = cost[:-width] + extra
            better = shifted < best
            best[better], arg[better] = shifted[better], width
        cost = best + fine
        choices.append(arg)
    end = int(np.argmin(cost))
    if not np.isfinite(cost[end]):
        return bounds
    path = [end]
    for arg in reversed(choices):
        path.append(path[-1] - int(arg[path[-1]]))
    return np.array(path[::-1], np.float64) / 2.0


def _line_profile(rng, count, pitch, offset, width):
    """A column profile of ``count`` characters with gaps between them, jitter and noise."""
    x = np.arange(width, dtype=np.float64)
    profile = np.zeros(width)
    for i in range(count):
        centre = offset + (i + 0.5) * pitch + rng.normal(0, 0.08 * pitch)
        profile += np.exp(-(((x - centre) / (0.28 * pitch)) ** 2)) * rng.uniform(0.3, 1.0)
    profile += rng.uniform(0, 0.05, width)
    # Quantised like a real profile (means of 0..1 ink over a band): ties between grids happen.
    return np.round(profile, 2)


@pytest.mark.parametrize("seed", range(25))
def test_vectorised_grid_and_bounds_match_the_loops(seed):
    rng = np.random.default_rng(seed)
    count = int(rng.choice([30, 36, 44]))
    pitch = rng.uniform(14, 30)
    offset = rng.uniform(10, 30)
    columns = _line_profile(rng, count, pitch, offset, int(offset + count * pitch + rng.uniform(5, 40)))
    estimate = pitch * rng.uniform(0.96, 1.04)
    assert _fit_grid(columns, offset, estimate, count) == _fit_grid_loop(columns, offset, estimate, count)
    fitted_pitch, fitted_offset = _fit_grid(columns, offset, estimate, count)
    even = fitted_offset + np.arange(count + 1) * fitted_pitch
    tapered = fitted_offset + np.concatenate([[0], np.cumsum(fitted_pitch * np.linspace(1.1, 0.9, count))])
    for bounds in (even, tapered):
        np.testing.assert_array_equal(refine_bounds(columns, bounds, fitted_pitch),
                                      _refine_bounds_loop(columns, bounds, fitted_pitch))


def test_bounds_outside_the_line_are_kept():
    columns = np.ones(50)
    bounds = 200 + np.arange(31) * 10.0  # starts past the end: nothing to refine
    np.testing.assert_array_equal(refine_bounds(columns, bounds, 10.0), bounds)
