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


SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
TD3_ERIKSSON = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def viz_page(rows, lines=TD3_ERIKSSON, dpi=300, width_mm=125, height_mm=88, font=DEJAVU):
    """A data page with visual-zone ``rows`` above the MRZ ``lines``, grey uint8.

    ``rows``: (x mm, y mm, text, height mm) each; labels are printed small (about 1.3 mm), values
    larger (about 2.5 mm), as on ICAO data pages. A portrait frame sits on the left."""
    px = lambda mm: int(round(mm / 25.4 * dpi))  # noqa: E731
    page = Image.new("L", (px(width_mm), px(height_mm)), 238)
    draw = ImageDraw.Draw(page)
    draw.rectangle([px(5), px(12), px(33), px(50)], outline=120, width=3)
    for x, y, text, size in rows:
        draw.text((px(x), px(y)), text, fill=25 if size > 1.8 else 70, font=ImageFont.truetype(font, px(size)))
    mrz_font = ImageFont.truetype(OCRB, px(3.4))
    pitch, bottom = px(2.54), px(height_mm - 5)
    for index, line in enumerate(reversed(lines)):
        y = bottom - (index + 1) * px(4.2)
        for i, char in enumerate(line):
            draw.text((px(6) + i * pitch, y), char, fill=20, font=mrz_font)
    return np.asarray(page, np.uint8).copy()


def icao_rows(values=None, labels=None, beside=False, x=40.0, top=8.0):
    """The rows of a one-column data page: each field's label over (or, ``beside``, before) its value.

    ``values`` and ``labels``: field -> text, overriding the ERIKSSON specimen's and the English labels."""
    values = {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "L898902C3",
              "birth_date": "12.08.1974", "sex": "F", "expiry_date": "15.04.2012", **(values or {})}
    labels = {"surname": "Surname", "given_names": "Given names", "document_number": "Passport No.",
              "birth_date": "Date of birth", "sex": "Sex", "expiry_date": "Date of expiry", **(labels or {})}
    rows, y = [(x, 2.0, "PASSPORT", 2.2)], top
    for key in ("surname", "given_names", "document_number", "birth_date", "sex", "expiry_date"):
        if key not in values or values[key] is None:
            continue
        if beside:
            rows.append((x, y + 0.9, labels[key] + ":", 1.4))
            rows.append((x + 32, y, values[key], 2.5))
            y += 5.2
        else:
            if labels.get(key):
                rows.append((x, y, labels[key], 1.3))
            rows.append((x, y + 2.0, values[key], 2.5))
            y += 6.4
    return rows


def td3(surname="ERIKSSON", given="ANNA<MARIA", number="K52816473", state="KAZ", birth="740812", sex="F",
        expiry="301231", optional=""):
    """A TD3 MRZ with its check digits computed (a valid passport of ``state``)."""
    from screening.mrz.checkdigit import check_digit

    line1 = f"P<{state}{surname}<<{given}".ljust(44, "<")[:44]
    optional = optional.ljust(14, "<")
    parts = [number + check_digit(number), state, birth + check_digit(birth), sex, expiry + check_digit(expiry),
             optional + check_digit(optional)]
    composite = parts[0] + parts[2] + parts[4] + parts[5]
    return [line1, "".join(parts) + check_digit(composite)]


def one_line_rows(values=None, labels=None, x=40.0, size=2.3):
    """Rows that print each label and its value on one line, in one size ("Surname: ERIKSSON")."""
    values = {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "L898902C3",
              "birth_date": "12.08.1974", "sex": "F", "expiry_date": "15.04.2012", **(values or {})}
    labels = {"surname": "Surname", "given_names": "Given names", "document_number": "Passport No",
              "birth_date": "Date of birth", "sex": "Sex", "expiry_date": "Date of expiry", **(labels or {})}
    keys = ("surname", "given_names", "document_number", "birth_date", "sex", "expiry_date")
    return [(x, 2.0, "PASSPORT", 2.2)] + [(x, 8.0 + 5 * row, f"{labels[key]}: {values[key]}", size)
                                         for row, key in enumerate(keys)]


def combined_rows(values=None, x=40.0):
    """One label over both names ("Surname / Given names"), the other fields under their own."""
    v = {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "L898902C3",
         "birth_date": "12.08.1974", "sex": "F", "expiry_date": "15.04.2012", **(values or {})}
    return [(x, 2, "PASSPORT", 2.2), (x, 8, "Surname / Given names", 1.3), (x, 10, v["surname"], 2.5),
            (x, 13.5, v["given_names"], 2.5), (x, 19, "Passport No.", 1.3), (x, 21, v["document_number"], 2.5),
            (x, 27, "Date of birth", 1.3), (x, 29, v["birth_date"], 2.5), (x + 40, 27, "Sex", 1.3),
            (x + 40, 29, v["sex"], 2.5), (x, 35, "Date of expiry", 1.3), (x, 37, v["expiry_date"], 2.5)]


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
