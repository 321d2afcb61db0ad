"""Synthetic visual-zone lines for the line recogniser (``screening.viz_ocr``): what a data page
prints (names, numbers, dates, labels, places) drawn in many faces, degraded as print and
capture degrade it, and cut as the pipeline cuts it (``viz.text_lines``, ``viz.padded``).

Used by ``tools/train_viz.py`` (training faces only), ``benchmarks/viz_ocr.py`` and the tests
(held-out faces). The faces of the generator's held-out layout family (``national_bilingual``:
the serif faces of screening/samples/layouts.py) are never trained on, nor faces made from them
(Tinos is Liberation Serif's design, Nimbus Roman is FreeSerif's ancestor), nor Roboto, held out
as one more face that no family uses.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from screening import fonts, viz
from screening.mrz.transliterate import transliterate
from screening.samples.people import ENGLISH_LABELS, ISSUERS
from screening.viz_ocr import ALPHABET

# Font files drawn in for training (file names; screening.fonts.file_path finds them). Debian
# packages: fonts-dejavu-core, fonts-liberation(2), fonts-freefont-ttf, fonts-noto-core,
# fonts-noto-mono, fonts-croscore, fonts-go, fonts-paratype, fonts-open-sans, fonts-urw-base35,
# fonts-crosextra-carlito, fonts-crosextra-caladea, fonts-linuxlibertine, fonts-cmu,
# fonts-courier-prime (Makefile: train-deps).
TRAINING_FACES = (
    # sans
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
    "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSansNarrow-Regular.ttf",
    "FreeSans.ttf", "FreeSansBold.ttf", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
    "PTS55F.ttf", "PTS75F.ttf", "PTN57F.ttf", "PTC55F.ttf", "OpenSans-Regular.ttf", "OpenSans-Semibold.ttf",
    "OpenSans-CondBold.ttf", "Go-Regular.ttf", "Go-Medium.ttf", "Carlito-Regular.ttf", "Carlito-Bold.ttf",
    "NimbusSans-Regular.otf", "NimbusSans-Bold.otf", "NimbusSansNarrow-Regular.otf", "URWGothic-Book.otf",
    "LinBiolinum_R.otf", "cmunss.ttf", "OCRB.otf",
    # monospaced
    "DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "Cousine-Regular.ttf", "FreeMono.ttf",
    "NotoSansMono-Regular.ttf", "Go-Mono.ttf", "PTM55F.ttf", "NimbusMonoPS-Regular.otf", "Courier Prime.otf",
    # serif (none of the held-out faces' designs)
    "PTF55F.ttf", "PTF75F.ttf", "C059-Roman.otf", "P052-Roman.otf", "LinLibertine_R.otf", "cmunrm.ttf",
    "Caladea-Regular.ttf", "URWBookman-Light.otf",
)
# The held-out layout family's faces (layouts.national_bilingual) and one face no family uses.
HELD_OUT_FACES = (
    "DejaVuSerif.ttf", "DejaVuSerifCondensed.ttf", "LiberationSerif-Regular.ttf", "FreeSerif.ttf",
    "NotoSerif-Regular.ttf", "Roboto-Regular.ttf",
)
# Never trained on either: the same designs as held-out faces under other names.
SAME_DESIGN_AS_HELD_OUT = ("Tinos-Regular.ttf", "NimbusRoman-Regular.otf")

KINDS = ("name_latin", "name_cyrillic", "number", "date", "label", "place", "random")
_WEIGHTS = (0.2, 0.17, 0.1, 0.13, 0.2, 0.08, 0.12)


@lru_cache(maxsize=None)
def face_file(name: str) -> str | None:
    return fonts.file_path(name)


@lru_cache(maxsize=None)
def coverage(path: str) -> frozenset[str]:
    """The characters of ALPHABET that the font file draws."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return frozenset(c for c in ALPHABET if ord(c) in cmap or c == " ")


def available(names) -> list[str]:
    """The paths of the faces among ``names`` installed here."""
    return [p for p in map(face_file, names) if p is not None]


# --- Text ---------------------------------------------------------------------------------------

_CONS_LAT = "BDFGHJKLMNPRSTVZCXWYQ"
_VOW_LAT = "AEIOUY"
_CONS_CYR = "БВГДЖЗКЛМНПРСТФХЦЧШЩҒҚҢҲҶҺ"
_VOW_CYR = "АЕЁИОУЫЭЮЯӘӨҰҮІӢӮЎЄЇ"
_LATIN_MARKED_UPPER = "ÇŞÄÖÜŽŇÝĞİƏĂÂÎȘȚŢÉÈÊËÀÔÛÙÏÑÁÍÓÚŠČ"
_MONTHS = {
    "en": ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
    "fr": ("JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC"),
    "ru": ("ЯНВ", "ФЕВ", "МАР", "АПР", "МАЯ", "ИЮН", "ИЮЛ", "АВГ", "СЕН", "ОКТ", "НОЯ", "ДЕК"),
}
_COUNTRIES = ("UTOPIA", "KAZAKHSTAN", "UZBEKISTAN", "TAJIKISTAN", "KYRGYZSTAN", "TURKMENISTAN", "AZERBAIJAN",
              "MOLDOVA", "UKRAINE", "RUSSIA", "GEORGIA", "ARMENIA", "AFGHANISTAN", "GERMANY", "FRANCE", "SWEDEN")


def _pick(rng: np.random.Generator, items):
    return items[int(rng.integers(len(items)))]


def _syllables(rng, consonants: str, vowels: str, count: int) -> str:
    return "".join(_pick(rng, consonants) * (rng.random() < 0.85) + _pick(rng, vowels) + _pick(rng, consonants)
                   * (rng.random() < 0.35) for _ in range(count))


def _all_names():
    latin, cyrillic = [], []
    for issuer in ISSUERS.values():
        names = issuer.names
        for name in names.male_given + names.female_given + names.surnames:
            if any("А" <= c <= "я" or c in "ӘҒҚҢӨҰҮҺІӢӮҲҶЎЄЇҐәғқңөұүһіӣӯҳҷўєїґЁё" for c in name):
                cyrillic.append(name)
                latin.append(transliterate(name, issuer.code))
            else:
                latin.append(name)
    return tuple(latin), tuple(cyrillic)


_LATIN_NAMES, _CYRILLIC_NAMES = _all_names()


def _case(rng, text: str) -> str:
    r = rng.random()
    return text.upper() if r < 0.75 else text.title() if r < 0.92 else text


def _name(rng, cyrillic: bool) -> str:
    words = []
    for _ in range(int(rng.choice((1, 1, 2, 2, 3)))):
        if rng.random() < 0.45:
            words.append(_pick(rng, _CYRILLIC_NAMES if cyrillic else _LATIN_NAMES))
        elif cyrillic:
            words.append(_syllables(rng, _CONS_CYR, _VOW_CYR, int(rng.integers(1, 4))))
        else:
            word = _syllables(rng, _CONS_LAT, _VOW_LAT, int(rng.integers(1, 4)))
            if rng.random() < 0.25:  # a letter with a diacritic, as Turkmen, Azerbaijani, Romanian names print
                i = int(rng.integers(len(word)))
                word = word[:i] + _pick(rng, _LATIN_MARKED_UPPER) + word[i + 1:]
            if rng.random() < 0.08:
                word = word[:2] + _pick(rng, "ʻ’'") + word[2:]
            words.append(word)
    separator = _pick(rng, (" ", " ", " ", "-", ", "))
    return _case(rng, separator.join(words))


def _number(rng) -> str:
    pattern = _pick(rng, [i.passport_number for i in ISSUERS.values()] + ["L9999999", "LL9999999", "999999999",
                                                                          "L99999999", "99 99 999999", "L999999L9"])
    out = "".join(_pick(rng, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") if c == "L" else _pick(rng, "0123456789") if c == "9"
                  else c for c in pattern)
    if rng.random() < 0.15:
        out = _pick(rng, ("№ ", "No. ", "N ")) + out
    return out


def _date(rng) -> str:
    day = dt.date(1940, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 100)))
    d, m, y = day.day, day.month, day.year
    style = int(rng.integers(8))
    if style == 0:
        return f"{d:02d}.{m:02d}.{y}"
    if style == 1:
        return f"{d:02d}/{m:02d}/{y}"
    if style == 2:
        return f"{d:02d} {_MONTHS['en'][m - 1]} {y}"
    if style == 3:
        return f"{d:02d} {_MONTHS['en'][m - 1]}/{_MONTHS[_pick(rng, ('fr', 'ru'))][m - 1]} {y % 100:02d}"
    if style == 4:
        return f"{y}-{m:02d}-{d:02d}"
    if style == 5:
        return f"{d:02d} {_MONTHS[_pick(rng, ('fr', 'ru'))][m - 1]}/{_MONTHS['en'][m - 1]} {y}"
    if style == 6:
        return f"{d:02d}-{m:02d}-{y}"
    return f"{d:02d} {_MONTHS['en'][m - 1].title()} {y}"


def _labels() -> tuple[str, ...]:
    words = set(ENGLISH_LABELS.values())
    for issuer in ISSUERS.values():
        words |= set(issuer.labels.values())
    for table in viz.LABEL_TABLE.values():
        for names in table.values():
            words |= set(names)
    return tuple(sorted(words))


_LABELS = _labels()


def _label(rng) -> str:
    text = _pick(rng, _LABELS)
    r = rng.random()
    if r < 0.35:
        text = f"{text}{_pick(rng, (' / ', '/', ' - ', ' / '))}{_pick(rng, _LABELS)}"
    elif r < 0.5:
        text = f"{text}{_pick(rng, (':', ''))} {_pick(rng, (_name(rng, False), _name(rng, True), _date(rng), _number(rng)))}"
    if rng.random() < 0.1:
        text = text.upper()
    return text


def _place(rng) -> str:
    issuer = _pick(rng, tuple(ISSUERS.values()))
    r = rng.random()
    if r < 0.4:
        return _pick(rng, issuer.places)
    if r < 0.55:
        return transliterate(_pick(rng, issuer.places), issuer.code)
    if r < 0.7:
        return issuer.authority
    if r < 0.85:
        return _pick(rng, (issuer.name_latin, issuer.name_national))
    return f"{_pick(rng, issuer.places)}{_pick(rng, (', ', ' / '))}{_pick(rng, _COUNTRIES)}"


_SCRIPTS = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _LATIN_MARKED_UPPER,
    "abcdefghijklmnopqrstuvwxyzçşäöüžňýğıəăâîșțţéèêëàôûùïñáíóúščß",
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘҒҚҢӨҰҮҺІӢӮҲҶЎЄЇҐ",
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіӣӯҳҷўєїґ",
)


def _random(rng) -> str:
    """Words of letters drawn evenly from one script and case each (the rare letters get seen
    too; a word never mixes scripts, as no printed word does), digits and punctuation between."""
    words = []
    for _ in range(int(rng.integers(1, 4))):
        r = rng.random()
        letters = "0123456789" if r < 0.1 else _pick(rng, _SCRIPTS)
        word = "".join(_pick(rng, letters) for _ in range(int(rng.integers(1, 9))))
        if rng.random() < 0.2:
            word += _pick(rng, ".,/-':()№ʻ’")
        words.append(word)
    return " ".join(words)


def random_text(rng: np.random.Generator, kind: str | None = None) -> str:
    kind = kind or KINDS[int(rng.choice(len(KINDS), p=_WEIGHTS))]
    text = {"name_latin": lambda: _name(rng, False), "name_cyrillic": lambda: _name(rng, True),
            "number": lambda: _number(rng), "date": lambda: _date(rng), "label": lambda: _label(rng),
            "place": lambda: _place(rng), "random": lambda: _random(rng)}[kind]()
    return " ".join(text.split())[:48].strip()


def script_of(text: str) -> str:
    """"latin", "cyrillic", "mixed" or "digits" (no letters): the benchmark's rows."""
    cyr = sum(1 for c in text if "Ѐ" <= c <= "ӿ")
    lat = sum(1 for c in text if c.isalpha()) - cyr
    return "digits" if not cyr and not lat else "cyrillic" if not lat else "latin" if not cyr else "mixed"


# --- Rendering ------------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=None)
def _cap_ratio(path: str) -> float:
    box = _font(path, 100).getbbox("H")
    return max(0.3, (box[3] - box[1]) / 100)


def drawable(text: str, path: str) -> bool:
    return set(text) <= coverage(path)


def render_line(text: str, path: str, rng: np.random.Generator, grey: bool | None = None,
                height_px: float | None = None) -> np.ndarray:
    """``text`` printed in the face ``path`` as the pipeline cuts a line out of a visual zone at
    viz.PX_PER_MM: a line's box with viz.padded's margin, from the zone's black-on-white ``clean``
    image (``grey`` False), or from its grey image scaled up 1.5-2x as ``VisualZone.reread``
    does (``grey`` True). ``height_px``: the capitals' height (default: drawn around the
    pipeline's median line of 20 px, 7-45)."""
    grey = bool(rng.random() < 0.3) if grey is None else grey
    cap = height_px or float(np.clip(rng.lognormal(np.log(15.0), 0.35), 6.0, 36.0))
    scale = int(rng.choice((1, 2, 3)))  # drawn larger, then reduced: anti-aliased as a capture is
    size = max(4, int(round(scale * cap / _cap_ratio(path))))
    face = _font(path, size)
    spacing = rng.uniform(0.0, 0.18) * size if rng.random() < 0.25 else 0.0
    stroke = int(rng.random() < 0.15 and scale >= 2)
    margin = int(0.9 * size) + 4
    width = int(face.getlength(text) + spacing * len(text) + 2 * margin + 2 * stroke)
    height = int(1.8 * size + 2 * margin)
    ink_level = int(rng.integers(0, 90))
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    y = margin + 0.2 * size
    if spacing:
        x = float(margin)
        for char in text:
            draw.text((x, y), char, font=face, fill=ink_level, stroke_width=stroke, stroke_fill=ink_level)
            x += face.getlength(char) + spacing
    else:
        draw.text((margin, y), text, font=face, fill=ink_level, stroke_width=stroke, stroke_fill=ink_level)
    page = np.asarray(image, np.uint8)
    if rng.random() < 0.15:  # ink spread or starved (thermal and inkjet printers)
        kernel = np.ones((scale + 1, scale + 1), np.uint8) if scale > 1 else np.ones((2, 2), np.uint8)
        page = cv2.erode(page, kernel) if rng.random() < 0.5 else cv2.dilate(page, kernel)
    angle = rng.normal(0.0, 0.4)
    if abs(angle) > 0.05:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), float(angle), 1.0)
        page = cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    page = cv2.resize(page, (max(8, width // scale), max(8, height // scale)), interpolation=cv2.INTER_AREA)
    ys, xs = np.nonzero(page < 200)
    drawn = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1) if xs.size else None
    page = _capture(page, rng)
    return _cut(page, rng, grey, drawn)


def _capture(page: np.ndarray, rng) -> np.ndarray:
    """Paper, background print, camera or scanner: blur, a coarser capture scaled up, noise, JPEG."""
    h, w = page.shape
    out = page.astype(np.float32)
    paper = rng.uniform(200, 255)
    out = paper - (255.0 - out) * (paper - rng.uniform(0, 60)) / 255.0
    if rng.random() < 0.35:  # fine guilloche lines of the security background
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        period, phase = rng.uniform(4, 14), rng.uniform(0, 6.3)
        wave = np.sin((xx * np.cos(phase) + yy * np.sin(phase) + 3 * np.sin(xx / rng.uniform(8, 30))) / period * 6.28)
        out = np.minimum(out, paper - rng.uniform(10, 45) * (wave > 0.85))
    if rng.random() < 0.3:  # captured coarser than the zone's 10 px/mm, scaled up to it
        f = rng.uniform(0.5, 0.85)
        small = cv2.resize(out, (max(4, int(w * f)), max(4, int(h * f))), interpolation=cv2.INTER_AREA)
        out = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, 0.9))
    out += rng.normal(0, rng.uniform(0, 9), out.shape)
    out = np.clip(out, 0, 255).astype(np.uint8)
    if rng.random() < 0.4:
        buffer = io.BytesIO()
        Image.fromarray(out).save(buffer, "JPEG", quality=int(rng.integers(35, 95)))
        out = np.asarray(Image.open(io.BytesIO(buffer.getvalue())).convert("L"))
    return out


def _cut(page: np.ndarray, rng, grey: bool, drawn) -> np.ndarray:
    """The line's box found and padded the way the pipeline does (the boxes of viz.text_lines over
    the drawn text, not those of the background's lines), cut from the binary or grey image."""
    clean, boxes = viz.text_lines(page)
    if drawn is None:
        return clean[: page.shape[0] // 2 + 1, :]
    dx0, dy0, dx1, dy1 = drawn
    boxes = [b for b in boxes if b[0] < dx1 and b[0] + b[2] > dx0 and b[1] < dy1 and b[1] + b[3] > dy0
             and b[1] + b[3] <= dy1 + 3 and b[1] >= dy0 - 3]
    if boxes:
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[0] + b[2] for b in boxes)
        y1 = max(b[1] + b[3] for b in boxes)
    else:  # too faint, small or large for the pipeline's line finder: the drawn text's extent
        x0, y0, x1, y1 = drawn
    x, y, w, h = viz.padded((int(x0), int(y0), int(x1 - x0), int(y1 - y0)), page.shape)
    if not grey:
        return np.ascontiguousarray(clean[y:y + h, x:x + w])
    crop = page[y:y + h, x:x + w]
    f = rng.uniform(1.5, 2.0)
    return cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)


def sample(rng: np.random.Generator, faces: list[str], kind: str | None = None,
           grey: bool | None = None) -> tuple[str, str, np.ndarray]:
    """(text, face path, line crop): a random line in a random one of ``faces`` that draws it."""
    for _ in range(20):
        text = random_text(rng, kind)
        path = _pick(rng, faces)
        if text and drawable(text, path):
            return text, path, render_line(text, path, rng, grey)
    text = "".join(c for c in text if c in coverage(path)).strip() or "0"
    return text, path, render_line(text, path, rng, grey)


__all__ = ["HELD_OUT_FACES", "KINDS", "SAME_DESIGN_AS_HELD_OUT", "TRAINING_FACES", "available", "coverage",
           "random_text", "render_line", "sample", "script_of"]
