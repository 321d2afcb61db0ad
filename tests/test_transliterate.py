"""ICAO Doc 9303 Part 3 transliteration, and the national practice for the region's extra letters."""

import pytest

from screening.mrz.transliterate import spellings, transliterate


@pytest.mark.parametrize(
    ("printed", "mrz"),
    [
        ("ЖУКОВ", "ZHUKOV"),
        ("ЩУКИНА", "SHCHUKINA"),
        ("ЮЛИЯ", "IULIIA"),
        ("ОЛЬГА", "OLGA"),
        ("Хмельницкий", "KHMELNITSKII"),
        ("Соловьёв", "SOLOVEV"),
        ("Цой", "TSOI"),
        ("Чернышёв", "CHERNYSHEV"),
        ("Подъячев", "PODIEIACHEV"),
        ("Эльвира", "ELVIRA"),
        ("Анна-Мария", "ANNA MARIIA"),
    ],
)
def test_icao_table(printed, mrz):
    assert transliterate(printed) == mrz


def test_national_practice_per_issuer():
    assert transliterate("Қасымов", issuer="KAZ") == "KASYMOV"
    assert transliterate("Қурбонов", issuer="TJK") == "QURBONOV"
    assert transliterate("Ҷӯраев", issuer="TJK") == "JURAEV"
    assert transliterate("Ғафуров", issuer="TJK") == "GHAFUROV"
    assert transliterate("Төлөгөн", issuer="KGZ") == "TOLOGON"


def test_latin_diacritics_and_apostrophes():
    assert transliterate("Məmmədov") == "MAMMADOV"
    assert transliterate("Oʻtkir") == "OTKIR"
    assert transliterate("Ştefan Ţurcanu") == "STEFAN TURCANU"
    assert transliterate("Berdiýew") == "BERDIYEW"


def test_spellings_offer_every_national_variant():
    assert spellings("Қайрат") == {"KAIRAT", "QAIRAT"}
    assert "AEBENOV" in spellings("Әбенов")
