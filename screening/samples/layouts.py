"""Layout families: which labels a data page prints, in which languages and fonts, and where.

Every family keeps the page at its true ICAO size (render.PAGE_MM) and sets the MRZ in
OCR-B on the 2.54 mm grid (render.mrz_zone); they differ in the visual zone only:

    icao_en             today's page: labels above values (the issuer's label / English), DejaVu Sans
    ru_en               bilingual Russian / English labels ("Фамилия / Surname")
    trilingual          ICAO's English / French / Spanish ("Surname / Nom / Apellidos"); dates
                        numeric, 12 AUG/AOÛT 1974 or 12 AUG 74
    beside              label and value on one line ("Surname: VALUE")
    two_column          the names across, the other fields in two columns
    combined_names      one label "Surname / Given names" over the name lines; dates numeric or
                        12 AUG 1974
    unlabelled          values with no labels, as some ID cards print them
    national_bilingual  HELD OUT: the issuer's national language + English in a serif face,
                        values beside their labels on some rows and under them on others

Sizes, fonts (from lists per family) and offsets are drawn per document from its seed.
No tuning family uses a serif face or the national word tables below, so the held-out
family differs from all of them in face, vocabulary and placement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
from PIL import Image

from screening.samples.families import layout
from screening.samples.people import ENGLISH_LABELS
from screening.samples.render import (PAGE_MM, LineJitter, _background, _Canvas, _names, _overprint, _round_corners,
                                      cap_height_ratio, font, ghost_portrait, mrz_clear_band, mrz_zone, portrait,
                                      render_td1, render_td3_like, signature)
from screening.samples.specimen import Specimen

# ------------------------------------------------------------------ label words

FRENCH = {
    "type": "Type", "code": "Code de l'État émetteur", "number": "No. du passeport", "card_number": "No. du document",
    "surname": "Nom", "given_names": "Prénoms", "nationality": "Nationalité", "birth_date": "Date de naissance",
    "sex": "Sexe", "birth_place": "Lieu de naissance", "issue_date": "Date de délivrance",
    "expiry_date": "Date d'expiration", "authority": "Autorité", "personal_number": "No. personnel",
    "entries": "Nombre d'entrées", "valid_from": "Valable à partir du", "passport": "No. du passeport",
    "title": "PASSEPORT", "id_title": "CARTE D'IDENTITÉ", "visa_title": "VISA",
}  # fmt: skip
SPANISH = {
    "type": "Tipo", "code": "Código del Estado emisor", "number": "No. de pasaporte", "card_number": "No. de documento",
    "surname": "Apellidos", "given_names": "Nombres", "nationality": "Nacionalidad", "birth_date": "Fecha de nacimiento",
    "sex": "Sexo", "birth_place": "Lugar de nacimiento", "issue_date": "Fecha de expedición",
    "expiry_date": "Fecha de vencimiento", "authority": "Autoridad", "personal_number": "No. personal",
    "entries": "Número de entradas", "valid_from": "Válido a partir de", "passport": "No. de pasaporte",
    "title": "PASAPORTE", "id_title": "DOCUMENTO DE IDENTIDAD", "visa_title": "VISADO",
}  # fmt: skip
RUSSIAN = {
    "type": "Тип", "code": "Код государства", "number": "Номер паспорта", "card_number": "Номер документа",
    "surname": "Фамилия", "given_names": "Имя", "nationality": "Гражданство", "birth_date": "Дата рождения",
    "sex": "Пол", "birth_place": "Место рождения", "issue_date": "Дата выдачи",
    "expiry_date": "Дата окончания срока действия", "authority": "Орган, выдавший документ",
    "personal_number": "Личный номер", "entries": "Количество въездов", "valid_from": "Действительна с",
    "passport": "Паспорт", "title": "ПАСПОРТ", "id_title": "УДОСТОВЕРЕНИЕ ЛИЧНОСТИ", "visa_title": "ВИЗА",
}  # fmt: skip
COMBINED = {"en": "Surname / Given names", "ru": "Фамилия, имя", "fr": "Nom / Prénoms"}

# The held-out family's words: the national language of each issuer, every field.
NATIONAL_WORDS = {
    "kk": {"type": "Түрі", "code": "Мемлекет коды", "number": "Паспорт нөмірі", "card_number": "Құжат нөмірі",
           "surname": "Тегі", "given_names": "Аты", "nationality": "Азаматтығы", "birth_date": "Туған күні",
           "sex": "Жынысы", "birth_place": "Туған жері", "issue_date": "Берілген күні",
           "expiry_date": "Қолданылу мерзімі", "authority": "Берген орган", "personal_number": "ЖСН",
           "entries": "Кіру саны", "valid_from": "Басталуы", "passport": "Паспорт"},
    "ky": {"type": "Түрү", "code": "Мамлекеттин коду", "number": "Паспорттун номери",
           "card_number": "Документтин номери", "surname": "Фамилиясы", "given_names": "Аты",
           "nationality": "Жарандыгы", "birth_date": "Туулган күнү", "sex": "Жынысы", "birth_place": "Туулган жери",
           "issue_date": "Берилген күнү", "expiry_date": "Мөөнөтүнүн бүтүшү", "authority": "Берген мекеме",
           "personal_number": "Жеке номери", "entries": "Кирүүлөрдүн саны", "valid_from": "Башталышы",
           "passport": "Паспорт"},
    "tg": {"type": "Навъ", "code": "Рамзи давлат", "number": "Рақами шиноснома", "card_number": "Рақами ҳуҷҷат",
           "surname": "Насаб", "given_names": "Ном", "nationality": "Шаҳрвандӣ", "birth_date": "Санаи таваллуд",
           "sex": "Ҷинс", "birth_place": "Ҷои таваллуд", "issue_date": "Санаи додан", "expiry_date": "Эътибор то",
           "authority": "Мақоми додашуда", "personal_number": "Рақами шахсӣ", "entries": "Шумораи вуруд",
           "valid_from": "Эътибор аз", "passport": "Шиноснома"},
    "uz": {"type": "Turi", "code": "Davlat kodi", "number": "Pasport raqami", "card_number": "Hujjat raqami",
           "surname": "Familiyasi", "given_names": "Ismi", "nationality": "Fuqaroligi",
           "birth_date": "Tugʻilgan sanasi", "sex": "Jinsi", "birth_place": "Tugʻilgan joyi",
           "issue_date": "Berilgan sanasi", "expiry_date": "Amal qilish muddati",
           "authority": "Kim tomonidan berilgan", "personal_number": "JShShIR", "entries": "Kirishlar soni",
           "valid_from": "Boshlanishi", "passport": "Pasport"},
    "uz_cyrl": {"type": "Тури", "code": "Давлат коди", "number": "Паспорт рақами", "card_number": "Ҳужжат рақами",
                "surname": "Фамилияси", "given_names": "Исми", "nationality": "Фуқаролиги",
                "birth_date": "Туғилган санаси", "sex": "Жинси", "birth_place": "Туғилган жойи",
                "issue_date": "Берилган санаси", "expiry_date": "Амал қилиш муддати",
                "authority": "Ким томонидан берилган", "personal_number": "ЖШШИР", "entries": "Киришлар сони",
                "valid_from": "Бошланиши", "passport": "Паспорт"},
    "tk": {"type": "Görnüşi", "code": "Döwlet kody", "number": "Pasport belgisi", "card_number": "Resminamanyň belgisi",
           "surname": "Familiýasy", "given_names": "Ady", "nationality": "Raýatlygy", "birth_date": "Doglan senesi",
           "sex": "Jynsy", "birth_place": "Doglan ýeri", "issue_date": "Berlen senesi", "expiry_date": "Möhleti",
           "authority": "Beren edara", "personal_number": "Şahsy belgisi", "entries": "Giriş sany",
           "valid_from": "Başlanýar", "passport": "Pasport"},
    "az": {"type": "Növü", "code": "Dövlətin kodu", "number": "Pasportun nömrəsi", "card_number": "Sənədin nömrəsi",
           "surname": "Soyadı", "given_names": "Adı", "nationality": "Vətəndaşlığı", "birth_date": "Doğum tarixi",
           "sex": "Cinsi", "birth_place": "Doğum yeri", "issue_date": "Verilmə tarixi",
           "expiry_date": "Etibarlıdır", "authority": "Verən orqan", "personal_number": "FİN",
           "entries": "Girişlərin sayı", "valid_from": "Başlanğıc", "passport": "Pasport"},
    "ro": {"type": "Tipul", "code": "Codul statului", "number": "Nr. paşaportului", "card_number": "Nr. documentului",
           "surname": "Nume", "given_names": "Prenume", "nationality": "Cetăţenia", "birth_date": "Data naşterii",
           "sex": "Sexul", "birth_place": "Locul naşterii", "issue_date": "Data eliberării",
           "expiry_date": "Data expirării", "authority": "Autoritatea", "personal_number": "IDNP",
           "entries": "Intrări", "valid_from": "Valabilă de la", "passport": "Paşaport"},
    "uk": {"type": "Тип", "code": "Код держави", "number": "Номер паспорта", "card_number": "Номер документа",
           "surname": "Прізвище", "given_names": "Ім'я", "nationality": "Громадянство",
           "birth_date": "Дата народження", "sex": "Стать", "birth_place": "Місце народження",
           "issue_date": "Дата видачі", "expiry_date": "Дійсний до", "authority": "Орган, що видав",
           "personal_number": "Запис №", "entries": "Кількість в'їздів", "valid_from": "Дійсна з",
           "passport": "Паспорт"},
    "ru": {k: v for k, v in RUSSIAN.items() if not k.endswith("title")},
}  # fmt: skip
# The national language(s) each issuer prints; issuers with no table here (AFG, the UTO
# specimens) print one of the region's languages, drawn per document.
ISSUER_LANGUAGES = {"KAZ": ("kk",), "KGZ": ("ky",), "TJK": ("tg",), "UZB": ("uz", "uz_cyrl"), "TKM": ("tk",),
                    "AZE": ("az",), "MDA": ("ro",), "RUS": ("ru",)}


def english(key: str) -> str:
    return ENGLISH_LABELS.get(key, key)


# ------------------------------------------------------------------ the styled page


@dataclass(frozen=True)
class Style:
    """How one document of a family prints its visual zone (drawn per document)."""

    label: Callable[[str], str | None]  # field key -> label text; None: no label
    label_face: str
    value_face: str
    header_face: str
    placement: str = "above"  # above, beside, or mixed (some rows beside, others under)
    columns: int = 1
    combined_names: bool = False
    value_h: float = 2.1  # capital height, mm (at TD3 size; smaller formats shrink it)
    label_h: float = 1.15
    photo_right: bool = False
    label_ink: tuple[int, int, int] = (70, 84, 110)
    colon: bool = False  # "Surname:" when beside
    rng_seed: int = 0  # for a mixed placement's per-row choice
    dates: str = "numeric"  # how dates print (styled_date): numeric, worded, worded_fr or worded_short


# Dates with the month as a word, as many passports print them (ICAO's Doc 9303 example: 12 AUG/AOÛT
# 74): English alone, English / French, a two-digit year. The numeric date stays in the specimen (the
# defects change it); the page prints it so.
MONTHS_EN = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
MONTHS_FR = ("JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV", "DÉC")
DATE_KEYS = ("birth_date", "expiry_date", "issue_date", "valid_from")


def styled_date(text: str, style: str) -> str:
    """A DD.MM.YYYY date as ``style`` prints it: numeric (12.08.1974), worded (12 AUG 1974),
    worded_fr (12 AUG/AOÛT 1974) or worded_short (12 AUG 74); anything else (an impossible month) as
    it is."""
    match = re.fullmatch(r"(\d{2})\.(\d{2})\.(\d{4})", text)
    if style == "numeric" or match is None or not 1 <= int(match.group(2)) <= 12:
        return text
    day, month, year = match.group(1), int(match.group(2)) - 1, match.group(3)
    english, french = MONTHS_EN[month], MONTHS_FR[month]
    if style == "worded_fr":
        return f"{day} {english}/{french} {year}" if french != english else f"{day} {english} {year}"
    return f"{day} {english} {year[2:] if style == 'worded_short' else year}"


def _rows(spec: Specimen, combined: bool) -> list[list[tuple[str, list[str]]]]:
    """The visual zone's rows, as today's page prints them; a cell is (field key, value lines)."""
    v = spec.viz
    surname, given = _names(spec)
    names = [[("names", surname + given)]] if combined else [[("surname", surname)], [("given_names", given)]]
    if spec.format == "TD1":  # the card's front; the back: _back_rows
        return [[("card_number", [v.document_number]), ("expiry_date", [v.expiry_date])], *names,
                [("birth_date", [v.birth_date]), ("sex", [v.sex]), ("nationality", [v.nationality])]]
    if spec.format.startswith("MRV"):
        return [[("valid_from", [v.valid_from]), ("expiry_date", [v.expiry_date]), ("entries", [v.entries])],
                [("code", [v.issuing_state]), ("card_number", [v.document_number]), ("issue_date", [v.issue_date])],
                *names, [("nationality", [v.nationality]), ("sex", [v.sex])],
                [("birth_date", [v.birth_date]), ("passport", [v.passport_number])]]
    number_key = "number" if spec.format == "TD3" else "card_number"
    last = [("authority", [v.authority])] + ([("personal_number", [v.personal_number])] if v.personal_number else [])
    return [[("type", [spec.lines[0][:2].replace("<", "")]), ("code", [v.issuing_state]),
             (number_key, [v.document_number])], *names,
            [("nationality", [v.nationality]), ("sex", [v.sex])],
            [("birth_date", [v.birth_date]), ("birth_place", [v.birth_place])],
            [("issue_date", [v.issue_date]), ("expiry_date", [v.expiry_date])], last]


def _back_rows(spec: Specimen) -> list[list[tuple[str, list[str]]]]:
    v = spec.viz
    last = [("authority", [v.authority])] + ([("personal_number", [v.personal_number])] if v.personal_number else [])
    return [[("birth_place", [v.birth_place]), ("issue_date", [v.issue_date])], last]


def _fit(canvas: _Canvas, text: str, height: float, face: str, width: float) -> float:
    """The capital height at which ``text`` fits ``width`` (mm), at most ``height``."""
    size = round(canvas.px(height) / cap_height_ratio(face))
    w = font(face, size).getlength(text) * 25.4 / canvas.dpi
    return height if w <= width else height * width / w


def _width(canvas: _Canvas, text: str, height: float, face: str) -> float:
    size = round(canvas.px(height) / cap_height_ratio(face))
    return font(face, size).getlength(text) * 25.4 / canvas.dpi


class _Writer:
    """Lays rows of fields down a column in one Style."""

    def __init__(self, canvas: _Canvas, style: Style, scale: float):
        self.canvas, self.style, self.k = canvas, style, scale
        self.vh, self.lh = style.value_h * scale, style.label_h * scale

    def label_text(self, key: str) -> str | None:
        text = self.style.label(key)
        if text and self.style.colon and self.style.placement != "above":
            text += ":"
        return text

    def above(self, x: float, y: float, key: str, values: list[str], width: float) -> float:
        c, s = self.canvas, self.style
        label = self.label_text(key) if s.label(key) else None
        if label:
            c.text((x, y + self.lh), label, _fit(c, label, self.lh, s.label_face, width), s.label_face,
                   fill=s.label_ink)
            y += self.lh + 0.9 * self.k
        for value in values:
            c.text((x, y + self.vh), value, _fit(c, value, self.vh, s.value_face, width), s.value_face)
            y += self.vh + 0.9 * self.k
        return y + 0.5 * self.k

    def beside(self, x: float, y: float, key: str, values: list[str], width: float, value_x: float | None) -> float:
        c, s = self.canvas, self.style
        label = self.label_text(key)
        lh = self.lh
        if label:
            lh = _fit(c, label, lh, s.label_face, 0.5 * width)
            c.text((x, y + self.vh), label, lh, s.label_face, fill=s.label_ink)
            start = max(value_x or 0.0, x + _width(c, label, lh, s.label_face) + 1.5 * self.k)
        else:
            start = x
        for value in values:
            c.text((start, y + self.vh), value, _fit(c, value, self.vh, s.value_face, x + width - start),
                   s.value_face)
            y += self.vh + 1.0 * self.k
        return y + 0.35 * self.k

    def value_column(self, x: float, keys: list[str], width: float) -> float:
        """Where values start when beside their labels: after the widest label (at most half the width)."""
        widths = [_width(self.canvas, t, self.lh, self.style.label_face) for t in map(self.label_text, keys) if t]
        return x + min(max(widths, default=0.0), 0.5 * width) + 1.5 * self.k

    def rows(self, x: float, y: float, rows, width: float) -> float:
        s = self.style
        rng = np.random.default_rng([s.rng_seed, 5])
        rows = [[(key, [styled_date(value, s.dates) for value in values] if key in DATE_KEYS else values)
                 for key, values in row] for row in rows]
        keys = [key for row in rows for key, _ in row]
        value_x = self.value_column(x, keys, width)
        for row in rows:
            beside = s.placement == "beside" or (s.placement == "mixed" and rng.random() < 0.5)
            if beside and s.label(row[0][0]) is not None:
                # Beside: one field a line, except two short ones that share it (nationality, sex).
                if [k for k, _ in row] == ["nationality", "sex"]:
                    half = width / 2
                    bottom = self.beside(x, y, *row[0], half - 1.5 * self.k, None)
                    y = max(bottom, self.beside(x + half, y, *row[1], half, None))
                else:
                    for key, values in row:
                        y = self.beside(x, y, key, values, width, value_x if s.placement == "beside" else None)
            else:
                cell_x, bottom = x, y
                share = width / len(row)
                for key, values in row:
                    bottom = max(bottom, self.above(cell_x, y, key, values, share - 1.5 * self.k))
                    cell_x += share
                y = bottom
        return y


def _header(canvas: _Canvas, spec: Specimen, w: float, title_key: str, style: Style, y: float, scale: float):
    issuer = spec.issuer
    national = issuer.name_national
    line1 = national if national == issuer.name_latin else f"{national}   {issuer.name_latin}"
    ink = (40, 52, 90)
    canvas.text((w / 2, y), line1, _fit(canvas, line1, 1.9 * scale, style.header_face, w - 8), style.header_face,
                fill=ink, anchor="ms")
    title_nat = issuer.labels.get(title_key, "")
    title_en = ENGLISH_LABELS[title_key]
    title = title_en if title_nat == title_en else f"{title_nat}   {title_en}"
    canvas.text((w / 2, y + 3.6 * scale), title, _fit(canvas, title, 1.6 * scale, style.label_face, w - 8),
                style.label_face, fill=ink, anchor="ms")


def styled_page(spec: Specimen, dpi: int, seed: int, jitter: tuple[LineJitter, ...], style: Style,
                offset: tuple[float, float] = (0.0, 0.0)):
    """A TD3/TD2/visa page in ``style``: photo on one side, the rows beside it, the MRZ at the bottom."""
    w, h = PAGE_MM[spec.format]
    k = h / 88.0
    canvas = _background(spec, w, h, dpi, seed, mrz_clear_band(spec, h))
    visa = spec.format.startswith("MRV")
    _header(canvas, spec, w, "visa_title" if visa else ("id_title" if spec.format == "TD2" else "title"), style,
            4.2 * k, k)
    dx, dy = offset
    photo_w, photo_h = 30 * k, 39 * k
    photo_x = w - 5 * k - photo_w if style.photo_right else 5 * k + dx
    photo = (photo_x, 12 * k + dy, photo_x + photo_w, 12 * k + dy + photo_h)
    portrait(canvas, photo, seed + 1, spec.mrz.sex)
    signature(canvas, photo[0] + 2, photo[3] + 5.5 * k, photo_w - 4, seed + 2)
    if style.photo_right:
        x, right = 5 * k + dx, photo[0] - 4 * k
    else:
        x, right = photo[2] + 4 * k, w - 5 * k
    width = right - x
    writer = _Writer(canvas, style, k)
    rows = _rows(spec, style.combined_names)
    y = 11.0 * k + dy
    if style.columns == 2:
        names_at = [i for i, row in enumerate(rows) if row[0][0] in ("surname", "given_names", "names")]
        first, last = names_at[0], names_at[-1]
        y = writer.rows(x, y, rows[: first], width)
        y = writer.rows(x, y, rows[first: last + 1], width)
        cells = [[cell] for row in rows[last + 1:] for cell in row]
        half = (len(cells) + 1) // 2
        col = width / 2
        writer.rows(x, y, cells[:half], col - 1.5 * k)
        writer.rows(x + col, y, cells[half:], col - 1.5 * k)
    else:
        writer.rows(x, y, rows, width)
    if not visa and not style.photo_right and style.columns == 1:
        ghost_portrait(canvas, (w - 5 * k - 15 * k, 24 * k, w - 5 * k, 43 * k), seed + 1, spec.mrz.sex)
    if spec.overprint:
        _overprint(canvas, w, h)
    mrz_zone(canvas, spec, w, h, jitter)
    return (canvas.image,)


def styled_card(spec: Specimen, dpi: int, seed: int, jitter: tuple[LineJitter, ...], style: Style,
                offset: tuple[float, float] = (0.0, 0.0)):
    """A TD1 card in ``style``: front (photo, names), back (other fields, 3-line MRZ)."""
    w, h = PAGE_MM["TD1"]
    k = 0.88
    front = _background(spec, w, h, dpi, seed, None)
    _header(front, spec, w, "id_title", style, 3.6, 0.85)
    dx, dy = offset
    photo_x = w - 3.5 - 22 if style.photo_right else 3.5 + dx
    photo = (photo_x, 9.5 + dy, photo_x + 22, 38.5 + dy)
    portrait(front, photo, seed + 1, spec.mrz.sex)
    signature(front, photo_x + 1.5, 45, 18, seed + 2)
    x, width = (3.5 + dx, w - 3.5 - 22 - 3 - 3.5 - dx) if style.photo_right else (28.5, w - 28.5 - 3.5)
    _Writer(front, style, k).rows(x, 8.6 + dy, _rows(spec, style.combined_names), width)
    if spec.overprint:
        _overprint(front, w, h)
    back = _background(spec, w, h, dpi, seed + 7, mrz_clear_band(spec, h))
    _Writer(back, style, k).rows(4.5, 3.0, _back_rows(spec), w - 9)
    mrz_zone(back, spec, w, h, jitter)
    return _round_corners(front.image, dpi), _round_corners(back.image, dpi)


def _styled(spec, dpi, seed, jitter, style: Style, rng: np.random.Generator):
    offset = (float(rng.uniform(-1.0, 1.5)), float(rng.uniform(-0.8, 1.2)))
    if spec.format == "TD1":
        return styled_card(spec, dpi, seed, jitter, style, offset)
    return styled_page(spec, dpi, seed, jitter, style, offset)


def _pick(rng: np.random.Generator, items):
    items = list(items)
    return items[int(rng.integers(0, len(items)))]


def _sizes(rng: np.random.Generator) -> dict:
    # Capital heights seen on data pages: values about 2-2.5 mm, labels about 1-1.4 mm.
    return {"value_h": round(float(rng.uniform(1.95, 2.4)), 2), "label_h": round(float(rng.uniform(1.0, 1.35)), 2)}


def _issuer_label(spec: Specimen, key: str, separator: str = " / ") -> str:
    national, eng = spec.issuer.labels.get(key, ""), english(key)
    return eng if not national or national == eng else f"{national}{separator}{eng}"


# ------------------------------------------------------------------ the families


@layout("icao_en", "Today's page: labels above values (issuer's label / English), DejaVu Sans")
def icao_en(spec: Specimen, dpi: int, seed: int, jitter: tuple[LineJitter, ...]):
    if spec.format == "TD1":
        return render_td1(spec, dpi, seed, jitter)
    return (render_td3_like(spec, dpi, seed, jitter),)


def _rng(seed: int, family: str) -> np.random.Generator:
    return np.random.default_rng([seed, sum(map(ord, family))])


@layout("ru_en", "Bilingual Russian / English labels above values (Liberation Sans)")
def ru_en(spec, dpi, seed, jitter):
    rng = _rng(seed, "ru_en")

    def label(key: str) -> str:
        if key == "names":
            return f"{COMBINED['ru']} / {COMBINED['en']}"
        return f"{RUSSIAN.get(key, english(key))} / {english(key)}"

    face = _pick(rng, ("liberation_sans", "dejavu_sans"))
    style = Style(label, "liberation_sans_narrow", face, "liberation_sans", **_sizes(rng))
    return _styled(spec, dpi, seed, jitter, style, rng)


@layout("trilingual", "ICAO English / French / Spanish labels above values (FreeSans, Noto Sans); dates "
                       "numeric, 12 AUG/AOÛT 1974 or 12 AUG 74")
def trilingual(spec, dpi, seed, jitter):
    rng = _rng(seed, "trilingual")

    def label(key: str) -> str:
        return f"{english(key)} / {FRENCH.get(key, english(key))} / {SPANISH.get(key, english(key))}"

    face = _pick(rng, ("free_sans", "noto_sans"))
    style = Style(label, face, face, "free_sans", **_sizes(rng))
    style = replace(style, dates=_pick(rng, ("numeric", "worded_fr", "worded_short")))
    return _styled(spec, dpi, seed, jitter, style, rng)


@layout("beside", "Label and value on one line ('Surname: VALUE'), Noto Sans or DejaVu Sans Condensed")
def beside(spec, dpi, seed, jitter):
    rng = _rng(seed, "beside")
    national = rng.random() < 0.5

    def label(key: str) -> str:
        return _issuer_label(spec, key, "/") if national else english(key)

    face = _pick(rng, ("noto_sans", "dejavu_condensed"))
    style = Style(label, face, face, "noto_sans", placement="beside", colon=rng.random() < 0.7,
                  photo_right=rng.random() < 0.3, **_sizes(rng))
    return _styled(spec, dpi, seed, jitter, style, rng)


@layout("two_column", "Names across, the other fields in two columns (issuer's label / English), Liberation Sans")
def two_column(spec, dpi, seed, jitter):
    rng = _rng(seed, "two_column")
    style = Style(lambda key: _issuer_label(spec, key), "liberation_sans_narrow", "liberation_sans",
                  "liberation_sans", columns=2, photo_right=rng.random() < 0.3, **_sizes(rng))
    return _styled(spec, dpi, seed, jitter, style, rng)


@layout("combined_names", "One label 'Surname / Given names' over the name lines (English labels), FreeSans or "
                           "Noto; dates numeric or 12 AUG 1974")
def combined_names(spec, dpi, seed, jitter):
    rng = _rng(seed, "combined_names")

    def label(key: str) -> str:
        return COMBINED["en"] if key == "names" else english(key)

    face = _pick(rng, ("free_sans", "noto_sans", "dejavu_sans"))
    style = Style(label, face, face, face, combined_names=True, **_sizes(rng))
    style = replace(style, dates=_pick(rng, ("numeric", "worded")))
    return _styled(spec, dpi, seed, jitter, style, rng)


@layout("unlabelled", "Values with no labels, as some ID cards print them (Liberation Sans, Noto Sans)",
        labelled=False)
def unlabelled(spec, dpi, seed, jitter):
    rng = _rng(seed, "unlabelled")
    face = _pick(rng, ("liberation_sans", "noto_sans"))
    style = Style(lambda key: None, face, face, face, **_sizes(rng))
    return _styled(spec, dpi, seed, jitter, style, rng)


@layout("national_bilingual", "National language + English labels in a serif face, beside or under the values",
        held_out=True)
def national_bilingual(spec, dpi, seed, jitter):
    rng = _rng(seed, "national_bilingual")
    language = _pick(rng, ISSUER_LANGUAGES.get(spec.issuer.code, tuple(NATIONAL_WORDS)))
    words = NATIONAL_WORDS[language]
    separator = _pick(rng, (" / ", "/", " - "))

    def label(key: str) -> str:
        if key == "names":
            return f"{words['surname']}, {words['given_names']}{separator}{COMBINED['en']}"
        return f"{words.get(key, english(key))}{separator}{english(key)}"

    face = _pick(rng, ("dejavu_serif", "liberation_serif", "free_serif", "noto_serif"))
    label_face = _pick(rng, (face, "dejavu_serif_condensed"))
    style = Style(label, label_face, face, face, placement="mixed", colon=False,
                  photo_right=rng.random() < 0.25, rng_seed=int(rng.integers(0, 2**31)),
                  label_ink=(_pick(rng, ((70, 84, 110), (60, 60, 60), (110, 60, 60)))), **_sizes(rng))
    return _styled(spec, dpi, seed, jitter, style, rng)


__all__ = ["NATIONAL_WORDS", "Style", "styled_card", "styled_page"]
