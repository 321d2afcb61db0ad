"""Small synthetic document pages for reader and loader tests (made here, never real documents)."""

import numpy as np
from PIL import Image, ImageDraw, ImageFont

OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def mrz_page(lines, dpi=200, width_mm=125, height_mm=88):
    """A plain data page at ``dpi`` with visual-zone text and the MRZ at the bottom, grey uint8."""
    px = lambda mm: int(round(mm / 25.4 * dpi))  # noqa: E731
    page = Image.new("L", (px(width_mm), px(height_mm)), 235)
    draw = ImageDraw.Draw(page)
    label = ImageFont.truetype(DEJAVU, px(2.2))
    for row, text in enumerate(["PASSPORT  UTOPIA", "Surname  ERIKSSON", "Given names  ANNA MARIA",
                                "Date of birth  12 AUG 1974"]):
        draw.text((px(width_mm * 0.3), px(height_mm * (0.06 + row * 0.1))), text, fill=40, font=label)
    draw.rectangle([px(6), px(height_mm * 0.08), px(width_mm * 0.25), px(height_mm * 0.5)], outline=90, width=3)
    font = ImageFont.truetype(OCRB, px(3.4))
    pitch = px(2.54)
    bottom = px(height_mm - 5)
    for index, line in enumerate(reversed(lines)):
        y = bottom - (index + 1) * px(4.2)
        for i, char in enumerate(line):
            draw.text((px(6) + i * pitch, y), char, fill=20, font=font)
    return np.asarray(page, np.uint8).copy()


def with_stamp(page, centre, size, angle, level=110, word="VOID"):
    """A rubber stamp (a frame with a word in it) pressed over ``page`` at ``centre`` (x, y)
    pixels: ink of grey ``level`` that darkens what is under it, as a red or blue stamp does
    in a grey image."""
    width, height = size
    stamp = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle([3, 3, width - 3, height - 3], outline=255, width=4)
    draw.text((width / 2, height / 2), word, fill=255, font=ImageFont.truetype(DEJAVU, int(height * 0.45)), anchor="mm")
    mask = np.asarray(stamp.rotate(angle, expand=True, resample=Image.BILINEAR), np.float32) / 255.0
    out = page.astype(np.float32)
    x0, y0 = int(centre[0] - mask.shape[1] / 2), int(centre[1] - mask.shape[0] / 2)
    region = out[y0 : y0 + mask.shape[0], x0 : x0 + mask.shape[1]]
    part = mask[: region.shape[0], : region.shape[1]]
    region *= 1 - part * (1 - level / 235.0)
    return np.clip(out, 0, 255).astype(np.uint8)


def with_guilloche(page, period=9.0, depth=60):
    """Fine wavy security-print lines over the whole page, ``depth`` grey levels dark."""
    h, w = page.shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    wave = np.sin((y + 6 * np.sin(x / 35)) * 2 * np.pi / period)
    wave2 = np.sin((x * 0.7 + y + 5 * np.cos(y / 25)) * 2 * np.pi / (period * 1.3))
    lines = np.maximum(np.abs(wave) > 0.9, np.abs(wave2) > 0.93)
    return np.clip(page.astype(np.float32) - lines * depth, 0, 255).astype(np.uint8)
