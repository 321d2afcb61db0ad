"""Capture conditions: what a scanner or a phone makes of a rendered document.

Input: the document's pieces (RGBA uint8 arrays at 300 dpi, alpha 0 outside a card's
rounded corners). Output: one RGB uint8 image, and the JPEG quality to save it with.
All randomness comes from the generator passed in, so a seed gives the same image.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from screening.raster import motion_kernel
from screening.samples.families import capture as register
from screening.samples.families import get as family

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
    """Apply the capture family ``condition`` (a name registered with ``families.capture``)."""
    return family("capture", condition).make(pieces, rng)


# ------------------------------------------------------------------ the registered captures

register("scan300", "Flat scan, 300 dpi", dpi=300)(lambda pieces, rng: scan(pieces, rng))
register("scan150", "Low-resolution scan, about 150 dpi", dpi=300)(lambda pieces, rng: scan(pieces, rng, dpi=150))
register("jpeg_low", "Scan saved as low-quality JPEG", dpi=300)(jpeg_low)
register("rotated90", "Scan, document rotated 90 degrees on the glass", dpi=300)(
    lambda pieces, rng: rotated(pieces, rng, 1))
register("rotated180", "Scan, document upside down on the glass", dpi=300)(lambda pieces, rng: rotated(pieces, rng, 2))
register("rotated270", "Scan, document rotated 270 degrees on the glass", dpi=300)(
    lambda pieces, rng: rotated(pieces, rng, 3))
register("skew", "Scan, document slightly skewed", dpi=300)(skew)
register("phone", "Hand-held phone photo on a table", dpi=300)(phone)


def _sheet(pieces) -> np.ndarray:
    """The pieces side by side on a transparent sheet (a card's front and back next to each other)."""
    gap = 40
    sheet_w = sum(p.shape[1] for p in pieces) + gap * (len(pieces) - 1)
    sheet_h = max(p.shape[0] for p in pieces)
    sheet = np.zeros((sheet_h, sheet_w, 4), np.uint8)
    x = 0
    for piece in pieces:
        sheet[: piece.shape[0], x: x + piece.shape[1]] = piece
        x += piece.shape[1] + gap
    return sheet


def _tilted_quad(sheet_w: float, sheet_h: float, out_w: int, out_h: int, fill: float, tilt_deg: float,
                 direction: float, turn_deg: float, rng: np.random.Generator) -> np.ndarray:
    """Where the sheet's corners land when a camera looks at it tilted by ``tilt_deg``.

    The sheet plane is turned by ``tilt_deg`` about an in-plane axis at angle ``direction``
    and seen by a pinhole camera 2.2 sheet-widths away (a phone held about 25-35 cm from a
    passport), then turned by ``turn_deg`` in the image and scaled to fill ``fill`` of the frame.
    """
    half = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], np.float64) * [sheet_w / 2, sheet_h / 2]
    t, d = np.radians(tilt_deg), direction
    axis = np.array([np.cos(d), np.sin(d), 0.0])
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    rot = np.eye(3) + np.sin(t) * k + (1 - np.cos(t)) * k @ k  # Rodrigues
    points = np.c_[half, np.zeros(4)] @ rot.T
    distance = 2.2 * max(sheet_w, sheet_h)
    projected = points[:, :2] * distance / (distance + points[:, 2:3])
    a = np.radians(turn_deg)
    projected = projected @ np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]).T
    span = projected.max(axis=0) - projected.min(axis=0)
    scale = min(out_w * fill / span[0], out_h * fill / span[1])
    centre = np.array([out_w / 2 + rng.uniform(-0.03, 0.03) * out_w, out_h / 2 + rng.uniform(-0.03, 0.03) * out_h])
    return (projected - projected.mean(axis=0)) * scale + centre


def _photo_scene(sheet: np.ndarray, quad: np.ndarray, out_w: int, out_h: int, rng: np.random.Generator):
    """The sheet warped onto a desk at ``quad``, with its soft shadow; float RGB and the sheet's alpha."""
    scene = table(out_h, out_w, rng).astype(np.float32)
    src = np.float32([[0, 0], [sheet.shape[1], 0], [sheet.shape[1], sheet.shape[0]], [0, sheet.shape[0]]])
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    warped = cv2.warpPerspective(sheet, matrix, (out_w, out_h), flags=cv2.INTER_AREA, borderValue=(0, 0, 0, 0))
    alpha = warped[..., 3:4].astype(np.float32) / 255
    shadow = np.roll(cv2.GaussianBlur(alpha[..., 0], (0, 0), 12), (10, 8), axis=(0, 1))[..., None]
    scene *= 1 - 0.4 * shadow
    return scene * (1 - alpha) + warped[..., :3].astype(np.float32) * alpha, alpha


def _light(scene: np.ndarray, rng: np.random.Generator, strength: float = 0.35) -> np.ndarray:
    h, w = scene.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    lx, ly = rng.uniform(0, w), rng.uniform(0, h)
    light = 1.05 - strength * np.hypot(xs - lx, ys - ly) / np.hypot(w, h)
    return scene * light[..., None] * np.array([1.03, 1.0, 0.93], np.float32)


def _finish(scene: np.ndarray, rng: np.random.Generator, blur: float, noise: float) -> np.ndarray:
    scene = np.clip(scene, 0, 255).astype(np.uint8)
    if blur > 0:
        scene = cv2.GaussianBlur(scene, (0, 0), blur)
    return _sensor_noise(scene, rng, noise)


@register("handheld_tilt", "Hand-held photo with the camera tilted up to 25 degrees", dpi=300)
def handheld_tilt(pieces, rng: np.random.Generator) -> Captured:
    out_w, out_h = 1600, 1200
    sheet = _sheet(pieces)
    tilt = float(rng.uniform(8, 25))
    quad = _tilted_quad(sheet.shape[1], sheet.shape[0], out_w, out_h, float(rng.uniform(0.7, 0.85)), tilt,
                        float(rng.uniform(0, 2 * np.pi)), float(rng.uniform(-12, 12)), rng)
    scene, _ = _photo_scene(sheet, quad, out_w, out_h, rng)
    image = _finish(_light(scene, rng), rng, float(rng.uniform(0.5, 0.9)), float(rng.uniform(2.5, 5)))
    return Captured(image, int(rng.integers(75, 90)), f"hand-held photo, camera tilted {tilt:.0f} degrees")


@register("shadow_glare", "Phone photo with a soft shadow across the page and a specular highlight", dpi=300)
def shadow_glare(pieces, rng: np.random.Generator) -> Captured:
    out_w, out_h = 1600, 1200
    sheet = _sheet(pieces)
    quad = _tilted_quad(sheet.shape[1], sheet.shape[0], out_w, out_h, float(rng.uniform(0.72, 0.85)),
                        float(rng.uniform(0, 10)), float(rng.uniform(0, 2 * np.pi)), float(rng.uniform(-8, 8)), rng)
    scene, alpha = _photo_scene(sheet, quad, out_w, out_h, rng)
    scene = _light(scene, rng, 0.25)
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    # A soft shadow (a hand or the phone) over one side: a half-plane with a blurred edge.
    angle = rng.uniform(0, 2 * np.pi)
    offset = rng.uniform(-0.25, 0.1) * out_w
    side = (xs - out_w / 2) * np.cos(angle) + (ys - out_h / 2) * np.sin(angle) - offset
    softness = rng.uniform(40, 120)
    shade = 1 - float(rng.uniform(0.3, 0.5)) / (1 + np.exp(side / softness))
    scene *= shade[..., None]
    # A specular highlight off the laminate: small, bright, nearly saturated.
    corners = quad.mean(axis=0)
    gx, gy = corners + rng.uniform(-0.3, 0.3, 2) * (quad.max(axis=0) - quad.min(axis=0))
    gr = rng.uniform(35, 80)
    glare = np.exp(-(((xs - gx) / (gr * rng.uniform(1.2, 2.5))) ** 2 + ((ys - gy) / gr) ** 2))
    scene = scene + float(rng.uniform(120, 200)) * glare[..., None] * (0.4 + 0.6 * alpha)
    image = _finish(scene, rng, float(rng.uniform(0.5, 0.9)), float(rng.uniform(2.5, 5)))
    return Captured(image, int(rng.integers(75, 90)), "phone photo with a shadow over the page and a glare spot")


@register("motion_blur", "Phone photo blurred by hand movement", dpi=300)
def motion_blur(pieces, rng: np.random.Generator) -> Captured:
    out_w, out_h = 1600, 1200
    sheet = _sheet(pieces)
    quad = _tilted_quad(sheet.shape[1], sheet.shape[0], out_w, out_h, float(rng.uniform(0.72, 0.85)),
                        float(rng.uniform(0, 12)), float(rng.uniform(0, 2 * np.pi)), float(rng.uniform(-8, 8)), rng)
    scene, _ = _photo_scene(sheet, quad, out_w, out_h, rng)
    scene = np.clip(_light(scene, rng), 0, 255).astype(np.uint8)
    # Shake during the exposure: 5-11 px at 1600 px across (a character is about 25 px tall).
    length = int(rng.integers(5, 12))
    angle = float(rng.uniform(0, 180))
    scene = cv2.filter2D(scene, -1, motion_kernel(length, angle))
    image = _finish(scene.astype(np.float32), rng, 0.5, float(rng.uniform(2.5, 5)))
    return Captured(image, int(rng.integers(75, 88)), f"phone photo with {length} px motion blur at {angle:.0f} degrees")


@register("webcam_640", "640x480 webcam frame: autofocus softness, noise, JPEG", dpi=300)
def webcam_640(pieces, rng: np.random.Generator) -> Captured:
    out_w, out_h = 640, 480
    sheet = _sheet(pieces)
    # Work at twice the frame, then shrink: the sensor's own sampling.
    quad = _tilted_quad(sheet.shape[1], sheet.shape[0], 2 * out_w, 2 * out_h, float(rng.uniform(0.8, 0.92)),
                        float(rng.uniform(0, 12)), float(rng.uniform(0, 2 * np.pi)), float(rng.uniform(-6, 6)), rng)
    scene, _ = _photo_scene(sheet, quad, 2 * out_w, 2 * out_h, rng)
    scene = np.clip(_light(scene, rng, 0.3), 0, 255).astype(np.uint8)
    scene = cv2.resize(scene, (out_w, out_h), interpolation=cv2.INTER_AREA).astype(np.float32)
    image = _finish(scene, rng, float(rng.uniform(0.5, 0.9)), float(rng.uniform(3, 6)))
    return Captured(image, int(rng.integers(60, 80)), "640x480 webcam frame")


@register("booklet_curve", "Passport booklet photographed open: the page curves up near the spine", dpi=300,
          held_out=True)
def booklet_curve(pieces, rng: np.random.Generator) -> Captured:
    sheet = _sheet(pieces)
    h, w = sheet.shape[:2]
    # The page lifts near the spine (its left edge): height z(s) = A (1 - s/L)^2 over the first
    # L of the page, seen by a camera above the page's centre at distance D.
    lift = float(rng.uniform(0.06, 0.11)) * w  # about 8-14 mm on a 125 mm page
    reach = float(rng.uniform(0.22, 0.35)) * w
    distance = 2.4 * w
    s = np.arange(w, dtype=np.float64)
    z = np.where(s < reach, lift * (1 - s / reach) ** 2, 0.0)
    # Arc length -> flat position: the lifted part covers less ground (foreshortening).
    dz = np.gradient(z)
    x = np.cumsum(np.sqrt(np.clip(1 - dz ** 2, 0.05, 1))) - 1
    x += (w - x[-1]) - 1  # the flat edge opposite the spine stays where it was
    cx, cy = w / 2, h / 2
    magnify = distance / (distance - z)
    u_of_s = cx + (x - cx) * magnify
    out_w = w + 2 * round(0.08 * w)
    out_h = h + 2 * round(0.12 * h)
    pad_x, pad_y = (out_w - w) // 2, (out_h - h) // 2
    us = np.arange(out_w, dtype=np.float64) - pad_x
    order = np.argsort(u_of_s)
    s_of_u = np.interp(us, u_of_s[order], s[order], left=-1, right=w + 1)
    mag_u = np.interp(s_of_u, s, magnify)
    vs = np.arange(out_h, dtype=np.float64) - pad_y
    map_x = np.repeat(s_of_u[None, :], out_h, axis=0).astype(np.float32)
    map_y = (cy + (vs[:, None] - cy) / mag_u[None, :]).astype(np.float32)
    warped = cv2.remap(sheet, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0, 0))
    alpha = warped[..., 3:4].astype(np.float32) / 255
    # The booklet's other pages and cover under the page, darker into the gutter.
    cover = np.array([rng.uniform(60, 120), rng.uniform(20, 50), rng.uniform(20, 60)], np.float32)
    scene = np.empty((out_h, out_w, 3), np.float32)
    scene[:] = cover
    scene = scene * (1 - alpha) + warped[..., :3].astype(np.float32) * alpha
    lifted = np.interp(s_of_u, s, z / lift)  # 1 at the spine, 0 on the flat part
    gutter = 1 - float(rng.uniform(0.25, 0.45)) * lifted ** 1.5
    scene *= gutter[None, :, None]
    image = _finish(_light(scene, rng, 0.2), rng, float(rng.uniform(0.5, 0.9)), float(rng.uniform(2, 4)))
    return Captured(image, int(rng.integers(78, 90)),
                    f"open booklet, page lifted {lift * 25.4 / 300:.0f} mm at the spine")


@register("photocopy", "A photocopy of the page on office paper, then scanned", dpi=300, held_out=True)
def photocopy(pieces, rng: np.random.Generator) -> Captured:
    image = flat_scan(pieces)
    grey = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    # The copier's contrast: light tints wash out to paper white, darks go to toner black.
    black, white = float(rng.uniform(60, 95)), float(rng.uniform(185, 215))
    grey = np.clip((grey - black) / (white - black), 0, 1) * 255
    grey = cv2.GaussianBlur(grey, (0, 0), float(rng.uniform(0.6, 1.0)))
    # Toner specks and a faint grey haze from the drum.
    specks = rng.random(grey.shape) < float(rng.uniform(0.0003, 0.0012))
    grey[specks] = rng.uniform(20, 90, int(specks.sum()))
    grey = grey * float(rng.uniform(0.93, 0.99)) + float(rng.uniform(0, 8))
    # Copied slightly askew onto a sheet with a white margin, then the copy is scanned.
    h, w = grey.shape
    pad = round(0.05 * max(h, w))
    sheet = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=250)
    angle = float(rng.uniform(-1.5, 1.5))
    matrix = cv2.getRotationMatrix2D((sheet.shape[1] / 2, sheet.shape[0] / 2), angle, 1.0)
    sheet = cv2.warpAffine(sheet, matrix, (sheet.shape[1], sheet.shape[0]), flags=cv2.INTER_LINEAR, borderValue=250)
    sheet = cv2.GaussianBlur(sheet, (0, 0), 0.6)
    rgb = np.repeat(np.clip(sheet, 0, 255).astype(np.uint8)[..., None], 3, axis=2)
    return Captured(_sensor_noise(rgb, rng, 1.5), int(rng.integers(70, 85)),
                    f"photocopy (turned {angle:.1f} degrees), scanned at 300 dpi")


def encode_jpeg(image: np.ndarray, quality: int) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return data.tobytes()
