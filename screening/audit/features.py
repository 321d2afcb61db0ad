"""What an audit remembers of each page to compare documents with each other.

- ``pixel_digest``: SHA-256 of the decoded grey pixels: the same image, whatever file
  format or metadata it was saved with.
- ``perceptual_hash``: a 64-bit DCT hash (pHash) of an image; re-encoded, resized or
  slightly recompressed copies differ in a few bits only.
- ``portrait_area``: the portrait placed from the MRZ: ICAO data pages (Doc 9303 Part 4,
  zone V) print it above the MRZ on the left, at a position fixed relative to the MRZ
  for each format, so the MRZ polygon the reader found gives its place, size and
  orientation (also on rotated or skewed photos).
- ``thumbnail``: a small JPEG with the MRZ outlined, for the report.

Arrays follow the toolkit's convention: (H, W) uint8 grey.
"""

from __future__ import annotations

import hashlib
from typing import Sequence

import cv2
import numpy as np

from screening.zones import MRZ_PITCH_MM

CHARS_PER_LINE = {"TD1": 30, "TD2": 36, "TD3": 44, "MRV-A": 44, "MRV-B": 36}

# The portrait zone relative to the top-left corner of the MRZ, in mm along the MRZ line
# (x) and down the page (y, negative = above), from the layouts of Doc 9303 Parts 4-7 as
# our specimens print them. A TD1 card's portrait is on its front: scanned together, the
# front lies above the back (4 mm apart), which is what the TD1 entry assumes.
PORTRAIT_MM = {
    "TD3": (-1.6, -63.5, 28.4, -24.5),
    "TD2": (-2.6, -52.1, 22.6, -19.3),
    "MRV-A": (0.4, -56.8, 27.7, -21.3),
    "MRV-B": (-2.6, -52.1, 22.6, -19.3),
    "TD1": (-1.2, -87.2, 20.8, -58.2),
}
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
    """The portrait, upright, cut from where the MRZ says it is; None when it is off the image or blank."""
    box = PORTRAIT_MM.get(mrz_format)
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
    px_per_mm = length / (CHARS_PER_LINE[mrz_format] * MRZ_PITCH_MM)
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * PORTRAIT_INSET, (y1 - y0) * PORTRAIT_INSET
    x0, x1, y0, y1 = x0 + dx, x1 - dx, y0 + dy, y1 - dy

    def at(x_mm: float, y_mm: float) -> np.ndarray:
        return p0 + along * x_mm * px_per_mm + down * y_mm * px_per_mm

    corners = np.float32([at(x0, y0), at(x1, y0), at(x0, y1)])
    height, width = image.shape[:2]
    all_corners = np.vstack([corners, at(x1, y1)])
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
