"""Pixel operations shared by the reader, the visual zone, the print forensics and the generators."""

from __future__ import annotations

import cv2
import numpy as np


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
