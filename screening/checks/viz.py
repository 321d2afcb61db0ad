"""MRZ against the visual zone: the page prints the same name, number, dates and sex as the MRZ;
and no SPECIMEN overprint.

Only for MRZs read from an image (typed MRZs yield nothing). The reading is the visual zone
stage's (screening.viz_stage, its evidence on ``CheckContext.viz``): fast where the page agrees
(a field whose MRZ value a data line prints verbatim passes without its label being read; once
every field has passed, the rest of the page is not read, and the specimen check says how many
lines it saw). This check only compares. Conservative where it may not: a field disagrees
(alert) only when its value was found (under its label, or by the rules of a travel document's
layout when the label could not be read), read clearly or confirmed by a second reading, and
differs beyond OCR noise; whatever could not be read is a skip with the reason, never an alarm.
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import functools
import re

from screening import viz, viz_ocr
from screening.checks.registry import CheckContext, CheckSpec, check
from screening.checks.validity import age_on
from screening.models import ALERT, FAIL, REVIEW, Finding
from screening.mrz.formats import name_text
from screening.mrz.transliterate import spellings, transliterate
from screening.text import Join, Text

CONFIRMED_READ = 0.7  # mean confidence of two readings that agree on a difference
# OCR look-alikes: one class per group, so "O" against "0" is noise, not a difference.
_CANON = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "B": "8", "S": "5", "Z": "2",
                        "G": "6", "T": "7", "A": "4"})
_CYRILLIC_LOOKALIKE = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")

# The fields compared, as the messages name them ("the date of birth differs"), translatable.
FIELD_NAMES = {key: name_text(key) for key in ("surname", "given_names", "document_number", "birth_date",
                                               "expiry_date", "sex")}


@check(
    CheckSpec("viz.surname", ALERT, "The surname printed on the page agrees with the MRZ (ICAO transliteration)"),
    CheckSpec("viz.given_names", ALERT, "The given names printed on the page agree with the MRZ (ICAO transliteration)"),
    CheckSpec("viz.document_number", ALERT, "The document number printed on the page agrees with the MRZ"),
    CheckSpec("viz.birth_date", ALERT, "The date of birth printed on the page agrees with the MRZ"),
    CheckSpec("viz.expiry_date", ALERT, "The date of expiry printed on the page agrees with the MRZ"),
    CheckSpec("viz.sex", ALERT, "The sex printed on the page agrees with the MRZ"),
    CheckSpec("viz.specimen_overprint", REVIEW, "No SPECIMEN / ОБРАЗЕЦ / SAMPLE overprint on the page"),
)
def visual_zone(ctx: CheckContext):
    evidence = ctx.viz
    if evidence is None:
        return  # typed MRZ: no page to compare with (the visual zone stage ran only on a page)
    expected = expected_values(ctx.parsed)
    compared = [key for key in expected if expected[key]]
    failure = evidence.failure
    if failure is not None and failure.kind == "not_readable":
        yield ctx.skipped("viz.document_number", "The visual zone could not be compared with the MRZ: {reason}. Not "
                                                 "compared: {names}; compare them by eye.", list(compared), REVIEW,
                          reason=failure.reason, names=_names_of(compared))
    elif failure is not None and failure.kind == "tesseract":
        yield ctx.skipped("viz.document_number", "The visual zone could not be read: {reason}. Not compared: "
                                                 "{names}; compare them by eye.", list(compared), REVIEW,
                          reason=failure.reason, names=_names_of(compared))
    elif failure is not None:  # an image OpenCV cannot cut or scale (degenerate outline, empty crop)
        yield ctx.skipped("viz.document_number", "The visual zone could not be read ({error}). Not compared: "
                                                 "{names}; compare them by eye.", list(compared), REVIEW,
                          error=failure.error, names=_names_of(compared))
    else:
        yield from compare(ctx, Recorded(evidence), expected, dict(evidence.agreed), evidence.reading)


def expected_values(parsed) -> dict[str, str]:
    """Each compared field's MRZ value as the page would print it ('' for a field not compared)."""
    number = parsed.document_number  # a long TD1/TD2 number with its run-on part (parse._document_number)
    expected = {"surname": parsed.surname, "given_names": parsed.given_names, "document_number": number,
                "birth_date": parsed.raw.get("birth_date", ""), "expiry_date": parsed.raw.get("expiry_date", ""),
                "sex": parsed.sex}
    # Fields the MRZ does not state are not compared, harmlessly (docs/checks.md): a date of fillers
    # (no expiry), an unspecified sex ('<': the page prints X, or nothing).
    for key in ("birth_date", "expiry_date"):
        if not re.fullmatch(r"\d{6}", expected[key]):
            expected[key] = ""
    if expected["sex"] == "<":
        expected["sex"] = ""
    return expected


def compare(ctx: CheckContext, zone, expected: dict[str, str], agreed: dict, full):
    """The findings of the visual zone against the MRZ: ``agreed``, the fields a data line printed
    verbatim; ``full``, the zone read with its labels (None: every field agreed first). ``zone``
    answers the readings the rules ask for: in the check, from the stage's evidence (``Recorded``);
    in the stage (screening.viz_stage), by reading them, so that the evidence holds each one."""
    parsed = ctx.parsed
    number = parsed.document_number
    compared = [key for key in expected if expected[key]]
    missing = {key: expected[key] for key in expected if expected[key] and key not in agreed}
    if full is not None:
        # Every line read by now, labels' size included (values printed as small as labels, pages
        # without labels): a missing field's MRZ value printed there verbatim agrees.
        taken = {line.box for line in agreed.values()}
        agreed = {**agreeing([line for line in full.lines if line.read and line.text and line.box not in taken],
                              {key: value for key, value in missing.items() if key not in agreed}), **agreed}
    findings = {}
    for key in compared:
        if key in agreed:
            findings[key] = [_agrees(ctx, key, agreed[key], expected[key])]
        elif full is not None:
            if key in ("surname", "given_names"):
                findings[key] = list(_names(ctx, zone, full, key, expected[key], agreed))
            elif key == "document_number":
                findings[key] = list(_number(ctx, zone, full, number))
            elif key == "sex":
                findings[key] = list(_sex(ctx, zone, full, parsed.sex))
            else:
                findings[key] = list(_date(ctx, zone, full, key, expected[key]))
    disagrees = any(f.status == FAIL and f.severity == ALERT for found in findings.values() for f in found)
    if full is not None and not disagrees:
        # Nothing surely disagrees: the rest of the page is read too (an overprint across the
        # portrait, a value printed beside its label). A field found there verbatim passes.
        try:
            late = agreeing(zone.read(zone.value_like()), missing)
        except viz.ReadingFailed:  # the fields already compared stand
            late = {}
        for key, line in late.items():
            findings[key] = [_agrees(ctx, key, line, expected[key])]
    for found in findings.values():
        yield from found
    marks = set(full.specimen_marks if full is not None else ()) | set(viz.specimen_marks(zone.lines_read()))
    unread = len([i for i in zone.value_like() if not zone.is_read(i)])
    if marks:
        yield ctx.failed("viz.specimen_overprint", "The page is overprinted {marks}: a specimen, not a travel document.",
                         marks=" / ".join(sorted(marks)))
    elif unread and not disagrees:
        # Every field agreed before the whole page was read: say what was looked at.
        yield ctx.passed("viz.specimen_overprint", "No specimen overprint was read in the {read} lines read (every "
                                                   "field agreed; {unread} other lines were not read).",
                         read=len(zone.lines_read()), unread=unread)
    elif unread:
        yield ctx.passed("viz.specimen_overprint", "No specimen overprint was read in the {read} lines read (a field "
                                                   "disagrees; {unread} other lines were not read).",
                         read=len(zone.lines_read()), unread=unread)
    else:
        yield ctx.passed("viz.specimen_overprint", "No specimen overprint was read on the page.")


class Recorded:
    """The visual zone as the stage read it (screening.models.VizEvidence), asked as the rules ask
    a zone: each reading is looked up, none is made. A reading the evidence lacks is a bug of the
    stage (LookupError), not a line that could not be read."""

    def __init__(self, evidence):
        self.boxes = list(evidence.boxes)
        self._values = list(evidence.value_like)
        self._lines = {read.index: read.line for read in evidence.lines}
        self._failed = set(evidence.failed_lines)
        self._again = {(again.box, again.lang, again.scale): again for again in evidence.rereads}
        self._recognised = {(r.box, r.printed, r.mrz): r for r in evidence.recognitions}

    def value_like(self) -> list[int]:
        return self._values

    def is_read(self, index: int) -> bool:
        return index in self._lines

    def read(self, indices) -> list:
        indices = list(indices)
        if self._failed.intersection(indices):
            raise viz.ReadingFailed(sorted(self._failed.intersection(indices)))
        missing = [i for i in indices if i not in self._lines]
        if missing:
            raise LookupError(f"the visual zone stage did not read lines {missing}")
        return [self._lines[i] for i in indices]

    def lines_read(self) -> list:
        return [self._lines[i] for i in sorted(self._lines)]

    def reread(self, line, lang: str = "eng", scale: float = 1.5):
        again = self._again.get((line.box, lang, scale))
        if again is None:
            raise LookupError(f"the visual zone stage did not read {line.box} again ({lang}, x{scale})")
        if again.failed:
            raise viz.ReadingFailed(line.box)
        return viz.beside_value(viz.TextLine(line.box, again.text, again.confidence), line)

    def recognise(self, line, printed: str, mrz: str):
        key = (line.box, printed, mrz)
        if key not in self._recognised:
            raise LookupError(f"the visual zone stage did not ask our recogniser about {line.box}")
        return self._recognised[key]


@functools.lru_cache(maxsize=2048)
def value_text(text: str) -> str:
    """A line's text without the label printed before it on the same line ("Surname: ERIKSSON").

    A label too small to read comes out as lower-case noise ("Peue qrntreme sa A35395667" for
    "Рамзи ҳуҷҷат/Document No. A35395667", a phone photo of the trust benchmark): the words after
    the last one holding a lower-case letter are the value (printed in capitals, Doc 9303 Part 4)."""
    key, value = viz.split_beside(text)
    if key is None:
        words = text.split()
        lower = [i for i, word in enumerate(words) if re.search(r"[a-zа-яё]", word)]
        if lower and lower[-1] < len(words) - 1:
            return " ".join(words[lower[-1] + 1:])
    return value


def _by_neighbour(zone, key: str, agreed: dict, other_value: str = "", issuer: str = "",
                  codes: tuple[str, ...] = ()) -> tuple[list, str]:
    """A name printed with no label read next to the other name, which agreed: the lines right
    above the given names are the surname, those right below the surname the given names (Doc 9303
    Part 4 order), in their column. Stepped over on the way: a line that prints the other name
    again in its other script (БАХТИЁР above BAKHTIER), and one row of small print, the label
    that could not be read (0.8 mm print on a phone photo of a card). The name is at most two
    lines (its national script and Latin).

    Also says how sure the lines are: "label" where a row of small print lay between (the page is
    laid out label over value, or beside it, and next to the other name, which the page printed
    verbatim, only this name's block fits): as sure as a label. With no label row between (a page
    without labels), another line might be there (the name's own line unseen): "rhythm" where the
    line is one row of the other name's column, at its spacing and print size (``_in_rhythm``);
    else "". A line that prints one of ``codes`` (the MRZ's state codes) ends the block: the code
    field's line, never a name (TJK above BERDIYEWA on a visa without labels)."""
    other = "given_names" if key == "surname" else "surname"
    anchor = agreed.get(other)
    if anchor is None or anchor.box not in zone.boxes:
        return [], ""
    box, block, crossed_label, start = anchor.box, [], False, anchor.box
    if (beside := _beside_next_label(zone, key, anchor)) is not None:
        return [beside], "label"
    while len(block) < 2:
        j = _next_index(zone, key, box, anchor.box[3])
        if j is None:
            break
        line = zone.read([j])[0]
        # Small print in capitals alone that names no field is a value, not the label stepped over
        # (Doc 9303 Part 4 prints values in capitals): a name printed thinner than the others (a
        # photocopy of a thermal print: DONIYOR 19 px high under YUSUPOV's 22, its own label too
        # faint to be found) is the name; stepped over, the next field's value (UZB) was taken.
        small_value = j not in zone.value_like() and _in_capitals(line.text)
        if (j not in zone.value_like() and not small_value) or viz.label_of(line.text) is not None:
            if block or crossed_label:
                beside = None if block else _value_beside(zone, j)
                if beside is not None and key == "surname":  # "Surname HAKIMI": the value beside its label
                    block.append(beside)
                break  # the label of the next field up (or down)
            crossed_label, box = True, zone.boxes[j]
            continue
        text = line.text
        # One digit is a look-alike (HA3APOB for НАЗАРОВ); two or more, a date or a number.
        if len(re.findall(r"[^\W\d_]", text)) < 2 or len(re.findall(r"\d", text)) >= 2 or _prints_code(text, codes):
            break
        if not crossed_label and key == "given_names" and block:
            break  # with no label between, the line after the given names may be anything
        if not block and not crossed_label and other_value and _prints_name_again(zone, line, other_value, issuer):
            box = line.box
            continue
        if not block:
            start = box  # the row the name was found from: the anchor, or its twin stepped over
        block.append(line)
        box = line.box
    if not block:
        return [], ""
    if crossed_label:
        how = "label"
    else:
        how = "rhythm" if _in_rhythm(zone, anchor.box, block[0].box, start) else ""
    return (block if key == "given_names" else block[::-1]), how


# How far a genuine page's rows of values, printed without labels, stray from one spacing and one
# print size, as the camera and the page's curve see them (tools/calibrate_rhythm.py, seed 41, 300
# clean tuning pages of every capture): rows of the unlabelled layout measured up to 1.23 times
# (or under) the next row's gap, heights up to 1.33 times; a row skipped (the name's own line
# unseen) is twice the gap. Pages whose rows pair a name's two scripts measure 0.4-0.5 or 1.4-2.3
# and stay reviews.
RHYTHM_FACTOR = 1.4
ROW_HEIGHT_FACTOR = 1.5


def _in_rhythm(zone, anchor, line, start=None) -> bool:
    """Is ``line`` (next to the other name, ``anchor``, with no label row between) one row of a column
    of values printed at one spacing? Its gap to the anchor is within RHYTHM_FACTOR of the anchor's
    gap to the row on its other side, in the anchor's column, and its print the anchor's size
    (within ROW_HEIGHT_FACTOR). A page whose own name line went unseen gives a line two rows off
    (another field, or a title printed larger): not this."""
    ratio = rhythm(zone, anchor, line, start)
    return (ratio is not None and 1 / RHYTHM_FACTOR <= ratio[0] <= RHYTHM_FACTOR
            and 1 / ROW_HEIGHT_FACTOR <= ratio[1] <= ROW_HEIGHT_FACTOR)


def rhythm(zone, anchor, line, start=None) -> tuple[float, float] | None:
    """(``line``'s row gap to ``anchor`` over the anchor's gap to the next row on its other side,
    ``line``'s height over the anchor's), boxes' tops compared; None with no row on the other side.
    ``start``: the row ``line`` was found from where that was not the anchor but its twin, the other
    name printed again in its other script (SYDYKOVA over БЕРМЕТ over BERMET): the gap is measured
    from it."""
    ax, ay, aw, ah = anchor
    ly, lh = line[1], line[3]
    sy = ay if start is None else start[1]
    column = viz.COLUMN_MM * viz.PX_PER_MM
    if ly < ay:
        beyond = [y - ay for x, y, w, h in zone.boxes if abs(x - ax) <= column and y >= ay + 0.8 * ah]
    else:
        beyond = [ay - y for x, y, w, h in zone.boxes if abs(x - ax) <= column and y + h <= ay + 0.2 * ah]
    if not beyond or min(beyond) <= 0:
        return None
    return abs(sy - ly) / min(beyond), lh / ah


def _prints_code(text: str, codes: tuple[str, ...]) -> bool:
    """A line that prints one of ``codes`` up to OCR look-alikes (MOA for MDA), or with one thin
    stroke read as an extra I, J or L (TJIK for TJK): the line of a state code field. Not any
    letter more: RUSU, a Moldovan surname, is no misread RUS."""
    letters = re.sub(r"[^A-Z]", "", text.upper().translate(_CYRILLIC_LOOKALIKE))
    forms = {letters} | ({letters[:i] + letters[i + 1:] for i, c in enumerate(letters) if c in "IJL"}
                         if len(letters) == 4 else set())
    return any(len(form) == 3 and form.translate(_CANON) == code.translate(_CANON) for form in forms for code in codes)


def _beside_next_label(zone, key: str, anchor) -> viz.TextLine | None:
    """Names printed beside their labels, each value as far right as its label is long ("Фамилия /
    Surname HASIPOV" over "Аты / Given names ELNUR", a webcam frame whose labels no reader makes
    out): the other name's column says nothing (the next field's value may lie in it), but its
    label row does: the label row right above it (for the surname) or below it (the given names)
    holds this name, beside it. The rows of small print say the page is laid out label beside
    value: as sure as a label. None where the other name has no small print beside it."""
    own = _label_beside(zone, anchor.box)
    if own is None:
        return None
    j = _next_index(zone, key, zone.boxes[own], zone.boxes[own][3])
    if j is None or j in zone.value_like():
        return None
    line = _value_beside(zone, j)
    if line is None or len(re.findall(r"[^\W\d_]", line.text)) < 2 or re.search(r"\d", line.text):
        return None
    return line


def _label_beside(zone, box) -> int | None:
    """The small-print line printed left of ``box``, on its row, ending at most BESIDE_MM before it."""
    x, y, w, h = box
    row = [j for j, (lx, ly, lw, lh) in enumerate(zone.boxes) if j not in zone.value_like()
           and ly < y + h and ly + lh > y and 0 <= x - (lx + lw) <= viz.BESIDE_MM * viz.PX_PER_MM]
    return max(row, key=lambda j: zone.boxes[j][0] + zone.boxes[j][2], default=None)


def _in_capitals(text: str) -> bool:
    """Letters in capitals only, two or more, and no digit: how a name is printed, never a label
    in mixed case."""
    letters = re.findall(r"[^\W\d_]", text)
    return len(letters) >= 2 and all(c.isupper() for c in letters) and not re.search(r"\d", text)


def _value_beside(zone, label: int) -> viz.TextLine | None:
    """The value line printed right of the small-print line ``label`` on its row, if any."""
    lx, ly, lw, lh = zone.boxes[label]
    row = [j for j in zone.value_like() if zone.boxes[j][0] >= lx + lw - 1
           and zone.boxes[j][1] <= ly + lh and zone.boxes[j][1] + zone.boxes[j][3] >= ly]
    j = min(row, key=lambda j: zone.boxes[j][0], default=None)
    if j is None:
        return None
    # The label's end: its last word before the value (labels are cut into words: "Familiyasi · Surname").
    words = [box for i, box in enumerate(zone.boxes) if i not in zone.value_like() and lx <= box[0] < zone.boxes[j][0]
             and box[1] <= ly + lh and box[1] + box[3] >= ly]
    end = max(x + w for x, _, w, _ in words)
    return zone.read([j])[0] if zone.boxes[j][0] - end <= 3 * zone.boxes[j][3] else None


def _next_index(zone, key: str, box, height: int) -> int | None:
    """The line right above ``box`` (for the surname) or right below it (the given names), in its
    column and at most three name heights away: rows left where labels were are 2.4 apart on the
    test pages (tests/pages.py), and a line further off is another block of the page."""
    ax, ay, aw, ah = box
    column = viz.COLUMN_MM * viz.PX_PER_MM
    if key == "surname":
        near = [j for j, (x, y, w, h) in enumerate(zone.boxes) if abs(x - ax) <= column and y + h <= ay + 0.2 * ah]
        j = max(near, key=lambda j: zone.boxes[j][1], default=None)
        gap = ay - (zone.boxes[j][1] + zone.boxes[j][3]) if j is not None else None
    else:
        near = [j for j, (x, y, w, h) in enumerate(zone.boxes) if abs(x - ax) <= column and y >= ay + 0.8 * ah]
        j = min(near, key=lambda j: zone.boxes[j][1], default=None)
        gap = zone.boxes[j][1] - (ay + ah) if j is not None else None
    return None if j is None or gap > 3 * height else j


def _prints_name_again(zone, line, value: str, issuer: str) -> bool:
    """Does ``line`` print the name ``value`` (the other name, already agreed), in any script? Read
    again in the Cyrillic models when its first reading is not it: English reads БАХТИЁР as BAXTHMEP."""
    target = re.sub(r"[^A-Z]", "", value)
    readings = [line.text] + [again.text for again, _ in _rereadings(zone, line, viz.cyrillic_models(issuer))]
    return any(_spelled_near(text, [target]) for text in readings)



def agreeing(lines, expected: dict[str, str]) -> dict[str, viz.TextLine]:
    """The fields whose MRZ value a data line prints verbatim (up to OCR look-alikes), each line used once.

    Strict on purpose: a field found here passes without its label being read, so only an
    exact match counts; anything else goes the careful way, through the labels.
    """
    found: dict[str, viz.TextLine] = {}
    used: set[int] = set()
    lines = list(lines)
    cells = _date_cells(lines) if expected.get("birth_date") or expected.get("expiry_date") else []
    for key, value in expected.items():
        if not value:
            continue
        candidates = [(index, line) for index, line in enumerate(lines)]
        if key in ("birth_date", "expiry_date"):
            candidates += [(len(lines) + index, line) for index, line in enumerate(cells)]
        for index, line in candidates:
            if index not in used and _prints(key, value_text(line.text), value):
                found[key] = line
                used.add(index)
                break
    return found


def _date_cells(lines) -> list[viz.TextLine]:
    """Dates printed in parts on one row, each part a line of its own to the line finder, joined
    into one line that reads as a date: a day, a month and a year in boxes ("07   03   1971": a
    Qatari passport), or a worded date whose word spaces are wider than the line finder joins
    ("06" + "MAY 2031", "22" + "MAR" + "1983": 12 AUG/AOÛT 74 as many passports print it). A chain
    starts at a part that is no date alone and takes the next part to its right, each at most two
    heights from the last (farther apart they are other fields), until the parts read as a date."""
    def beside(left, right) -> bool:
        lx, ly, lw, lh = left.box
        rx, ry, rw, rh = right.box
        overlap = min(ly + lh, ry + rh) - max(ly, ry)
        return overlap >= 0.5 * min(lh, rh) and 0 <= rx - (lx + lw) <= 2 * max(lh, rh)

    def part(line) -> str:
        return line.text.strip(" .,:|")

    # The parts by their left edges: a part's right neighbours start within two heights of its end,
    # so only that window is tried (agreeing asks this of every page's lines, again as more are read).
    parts = sorted((line for line in lines if part(line)), key=lambda line: line.box[0])
    lefts = [line.box[0] for line in parts]
    tallest = max((line.box[3] for line in parts), default=0)

    def right_of(left) -> list:
        lx, ly, lw, lh = left.box
        window = parts[bisect.bisect_left(lefts, lx + lw):bisect.bisect_right(lefts, lx + lw + 2 * max(lh, tallest))]
        return [line for line in window if line is not left and beside(left, line)]

    joined = []
    for first in lines:
        if not part(first) or viz.yymmdd(first.text) is not None:
            continue
        chain = [first]
        while len(chain) < 3:
            after = right_of(chain[-1])
            if not after:
                break
            chain.append(after[0])  # the nearest: the window is in left-edge order (ties: the page's order)
            texts = [part(line) for line in chain]
            if len(texts) == 3 and all(text.isdigit() for text in texts):  # 07 03 1971 in boxes
                text = ".".join([texts[0].zfill(2), texts[1].zfill(2), texts[2]])
            else:
                text = " ".join([texts[0].zfill(2) if texts[0].isdigit() else texts[0], *texts[1:]])
            if viz.yymmdd(text) is not None:
                x, y = first.box[0], min(line.box[1] for line in chain)
                bottom = max(line.box[1] + line.box[3] for line in chain)
                box = (x, y, chain[-1].box[0] + chain[-1].box[2] - x, bottom - y)
                joined.append(viz.TextLine(box, text, min(line.confidence for line in chain)))
                break
    return joined


def _date_from_cells(line, lines):
    """``line`` (a labelled date's first part) joined with the parts beside it into a date, if they
    make one (``_date_cells``); ``line`` otherwise."""
    starting = [cell for cell in _date_cells(lines) if cell.box[0] == line.box[0]
                and cell.box[1] <= line.box[1] < cell.box[1] + cell.box[3]]
    return starting[0] if starting else line


@functools.lru_cache(maxsize=8192)  # agreeing asks it of each line read for each field, again as more are read
def _prints(key: str, text: str, value: str) -> bool:
    if key in ("surname", "given_names"):
        # Letter for letter: one letter off may be OCR noise or the altered page, which only the
        # careful way (a second, closer reading; _names) tells apart.
        target = re.sub(r"[^A-Z]", "", value)
        return len(target) >= 2 and target in _name_spellings(text.strip().replace("!", "I"))
    if key == "document_number":
        printed = viz.alnum(text).translate(_CYRILLIC_LOOKALIKE)
        return len(printed) == len(value) and printed.translate(_CANON) == value.translate(_CANON)
    if key == "sex":
        return _sex_value(text) == {"<": "X"}.get(value, value)
    return viz.yymmdd(text) == value


def _agrees(ctx, key, line, value):
    printed = line.text.strip()
    if key == "document_number":
        return ctx.passed("viz.document_number", "The page prints the document number {number}, as the MRZ.",
                          ["document_number"], number=value)
    if key == "sex":
        return ctx.passed("viz.sex", "The page prints sex {sex}, as the MRZ.", ["sex"], sex=_sex_value(printed))
    return ctx.passed(f"viz.{key}", "The page prints the {field} {printed}, as the MRZ.", [key],
                      field=FIELD_NAMES[key], printed=printed)


def _names_of(keys) -> Join:
    return Join(", ", [FIELD_NAMES[key] for key in keys])


def _unsure(finding: Finding) -> Finding:
    """A difference the reading is not sure of (its label not read, or read as like another field's,
    or found by the layout's order alone): a review that names the field, not an alert."""
    if finding.status != FAIL or finding.severity != ALERT:
        return finding
    return Finding.of(finding.id, FAIL, REVIEW, Text("{difference} The reading is not sure enough for an alert "
                                                     "(its label was not read clearly): compare it by eye.",
                                                     difference=finding.text), finding.fields)


def _not_found(ctx, key):
    return ctx.skipped(f"viz.{key}", "The {field} could not be found on the page (no label read): not compared. "
                                           "Compare it by eye.", [key], REVIEW, field=FIELD_NAMES[key])


def _names(ctx, zone, full, key, mrz_value, agreed=None):
    lines = full.fields.get(key)
    # Its own label read, or the other name's (Doc 9303 order places it): sure enough for an alert.
    by_label = full.found_by.get(key, "label") in ("label", "next label")
    other = (agreed or {}).get("given_names" if key == "surname" else "surname")
    if other is not None and lines:
        lines = tuple(line for line in lines if line.box != other.box)  # the other name's line, already agreed
    other_value = ctx.parsed.given_names if key == "surname" else ctx.parsed.surname
    target = re.sub(r"[^A-Z]", "", mrz_value)
    # The state codes' lines are no name (MDA under a label read unclearly), unless the name itself
    # is one letter from a code (RUSU, RUS): then a code's line cannot be told from it.
    codes = tuple(code for code in {ctx.parsed.issuing_state, ctx.parsed.nationality}
                  if re.fullmatch(r"[A-Z]{3}", code or "") and viz.edits(target, code) > 1)
    lines = tuple(line for line in lines or () if not _prints_code(line.text, codes))
    by_rhythm = False
    if not lines:
        lines, how = _by_neighbour(zone, key, agreed or {}, other_value, ctx.parsed.issuing_state, codes)
        by_label, by_rhythm = how == "label", how == "rhythm"
    elif not by_label and other is not None:
        # Under a label read unclearly ("Surnaire"), and where the other name, printed verbatim,
        # places it past a row of small print: as sure as either alone would be with its label.
        neighbours, how = _by_neighbour(zone, key, agreed or {}, other_value, ctx.parsed.issuing_state, codes)
        same = [line.box for line in neighbours] == [line.box for line in lines]
        by_label, by_rhythm = same and how == "label", same and how == "rhythm"
    if not lines:
        yield _not_found(ctx, key)
        return
    if not target:
        return
    if any(len(re.findall(r"\d", line.text)) >= 2 for line in lines):  # a date or number: not the name's line
        yield ctx.skipped(f"viz.{key}", "The {field} could not be found on the page (the line under its label is no "
                                        "name): not compared. Compare it by eye.", [key], REVIEW,
                          field=FIELD_NAMES[key])
        return
    best, differing, near, exact, lost_diacritic = 0.0, [], [], False, False
    # A page may print one of the MRZ's names alone, on its line (ESPAÑOLA over ESPAÑOLA for the
    # MRZ's ESPANOLA ESPANOLA): a word close to one of them is near, not another name.
    mrz_words = [w for w in (re.sub(r"[^A-Z]", "", w) for w in mrz_value.split()) if len(w) >= 3]
    for line in lines:
        text = line.text.strip()
        line_best, distance = 0.0, len(target)
        # The whole line, and each part of one printed "national / Latin".
        for part in [text] + [p for p in re.split(r"[/|]", text) if p.strip()]:
            if _same_words(part, mrz_value):
                line_best, exact = 1.0, True
            for spelling in _name_spellings(part):
                line_best = max(line_best, difflib.SequenceMatcher(None, spelling, target).ratio())
                distance = min(distance, viz.edits(spelling, target))
                lost_diacritic = lost_diacritic or (spelling != target and _folded(spelling) == _folded(target))
            if len(mrz_words) >= 2:
                line_best = max([line_best] + [difflib.SequenceMatcher(None, spelling, word).ratio()
                                               for printed_word in part.split() for spelling in _name_spellings(printed_word)
                                               for word in mrz_words])
        best = max(best, line_best)
        exact = exact or distance == 0
        if distance >= 2 and len(re.sub(r"\W", "", text)) >= 2:  # more than one character: beyond OCR noise
            differing.append(line)
        if distance >= 1 and line_best >= 0.8:
            near.append(line)
    printed = " / ".join(line.text for line in lines)
    if not exact:
        again = _read_as_mrz(zone, lines, target, ctx.parsed.issuing_state)
        if again is not None:
            yield ctx.passed(f"viz.{key}", "The page prints the {field} {printed}, as the MRZ (read again with "
                                           "Tesseract's {model} model).", [key], field=FIELD_NAMES[key],
                             printed=again[0].text.strip(), model=again[1])
            return
    if lost_diacritic and not exact:
        yield ctx.skipped(f"viz.{key}", "The page prints the {field} {printed}; the MRZ's {mrz} differs from it only "
                                        "where the MRZ spells a letter with a diacritic (Ä as AE, Ö as OE, Ü as UE, "
                                        "Å as AA), which the reading may have lost. Compare it by eye.", [key], REVIEW,
                          field=FIELD_NAMES[key], printed=printed, mrz=mrz_value)
        return
    if best >= 0.8 and not exact:
        # Close to the MRZ's name, not it: OCR noise, or a letter or two altered (the altered page).
        yield _close_name(ctx, zone, key, near, mrz_value, printed,
                          by_label and full.found_by.get(key, "label") == "label", other_value)
        return
    # Names are misread with confidence (З for С, Н for И): a difference counts once a second
    # reading of a line that differs, in its own script, says the same.
    clear = best < 0.8 and any(
        _confirmed(zone, line, _letters, "rus" if re.search(r"[А-ЯЁ]", line.text.upper()) else "eng")
        or _name_recognised(zone, line, mrz_value) for line in differing) and not any(
        _recogniser_reads_mrz(zone, line, mrz_value) for line in differing)
    if best >= 0.8:
        yield ctx.passed(f"viz.{key}", "The page prints the {field} {printed}, as the MRZ.", [key],
                         field=FIELD_NAMES[key], printed=printed)
    elif clear:
        # Under a label that was read, a name a second reading repeats differs; so does one found
        # by the layout's order in a column of values at one spacing (no labels printed). Found by
        # the order alone otherwise (its label unread), it may be another line: a review. Only a
        # wholly other name: one a letter or two off may be a misreading (ESPAÑOLA as ESPAROLA).
        finding = ctx.failed(f"viz.{key}", "The {field} differs: the MRZ says {mrz}, the page prints {printed}.",
                             [key], field=FIELD_NAMES[key], mrz=mrz_value, printed=printed)
        yield finding if by_label or by_rhythm else _unsure(finding)
    else:
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) was not read clearly enough to compare "
                                        "with the MRZ ({mrz}). Compare it by eye.", [key], REVIEW,
                          field=FIELD_NAMES[key], printed=printed,
                          mrz=mrz_value)


def _read_as_mrz(zone, lines, target: str, issuer: str) -> tuple[viz.TextLine, str] | None:
    """A reading of one of ``lines`` in another of Tesseract's models that prints the MRZ's name
    (letters only, ``target``), with the model's name; None when none does.

    The first reading's model may not know the line's script: Russian's reads the Latin ILIA as
    ША at 0.95 and has no Kazakh І (fraud benchmark, clean pages read twice the same wrong way).
    So a name line is read again in the issuer's national Cyrillic model where one is installed,
    and a line read as Cyrillic again in English. Only a reading that gives the MRZ's name
    counts: one more misreading never makes a difference."""
    national = tuple(m for m in viz.cyrillic_models(issuer) if m != "rus")
    for line in lines:
        models = national + (("eng",) if re.search(r"[А-ЯЁ]", line.text.upper()) else ())
        for again, model in _rereadings(zone, line, models):
            if target in _name_spellings(again.text):
                return again, model
    return None


def _rereadings(zone, line, models):
    """``line`` read again in each of ``models``, lazily: (the reading, the model). A model whose
    reading fails is one chance less, not an error of the comparison."""
    for model in models:
        try:
            yield zone.reread(line, model), model
        except viz.ReadingFailed:
            continue


# Both readings of a name that differs from the MRZ by a letter or two (the first from the cleaned
# zone, the second twice as large from the grey image) must be at least this sure to count as a
# difference: planted differences were read at 0.73 or more, misreads repeated at 0.52-0.67
# (CONFIRMED_READ's measurement), and here each reading on its own must pass.
SURE_NAME = 0.8


def _close_name(ctx, zone, key, near, mrz_value, printed, clearly_labelled: bool, other_value: str = ""):
    """A name printed close to the MRZ's but not letter for letter: each such line read again,
    closer. A second reading that gives the MRZ's name agrees; one that repeats the first letter
    for letter, both sure, differs (an alert under a clearly read label, else a review); anything
    else is not read clearly enough (review).

    Its label unread, the difference is still sure where our recogniser, trained apart from
    Tesseract, reads each differing Latin line's letters as Tesseract did and makes the MRZ's name
    e^8 less likely (``_name_recognised``): two readers agree on the printed letters, and a line this
    close to the MRZ's name is that name's line, unless it is as close to the other name
    (``other_value``: IVAN against IVANOV), which it then may be."""
    target = re.sub(r"[^A-Z]", "", mrz_value)
    repeated = []
    for line in near:
        lang = "rus" if re.search(r"[А-ЯЁ]", line.text.upper()) else "eng"
        try:
            again = zone.reread(line, lang, scale=2.0)
        except viz.ReadingFailed:  # a failed second reading leaves the name unsure
            continue
        if target in _name_spellings(again.text) or _same_words(again.text, mrz_value):
            return ctx.passed(f"viz.{key}", "The page prints the {field} {printed}, as the MRZ (read twice).", [key],
                              field=FIELD_NAMES[key], printed=again.text.strip())
        if (_letters(again.text) == _letters(line.text) and len(_letters(line.text)) >= 3
                and min(line.confidence, again.confidence) >= SURE_NAME or _name_recognised(zone, line, mrz_value)) \
                and not _recogniser_reads_mrz(zone, line, mrz_value):
            repeated.append(line)
    if repeated:
        finding = ctx.failed(f"viz.{key}", "The {field} differs: the MRZ says {mrz}, the page prints {printed} "
                                           "(read twice, letter for letter).", [key], field=FIELD_NAMES[key],
                             mrz=mrz_value, printed=" / ".join(line.text.strip() for line in repeated))
        # (a line in Cyrillic cannot be asked for the MRZ's Latin name: the Latin lines settle it)
        # A line printing only one of the MRZ's names (ESPAÑOLA of ESPANOLA ESPANOLA) makes the
        # whole name unlikely whatever its letters: only a line of as many words is asked.
        latin = [line for line in repeated if not re.search(r"[А-ЯЁа-яё]", line.text)]
        both_readers = bool(latin) and all(
            len(line.text.split()) == len(mrz_value.split()) and _name_recognised(zone, line, mrz_value)
            and not _near_name(line.text, other_value) for line in latin)
        return finding if clearly_labelled or both_readers else _unsure(finding)
    return ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) was not read clearly enough to compare "
                                     "with the MRZ ({mrz}). Compare it by eye.", [key], REVIEW,
                       field=FIELD_NAMES[key], printed=printed, mrz=mrz_value)


def _near_name(text: str, value: str) -> bool:
    """Is ``text``, in any spelling, within 0.8 of the name ``value``'s letters (or of one of its words)?"""
    words = [re.sub(r"[^A-Z]", "", w) for w in [value] + value.split()]
    return _spelled_near(text, [word for word in words if len(word) >= 3])


def _spelled_near(text: str, targets) -> bool:
    """Does a spelling of ``text`` match one of ``targets`` (letters) at 0.8 or more?"""
    return any(difflib.SequenceMatcher(None, spelling, target).ratio() >= 0.8
               for spelling in _name_spellings(text) for target in targets)


def _same_words(text: str, mrz_value: str) -> bool:
    """The printed name's words are among the MRZ's, or the other way round: a page that prints
    the surname with the given names on one line, or only the first given name."""
    mrz_words = [w for w in (re.sub(r"[^A-Z]", "", w) for w in mrz_value.split()) if len(w) >= 2]
    page_words = [_name_spellings(w) for w in re.split(r"[\s,]+", text) if len(re.sub(r"\W", "", w)) >= 2]
    if not mrz_words or not page_words:
        return False
    return (all(any(w in spellings for w in mrz_words) for spellings in page_words)
            or all(any(w in spellings for spellings in page_words) for w in mrz_words))


# The MRZ spells Ä, Ö, Ü, Å (and Ø) as AE, OE, UE, AA (OE) (Doc 9303 Part 3, transliteration);
# OCR often loses the printed letter's diacritic: MÄNNIK is read MANNIK against the MRZ's
# MAENNIK (an Estonian specimen of real-dev). A name that differs only so is neither agreement
# nor difference: HAS against HAAS differs so too. The officer compares (a review).
_DIACRITIC_PAIRS = (("AE", "A"), ("OE", "O"), ("UE", "U"), ("AA", "A"))


def _folded(letters: str) -> str:
    for pair, letter in _DIACRITIC_PAIRS:
        letters = letters.replace(pair, letter)
    return letters


@functools.lru_cache(maxsize=2048)  # each line is matched against each field, often again
def _name_spellings(text: str) -> frozenset[str]:
    upper = text.upper()
    out = {re.sub(r"[^A-Z]", "", transliterate(upper))}
    if re.search(r"[А-ЯЁІЎЄЇҒҚҢӨҮҰҲҶӢӮӘҺ]", upper):
        words = re.sub(r"[^\w\s-]", "", upper)
        if len(words) <= 24:  # spellings grow with each letter that has alternatives
            out |= {re.sub(r"[^A-Z]", "", s) for s in list(spellings(words))[:200]}
        # Tesseract's Latin model reads Cyrillic capitals as their Latin look-alikes.
        out.add(re.sub(r"[^A-Z]", "", upper.translate(_CYRILLIC_LOOKALIKE)))
    return frozenset(s for s in out if s)


def _number(ctx, zone, full, mrz_number):
    lines = full.fields.get("document_number")
    if not lines:
        yield from _number_without_label(ctx, zone, full, mrz_number)
        return
    line = lines[0]
    printed = _number_text(line.text)
    if printed == mrz_number or printed.translate(_CANON) == mrz_number.translate(_CANON):
        yield ctx.passed("viz.document_number", "The page prints the document number {number}, as the MRZ.",
                         ["document_number"], number=mrz_number)
        return
    # Numbers are misread with confidence too (3 for 5), or with a character doubled: what two
    # readings agree on counts, and only at the MRZ number's length (no character lost or split).
    # They agree up to look-alikes (1D4838984 and ID4838984, a photocopy of the trust set): only a
    # difference between classes (8 against 9) is one.
    agreed = _agreed_reading(zone, line, canonical_number)
    recognised = (agreed is None or agreed != mrz_number.translate(_CANON)) and _number_recognised(zone, line,
                                                                                                    mrz_number)
    if agreed is not None and agreed == mrz_number.translate(_CANON):
        yield ctx.passed("viz.document_number", "The page prints the document number {number}, as the MRZ.",
                         ["document_number"], number=mrz_number)
    elif agreed is not None and len(agreed) == len(mrz_number) or recognised:
        finding = ctx.failed("viz.document_number", "The document number differs: the MRZ says {mrz}, the page "
                                                    "prints {printed}.", ["document_number"], mrz=mrz_number,
                             printed=printed)
        sure = (full.found_by.get("document_number", "label") == "label"
                or _only_number_shaped(full, mrz_number) and (recognised or _surely_read(zone, line, printed)))
        yield finding if sure else _unsure(finding)
    else:
        yield ctx.skipped("viz.document_number", "The document number on the page ({printed}) was not "
                                                 "read clearly enough to compare with the MRZ ({mrz}). "
                                                 "Compare it by eye.", ["document_number"], REVIEW, printed=line.text.strip(), mrz=mrz_number)


def _date(ctx, zone, full, key, mrz_raw):
    lines = full.fields.get(key)
    if not lines:
        yield from _date_without_label(ctx, zone, full, key, mrz_raw)
        return
    line = lines[0]
    if viz.yymmdd(line.text) is None:
        line = _date_from_cells(line, full.lines)
    printed = viz.yymmdd(line.text)
    if printed is not None and printed != mrz_raw and viz.parse_date(line.text)[0] is None:
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) is no real day, probably misread: "
                                        "not compared. Compare it by eye.", [key], REVIEW, field=FIELD_NAMES[key], printed=line.text.strip())
        return
    if printed is None:
        # The line under the label is no date (a label misread as a value): the date of birth may
        # still be the one date long before the validity.
        alone = list(_date_without_label(ctx, zone, full, key, mrz_raw))
        if alone and alone[0].status != "skip":
            yield from alone
            return
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) is not a date that could be read: "
                                        "not compared. Compare it by eye.", [key], REVIEW, field=FIELD_NAMES[key], printed=line.text.strip())
        return
    if printed == mrz_raw:
        yield ctx.passed(f"viz.{key}", "The page prints the {field} {printed}, as the MRZ.", [key],
                         field=FIELD_NAMES[key], printed=line.text.strip())
    elif len(mrz_raw) == 6 and mrz_raw.isdigit() and ((recognised := _date_recognised(ctx, zone, line, key, near=True))
                                                       or _confirmed(zone, line, viz.yymmdd)):
        shown = f"{mrz_raw[4:6]}.{mrz_raw[2:4]}.{mrz_raw[0:2]}"
        own = _own_date(ctx, zone, line, key) if recognised else None
        if own is None:
            finding = ctx.failed(f"viz.{key}", "The {field} differs: the MRZ says {mrz} ({raw}), the page prints "
                                               "{printed}.", [key], field=FIELD_NAMES[key], mrz=shown, raw=mrz_raw,
                                 printed=line.text.strip())
        else:
            finding = ctx.failed(f"viz.{key}", "The {field} differs: the MRZ says {mrz} ({raw}), the page prints "
                                               "{printed} as Tesseract reads it, {own} as our own recogniser does: "
                                               "either way not the MRZ's.", [key], field=FIELD_NAMES[key], mrz=shown,
                                 raw=mrz_raw, printed=line.text.strip(), own=own)
        # Under a label read clearly; or, its label unclear, the one date long before the validity
        # (then the date of birth by the rule) read so by both readers.
        placed = (full.found_by.get(key, "label") == "label"
                  or recognised and key == "birth_date" and _only_old_date(ctx, full) is not None
                  and viz.yymmdd(_only_old_date(ctx, full).text) == printed)
        yield finding if placed else _unsure(finding)
    else:
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) was not read clearly enough to compare "
                                        "with the MRZ. Compare it by eye.", [key], REVIEW, field=FIELD_NAMES[key], printed=line.text.strip())


def _number_text(text: str) -> str:
    return viz.alnum(text).translate(_CYRILLIC_LOOKALIKE)


def canonical_number(text: str) -> str:
    """A number with each OCR look-alike class as one character (O and 0, I and 1...)."""
    return _number_text(text).translate(_CANON)


def _letters(text: str) -> str:
    return re.sub(r"[^A-ZА-ЯЁ]", "", text.upper())


def _agreed_reading(zone, line, value, lang: str = "eng") -> str | None:
    """The ``value`` two readings of ``line`` agree on, at a mean confidence of at least
    CONFIRMED_READ: the first and a second (the grey image, 1.5 times larger); where those two do
    not settle it, a third (the grey image, twice as large) may side with either. None: no agreement.

    Measured: a doubled letter ('Vv09934985', confidence 0.26) or a 3 for a 9 in the first
    reading, where the second and third read the planted number (0.74, 0.92)."""
    def agreement(readings):
        for i, one in enumerate(readings):
            for other in readings[i + 1:]:
                if (value(one.text) and value(one.text) == value(other.text)
                        and (one.confidence + other.confidence) / 2 >= CONFIRMED_READ):
                    return value(one.text)
        return None

    readings = [line]
    try:
        readings.append(zone.reread(line, lang))
        if agreement(readings) is None:
            readings.append(zone.reread(line, lang, scale=2.0))
    except viz.ReadingFailed:  # a failed reading only leaves the value unsure
        pass
    return agreement(readings)


def _confirmed(zone, line, value, lang: str = "eng") -> bool:
    """A second reading of ``line`` gives the same ``value``, and the two readings are, on average,
    clear (CONFIRMED_READ). Measured: on real documents, differences two readings repeated at a
    mean confidence of 0.52-0.67 were misreads; planted ones were read at 0.73 or more."""
    if line.confidence < 2 * CONFIRMED_READ - 1:
        return False  # no second reading can bring the mean up
    try:
        again = zone.reread(line, lang)
    except viz.ReadingFailed:  # a failed second reading only leaves the value unsure
        return False
    return ((line.confidence + again.confidence) / 2 >= CONFIRMED_READ and bool(value(line.text))
            and value(again.text) == value(line.text))


# Our own recogniser (screening.viz_ocr), trained apart from Tesseract on synthetic lines, settles a
# difference Tesseract read without confidence: the line's picture must give the value Tesseract read
# (``viz_ocr.confirms``) and make the MRZ's value, in the page's own format, at least e**REJECTED
# less likely than its own best reading. Measured with tools/diagnose_recall.py's set (seed 31,
# tuning families only): on the 150 clean documents the recogniser scored the true printed date of
# birth, date of expiry and document number, on the line printing each (361 fields), below -8 eight
# times, all on motion-blurred, hand-held, phone or webcam images whose line it read as something
# else altogether ('23.2.1992' for 28.02.1991), which confirms no reading of Tesseract's; on the
# altered fields of 120 documents (dates of birth moved 4-9 years, numbers with a digit or two
# changed) the MRZ's value scored -7.7 to -52 (median about -20), four of 88 above -8 (those stay
# reviews). Its own measurement (viz_ocr.CONFIRM_MARGIN): one-letter alterations below -5.8 in 99 %.
REJECTED = 8.0


def _recognised_difference(zone, line, printed: str, mrz: str, same) -> bool:
    """Does our recogniser read ``line`` as printing ``printed`` (what Tesseract read there) and not
    ``mrz`` (the MRZ's value as the page would print it)? Its own reading must give the printed value
    (``same`` of its text: the characters that differ read alike by both readers; a candidate the
    network merely finds likely is not enough, as the sum over alignments makes two one digit apart
    both likely: "15.07.1964" scored above its own best path where it read, rightly, 15.07.1984, on
    a hand-held photo of the tuning set), confirm it, and make the MRZ's value at least e**REJECTED
    less likely than its own reading. A second reader, independent of Tesseract's model: two
    readers that each make the printed value out of the picture, the MRZ's value not, are as sure
    as a reading repeated at high confidence. False without the model (``recognise`` reads nothing)."""
    if not printed or not mrz or printed == mrz:
        return False
    reading = zone.recognise(line, printed, mrz)  # (the stage asked it: screening.models.VizRecognition)
    if not reading.text or not same(reading.text):
        return False
    return reading.confirms and reading.margin <= -REJECTED


def _name_recognised(zone, line, mrz_value: str) -> bool:
    """A name line in Latin letters that our recogniser reads as Tesseract did and not as the MRZ's
    name (``_recognised_difference``). A line in Cyrillic is left to Tesseract's readings: the MRZ
    spells its name in Latin, which the picture cannot be asked for."""
    text = line.text.strip()
    if re.search(r"[А-ЯЁа-яё]", text) or len(_letters(text)) < 3:
        return False
    letters = _letters(text.upper().translate(_CYRILLIC_LOOKALIKE))
    target = re.sub(r"[^A-Z]", "", mrz_value)

    def same(own: str) -> bool:
        # Its letters within one of Tesseract's, and nearer them than the MRZ's: a network that reads
        # by columns merges a doubled letter ('KHMELNITSKI' for KHMELNITSKII, a phone photo).
        own = _letters(own.upper().translate(_CYRILLIC_LOOKALIKE))
        return viz.edits(own, letters) <= 1 and viz.edits(own, letters) < viz.edits(own, target)

    return _recognised_difference(zone, line, text, mrz_value.replace("<", " ").strip(), same)


def _recogniser_reads_mrz(zone, line, mrz_value: str) -> bool:
    """Does our recogniser (trained apart from Tesseract) find the MRZ's name on ``line``'s picture
    about as likely as its own best reading (within viz_ocr.CONFIRM_MARGIN, as it confirms a
    reading)? Then Tesseract's repeated reading is that engine's habit, not the page: its Russian
    model read a KGZ visa's Latin IULIIA as ЮША twice alike, at 0.9, where the recogniser scored
    IULIIA at -1.2 and ЮША at -17 (trust seed 16). One-letter alterations score below -5.8 in 99 %
    (viz_ocr's own measurement). No veto without the model."""
    value = mrz_value.replace("<", " ").strip()
    reading = zone.recognise(line, line.text.strip(), value)
    return bool(reading.text) and reading.margin >= viz_ocr.CONFIRM_MARGIN


def _number_recognised(zone, line, mrz_number: str) -> bool:
    """A printed number of the MRZ number's length that differs from it beyond OCR look-alikes,
    with its letters and digits where the MRZ's are, read so by our recogniser too: the candidate
    is the MRZ's number with only the characters that differ taken from the reading (an O read for
    a 0 is no difference, and is not asked of the picture)."""
    read = _number_text(line.text)
    if len(read) != len(mrz_number) or [c.isdigit() for c in read] != [c.isdigit() for c in mrz_number]:
        return False
    as_read = "".join(r if r.translate(_CANON) != m.translate(_CANON) else m for r, m in zip(read, mrz_number))
    return as_read != mrz_number and _recognised_difference(
        zone, line, as_read, mrz_number,
        # (its Cyrillic З for a 3: the two look alike, and it reads Cyrillic too)
        lambda own: as_read.translate(_CANON) in canonical_number(own.replace("З", "3")))


def _date_texts(text: str, mrz_date: dt.date | None) -> tuple[str, str] | None:
    """(the date as read, the MRZ's date written the same way, its separators and year length) for
    a date printed in digits ("22.05.1994" and "22.05.1998", "1994-05-22" and "1998-05-22"); None for a
    worded date or no MRZ date."""
    if mrz_date is None:
        return None
    t = text.upper().replace(",", ".")
    found = viz.digit_date(t, spaced=False)
    if found is None:
        return None
    m, year_first = found
    if year_first:  # 1994-05-22
        return m.group(0), (f"{mrz_date.year:04d}{t[m.end(1):m.start(2)]}{mrz_date.month:02d}"
                            f"{t[m.end(2):m.start(3)]}{mrz_date.day:02d}")
    year = f"{mrz_date.year:04d}" if len(m.group(3)) == 4 else f"{mrz_date.year % 100:02d}"
    as_mrz = f"{mrz_date.day:02d}{t[m.end(1):m.start(2)]}{mrz_date.month:02d}{t[m.end(2):m.start(3)]}{year}"
    return m.group(0), as_mrz


def _only_old_date(ctx, full):
    """The one line printing a date more than ten and a half years before the document's expiry (or
    today), which can only be the date of birth, since issue and validity dates fall within the
    validity period; None when no line or several lines (other dates) do, or the MRZ's own date of
    birth is no such date. A date printed in parts counts as its joined line (``_date_cells``)."""
    birth = ctx.parsed.birth_date
    expiry = ctx.parsed.expiry_date or ctx.today
    cutoff = min(ctx.today, expiry) - dt.timedelta(days=int(10.5 * 365.25))
    if birth is None or birth >= cutoff:
        return None
    plausible = range(ctx.today.year - 120, ctx.today.year + 1)  # not a misread year (1194)
    old = [(date, line) for line in (*full.lines, *_date_cells(full.lines)) for date, real in [viz.parse_date(line.text)]
           if real and date is not None and date.year in plausible and date < cutoff]
    if len({date for date, _ in old}) != 1:  # none, or several: no one date of birth to compare
        return None
    return old[0][1]


def _date_recognised(ctx, zone, line, key, near: bool = False) -> bool:
    """A printed date that differs from the MRZ's, read so by our recogniser too
    (``_recognised_difference``), and one a holder could have: a date of birth that would make the
    holder older than the settings allow at the document's expiry (1996 misread as 1906) stays
    unsure, whoever read it.

    ``near``: our recogniser may read one digit otherwise than Tesseract, both readings real days
    and neither the MRZ's: two readers that each make a date out of the picture and the MRZ's date
    e**REJECTED less likely disagree with the MRZ whichever of them misread the digit (a hand-held
    photo of the tuning set, 15.07.1984 altered to 1989 in the MRZ: Tesseract read 1964, our
    recogniser 1984, the MRZ's date 13 nats below its reading)."""
    mrz_date = ctx.parsed.birth_date if key == "birth_date" else ctx.parsed.expiry_date
    texts = _date_texts(line.text, mrz_date)
    if texts is None:
        return False
    if key == "birth_date":
        printed, _ = viz.parse_date(texts[0])
        if printed is None or age_on(printed, ctx.parsed.expiry_date or ctx.today) > ctx.settings.max_age_years:
            return False
    read, as_mrz = viz.yymmdd(texts[0]), viz.yymmdd(texts[1])

    def same(own: str) -> bool:
        mine = viz.yymmdd(own)
        if mine == read:
            return True
        return (near and mine is not None and mine != as_mrz and viz.edits(mine, read) == 1
                and viz.parse_date(own)[0] is not None)

    return _recognised_difference(zone, line, *texts, same)


def _own_date(ctx, zone, line, key) -> str | None:
    """Our recogniser's reading of a date line where it differs from Tesseract's (``near`` of
    ``_date_recognised``); None where the two read the same date."""
    texts = _date_texts(line.text, ctx.parsed.birth_date if key == "birth_date" else ctx.parsed.expiry_date)
    reading = zone.recognise(line, *texts)
    if not reading.text or viz.yymmdd(reading.text) == viz.yymmdd(texts[0]):
        return None
    return reading.text.strip()


def _date_without_label(ctx, zone, full, key, mrz_raw):
    """Where the label of the date of birth was not read: the one date long before the validity
    (``_only_old_date``) is the date of birth."""
    line = _only_old_date(ctx, full) if key == "birth_date" else None
    if line is None:
        yield _not_found(ctx, key)
        return
    if viz.yymmdd(line.text) == mrz_raw:
        yield ctx.passed("viz.birth_date", "The page prints the date of birth {printed} (the only date long before "
                                           "the document's validity; its label was not read), as the MRZ.", [key],
                         printed=line.text.strip())
        return
    shown = f"{mrz_raw[4:6]}.{mrz_raw[2:4]}.{mrz_raw[0:2]}"
    if _date_recognised(ctx, zone, line, key):
        # Its place is the rule's, its reading two readers': an alert.
        yield ctx.failed("viz.birth_date", "The date of birth differs: the MRZ says {mrz} ({raw}), the page prints "
                                           "{printed} (the only date long before the document's validity, its label "
                                           "not read; read so by Tesseract and by our own recogniser).", [key],
                         mrz=shown, raw=mrz_raw, printed=line.text.strip())
    elif _confirmed(zone, line, viz.yymmdd):
        # Its label not read, and only Tesseract's reading says so: a misread year (1996 as 1906)
        # looks just like this. A review.
        yield _unsure(ctx.failed("viz.birth_date", "The date of birth differs: the MRZ says {mrz} ({raw}), the page prints "
                                           "{printed} (the only date long before the document's validity; its label "
                                           "was not read).", [key], mrz=shown, raw=mrz_raw, printed=line.text.strip()))
    else:
        # Found, but neither reader confirms its difference: say what was seen, not "not found".
        yield ctx.skipped(f"viz.{key}", "The {field} on the page ({printed}) was not read clearly enough to compare "
                                        "with the MRZ. Compare it by eye.", [key], REVIEW, field=FIELD_NAMES[key],
                          printed=line.text.strip())


def _only_number_shaped(full, mrz_number: str) -> bool:
    """Is one line of the page, and one only, shaped like the MRZ's number (its length, at most
    two characters different)? Then that line is the printed number, whatever its label."""
    target = mrz_number.translate(_CANON)
    shaped = [line for line in full.lines if len(printed := _number_text(line.text)) == len(mrz_number)
              and viz.yymmdd(line.text) is None
              and sum(a != b for a, b in zip(printed.translate(_CANON), target)) <= 2]
    return len(shaped) == 1


def _surely_read(zone, line, number: str, mrz_number: str | None = None) -> bool:
    """A number that differs from the MRZ's, sure enough for an alert without its label read:
    letters and digits where the MRZ's number has them, and a closer reading (twice the size,
    grey) that repeats it character for character, each reading at SURE_NAME or more."""
    if mrz_number is not None and [c.isdigit() for c in number] != [c.isdigit() for c in mrz_number]:
        return False
    if line.confidence < SURE_NAME:
        return False
    try:
        again = zone.reread(line, scale=2.0)
    except viz.ReadingFailed:
        return False
    return again.confidence >= SURE_NAME and _number_text(again.text) == number


def _number_without_label(ctx, zone, full, mrz_number):
    """Where the label was not read: a line shaped like the number (same length, mostly the same
    characters) that differs from it in one or two places is the number, altered."""
    target = mrz_number.translate(_CANON)
    near = []
    for line in full.lines:
        printed = _number_text(line.text)
        if len(printed) == len(mrz_number) and viz.yymmdd(line.text) is None:
            differences = sum(a != b for a, b in zip(printed.translate(_CANON), target))
            if differences <= 2:
                near.append((differences, line))
    if any(differences == 0 for differences, _ in near):
        yield ctx.passed("viz.document_number", "The page prints the document number {number}, as the MRZ.",
                         ["document_number"], number=mrz_number)
    elif len(near) == 1 and ((recognised := _number_recognised(zone, near[0][1], mrz_number))
                             or _confirmed(zone, near[0][1], _number_text)):
        # A line shaped like the number, its label not read: a review, unless the number's letters
        # and digits sit where the MRZ's do and a closer reading repeats it (_surely_read), or our
        # recogniser reads it so too (_number_recognised).
        line = near[0][1]
        finding = ctx.failed("viz.document_number", "The document number differs: the MRZ says {mrz}, the page "
                                                    "prints {printed}.", ["document_number"], mrz=mrz_number,
                             printed=line.text.strip())
        sure = recognised or _surely_read(zone, line, _number_text(line.text), mrz_number)
        yield finding if sure else _unsure(finding)
    elif len(near) == 1:
        # The one line shaped like the number, not read clearly: the officer is shown what was read
        # (a photocopy's AA9¥037193 for the MRZ's AA9037493), not told that nothing was found.
        yield ctx.skipped("viz.document_number", "The document number on the page ({printed}) was not "
                                                 "read clearly enough to compare with the MRZ ({mrz}). "
                                                 "Compare it by eye.", ["document_number"], REVIEW,
                          printed=near[0][1].text.strip(), mrz=mrz_number)
    else:
        yield _not_found(ctx, "document_number")


def _sex(ctx, zone, full, mrz_sex):
    lines = full.fields.get("sex")
    mrz = {"<": "X"}.get(mrz_sex, mrz_sex)
    if not lines:
        # No label read: a lone Е or E (a small F as Tesseract's English and Russian read it, or a
        # man's initial) that the English reading makes the MRZ's letter is the sex, as agreeing's
        # letters are; anything else, no claim.
        lone = [line for line in full.lines if line.read and viz.alnum(line.text) in ("Е", "E")]
        if any(_lone_letter_is(zone, line, mrz) for line in lone[:SEX_LONE_LETTERS]):
            yield ctx.passed("viz.sex", "The page prints sex {sex}, as the MRZ.", ["sex"], sex=mrz)
        else:
            yield _not_found(ctx, "sex")
        return
    line = lines[0]
    value = _sex_value(line.text, strict=False)
    if value is None and _sex_values(line.text, strict=False) == {"M", "F"}:
        # A lone Е: a Kazakh man's initial, or a small F misread.
        if _lone_letter_is(zone, line, mrz):
            value = mrz
        else:
            line = _sex_read_again(zone, line)
            value = _sex_value(line.text, strict=False)
    if value is None and _sex_values(line.text, strict=False) == {"M", "F"}:
        yield ctx.skipped("viz.sex", "The sex on the page ({printed}) may be a man's initial (Kazakh ер, Uzbek erkak, "
                                     "Turkmen erkek) or a misread F: not compared. Compare it by eye.", ["sex"],
                          REVIEW, printed=line.text.strip())
    elif value is None:
        yield ctx.skipped("viz.sex", "The sex on the page ({printed}) could not be read: not compared. Compare it "
                                     "by eye.", ["sex"], REVIEW, printed=line.text.strip())
    elif value == mrz:
        yield ctx.passed("viz.sex", "The page prints sex {sex}, as the MRZ.", ["sex"], sex=value)
    elif line.confidence >= 0.85:
        finding = ctx.failed("viz.sex", "The sex differs: the MRZ says {mrz}, the page prints {printed}.", ["sex"],
                             mrz=mrz, printed=line.text.strip())
        yield finding if full.found_by.get("sex", "label") == "label" else _unsure(finding)
    else:
        yield ctx.skipped("viz.sex", "The sex on the page was not read clearly enough to compare. Compare it by "
                                     "eye.", ["sex"], REVIEW)


SEX_LONE_LETTERS = 2  # lone letters read again, at most, for a sex whose label was not read


def _lone_letter_is(zone, line, letter: str) -> bool:
    """Does a lone letter read as Е or E print ``letter`` (the MRZ's M or F)? Yes when Tesseract's
    English reading (closer, grey; it has no Е) reads it so, or our recogniser reads it so and
    confirms it (a single blurred capital defeats Tesseract's line reading more often than ours)."""
    if _sex_value(_sex_read_again(zone, line).text) == letter:
        return True
    recognised = zone.recognise(line, letter, letter)
    return recognised.confirms and recognised.text == letter


def _sex_read_again(zone, line):
    """The sex line read again closer in English alone, which has no Е to read a small F as: "F"
    settles it; "E" (Uzbek and Turkmen Latin: erkak, erkek) leaves it open."""
    try:
        return zone.reread(line, "eng", scale=2.0)
    except viz.ReadingFailed:
        return line


def _sex_value(text: str, strict: bool = True) -> str | None:
    """M, F or X from a printed sex, in Latin or Cyrillic or both ("M", "Ж/F", "Е/M"); None for
    anything else, and for a letter that may stand for either sex (a lone Е). ``strict``: every
    letter must say the same sex (a line found without its label: the nationality code "MDA" is
    no sex); under the sex label, the first letter of up to three (OCR debris after it: "FE"),
    narrowed by the next where it may stand for either ("Е/M")."""
    values = _sex_values(text, strict)
    return next(iter(values)) if len(values) == 1 else None


def _sex_values(text: str, strict: bool = True) -> set[str]:
    """The sexes a printed sex may stand for (``_sex_value``'s rules; empty: none)."""
    letters = viz.alnum(text)
    if not letters or len(letters) > (2 if strict else 3):
        return set()
    meanings = [_SEX_LETTERS.get(letter) for letter in letters]
    if strict:
        if letters == "Е":
            # Found without its label, the one agreement a lone Cyrillic Е makes is with an F, as
            # Tesseract's English and Russian reading of a small F (a Kazakh man's Е agrees with
            # nothing and is not compared; it is never a difference).
            return {"F"}
        if None in meanings or all(letter in _SEX_NATIONAL_ONLY for letter in letters):
            return set()  # a stray A or E on the page (or "AE", OCR debris) is no sex without its label
        return set.intersection(*map(set, meanings))
    if meanings[0] is None:
        return set()
    values = set(meanings[0])
    for meaning in meanings[1:]:
        if len(values) == 1 or meaning is None or not values & meaning:
            break
        values &= meaning
    return values


# The letters a page prints a sex as, and the sexes each stands for: ICAO's M, F, X; Russian М/Ж;
# Ukrainian Ч/Ж (чоловіча, жіноча); Kyrgyz and Uzbek Cyrillic Э/А (эркек, эркак; аял); Kazakh Е/Ә
# (ер, әйел); Uzbek and Turkmen Latin E/A (erkak, erkek; ayol, aýal). Е and E also stand for F:
# Tesseract's English and Russian reading of a small F is often Е, so alone they say nothing
# (_sex_read_again), and a Kazakh man's "Е/M" is never read as a woman's.
_SEX_LETTERS = {"M": {"M"}, "F": {"F"}, "X": {"X"}, "М": {"M"}, "Ж": {"F"}, "Ч": {"M"}, "Э": {"M"}, "Ә": {"F"},
                "А": {"F"}, "A": {"F"}, "Е": {"M", "F"}, "E": {"M", "F"}}
# Letters too common elsewhere on a page (a class, a title's initial, OCR debris) to be a sex
# without its label unless a letter of ICAO's or Russian's prints it too ("Е/M").
_SEX_NATIONAL_ONLY = {"А", "A", "Е", "E"}
