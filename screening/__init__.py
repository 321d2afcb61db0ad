"""screening: offline screening of travel documents (ICAO Doc 9303 machine readable zones).

>>> from screening import check_mrz_text
>>> result = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
...                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
>>> result.verdict, result.mrz.parsed.surname
('review', 'ERIKSSON')
"""

from screening.checks import Settings
from screening.models import Finding, ParsedMRZ, Result
from screening.pipeline import check_mrz_text, screen_file

__all__ = ["Finding", "ParsedMRZ", "Result", "Settings", "check_mrz_text", "screen_file"]
__version__ = "0.1.0"
