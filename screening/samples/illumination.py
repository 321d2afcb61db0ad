"""The same specimen under white, infrared and ultraviolet light, and the full-page readers that capture them.

    lit(spec, dpi, seed, layout, printer, rng) -> Lit     the rendered pieces under each light
    reader families (families.reader)                     Lit -> {light: Captured}: crops a few
                                                          pixels apart, each light's exposure,
                                                          gamma, blur, noise and JPEG quality

What each light shows (the physics the first-line checks rest on):
- **Infrared** (about 870-950 nm): carbon-based black absorbs, colour inks and dyes are nearly
  transparent. The background print, the coloured labels, the signature and the dye photo fade;
  the black visual-zone print and the MRZ (Doc 9303: B900 ink) stay black. A grey image.
- **Ultraviolet** (365 nm): security paper has no optical brighteners and is dull dark blue; its
  fluorescent fibres glow red, green, blue or yellow, and the series prints a fluorescent emblem at
  its own place (issuer and format); printed inks quench what lies under them. Office paper and
  photo paper glow bright blue-white.
The light defects (defects.py, ``lights=True``) leave ``Specimen.light_plan`` for this module.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from screening.samples.conditions import LID, Captured
from screening.samples.families import reader
from screening.samples.render import (MRZ_BOTTOM_MM, MRZ_LINE_SPACING_MM, PLACED, _Canvas, mrz_zone,
                                      render)
from screening.samples.specimen import Specimen
from screening.zones import MRZ_PITCH_MM

WHITE, IR, UV = "white", "ir", "uv"


@dataclass(frozen=True)
class Lit:
    """A document's pieces (RGBA uint8 at the render's dpi) under each light."""

    white: tuple[np.ndarray, ...]
    ir: tuple[np.ndarray, ...]  # grey in all three channels
    uv: tuple[np.ndarray, ...]
    dpi: int


def lit(spec: Specimen, dpi: int, seed: int, layout: str, printer: str, rng: np.random.Generator) -> Lit:
    """``spec`` rendered (render.render, the white image exactly as without lights) and lit by IR and UV."""
    placed: list = []
    token = PLACED.set(placed)
    try:
        white = render(spec, dpi, seed=seed, layout=layout, printer=printer)
    finally:
        PLACED.reset(token)
    plan = dict(spec.light_plan)
    portraits = [box for kind, box in placed if kind == "portrait"]
    mrz_args = [args for kind, args in placed if kind == "mrz"][-1]
    mrz_piece = len(white) - 1  # the MRZ is on the page, or a card's back (the last piece)
    mrz_alpha = _mrz_alpha(mrz_args, dpi)
    ir_pieces, uv_pieces = [], []
    paper_ir = float(rng.uniform(0.86, 0.94)) * 255
    dull = np.array([rng.uniform(16, 28), rng.uniform(20, 32), rng.uniform(46, 70)], np.float32)
    glow = plan.get("uv_paper_glow")
    office = None if glow is None else np.array([0.72, 0.8, 1.0], np.float32) * 255 * float(glow)
    for index, piece in enumerate(white):
        rgb = piece[..., :3].astype(np.float32)
        portrait_box = portraits[0] if index == 0 and portraits else None
        ir = _infrared(rgb, paper_ir, plan, portrait_box, mrz_alpha if index == mrz_piece else None,
                       (mrz_args, dpi) if index == mrz_piece else None)
        uv = _ultraviolet(rgb, spec, dpi, plan, rng, dull, office, portrait_box, emblem=index == 0)
        ir_pieces.append(np.dstack([ir, ir, ir, piece[..., 3]]))
        uv_pieces.append(np.dstack([uv, piece[..., 3]]))
    return Lit(white, tuple(ir_pieces), tuple(uv_pieces), dpi)


def _mrz_alpha(args, dpi: int) -> np.ndarray:
    """The MRZ's ink alone (0..1), drawn again exactly where the page has it."""
    size, spec, page_w, page_h, jitter = args
    image = Image.new("RGB", size, (255, 255, 255))
    mrz_zone(_Canvas(image, ImageDraw.Draw(image), dpi), spec, page_w, page_h, jitter)
    grey = np.asarray(image.convert("L"), np.float32)
    return np.clip((255 - grey) / (255 - 14), 0, 1)


def _cells_mask(shape, args, dpi: int, cells: tuple[int, int, int]) -> np.ndarray:
    """The pixels of characters ``start``..``end`` (0-based, end exclusive) of MRZ line ``line``."""
    _, spec, page_w, page_h, jitter = args
    line, start, end = cells
    px = dpi / 25.4
    n = len(spec.lines)
    style = spec.styles[line]
    pitch = style.pitch_mm * (jitter[line].pitch_scale if line < len(jitter) else 1.0)
    x0 = (page_w - len(spec.lines[0]) * MRZ_PITCH_MM) / 2 + style.offset_mm
    spacing = MRZ_LINE_SPACING_MM[spec.format]
    centre = page_h - MRZ_BOTTOM_MM[spec.format] - (n - 1 - line) * spacing + style.baseline_mm
    mask = np.zeros(shape, np.float32)
    top, bottom = int((centre - 0.5 * spacing) * px), int((centre + 0.5 * spacing) * px)
    left, right = int((x0 + start * pitch - 0.1) * px), int((x0 + end * pitch - 0.1) * px)
    mask[max(top, 0):bottom, max(left, 0):right] = 1
    return mask


def _infrared(rgb, paper_ir: float, plan: dict, portrait_box, mrz_alpha, mrz_geometry) -> np.ndarray:
    """The piece under IR: only the near-neutral dark (carbon) print absorbs."""
    top, bottom = rgb.max(axis=2), rgb.min(axis=2)
    # Coloured inks (chroma) are IR-transparent dyes and pigments; only the neutral part of a dark
    # pixel is carbon, and light tints are no carbon at all. Black print (28, 28, 36) keeps 95 % of
    # its darkness, the slate-blue labels a tenth, the guilloche, the tint and the signature nothing.
    dark = np.clip(((255 - top) - 2.2 * (top - bottom) - 40) / 170, 0, 1)
    if portrait_box is not None:
        x0, y0, x1, y1 = portrait_box
        # A dye-printed portrait is pale in IR; a substituted one (toner) stays dark.
        dark[y0:y1, x0:x1] *= float(plan.get("photo_ir", 0.3))
    if mrz_alpha is not None:
        fade = np.zeros_like(dark)
        if "mrz_ir_residual" in plan:
            fade = 1 - float(plan["mrz_ir_residual"])
            fade = np.full_like(dark, fade)
        elif "patch_cells" in plan:
            fade = _cells_mask(dark.shape, mrz_geometry[0], mrz_geometry[1], plan["patch_cells"]) * (
                1 - float(plan["patch_residual"]))
        if np.any(fade):
            near = cv2.GaussianBlur(cv2.dilate(mrz_alpha, np.ones((3, 3), np.uint8)), (0, 0), 0.8)
            dark = dark * (1 - np.clip(near, 0, 1) * fade)
    return np.clip(paper_ir * (1 - dark), 0, 255).astype(np.uint8)


def _series_rng(spec: Specimen) -> np.random.Generator:
    """The series' own draw: every document of an issuer's format has its UV emblem in one place."""
    return np.random.default_rng(zlib.crc32(f"{spec.issuer.code}/{spec.format}".encode()))


def _emblem(shape, spec: Specimen, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """The series' fluorescent emblem: rings and rays at its place, in its colour (mask 0..1, colour)."""
    rng = _series_rng(spec)
    h, w = shape
    px = dpi / 25.4
    cx, cy = float(rng.uniform(0.35, 0.8)) * w, float(rng.uniform(0.2, 0.55)) * h
    radius = float(rng.uniform(8, 14)) * px
    colour = np.array([(200, 235, 90), (240, 175, 70), (120, 230, 200)][int(rng.integers(0, 3))], np.float32)
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    stroke = max(1, round(0.35 * px))
    for k in range(1, 4):
        r = radius * k / 3
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=stroke)
    rays = int(rng.integers(8, 16))
    for k in range(rays):
        angle = 2 * np.pi * k / rays
        draw.line((cx, cy, cx + radius * np.cos(angle), cy + radius * np.sin(angle)), fill=255, width=stroke)
    return np.asarray(layer, np.float32) / 255, colour


_FIBRE_COLOURS = ((235, 70, 80), (90, 235, 110), (120, 150, 255), (235, 225, 90))


def _fibres(shape, dpi: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Security paper's fluorescent fibres: short curved threads in the paper (colour layer, mask)."""
    h, w = shape
    px = dpi / 25.4
    colour = Image.new("RGB", (w, h), (0, 0, 0))
    mask = Image.new("L", (w, h), 0)
    draw_c, draw_m = ImageDraw.Draw(colour), ImageDraw.Draw(mask)
    area_mm2 = (w / px) * (h / px)
    for _ in range(int(area_mm2 / 100 * rng.uniform(0.6, 1.2))):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        length = rng.uniform(3, 7) * px
        angle = rng.uniform(0, np.pi)
        bend = rng.uniform(-0.6, 0.6)
        points = [(x + length * t * np.cos(angle + bend * t), y + length * t * np.sin(angle + bend * t))
                  for t in np.linspace(0, 1, 6)]
        tint = tuple(int(c * rng.uniform(0.6, 1.0)) for c in _FIBRE_COLOURS[int(rng.integers(0, 4))])
        width = max(1, round(rng.uniform(0.12, 0.2) * px))
        draw_c.line(points, fill=tint, width=width)
        draw_m.line(points, fill=255, width=width)
    return np.asarray(colour, np.float32), np.asarray(mask, np.float32)[..., None] / 255


def _ultraviolet(rgb, spec: Specimen, dpi: int, plan: dict, rng: np.random.Generator, dull, office,
                 portrait_box, emblem: bool) -> np.ndarray:
    """The piece under UV: the paper's own response, its fibres and the series' emblem, quenched by ink."""
    h, w = rgb.shape[:2]
    lum = rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    ink = np.clip((235 - lum) / 200, 0, 1)[..., None]  # how much printed ink covers the paper
    paper = np.broadcast_to(dull if office is None else office, rgb.shape).copy()
    if office is None:  # security paper carries fibres; office paper has none
        colour, mask = _fibres((h, w), dpi, rng)
        paper = paper * (1 - mask) + colour * mask
    out = paper * (1 - 0.85 * ink)
    if emblem and (office is None or plan.get("uv_emblem")):
        shape_mask, colour = _emblem((h, w), spec, dpi)
        out = out * (1 - 0.8 * shape_mask[..., None]) + colour * 0.8 * shape_mask[..., None]
    if portrait_box is not None and "photo_uv_glow" in plan:
        x0, y0, x1, y1 = portrait_box
        photo = np.array([0.72, 0.8, 1.0], np.float32) * 255 * float(plan["photo_uv_glow"])
        out[y0:y1, x0:x1] = photo * (1 - 0.85 * ink[y0:y1, x0:x1])
    return np.clip(out, 0, 255).astype(np.uint8)


# ------------------------------------------------------------------ the readers

# Around the document, inside the reader: what each light's camera sees there.
SURROUND = {WHITE: LID, IR: 200, UV: 12}


def _layout(pieces: tuple[np.ndarray, ...], light: str, dpi: int) -> np.ndarray:
    """The pieces on the reader's glass: a page fills the image; a card's sides lie one above the other."""
    if len(pieces) == 1 and pieces[0][..., 3].min() == 255:
        return pieces[0][..., :3].astype(np.float32)
    margin = round(4 * dpi / 25.4)
    width = max(p.shape[1] for p in pieces) + 2 * margin
    height = sum(p.shape[0] for p in pieces) + margin * (len(pieces) + 1)
    canvas = np.full((height, width, 3), SURROUND[light], np.float32)
    y = margin
    for piece in pieces:
        alpha = piece[..., 3:4].astype(np.float32) / 255
        region = canvas[y:y + piece.shape[0], margin:margin + piece.shape[1]]
        canvas[y:y + piece.shape[0], margin:margin + piece.shape[1]] = piece[..., :3] * alpha + region * (1 - alpha)
        y += piece.shape[0] + margin
    return canvas


def read_lights(document: Lit, rng: np.random.Generator, *, offset: float, scale: float, blur: tuple,
                noise: tuple, ir_gain: tuple, ir_gamma: tuple, ir_blur: tuple, uv_gain: tuple, uv_gamma: tuple,
                quality: tuple, title: str = "") -> dict[str, Captured]:
    """One reader's three images of ``document``: the same position, each light's crop up to
    ``offset`` pixels off the others, its own exposure (gain, gamma), blur, noise and JPEG quality."""
    out = {}
    for light, pieces in ((WHITE, document.white), (IR, document.ir), (UV, document.uv)):
        image = _layout(pieces, light, document.dpi)
        h, w = image.shape[:2]
        dx, dy = rng.uniform(-offset, offset, 2)
        matrix = np.float32([[scale, 0, dx], [0, scale, dy]])
        size = (round(w * scale), round(h * scale))
        image = cv2.warpAffine(image, matrix, size, flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
        sigma = float(rng.uniform(*blur)) + (float(rng.uniform(*ir_blur)) if light == IR else 0.0)
        image = cv2.GaussianBlur(image, (0, 0), sigma)
        if light != WHITE:
            gain, gamma = (ir_gain, ir_gamma) if light == IR else (uv_gain, uv_gamma)
            image = 255 * np.clip(image / 255 * float(rng.uniform(*gain)), 0, 1) ** float(rng.uniform(*gamma))
        image = image + rng.normal(0, float(rng.uniform(*noise)), image.shape).astype(np.float32)
        if light == IR:  # one sensor channel
            image = np.repeat(image.mean(axis=2, keepdims=True), 3, axis=2)
        image = np.clip(image, 0, 255).astype(np.uint8)
        out[light] = Captured(image, int(rng.integers(*quality)), f"{title}: {light} light, crop offset "
                                                                  f"({dx:+.1f}, {dy:+.1f}) px")
    return out


def _make(name: str, title: str, held_out: bool = False, **params):
    def capture_lights(document: Lit, rng: np.random.Generator) -> dict[str, Captured]:
        return read_lights(document, rng, title=title, **params)

    reader(name, title, held_out=held_out, **params)(capture_lights)


# Reader makes: crops that differ by a few pixels between lights, and each light's camera tuned its
# own way. The held-out make (reader_kiosk) is outside every tuning range in its UV gain and noise,
# its IR blur and gamma, its resolution and its JPEG quality; it is never tuned on.
_make("reader_desk", "Desktop full-page reader: crisp, crops within 2 px, high JPEG quality", offset=2.0, scale=1.0,
      blur=(0.4, 0.6), noise=(0.8, 1.4), ir_gain=(0.95, 1.05), ir_gamma=(0.95, 1.05), ir_blur=(0.0, 0.3),
      uv_gain=(0.95, 1.1), uv_gamma=(0.95, 1.05), quality=(88, 95))
_make("reader_border", "Border-post reader: crops within 4 px, IR gamma below 1, mid JPEG quality", offset=4.0,
      scale=1.0, blur=(0.5, 0.8), noise=(1.2, 2.0), ir_gain=(0.9, 1.0), ir_gamma=(0.8, 0.95), ir_blur=(0.2, 0.5),
      uv_gain=(1.0, 1.25), uv_gamma=(0.9, 1.0), quality=(78, 88))
_make("reader_compact", "Compact reader at about 270 dpi: softer optics, bright UV exposure", offset=3.0, scale=0.9,
      blur=(0.7, 1.0), noise=(1.0, 1.8), ir_gain=(1.0, 1.1), ir_gamma=(1.0, 1.1), ir_blur=(0.3, 0.6),
      uv_gain=(1.15, 1.35), uv_gamma=(0.85, 0.95), quality=(80, 90))
_make("reader_old", "Older reader: noisy sensor, crops within 5 px, low JPEG quality", offset=5.0, scale=1.0,
      blur=(0.6, 0.9), noise=(2.0, 3.0), ir_gain=(0.85, 0.95), ir_gamma=(1.05, 1.15), ir_blur=(0.3, 0.7),
      uv_gain=(0.85, 1.0), uv_gamma=(1.0, 1.1), quality=(70, 80))
_make("reader_kiosk", "Self-service kiosk reader at about 240 dpi: dim, noisy UV, soft IR, crops within 6 px",
      held_out=True, offset=6.0, scale=0.8, blur=(0.6, 0.9), noise=(3.0, 3.8), ir_gain=(0.8, 0.9),
      ir_gamma=(1.15, 1.3), ir_blur=(0.7, 1.0), uv_gain=(0.7, 0.85), uv_gamma=(1.1, 1.2), quality=(65, 74))


__all__ = ["Lit", "SURROUND", "lit", "read_lights"]
