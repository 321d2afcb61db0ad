"""Specimen -> image of its data page, at true ICAO proportions.

Sizes are in millimetres and turned into pixels once (``_Canvas.px``). The MRZ is set
character by character in OCR-B on a grid of 2.54 mm (10 characters per inch; ``zones.MRZ_PITCH_MM``) with a
character height of about 2.6 mm (Doc 9303 Part 3, 4.2: OCR-B size 1; 2.0-3.2 mm are seen); a pasted line
uses the ``LineStyle`` the defect gave it. TD1 cards come out as two pieces, front and
back (the MRZ is on the back), which the capture conditions lay out.
"""

from __future__ import annotations

import contextvars
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from screening.samples.fonts import font_path
from screening.samples.people import ENGLISH_LABELS
from screening.samples.specimen import LineStyle, Specimen
from screening.zones import MRZ_PITCH_MM

# Logical faces, found by screening.samples.fonts (a missing one names its Debian package).
OCRB = "ocrb"
DEJAVU = "dejavu_sans"
DEJAVU_BOLD = "dejavu_sans_bold"
DEJAVU_CONDENSED = "dejavu_condensed"
DEJAVU_MONO = "dejavu_mono"

# Page sizes (width, height) in mm: Doc 9303 Parts 4-7.
PAGE_MM = {"TD3": (125.0, 88.0), "TD1": (85.6, 54.0), "TD2": (105.0, 74.0), "MRV-A": (120.0, 80.0),
           "MRV-B": (105.0, 74.0)}  # fmt: skip
MRZ_CHAR_HEIGHT_MM = 2.6
# Distance between MRZ line centres, and from the last line's centre to the bottom edge (mm).
MRZ_LINE_SPACING_MM = {"TD1": 4.3, "TD2": 4.9, "TD3": 5.0, "MRV-A": 5.0, "MRV-B": 4.9}
MRZ_BOTTOM_MM = {"TD1": 5.4, "TD2": 5.6, "TD3": 6.2, "MRV-A": 6.0, "MRV-B": 5.6}

# Page tints per issuer (base colour, line colour): a hint of each country's design.
TINTS = {
    "KAZ": ((226, 240, 246), (96, 160, 196)), "RUS": ((238, 232, 242), (160, 120, 170)),
    "KGZ": ((246, 234, 228), (200, 120, 96)), "TJK": ((236, 244, 230), (110, 160, 100)),
    "UZB": ((230, 242, 240), (80, 150, 150)), "TKM": ((232, 244, 234), (70, 150, 110)),
    "AFG": ((240, 238, 226), (150, 140, 90)), "AZE": ((230, 236, 246), (90, 120, 190)),
    "MDA": ((244, 240, 226), (170, 140, 70)), "UTO": ((240, 240, 240), (140, 140, 160)),
}  # fmt: skip
INK = (28, 28, 36)
LABEL_INK = (70, 84, 110)

# Where a render placed what the lights render differently (screening.samples.illumination): while
# a list is set here, ``portrait`` and ``mrz_zone`` append what they drew to it ("portrait", box in
# pixels) and ("mrz", the arguments to draw the MRZ again on its own). Drawing is unchanged.
PLACED: contextvars.ContextVar[list | None] = contextvars.ContextVar("placed", default=None)


@lru_cache(maxsize=256)
def font(face: str, size_px: int) -> ImageFont.FreeTypeFont:
    """``face``: a logical face of ``fonts.FACES`` (or a font file's path)."""
    path = face if "/" in face else font_path(face)
    return ImageFont.truetype(path, max(size_px, 4))


@lru_cache(maxsize=64)
def cap_height_ratio(path: str) -> float:
    """Height of a capital H per pixel of font size."""
    box = font(path, 200).getbbox("H")
    return (box[3] - box[1]) / 200


@dataclass
class _Canvas:
    image: Image.Image
    draw: ImageDraw.ImageDraw
    dpi: int

    def px(self, mm: float) -> float:
        return mm * self.dpi / 25.4

    def text(self, xy_mm, text: str, height_mm: float, path: str = DEJAVU, fill=INK, anchor: str = "ls") -> float:
        """Draws ``text`` with capitals ``height_mm`` tall; returns its width in mm."""
        size = round(self.px(height_mm) / cap_height_ratio(path))
        f = font(path, size)
        self.draw.text((self.px(xy_mm[0]), self.px(xy_mm[1])), text, font=f, fill=fill, anchor=anchor)
        return f.getlength(text) * 25.4 / self.dpi

    def fit_text(self, xy_mm, text: str, height_mm: float, max_width_mm: float, path: str = DEJAVU, **kw) -> None:
        size = round(self.px(height_mm) / cap_height_ratio(path))
        width_mm = font(path, size).getlength(text) * 25.4 / self.dpi
        if width_mm > max_width_mm:
            height_mm *= max_width_mm / width_mm
        self.text(xy_mm, text, height_mm, path, **kw)


def guilloche(width_px: int, height_px: int, dpi: int, seed: int, tint) -> np.ndarray:
    """A security-print-like background: a soft gradient with rosette and wave line patterns."""
    base, line = (np.array(c, dtype=np.float32) for c in tint)
    rng = np.random.default_rng(seed)
    scale = 25.4 / dpi
    ys, xs = np.mgrid[0:height_px, 0:width_px].astype(np.float32) * scale
    w_mm, h_mm = width_px * scale, height_px * scale
    cx, cy = w_mm * float(rng.uniform(0.55, 0.75)), h_mm * float(rng.uniform(0.35, 0.55))
    r = np.hypot(xs - cx, ys - cy)
    theta = np.arctan2(ys - cy, xs - cx)
    petals = int(rng.integers(9, 16))
    rosette = np.sin(r * 1.9 + 2.6 * np.sin(theta * petals))
    rosette2 = np.sin(r * 1.9 - 2.6 * np.sin(theta * petals + 0.7))
    waves = np.sin(ys * 1.45 + 2.2 * np.sin(xs * 0.21 + float(rng.uniform(0, 6))))
    ink = np.zeros_like(xs)
    for field, strength in ((rosette, 0.55), (rosette2, 0.4), (waves, 0.35)):
        ink = np.maximum(ink, strength * np.exp(-(field / 0.16) ** 2))
    fade = np.clip(1.15 - r / (0.9 * max(w_mm, h_mm)), 0.35, 1.0)  # the rosette fades to the edges
    ink *= fade
    gradient = 0.94 + 0.06 * (xs / w_mm)
    colour = base[None, None, :] * gradient[..., None]
    colour = colour * (1 - ink[..., None]) + line[None, None, :] * ink[..., None]
    return np.clip(colour, 0, 255).astype(np.uint8)


def portrait(canvas: _Canvas, box_mm, seed: int, sex: str, record: bool = True) -> None:
    """A portrait placeholder: a grey silhouette on a light ground, as on ICAO specimens."""
    x0, y0, x1, y1 = (canvas.px(v) for v in box_mm)
    placed = PLACED.get()
    if record and placed is not None:
        placed.append(("portrait", (int(x0), int(y0), int(x0) + int(x1 - x0), int(y0) + int(y1 - y0))))
    w, h = int(x1 - x0), int(y1 - y0)
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    ground = 232 - 22 * ys / h
    img = np.repeat(ground[..., None], 3, axis=2) * np.array([0.97, 0.99, 1.03])
    tone = float(rng.uniform(95, 140))
    head_cx, head_cy = w * 0.5, h * 0.40
    head = ((xs - head_cx) / (w * 0.20)) ** 2 + ((ys - head_cy) / (h * 0.22)) ** 2 <= 1
    neck = (abs(xs - head_cx) < w * 0.09) & (ys > head_cy) & (ys < h * 0.72)
    shoulders = ((xs - head_cx) / (w * 0.46)) ** 2 + ((ys - h * 1.02) / (h * 0.34)) ** 2 <= 1
    hair = (((xs - head_cx) / (w * 0.215)) ** 2 + ((ys - head_cy + h * 0.03) / (h * 0.22)) ** 2 <= 1) & (
        ys < head_cy - h * (0.08 if sex == "M" else -0.10))
    img[head | neck] = tone + 40
    img[shoulders] = tone - 35
    img[hair] = tone - 60
    img = np.clip(img, 0, 255).astype(np.uint8)
    canvas.image.paste(Image.fromarray(img, "RGB"), (int(x0), int(y0)))
    if canvas.draw is not None:
        canvas.draw.rectangle((x0, y0, x1, y1), outline=(150, 150, 160), width=max(1, int(canvas.px(0.15))))


def ghost_portrait(canvas: _Canvas, box_mm, seed: int, sex: str) -> None:
    """The small faint second portrait many data pages print beside the fields."""
    x0, y0, x1, y1 = (round(canvas.px(v)) for v in box_mm)
    scratch = _Canvas(Image.new("RGB", (x1 - x0, y1 - y0)), None, canvas.dpi)
    scratch.draw = ImageDraw.Draw(scratch.image)
    portrait(scratch, (0, 0, (x1 - x0) * 25.4 / canvas.dpi, (y1 - y0) * 25.4 / canvas.dpi), seed, sex, record=False)
    ghost = np.asarray(scratch.image.convert("L"), dtype=np.float32)
    region = np.asarray(canvas.image.crop((x0, y0, x1, y1)), dtype=np.float32)
    alpha = (255 - ghost)[..., None] / 255 * 0.35
    mixed = region * (1 - alpha) + np.array([70, 80, 110], dtype=np.float32) * alpha
    canvas.image.paste(Image.fromarray(mixed.astype(np.uint8), "RGB"), (x0, y0))


def signature(canvas: _Canvas, x_mm: float, y_mm: float, width_mm: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, 400)
    freq, amp = float(rng.uniform(14, 22)), float(rng.uniform(1.4, 2.2))
    xs = x_mm + width_mm * t + 1.6 * np.sin(t * freq)
    ys = y_mm - amp * np.cos(t * freq * 1.03) * (1.1 - t) - 1.2 * np.sin(t * 3.1)
    points = [(canvas.px(a), canvas.px(b)) for a, b in zip(xs, ys)]
    canvas.draw.line(points, fill=(40, 50, 110), width=max(1, round(canvas.px(0.3))), joint="curve")


@dataclass(frozen=True)
class LineJitter:
    """How one genuine printer's line differs from its others (printers.py draws these)."""

    baseline_mm: float = 0.0
    density: float = 1.0  # ink darkness relative to the printer's nominal
    pitch_scale: float = 1.0
    rotation_deg: float = 0.0


NO_JITTER = LineJitter()
MRZ_INK = (12, 12, 16)


def mrz_line(canvas: _Canvas, text: str, x_mm: float, centre_mm: float, style: LineStyle,
             jitter: LineJitter = NO_JITTER) -> None:
    """One MRZ line, each character centred in its cell of the line's pitch."""
    path = OCRB if style.font == "ocrb" else DEJAVU_MONO
    size = round(canvas.px(MRZ_CHAR_HEIGHT_MM * style.size) / cap_height_ratio(path))
    f = font(path, size)
    pitch = style.pitch_mm * jitter.pitch_scale
    x_mm += style.offset_mm
    baseline = centre_mm + style.baseline_mm + jitter.baseline_mm + MRZ_CHAR_HEIGHT_MM * style.size / 2
    slope = math.tan(math.radians(style.tilt_deg + jitter.rotation_deg))
    density = jitter.density * style.density
    fill = MRZ_INK if density == 1.0 else tuple(int(np.clip(round(255 - (255 - c) * density), 0, 255))
                                                for c in MRZ_INK)
    for i, char in enumerate(text):
        cell = x_mm + i * pitch
        advance = f.getlength(char) * 25.4 / canvas.dpi
        x = cell + (pitch - advance) / 2
        y = baseline - slope * (i * pitch)
        canvas.draw.text((canvas.px(x), canvas.px(y)), char, font=f, fill=fill, anchor="ls")


def mrz_zone(canvas: _Canvas, spec: Specimen, page_w: float, page_h: float,
             jitter: tuple[LineJitter, ...] = ()) -> None:
    placed = PLACED.get()
    if placed is not None:
        placed.append(("mrz", (canvas.image.size, spec, page_w, page_h, jitter)))
    length = len(spec.lines[0])
    x0 = (page_w - length * MRZ_PITCH_MM) / 2
    spacing, bottom = MRZ_LINE_SPACING_MM[spec.format], MRZ_BOTTOM_MM[spec.format]
    n = len(spec.lines)
    for i, (text, style) in enumerate(zip(spec.lines, spec.styles)):
        centre = page_h - bottom - (n - 1 - i) * spacing
        mrz_line(canvas, text, x0, centre, style, jitter[i] if i < len(jitter) else NO_JITTER)


def mrz_clear_band(spec: Specimen, page_h: float) -> float:
    """Top of the MRZ's clear band (mm from the top of the page)."""
    n = len(spec.lines)
    return page_h - MRZ_BOTTOM_MM[spec.format] - (n - 1) * MRZ_LINE_SPACING_MM[spec.format] - 3.6


def field(canvas: _Canvas, x: float, y: float, key: str, labels: dict, values, width: float,
          value_h: float = 2.1, label_h: float = 1.15) -> float:
    """A labelled field at (x, y): the label in the national language / English, then its value lines.

    Returns the y below it (mm).
    """
    national, english = labels.get(key, ""), ENGLISH_LABELS.get(key, "")
    label = english if not national or national == english else f"{national} / {english}"
    canvas.fit_text((x, y + label_h), label, label_h, width, DEJAVU_CONDENSED, fill=LABEL_INK)
    y += label_h + 0.9
    for value in ([values] if isinstance(values, str) else values):
        canvas.fit_text((x, y + value_h), value, value_h, width, DEJAVU)
        y += value_h + 0.9
    return y + 0.5


def _names(spec: Specimen) -> tuple[list[str], list[str]]:
    v = spec.viz
    surname = [v.surname] + ([v.surname_latin] if v.surname != v.surname_latin else [])
    given = [v.given_names] + ([v.given_names_latin] if v.given_names != v.given_names_latin else [])
    return surname, given


def _background(spec: Specimen, w_mm: float, h_mm: float, dpi: int, seed: int, clear_from_mm: float | None):
    w, h = round(w_mm * dpi / 25.4), round(h_mm * dpi / 25.4)
    tint = TINTS.get(spec.issuer.code, TINTS["UTO"])
    pixels = guilloche(w, h, dpi, seed, tint)
    if clear_from_mm is not None:  # the MRZ sits on a quiet band, as scanners need
        top = int(clear_from_mm * dpi / 25.4)
        pixels[top:] = (0.55 * pixels[top:] + 0.45 * 250).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    canvas = _Canvas(image, ImageDraw.Draw(image), dpi)
    return canvas


def _header(canvas: _Canvas, spec: Specimen, w: float, title_key: str, y: float = 4.2, scale: float = 1.0) -> None:
    issuer = spec.issuer
    labels = issuer.labels
    national = issuer.name_national
    line1 = national if national == issuer.name_latin else f"{national}   {issuer.name_latin}"
    canvas.fit_text((w / 2, y), line1, 1.9 * scale, w - 8, DEJAVU_BOLD, fill=(40, 52, 90), anchor="ms")
    title_nat, title_en = labels.get(title_key, ""), ENGLISH_LABELS[title_key]
    title = title_en if title_nat == title_en else f"{title_nat}   {title_en}"
    canvas.fit_text((w / 2, y + 3.6 * scale), title, 1.6 * scale, w - 8, DEJAVU, fill=(40, 52, 90), anchor="ms")


def _overprint(canvas: _Canvas, w: float, h: float) -> None:
    layer = Image.new("RGBA", canvas.image.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    size = round(canvas.px(9) / cap_height_ratio(DEJAVU_BOLD))
    d.text((canvas.px(w / 2), canvas.px(h * 0.42)), "SPECIMEN", font=font(DEJAVU_BOLD, size),
           fill=(200, 30, 30, 110), anchor="mm")
    layer = layer.rotate(18, center=(canvas.px(w / 2), canvas.px(h * 0.42)), resample=Image.BICUBIC)
    canvas.image.paste(Image.alpha_composite(canvas.image.convert("RGBA"), layer).convert("RGB"))


def _date_row(canvas, x, y, spec, labels, widths, items):
    bottom = y
    for (key, value), width in zip(items, widths):
        bottom = max(bottom, field(canvas, x, y, key, labels, value, width - 1.5))
        x += width
    return bottom


def render_td3_like(spec: Specimen, dpi: int, seed: int, jitter: tuple[LineJitter, ...] = ()) -> Image.Image:
    """TD3 passport pages, TD2 and the two visas: photo at left, fields at right, MRZ at the bottom."""
    w, h = PAGE_MM[spec.format]
    k = h / 88.0  # smaller formats shrink the layout
    canvas = _background(spec, w, h, dpi, seed, mrz_clear_band(spec, h))
    labels, v = spec.issuer.labels, spec.viz
    visa = spec.format.startswith("MRV")
    _header(canvas, spec, w, "visa_title" if visa else ("id_title" if spec.format == "TD2" else "title"), scale=k)
    photo = (5 * k, 12 * k, 5 * k + 30 * k, 12 * k + 39 * k)
    portrait(canvas, photo, seed + 1, spec.mrz.sex)
    signature(canvas, photo[0] + 2, photo[3] + 5.5 * k, photo[2] - photo[0] - 4, seed + 2)
    x = photo[2] + 4 * k
    right = w - 5 * k
    col = right - x
    surname, given = _names(spec)
    y = 11.0 * k
    vh = 2.1 * k
    lh = 1.15 * k
    number_key = "number" if spec.format == "TD3" else "card_number"
    if visa:
        y = _date_row(canvas, x, y, spec, labels, (col * 0.34, col * 0.33, col * 0.33),
                      (("valid_from", v.valid_from), ("expiry_date", v.expiry_date), ("entries", v.entries)))
        y = _date_row(canvas, x, y, spec, labels, (col * 0.34, col * 0.33, col * 0.33),
                      (("code", v.issuing_state), ("card_number", v.document_number), ("issue_date", v.issue_date)))
    else:
        y = _date_row(canvas, x, y, spec, labels, (col * 0.18, col * 0.32, col * 0.5),
                      (("type", spec.lines[0][:2].replace("<", "")), ("code", v.issuing_state),
                       (number_key, v.document_number)))
    y = field(canvas, x, y, "surname", labels, surname, col, vh, lh)
    y = field(canvas, x, y, "given_names", labels, given, col, vh, lh)
    y = _date_row(canvas, x, y, spec, labels, (col * 0.5, col * 0.5),
                  (("nationality", v.nationality), ("sex", v.sex)))
    if visa:
        y = _date_row(canvas, x, y, spec, labels, (col * 0.5, col * 0.5),
                      (("birth_date", v.birth_date), ("passport", v.passport_number)))
    else:
        y = _date_row(canvas, x, y, spec, labels, (col * 0.5, col * 0.5),
                      (("birth_date", v.birth_date), ("birth_place", v.birth_place)))
        y = _date_row(canvas, x, y, spec, labels, (col * 0.5, col * 0.5),
                      (("issue_date", v.issue_date), ("expiry_date", v.expiry_date)))
        last = [("authority", v.authority)] + ([("personal_number", v.personal_number)] if v.personal_number else [])
        _date_row(canvas, x, y, spec, labels, (col * 0.5, col * 0.5), last)
    if not visa:
        ghost_portrait(canvas, (w - 5 * k - 15 * k, 24 * k, w - 5 * k, 43 * k), seed + 1, spec.mrz.sex)
    if spec.overprint:
        _overprint(canvas, w, h)
    mrz_zone(canvas, spec, w, h, jitter)
    return canvas.image


def render_td1(spec: Specimen, dpi: int, seed: int,
               jitter: tuple[LineJitter, ...] = ()) -> tuple[Image.Image, Image.Image]:
    """An ID card: front (photo and name fields) and back (other fields and the 3-line MRZ)."""
    w, h = PAGE_MM["TD1"]
    labels, v = spec.issuer.labels, spec.viz
    front = _background(spec, w, h, dpi, seed, None)
    _header(front, spec, w, "id_title", y=3.6, scale=0.85)
    photo = (3.5, 9.5, 25.5, 38.5)
    portrait(front, photo, seed + 1, spec.mrz.sex)
    signature(front, 5, 45, 18, seed + 2)
    x, col = 28.5, w - 28.5 - 3.5
    surname, given = _names(spec)
    y = 8.6
    y = _date_row(front, x, y, spec, labels, (col * 0.55, col * 0.45),
                  (("card_number", v.document_number), ("expiry_date", v.expiry_date)))
    y = field(front, x, y, "surname", labels, surname, col, 1.9, 1.05)
    y = field(front, x, y, "given_names", labels, given, col, 1.9, 1.05)
    _date_row(front, x, y, spec, labels, (col * 0.4, col * 0.3, col * 0.3),
              (("birth_date", v.birth_date), ("sex", v.sex), ("nationality", v.nationality)))
    if spec.overprint:
        _overprint(front, w, h)

    back = _background(spec, w, h, dpi, seed + 7, mrz_clear_band(spec, h))
    x, col = 4.5, w - 9
    y = 3.0
    y = _date_row(back, x, y, spec, labels, (col * 0.5, col * 0.5),
                  (("birth_place", v.birth_place), ("issue_date", v.issue_date)))
    rows = [("authority", v.authority)] + ([("personal_number", v.personal_number)] if v.personal_number else [])
    _date_row(back, x, y, spec, labels, (col * 0.5, col * 0.5), rows)
    mrz_zone(back, spec, w, h, jitter)
    return _round_corners(front.image, dpi), _round_corners(back.image, dpi)


def _round_corners(image: Image.Image, dpi: int, radius_mm: float = 3.18) -> Image.Image:
    """ID-1 cards have rounded corners (ISO/IEC 7810): transparent outside them."""
    mask = Image.new("L", image.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, image.width - 1, image.height - 1),
                                           radius=round(radius_mm * dpi / 25.4), fill=255)
    rgba = image.convert("RGBA")
    rgba.putalpha(mask)
    return rgba


def render(spec: Specimen, dpi: int = 300, seed: int = 0, layout: str = "icao_en",
           printer: str | None = None) -> tuple[np.ndarray, ...]:
    """The document's pieces as RGBA uint8 arrays: one page, or a card's front and back.

    ``layout`` and ``printer`` name families of ``families.py``; no printer: the ideal print
    (every MRZ line exactly on the grid, no ink effects). Alpha is 0 only outside a card's
    rounded corners.
    """
    from screening.samples import families

    make_layout = families.get("layout", layout).make
    rng = np.random.default_rng([seed, 77])
    jitter: tuple[LineJitter, ...] = ()
    ink = None
    if printer is not None:
        model = families.get("printer", printer)
        from screening.samples.printers import line_jitter

        jitter = line_jitter(rng, len(spec.lines), **model.params)
        ink = model.make
    pieces = make_layout(spec, dpi, seed, jitter)
    arrays = tuple(np.asarray(p.convert("RGBA")) if isinstance(p, Image.Image) else p for p in pieces)
    if ink is not None:
        arrays = tuple(ink(piece, dpi, rng) for piece in arrays)
    return arrays


def mrz_line_boxes(spec: Specimen, dpi: int) -> list[tuple[int, int]]:
    """(top, bottom) pixel rows of the band each MRZ line occupies on its page (for tests and answer keys)."""
    _, h = PAGE_MM[spec.format]
    spacing, bottom = MRZ_LINE_SPACING_MM[spec.format], MRZ_BOTTOM_MM[spec.format]
    n = len(spec.lines)
    out = []
    for i in range(n):
        centre = h - bottom - (n - 1 - i) * spacing
        out.append((round((centre - spacing / 2) * dpi / 25.4), round((centre + spacing / 2) * dpi / 25.4)))
    return out
