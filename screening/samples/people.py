"""Issuers of the region as data: their names, scripts, labels, number formats and name lists.

The names are common ones of each country, written the way its documents print them
(Cyrillic where the issuer prints Cyrillic, with the MRZ spelling computed by
``screening.mrz.transliterate``). Number formats imitate the issuers' current series;
they are invented specimen numbers, not real ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from screening.checks.personal_numbers import kaz_iin_check_digit
from screening.mrz.checkdigit import check_digit


@dataclass(frozen=True)
class Names:
    """Name lists of one issuer, in the script its documents print."""

    male_given: tuple[str, ...]
    female_given: tuple[str, ...]
    surnames: tuple[str, ...]  # male forms
    female_suffix: tuple[tuple[str, str], ...] = ()  # surname ending -> female form (ов -> ова)


@dataclass(frozen=True)
class Issuer:
    code: str
    name_latin: str  # as the page prints it in English
    name_national: str  # in the national language and script
    cyrillic: bool  # whether the page prints the names in Cyrillic besides Latin
    labels: dict  # field key -> national label (English follows on the page)
    passport_number: str  # pattern: L = letter, 9 = digit, other characters literal
    id_number: str | None  # TD1/TD2 card numbers; None: no ICAO ID card
    authority: str
    places: tuple[str, ...]
    names: Names
    personal_number: str | None = None  # "KAZ_IIN", "UZB_PINFL"
    validity_years: int = 10


_RU_LABELS = {
    "type": "Тип", "code": "Код государства", "number": "Номер паспорта", "surname": "Фамилия",
    "given_names": "Имя", "nationality": "Гражданство", "birth_date": "Дата рождения", "sex": "Пол",
    "birth_place": "Место рождения", "issue_date": "Дата выдачи", "expiry_date": "Дата окончания срока",
    "authority": "Орган, выдавший документ", "personal_number": "Личный номер", "title": "ПАСПОРТ",
    "id_title": "УДОСТОВЕРЕНИЕ ЛИЧНОСТИ", "visa_title": "ВИЗА", "entries": "Кол-во въездов",
    "valid_from": "Действительна с", "passport": "Паспорт",
}  # fmt: skip

_RU = Names(
    male_given=("Александр", "Дмитрий", "Сергей", "Алексей", "Андрей", "Евгений", "Юрий", "Михаил", "Илья", "Вячеслав"),
    female_given=("Ольга", "Юлия", "Наталья", "Екатерина", "Татьяна", "Анастасия", "Ксения", "Людмила", "Дарья"),
    surnames=("Жуков", "Щукин", "Смирнов", "Кузнецов", "Соловьёв", "Васильев", "Зайцев", "Фёдоров", "Чернышёв",
              "Хмельницкий", "Белоусов", "Шевченко"),
    female_suffix=(("ский", "ская"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина")),
)  # fmt: skip

_KZ = Names(
    male_given=("Нұрлан", "Қайрат", "Ерлан", "Асхат", "Дәурен", "Ғалым", "Серік", "Бауыржан", "Жандос"),
    female_given=("Әйгерім", "Гүлнар", "Айгүл", "Жанар", "Динара", "Мөлдір", "Салтанат", "Ұлжан"),
    surnames=("Қасымов", "Нұрғалиев", "Әбенов", "Жұмабеков", "Сейітов", "Оспанов", "Төлеуов", "Ибраев"),
    female_suffix=(("ов", "ова"), ("ев", "ева")),
)  # fmt: skip

_KG = Names(
    male_given=("Бакыт", "Нурбек", "Азамат", "Эрмек", "Улан", "Чынгыз", "Айбек", "Төлөгөн"),
    female_given=("Айпери", "Гүлзат", "Жылдыз", "Нургүл", "Чолпон", "Бермет", "Айжан"),
    surnames=("Асанов", "Токтогулов", "Жээнбеков", "Сыдыков", "Мамытов", "Үсөнов", "Абдыкеримов", "Өмүрбеков"),
    female_suffix=(("ов", "ова"), ("ев", "ева")),
)  # fmt: skip

_TJ = Names(
    male_given=("Фаррух", "Ҷамшед", "Далер", "Шоҳрух", "Ғафур", "Қурбон", "Рустам", "Умед", "Бахтиёр"),
    female_given=("Нигина", "Мавҷуда", "Зарина", "Гулноза", "Малика", "Шаҳло", "Дилрабо"),
    surnames=("Раҳимов", "Қурбонов", "Назаров", "Ҷӯраев", "Саидов", "Ғафуров", "Шарипов", "Тоҷиддинов"),
    female_suffix=(("ов", "ова"), ("ев", "ева")),
)  # fmt: skip

_UZ = Names(
    male_given=("Shavkat", "Oʻtkir", "Jasur", "Sardor", "Bekzod", "Sherzod", "Gʻayrat", "Doniyor"),
    female_given=("Dilnoza", "Gulnora", "Madina", "Shahnoza", "Nilufar", "Oʻgʻiloy", "Zarina"),
    surnames=("Karimov", "Toshmatov", "Yusupov", "Rahimov", "Ergashev", "Qodirov", "Xoʻjayev", "Abdullayev"),
    female_suffix=(("ov", "ova"), ("ev", "eva")),
)  # fmt: skip

_TM = Names(
    male_given=("Döwlet", "Merdan", "Serdar", "Berdi", "Aşyr", "Maksat", "Ýusup"),
    female_given=("Aýna", "Gülşat", "Maýsa", "Jeren", "Ogulgerek", "Bahar"),
    surnames=("Orazow", "Berdiýew", "Annaýew", "Gurbanow", "Ataýew", "Nurmuhammedow", "Çaryýew"),
    female_suffix=(("ow", "owa"), ("ew", "ewa")),
)  # fmt: skip

_AF = Names(
    male_given=("Ahmad", "Mohammad", "Abdul Rahim", "Khalid", "Farid", "Nasir", "Hamid", "Zabihullah"),
    female_given=("Fatima", "Zahra", "Maryam", "Nargis", "Soraya", "Mina", "Parwana"),
    surnames=("Ahmadzai", "Popal", "Noori", "Rahimi", "Stanikzai", "Hakimi", "Sadat", "Wardak"),
)  # fmt: skip

_AZ = Names(
    male_given=("Elnur", "Rəşad", "Orxan", "Tural", "Vüqar", "Ülvi", "Kamran"),
    female_given=("Günel", "Aysel", "Nərmin", "Leyla", "Səbinə", "Könül"),
    surnames=("Məmmədov", "Əliyev", "Hüseynov", "Quliyev", "Həsənov", "İsmayılov", "Cəfərov"),
    female_suffix=(("ov", "ova"), ("ev", "eva")),
)  # fmt: skip

_MD = Names(
    male_given=("Ion", "Vasile", "Mihai", "Andrei", "Ștefan", "Dumitru", "Valeriu"),
    female_given=("Maria", "Elena", "Ana", "Doina", "Cristina", "Tatiana", "Natalia"),
    surnames=("Rusu", "Ceban", "Munteanu", "Țurcanu", "Lungu", "Cojocaru", "Bălan", "Ciobanu"),
)  # fmt: skip

ISSUERS = {
    issuer.code: issuer
    for issuer in (
        Issuer("KAZ", "REPUBLIC OF KAZAKHSTAN", "ҚАЗАҚСТАН РЕСПУБЛИКАСЫ", True,
               {"type": "Түрі", "code": "Мемлекет коды", "number": "Паспорт нөмірі", "surname": "Тегі",
                "given_names": "Аты", "nationality": "Азаматтығы", "birth_date": "Туған күні", "sex": "Жынысы",
                "birth_place": "Туған жері", "issue_date": "Берілген күні", "expiry_date": "Қолданылу мерзімі",
                "authority": "Берген орган", "personal_number": "ЖСН", "title": "ПАСПОРТ",
                "id_title": "ЖЕКЕ КУӘЛІК", "visa_title": "ВИЗА", "entries": "Кіру саны",
                "valid_from": "Басталуы", "passport": "Паспорт"},
               "N99999999", "999999999", "ІІМ / MIA", ("АЛМАТЫ", "АСТАНА", "ШЫМКЕНТ", "ҚАРАҒАНДЫ", "АҚТӨБЕ"),
               _KZ, personal_number="KAZ_IIN"),
        Issuer("RUS", "RUSSIAN FEDERATION", "РОССИЙСКАЯ ФЕДЕРАЦИЯ", True, _RU_LABELS,
               "999999999", None, "МВД 77001", ("МОСКВА", "САНКТ-ПЕТЕРБУРГ", "НОВОСИБИРСК", "КАЗАНЬ", "ОМСК"), _RU),
        Issuer("KGZ", "KYRGYZ REPUBLIC", "КЫРГЫЗ РЕСПУБЛИКАСЫ", True,
               {**_RU_LABELS, "surname": "Фамилиясы", "given_names": "Аты", "nationality": "Жарандыгы",
                "birth_date": "Туулган күнү", "sex": "Жынысы", "title": "ПАСПОРТ", "id_title": "ID-КАРТА"},
               "AC9999999", "ID9999999", "SRS 211041", ("БИШКЕК", "ОШ", "НАРЫН", "ТАЛАС", "КАРАКОЛ"), _KG),
        Issuer("TJK", "REPUBLIC OF TAJIKISTAN", "ҶУМҲУРИИ ТОҶИКИСТОН", True,
               {**_RU_LABELS, "surname": "Насаб", "given_names": "Ном", "nationality": "Шаҳрвандӣ",
                "birth_date": "Санаи таваллуд", "sex": "Ҷинс", "birth_place": "Ҷои таваллуд",
                "issue_date": "Санаи додан", "expiry_date": "Эътибор то", "title": "ШИНОСНОМА",
                "id_title": "ШИНОСНОМАИ ДОХИЛӢ", "visa_title": "РАВОДИД"},
               "499999999", "A99999999", "ВКД 00001", ("ДУШАНБЕ", "ХУҶАНД", "ХОРУҒ", "БОХТАР", "КӮЛОБ"), _TJ),
        Issuer("UZB", "REPUBLIC OF UZBEKISTAN", "OʻZBEKISTON RESPUBLIKASI", False,
               {"type": "Turi", "code": "Davlat kodi", "number": "Pasport raqami", "surname": "Familiyasi",
                "given_names": "Ismi", "nationality": "Fuqaroligi", "birth_date": "Tugʻilgan sanasi",
                "sex": "Jinsi", "birth_place": "Tugʻilgan joyi", "issue_date": "Berilgan sanasi",
                "expiry_date": "Amal qilish muddati", "authority": "Kim tomonidan berilgan",
                "personal_number": "JShShIR", "title": "PASPORT", "id_title": "ID-KARTA", "visa_title": "VIZA",
                "entries": "Kirishlar soni", "valid_from": "Boshlanishi", "passport": "Pasport"},
               "FA9999999", "AD9999999", "IIV 26283", ("TOSHKENT", "SAMARQAND", "BUXORO", "ANDIJON", "NAMANGAN"),
               _UZ, personal_number="UZB_PINFL"),
        Issuer("TKM", "TURKMENISTAN", "TÜRKMENISTAN", False,
               {"type": "Görnüşi", "code": "Döwlet kody", "number": "Pasport belgisi", "surname": "Familiýasy",
                "given_names": "Ady", "nationality": "Raýatlygy", "birth_date": "Doglan senesi", "sex": "Jynsy",
                "birth_place": "Doglan ýeri", "issue_date": "Berlen senesi", "expiry_date": "Möhleti",
                "authority": "Beren edara", "personal_number": "Şahsy belgisi", "title": "PASPORT",
                "id_title": "ŞAHSYÝETNAMA", "visa_title": "WIZA", "entries": "Giriş sany",
                "valid_from": "Başlanýar", "passport": "Pasport"},
               "A9999999", None, "TDMG", ("AŞGABAT", "MARY", "TÜRKMENABAT", "DAŞOGUZ", "BALKANABAT"), _TM),
        Issuer("AFG", "ISLAMIC REPUBLIC OF AFGHANISTAN", "AFGHANISTAN", False,
               {"type": "Type", "code": "Country code", "number": "Passport No.", "surname": "Surname",
                "given_names": "Given names", "nationality": "Nationality", "birth_date": "Date of birth",
                "sex": "Sex", "birth_place": "Place of birth", "issue_date": "Date of issue",
                "expiry_date": "Date of expiry", "authority": "Authority", "personal_number": "Tazkira No.",
                "title": "PASSPORT", "id_title": "IDENTITY CARD", "visa_title": "VISA", "entries": "Entries",
                "valid_from": "Valid from", "passport": "Passport"},
               "P09999999", None, "PASSPORT DEPT KABUL", ("KABUL", "HERAT", "MAZAR-E-SHARIF", "KANDAHAR", "KUNDUZ"),
               _AF, validity_years=5),
        Issuer("AZE", "REPUBLIC OF AZERBAIJAN", "AZƏRBAYCAN RESPUBLİKASI", False,
               {"type": "Növü", "code": "Dövlətin kodu", "number": "Pasportun nömrəsi", "surname": "Soyadı",
                "given_names": "Adı", "nationality": "Vətəndaşlığı", "birth_date": "Doğum tarixi", "sex": "Cinsi",
                "birth_place": "Doğum yeri", "issue_date": "Verilmə tarixi", "expiry_date": "Etibarlıdır",
                "authority": "Verən orqan", "personal_number": "FİN", "title": "PASPORT",
                "id_title": "ŞƏXSİYYƏT VƏSİQƏSİ", "visa_title": "VİZA", "entries": "Girişlərin sayı",
                "valid_from": "Başlanğıc", "passport": "Pasport"},
               "C99999999", "AA9999999", "DMX / SMS", ("BAKI", "GƏNCƏ", "SUMQAYIT", "LƏNKƏRAN", "ŞƏKİ"), _AZ),
        Issuer("MDA", "REPUBLIC OF MOLDOVA", "REPUBLICA MOLDOVA", False,
               {"type": "Tipul", "code": "Codul statului", "number": "Nr. paşaportului", "surname": "Nume",
                "given_names": "Prenume", "nationality": "Cetăţenia", "birth_date": "Data naşterii", "sex": "Sexul",
                "birth_place": "Locul naşterii", "issue_date": "Data eliberării", "expiry_date": "Data expirării",
                "authority": "Autoritatea", "personal_number": "IDNP", "title": "PAŞAPORT",
                "id_title": "BULETIN DE IDENTITATE", "visa_title": "VIZĂ", "entries": "Intrări",
                "valid_from": "Valabilă de la", "passport": "Paşaport"},
               "AB9999999", "B99999999", "ASP", ("CHIŞINĂU", "BĂLŢI", "CAHUL", "ORHEI", "UNGHENI"), _MD),
    )
}

# ICAO's fictional state: specimen documents only.
UTOPIA = Issuer("UTO", "UTOPIA", "UTOPIA", False, ISSUERS["AFG"].labels, "L9999999", "D99999999",
                "SPECIMEN AUTHORITY", ("ZENITH", "UTOPIA CITY"), _MD)

ENGLISH_LABELS = {
    "type": "Type", "code": "Code of State", "number": "Passport No.", "card_number": "Document No.",
    "surname": "Surname", "given_names": "Given names", "nationality": "Nationality",
    "birth_date": "Date of birth", "sex": "Sex", "birth_place": "Place of birth", "issue_date": "Date of issue",
    "expiry_date": "Date of expiry", "authority": "Authority", "personal_number": "Personal No.",
    "title": "PASSPORT", "id_title": "IDENTITY CARD", "visa_title": "VISA", "entries": "Entries",
    "valid_from": "Valid from", "passport": "Passport No.",
}  # fmt: skip


@dataclass(frozen=True)
class Person:
    surname: str  # as printed (national script)
    given_names: str
    sex: str  # M or F
    birth_date: dt.date
    birth_place: str


def female_surname(surname: str, names: Names) -> str:
    for ending, female in names.female_suffix:
        if surname.endswith(ending):
            return surname[: -len(ending)] + female
    return surname


def make_person(issuer: Issuer, rng: np.random.Generator, today: dt.date) -> Person:
    sex = "F" if rng.random() < 0.4 else "M"
    names = issuer.names
    given = str(rng.choice(names.female_given if sex == "F" else names.male_given))
    surname = str(rng.choice(names.surnames))
    if sex == "F":
        surname = female_surname(surname, names)
    age_days = int(rng.integers(19 * 365, 66 * 365))
    birth = today - dt.timedelta(days=age_days)
    return Person(surname, given, sex, birth, str(rng.choice(issuer.places)))


def fill_pattern(pattern: str, rng: np.random.Generator) -> str:
    """'N99999999' -> 'N04718263': 9 a random digit, L a random letter, others literal."""
    out = []
    for char in pattern:
        if char == "9":
            out.append(str(int(rng.integers(0, 10))))
        elif char == "L":
            out.append(chr(ord("A") + int(rng.integers(0, 26))))
        else:
            out.append(char)
    return "".join(out)


def personal_number(kind: str | None, birth_yymmdd: str, birth_year: int, sex: str, rng: np.random.Generator) -> str:
    """A national personal number that agrees with the date of birth (as the MRZ prints it) and sex."""
    digit = {1800: 1, 1900: 3, 2000: 5}[birth_year // 100 * 100] + (1 if sex == "F" else 0)
    yy, mm, dd = birth_yymmdd[0:2], birth_yymmdd[2:4], birth_yymmdd[4:6]
    if kind == "KAZ_IIN":
        while True:  # a serial whose check digit is 10 twice gives no valid IIN: pick another
            first = yy + mm + dd + str(digit) + f"{int(rng.integers(0, 10000)):04d}"
            check = kaz_iin_check_digit(first)
            if check is not None:
                return first + str(check)
    if kind == "UZB_PINFL":
        first = str(digit) + dd + mm + yy + f"{int(rng.integers(0, 1000000)):06d}"
        return first + check_digit(first)
    return ""
