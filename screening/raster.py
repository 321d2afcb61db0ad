"""Pixel operations shared by the reader, the visual zone, the print forensics and the generators."""

from __future__ import annotations

import threading
from dataclasses import dataclass

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


@dataclass(frozen=True)
class MotionBlur:
    """A straight motion blur measured on print: ``length`` pixels at ``angle_deg`` (as
    ``motion_kernel`` takes them), and how much less the print varies along it than across it."""

    length: int
    angle_deg: float
    anisotropy: float


# The MRZ's print measured as motion-blurred at this anisotropy or more (``measured_motion_blur``)
# is taken for a page the hand shook (``shaken``): its visual zone is read deblurred, and its MRZ
# read again so where the first reading is unsure. On tools/diagnose_recall.py's tuning pages
# (seed 31, 350), the MRZ of every capture without shake measured at most 1.17 (scans, rotations,
# tilted, glared and webcam photos) and the real development set's genuine pages at most 1.23;
# motion-blurred photos 1.17-2.26, phone photos (a little shake) 1.04-1.59. On the tuning set's 89
# blurred, phone and webcam pages, visual zone fields compared: 399 of 531 without deblurring; from
# 1.25, 443 of 534; from 1.35, 441; from 1.5, 436. 1.35 keeps the margin above still print.
SHAKEN = 1.35
# The Wiener filter's signal-to-noise ratio. On those pages, fields compared at 20: 436; 30: 441;
# 40: 441; 50: 443; 80: 435; 120: 434 (a stronger filter rings on the sensor's noise, a weaker one
# leaves the blur).
SHAKEN_SNR = 30.0
# Pages larger than this are deblurred scaled down to it (``deblurred``): about 90 MB for the
# transforms at most (five float32 arrays of the padded page, kept by the thread for the next page),
# against 1.6 GB for an 80-megapixel page (imageio.MAX_PIXELS).
DEBLUR_MAX_PIXELS = 4_000_000


def shaken(page: np.ndarray, polygon, margin: int = 20) -> MotionBlur | None:
    """The motion blur of a page whose MRZ lies at ``polygon`` (page pixels), if the hand shook
    (SHAKEN); None for still print. The MRZ is the page's one print known to be there, large and
    dense: a hand that moved during the exposure smears it as it smears the small print beside it
    (a 640-pixel-wide card front, 8-11 px of blur: Tesseract reads none of it)."""
    points = np.asarray(polygon, np.float32).reshape(-1, 2)
    x0, y0 = (int(v) for v in np.maximum(points.min(axis=0) - margin, 0))
    x1, y1 = int(min(page.shape[1], points[:, 0].max() + margin)), int(min(page.shape[0], points[:, 1].max() + margin))
    if x1 - x0 < 64 or y1 - y0 < 64:
        return None  # too little print to measure a blur on
    return measured_motion_blur(page[y0:y1, x0:x1], at_least=SHAKEN)


def measured_motion_blur(grey: np.ndarray, longest: int = 24, at_least: float | None = None) -> MotionBlur | None:
    """The straight motion blur that best explains ``grey`` (print: the MRZ's characters); with
    ``at_least``, None where the print is less anisotropic than that (its length not measured: the
    direction costs a millisecond, the length tens).

    The direction is the one the print's gradients vary least along (a blur smooths along its
    path, and upright print has as much edge one way as the other); the length is the lag at which
    the derivative along that direction is most anti-correlated with itself: a blurred edge is a
    ramp as long as the blur, whose derivative is a box that ends where it began, shifted
    (Yitzhaky and Kopeika's method)."""
    g = grey.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    xx, yy, xy = float((gx * gx).mean()), float((gy * gy).mean()), float((gx * gy).mean())
    angles = np.radians(np.arange(0.0, 180.0, 1.0))
    energy = xx * np.cos(angles) ** 2 + 2 * xy * np.cos(angles) * np.sin(angles) + yy * np.sin(angles) ** 2
    along = float(angles[int(np.argmin(energy))])
    anisotropy = float(np.sqrt(energy.max() / max(energy.min(), 1e-6)))
    if at_least is not None and anisotropy < at_least:
        return None
    c, s = np.cos(along), np.sin(along)
    derivative = gx * c + gy * s
    margin = longest + 2
    inner = derivative[margin:-margin, margin:-margin]
    if inner.size == 0:
        return MotionBlur(1, float(-np.degrees(along) % 180.0), anisotropy)
    correlation = []
    for lag in range(1, longest + 1):
        shift = np.float32([[1, 0, -lag * c], [0, 1, -lag * s]])
        moved = cv2.warpAffine(derivative, shift, (derivative.shape[1], derivative.shape[0]))
        correlation.append(float((inner * moved[margin:-margin, margin:-margin]).mean()))
    # Image rows run down: an angle measured counter-clockwise on screen, as motion_kernel's.
    return MotionBlur(1 + int(np.argmin(correlation)), float(-np.degrees(along) % 180.0), anisotropy)


def deblurred(grey: np.ndarray, blur: MotionBlur, signal_to_noise: float | None = None) -> np.ndarray:
    """``grey`` with ``blur`` undone by a Wiener filter (``signal_to_noise`` its regularisation,
    SHAKEN_SNR by default), the image mirrored at its edges so that the filter's wrap-around rings
    nowhere inside."""
    signal_to_noise = SHAKEN_SNR if signal_to_noise is None else signal_to_noise
    if grey.size > DEBLUR_MAX_PIXELS:
        # A large photo is deblurred at a size that bounds the transforms' memory, then brought back
        # to its own size: the visual zone is cut at 10 px a millimetre, less than a page this large holds.
        scale = (DEBLUR_MAX_PIXELS / grey.size) ** 0.5
        small = cv2.resize(grey, (max(1, int(grey.shape[1] * scale)), max(1, int(grey.shape[0] * scale))),
                           interpolation=cv2.INTER_AREA)
        shrunk = MotionBlur(max(1, int(round(blur.length * scale))), blur.angle_deg, blur.anisotropy)
        return cv2.resize(deblurred(small, shrunk, signal_to_noise), (grey.shape[1], grey.shape[0]),
                          interpolation=cv2.INTER_CUBIC)
    kernel = motion_kernel(blur.length, blur.angle_deg)
    pad = 2 * kernel.shape[0]
    shape = (cv2.getOptimalDFTSize(grey.shape[0] + 2 * pad), cv2.getOptimalDFTSize(grey.shape[1] + 2 * pad))
    # Spectra packed as OpenCV packs a real image's (CCS: as many floats as pixels), in arrays kept
    # from page to page: fresh page-sized arrays are the most of a deblurring's time where memory
    # is mapped in lazily (measured in the kiosk's worker thread: 310 ms a page, 45 ms reused).
    padded, spread, response, gain, spectrum = (_work.array(name, shape) for name in _WORK)
    np.copyto(padded, cv2.copyMakeBorder(grey, pad, shape[0] - grey.shape[0] - pad, pad,
                                         shape[1] - grey.shape[1] - pad, cv2.BORDER_REFLECT))
    # The kernel centred on the origin, wrapped around (as the transform sees it).
    spread.fill(0)
    offsets = np.arange(kernel.shape[0]) - kernel.shape[0] // 2
    spread[np.ix_(offsets % shape[0], offsets % shape[1])] = kernel
    cv2.dft(spread, dst=response)
    # Which packed values are real parts: the transform of a unit impulse is 1 at every frequency.
    spread.fill(0)
    spread[0, 0] = 1.0
    real = cv2.dft(spread, dst=spread)
    # The Wiener gain (1 + 1/SNR) / (|K|^2 + 1/SNR) on the real parts, 0 on the imaginary ones (a
    # real spectrum, applied by mulSpectrums). (1 + 1/SNR) so that the page's overall level (|K| =
    # 1 at zero frequency) passes unchanged: the paper stays the paper's grey.
    cv2.mulSpectrums(response, response, 0, c=gain, conjB=True)
    cv2.scaleAdd(real, 1.0 / signal_to_noise - 1.0, gain, dst=gain)
    gain += 1.0  # 1 under the imaginary parts, whose gain comes out 0
    np.divide(real, gain, out=gain)
    gain *= np.float32(1.0 + 1.0 / signal_to_noise)
    cv2.dft(padded, dst=spectrum)
    cv2.mulSpectrums(spectrum, response, 0, c=padded, conjB=True)
    cv2.mulSpectrums(padded, gain, 0, c=spectrum)
    out = cv2.idft(spectrum, dst=padded, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
    inner = out[pad:pad + grey.shape[0], pad:pad + grey.shape[1]]
    return np.clip(inner, 0, 255, out=inner).astype(np.uint8)


_WORK = ("padded", "kernel", "response", "gain", "spectrum")


class _Workspace(threading.local):
    """float32 arrays kept by each thread between calls, grown to the largest size asked for."""

    def __init__(self):
        self.buffers: dict[str, np.ndarray] = {}

    def array(self, name: str, shape: tuple[int, int]) -> np.ndarray:
        size = shape[0] * shape[1]
        kept = self.buffers.get(name)
        if kept is None or kept.size < size:
            kept = self.buffers[name] = np.empty(size, np.float32)
        return kept[:size].reshape(shape)


_work = _Workspace()


def warm_up() -> None:
    """This thread's deblurring arrays, grown now to the largest page's (DEBLUR_MAX_PIXELS, about
    90 MB) and touched: a service's first shaken photo then costs what every later one does."""
    side = int(DEBLUR_MAX_PIXELS ** 0.5)
    deblurred(np.full((side, side), 255, np.uint8), MotionBlur(9, 0.0, SHAKEN))
