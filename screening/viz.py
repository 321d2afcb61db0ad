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
import functools
import re
from dataclasses import dataclass, field

import cv2
import numpy as np

from screening import tesseract, zones
from screening.raster import components
from screening.text import Text

PX_PER_MM = 10.0
# A value is printed in its label's column (left edges within COLUMN_MM) and at most GAP_MM under it.
COLUMN_MM = 2.5
GAP_MM = 2.2

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
# Labels of the document number that, on a visa, name the holder's passport instead.
PASSPORT_LABELS = ("passport no", "passport number", "номер паспорта")

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
    read: bool = True  # False: a label left unread (no value under it was in question)


@dataclass(frozen=True)
class VizReading:
    lines: tuple[TextLine, ...]
    # field -> the value lines printed under its label (more than one for names in two scripts)
    fields: dict = field(default_factory=dict)
    specimen_marks: tuple[str, ...] = ()


class NotReadable(Exception):
    """The visual zone could not be read (the reason, a screening.text.Text, is the argument)."""


class VisualZone:
    """The visual zone of one page: its text lines found, each read by Tesseract only when asked.

    Reading is what costs (a few milliseconds a line), so a caller that knows what to look
    for reads the value-like lines first (``read_values``) and the rest only when needed
    (``reading``).
    """

    def __init__(self, clean: np.ndarray, boxes: list[tuple[int, int, int, int]], grey: np.ndarray | None = None):
        self.clean = clean
        self.boxes = boxes
        self.grey = grey if grey is not None else clean
        self._read: dict[int, TextLine] = {}
        self._values: list[int] | None = None

    def reread(self, line: TextLine, lang: str = "eng", scale: float = 1.5) -> TextLine:
        """``line`` read again from the grey image (background kept, ``scale`` times larger): a
        second, partly independent reading, to confirm a value Tesseract was unsure of."""
        x, y, w, h = _pad(line.box, self.grey.shape)
        strip = cv2.resize(self.grey[y:y + h, x:x + w], None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        ((text, confidence),) = tesseract.read_text_lines(strip, [(0, 0, strip.shape[1], strip.shape[0])], lang)
        return TextLine(line.box, text, confidence)

    def _ensure(self, indices) -> None:
        missing = [i for i in indices if i not in self._read]
        if missing:
            texts = tesseract.read_text_lines(self.clean, [_pad(self.boxes[i], self.clean.shape) for i in missing], "eng")
            for i, (text, confidence) in zip(missing, texts):
                self._read[i] = TextLine(self.boxes[i], text, confidence)

    def _read_small_print(self, indices) -> None:
        """Labels: small print whose thin strokes the background removal breaks, so read from the
        grey image at twice the size (all strips stacked into one image, one Tesseract pass)."""
        missing = [i for i in indices if i not in self._read]
        if not missing:
            return
        strips = []
        for i in missing:
            x, y, w, h = _pad(self.boxes[i], self.grey.shape)
            strips.append(cv2.resize(self.grey[y:y + h, x:x + w], None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))
        gap = 20
        stack = np.full((sum(s.shape[0] + gap for s in strips), max(s.shape[1] for s in strips)), 255, np.uint8)
        boxes, top = [], 0
        for strip in strips:
            stack[top:top + strip.shape[0], :strip.shape[1]] = strip
            boxes.append((0, top, strip.shape[1], strip.shape[0]))
            top += strip.shape[0] + gap
        for i, (text, confidence) in zip(missing, tesseract.read_text_lines(stack, boxes, "eng")):
            self._read[i] = TextLine(self.boxes[i], text, confidence)

    def is_read(self, index: int) -> bool:
        return index in self._read

    def value_like(self) -> list[int]:
        """The lines printed taller than the zone's smallest print (its labels), top to bottom.

        Labels are printed smaller than the data on ICAO pages; where they are not, every line
        counts as value-like, which costs time, never a finding.
        """
        if self._values is None:
            small = label_height(self.boxes)
            self._values = ([i for i, (_, _, _, h) in enumerate(self.boxes) if h >= 1.15 * small]
                            or list(range(len(self.boxes))))
        return self._values

    def read(self, indices) -> list[TextLine]:
        self._ensure(indices)
        return [self._read[i] for i in indices]

    def lines_read(self) -> list[TextLine]:
        return [self._read[i] for i in sorted(self._read)]

    def reading(self, labels_for=None, values=None, visa: bool = False) -> VizReading:
        """The value lines read, the labelled fields found, names in Cyrillic read again in Russian.

        ``labels_for``: the value lines whose labels are read (default: all). Labels are long
        small print, most of the cost where only a field or two are in question. ``values``: the
        value lines to read (default: all); the others stay unread."""
        self._ensure(sorted(self.value_like() if values is None else values))
        values = set(self.value_like())
        labels = [i for i in range(len(self.boxes)) if i not in values]
        if labels_for is not None and self._values_in_small_print(labels, values):
            labels_for = None  # which small lines are labels is not known: read them all
        self._read_small_print([i for i in labels if labels_for is None or self._value_under(i, values) in labels_for])
        lines = [self._read.get(i) or TextLine(self.boxes[i], "", 0.0, read=False) for i in range(len(self.boxes))]
        fields = assign_fields(lines, visa)
        again = [i for key in ("surname", "given_names") for i in fields.get(key, ())
                 if lines[i].confidence < 0.85 or not re.fullmatch(r"[A-Z' \-]+", lines[i].text)]
        if again:
            russian = tesseract.read_text_lines(self.clean, [_pad(lines[i].box, self.clean.shape) for i in again], "rus")
            for i, (text, confidence) in zip(again, russian):
                if confidence > lines[i].confidence:
                    lines[i] = TextLine(lines[i].box, text, confidence)
        return VizReading(tuple(lines), {k: tuple(lines[i] for i in v) for k, v in fields.items()},
                          specimen_marks(lines))

    def _values_in_small_print(self, labels, values) -> bool:
        """Are values printed as small as the labels (a label line with a small line under it
        that has no value under it itself), in two places or more (a layout, not an accident)?"""
        def word(i, shape):
            return self.boxes[i][2] >= shape * self.boxes[i][3]

        under = [self._value_under(i, labels) for i in labels if word(i, 2.0)]
        return sum(j is not None and word(j, 1.5) and self._value_under(j, values) is None for j in under) >= 2

    def labelled(self) -> set[int]:
        """The value lines printed under a label (or under such a line: a name's second script).
        Titles, and print in the portrait, are under none."""
        values = set(self.value_like())
        under = {self._value_under(i, values) for i in range(len(self.boxes)) if i not in values} - {None}
        return under | {self._value_under(j, values) for j in under} - {None}

    def _value_under(self, label: int, values) -> int | None:
        """The value line printed right under a line (in its column, the next line down), if any."""
        lx, ly, lw, lh = self.boxes[label]
        under = [j for j in values if abs(self.boxes[j][0] - lx) <= COLUMN_MM * PX_PER_MM
                 and ly + 0.5 * lh <= self.boxes[j][1] <= ly + lh + GAP_MM * PX_PER_MM]
        return min(under, key=lambda j: self.boxes[j][1]) if under else None


def locate(page: np.ndarray, quarter_turns: int, polygon, chars_per_line: int) -> VisualZone:
    """The visual zone above the MRZ, its text lines found but not yet read."""
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
    return VisualZone(clean, boxes, crop)


def read(page: np.ndarray, quarter_turns: int, polygon, chars_per_line: int, fmt: str = "") -> VizReading:
    """Every line of the visual zone read and its labelled fields found."""
    return locate(page, quarter_turns, polygon, chars_per_line).reading()


def specimen_marks(lines) -> tuple[str, ...]:
    return tuple(sorted({w for line in lines for w in SPECIMEN_WORDS if _contains_word(line.text, w)}))


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
    count, _, stats, _ = components(joined)
    boxes = []
    for x, y, w, h, area in stats[1:]:
        if 0.7 * PX_PER_MM <= h <= 4.5 * PX_PER_MM and w >= 0.6 * PX_PER_MM and area >= 2 * PX_PER_MM:
            if area / (w * h) > 0.08:  # not a thin curve (signature, guilloche)
                boxes.append((int(x), int(y), int(w), int(h)))
    boxes.sort(key=lambda b: (b[1], b[0]))
    return clean, boxes[:60]


def label_of(text: str, visa: bool = False) -> str | None:
    """The field a label line names (matching each part of 'national / English'): a key of
    LABELS, "other" for a label of another field, or None for a line that is no label.

    ``visa``: on a visa the MRZ's number is the visa's; "Passport No." names the holder's
    passport, another field."""
    key, name = _label_of(text)
    return "other" if visa and key == "document_number" and name in PASSPORT_LABELS else key


_CANDIDATES = [(key, name) for key, names in LABELS.items() for name in names] + [("other", n) for n in OTHER_LABELS]
LABEL_MATCH = 0.75  # similarity (difflib ratio) of a label read to a known label


@functools.lru_cache(maxsize=4096)
def _label_of(text: str) -> tuple[str | None, str | None]:
    """The best-matching field and label name, or (None, None)."""
    parts = [p.strip(" .:|").lower() for p in re.split(r"[/|}{]", text) if p.strip(" .:|")]
    best, best_name, best_score = None, None, 0.0
    for part in parts:
        part = re.sub(r"[^a-zа-яё ]", "", part).strip()
        if len(part) < 3:
            continue
        words = part.split()
        for key, name in _CANDIDATES:
            score = _similarity(part, name, best_score)
            if " " not in name and len(words) > 1:  # a one-word label among OCR debris
                score = max([score] + [_similarity(w, name, best_score) for w in words
                                       if len(w) >= max(3, len(name) - 2)])
            if score > best_score:
                best, best_name, best_score = key, name, score
    return (best, best_name) if best_score >= LABEL_MATCH else (None, None)


def _similarity(a: str, b: str, to_beat: float) -> float:
    """difflib's ratio, or 0 where its cheap upper bounds show it cannot reach a match
    better than ``to_beat`` (most pairs: the full ratio is what costs)."""
    matcher = difflib.SequenceMatcher(None, a, b)
    floor = max(to_beat, LABEL_MATCH - 1e-9)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def label_height(boxes) -> int:
    """The height of the zone's smallest print (its labels): the lower quartile of word-shaped boxes."""
    words = sorted(h for _, _, w, h in boxes if w >= 2 * h) or sorted(h for *_, h in boxes)
    return words[len(words) // 4]


def assign_fields(lines: list[TextLine], visa: bool = False) -> dict[str, list[int]]:
    """For each labelled field, the indices of the value lines printed under its label."""
    labels = [label_of(line.text, visa) for line in lines]
    # A line no taller than the labels read is a label too (one not recognised).
    heights = sorted(line.box[3] for line, key in zip(lines, labels) if key is not None)
    small = heights[len(heights) // 2] if heights else 0
    label_like = [labels[j] is not None or lines[j].box[3] <= 1.1 * small or not lines[j].read
                  for j in range(len(lines))]
    column = COLUMN_MM * PX_PER_MM
    by_y = sorted(range(len(lines)), key=lambda j: lines[j].box[1])
    fields: dict[str, list[int]] = {}
    for i, key in enumerate(labels):
        if key is None or key == "other" or key in fields:
            continue
        lx, ly, lw, lh = lines[i].box
        below = ly + lh
        values: list[int] = []
        for j in by_y:
            x, y, w, h = lines[j].box
            if j == i or y < ly + 0.5 * lh or abs(x - lx) > column:
                continue
            if label_like[j] or y - below > GAP_MM * PX_PER_MM:
                break  # the next label in this column, or too far down
            values.append(j)
            below = y + h
            if key not in ("surname", "given_names") or len(values) == 2:
                break
        if values:
            fields[key] = values
    _names_by_order(lines, labels, label_like, fields)
    return fields


def _names_by_order(lines, labels, label_like, fields) -> None:
    """A surname or given-names label that was not read, found from its neighbour: ICAO pages print
    the surname right above the given names (Doc 9303 Part 4, fields 06 and 07), in one column."""
    column, gap = COLUMN_MM * PX_PER_MM, GAP_MM * PX_PER_MM

    def name_like(j):
        text = lines[j].text
        return not label_like[j] and len(re.findall(r"[^\W\d_]", text)) >= 2 and not re.search(r"\d", text)

    if "surname" not in fields and "given_names" in labels:
        gx, gy, _, _ = lines[labels.index("given_names")].box
        above = sorted((j for j in range(len(lines)) if lines[j].box[1] + lines[j].box[3] <= gy
                        and abs(lines[j].box[0] - gx) <= column), key=lambda j: -lines[j].box[1])
        values, top = [], gy
        for j in above:
            if not name_like(j) or top - (lines[j].box[1] + lines[j].box[3]) > gap or len(values) == 2:
                break
            values.append(j)
            top = lines[j].box[1]
        if values:
            fields["surname"] = values[::-1]
    if "given_names" not in fields and "surname" in fields:
        last = lines[fields["surname"][-1]].box
        below = sorted((j for j in range(len(lines)) if lines[j].box[1] >= last[1] + last[3]
                        and abs(lines[j].box[0] - last[0]) <= column), key=lambda j: lines[j].box[1])
        if below and label_like[below[0]] and labels[below[0]] in (None, "given_names"):
            values, bottom = [], lines[below[0]].box[1] + lines[below[0]].box[3]
            for j in below[1:]:
                if not name_like(j) or lines[j].box[1] - bottom > gap or len(values) == 2:
                    break
                values.append(j)
                bottom = lines[j].box[1] + lines[j].box[3]
            if values:
                fields["given_names"] = values


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
