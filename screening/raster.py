"""Pixel operations shared by the reader, the visual zone, the print forensics and the generators."""

from __future__ import annotations

import cv2
import numpy as np



def byte_percentile(values: np.ndarray, q: float) -> np.float32:
    """``np.percentile(values.astype(np.float32), q)`` of 8-bit ``values``, the same float32 value
    (numpy's linear interpolation, step for step), from a histogram: 256 counts instead of
    partitioning every pixel (0.7 against 10 ms on a 150 x 1200 crop)."""
    cumulative = np.cumsum(np.bincount(values.ravel(), minlength=256))
    n = int(cumulative[-1])
    index = (n - 1) * float(np.true_divide(q, 100))
    below = min(int(np.floor(index)), n - 1)
    a = np.float32(np.searchsorted(cumulative, below, side="right"))
    b = np.float32(np.searchsorted(cumulative, min(below + 1, n - 1), side="right"))
    t = index - np.floor(index)
    return b - (b - a) * np.float32(1 - t) if t >= 0.5 else a + (b - a) * np.float32(t)

def components(binary: np.ndarray):
    """8-connected components of a binary image with their stats: (count, labels, stats, centroids),
    as ``cv2.connectedComponentsWithStats``.

    Block-based labelling (BBDT): the same labels and stats as OpenCV's default algorithm,
    about three times faster on a page (measured 1.6 against 4.6 ms on 1000x750)."""
    return cv2.connectedComponentsWithStatsWithAlgorithm(binary, 8, cv2.CV_32S, cv2.CCL_BBDT)


def motion_kernel(length: int, angle_deg: float) -> np.ndarray:
    """A straight motion blur ``length`` pixels long at ``angle_deg``, for ``cv2.filter2D``."""
    size = length if length % 2 else length + 1
    kernel = np.zeros((size, size), np.float32)
    kernel[size // 2, (size - length) // 2:(size - length) // 2 + length] = 1
    rot = cv2.getRotationMatrix2D(((size - 1) / 2, (size - 1) / 2), angle_deg, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (size, size))
    return kernel / max(kernel.sum(), 1e-6)
