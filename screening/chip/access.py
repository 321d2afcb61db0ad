"""The chip's access key, from the MRZ's document number, birth date and expiry date.

Doc 9303 Part 11 §9.7.2: MRZ_information is the document number, birth date and expiry date,
each followed by its check digit. BAC's K_seed is the first 16 bytes of SHA-1 of it; PACE's
password with the MRZ is the whole SHA-1 (§9.7.3), from which PACE derives K_pi.

A document number longer than 9 characters (TD1 and TD2 cards) is written in the MRZ as its
first 9 characters, '<' where the check digit would be, and the remaining characters and the
real check digit at the start of the optional data. The key uses the full number and the
check digit of the full number (Part 11 D.2, Part 5 4.2.4).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from screening.chip import kdf
from screening.mrz.checkdigit import check_digit, is_digits


@dataclass(frozen=True)
class AccessKey:
    document_number: str  # the full number, '<' fillers of a short number allowed at its end
    birth_date: str  # YYMMDD
    expiry_date: str  # YYMMDD

    def __post_init__(self):
        for name in ("birth_date", "expiry_date"):
            value = getattr(self, name)
            if len(value) != 6 or not is_digits(value):
                raise ValueError(f"{name} must be YYMMDD, not {value!r}")
        number = self.document_number.upper()
        if not number or not all(c == "<" or c.isascii() and c.isalnum() for c in number):
            raise ValueError(f"document number {self.document_number!r} has characters an MRZ cannot hold")
        object.__setattr__(self, "document_number", number)

    @classmethod
    def from_parsed(cls, parsed) -> AccessKey:
        """The key of a parsed MRZ (screening.mrz.parse): its whole document number (a long TD1/TD2
        number with its run-on part, as parse._document_number joins it), birth and expiry as
        printed. ValueError when the MRZ does not hold them readably."""
        return cls(parsed.document_number, parsed.raw.get("birth_date", ""), parsed.raw.get("expiry_date", ""))

    @classmethod
    def from_mrz_lines(cls, lines: list[str] | tuple[str, ...]) -> AccessKey:
        """The key from a whole MRZ: TD1 (3 x 30), TD2 (2 x 36) or TD3 (2 x 44), parsed by the
        one parser of the layouts."""
        from screening.mrz.parse import parse

        return cls.from_parsed(parse([line.strip() for line in lines]))

    @property
    def padded_number(self) -> str:
        # A number shorter than the 9-character field keeps its '<' fillers (L898902C<).
        return self.document_number.ljust(9, "<")

    @property
    def mrz_information(self) -> str:
        number = self.padded_number
        return (number + check_digit(number) + self.birth_date + check_digit(self.birth_date)
                + self.expiry_date + check_digit(self.expiry_date))

    @property
    def k_seed(self) -> bytes:
        return hashlib.sha1(self.mrz_information.encode("ascii")).digest()[:16]

    @property
    def bac_keys(self) -> tuple[bytes, bytes]:
        """(K_enc, K_mac) of Basic Access Control: two-key 3DES with parity bits set."""
        seed = self.k_seed
        return kdf.derive_key(seed, kdf.COUNTER_ENC, kdf.TDES), kdf.derive_key(seed, kdf.COUNTER_MAC, kdf.TDES)

    @property
    def pace_password(self) -> bytes:
        """K = SHA-1(MRZ_information), PACE's shared secret before K_pi = KDF_pi(K)."""
        return hashlib.sha1(self.mrz_information.encode("ascii")).digest()
