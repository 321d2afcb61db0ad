"""Printer families: how the personalisation printer puts the visual zone and the MRZ on the page.

Every printer prints its MRZ lines with the small differences a genuine printer shows between
its lines (``line_jitter``): baseline about ±0.05 mm, ink density ±5 %, pitch ±0.3 %,
a rotation of at most 0.1°. Print forensics must not alert on these; a pasted or re-printed
line differs by far more (defects.py).

    laser    crisp toner, a slight spread and a few toner specks
    inkjet   dot gain (strokes fatten), a slight bleed, horizontal banding
    thermal  HELD OUT: dye-sublimation / thermal transfer: soft edges, lower contrast, faint
             horizontal streaks along the print head
"""

from __future__ import annotations

import cv2
import numpy as np

from screening.samples.families import printer
from screening.samples.render import LineJitter


def line_jitter(rng: np.random.Generator, lines: int, baseline_mm: float = 0.05, density: float = 0.05,
                pitch: float = 0.003, rotation_deg: float = 0.1) -> tuple[LineJitter, ...]:
    """One genuine printer's line-to-line differences, uniform within the given bounds."""
    return tuple(LineJitter(baseline_mm=float(rng.uniform(-baseline_mm, baseline_mm)),
                            density=float(1 + rng.uniform(-density, density)),
                            pitch_scale=float(1 + rng.uniform(-pitch, pitch)),
                            rotation_deg=float(rng.uniform(-rotation_deg, rotation_deg)))
                 for _ in range(lines))


def _split(piece: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return piece[..., :3].astype(np.float32), piece[..., 3:4]


def _join(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    return np.concatenate([np.clip(rgb, 0, 255).astype(np.uint8), alpha], axis=2)


def _ink(rgb: np.ndarray) -> np.ndarray:
    """How much dark ink each pixel holds (0 paper .. 1 full black), from its darkest channel."""
    return np.clip((200 - rgb.min(axis=2)) / 180, 0, 1)


@printer("laser", "Laser: crisp toner, slight spread, a few toner specks", baseline_mm=0.05, density=0.05,
         pitch=0.003, rotation_deg=0.1)
def laser(piece: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    rgb, alpha = _split(piece)
    rgb = cv2.GaussianBlur(rgb, (0, 0), 0.25 * dpi / 300)
    # Toner specks: a few tiny dark dots, more where there is ink nearby (scatter around strokes).
    near = cv2.GaussianBlur(_ink(rgb), (0, 0), 3 * dpi / 300)
    specks = (rng.random(near.shape) < 0.0015 * near) & (rng.random(near.shape) < 0.6)
    rgb[specks] *= 0.45
    return _join(rgb, alpha)


@printer("inkjet", "Inkjet: dot gain, slight bleed, horizontal banding", baseline_mm=0.05, density=0.05,
         pitch=0.003, rotation_deg=0.1)
def inkjet(piece: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    rgb, alpha = _split(piece)
    # Dot gain: strokes fatten by about a dot (a grey erosion mixed in), then the ink bleeds.
    radius = max(1, round(dpi / 300))
    fat = cv2.erode(rgb, np.ones((2 * radius + 1, 2 * radius + 1), np.uint8))
    gain = float(rng.uniform(0.25, 0.5))
    rgb = rgb * (1 - gain) + fat * gain
    rgb = cv2.GaussianBlur(rgb, (0, 0), float(rng.uniform(0.5, 0.8)) * dpi / 300)
    # Banding: the head's passes leave bands of slightly different density.
    h = rgb.shape[0]
    period = float(rng.uniform(1.2, 3.0)) * dpi / 25.4
    phase = float(rng.uniform(0, 2 * np.pi))
    band = 1 + float(rng.uniform(0.02, 0.05)) * np.sin(2 * np.pi * np.arange(h) / period + phase)
    rgb = 255 - (255 - rgb) * band[:, None, None]
    return _join(rgb, alpha)


@printer("thermal", "Dye-sublimation / thermal transfer: soft edges, lower contrast, faint horizontal streaks",
         held_out=True, baseline_mm=0.05, density=0.05, pitch=0.003, rotation_deg=0.1)
def thermal(piece: np.ndarray, dpi: int, rng: np.random.Generator) -> np.ndarray:
    rgb, alpha = _split(piece)
    rgb = cv2.GaussianBlur(rgb, (0, 0), float(rng.uniform(0.9, 1.4)) * dpi / 300)
    # Dye never reaches full black: darks lift to grey-brown, contrast drops.
    contrast = float(rng.uniform(0.72, 0.85))
    rgb = 255 - (255 - rgb) * contrast
    rgb *= np.array([1.0, 0.98, 0.95], np.float32)
    # Streaks along the head: a few thin rows printed a little lighter across the page.
    h = rgb.shape[0]
    streak = np.ones(h, np.float32)
    for row in rng.integers(0, h, size=int(rng.integers(3, 9))):
        width = int(rng.integers(1, max(2, round(dpi / 150)) + 1))
        streak[row: row + width] = 1 - float(rng.uniform(0.06, 0.15))
    rgb = 255 - (255 - rgb) * streak[:, None, None]
    return _join(rgb, alpha)


__all__ = ["inkjet", "laser", "line_jitter", "thermal"]
