"""The ICAO 7-3-1 check digit (Doc 9303 Part 3, section 4.9)."""

from __future__ import annotations

_WEIGHTS = (7, 3, 1)


def char_value(char: str) -> int:
    """Value of one MRZ character: digits count as themselves, A-Z as 10-35, '<' as 0."""
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"{char!r} is not an MRZ character")


def check_digit(data: str) -> str:
    """The check digit over ``data``, as a one-character string.

    >>> check_digit("L898902C3")
    '6'
    >>> check_digit("740812")
    '2'
    """
    total = sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data))
    return str(total % 10)


def is_digits(text: str) -> bool:
    """Only 0-9. ``str.isdigit`` also takes superscripts and other scripts' digits ('4²', '٣'),
    which ``int`` then refuses or reads as another number."""
    return text.isascii() and text.isdigit()


def is_valid(data: str, digit: str) -> bool:
    return is_digits(digit) and len(digit) == 1 and check_digit(data) == digit
