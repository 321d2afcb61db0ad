"""Our own reader of the visual zone's printed lines (Latin and Cyrillic): line crops -> text,
per-character confidences, and the probability that a line prints a given string.

A small convolutional network with one output per 4 pixel columns (CTC), trained by
``tools/train_viz.py`` on synthetic lines in many faces (``screening.viz_synth``), shipped as
``models/vizline.onnx`` and run by OpenCV's dnn module, as the MRZ's recogniser is
(``screening.mrz.recognize``). Tesseract stays the reference and the fallback: this reader is
for the fast path, to *confirm* that a line prints a value already known (the MRZ's) with
``score``/``confirms``, not to replace Tesseract's reading of everything else.

    lines = read_lines(zone.clean, [viz.padded(box, zone.clean.shape) for box in zone.boxes])
    lines[0].text, lines[0].confidences
    confirms(lines[0], "ERIKSSON")        # forced alignment of the candidate against the line

A line image is dark print on light paper (the zone's ``clean`` binary image or its grey one);
it is scaled to HEIGHT pixels high, aspect kept, before the network sees it.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from screening.errors import ScreeningError
from screening.text import Text

# The classes after CTC's blank (index 0): what the region's data pages print in their visual
# zones. Latin and Cyrillic letters in both cases, the region's own Cyrillic letters (Kazakh,
# Kyrgyz, Tajik, Uzbek, Ukrainian), the Latin letters with diacritics of Turkmen, Azerbaijani,
# Uzbek, Romanian and of French and Spanish captions, digits and the punctuation of labels,
# dates and numbers. ʻ is Uzbek's o‘/g‘ sign.
LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
DIGITS = "0123456789"
CYRILLIC = ("АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
            "ӘәҒғҚқҢңӨөҰұҮүҺһІіӢӣӮӯҲҳҶҷЎўЄєЇїҐґ")
LATIN_MARKED = "ÇçŞşÄäÖöÜüŽžŇňÝýĞğİıƏəĂăÂâÎîȘșȚțŢţÉéÈèÊêËëÀàÔôÛûÙùÏïÑñÁáÍíÓóÚúŠšČčß"
PUNCTUATION = " .,/-':()№ʻ’"
ALPHABET = LATIN + DIGITS + CYRILLIC + LATIN_MARKED + PUNCTUATION
BLANK = 0  # CTC's "no character here" class; ALPHABET[i] is class i + 1
# The network's input height in pixels: about the pipeline's median line as cut (a 20 px line
# with viz.padded's margin); 32 cost 1.8x the time for no letter that 24 does not show.
HEIGHT = 24
STRIDE = 4  # input columns per output column
MAX_WIDTH = 2048  # a longer crop (no line of a data page is) is cut to this many columns
MODEL_PATH = Path(__file__).parent / "models" / "vizline.onnx"

# Letters that print alike in the faces of data pages: a Cyrillic А and a Latin A, Kazakh Ү and
# Latin Y, Azerbaijani Ə and Kazakh Ә, Romanian Ș and Turkish Ş, the three apostrophes. No picture
# tells them apart, so ``score`` takes either for the other (the network's choice between them is
# a guess from the neighbouring letters).
LOOKALIKES = ("AА", "BВ", "CС", "EЕ", "HН", "KК", "MМ", "OО", "PР", "TТ", "XХ", "YҮ", "IІ", "aа", "cс", "eе",
              "oо", "pр", "xх", "yу", "iі", "hһ", "ƏӘ", "əә", "ËЁ", "ëё", "ÏЇ", "ïї", "ŞȘ", "şș", "ŢȚ", "ţț", "'ʻ’")

_index = {char: i + 1 for i, char in enumerate(ALPHABET)}
_local = threading.local()  # a cv2.dnn network is not safe to share between threads


class ModelMissingError(ScreeningError):
    """The visual zone's line model is not installed with the package."""

    code = "model_missing"


@dataclass(frozen=True)
class LineReading:
    """One line read: the text, each character's confidence (0..1: the largest probability the
    network gave that character in the frames it spans) and the network's per-frame
    log-probabilities, kept so that candidates can be scored against the line later."""

    text: str
    confidences: tuple[float, ...]
    log_probs: np.ndarray  # (frames, 1 + len(ALPHABET)) natural-log probabilities; class 0 is blank

    @property
    def confidence(self) -> float:
        """The least sure character's confidence (1.0 for an empty reading)."""
        return min(self.confidences, default=1.0)


def _network():
    net = getattr(_local, "net", None)
    if net is None:
        if not MODEL_PATH.exists():
            raise ModelMissingError(Text("The visual zone's line model {path} is missing: run tools/train_viz.py.",
                                         path=str(MODEL_PATH)))
        try:
            net = cv2.dnn.readNetFromONNX(str(MODEL_PATH))
        except cv2.error:
            raise ModelMissingError(Text("The visual zone's line model {path} is damaged: reinstall the package.",
                                         path=str(MODEL_PATH))) from None
        _local.net = net
    return net


def check_model() -> None:
    """Load the model once, so that a service can refuse to start without it (ModelMissingError)."""
    _network()


def normalise(crop: np.ndarray) -> np.ndarray | None:
    """A line crop (grey or binary, dark print on light) as the network's input: (HEIGHT, width)
    float32, ink 1, paper 0; None for a crop too small to hold print (under 2 px either way)."""
    if crop.ndim != 2 or crop.shape[0] < 2 or crop.shape[1] < 2:
        return None
    h, w = crop.shape
    width = int(min(MAX_WIDTH, max(STRIDE * 2, round(w * HEIGHT / h))))
    interpolation = cv2.INTER_AREA if h > HEIGHT else cv2.INTER_LINEAR
    small = cv2.resize(crop, (width, HEIGHT), interpolation=interpolation)
    ink = 255.0 - small.astype(np.float32)
    # Paper is the most common level of a line crop (more paper than ink), ink the darkest print:
    # stretched to 0..1 so that grey print on tinted paper looks like the binary crops.
    paper = float(np.median(ink))
    top = max(float(ink.max()), paper + 64.0)
    return np.clip((ink - paper) / (top - paper), 0.0, 1.0)


def log_probabilities(inputs: list[np.ndarray]) -> list[np.ndarray]:
    """Normalised inputs (``normalise``) -> each line's (frames, classes) log-probabilities.

    One network call per line: OpenCV re-plans the network when the input's width changes either
    way, and lines padded into one blob cost as much per line as apart (measured when the network
    was chosen, one thread: 8 lines of 340 columns in one blob 1.76 ms a line, one at a time
    1.76 ms), besides reading the padding."""
    net = _network()
    out = []
    for x in inputs:
        net.setInput(np.ascontiguousarray(x[None, None], dtype=np.float32))
        logits = net.forward()[0, :, 0, :].T  # (frames, classes)
        logits = logits - logits.max(axis=1, keepdims=True)
        out.append((logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))).astype(np.float64))
    return out


def decode(log_probs: np.ndarray) -> tuple[str, tuple[float, ...]]:
    """CTC best path: the most likely class in each frame, repeats merged, blanks dropped; each
    character's confidence is its best frame's probability."""
    if len(log_probs) == 0:
        return "", ()
    best = log_probs.argmax(axis=1)
    p = np.exp(log_probs[np.arange(len(best)), best])
    starts = np.flatnonzero(np.diff(best, prepend=-1) != 0)  # each run of one class
    runs = np.maximum.reduceat(p, starts)
    keep = best[starts] != BLANK
    return ("".join(ALPHABET[k - 1] for k in best[starts][keep]),
            tuple(float(c) for c in runs[keep]))


EMPTY = LineReading("", (), np.zeros((0, len(ALPHABET) + 1)))


def read_lines(image: np.ndarray, boxes) -> list[LineReading]:
    """Each box (x, y, w, h) of a grey image (dark print on light) read as one line of print.

    A box that holds no pixels, or too few to hold print (under 2 px high or wide), reads as
    EMPTY (no text, no frames): one bad box never stops the others."""
    if image.ndim != 2:
        raise ValueError("read_lines takes a grey image (2-D array)")
    inputs, where = [], []
    for i, (x, y, w, h) in enumerate(boxes):
        x0, y0 = max(0, int(x)), max(0, int(y))
        crop = image[y0:max(y0, int(y + h)), x0:max(x0, int(x + w))]
        if (x := normalise(crop)) is not None:
            inputs.append(x)
            where.append(i)
    out = [EMPTY] * len(boxes)
    for i, log_probs in zip(where, log_probabilities(inputs)):
        text, confidences = decode(log_probs)
        out[i] = LineReading(text, confidences, log_probs)
    return out


def read_crops(crops) -> list[LineReading]:
    """Each crop (a grey line image) read as one line (``read_lines`` on separate images)."""
    return [read_lines(crop, [(0, 0, crop.shape[1], crop.shape[0])])[0] if crop.ndim == 2 else EMPTY
            for crop in crops]


# --- Scoring a candidate -------------------------------------------------------------------

def _classes(char: str) -> list[int] | None:
    """The classes that ``char`` may be printed as (itself and its look-alikes), None if none."""
    for group in LOOKALIKES:
        if char in group:
            return [_index[c] for c in group]
    return [_index[char]] if char in _index else None


def _emissions(log_probs: np.ndarray, text: str) -> np.ndarray | None:
    """(frames, len(text)) log-probability of each candidate character in each frame (its
    look-alikes' probabilities added), None if the candidate has a character no class prints."""
    columns = []
    probs = np.exp(log_probs)
    for char in text:
        classes = _classes(char)
        if classes is None:
            return None
        columns.append(np.log(np.maximum(probs[:, classes].sum(axis=1), 1e-300)))
    return np.stack(columns, axis=1) if columns else np.zeros((len(log_probs), 0))


def score(reading: LineReading | np.ndarray, candidate: str, within: bool = False) -> float:
    """The natural log of the probability that the line prints exactly ``candidate`` (CTC's forward
    sum over every alignment of the candidate to the line's frames; look-alike letters count as
    one another). ``within``: the candidate may be part of the line (a value printed beside its
    label): the frames before and after it are left to the network's own best reading.

    -inf when the candidate cannot be aligned (longer than the line's frames allow, or a character
    outside ALPHABET). Compare candidates by their scores; ``confirms`` says whether one is read."""
    log_probs = reading.log_probs if isinstance(reading, LineReading) else np.asarray(reading, np.float64)
    candidate = unicodedata.normalize("NFC", candidate)
    frames, n = len(log_probs), len(candidate)
    if frames == 0 or n == 0:
        return 0.0 if not candidate else float("-inf")
    emit = _emissions(log_probs, candidate)
    if emit is None:
        return float("-inf")
    # The forward recursion in probabilities, each frame's row rescaled to sum 1 (the scales'
    # logs add up to the result): the states are blank/character interleaved (2n + 1), and, for
    # ``within``, one before the candidate and one after it.
    states = 2 * n + 1
    e = np.empty((frames, states))
    e[:, 0::2] = np.exp(log_probs[:, BLANK])[:, None]
    e[:, 1::2] = np.exp(emit)
    skip = np.zeros(states)  # 1 where a character may follow the previous one without a blank between
    skip[3::2] = [candidate[i] != candidate[i - 1] for i in range(1, n)]
    skip = skip[2:]
    free = np.exp(log_probs.max(axis=1))  # a frame outside the candidate, read as the network reads it
    alpha = np.zeros(states)
    alpha[0], alpha[1] = e[0, 0], e[0, 1]
    before = free[0] if within else 0.0
    after = 0.0
    log_scale = 0.0
    for t in range(1, frames):
        new = alpha.copy()
        new[1:] += alpha[:-1]
        new[2:] += alpha[:-2] * skip
        if within:
            new[0] += before
            new[1] += before
            after = (after + alpha[-1] + alpha[-2]) * free[t]
            before *= free[t]
        new *= e[t]
        total = new.sum() + before + after
        if total <= 0.0:
            return float("-inf")
        alpha, before, after = new / total, before / total, after / total
        log_scale += np.log(total)
    end = alpha[-1] + alpha[-2] + after
    return float(np.log(end) + log_scale) if end > 0 else float("-inf")


def best_path_score(reading: LineReading | np.ndarray) -> float:
    """The log-probability of the network's own best path (every frame its likeliest class)."""
    log_probs = reading.log_probs if isinstance(reading, LineReading) else np.asarray(reading)
    return float(log_probs.max(axis=1).sum())


# A candidate is confirmed when its probability is at least e**CONFIRM_MARGIN of the network's own
# best reading's, and at least e**CONFIRM_LEAST itself (a line the network reads unsurely confirms
# nothing). Set from lines in the training faces (benchmarks/viz_ocr.py, part 0; never from the
# held-out faces or real pages; docs/benchmarks.md, "VIZ recogniser"): one-letter alterations of
# 240 lines' texts scored below -8.3 (log P) and -5.8 (margin) in 99% of 720 cases, none above
# both bounds; the true texts' median margin is +0.3, and 91% of them pass both. The bounds sit
# between, nearer the true texts': a line the network misreads is left to Tesseract, never
# confirmed.
CONFIRM_MARGIN = -3.0
CONFIRM_LEAST = -6.0


def confirms(reading: LineReading, candidate: str, within: bool = False) -> bool:
    """Whether the line prints ``candidate`` (``within``: as a part of it, the rest being a label
    or other print beside it)."""
    if not candidate or not reading.text:
        return False
    value = score(reading, candidate, within)
    return value >= CONFIRM_LEAST and value - best_path_score(reading) >= CONFIRM_MARGIN


__all__ = ["ALPHABET", "CONFIRM_LEAST", "CONFIRM_MARGIN", "EMPTY", "LineReading", "ModelMissingError", "check_model", "confirms",
           "decode", "normalise", "read_crops", "read_lines", "score"]
