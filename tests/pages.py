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
