"""The only caller of Tesseract: finds it, runs it on MRZ lines, maps its failures.

Tesseract comes from the system (Debian's tesseract-ocr); `make` installs it.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from screening.errors import ScreeningError
from screening.text import Text

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
            Text("Tesseract is not installed: on Debian/Ubuntu run `apt-get install tesseract-ocr` (or `make`).")
        ) from None


def read_line(strip: np.ndarray, timeout_s: float = 10.0) -> tuple[str, float]:
    """Text of one MRZ line image (grey, dark print on light paper) and Tesseract's confidence 0..1."""
    import pytesseract

    version()
    try:
        data = pytesseract.image_to_data(strip, lang="eng", config=MRZ_CONFIG, timeout=timeout_s,
                                         output_type=pytesseract.Output.DICT)
    except RuntimeError as error:  # pytesseract raises RuntimeError on its timeout
        raise TesseractError(Text("Tesseract did not finish in {seconds} s: {error}", seconds=f"{timeout_s:.0f}",
                                  error=str(error))) from None
    except pytesseract.TesseractError as error:
        raise TesseractError(Text("Tesseract failed: {error}", error=str(error.message))) from None
    words = [(w, float(c)) for w, c in zip(data["text"], data["conf"]) if w.strip() and float(c) >= 0]
    text = "".join(w for w, _ in words).replace(" ", "")
    confidence = float(np.mean([c for _, c in words])) / 100.0 if words else 0.0
    return text, confidence


# --- Visual zone text: printed lines in English and Russian -----------------------------

TESSDATA_DIRS = ("/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata",
                 "/usr/share/tessdata", "/usr/local/share/tessdata")


@lru_cache(maxsize=1)
def _tessdata() -> str | None:
    for directory in ((os.environ.get("TESSDATA_PREFIX") or "").rstrip("/"),) + TESSDATA_DIRS:
        if directory and os.path.exists(os.path.join(directory, "eng.traineddata")):
            return directory
    return None


def has_language(lang: str) -> bool:
    """Whether Tesseract's data for ``lang`` is installed (the optional national models)."""
    directory = _tessdata()
    return directory is not None and os.path.exists(os.path.join(directory, f"{lang}.traineddata"))


_apis = threading.local()


def _api(lang: str):
    """A tesserocr engine for ``lang``, one per thread (the model loads once), or None without tesserocr."""
    cache = getattr(_apis, "engines", None)
    if cache is None:
        cache = _apis.engines = {}
    if lang not in cache:
        try:
            import tesserocr
        except ImportError:
            cache[lang] = None
        else:
            try:
                api = tesserocr.PyTessBaseAPI(path=(_tessdata() or "") + "/", lang=lang,
                                              psm=tesserocr.PSM.SINGLE_LINE, oem=tesserocr.OEM.LSTM_ONLY)
                api.SetVariable("tessedit_do_invert", "0")
            except RuntimeError as error:
                raise TesseractMissingError(Text("Tesseract's {lang} data could not be loaded: {error} "
                                                 "(apt-get install tesseract-ocr-eng tesseract-ocr-rus)",
                                                 lang=lang, error=str(error))) from None
            cache[lang] = api
    return cache[lang]


# Lines read at once: Tesseract releases the GIL, so a second thread halves a page's wait on two
# cores. Process pools that already use every core (the audit) set 1.
_threads = max(1, min(2, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def set_threads(count: int) -> None:
    global _threads
    _threads = max(1, count)


def threads() -> int:
    return _threads


def _line_pool() -> ThreadPoolExecutor:
    global _pool
    if _pool is None or _pool._max_workers != _threads:
        _pool = ThreadPoolExecutor(_threads, thread_name_prefix="tesseract")
    return _pool


def load(languages: tuple[str, ...]) -> None:
    """Load the engines for ``languages`` now, on every thread that reads lines (this one and the
    pool's), rather than on the first page that needs each (10-70 ms a language and thread)."""
    for lang in languages:
        _api(lang)
    if _threads > 1 and languages and _api(languages[0]) is not None:
        # One task for each of the pool's threads: each waits until all have one.
        each = threading.Barrier(_threads)

        def on_this_thread() -> None:
            each.wait(timeout=30)
            for lang in languages:
                _api(lang)

        for done in [_line_pool().submit(on_this_thread) for _ in range(_threads)]:
            done.result()


def read_text_lines(image: np.ndarray, boxes, lang: str = "eng") -> list[tuple[str, float]]:
    """Text and confidence (0..1) of each single-line box (x, y, w, h) of a grey image (dark text on light)."""
    boxes = list(boxes)
    if _threads > 1 and len(boxes) > 1 and _api(lang) is not None:
        # One task a line, the longest first: each thread takes the next line as it finishes one, so
        # the threads end together (Tesseract's time grows with a line's width over its height: a
        # long label takes 5-10 times a short value). Halving the list by position left one thread
        # idle while the other read the long lines.
        pool = _line_pool()
        order = sorted(range(len(boxes)), key=lambda i: -boxes[i][2] / max(boxes[i][3], 1))
        tasks = {i: pool.submit(_read_lines, image, [boxes[i]], lang) for i in order}
        return [tasks[i].result()[0] for i in range(len(boxes))]
    return _read_lines(image, boxes, lang)


def _raw_line(api) -> str:
    """The image set in ``api`` read as one raw line, without Tesseract's layout analysis: as a
    single line (PSM 7) Tesseract 5.5 returns nothing for some clear, bold lines (seen on names
    of photographed visas) whose blobs its analysis drops; read raw they come out right."""
    import tesserocr

    api.SetPageSegMode(tesserocr.PSM.RAW_LINE)
    try:
        return (api.GetUTF8Text() or "").strip()
    finally:
        api.SetPageSegMode(tesserocr.PSM.SINGLE_LINE)


def _read_lines(image: np.ndarray, boxes, lang: str) -> list[tuple[str, float]]:
    api = _api(lang)
    out: list[tuple[str, float]] = []
    if api is not None:
        for x, y, w, h in boxes:
            # Each line as its own image, passed as raw bytes: with SetRectangle on the whole
            # image Tesseract re-converts the whole image for every line, and a PIL image goes
            # through a BMP encoder (together measured: a sixth of a page's reading).
            crop = np.ascontiguousarray(image[int(y):int(y + h), int(x):int(x + w)], dtype=np.uint8)
            if crop.size == 0:
                out.append(("", 0.0))
                continue
            pixels = crop.tobytes()  # Tesseract does not copy it: kept alive until the text is read
            api.SetImageBytes(pixels, crop.shape[1], crop.shape[0], 1, crop.shape[1])
            text = (api.GetUTF8Text() or "").strip()
            if not text:
                text = _raw_line(api)
            out.append((text, max(0.0, float(api.MeanTextConf())) / 100.0))
        return out
    import pytesseract  # slower: one process per line

    version()
    for x, y, w, h in boxes:
        crop = image[int(y):int(y + h), int(x):int(x + w)]
        try:
            data = pytesseract.image_to_data(crop, lang=lang, config="--psm 7 --oem 1", timeout=10,
                                             output_type=pytesseract.Output.DICT)
        except (RuntimeError, pytesseract.TesseractError) as error:
            raise TesseractError(Text("Tesseract failed: {error}", error=str(error))) from None
        words = [(t, float(c)) for t, c in zip(data["text"], data["conf"]) if t.strip() and float(c) >= 0]
        out.append((" ".join(t for t, _ in words), float(np.mean([c for _, c in words])) / 100 if words else 0.0))
    return out
