"""The only caller of Tesseract: finds it, runs it on MRZ lines, maps its failures.

Tesseract comes from the system (Debian's tesseract-ocr); `make` installs it.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from screening.errors import ScreeningError

MRZ_CONFIG = "--psm 7 --oem 1 -c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"


class TesseractError(ScreeningError):
    code = "tesseract_failed"


class TesseractMissingError(TesseractError):
    code = "tesseract_missing"


@lru_cache(maxsize=1)
def version() -> str:
    import pytesseract

    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError:
        raise TesseractMissingError(
            "Tesseract is not installed: on Debian/Ubuntu run `apt-get install tesseract-ocr` (or `make`)."
        ) from None


def read_line(strip: np.ndarray, timeout_s: float = 10.0) -> tuple[str, float]:
    """Text of one MRZ line image (grey, dark print on light paper) and Tesseract's confidence 0..1."""
    import pytesseract

    version()
    try:
        data = pytesseract.image_to_data(strip, lang="eng", config=MRZ_CONFIG, timeout=timeout_s,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError as error:  # pytesseract raises RuntimeError on its timeout
        raise TesseractError(f"Tesseract did not finish in {timeout_s:.0f} s: {error}") from None
    except pytesseract.TesseractError as error:
        raise TesseractError(f"Tesseract failed: {error.message}") from None
    words = [(w, float(c)) for w, c in zip(data["text"], data["conf"]) if w.strip() and float(c) >= 0]
    text = "".join(w for w, _ in words).replace(" ", "")
    confidence = float(np.mean([c for _, c in words])) / 100.0 if words else 0.0
    return text, confidence
