"""Names as printed on the page -> the MRZ's A-Z (ICAO Doc 9303 Part 3, section 6).

Cyrillic follows the Part 3 transliteration table (Russian letters, plus the
Ukrainian/Belarusian/Serbian/Macedonian letters it lists). The Kazakh, Kyrgyz and Tajik
letters have no ICAO mapping: issuers follow national practice, kept here as data per
issuer (``NATIONAL_PRACTICE``), with every spelling an issuer might use in
``ALTERNATIVES`` so that a comparison can be tolerant. Latin letters with diacritics
lose them (national practice of the region's Latin-script issuers: Ş -> S, Ə -> A).

>>> transliterate("ЖУКОВ")
'ZHUKOV'
>>> transliterate("Щукина Юлия")
'SHCHUKINA IULIIA'
>>> transliterate("Қасымов", issuer="KAZ"), transliterate("Қурбонов", issuer="TJK")
('KASYMOV', 'QURBONOV')
"""

from __future__ import annotations

import re
import unicodedata

# Doc 9303 Part 3, Table of Cyrillic transliteration (Russian letters first).
ICAO_CYRILLIC = {
    "А": "A", "Б": "B", "В": "V", "Г": "G", "Д": "D", "Е": "E", "Ё": "E", "Ж": "ZH", "З": "Z",
    "И": "I", "Й": "I", "К": "K", "Л": "L", "М": "M", "Н": "N", "О": "O", "П": "P", "Р": "R",
    "С": "S", "Т": "T", "У": "U", "Ф": "F", "Х": "KH", "Ц": "TS", "Ч": "CH", "Ш": "SH",
    "Щ": "SHCH", "Ъ": "IE", "Ы": "Y", "Ь": "", "Э": "E", "Ю": "IU", "Я": "IA",
    # Other Cyrillic letters in the Part 3 table.
    "І": "I", "Ў": "U", "Є": "IE", "Ї": "I", "Ґ": "G", "Ј": "J", "Љ": "LJ", "Њ": "NJ",
    "Ѕ": "DZ", "Џ": "DZ", "Ђ": "D", "Ћ": "C", "Ѓ": "G", "Ќ": "K",
}  # fmt: skip

# Letters of the region's alphabets that the ICAO table leaves out: every spelling seen,
# the first being the default when the issuer's practice is not known.
ALTERNATIVES = {
    "Ә": ("A", "AE"), "Ғ": ("G", "GH"), "Қ": ("K", "Q"), "Ң": ("N", "NG"), "Ө": ("O", "OE"),
    "Ұ": ("U", "UE"), "Ү": ("U", "UE"), "Һ": ("H", "KH"), "Ҳ": ("H", "KH"), "Ҷ": ("J", "DZH"),
    "Ӣ": ("I",), "Ӯ": ("U",),
}  # fmt: skip

# National practice per issuer for those letters (source: the issuers' own specimens and
# published passport transliteration rules; Kazakhstan prints what the citizen asks for,
# this is the usual choice).
NATIONAL_PRACTICE = {
    "KAZ": {"Ә": "A", "Ғ": "G", "Қ": "K", "Ң": "N", "Ө": "O", "Ұ": "U", "Ү": "U", "Һ": "H"},
    "KGZ": {"Ң": "N", "Ө": "O", "Ү": "U"},
    "TJK": {"Ғ": "GH", "Қ": "Q", "Ҳ": "H", "Ҷ": "J", "Ӣ": "I", "Ӯ": "U"},
}

# Latin letters that do not decompose into a base letter and a diacritic.
_LATIN_SPECIAL = {"Ə": "A", "ı": "I", "ß": "SS", "Æ": "AE", "Ø": "OE", "Ł": "L", "Đ": "D", "Þ": "TH",
                  "Œ": "OE"}  # fmt: skip
_APOSTROPHES = "'’‘ʻʼ`"


def transliterate(text: str, issuer: str | None = None) -> str:
    """``text`` (Cyrillic or Latin) in the MRZ alphabet: A-Z, spaces between name parts.

    Hyphens and apostrophes inside a name become spaces or vanish the way issuers of the
    region do it: a hyphen separates (``Анна-Мария`` -> ``ANNA MARIA``), an apostrophe
    is dropped (``O‘ktam`` -> ``OKTAM``).
    """
    practice = NATIONAL_PRACTICE.get(issuer or "", {})
    out = []
    for char in text.upper():
        if char in practice:
            out.append(practice[char])
        elif char in ICAO_CYRILLIC:
            out.append(ICAO_CYRILLIC[char])
        elif char in ALTERNATIVES:
            out.append(ALTERNATIVES[char][0])
        elif char in _APOSTROPHES:
            continue
        elif char in _LATIN_SPECIAL:
            out.append(_LATIN_SPECIAL[char])
        elif "A" <= char <= "Z":
            out.append(char)
        else:
            base = unicodedata.normalize("NFKD", char)[0]
            out.append(base.upper() if "A" <= base.upper() <= "Z" else " ")
    return re.sub(r"\s+", " ", "".join(out)).strip()


def spellings(text: str) -> set[str]:
    """Every MRZ spelling of ``text`` that some issuer's practice could give (for tolerant comparison)."""
    results = {""}
    for char in text.upper():
        options = ALTERNATIVES.get(char) or (transliterate(char) if char.strip() else " ",)
        results = {prefix + option for prefix in results for option in options}
        if len(results) > 256:  # a pathological name: keep the default spelling only
            return {transliterate(text)}
    return {re.sub(r"\s+", " ", r).strip() for r in results}
