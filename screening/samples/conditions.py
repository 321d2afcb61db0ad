"""Capture conditions: what a scanner or a phone makes of a rendered document.

Input: the document's pieces (RGBA uint8 arrays at 300 dpi, alpha 0 outside a card's
rounded corners). Output: one RGB uint8 image, and the JPEG quality to save it with.
All randomness comes from the generator passed in, so a seed gives the same image.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

LID = 246  # a scanner lid, near white


@dataclass(frozen=True)
class Captured:
    image: np.ndarray  # RGB uint8
    jpeg_quality: int
    note: str  # what was done, for the answer key


def _on_background(piece: np.ndarray, background: np.ndarray, x: int, y: int) -> None:
    h, w = piece.shape[:2]
    alpha = piece[..., 3:4].astype(np.float32) / 255
    region = background[y:y + h, x:x + w].astype(np.float32)
    background[y:y + h, x:x + w] = (piece[..., :3] * alpha + region * (1 - alpha)).astype(np.uint8)


def flat_scan(pieces: tuple[np.ndarray, ...], dpi: int = 300) -> np.ndarray:
    """The pieces as a flatbed scan: one page fills the image; a card's two sides lie one above the other."""
    if len(pieces) == 1 and pieces[0][..., 3].min() == 255:
        return np.ascontiguousarray(pieces[0][..., :3])
    margin = round(4 * dpi / 25.4)
    width = max(p.shape[1] for p in pieces) + 2 * margin
    height = sum(p.shape[0] for p in pieces) + margin * (len(pieces) + 1)
    canvas = np.full((height, width, 3), LID, np.uint8)
    y = margin
    for piece in pieces:
        _on_background(piece, canvas, margin, y)
        y += piece.shape[0] + margin
    return canvas


def _sensor_noise(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noise = rng.normal(0, sigma, image.shape).astype(np.float32)
    return np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def scan(pieces, rng: np.random.Generator, dpi: int = 300) -> Captured:
    image = flat_scan(pieces)
    image = cv2.GaussianBlur(image, (0, 0), 0.6)
    if dpi != 300:
        h, w = image.shape[:2]
        image = cv2.resize(image, (round(w * dpi / 300), round(h * dpi / 300)), interpolation=cv2.INTER_AREA)
    return Captured(_sensor_noise(image, rng, 1.2), 76, f"flat scan at {dpi} dpi")


def jpeg_low(pieces, rng: np.random.Generator) -> Captured:
    captured = scan(pieces, rng)
    quality = int(rng.integers(12, 22))
    return Captured(captured.image, quality, f"flat scan at 300 dpi saved as JPEG quality {quality}")


def rotated(pieces, rng: np.random.Generator, quarter_turns: int) -> Captured:
    captured = scan(pieces, rng)
    image = np.ascontiguousarray(np.rot90(captured.image, k=-quarter_turns))  # clockwise
    return Captured(image, captured.jpeg_quality, f"flat scan, document turned {90 * quarter_turns} degrees")


def skew(pieces, rng: np.random.Generator) -> Captured:
    image = flat_scan(pieces)
    angle = float(rng.uniform(1.5, 4.5)) * (1 if rng.random() < 0.5 else -1)
    h, w = image.shape[:2]
    pad = round(0.06 * max(h, w))
    big = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=(LID, LID, LID))
    centre = (big.shape[1] / 2, big.shape[0] / 2)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    out = cv2.warpAffine(big, matrix, (big.shape[1], big.shape[0]), flags=cv2.INTER_LINEAR,
                         borderValue=(LID, LID, LID))
    out = cv2.GaussianBlur(out, (0, 0), 0.6)
    return Captured(_sensor_noise(out, rng, 1.2), 76, f"flat scan, document skewed by {angle:.1f} degrees")


def table(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """A desk top: wood grain or a grey laminate, with soft texture."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    if rng.random() < 0.6:
        base = np.array([rng.uniform(120, 160), rng.uniform(80, 105), rng.uniform(45, 65)], np.float32)
        wobble = cv2.GaussianBlur(rng.normal(0, 1, (height // 8 + 1, width // 8 + 1)).astype(np.float32), (0, 0), 6)
        wobble = cv2.resize(wobble, (width, height))
        grain = np.sin(ys * 0.045 + 18 * wobble + 0.002 * xs) * 0.5 + 0.5
        fine = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), sigmaX=9, sigmaY=0.8)
        shade = 0.8 + 0.25 * grain + 0.1 * fine
    else:
        base = np.array([rng.uniform(150, 185)] * 3, np.float32) * np.array([1.0, 1.0, 1.04], np.float32)
        fine = cv2.GaussianBlur(rng.normal(0, 1, (height, width)).astype(np.float32), (0, 0), 1.2)
        shade = 0.95 + 0.08 * fine
    return np.clip(base[None, None, :] * shade[..., None], 0, 255).astype(np.uint8)


def phone(pieces, rng: np.random.Generator) -> Captured:
    """A hand-held phone photo: the document on a table, in perspective, uneven light, glare, blur, noise."""
    out_w, out_h = 1600, 1200
    scene = table(out_h, out_w, rng).astype(np.float32)
    # Lay the pieces side by side (a card's front and back next to each other), then photograph
    # them all with one camera pose: a keystone from the camera's tilt, a turn, a little jitter.
    gap = 40
    sheet_w = sum(p.shape[1] for p in pieces) + gap * (len(pieces) - 1)
    sheet_h = max(p.shape[0] for p in pieces)
    sheet = np.zeros((sheet_h, sheet_w, 4), np.uint8)
    x = 0
    for piece in pieces:
        sheet[: piece.shape[0], x: x + piece.shape[1]] = piece
        x += piece.shape[1] + gap
    fill = float(rng.uniform(0.68, 0.82))
    scale = min(out_w * fill / sheet_w, out_h * fill / sheet_h)
    half_w, half_h = sheet_w * scale / 2, sheet_h * scale / 2
    keystone = float(rng.uniform(0.03, 0.10)) * half_w
    far = -1 if rng.random() < 0.7 else 1  # usually the top edge is the far one
    quad = np.float32([[-half_w, -half_h], [half_w, -half_h], [half_w, half_h], [-half_w, half_h]])
    for i in ((0, 1) if far < 0 else (2, 3)):
        quad[i, 0] -= np.sign(quad[i, 0]) * keystone
    angle = np.radians(rng.uniform(-9, 9))
    turn = np.float32([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    centre = np.float32([out_w / 2 + rng.uniform(-50, 50), out_h / 2 + rng.uniform(-40, 40)])
    dst = quad @ turn.T + centre + rng.uniform(-0.012, 0.012, size=(4, 2)).astype(np.float32) * [out_w, out_h]
    src = np.float32([[0, 0], [sheet_w, 0], [sheet_w, sheet_h], [0, sheet_h]])
    matrix = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    warped = cv2.warpPerspective(sheet, matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderValue=(0, 0, 0, 0))
    alpha = warped[..., 3:4].astype(np.float32) / 255
    shadow = np.roll(cv2.GaussianBlur(alpha[..., 0], (0, 0), 14), (12, 10), axis=(0, 1))[..., None]
    scene *= 1 - 0.45 * shadow
    scene = scene * (1 - alpha) + warped[..., :3].astype(np.float32) * alpha
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    # Uneven light: a lamp off to one side, darker corners.
    lx, ly = rng.uniform(0, out_w), rng.uniform(0, out_h)
    light = 1.05 - 0.45 * np.hypot(xs - lx, ys - ly) / np.hypot(out_w, out_h)
    vignette = 1 - 0.25 * (((xs - out_w / 2) / out_w) ** 2 + ((ys - out_h / 2) / out_h) ** 2) * 2
    scene *= (light * vignette)[..., None]
    # Warm indoor light.
    scene *= np.array([1.04, 1.0, 0.9], np.float32)
    # Glare: a bright soft spot off the laminate.
    gx, gy = rng.uniform(0.25, 0.75) * out_w, rng.uniform(0.25, 0.75) * out_h
    gr = rng.uniform(70, 140)
    glare = np.exp(-(((xs - gx) / (gr * 1.8)) ** 2 + ((ys - gy) / gr) ** 2))
    scene = scene + 150 * glare[..., None]
    scene = np.clip(scene, 0, 255).astype(np.uint8)
    # Hand shake and focus: a small motion blur and a Gaussian blur.
    length = int(rng.integers(3, 8))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), float(rng.uniform(0, 180)), 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    kernel /= max(kernel.sum(), 1e-6)
    scene = cv2.filter2D(scene, -1, kernel)
    scene = cv2.GaussianBlur(scene, (0, 0), float(rng.uniform(0.6, 1.1)))
    scene = _sensor_noise(scene, rng, float(rng.uniform(3, 6)))
    return Captured(scene, int(rng.integers(72, 86)), "hand-held phone photo on a table")


def capture(pieces: tuple[np.ndarray, ...], condition: str, rng: np.random.Generator) -> Captured:
    """Apply the capture condition ``condition`` (an id of ``catalogue.CONDITIONS``)."""
    if condition == "scan300":
        return scan(pieces, rng)
    if condition == "scan150":
        return scan(pieces, rng, dpi=150)
    if condition == "jpeg_low":
        return jpeg_low(pieces, rng)
    if condition in ("rotated90", "rotated180", "rotated270"):
        return rotated(pieces, rng, int(condition[len("rotated"):]) // 90)
    if condition == "skew":
        return skew(pieces, rng)
    if condition == "phone":
        return phone(pieces, rng)
    raise KeyError(f"unknown condition {condition!r}")


def encode_jpeg(image: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return data.tobytes()
