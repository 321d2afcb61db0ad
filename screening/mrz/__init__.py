"""The MRZ: layouts, check digits, parsing (and, with the reader, locating and recognising)."""

from screening.mrz.checkdigit import check_digit
from screening.mrz.parse import normalize_text, parse

__all__ = ["check_digit", "normalize_text", "parse"]
