"""Issuing-state and nationality codes an MRZ may carry (Doc 9303 Part 3, section 5).

ISO 3166-1 alpha-3 comes from pycountry (a maintained copy of the ISO tables); the
codes ICAO adds on top of it are listed here with their meaning.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

from screening.text import Text

# Doc 9303 Part 3, 5.1-5.2: codes that are not ISO 3166-1 alpha-3 but are valid in an MRZ.
ICAO_CODES = {
    "D": "Germany (one-letter code, written D<<)",
    "EUE": "European Union",
    "UNO": "United Nations Organization",
    "UNA": "specialized agency of the United Nations",
    "UNK": "United Nations Interim Administration Mission in Kosovo",
    "RKS": "Kosovo (used by some states)",
    "XOM": "Sovereign Military Order of Malta",
    "XPO": "INTERPOL",
    # Printed on INTERPOL's own travel documents (seen on its published specimen).
    "INP": "INTERPOL travel document",
    "XXA": "stateless person",
    "XXB": "refugee (1951 Convention)",
    "XXC": "refugee (other)",
    "XXX": "unspecified nationality",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "XBA": "African Development Bank",
    "XIM": "African Export-Import Bank",
    "XCC": "Caribbean Community (CARICOM)",
    "XCE": "Council of Europe",
    "XCO": "Common Market for Eastern and Southern Africa",
    "XEC": "Economic Community of West African States",
    "XES": "Organisation of Eastern Caribbean States",
    "XMP": "Parliamentary Assembly of the Mediterranean",
    "XDC": "Southern African Development Community",
    "UTO": "Utopia (ICAO's fictional state of specimen documents)",
    "ANT": "Netherlands Antilles (deprecated)",
    "NTZ": "Neutral Zone (deprecated)",
}

# Codes whose documents are samples, not documents of a person.
SPECIMEN_STATES = {"UTO": Text("ICAO's fictional Utopia")}
# Codes that no state issues documents under: only ever a nationality.
NATIONALITY_ONLY = {"XXA", "XXB", "XXC", "XXX"}


@lru_cache(maxsize=1)
def _iso_alpha3() -> dict[str, str]:
    return {country.alpha_3: country.name for country in pycountry.countries}


def state_name(code: str) -> str | None:
    """What a state code stands for, or None when it is not a valid MRZ code."""
    code = code.replace("<", "")
    return _iso_alpha3().get(code) or ICAO_CODES.get(code)


def alpha2(code: str) -> str | None:
    """The ISO 3166-1 two-letter code of an MRZ state code, as certificates name countries
    (``C=``); None for codes no single country stands behind (UNO, XXA, UTO...)."""
    code = code.replace("<", "")
    if code == "D":
        return "DE"
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    return country.alpha_2 if country is not None else None
