"""Synthetic MRZ lines for training the recogniser: OCR-B (and, for a share of lines,
other monospaced faces) with the degradations of real inputs (resolution, blur, noise,
JPEG, uneven paper, security backgrounds, ink weight, perspective, imperfect line
cutting). Deterministic for a given ``numpy`` generator.

The degradations are deliberately wider than the benchmark's conditions: the reader
must work on images no generator made.
"""

from __future__ import annotations

import string
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from screening.mrz.locate import STRIP_HEIGHT

# OCR-B, in its two cuts on this system, is what MRZs are printed in.
OCRB_FONTS = (
    ("/usr/share/fonts/opentype/ocr-b/OCRB.otf", 0.8),
    ("/usr/share/fonts/opentype/ocr-b/OCRBS.otf", 0.2),
)
# Other monospaced faces, for the share of lines that are not OCR-B: MRZs re-printed on
# office printers, older documents, pages made by other means. Several faces and
# weights, so that the recogniser learns the characters rather than one other font.
# Debian packages: fonts-liberation2, fonts-croscore, fonts-noto-mono, fonts-go,
# fonts-freefont-ttf, fonts-courier-prime (training only; the reader needs none).
OTHER_FONTS = (
    ("/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf", 1.0),
    ("/usr/share/fonts/truetype/liberation2/LiberationMono-Bold.ttf", 0.5),
    ("/usr/share/fonts/truetype/croscore/Cousine-Regular.ttf", 0.5),
    ("/usr/share/fonts/truetype/noto/NotoSansMono-Regular.ttf", 1.0),
    ("/usr/share/fonts/truetype/noto/NotoSansMono-Bold.ttf", 0.5),
    ("/usr/share/fonts/fonts-go/Go-Mono.ttf", 1.0),
    ("/usr/share/fonts/fonts-go/Go-Mono-Bold.ttf", 0.5),
    ("/usr/share/fonts/truetype/freefont/FreeMonoBold.ttf", 0.5),
    ("/usr/share/fonts/opentype/courier-prime/Courier Prime Sans.otf", 0.5),
)
ALPHABET = string.ascii_uppercase + string.digits + "<"
RENDER_SIZE = 64  # font size of the clean render, in pixels


@lru_cache(maxsize=32)
def _font(path: str) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, RENDER_SIZE)
    except OSError as error:
        raise OSError(f"{path}: a training font is missing (see screening.mrz.synth for its Debian package)") from error


def _pick_font(rng: np.random.Generator, other_share: float) -> tuple[ImageFont.FreeTypeFont, bool]:
    fonts = OTHER_FONTS if rng.random() < other_share else OCRB_FONTS
    paths, weights = zip(*fonts)
    path = paths[int(rng.choice(len(paths), p=np.array(weights) / sum(weights)))]
    return _font(path), fonts is OCRB_FONTS


def random_line(rng: np.random.Generator, length: int) -> str:
    """MRZ-like text: runs of fillers, names, digits, codes, in realistic proportions."""
    kind = rng.random()
    if kind < 0.35:  # a name line
        parts = ["".join(rng.choice(list(string.ascii_uppercase), rng.integers(2, 12))) for _ in range(rng.integers(1, 4))]
        text = "P<" + "".join(rng.choice(list(string.ascii_uppercase), 3)) + "<<".join(parts)
    elif kind < 0.75:  # a data line: digits, letters, few fillers
        chars = rng.choice(list(ALPHABET), length, p=_data_weights())
        text = "".join(chars)
    else:  # uniform over the alphabet: every character in every context
        text = "".join(rng.choice(list(ALPHABET), length))
    return text[:length].ljust(length, "<")


@lru_cache(maxsize=1)
def _data_weights() -> np.ndarray:
    weights = np.array([1.0] * 26 + [3.0] * 10 + [2.0])
    return weights / weights.sum()


def render_strip(text: str, rng: np.random.Generator, other_share: float = 0.0) -> tuple[np.ndarray, float, float]:
    """A degraded, straightened strip of ``text`` and its true (pitch, offset) in strip pixels.

    ``other_share``: the chance that the line is drawn in another monospaced face than
    OCR-B, at a size of its own relative to the pitch (as a re-printed line is)."""
    font, ocrb = _pick_font(rng, other_share)
    left, top, right, bottom = font.getbbox("H")
    cap = bottom - top  # the height of capitals and digits in the render
    ascent, descent = font.getmetrics()
    # The pitch relative to the characters' height: OCR-B at 10 per inch is about 0.98;
    # print scaled up or down, or another face, moves it.
    ratio = rng.uniform(0.93, 1.05) if ocrb else rng.uniform(0.76, 1.08)
    if ocrb and rng.random() < 0.1:
        ratio = rng.uniform(0.75, 1.15)
    spacing = cap * ratio
    advance = font.getlength("A")
    margin_x = int(spacing * rng.uniform(0.6, 1.5))
    width = int(margin_x * 2 + spacing * len(text))
    height = int((ascent + descent) * 2.2)
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    baseline_y = height / 2 - (ascent + descent) / 2
    jitter = rng.uniform(0, 0.03)
    drift = rng.uniform(-0.04, 0.04) * ascent if rng.random() < 0.8 else rng.uniform(-0.15, 0.15) * ascent
    centring = (spacing - advance) / 2  # a face narrower or wider than the pitch sits in the middle of its cell
    for i, char in enumerate(text):
        x = margin_x + i * spacing + centring + rng.normal(0, jitter * spacing)
        y = baseline_y + rng.normal(0, jitter * ascent) + drift * (i / len(text) - 0.5) * 2
        draw.text((x, y), char, fill=255, font=font)
    ink = np.asarray(canvas, np.float32) / 255.0
    if rng.random() < 0.3:
        ink = _keystone(ink, rng.uniform(-0.1, 0.1))

    weight = rng.integers(-2, 3)  # ink spread or thin print
    if weight:
        kernel = np.ones((abs(weight) + 1, abs(weight) + 1), np.uint8)
        ink = cv2.dilate(ink, kernel) if weight > 0 else cv2.erode(ink, kernel)

    # Capture: the character height at the scanner or camera, 7 to 40 pixels.
    cap_height = rng.uniform(7, 40) if rng.random() < 0.85 else rng.uniform(40, 60)
    scale = cap_height / cap
    small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    image = _paper_and_print(small, rng)
    if rng.random() < 0.6:
        sigma = rng.uniform(0.2, 1.3) if rng.random() < 0.85 else rng.uniform(1.3, 2.0)
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    if rng.random() < 0.15:
        k = int(rng.integers(2, 5))
        motion = np.zeros((k, k), np.float32)
        motion[k // 2, :] = 1.0 / k
        image = cv2.filter2D(image, -1, motion)
    image = image + rng.normal(0, rng.uniform(0, 10) if rng.random() < 0.85 else rng.uniform(10, 20), image.shape)
    image = np.clip(image, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        quality = int(rng.integers(10, 95))
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
    if rng.random() < 0.05:
        _, image = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)

    # Cut as the locator does: the line's height scaled to the strip, with the
    # locator's errors (thickness estimate, vertical offset, residual angle).
    text_height = cap_height
    thickness = text_height * rng.uniform(0.95, 1.35)
    to_strip = STRIP_HEIGHT / (thickness * 1.7)
    center = (image.shape[1] / 2, image.shape[0] / 2 + rng.normal(0, 0.08) * text_height)
    angle = rng.normal(0, 0.6)
    out_width = int(round(image.shape[1] * to_strip))
    matrix = cv2.getRotationMatrix2D(center, angle, to_strip)
    matrix[0, 2] += out_width / 2 - center[0]
    matrix[1, 2] += STRIP_HEIGHT / 2 - center[1]
    strip = cv2.warpAffine(image, matrix, (out_width, STRIP_HEIGHT), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    pitch = spacing * scale * to_strip  # the mean pitch (a keystone changes it along the line)
    offset = margin_x * scale * to_strip
    return strip, pitch, offset


def _paper_and_print(ink: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = ink.shape
    paper = rng.uniform(150, 255)
    print_level = rng.uniform(0, min(110, paper - 60))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    # Uneven light: a gentle gradient across the line.
    gradient = rng.uniform(-40, 40) * (xx / max(w, 1) - 0.5) + rng.uniform(-15, 15) * (yy / max(h, 1) - 0.5)
    background = np.full((h, w), paper, np.float32) + gradient
    if rng.random() < 0.5:  # a guilloche-like security pattern behind the print
        freq = rng.uniform(0.05, 0.35)
        phase = rng.uniform(0, 6.28)
        pattern = np.sin(xx * freq + np.sin(yy * freq * 0.7 + phase) * rng.uniform(1, 4))
        background -= rng.uniform(5, 45) * (pattern > rng.uniform(0.3, 0.9))
    return background * (1 - ink) + print_level * ink


def _keystone(ink: np.ndarray, amount: float) -> np.ndarray:
    """The line seen at an angle: one end taller than the other, the pitch changing along
    the line (the ends stay where they were, so the mean pitch holds)."""
    h, w = ink.shape
    source = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    squeeze = abs(amount) * h / 2
    left, right = (squeeze, 0.0) if amount > 0 else (0.0, squeeze)
    target = np.float32([[0, left], [w, right], [w, h - right], [0, h - left]])
    matrix = cv2.getPerspectiveTransform(source, target)
    return cv2.warpPerspective(ink, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=0)
