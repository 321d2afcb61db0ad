"""What an audit remembers of each page to compare documents with each other.

- ``pixel_digest``: SHA-256 of the decoded grey pixels: the same image, whatever file
  format or metadata it was saved with.
- ``perceptual_hash``: a 64-bit DCT hash (pHash) of an image; re-encoded, resized or
  slightly recompressed copies differ in a few bits only.
- ``portrait_area``: the portrait placed from the MRZ: ICAO data pages (Doc 9303 Part 4,
  zone V) print it above the MRZ on the left, at a position fixed relative to the MRZ
  for each format, so the MRZ polygon the reader found gives its place, size and
  orientation (also on rotated or skewed photos); where, is ``zones.portrait_corners``.
- ``thumbnail``: a small JPEG with the MRZ outlined, for the report.

Arrays follow the toolkit's convention: (H, W) uint8 grey.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

import cv2
import numpy as np

from screening import zones

# Only the middle of the zone is hashed: the MRZ polygon is found to about a millimetre,
# and a frame or background caught at the edge would make different faces look alike.
PORTRAIT_INSET = 0.15
PORTRAIT_SIZE = (48, 64)  # (width, height) of the resampled portrait
# A portrait area with hardly any contrast is a blank or missing photo: no hash.
MIN_PORTRAIT_STD = 6.0

THUMBNAIL_WIDTH = 220


def pixel_digest(image: np.ndarray) -> str:
    digest = hashlib.sha256()
    digest.update(f"{image.shape}".encode())
    digest.update(np.ascontiguousarray(image).tobytes())
    return digest.hexdigest()


def perceptual_hash(image: np.ndarray) -> int:
    """64-bit DCT perceptual hash: the 8x8 lowest frequencies of a 32x32 copy, above or below their median."""
    small = cv2.resize(_shrunk(image, 64), (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:8, :8].flatten()
    # The DC term only says how bright the image is; the median of the others sets the threshold.
    bits = low > np.median(low[1:])
    return int("".join("1" if b else "0" for b in bits), 2)


def _shrunk(image: np.ndarray, least: int) -> np.ndarray:
    """The image averaged down by a whole factor to no less than ``least`` pixels a side: OpenCV
    averages whole blocks fast, an arbitrary ratio ten times slower (a few ms a page)."""
    factor = min(image.shape[:2]) // least
    if factor < 2:
        return image
    height, width = image.shape[0] // factor * factor, image.shape[1] // factor * factor
    return cv2.resize(image[:height, :width], (width // factor, height // factor), interpolation=cv2.INTER_AREA)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def portrait_area(image: np.ndarray, mrz_format: str, polygon: Sequence[Sequence[float]]) -> np.ndarray | None:
    """The portrait, upright, cut from where the MRZ says it is (``zones.portrait_corners``); None when it
    is off the image or blank."""
    quad = zones.portrait_corners(polygon, mrz_format, PORTRAIT_INSET)
    if quad is None:
        return None
    corners = np.float32(quad[[0, 1, 3]])
    height, width = image.shape[:2]
    all_corners = np.vstack([corners, quad[2]])
    inside = ((all_corners[:, 0] >= -2) & (all_corners[:, 0] <= width + 2)
              & (all_corners[:, 1] >= -2) & (all_corners[:, 1] <= height + 2))
    if not inside.all():
        return None
    out_w, out_h = PORTRAIT_SIZE
    target = np.float32([[0, 0], [out_w, 0], [0, out_h]])
    matrix = cv2.getAffineTransform(corners, target)
    crop = cv2.warpAffine(image, matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderValue=255)
    if float(crop.std()) < MIN_PORTRAIT_STD:
        return None
    return crop


def thumbnail(image: np.ndarray, polygon: Sequence[Sequence[float]] | None = None, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A small JPEG of the page, the MRZ outlined in red when it was found."""
    scale = width / max(image.shape[1], 1)
    size = (width, max(1, round(image.shape[0] * scale)))
    small = cv2.resize(_shrunk(image, 2 * width), size, interpolation=cv2.INTER_AREA)
    colour = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    if polygon is not None:
        points = np.int32(np.round(np.asarray(polygon, dtype=np.float64) * scale)).reshape(-1, 1, 2)
        cv2.polylines(colour, [points], isClosed=True, color=(40, 40, 220), thickness=2)
    ok, encoded = cv2.imencode(".jpg", colour, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return encoded.tobytes() if ok else b""
