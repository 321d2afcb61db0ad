"""The visual inspection zone (VIZ): find its printed lines, read them with Tesseract, and
pick out the labelled fields (surname, given names, document number, dates, sex) and a
SPECIMEN overprint.

The zone is cut out above the MRZ, straightened and scaled from the MRZ (``zones``). Its
print is separated from the security background (fine guilloche lines) by contrast, cut into
text lines, and each line is read on its own. A field's value is the line(s) printed under
its label, in the label's column: what is not under a label found is not used.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from screening import tesseract, zones
from screening.text import Text

PX_PER_MM = 10.0

# Labels, as printed in English, Russian and by the region's issuers: lowercase, the field they name.
LABELS = {
    "surname": ("surname", "фамилия", "familiya"),
    "given_names": ("given names", "given name", "name", "имя", "имена", "имя отчество"),
    "document_number": ("document no", "passport no", "card no", "document number", "passport number",
                        "номер паспорта", "номер документа", "номер"),
    "birth_date": ("date of birth", "дата рождения"),
    "expiry_date": ("date of expiry", "expiry date", "valid until", "дата окончания срока действия",
                    "действителен до", "срок действия"),
    "sex": ("sex", "пол"),
}
# Labels that look like the ones above but name other fields.
OTHER_LABELS = ("place of birth", "date of issue", "personal no", "nationality", "authority", "valid from",
                "code of state", "type", "entries", "место рождения", "дата выдачи")
SPECIMEN_WORDS = ("SPECIMEN", "ОБРАЗЕЦ", "SAMPLE", "OBRAZETS")

MONTHS = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
    "NOV": 11, "DEC": 12, "ЯНВ": 1, "ФЕВ": 2, "МАР": 3, "АПР": 4, "МАЙ": 5, "МАЯ": 5, "ИЮН": 6, "ИЮЛ": 7,
    "АВГ": 8, "СЕН": 9, "ОКТ": 10, "НОЯ": 11, "ДЕК": 12,
}


@dataclass(frozen=True)
class TextLine:
    box: tuple[int, int, int, int]  # x, y, w, h in the zone image (PX_PER_MM)
    text: str
    confidence: float  # Tesseract's, 0..1


@dataclass(frozen=True)
class VizReading:
    lines: tuple[TextLine, ...]
    # field -> the value lines printed under its label (more than one for names in two scripts)
    fields: dict = field(default_factory=dict)
    specimen_marks: tuple[str, ...] = ()


class NotReadable(Exception):
    """The visual zone could not be read (the reason, a screening.text.Text, is the argument)."""


def read(page: np.ndarray, quarter_turns: int, polygon, chars_per_line: int, fmt: str = "") -> VizReading:
    image, points = zones.upright(page, quarter_turns, polygon)
    fr = zones.frame(points, chars_per_line)
    if fr is None:
        raise NotReadable(Text("the MRZ outline is too small to place the visual zone"))
    # Everything above the MRZ, up to the page's edge (an ID card's front may lie above its back).
    centre_y_mm = fr.centre[1] / fr.src_px_per_mm
    top = -min(135.0, centre_y_mm + 5)
    bottom = -fr.height_mm / 2 - 0.3
    if bottom - top < 10:
        raise NotReadable(Text("there is no visual zone above the MRZ in the image"))
    crop = zones.cut(image, fr, PX_PER_MM, (-fr.width_mm / 2 - 8, top, fr.width_mm / 2 + 8, bottom))
    clean, boxes = text_lines(crop)
    if not boxes:
        raise NotReadable(Text("no printed text was found above the MRZ"))
    texts = tesseract.read_text_lines(clean, [_pad(b, clean.shape) for b in boxes], "eng")
    lines = [TextLine(b, t, c) for b, (t, c) in zip(boxes, texts)]
    fields = assign_fields(lines)
    # Names printed in Cyrillic: read those lines again with the Russian model.
    again = [i for key in ("surname", "given_names") for i in fields.get(key, ())
             if lines[i].confidence < 0.85 or not re.fullmatch(r"[A-Z' \-]+", lines[i].text)]
    if again:
        russian = tesseract.read_text_lines(clean, [_pad(lines[i].box, clean.shape) for i in again], "rus")
        for i, (text, confidence) in zip(again, russian):
            if confidence > lines[i].confidence:
                lines[i] = TextLine(lines[i].box, text, confidence)
    marks = tuple(sorted({w for line in lines for w in SPECIMEN_WORDS if _contains_word(line.text, w)}))
    return VizReading(tuple(lines), {k: tuple(lines[i] for i in v) for k, v in fields.items()}, marks)


def _contains_word(text: str, word: str) -> bool:
    letters = re.sub(r"[^A-ZА-ЯЁ]", "", text.upper())
    return word in letters


def _pad(box, shape):
    x, y, w, h = box
    pad = max(3, h // 5)
    x0, y0 = max(0, x - pad), max(0, y - pad)
    return (x0, y0, min(shape[1], x + w + pad) - x0, min(shape[0], y + h + pad) - y0)


def text_lines(crop: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The zone's print as black on white (background removed), and the boxes of its text lines."""
    k = int(1.6 * PX_PER_MM) | 1
    background = cv2.morphologyEx(crop, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    ink = cv2.subtract(background, crop)
    level, _ = cv2.threshold(ink, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    binary = (ink > max(level, 40)).astype(np.uint8)
    clean = np.where(binary > 0, 0, 255).astype(np.uint8)
    # Letters of a line join into one bar; columns stay apart (their gap is wider than a letter's).
    joined = cv2.morphologyEx(binary, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (int(1.3 * PX_PER_MM), 3)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for x, y, w, h, area in stats[1:]:
        if 0.7 * PX_PER_MM <= h <= 4.5 * PX_PER_MM and w >= 0.6 * PX_PER_MM and area >= 2 * PX_PER_MM:
            if area / (w * h) > 0.08:  # not a thin curve (signature, guilloche)
                boxes.append((int(x), int(y), int(w), int(h)))
    boxes.sort(key=lambda b: (b[1], b[0]))
    return clean, boxes[:60]


def label_of(text: str) -> str | None:
    """The field a label line names (matching each part of 'national / English'): a key of
    LABELS, "other" for a label of another field, or None for a line that is no label."""
    parts = [p.strip(" .:|").lower() for p in re.split(r"[/|}{]", text) if p.strip(" .:|")]
    best, best_score = None, 0.0
    for part in parts:
        part = re.sub(r"[^a-zа-яё ]", "", part).strip()
        if len(part) < 3:
            continue
        candidates = [(key, name) for key, names in LABELS.items() for name in names]
        candidates += [("other", name) for name in OTHER_LABELS]
        words = part.split()
        for key, name in candidates:
            score = difflib.SequenceMatcher(None, part, name).ratio()
            if " " not in name and len(words) > 1:  # a one-word label among OCR debris
                score = max([score] + [difflib.SequenceMatcher(None, w, name).ratio() for w in words
                                       if len(w) >= max(3, len(name) - 2)])
            if score > best_score:
                best, best_score = key, score
    return best if best_score >= 0.75 else None


def assign_fields(lines: list[TextLine]) -> dict[str, list[int]]:
    """For each labelled field, the indices of the value lines printed under its label."""
    labels = [label_of(line.text) for line in lines]
    column = 2.5 * PX_PER_MM
    fields: dict[str, list[int]] = {}
    for i, key in enumerate(labels):
        if key is None or key == "other" or key in fields:
            continue
        lx, ly, lw, lh = lines[i].box
        below = ly + lh
        values: list[int] = []
        for j in sorted(range(len(lines)), key=lambda j: lines[j].box[1]):
            x, y, w, h = lines[j].box
            if j == i or y < ly + 0.5 * lh or abs(x - lx) > column:
                continue
            if labels[j] is not None or y - below > 2.2 * PX_PER_MM:
                break  # the next label in this column, or too far down
            values.append(j)
            below = y + h
            if key not in ("surname", "given_names") or len(values) == 2:
                break
        if values:
            fields[key] = values
    return fields


# --- Values -----------------------------------------------------------------------------


def parse_date(text: str) -> tuple[dt.date | None, bool]:
    """(the date, well-formed?) of a printed date: 12.08.1974, 12/08/1974, 12 AUG 1974,
    12 AUG/АВГ 74. Two-digit years are taken as the latest not in the future-plus-20 years."""
    t = text.upper().replace(",", ".").strip(" .:|")
    m = re.search(r"(\d{2})\s*[./-]\s*(\d{2})\s*[./-]\s*(\d{4}|\d{2})\b", t)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), _year(m.group(3))
    else:
        m = re.search(r"(\d{1,2})\s+([A-ZА-ЯЁ]{3})[A-ZА-ЯЁ]*(?:\s*/\s*[A-ZА-ЯЁ]{3,4})?\s+(\d{4}|\d{2})\b", t)
        if not m or m.group(2) not in MONTHS:
            return None, False
        day, month, year = int(m.group(1)), MONTHS[m.group(2)], _year(m.group(3))
    try:
        return dt.date(year, month, day), True
    except ValueError:
        return None, True  # well-formed but not a real day (printed as such)


def _year(text: str) -> int:
    if len(text) == 4:
        return int(text)
    yy = int(text)
    this = dt.date.today().year % 100
    return 2000 + yy if yy <= this + 20 else 1900 + yy


def yymmdd(text: str) -> str | None:
    """A printed date as the MRZ writes it (YYMMDD), also when it is no real day; None if no date is read."""
    t = text.upper().replace(",", ".").strip(" .:|")
    m = re.search(r"(\d{2})\s*[./-]\s*(\d{2})\s*[./-]\s*(\d{4}|\d{2})\b", t)
    if m:
        return m.group(3)[-2:] + m.group(2) + m.group(1)
    m = re.search(r"(\d{1,2})\s+([A-ZА-ЯЁ]{3})[A-ZА-ЯЁ]*(?:\s*/\s*[A-ZА-ЯЁ]{3,4})?\s+(\d{4}|\d{2})\b", t)
    if m and m.group(2) in MONTHS:
        return f"{m.group(3)[-2:]}{MONTHS[m.group(2)]:02d}{int(m.group(1)):02d}"
    return None


def alnum(text: str) -> str:
    return re.sub(r"[^A-Z0-9А-ЯЁ]", "", text.upper())
