"""Hypothesis strategies: random valid MRZs of every format."""

import datetime as dt
import string

from hypothesis import strategies as st

from screening.mrz.generate import MRZData, build_lines

from mrz_cases import TODAY

CODES = {"TD1": ["I", "ID", "AC", "C"], "TD2": ["I", "IR", "A"], "TD3": ["P", "PP", "PD"], "MRV-A": ["V", "VB"],
         "MRV-B": ["V", "VC"]}
STATES = ["TJK", "KAZ", "KGZ", "UZB", "TKM", "AFG", "RUS", "MDA", "AZE", "DEU", "FRA", "D", "XXA"]
NAME_WIDTH = {"TD1": 30, "TD2": 31, "TD3": 39, "MRV-A": 39, "MRV-B": 31}

name_part = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=12)


@st.composite
def mrz_data(draw, fmt=None, long_numbers=True):
    fmt = fmt or draw(st.sampled_from(sorted(CODES)))
    longest = 12 if long_numbers and fmt in ("TD1", "TD2") else 9
    number = draw(st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=longest))
    birth = draw(st.dates(min_value=TODAY.replace(year=TODAY.year - 99) + dt.timedelta(days=1), max_value=TODAY))
    expiry = draw(st.dates(min_value=TODAY.replace(year=TODAY.year - 79), max_value=TODAY.replace(year=TODAY.year + 20)))
    surname = draw(name_part)
    given = draw(st.lists(name_part, min_size=0, max_size=3))
    optional_width = {"TD1": 15, "TD2": 7, "TD3": 14, "MRV-A": 16, "MRV-B": 8}[fmt]
    if len(number) > 9:
        optional_width = max(0, optional_width - (len(number) - 9) - 2)
    optional = draw(st.text(alphabet=string.ascii_uppercase + string.digits, max_size=optional_width))
    return MRZData(
        format=fmt,
        document_code=draw(st.sampled_from(CODES[fmt])),
        issuing_state=draw(st.sampled_from(STATES)),
        surname=surname,
        given_names=" ".join(given),
        document_number=number,
        nationality=draw(st.sampled_from(STATES)),
        birth_date=birth,
        sex=draw(st.sampled_from("MF<")),
        expiry_date=expiry,
        optional_data=optional,
        optional_data_2=draw(st.text(alphabet=string.digits, max_size=11)) if fmt == "TD1" else "",
    )


def valid_mrz(fmt=None):
    return mrz_data(fmt).map(lambda data: (data, build_lines(data)))
