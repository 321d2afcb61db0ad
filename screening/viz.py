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
import unicodedata
from collections import Counter

import cv2
import numpy as np

from screening import tesseract, viz_ocr, zones
from screening.models import VizLine, VizReading
from screening.raster import components
from screening.text import Text

PX_PER_MM = 10.0
LABEL_LANGUAGES = "eng+rus"  # Tesseract's models for labels (the only two Debian installs here)
# The models any page may be read with (values, labels, Cyrillic names); national ones as an issuer asks.
COMMON_LANGUAGES = ("eng", LABEL_LANGUAGES, "rus")
# Tesseract's models of the issuers' own Cyrillic alphabets (optional Debian packages
# tesseract-ocr-kaz and so on): Russian's model has no І, Ә, Қ, Ү... and reads СЕЙІТОВА as
# СЕЙТОВА at 0.9, a difference from the MRZ's SEIITOVA that no alteration made (fraud
# benchmark, clean Kazakh cards); Kazakh's model reads it at 0.96.
NATIONAL_CYRILLIC = {"KAZ": "kaz", "KGZ": "kir", "TJK": "tgk", "UKR": "ukr", "UZB": "uzb_cyrl"}


def cyrillic_models(issuer: str) -> tuple[str, ...]:
    """The models a Cyrillic name of ``issuer``'s page is read with: its national one where
    installed, then Russian."""
    national = NATIONAL_CYRILLIC.get(issuer)
    return ((national,) if national and tesseract.has_language(national) else ()) + ("rus",)
# A value is printed in its label's column (left edges within COLUMN_MM) and at most GAP_MM under it.
COLUMN_MM = 2.5
GAP_MM = 2.2

# Labels of the fields, as the region's documents print them: language -> field -> the words
# (any case; diacritics and look-alike letters are folded by ``fold`` before matching). Sources:
# ICAO Doc 9303 Part 4 (English, French, Spanish captions) and the data pages of the issuers'
# passports and ID cards. "other" are labels of fields not compared, kept so that a near
# miss ("Date of issue" for "Date of expiry", "Әкесінің аты" for "Аты") names its own field.
LABEL_TABLE: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"surname": ("Surname", "Last name", "Family name"),
           "given_names": ("Given names", "Given name", "Name", "First name", "Forenames"),
           "document_number": ("Passport No", "Passport number", "Document No", "Document number", "Card No",
                               "Card number", "Visa No", "Visa number"),
           "birth_date": ("Date of birth", "Birth date"),
           "expiry_date": ("Date of expiry", "Expiry date", "Valid until", "Date of expiration", "Expiration date"),
           "sex": ("Sex", "Gender"),
           "other": ("Place of birth", "Date of issue", "Personal No", "Personal number", "Nationality", "Authority",
                     "Issuing authority", "Valid from", "Code of state", "Country code", "Code", "Type",
                     "Entries", "Holder's signature", "Patronymic", "Duration of stay", "Remarks")},
    "fr": {"surname": ("Nom",),
           "given_names": ("Prénoms", "Prénom"),
           "document_number": ("N° du passeport", "No du passeport", "N° du document", "Numéro du document"),
           "birth_date": ("Date de naissance",),
           "expiry_date": ("Date d'expiration", "Date d'expiration du document"),
           "sex": ("Sexe",),
           "other": ("Lieu de naissance", "Date de délivrance", "Nationalité", "Autorité", "Code du pays",
                     "Code de l'État émetteur", "Signature du titulaire")},
    "es": {"surname": ("Apellidos", "Apellido"),
           "given_names": ("Nombres", "Nombre"),
           "document_number": ("N° de pasaporte", "Número de pasaporte", "Número de documento"),
           "birth_date": ("Fecha de nacimiento",),
           "expiry_date": ("Fecha de caducidad", "Fecha de vencimiento", "Fecha de expiración"),
           "sex": ("Sexo",),
           "other": ("Lugar de nacimiento", "Fecha de expedición", "Fecha de emisión", "Nacionalidad", "Autoridad",
                     "Código del país")},
    "ru": {"surname": ("Фамилия",),
           "given_names": ("Имя", "Имена", "Имя отчество", "Имя, отчество"),
           "document_number": ("Номер паспорта", "Номер документа", "№ паспорта", "Номер"),
           "birth_date": ("Дата рождения",),
           "expiry_date": ("Дата окончания срока действия", "Действителен до", "Срок действия",
                           "Дата истечения срока действия"),
           "sex": ("Пол",),
           "other": ("Место рождения", "Дата выдачи", "Гражданство", "Орган выдачи", "Кем выдан", "Отчество",
                     "Личный номер", "Код государства", "Тип", "Подпись владельца")},
    "kk": {"surname": ("Тегі",),
           "given_names": ("Аты",),
           "document_number": ("Паспорт нөмірі", "Құжат нөмірі", "Құжаттың нөмірі"),
           "birth_date": ("Туған күні",),
           "expiry_date": ("Қолданылу мерзімі", "Жарамдылық мерзімі"),
           "sex": ("Жынысы",),
           "other": ("Әкесінің аты", "Азаматтығы", "Берілген күні", "Туған жері", "Берген орган", "ЖСН", "Түрі",
                     "Мемлекет коды")},
    "ky": {"surname": ("Фамилиясы",),
           "given_names": ("Аты",),
           "document_number": ("Паспорттун номери", "Документтин номери"),
           "birth_date": ("Туулган күнү",),
           "expiry_date": ("Жарактуу мөөнөтү", "Колдонуу мөөнөтү"),
           "sex": ("Жынысы",),
           "other": ("Атасынын аты", "Жарандыгы", "Берилген күнү", "Туулган жери", "Берген мекеме",
                     "Жеке номери")},
    "tg": {"surname": ("Насаб",),
           "given_names": ("Ном",),
           "document_number": ("Рақами шиноснома", "Рақами ҳуҷҷат"),
           "birth_date": ("Санаи таваллуд",),
           "expiry_date": ("Эътибор то", "Мӯҳлати амал"),
           "sex": ("Ҷинс",),
           "other": ("Номи падар", "Шаҳрвандӣ", "Санаи додан", "Ҷойи таваллуд", "Мақомоти додашуда")},
    "uz": {"surname": ("Familiyasi",),
           "given_names": ("Ismi",),
           "document_number": ("Pasport raqami", "Hujjat raqami"),
           "birth_date": ("Tug'ilgan sanasi",),
           "expiry_date": ("Amal qilish muddati", "Amal qilish muddati tugaydi"),
           "sex": ("Jinsi",),
           "other": ("Otasining ismi", "Fuqaroligi", "Berilgan sanasi", "Tug'ilgan joyi", "Kim tomonidan berilgan",
                     "JShShIR")},
    "uz-cyrl": {"surname": ("Фамилияси",),
                "given_names": ("Исми",),
                "document_number": ("Паспорт рақами", "Ҳужжат рақами"),
                "birth_date": ("Туғилган санаси",),
                "expiry_date": ("Амал қилиш муддати",),
                "sex": ("Жинси",),
                "other": ("Отасининг исми", "Фуқаролиги", "Берилган санаси", "Туғилган жойи")},
    "tk": {"surname": ("Familiýasy",),
           "given_names": ("Ady",),
           "document_number": ("Pasportyň belgisi", "Resminamanyň belgisi"),
           "birth_date": ("Doglan senesi",),
           "expiry_date": ("Möhletiniň gutarýan senesi", "Hereket edýän möhleti"),
           "sex": ("Jynsy",),
           "other": ("Atasynyň ady", "Raýatlygy", "Berlen senesi", "Doglan ýeri", "Beren edara")},
    "az": {"surname": ("Soyadı",),
           "given_names": ("Adı",),
           "document_number": ("Pasportun nömrəsi", "Sənədin nömrəsi"),
           "birth_date": ("Doğum tarixi",),
           "expiry_date": ("Etibarlıdır", "Etibarlılıq müddəti", "Qüvvədədir"),
           "sex": ("Cinsi",),
           "other": ("Atasının adı", "Vətəndaşlığı", "Verilmə tarixi", "Doğum yeri", "Verən orqan")},
    "ro": {"surname": ("Nume", "Numele"),
           "given_names": ("Prenume", "Prenumele"),
           "document_number": ("Nr. paşaportului", "Numărul documentului", "Nr. documentului"),
           "birth_date": ("Data nașterii",),
           "expiry_date": ("Data expirării", "Valabil până la"),
           "sex": ("Sexul",),
           "other": ("Cetățenia", "Data eliberării", "Locul nașterii", "Autoritatea", "Cod personal", "Tipul",
                     "Codul statului")},
    "uk": {"surname": ("Прізвище",),
           "given_names": ("Ім'я",),
           "document_number": ("Номер паспорта", "Документ №"),
           "birth_date": ("Дата народження",),
           "expiry_date": ("Дата закінчення строку дії", "Дійсний до"),
           "sex": ("Стать",),
           "other": ("Ім'я по батькові", "По батькові", "Громадянство", "Дата видачі", "Місце народження",
                     "Орган що видав", "Запис №", "УНЗР")},
}


def _flatten() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for fields in LABEL_TABLE.values():
        for key, names in fields.items():
            out.setdefault(key, []).extend(names)
    return {key: tuple(dict.fromkeys(names)) for key, names in out.items()}


_ALL_LABELS = _flatten()
LABELS = {key: names for key, names in _ALL_LABELS.items() if key != "other"}
OTHER_LABELS = _ALL_LABELS["other"]
SPECIMEN_WORDS = ("SPECIMEN", "ОБРАЗЕЦ", "SAMPLE", "OBRAZETS")
# Labels of the document number that, on a visa, name the holder's passport instead.
PASSPORT_LABELS = ("Passport No", "Passport number", "N° du passeport", "No du passeport", "N° de pasaporte",
                   "Número de pasaporte", "Номер паспорта", "№ паспорта", "Паспорт нөмірі", "Паспорттун номери",
                   "Рақами шиноснома", "Pasport raqami", "Паспорт рақами", "Pasportyň belgisi", "Pasportun nömrəsi",
                   "Nr. paşaportului")

# Month names as pages abbreviate them (a word's first three letters are looked up when the
# whole word is not here): English, Russian, Ukrainian (серпень: СЕР), French and Spanish.
# French JUIN/JUILLET share "JUI", so only their own spellings are listed.
MONTHS = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10,
    "NOV": 11, "DEC": 12, "ЯНВ": 1, "ФЕВ": 2, "МАР": 3, "АПР": 4, "МАЙ": 5, "МАЯ": 5, "ИЮН": 6, "ИЮЛ": 7,
    "АВГ": 8, "СЕН": 9, "ОКТ": 10, "НОЯ": 11, "ДЕК": 12,
    "СІЧ": 1, "ЛЮТ": 2, "БЕР": 3, "КВІ": 4, "ТРА": 5, "ЧЕР": 6, "ЛИП": 7, "СЕР": 8, "ВЕР": 9, "ЖОВ": 10,
    "ЛИС": 11, "ГРУ": 12,
    "FÉV": 2, "AVR": 4, "MAI": 5, "JUIN": 6, "JUIL": 7, "AOÛ": 8, "AOU": 8, "DÉC": 12,
    "ENE": 1, "ABR": 4, "AGO": 8, "SET": 9, "DIC": 12,
}
# Latin letters Tesseract's English model reads for Cyrillic capitals of the same shape (СЕР as CEP).
_AS_CYRILLIC = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_NUMERIC_DATE = re.compile(r"(\d{2})\s*[./-]\s*(\d{2})\s*[./-]\s*(\d{4}|\d{2})\b")
# The year first (ISO 8601, and as some national cards print it): 1974-08-12, 1974.08.12. It holds a
# day-first match too ("74-08-12": no day 74), so the match that starts first is the date.
_YEAR_FIRST_DATE = re.compile(r"(?<!\d)(\d{4})\s*[./-]\s*(\d{2})\s*[./-]\s*(\d{2})(?!\d)")
# Spaces for separators: printed so (15 04 2012), or the dots lost in a low-resolution capture
# ("02 12 2026" for 02.12.2026, a 640 px webcam frame of the tuning set). A four-digit year only:
# two-digit groups with spaces are as often a number's.
_SPACED_DATE = re.compile(r"(?<!\d)(\d{2}) +(\d{2}) +(\d{4})(?!\d)")
_WORDED_DATE = re.compile(r"(\d{1,2})\s+([A-ZÀ-ÝА-ЯЁІЇЄҐ]{3,})(?:\s*/\s*([A-ZÀ-ÝА-ЯЁІЇЄҐ]{3,}))?\s+(\d{4}|\d{2})\b")
# The month's word joined to the day and year by hyphens, or by nothing where the reading lost the
# spaces (12-AUG-1974, 12AUG1974): a four-digit year only, as a number's letters and digits could
# otherwise pass for a date.
_JOINED_WORDED_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*-?\s*([A-ZÀ-ÝА-ЯЁІЇЄҐ]{3,})(?:\s*/\s*([A-ZÀ-ÝА-ЯЁІЇЄҐ]{3,}))?"
                                 r"\s*-?\s*(\d{4})(?!\d)")


# A line as read, and the zone's lines read in full with their fields: plain data the visual zone
# stage hands to its check (screening.models).
TextLine = VizLine


# A printed value's width per character over its line's height (measured on the lines that
# printed an MRZ value: 0.47-1.11 on generated pages, 0.49-1.02 on the real development set).
CHAR_WIDTH = 0.75
# A reading with fewer characters than SHORT_READING of what its line's width holds, on a line that
# holds MIN_CHARS or more, lost some (VisualZone._cut_short): on the 350 pages of
# tools/diagnose_recall.py's tuning set (seed 31) 232 value lines were so, mostly signatures and
# blurred print that no reading makes whole; the grey image read 4 of them at RESTORED_SURE or more
# and with more characters (V58300522 for "8300", SYDYKOV for "i"), each as the line prints it.
SHORT_READING = 0.5
MIN_CHARS = 5
RESTORED_SURE = 0.75


class NotReadable(Exception):
    """The visual zone could not be read (the reason, a screening.text.Text, is the argument)."""


class ReadingFailed(Exception):
    """One reading of a line the comparison asked for (a second reading, the rest of the page)
    could not be made: Tesseract or OpenCV failed on it. The comparison goes on without it."""


class VisualZone:
    """The visual zone of one page: its text lines found, each read by Tesseract only when asked.

    Reading is what costs (a few milliseconds a line), so a caller that knows what to look
    for reads the value-like lines first (``read_values``) and the rest only when needed
    (``reading``).
    """

    def __init__(self, clean: np.ndarray, boxes: list[tuple[int, int, int, int]], grey: np.ndarray | None = None,
                 inside: np.ndarray | None = None):
        self.clean = clean
        self.boxes = boxes
        self.grey = grey if grey is not None else clean
        self.inside = inside
        self._read: dict[int, TextLine] = {}
        self._again: dict[tuple, tuple[str, float]] = {}  # (box, lang, scale) -> a second reading
        self._values: list[int] | None = None
        self._quick: dict[int, TextLine] = {}  # our own recogniser's readings (quick_read)
        self.read_by: dict[int, str] = {}  # line -> which reader's text stands: "tesseract" or "viz_ocr"

    def fainter(self) -> "VisualZone | None":
        """The zone's lines found again with print fainter than INK_FLOOR kept (``text_lines``'s
        ``faint``), as a zone of its own; None where that finds no line this zone lacks."""
        clean, boxes = text_lines(self.grey, self.inside, faint=True)
        return VisualZone(clean, boxes, self.grey, self.inside) if set(boxes) - set(self.boxes) else None

    def quick_read(self, indices) -> list[TextLine]:
        """``indices`` read by our own line recogniser (screening.viz_ocr: a fifth of Tesseract's
        time a line): for confirming that a line prints a value already known. These readings are
        not the line's reading (``read``) until ``accept``-ed."""
        missing = [i for i in indices if i not in self._quick]
        if missing:
            readings = viz_ocr.read_lines(self.clean, [padded(self.boxes[i], self.clean.shape) for i in missing])
            for i, reading in zip(missing, readings):
                self._quick[i] = TextLine(self.boxes[i], reading.text, reading.confidence)
        return [self._quick[i] for i in indices]

    def accept(self, index: int) -> None:
        """Take our recogniser's reading of line ``index`` as its reading (it printed a known value
        verbatim): Tesseract need not read it."""
        if index not in self._read:
            self._read[index] = self._quick[index]
            self.read_by[index] = "viz_ocr"

    def reread(self, line: TextLine, lang: str = "eng", scale: float = 1.5) -> TextLine:
        """``line`` read again from the grey image (background kept, ``scale`` times larger): a
        second, partly independent reading, to confirm a value Tesseract was unsure of. Each line,
        language and scale is read once: several comparisons may ask for the same second reading."""
        text, confidence = self.second_reading(line.box, lang, scale)
        return beside_value(TextLine(line.box, text, confidence), line)

    def second_reading(self, box, lang: str = "eng", scale: float = 1.5) -> tuple[str, float]:
        """(text, confidence) of the line at ``box`` read again as ``reread`` says, as printed (a
        label beside the value kept)."""
        key = (box, lang, scale)
        if key not in self._again:
            x, y, w, h = padded(box, self.grey.shape)
            strip = cv2.resize(self.grey[y:y + h, x:x + w], None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            (self._again[key],) = tesseract.read_text_lines(strip, [(0, 0, strip.shape[1], strip.shape[0])], lang)
        return self._again[key]

    def second_readings(self) -> dict[tuple, tuple[str, float]]:
        """Every second reading made so far: (box, lang, scale) -> (text, confidence)."""
        return dict(self._again)

    def _ensure(self, indices) -> None:
        missing = [i for i in indices if i not in self._read]
        if missing:
            texts = tesseract.read_text_lines(self.clean, [padded(self.boxes[i], self.clean.shape) for i in missing], "eng")
            for i, (text, confidence) in zip(missing, texts):
                self._read[i] = TextLine(self.boxes[i], text, confidence)
                self.read_by[i] = "tesseract"
            self._restore_cut_short([i for i in missing if self._cut_short(i)])

    def _cut_short(self, index: int) -> bool:
        """Did the reading of line ``index`` lose characters: fewer than SHORT_READING of those its
        width holds (at CHAR_WIDTH a character), on a line wide enough for MIN_CHARS?"""
        _, _, width, height = self.boxes[index]
        holds = width / max(height, 1) / CHAR_WIDTH
        return holds >= MIN_CHARS and len(alnum(self._read[index].text)) < SHORT_READING * holds

    def _restore_cut_short(self, indices) -> None:
        """Lines whose reading from the cleaned print lost characters, read from the grey image as
        it is: the background removal breaks print over a busy guilloche ("8300" for V58300522,
        read whole from the grey image at 0.91, a scan of the tuning set). The grey reading stands
        where it holds more characters and is read at RESTORED_SURE or more. (Scale 1: a reading of
        its own, apart from the closer ones at 1.5 and 2 that the comparison takes as confirmations.)"""
        unread = [i for i in indices if (self.boxes[i], "eng", 1.0) not in self._again]
        if unread:  # all at once, on Tesseract's threads (as second_reading would, one by one)
            texts = tesseract.read_text_lines(self.grey, [padded(self.boxes[i], self.grey.shape) for i in unread], "eng")
            for i, reading in zip(unread, texts):
                self._again[(self.boxes[i], "eng", 1.0)] = reading
        for i in indices:
            text, confidence = self._again[(self.boxes[i], "eng", 1.0)]
            if confidence >= RESTORED_SURE and len(alnum(text)) > len(alnum(self._read[i].text)):
                self._read[i] = TextLine(self.boxes[i], text, confidence)

    def _read_small_print(self, indices) -> None:
        """Labels: small print whose thin strokes the background removal breaks, so read from the
        grey image at twice the size (all strips stacked into one image, one Tesseract pass)."""
        missing = [i for i in indices if i not in self._read]
        if not missing:
            return
        strips = []
        for i in missing:
            x, y, w, h = padded(self.boxes[i], self.grey.shape)
            strips.append(cv2.resize(self.grey[y:y + h, x:x + w], None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))
        gap = 20
        stack = np.full((sum(s.shape[0] + gap for s in strips), max(s.shape[1] for s in strips)), 255, np.uint8)
        boxes, top = [], 0
        for strip in strips:
            stack[top:top + strip.shape[0], :strip.shape[1]] = strip
            boxes.append((0, top, strip.shape[1], strip.shape[0]))
            top += strip.shape[0] + gap
        # English and Russian at once: Cyrillic labels (Тегі, Насаб) are read as Cyrillic, not as Latin
        # look-alikes ("Haca6"); Latin ones as with English alone (measured on the table's labels).
        for i, (text, confidence) in zip(missing, tesseract.read_text_lines(stack, boxes, LABEL_LANGUAGES)):
            self._read[i] = TextLine(self.boxes[i], text, confidence)
            self.read_by[i] = "tesseract"

    def read_as_labels(self, indices) -> list[TextLine]:
        """``indices`` read as the labels are (``_read_small_print``: from the grey image, twice the
        size, English and Russian at once): print that may be in either script."""
        self._read_small_print(indices)
        return [self._read[i] for i in indices]

    def is_read(self, index: int) -> bool:
        return index in self._read

    def value_like(self) -> list[int]:
        """The lines printed taller than the zone's smallest print (its labels), top to bottom.

        Labels are printed smaller than the data on ICAO pages; where they are not, every line
        counts as value-like, which costs time, never a finding.
        """
        if self._values is None:
            small = label_height(self.boxes)
            taller = {i for i, (_, _, _, h) in enumerate(self.boxes) if h >= VALUE_OVER_LABEL * small}
            self._values = ([i for i, (_, _, w, h) in enumerate(self.boxes)
                             if i in taller or (w < 1.5 * h and h >= SHORT_VALUE_OVER_LABEL * small)]
                            if taller else list(range(len(self.boxes))))
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
        self._read_small_print([i for i in labels if labels_for is None or self._value_under(i, values) in labels_for
                                or self._value_beside(i, values) in labels_for])
        lines = [self._read.get(i) or TextLine(self.boxes[i], "", 0.0, read=False) for i in range(len(self.boxes))]
        found, how = find_fields(lines, visa)
        # Names in Cyrillic: read again with the Russian model, kept where it is surer.
        again = sorted({i for key in ("surname", "given_names") for i, line in found.get(key, ())
                        if line.confidence < 0.85 or not re.fullmatch(r"[A-Z' \-]+", line.text)})
        if again:
            russian = tesseract.read_text_lines(self.clean, [padded(lines[i].box, self.clean.shape) for i in again], "rus")
            better = {}
            for i, (text, confidence) in zip(again, russian):
                # Only a reading shaped like a name: Russian's model reads Latin print it does not
                # know as debris ("АН7АК?А!" for AHZAKZAI, a hand-held photo of a visa), at times
                # as surely as English reads it.
                if confidence > lines[i].confidence and _NAME_SHAPED.fullmatch(text.strip()):
                    lines[i] = better[i] = TextLine(lines[i].box, text, confidence)
            for key, values in found.items():
                found[key] = [(i, beside_value(better[i], line) if i in better else line) for i, line in values]
        return VizReading(tuple(lines), {k: tuple(line for _, line in v) for k, v in found.items()},
                          specimen_marks(lines), how)

    def _value_beside(self, label: int, values) -> int | None:
        """The value line printed right of a line, on its row (within BESIDE_MM), if any."""
        lx, ly, lw, lh = self.boxes[label]
        row = [j for j in values if self.boxes[j][1] < ly + lh and self.boxes[j][1] + self.boxes[j][3] > ly
               and -PX_PER_MM <= self.boxes[j][0] - (lx + lw) <= BESIDE_MM * PX_PER_MM]
        return min(row, key=lambda j: self.boxes[j][0]) if row else None

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
        small = [i for i in range(len(self.boxes)) if i not in values]
        under = {self._value_under(i, values) for i in small} - {None}
        beside = {self._value_beside(i, values) for i in small} - {None}
        return under | beside | {self._value_under(j, values) for j in under} - {None}

    def _value_under(self, label: int, values) -> int | None:
        """The value line printed right under a line (in its column, the next line down), if any."""
        lx, ly, lw, lh = self.boxes[label]
        under = [j for j in values if abs(self.boxes[j][0] - lx) <= COLUMN_MM * PX_PER_MM
                 and ly + 0.5 * lh <= self.boxes[j][1] <= ly + lh + GAP_MM * PX_PER_MM]
        return min(under, key=lambda j: self.boxes[j][1]) if under else None


def beside_value(line: TextLine, before: TextLine) -> TextLine:
    """``line`` (a new reading) as the value ``before`` was: without the label printed beside it."""
    if not before.label:
        return line
    key, value = split_beside(line.text)
    return TextLine(line.box, value, line.confidence, label=before.label) if key is not None else line


# A card's front photographed beside its back (the MRZ's side) is looked for where
# zones.TD1_FRONTS_BESIDE_MM says, and taken where it prints at least FRONT_WORDS word-shaped
# lines (a TD1 front prints 10-16: title, labels and values; a table or a hand prints none or few).
FRONT_WORDS = 5
# The zone's pieces (above the MRZ, a card's front) are stacked with this much blank between
# them: more than a value's distance from its label (GAP_MM), so no field spans two pieces.
PIECE_GAP_MM = 15.0


def locate(page: np.ndarray, quarter_turns: int, polygon, chars_per_line: int) -> VisualZone:
    """The visual zone, its text lines found but not yet read: the print above the MRZ, and on a
    TD1 card whose front lies beside its back, the front too."""
    image, points = zones.upright(page, quarter_turns, polygon)
    fr = zones.frame(points, chars_per_line)
    if fr is None:
        raise NotReadable(Text("the MRZ outline is too small to place the visual zone"))
    # Everything above the MRZ, up to the page's edge (an ID card's front may lie above its back).
    pieces = []
    if (box := zones.above_mrz(fr)) is not None:
        pieces.append((zones.cut(image, fr, PX_PER_MM, box), zones.inside(image.shape, fr, PX_PER_MM, box)))
    if chars_per_line == 30 and (front := _front_beside(image, fr)) is not None:
        pieces.append(front)
    if not pieces:
        raise NotReadable(Text("there is no visual zone above the MRZ in the image"))
    grey, valid = _stacked(pieces)
    clean, boxes = text_lines(grey, valid)
    if not boxes:
        raise NotReadable(Text("no printed text was found above the MRZ"))
    return VisualZone(clean, boxes, grey, valid)


def _front_beside(image: np.ndarray, fr: zones.Frame):
    """(grey, inside) of the card-sized area left or right of a TD1 back that prints the most
    word-shaped lines, if it prints FRONT_WORDS or more; None otherwise."""
    best, best_words = None, FRONT_WORDS - 1
    for box in zones.TD1_FRONTS_BESIDE_MM:
        valid = zones.inside(image.shape, fr, PX_PER_MM, box)
        if valid.mean() < 0.3:
            continue  # mostly off the image: no card there
        grey = zones.cut(image, fr, PX_PER_MM, box)
        words = sum(w >= 2 * h for _, _, w, h in text_lines(grey, valid)[1])
        if words > best_words:
            best, best_words = (grey, valid), words
    return best


def _stacked(pieces):
    """The pieces (grey, inside) one under the other, PIECE_GAP_MM of blank between them."""
    if len(pieces) == 1:
        return pieces[0]
    gap = int(PIECE_GAP_MM * PX_PER_MM)
    width = max(grey.shape[1] for grey, _ in pieces)
    height = sum(grey.shape[0] for grey, _ in pieces) + gap * (len(pieces) - 1)
    grey_out = np.full((height, width), 255, np.uint8)
    valid_out = np.zeros((height, width), bool)
    y = 0
    for grey, valid in pieces:
        grey_out[y:y + grey.shape[0], :grey.shape[1]] = grey
        valid_out[y:y + grey.shape[0], :grey.shape[1]] = valid
        y += grey.shape[0] + gap
    return grey_out, valid_out


def read(page: np.ndarray, quarter_turns: int, polygon, chars_per_line: int, fmt: str = "") -> VizReading:
    """Every line of the visual zone read and its labelled fields found."""
    return locate(page, quarter_turns, polygon, chars_per_line).reading()


def specimen_marks(lines) -> tuple[str, ...]:
    return tuple(sorted({w for line in lines for w in SPECIMEN_WORDS if _contains_word(line.text, w)}))


def _contains_word(text: str, word: str) -> bool:
    letters = re.sub(r"[^A-ZА-ЯЁ]", "", text.upper())
    return word in letters


# A name as printed: words of letters, parted by spaces, hyphens or apostrophes (and the "/" of a
# name printed "national / Latin").
_NAME_SHAPED = re.compile(r"[^\W\d_]+(?:\s*[-'’/ ]\s*[^\W\d_]+)*")


def padded(box, shape):
    """A line's box (x, y, w, h) with a margin of a fifth of its height (3 px at least) around it,
    within an image of ``shape``: the crop every reader of the zone's lines is given."""
    x, y, w, h = box
    pad = max(3, h // 5)
    x0, y0 = max(0, x - pad), max(0, y - pad)
    return (x0, y0, min(shape[1], x + w + pad) - x0, min(shape[0], y + h + pad) - y0)


# At most this many text lines a zone (top to bottom): a bound for a page of noise, never for print.
# Real pages print more lines than the generator's: the tuning pages' zones hold up to 61, real
# specimens measured (../shared/eval/real-dev, not tuned on) up to about 110; the bound of 60 before
# dropped the lowest lines, those nearest the MRZ that print the data, on 17 of those 46 pages.
MAX_LINES = 120


# Print is what the background filter leaves at INK_FLOOR grey levels or more (and above Otsu's
# level for the zone): a floor over the guilloche and the blur halo between a label and the value
# under it. Faint print (thermal dye, glare, a phone's soft focus) can fall below it. Lowered for
# every line, to 25 or to a quarter of the print's own local peak, on the tuning set of
# tools/diagnose_recall.py (350 pages) card fronts in phone and motion-blurred captures lost fields
# (2013 -> 2007-2010 of 2100 compared): the guilloche and the halos joined labels to values. So the
# lines are found at this floor, and only the fields still missing after that are looked for again
# in the faint print (``VisualZone.fainter``), where a line may only confirm an MRZ value printed
# verbatim.
INK_FLOOR = 40
# The faint print: FAINT_OVER_NOISE times the zone's background texture (the ink level 90 % of its
# pixels stay under: print covers less than a tenth of a zone), FAINT_MIN grey levels at least. On
# the tuning set, 2 confirmed 18 more fields (2013 -> 2031 of 2100, read by Tesseract too; 14 by
# our recogniser alone, as the stage reads them), 1.5 and 3 10 and 14, no verdict worse with any;
# Otsu's level alone (17-21 on faint pages) 5, and it misses faint values beside dark labels, whose
# ink it splits from the labels'. FAINT_MIN: a guard for a page with no texture at all (a flat
# scan), where JPEG's noise is a few grey levels; not measured.
FAINT_OVER_NOISE = 2.0
FAINT_MIN = 6


def _faint_level(ink: np.ndarray, inside: np.ndarray | None) -> float:
    """The ink level over which ``text_lines`` keeps faint print (FAINT_OVER_NOISE)."""
    mask = None if inside is None or inside.all() else inside.astype(np.uint8)
    counts = cv2.calcHist([ink], [0], mask, [256], [0, 256]).ravel()
    texture = int(np.searchsorted(np.cumsum(counts), 0.9 * counts.sum()))
    return max(FAINT_MIN, FAINT_OVER_NOISE * texture)


def text_lines(crop: np.ndarray, inside: np.ndarray | None = None,
               faint: bool = False) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The zone's print as black on white (background removed), and the boxes of its text lines.

    ``inside``: which pixels come from the image; print is looked for only there (and not within
    the background filter's reach of its edge). ``faint``: print fainter than INK_FLOOR kept too
    (over FAINT_OVER_NOISE times the zone's background texture)."""
    k = int(1.6 * PX_PER_MM) | 1
    background = cv2.morphologyEx(crop, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    ink = cv2.subtract(background, crop)
    if inside is not None and not inside.all():
        ink[cv2.dilate((~inside).astype(np.uint8), np.ones((k, k), np.uint8)) > 0] = 0
    level, _ = cv2.threshold(ink, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    binary = (ink > (_faint_level(ink, inside) if faint else max(level, INK_FLOOR))).astype(np.uint8)
    clean = np.where(binary > 0, 0, 255).astype(np.uint8)
    # Letters of a line join into one bar; columns stay apart (their gap is wider than a letter's).
    joined = cv2.morphologyEx(binary, cv2.MORPH_CLOSE,
                              cv2.getStructuringElement(cv2.MORPH_RECT, (int(1.3 * PX_PER_MM), 3)))
    count, _, stats, _ = components(joined)
    boxes = []
    for x, y, w, h, area in stats[1:]:
        for box in _split_rows(joined, (int(x), int(y), int(w), int(h)), binary):
            bx, by, bw, bh = box
            ink_area = int(joined[by:by + bh, bx:bx + bw].sum()) if box != (x, y, w, h) else int(area)
            if 0.7 * PX_PER_MM <= bh <= 4.5 * PX_PER_MM and bw >= 0.6 * PX_PER_MM and ink_area >= 2 * PX_PER_MM:
                if ink_area / (bw * bh) > 0.08:  # not a thin curve (signature, guilloche)
                    boxes.append(box)
    boxes.sort(key=lambda b: (b[1], b[0]))
    return clean, boxes[:MAX_LINES]


# A box this tall (a value line is about 2.5 mm, a large number 3.5) may be a label and its value
# joined: the closing that joins a line's letters bridges a gap of up to 3 px between rows, which a
# blurred photo leaves between a label and the value under it (a phone photo of the tuning set:
# "Номер документа / Document No." over "AD0760016", 3.8 mm together, two blank rows between them).
JOINED_ROWS_MM = 3.0
# A row holding at most this share of the box's fullest row's ink is blank (a pixel or two of a
# blurred stroke: "Дата рождения" over "12.12.1993" on a 150 dpi scan, 1 px of 142); on 398 single
# value lines of tools/diagnose_recall.py's set (30 documents, every tuning capture) every row
# 0.7 mm inside the line held 0.125 of its fullest row's ink or more (motion blur; scans 0.3).
BLANK_ROW = 0.03
# A card's names in two scripts, their labels and the next field, printed close and joined by blur
# into one block up to STACKED_MM tall and only as wide as it is tall or more (a motion-blurred card
# front of the trust benchmark's tuning families: 16 x 10 mm, TOKTOГУЛОВА / TOKTOGULOVA / АЙПЕРИ /
# AIPERI and their label): cut between its lines where a row holds at most STACKED_WAIST of the
# fullest row's ink (0.07 there). A portrait is narrower than tall; a stamp has no such waist.
# Such a block's letters, closed into bars, fill STACKED_FILL of it or more: the five such blocks
# on a third of tools/diagnose_recall.py's tuning pages (names in two scripts, a card's number,
# dates and names) filled 0.56-0.67, the trust one 0.62; a guilloche or scattered marks that the
# closing joins fill far less, and are not cut into false lines.
STACKED_MM = 25.0
STACKED_WAIST = 0.15
STACKED_FILL = 0.45


def _split_rows(binary: np.ndarray, box: tuple[int, int, int, int],
                ink: np.ndarray | None = None) -> list[tuple[int, int, int, int]]:
    """A component too tall for one line of print but wide like text (two lines of a name that
    blur or a tight line spacing join) cut at its thinnest row, again while a part is too tall;
    one taller than JOINED_ROWS_MM cut where the print itself (``ink``, before the closing) leaves a
    blank row (BLANK_ROW) at least 0.7 mm from either edge (a capital's strokes leave none); a block
    of short lines as wide as tall or more (STACKED_MM) cut at a waist of its print; any other box
    as it is."""
    x, y, w, h = box
    if ink is not None and JOINED_ROWS_MM * PX_PER_MM < h <= 4.5 * PX_PER_MM and w >= 2 * h:
        rows = ink[y:y + h, x:x + w].sum(axis=1)
        low, high = int(0.7 * PX_PER_MM), h - int(0.7 * PX_PER_MM)
        blank = [i for i in range(low, high) if rows[i] <= BLANK_ROW * rows.max()]
        if blank:
            cut = blank[len(blank) // 2]
            parts = []
            for top, bottom in ((0, cut), (cut + 1, h)):
                filled = np.flatnonzero(rows[top:bottom])
                if filled.size:
                    parts.extend(_split_rows(binary, _tight(ink, (x, y + top + int(filled[0]), w,
                                                                   int(filled[-1] - filled[0] + 1))), ink))
            return parts
    if h <= 4.5 * PX_PER_MM or w < h or h > STACKED_MM * PX_PER_MM:
        return [box]
    line_like = w >= 2 * h and h <= 12 * PX_PER_MM
    if not line_like and binary[y:y + h, x:x + w].mean() < STACKED_FILL:
        return [box]  # sparse: a pattern or scattered marks, not lines of print closed into bars
    # (A stacked block's waist is judged in the print itself: the closing fills it.)
    rows = (binary if line_like or ink is None else ink)[y:y + h, x:x + w].sum(axis=1)
    low, high = int(0.7 * PX_PER_MM), h - int(0.7 * PX_PER_MM)
    cut = low + int(np.argmin(rows[low:high]))
    if rows[cut] > (0.35 if line_like else STACKED_WAIST) * rows.max():
        return [box]  # no waist between two lines: one tall thing (a stamp, a photo's edge)
    parts = []
    for top, bottom in ((0, cut), (cut + 1, h)):
        band = rows[top:bottom]
        filled = np.flatnonzero(band)
        if filled.size:
            parts.extend(_split_rows(binary, _tight(binary, (x, y + top + int(filled[0]), w,
                                                             int(filled[-1] - filled[0] + 1))), ink))
    return parts


def _tight(binary: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """``box`` shrunk sideways to the ink inside it."""
    x, y, w, h = box
    columns = np.flatnonzero(binary[y:y + h, x:x + w].any(axis=0))
    return (x + int(columns[0]), y, int(columns[-1] - columns[0] + 1), h) if columns.size else box


# Letters folded before labels are compared: Cyrillic letters to the Latin look-alikes Tesseract's
# English model reads them as (Тегі -> "Teri", Насаб -> "Haca6"), the region's extra letters to their
# base letter (Kazakh қ ғ ң ө ү ұ һ і, Uzbek ў ҳ, Tajik ҷ ӣ ӯ, Ukrainian є ґ ї, Azerbaijani ə ı), so
# that a label read in either script, or with a letter the models lack, still matches its entry.
_FOLD = str.maketrans({"а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
                       "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "г": "r", "п": "n", "л": "n", "и": "u",
                       "з": "z", "б": "b", "д": "g", "ь": "b", "ъ": "b", "ы": "bi", "ә": "e", "э": "e", "қ": "k",
                       "ғ": "r", "ң": "h", "ө": "o", "ү": "y", "ұ": "y", "һ": "h", "ҳ": "x", "ҷ": "ч", "є": "e",
                       "ґ": "r", "я": "a", "ı": "i", "ə": "e", "!": "i"})
# Digits inside a word are letters misread: 3 for з, 6 for б, 0 for o, 1 for i.
_DIGIT_IN_WORD = re.compile(r"(?<=[^\W\d_])[3601]|[3601](?=[^\W\d_])")
_DIGIT_LETTER = {"3": "z", "6": "b", "0": "o", "1": "i"}


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """A label's letters as compared: lower case, accents removed, look-alikes folded (``_FOLD``,
    "rn" as "m"), anything but letters and single spaces dropped."""
    text = _DIGIT_IN_WORD.sub(lambda m: _DIGIT_LETTER[m.group()], text.lower())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^a-zа-я ]", "", text.translate(_FOLD))
    # "rn" read as "m" (small print, "Sumame"), the commonest Latin look-alike: both sides spell it "m".
    return " ".join(text.replace("rn", "m").split())


def label_of(text: str, visa: bool = False) -> str | None:
    """The field a label line names (matching each part of 'national / English'): a key of
    LABELS, "other" for a label of another field, or None for a line that is no label.

    ``visa``: on a visa the MRZ's number is the visa's; "Passport No." names the holder's
    passport, another field."""
    key, name = _label_of(text)
    return "other" if visa and key == "document_number" and name in _PASSPORT else key


def label_keys(text: str, visa: bool = False) -> tuple[str, ...]:
    """Every field a label line names, in the order printed: one for "Фамилия / Surname" (the same
    field in two languages), two for a combined label ("Surname / Given names", "Фамилия, имя")."""
    keys = []
    for part, caps in _parts(text):
        key, name, _ = _part_label(part, caps)
        if visa and key == "document_number" and name in _PASSPORT:
            key = "other"
        if key is not None and key not in keys:
            keys.append(key)
    named = [key for key in keys if key != "other"]
    return tuple(named) if len(named) > 1 else (label_of(text, visa),) if label_of(text, visa) else ()


def split_beside(text: str, visa: bool = False) -> tuple[str | None, str]:
    """A line that prints a label and its value side by side ("Surname: ERIKSSON", "Фамилия / Surname
    ERIKSSON"): (the field, the value's text); (None, text) for any other line.

    The label is what precedes a colon, or the longest run of leading words that best matches a
    label, provided it is visibly a label (lower-case letters or a "/"; values are printed in
    capitals, Doc 9303 Part 4) and the rest holds no lower-case letter (a value)."""
    if ":" in text:
        label, value = text.rsplit(":", 1) if text.count(":") == 1 else text.split(":", 1)
        key = label_of(label, visa)
        if (key is not None and _could_be_value(key, value) and label_of(value, visa) is None
                and not _whole_label(text) > _whole_label(label)):  # "Document: No.": one label, a colon misread
            return key, value.strip()
    words = text.split()
    best, best_score, best_k = None, 0.0, 0
    for k in range(1, len(words)):
        label, value = " ".join(words[:k]), " ".join(words[k:])
        if re.search(r"[a-zа-яё]", value) or not re.search(r"[a-zа-яё/]", label):
            continue
        if not fold(words[k - 1]):  # a label ends in a word; "12" of "Date of birth 12 AUG 1974" is the value's
            continue
        scores = [_part_label(part, caps) for part, caps in _parts(label)]
        if not scores:
            continue
        key, _, score = max(scores, key=lambda s: s[2])
        if key is not None and score >= best_score:
            best, best_score, best_k = key, score, k
    if (best is None or best_score < LABEL_MATCH or not _could_be_value(best, " ".join(words[best_k:]))
            or _whole_label(text) > _whole_label(" ".join(words[:best_k]))):
        return None, text
    if visa and best == "document_number" and label_of(" ".join(words[:best_k]), visa) == "other":
        best = "other"
    return best, " ".join(words[best_k:])


# The least a value printed beside its label holds, per field: letters, digits, either. Less is the
# label's own end misread ("Document No." read as "Docurnent 0.", a scan of the tuning set), and the
# value is the line under it.
_LEAST_BESIDE = {"surname": ("letters", 2), "given_names": ("letters", 2), "document_number": ("alnum", 4),
                 "birth_date": ("digits", 4), "expiry_date": ("digits", 4), "sex": ("alnum", 1)}


def _could_be_value(key: str, text: str) -> bool:
    kind, least = _LEAST_BESIDE.get(key, ("alnum", 1))
    pattern = {"letters": r"[^\W\d_]", "digits": r"\d", "alnum": r"[^\W_]"}[kind]
    return len(re.findall(pattern, text)) >= least


_CANDIDATES = [(key, fold(name)) for key, names in _ALL_LABELS.items() for name in names]
_PASSPORT = {fold(name) for name in PASSPORT_LABELS}
LABEL_MATCH = 0.75  # similarity (difflib ratio) of a label read to a known label


# What parts a label line: a slash (Doc 9303's usual "national / English"), its misreads, a comma
# ("Surname, given names"), and a dash between spaces ("Nume - Surname", a style some issuers print).
# The dash only between spaces: a hyphen inside a word joins a double name (ANNA-MARIA).
_LABEL_PARTS = re.compile(r"[/|}{,;]|\s[-–—]\s")


def _parts(text: str) -> list[tuple[str, bool]]:
    """The parts of a label line ("national / English", "surname, given names"), each folded, and
    whether it was printed in capitals only."""
    return [(p, part == part.upper()) for part in _LABEL_PARTS.split(text) if len(p := fold(part)) >= 3]


@functools.lru_cache(maxsize=8192)
def _part_label(part: str, caps: bool = False) -> tuple[str | None, str | None, float]:
    """The best-matching field, label name and score of one folded part of a label line. ``caps``:
    printed in capitals, as values are; a short label is then the whole part, never its first word
    ("ADI KUMAR" is a name, "Adı / Given names" a label)."""
    best, best_name, best_score = None, None, 0.0
    words = part.split()
    for key, name in _CANDIDATES:
        score = _similarity(part, name, best_score)
        if " " not in name and len(words) > 1:  # a one-word label among OCR debris
            # A short label ("Ady", "Nom") only as the first word: anywhere, it is a word of a value.
            debris = words if len(name) > 4 else [] if caps else words[:1]
            # Discounted a little: a label matched whole ("Личный номер", other) beats one of its
            # words matching another label ("номер", the document number).
            score = max([score] + [0.98 * _similarity(w, name, best_score / 0.98) for w in debris
                                   if len(w) >= max(3, len(name) - 2)])
        if score > best_score:
            best, best_name, best_score = key, name, score
    return (best, best_name, best_score) if best_score >= LABEL_MATCH else (None, None, best_score)


# A label is read clearly when its field's match beats every other field's by CLEAR_MARGIN, or is
# all but exact: "Date of hoe" matches "Date of birth" and "Date of issue" alike (0.75 each) and says
# neither. Between the table's own labels of different fields the closest pair scores 0.92 ("fecha
# de nacimiento" / "fecha de vencimiento"), so near-exact means above that.
CLEAR_MARGIN = 0.1
CLEAR_MATCH = 0.97
# And it is read clearly only above CLEAR_LEAST, and a label shorter than SHORT_LABEL letters only
# when read whole (CLEAR_MATCH): one letter wrong in a four-letter label scores 0.75-0.86, which
# OCR debris reaches ("прим", a photographed card's blurred "Nationality", matched the Romanian
# "Nume"; "nae" matched "Name"). At 0.85 a longer label may have one letter wrong.
CLEAR_LEAST = 0.85
SHORT_LABEL = 6
# Scores below this decide nothing in clearly_labelled (its own field's must reach CLEAR_LEAST, and
# a runner-up below CLEAR_LEAST - CLEAR_MARGIN cannot come within the margin): not computed.
RUNNER_UP_FLOOR = CLEAR_LEAST - CLEAR_MARGIN - 1e-9


@functools.lru_cache(maxsize=4096)
def clearly_labelled(text: str, key: str) -> bool:
    """Is ``text`` clearly a label of ``key`` (not as well a near miss of another field's)?

    Judged part by part ("national / English", "Surname / Given names"): one part must name
    ``key`` clearly against every other field's label in that same part. Across parts, a second
    field is no rival: a combined label names two fields on purpose ("Surmame / Given names", a
    scan of the tuning set, had its surname unclear because its other part named the given names
    exactly). A label of several words is also matched against as many words of the part (debris
    of a national label whose "/" was misread: "Tyan in [Date of birth")."""
    return any(_clear_in_part(part, caps, key) for part, caps in _parts(text))


def _clear_in_part(part: str, caps: bool, key: str) -> bool:
    by_key: dict[str, tuple[float, str]] = {}
    words = part.split()
    for other, name in _CANDIDATES:
        score = _ratio_reaching(part, name, RUNNER_UP_FLOOR)
        size = len(name.split())
        if size == 1 and len(words) > 1:
            debris = words if len(name) > 4 else [] if caps else words[:1]
            score = max([score] + [0.98 * _ratio_reaching(w, name, RUNNER_UP_FLOOR / 0.98) for w in debris
                                   if len(w) >= max(3, len(name) - 2)])
        elif 1 < size < len(words):
            score = max([score] + [0.98 * _ratio_reaching(" ".join(words[i:i + size]), name, RUNNER_UP_FLOOR / 0.98)
                                   for i in range(len(words) - size + 1)])
        by_key[other] = max(by_key.get(other, (0.0, "")), (score, name))
    mine, name = by_key.pop(key, (0.0, ""))
    if mine >= CLEAR_MATCH:
        return True
    runner_up = max((score for score, _ in by_key.values()), default=0.0)
    return (mine >= CLEAR_LEAST and len(name.replace(" ", "")) >= SHORT_LABEL
            and mine - runner_up >= CLEAR_MARGIN)


@functools.lru_cache(maxsize=4096)
def _whole_label(text: str) -> float:
    """How well the line's best part matches a label as a whole (not by one of its words)."""
    best = 0.0
    for part, _ in _parts(text):
        for _, name in _CANDIDATES:
            best = max(best, _ratio_reaching(part, name, best + 1e-12))  # only a better score counts
    return best


@functools.lru_cache(maxsize=4096)
def _label_of(text: str) -> tuple[str | None, str | None]:
    """The best-matching field and label name over the parts of a line, or (None, None)."""
    best, best_name, best_score = None, None, 0.0
    for part, caps in _parts(text):
        key, name, score = _part_label(part, caps)
        if key is not None and score > best_score:
            best, best_name, best_score = key, name, score
    return best, best_name


def _similarity(a: str, b: str, to_beat: float) -> float:
    """difflib's ratio, or 0 where it cannot reach a match better than ``to_beat`` (nor LABEL_MATCH)."""
    return _ratio_reaching(a, b, max(to_beat, LABEL_MATCH - 1e-9))


@functools.lru_cache(maxsize=1024)
def _letter_counts(text: str) -> Counter:
    return Counter(text)


def _ratio_reaching(a: str, b: str, floor: float) -> float:
    """difflib's ratio of ``a`` and ``b``, or 0 where one of its upper bounds is below ``floor``:
    the length bound (difflib's real_quick_ratio) and the shared letters (its quick_ratio), both
    computed without building a SequenceMatcher, which is what costs (each label line is matched
    against every label of the table). The same arithmetic as difflib's, so the same floats."""
    total = len(a) + len(b)
    if not total:
        return 1.0
    if 2.0 * min(len(a), len(b)) / total < floor:
        return 0.0
    counts, other = _letter_counts(a), _letter_counts(b)
    if 2.0 * sum(min(n, other[c]) for c, n in counts.items()) / total < floor:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()


# A value line is at least this much taller than the labels' print. A line of one or two capitals
# (the sex, M or F) is cut a pixel or two shorter than the other values (no round letter overshoots
# the capitals' height), so a narrow line needs less: a label's own narrow pieces ("/", a lone
# letter) pass for values too, which costs a line's reading, never a finding.
VALUE_OVER_LABEL = 1.15
SHORT_VALUE_OVER_LABEL = 1.05


def label_height(boxes) -> int:
    """The height of the zone's smallest print (its labels): the lower quartile of word-shaped boxes."""
    words = sorted(h for _, _, w, h in boxes if w >= 2 * h) or sorted(h for *_, h in boxes)
    return words[len(words) // 4]


def assign_fields(lines: list[TextLine], visa: bool = False) -> dict[str, list[int]]:
    """For each labelled field, the indices of the value lines printed under (or beside) its label."""
    return {key: [index for index, _ in values] for key, values in find_fields(lines, visa)[0].items()}


# A value printed beside its label starts at most BESIDE_MM right of the label's end, on its row.
BESIDE_MM = 40.0


def find_fields(lines: list[TextLine], visa: bool = False) -> tuple[dict[str, list[tuple[int, TextLine]]], dict]:
    """Each field's value lines (index, line) and how they were found: "label" (under or beside a
    label that was read), or "next label" (next to the other name's label, its own unread).

    A line that prints its label and value together ("Surname: ERIKSSON") gives a line of the
    value's text alone (its ``label`` says what was beside it)."""
    keys = [label_keys(line.text, visa) for line in lines]
    labels = [k[0] if k else None for k in keys]
    beside = [split_beside(line.text, visa) for line in lines]
    # A line no taller than the labels read is a label too (one not recognised).
    # (A line holding a label and its value beside it is a value line, whatever its height.)
    # The lower median: a label cut together with what touches it (a hand-held photo's blur, a
    # stamp) is taller than it is printed, and with two labels read it alone must not make every
    # value line a label (a tuning-set photo lost its date of birth that way).
    heights = sorted(line.box[3] for line, key, (with_value, _) in zip(lines, labels, beside)
                     if key is not None and with_value is None)
    small = heights[(len(heights) - 1) // 2] if heights else 0
    label_like = [beside[j][0] is None and (labels[j] is not None or lines[j].box[3] <= 1.1 * small
                                            or not lines[j].read) for j in range(len(lines))]
    column = COLUMN_MM * PX_PER_MM
    by_y = sorted(range(len(lines)), key=lambda j: lines[j].box[1])

    def under(i, most):
        lx, ly, lw, lh = lines[i].box
        below, values = ly + lh, []
        for j in by_y:
            x, y, w, h = lines[j].box
            if j == i or y < ly + 0.5 * lh or abs(x - lx) > column:
                continue
            if label_like[j] or y - below > GAP_MM * PX_PER_MM:
                break  # the next label in this column, or too far down
            values.append(j)
            below = y + h
            if len(values) == most:
                break
        return values

    owned = {j for i in range(len(lines)) if label_like[i] for j in under(i, 1)}

    def right_of(i):
        lx, ly, lw, lh = lines[i].box
        row = [j for j in range(len(lines)) if not label_like[j] and j not in owned
               and lines[j].box[1] < ly + lh and lines[j].box[1] + lines[j].box[3] > ly
               and -PX_PER_MM <= lines[j].box[0] - (lx + lw) <= BESIDE_MM * PX_PER_MM]
        return min(row, key=lambda j: lines[j].box[0]) if row else None

    def labelled_row(j):
        x, y, w, h = lines[j].box
        return any(label_like[i] and lines[i].box[1] < y + h and lines[i].box[1] + lines[i].box[3] > y
                   and 0 <= x - (lines[i].box[0] + lines[i].box[2]) <= BESIDE_MM * PX_PER_MM
                   for i in range(len(lines)) if i != j)

    fields: dict[str, list[tuple[int, TextLine]]] = {}
    how: dict[str, str] = {}
    for i, line in enumerate(lines):
        key, value = beside[i]
        if key is not None and key != "other" and key not in fields:
            label = line.text[:len(line.text) - len(value)].strip()
            fields[key] = [(i, TextLine(line.box, value, line.confidence, line.read, label=label))]
            how[key] = "label" if clearly_labelled(label, key) else "unclear label"
    # Two label lines may claim one field: a short label read in another language ("Nom" read as
    # the Tajik "Ном", given names, over the surname) loses to the longer one that names it.
    for i in sorted(range(len(lines)), key=lambda i: -len(_label_of(lines[i].text)[1] or "")):
        key = labels[i]
        if key is None or key == "other" or not label_like[i]:
            continue
        named = [k for k in keys[i] if k != "other" and k not in fields]
        if not named:
            continue
        combined = set(keys[i]) >= {"surname", "given_names"}
        values = under(i, 4 if combined else 2 if key in ("surname", "given_names") else 1)
        if not values and (j := right_of(i)) is not None:
            values = [j]
            if key in ("surname", "given_names") and not combined:
                # A name beside its label, its other script under it ("Фамилия / Surname ФЁДОРОВ",
                # FEDOROV under): that line too, unless a label of its own stands on its row (the
                # next field's value, printed in the same column).
                values += [k for k in under(j, 1) if not labelled_row(k)]
        if not values:
            continue
        if combined:
            # One label over both names: the surname's line(s) first (Doc 9303 order), then the given names'.
            # One line only: the surname's (the given names may be printed anywhere else).
            half = max(1, len(values) // 2)
            split = {"surname": values[:half], "given_names": values[half:]}
            for k in ("surname", "given_names"):
                if k not in fields and split[k]:
                    fields[k] = [(j, lines[j]) for j in split[k]]
                    how[k] = "label" if clearly_labelled(lines[i].text, k) else "unclear label"
        else:
            fields[key] = [(j, lines[j]) for j in values]
            how[key] = "label" if clearly_labelled(lines[i].text, key) else "unclear label"
    indices = {key: [j for j, _ in values] for key, values in fields.items()}
    _names_by_order(lines, labels, label_like, indices)
    for key, values in indices.items():
        if key not in fields:
            fields[key], how[key] = [(j, lines[j]) for j in values], "next label"
    return fields, how


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
    parts = _date_parts(text)
    if parts is None:
        return None, False
    day, month, year = parts
    try:
        return dt.date(_year(year), month, day), True
    except ValueError:
        return None, True  # well-formed but not a real day (printed as such)


def digit_date(t: str, spaced: bool = True) -> tuple[re.Match, bool] | None:
    """The first date printed in digits in ``t`` (upper case): its match (day, month, year groups, or
    year, month, day) and whether its year comes first; ``spaced``: spaces for separators count too."""
    year_first = _YEAR_FIRST_DATE.search(t)
    m = _NUMERIC_DATE.search(t) or (_SPACED_DATE.search(t) if spaced else None)
    if year_first and not (m and m.start() < year_first.start()):
        return year_first, True
    return (m, False) if m else None


def _date_parts(text: str) -> tuple[int, int, str] | None:
    """(day, month, year as printed) of the first date in ``text``; None if there is none."""
    t = text.upper().replace(",", ".").strip(" .:|")
    found = digit_date(t)
    if found:
        m, year_first = found
        return (int(m.group(3)), int(m.group(2)), m.group(1)) if year_first else \
            (int(m.group(1)), int(m.group(2)), m.group(3))
    m = _WORDED_DATE.search(t) or _JOINED_WORDED_DATE.search(t)
    if not m:
        return None
    # "24 СЕР/AUG 91": the month in either language; two that disagree are no date.
    months = {month for word in (m.group(2), m.group(3)) if word and (month := month_number(word)) is not None}
    if len(months) != 1:
        return None
    return int(m.group(1)), months.pop(), m.group(4)


def month_number(word: str) -> int | None:
    """The month a printed month name stands for (any language of MONTHS, Cyrillic read as Latin too)."""
    for spelling in (word, word.translate(_AS_CYRILLIC)):
        month = MONTHS.get(spelling) or MONTHS.get(spelling[:3])
        if month is not None:
            return month
    return None


def _year(text: str) -> int:
    if len(text) == 4:
        return int(text)
    yy = int(text)
    this = dt.date.today().year % 100
    return 2000 + yy if yy <= this + 20 else 1900 + yy


def yymmdd(text: str) -> str | None:
    """A printed date as the MRZ writes it (YYMMDD), also when it is no real day; None if no date is read."""
    parts = _date_parts(text)
    if parts is None:
        return None
    day, month, year = parts
    return f"{year[-2:]}{month:02d}{day:02d}"


def edits(a: str, b: str, within: bool = False) -> int:
    """The Levenshtein distance: characters inserted, deleted or changed to turn ``a`` into ``b``.
    ``within``: into the part of ``b`` it is closest to (``a`` found somewhere in ``b``; Sellers)."""
    row = [0] * (len(b) + 1) if within else list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return min(row) if within else row[-1]


def alnum(text: str) -> str:
    return re.sub(r"[^A-Z0-9А-ЯЁ]", "", text.upper())
