"""The visual zone stage: the printed lines above the MRZ found, and read as far as comparing them
with the MRZ needs, into plain evidence (screening.models.VizEvidence) for the visual zone check
(screening.checks.viz), which only compares.

The reading is lazy, for speed: the data lines likeliest to print the fields are read first, a
few at a time, and a field whose MRZ value one of them prints verbatim needs nothing more; once
every field is found, the rest of the page is not read. Only what is not found costs reading
labels, and only a line that differs costs second readings (closer, in other models) and our
recogniser's opinion. Which of those a difference needs is what the comparison's own rules decide,
so the stage runs them on the zone as it reads (``screening.checks.viz.compare``) and keeps every
reading they asked for; the check runs them again on the evidence alone.

Only the errors of reading are caught (Tesseract's, OpenCV's, a zone that cannot be placed):
the evidence says why nothing could be read. Anything else is a bug and propagates.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re

import cv2
import numpy as np

from screening import raster, tesseract, viz, viz_ocr
from screening.checks.registry import CheckContext, Settings
from screening.checks.viz import agreeing, canonical_number, compare, expected_values, value_text
from screening.models import (MRZRead, VizEvidence, VizFailure, VizLine, VizLineRead, VizReading, VizRecognition,
                              VizReread)
from screening.text import text_of

# Why a line was read (VizLineRead.why), in the order the stage reads.
WHY = {
    "labelled": "a data line under a label, read for a field's MRZ value printed verbatim",
    "fitting": "a data line under no label, wide enough to print a field still missing",
    "label": "small print (a label) above or beside a line that might print a field still in question",
    "comparison": "asked by the comparison: a line beside a name, or the rest of the page once nothing differed",
    "overprint": "a line left unread where our recogniser may read a specimen mark (SPECIMEN, SAMPLE, ОБРАЗЕЦ)",
}


def read_visual_zone(page: np.ndarray, read: MRZRead, *, today: dt.date, settings: Settings) -> VizEvidence:
    """The visual zone of ``page`` (grey, as loaded; ``read.quarter_turns`` brings it upright), read
    as far as comparing it with ``read``'s MRZ needs. For an MRZ read from an image (``read.region``)."""
    parsed = read.parsed
    expected = expected_values(parsed)
    compared = [key for key in expected if expected[key]]
    why: dict[int, str] = {}
    try:
        # A page the hand shook is read with the shake undone (the MRZ shows it: raster.shaken).
        blur = raster.shaken(page, read.region) if read.region is not None else None
        steady = page if blur is None else raster.deblurred(page, blur)
        zone = viz.locate(steady, read.quarter_turns, read.region, len(parsed.lines[0]))
        # Fast path: the lines under a label (every field has one), then the other lines wide
        # enough to print a missing value, often show every MRZ value verbatim. Only what is not
        # found there costs reading labels (and only then can a field disagree).
        labelled = sorted(zone.labelled()) or zone.value_like()
        agreed = _find_printed(zone, labelled, expected)
        _note(zone, why, "labelled")
        missing = {key: expected[key] for key in expected if expected[key] and key not in agreed}
        if missing:
            fitting = [i for i in zone.value_like() if i not in labelled
                       and any(_could_fit(zone.boxes[i], key, value) for key, value in missing.items())]
            agreed = _find_printed(zone, labelled + fitting, expected)
            _note(zone, why, "fitting")
        missing = {key: expected[key] for key in expected if expected[key] and key not in agreed}
        if missing:
            agreed = {**_read_closer(zone, agreed, missing), **agreed}
            missing = {key: value for key, value in missing.items() if key not in agreed}
        if missing and (faint := zone.fainter()) is not None:
            agreed = {**_find_faint(faint, agreed, missing), **agreed}
            missing = {key: value for key, value in missing.items() if key not in agreed}
        read_so_far = [i for i in zone.value_like() if zone.is_read(i)]
        # Fewer lines printed larger than the labels than fields to compare: values are printed in the
        # labels' size too (beside them, "Surname: ERIKSSON"), so every small line is read.
        in_question = (None if len(zone.value_like()) < len(compared)
                       else _in_question(zone, read_so_far, agreed, missing))
        full = (zone.reading(in_question, read_so_far, visa=parsed.format.startswith("MRV")) if missing else None)
        _note(zone, why, "label")
        # The comparison's rules, on the zone as it is read: the second readings and the recogniser's
        # verdicts they ask for (only where a line differs), and the rest of the page once nothing
        # surely differs, are read now and kept. Their findings are the check's to make.
        live = _Live(zone)
        for _ in compare(CheckContext(parsed, today, settings, read), live, expected, dict(agreed), full):
            pass
        _note(zone, why, "comparison")
        _look_for_overprint(zone)
        _note(zone, why, "overprint")
    except viz.NotReadable as reason:
        return VizEvidence(VizFailure("not_readable", text_of(reason)))
    except viz.ReadingFailed as failed:  # a line the comparison could not do without (beside a name)
        return _failure(failed.__cause__)
    except (tesseract.TesseractError, cv2.error) as error:
        return _failure(error)
    return _evidence(zone, live, why, agreed, full, blur)


def _failure(error) -> VizEvidence:
    if isinstance(error, tesseract.TesseractError):
        return VizEvidence(VizFailure("tesseract", text_of(error)))
    # An image OpenCV cannot cut or scale (degenerate outline, empty crop).
    return VizEvidence(VizFailure("opencv", error=type(error).__name__))


def _note(zone, why: dict[int, str], step: str) -> None:
    """The lines read since the last step: read by ``step``."""
    for i in range(len(zone.boxes)):
        if i not in why and zone.is_read(i):
            why[i] = step


def _evidence(zone, live: "_Live", why: dict[int, str], agreed: dict, full: VizReading | None,
              blur: raster.MotionBlur | None) -> VizEvidence:
    read = [i for i in range(len(zone.boxes)) if zone.is_read(i)]
    lines = tuple(VizLineRead(i, line, zone.read_by.get(i, "tesseract"), why[i])
                  for i, line in zip(read, zone.read(read)))
    rereads = [VizReread(box, lang, scale, text, confidence)
               for (box, lang, scale), (text, confidence) in zone.second_readings().items()]
    rereads += [again for key, again in live.failed_again.items() if key not in zone.second_readings()]
    return VizEvidence(boxes=tuple(zone.boxes), value_like=tuple(zone.value_like()), lines=lines, agreed=agreed,
                       reading=full, rereads=tuple(rereads), recognitions=tuple(live.recognised.values()),
                       failed_lines=tuple(sorted(live.failed_lines)),
                       motion_blur=None if blur is None else (blur.length, blur.angle_deg))


class _Live:
    """The zone as the comparison's rules ask it (as ``screening.checks.viz.Recorded`` answers from
    the evidence): a reading that fails is ``viz.ReadingFailed``, and our recogniser's verdicts
    are kept."""

    def __init__(self, zone: viz.VisualZone):
        self.zone = zone
        self.boxes = zone.boxes
        self.failed_lines: set[int] = set()
        self.failed_again: dict[tuple, VizReread] = {}
        self.recognised: dict[tuple, VizRecognition] = {}

    def value_like(self) -> list[int]:
        return self.zone.value_like()

    def is_read(self, index: int) -> bool:
        return self.zone.is_read(index)

    def lines_read(self) -> list[VizLine]:
        return self.zone.lines_read()

    def read(self, indices) -> list[VizLine]:
        indices = list(indices)
        try:
            return self.zone.read(indices)
        except (tesseract.TesseractError, cv2.error) as error:
            self.failed_lines.update(i for i in indices if not self.zone.is_read(i))
            raise viz.ReadingFailed(indices) from error

    def reread(self, line: VizLine, lang: str = "eng", scale: float = 1.5) -> VizLine:
        try:
            return self.zone.reread(line, lang, scale)
        except (tesseract.TesseractError, cv2.error) as error:
            self.failed_again[(line.box, lang, scale)] = VizReread(line.box, lang, scale, failed=True)
            raise viz.ReadingFailed(line.box) from error

    def recognise(self, line: VizLine, printed: str, mrz: str) -> VizRecognition:
        key = (line.box, printed, mrz)
        if key not in self.recognised:
            self.recognised[key] = recognition(self.zone.clean, line, printed, mrz)
        return self.recognised[key]


def recognition(clean: np.ndarray, line: VizLine, printed: str, mrz: str) -> VizRecognition:
    """Our recogniser's reading of ``line`` in ``clean`` (the zone's cleaned print), whether it
    confirms ``printed`` and how much less likely it makes ``mrz`` than its own best reading
    (screening.checks.viz._recognised_difference weighs them). Without the model, a reading of
    nothing (recorded like any other, so that the check finds what the stage was asked)."""
    try:
        (reading,) = viz_ocr.read_lines(clean, [viz.padded(line.box, clean.shape)])
    except viz_ocr.ModelMissingError as error:
        _model_missing(str(error))
        reading = None
    if reading is None or not reading.text:  # it read nothing: it settles nothing, and nothing is scored
        return VizRecognition(line.box, printed, mrz, "", False, 0.0)
    margin = viz_ocr.score(reading, mrz, within=True) - viz_ocr.best_path_score(reading)
    return VizRecognition(line.box, printed, mrz, reading.text, bool(viz_ocr.confirms(reading, printed, within=True)),
                          float(margin))


CHAR_WIDTH = viz.CHAR_WIDTH  # a printed value's width per character over its height


def _find_printed(zone, candidates: list[int], expected: dict[str, str]) -> dict[str, viz.TextLine]:
    """The fields whose MRZ value a data line prints verbatim, reading the likeliest lines first
    (one per Tesseract thread at a time) and stopping once every field is found.

    Each line costs Tesseract a few milliseconds, and a page prints more lines than the six
    fields (titles, places, authorities). Likeliest: a line printed under a label (Doc 9303
    labels every field; titles have none), and whose width fits a missing field's value."""
    labelled = zone.labelled()
    _confirm_quickly(zone, candidates, expected)
    found = agreeing(zone.read([i for i in candidates if zone.is_read(i)]), expected)
    while True:
        missing = {key: value for key, value in expected.items() if value and key not in found}
        unread = [i for i in candidates if not zone.is_read(i)]
        if not missing or not unread:
            return found
        zone.read(_likeliest(zone, unread, labelled, missing, tesseract.threads()))
        found = agreeing(zone.read([i for i in candidates if zone.is_read(i)]), expected)


# A line our own recogniser read with every character at this confidence or more, printing a
# field's MRZ value verbatim (agreeing's strict rule), agrees without Tesseract reading it. On the
# trust benchmark's 320 generated pages (seed 12, every family) the recogniser found 1476 such
# agreements, none on a field a defect had altered and none where Tesseract's reading passed a
# different value; 5 % of them had a character below 0.52, and a lower floor than that is not
# taken on trust: such lines go to Tesseract, as every line that agrees with nothing does.
QUICK_SURE = 0.5


log = logging.getLogger("screening.viz")


@functools.lru_cache(maxsize=1)
def _model_missing(message: str) -> None:
    log.warning("%s Tesseract reads every line of the visual zone (slower; screening doctor says more).", message)


def _confirm_quickly(zone, candidates: list[int], expected: dict[str, str]) -> None:
    """The candidate lines our own recogniser reads as printing a field's MRZ value verbatim are
    taken as read (``VisualZone.accept``): Tesseract, five times slower a line, reads only the
    rest. Whatever does not agree here goes the careful way unchanged."""
    unread = [i for i in candidates if not zone.is_read(i)]
    try:
        read = zone.quick_read(unread)
    except viz_ocr.ModelMissingError as error:  # an install without the model: Tesseract reads every line
        _model_missing(str(error))
        return
    quick = [(i, line) for i, line in zip(unread, read) if line.confidence >= QUICK_SURE]
    if not quick:
        return
    found = agreeing([line for _, line in quick], expected)
    by_box = {line.box: i for i, line in quick}
    for line in found.values():
        if line.box in by_box:  # (a date joined from cells is left to Tesseract's reading of them)
            zone.accept(by_box[line.box])


# A specimen overprint (SPECIMEN, SAMPLE, ОБРАЗЕЦ) is printed large, over or beside the data; once the
# fields are compared, the value-sized lines left unread are looked at by our recogniser (about a
# millisecond a line), and those where it reads a mark's word but for a letter (two in the longer
# words: its reading of large, faint or crossed print is rough) are read by Tesseract, in English and
# Russian as labels are. The specimen check judges Tesseract's reading; a word that only looks like a
# mark (SIMPLE) costs a line's reading, never a finding.
_MARKS = tuple((mark, 1 if len(mark) <= 6 else 2)
               for mark in dict.fromkeys(viz.fold(word).replace(" ", "") for word in viz.SPECIMEN_WORDS))


def _look_for_overprint(zone) -> None:
    unread = [i for i in zone.value_like() if not zone.is_read(i)]
    if not unread:
        return
    try:
        quick = zone.quick_read(unread)
    except viz_ocr.ModelMissingError as error:  # Tesseract reads no more lines than the fields needed
        _model_missing(str(error))
        return
    maybe = [i for i, line in zip(unread, quick) if may_print_a_mark(line.text)]
    if maybe:
        zone.read_as_labels(maybe)


def may_print_a_mark(text: str) -> bool:
    """Does ``text`` (a rough reading) hold a specimen mark's word but for a letter or two?"""
    letters = viz.fold(text).replace(" ", "")
    return any(viz.edits(mark, letters, within=True) <= allowed for mark, allowed in _MARKS)


# Lines read a second time, closer (twice the size, from the grey image), per field still missing:
# blur and low resolution misread one character of a line that prints the MRZ's value. Only a line
# read within CLOSER_EDITS characters of the value is worth it: the 12 fields this found on the
# tuning set (350 pages) and the real development set had first readings 1 to 3 characters off
# ("SHOHRLAH", "18-08-1966" for 19.08.1966, "DO" for DOINA); the other lines it read (on real pages
# about one in ten of the stage's time) were other fields, titles and places.
CLOSER_LINES = 2
CLOSER_EDITS = 3


def _misread_by(key: str, value: str, text: str) -> int:
    """How many characters ``text`` would have to be misread by to be ``value`` (an MRZ value;
    dates as YYMMDD): letters and digits compared, a date by its day, month and year."""
    if key in ("birth_date", "expiry_date"):
        printed = viz.yymmdd(text)
        if printed is not None:
            return viz.edits(printed, value)
        digits = re.sub(r"\D", "", text)  # no date read: its digits against DDMMYY (a year's century aside)
        if len(digits) >= 8:
            digits = digits[:4] + digits[-2:]
        return viz.edits(digits, value[4:6] + value[2:4] + value[0:2])
    plain = viz.edits(viz.alnum(text).upper(), viz.alnum(value.replace("<", " ")).upper())
    if key == "document_number":  # its digits misread as look-alike letters (A8874658 as ASBTAGSS)
        return min(plain, viz.edits(canonical_number(text), canonical_number(value)))
    return plain


def _read_closer(zone, agreed: dict, missing: dict[str, str]) -> dict[str, viz.TextLine]:
    """The missing fields whose MRZ value a line prints verbatim when read again closer: for each,
    the CLOSER_LINES read lines of a fitting width that might print it (misread, not yet used)."""
    taken = {line.box for line in agreed.values()}
    read = [i for i in zone.value_like() if zone.is_read(i) and zone.boxes[i] not in taken]
    again: list[int] = []
    for key, value in missing.items():
        lines = zone.read(read)
        fitting = [i for i, line in zip(read, lines) if _could_fit(zone.boxes[i], key, value)
                   and (_could_print(key, value, value_text(line.text)) or _number_as_letters(key, line.text))
                   and _misread_by(key, value, value_text(line.text)) <= CLOSER_EDITS]
        fitting.sort(key=lambda i: _misfit(zone.boxes[i], {key: value}))
        again.extend(i for i in fitting[:CLOSER_LINES] if i not in again)
    if not again:
        return {}
    closer = [zone.reread(line, scale=2.0) for line in zone.read(again)]
    return agreeing(closer, missing)


def _find_faint(faint, agreed: dict, missing: dict[str, str]) -> dict[str, viz.TextLine]:
    """The missing fields whose MRZ value a data line of ``faint`` (the zone found again in its faint
    print, ``viz.VisualZone.fainter``) prints verbatim, as our recogniser reads it (QUICK_SURE).
    Only agreement is taken from it: its lines may join a label to its value, so a line that
    differs is the first zone's to judge. Our recogniser alone reads them (a millisecond a line):
    Tesseract's readings of them too found 4 more fields on the tuning set of
    tools/diagnose_recall.py (2027 -> 2031 of 2100) for 2.4 s instead of 0.4 over the 46 real-dev pages."""
    taken = {line.box for line in agreed.values()}
    candidates = [i for i in faint.value_like() if faint.boxes[i] not in taken
                  and any(_could_fit(faint.boxes[i], key, value) for key, value in missing.items())]
    _confirm_quickly(faint, candidates, missing)
    return agreeing(faint.read([i for i in candidates if faint.is_read(i)]), missing)


def _number_as_letters(key: str, text: str) -> bool:
    """A document number read with every digit as a look-alike letter (no digit left): worth a closer
    reading where it is read within CLOSER_EDITS of the number, look-alikes taken for one another."""
    return key == "document_number" and viz.yymmdd(text) is None and not re.search(r"\d", text)


def _in_question(zone, candidates: list[int], agreed: dict, missing: dict[str, str]) -> set[int]:
    """The value lines that might print a field not yet found: only their labels need reading."""
    taken = {line.box for line in agreed.values()}
    if {"surname", "given_names"} & set(missing):
        # A name whose label was not read is found next to the other name's (_names_by_order).
        taken -= {agreed[key].box for key in ("surname", "given_names") if key in agreed}
    lines = zone.read(candidates)
    return {i for i, line in zip(candidates, lines) if line.box not in taken
            and any(_could_print(key, value, value_text(line.text)) for key, value in missing.items())}



def _could_print(key: str, value: str, text: str) -> bool:
    """Might this text be ``key``'s value, misread or altered? (Not: a title or a place for a
    date, a date for a number.)"""
    letters = len(re.findall(r"[^\W\d_]", text))
    digits = len(re.findall(r"\d", text))
    if key in ("surname", "given_names"):
        return letters >= 2 and digits < 2
    if key == "document_number":
        return digits >= 1 and abs(len(viz.alnum(text)) - len(value)) <= 3 and viz.yymmdd(text) is None
    if key == "sex":
        return 1 <= len(viz.alnum(text)) <= 3
    return viz.yymmdd(text) is not None or 4 <= digits <= 8  # a date


def _likeliest(zone, unread: list[int], labelled: set[int], missing: dict[str, str], count: int) -> list[int]:
    """``count`` lines to read next: each missing field's likeliest line in turn."""
    ranked = [sorted(unread, key=lambda i: (i not in labelled, _misfit(zone.boxes[i], {key: value})))
              for key, value in missing.items()]
    chosen: list[int] = []
    while len(chosen) < min(count, len(unread)):
        for ranking in ranked:
            best = next((i for i in ranking if i not in chosen), None)
            if best is not None and len(chosen) < count:
                chosen.append(best)
    return chosen


def _misfit(box, missing: dict[str, str]) -> float:
    """How far a line's width is from that of the closest-fitting missing field's value (0: exactly),
    the value's width taken from a common sans-serif's character widths (``_ADVANCE``)."""
    _, _, width, height = box
    return min(abs(math.log(width / max(height, 1) / _shape(key, value))) for key, value in missing.items())


# Advance widths of capitals, digits and marks over the capitals' height, from the standard metrics
# of Helvetica (Adobe's core fonts; widths per 1000 units, capitals 718 high): a wide 'M' or 'W'
# and a narrow 'I' tell names of the same length apart. Other faces differ, the proportions less.
_ADVANCE = {**dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", (667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
                                                      722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611))),
            **{digit: 556 for digit in "0123456789"}, " ": 278, ".": 278, "-": 333, "/": 278, "'": 191}


def _shape(key: str, value: str) -> float:
    """A printed value's width over its height: dates as 12.08.1974, the others as the MRZ spells them."""
    text = "12.08.1974" if key in ("birth_date", "expiry_date") else value
    return sum(_ADVANCE.get(char, 600) for char in text) / 718


def _could_fit(box, key: str, value: str) -> bool:
    """Is a line wide enough, and not too wide, to print ``value`` (at 0.4-1.3 of ``CHAR_WIDTH``
    a character, in any of the lengths it is printed in)?"""
    _, _, width, height = box
    if key in ("birth_date", "expiry_date"):
        lengths = range(6, 17)  # 120874 ... 12 AUG/AOÛT 1974
    elif key == "sex":
        lengths = range(1, 4)
    else:
        lengths = range(max(1, len(value) - 2), len(value) + 3)
    per_char = width / max(height, 1) / CHAR_WIDTH
    return any(0.4 <= per_char / n <= 1.3 for n in lengths)


