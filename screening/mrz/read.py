"""Page image -> MRZ lines: locate, cut into characters, recognise, decode.

Every hypothesis the image leaves open — which candidate region, which way up, 36 or
44 characters a line — is recognised, and the one whose characters are read most
surely and whose check digits hold wins. The result says which.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import numpy as np

from screening import raster
from screening.errors import EngineMissingError
from screening.mrz import formats
from screening.mrz.decode import (CODE_UNSURE, Correction, Decoded, _holds, allowed_masks, as_printed,
                                  confidence_bound, decode)
from screening.mrz.locate import CHARS_WORK_SIZE, STRIP_MARGIN, WORK_SIZES, MRZCandidate, locate
from screening.mrz.parse import _two_by_36
from screening.mrz.recognize import ALPHABET, probabilities
from screening.mrz.segment import Cells, Line, analyse_line, recut, split_cells, text_extent
from screening.text import Text

# OCR-B in an MRZ: 10 characters per inch, about 1.05 x the characters' height.
PITCH_PER_HEIGHT = 0.95


@dataclass(frozen=True)
class Reading:
    lines: tuple[str, ...]
    layout: str
    confidence: float
    weakest: float
    char_confidences: tuple[tuple[float, ...], ...]
    corrections: tuple[Correction, ...]
    polygon: tuple[tuple[float, float], ...] | None
    quarter_turns: int  # np.rot90 turns that bring the page upright (0-3)
    timings_ms: dict
    score: float
    printed: tuple = ()  # surely read characters the layout allows none of (decode.Decoded.as_printed)


# A reading this sure (mean confidence, discounted per failing check digit) ends the search.
SURE = 0.93
# ... unless our recogniser gave one of its characters less than this: the character is a guess,
# and the reading may be of the wrong cells (a 44-character line cut as 36 under glare scored 0.935
# with a character at 0.105; read on, its 44 characters scored 0.967). Measured on 582 pages (the
# audit archive, tools/calibrate_print.py's genuine and defect sets): of 568 readings at SURE or
# more, 5 had a character under 0.2 and 3 of them were wrong; 2 of 3 from 0.2 to 0.4 were right.
SETTLE_WEAKEST = 0.2
# A reading of our recogniser whose every character is sure, though one or two check digits
# fail, ends the search too: the document is printed so (a forged or misprinted check digit),
# and other crops of it read the same characters at about the same score. Measured on the
# synthetic, audit and real sets: right readings of such documents have a mean confidence of
# 0.955 and up and a weakest character of 0.82 and up; misreads with a mean above 0.9 had a
# weakest character of 0.6 at most. (More failing check digits: a wrong layout, read on.)
SURE_MEAN, SURE_WEAKEST, SURE_FAILING = 0.95, 0.75, 2
# Below this, what was found is not taken for an MRZ at all (on the real development
# set, right readings score 0.87 and up; text that is no MRZ scored up to 0.57).
MINIMUM = 0.62

ENGINES = ("ocrb", "tesseract", "passporteye")


# Three MRZ lines (TD1) at the smallest print the recogniser reads (characters about 7 px high,
# with the gaps between lines) need about 30 pixels across the lines.
MIN_PAGE_SIDE_PX = 30


def read_page(page: np.ndarray, engine: str = "ocrb") -> Reading | None:
    """The best MRZ reading of a grey page, or None when no MRZ can be found.

    ``engine``: ``ocrb`` (our recogniser, the default), ``tesseract`` (Tesseract on the
    lines our locator finds), or ``passporteye`` (the PassportEye reader end to end, as
    the reference peer).
    """
    if min(page.shape[:2]) < MIN_PAGE_SIDE_PX:
        return None  # no MRZ fits: its lines alone need more pixels than this side has
    if engine == "passporteye":
        return _read_passporteye(page)
    recognise = _recognise_ocrb if engine == "ocrb" else _recognise_tesseract
    started = time.perf_counter()
    timings = {"locate": 0.0, "read": 0.0}
    # At the working size that suits most inputs first, upright and then on its side (a page
    # on its side finds no lines upright at any size: it is not made to try them all first);
    # the other sizes only if needed, then the slower search by characters (tight lines
    # the morphology merged).
    searches = [(t, size, "bars") for size in WORK_SIZES for t in (0, 1)]
    searches += [(t, CHARS_WORK_SIZE, "chars") for t in (0, 1)]
    # Last, the bars of only the darkest print (a stamp or a busy background joined the lines).
    searches += [(t, WORK_SIZES[0], "strong") for t in (0, 1)]
    seen: list[MRZCandidate] = []
    best = _search(page, engine, recognise, timings, searches[:1], seen)
    # A page the hand shook (its MRZ smeared one way: raster.shaken) is read again with the shake
    # undone as soon as a reading gives an outline to measure the shake on, and the likelier reading
    # stands (4 of the tuning set's 350 pages read inexactly, all motion-blurred, read exactly so).
    steadied = engine == "ocrb" and _unsure_with_outline(best, engine)
    if steadied:
        best, explained = _read_steadied(page, best, recognise, timings, searches)
        if explained:
            searches = searches[:1]  # the shake undone explains the page better: no more blurred search
    if best is None or not _settled(best, engine):
        best = _search(page, engine, recognise, timings, searches[1:], seen, best)
    if engine == "ocrb" and not steadied and _unsure_with_outline(best, engine):
        best, _ = _read_steadied(page, best, recognise, timings, searches)
    if best is None or best.score < MINIMUM:
        return None
    timings["total"] = (time.perf_counter() - started) * 1000
    # Only our recogniser's probabilities say how sure a character is (models.CALIBRATED_ENGINES).
    printed = best.printed if engine == "ocrb" else ()
    lines, confidences, corrections = as_printed(best.lines, best.char_confidences, best.corrections, printed)
    return Reading(lines, best.layout, best.confidence, best.weakest, confidences, corrections,
                   best.polygon, best.quarter_turns, timings, best.score)


def _unsure_with_outline(reading: "Reading | None", engine: str) -> bool:
    return reading is not None and bool(reading.polygon) and not _settled(reading, engine)


def _read_steadied(page: np.ndarray, best: Reading, recognise, timings: dict, searches) -> tuple[Reading, bool]:
    """``best``, or the reading of the page with its shake undone where that is likelier (and True);
    ``best`` unchanged where the page is not shaken. Only the searches the way the page lies (known
    from ``best``)."""
    blur = raster.shaken(page, best.polygon)
    if blur is None:
        return best, False
    lying = [step for step in searches if step[0] == best.quarter_turns % 2]
    again = _search(raster.deblurred(page, blur), "ocrb", recognise, timings, lying, [])
    return (again, True) if again is not None and again.score > best.score else (best, False)


def _settled(reading: Reading, engine: str) -> bool:
    """Is ``reading`` sure enough to end the search (SURE with no character guessed, or read as
    printed: SURE_MEAN)?"""
    if engine != "ocrb":
        return reading.score >= SURE
    return (reading.score >= SURE and reading.weakest >= SETTLE_WEAKEST) or _read_as_printed(reading)


def _search(page: np.ndarray, engine: str, recognise, timings: dict, searches, seen: list,
            best: "Reading | None" = None) -> Reading | None:
    """The best reading of the candidates that ``searches`` (turns, working size, method) locate,
    searched until one is ``_settled``; ``best``: the best so far, to beat. Adds each step's time
    to ``timings`` and the candidates located to ``seen`` (not located again)."""

    def settled() -> bool:
        return best is not None and _settled(best, engine)

    for turns, work_size, method in searches:
        if turns == 1 and engine == "ocrb" and best is not None and best.confidence >= SURE_MEAN:
            # Upright print read this surely (check digits aside): the page is not on its side, and
            # its side's searches find nothing (on ../shared/eval/real-dev they cost 13 % of the
            # reading time and found no candidate on any page).
            continue
        t0 = time.perf_counter()
        candidates = locate(page, turns, work_size, seen=seen, method=method)
        seen += candidates
        timings["locate"] += (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        for candidate in candidates:
            for reading in _hypotheses(candidate, recognise, to_beat=lambda: best.score if best else 0.0):
                if best is None or reading.score > best.score:
                    best = reading
                if settled():
                    break
            if settled():
                break
        timings["read"] += (time.perf_counter() - t0) * 1000
        if settled():
            break
    return best


# Upside-down print recognised upright scores about 0.25-0.45 (no character reads
# surely); print read at the wrong line length still scores 0.55-0.9 (most cells hold one
# character). Measured on the synthetic and audit sets, rotated and not.
UPSIDE_DOWN_BELOW = 0.5
# So a candidate our recogniser read at its likelier length both ways up, scoring below this
# either way, is no MRZ (text of the visual zone, a table, a stamp): its other readings (the other length, the
# locator's extent) are not made. On ../shared/eval/real-dev such candidates cost a page without
# an MRZ 0.8 s; every MRZ there read at 0.84 or more at its first or upside-down reading, and at
# 0.55 or more at the wrong length (the measurements above), all above this.
NOT_AN_MRZ_BELOW = UPSIDE_DOWN_BELOW


def _read_as_printed(reading: Reading) -> bool:
    """Every character read surely, and few enough check digits failing (see SURE_MEAN)."""
    few_failing = reading.score >= reading.confidence * 0.97 ** SURE_FAILING - 1e-9
    return reading.confidence >= SURE_MEAN and reading.weakest >= SURE_WEAKEST and few_failing


def _hypotheses(candidate: MRZCandidate, recognise, to_beat=lambda: 0.0):
    """Readings of a candidate, the likeliest first: upright at the line length that fits the
    strip's proportions, then whichever that reading points to — upside down when it read
    hardly anything, the other length when it read most characters.

    ``to_beat()``: the best score so far; readings that cannot beat it are left out (not decoded)."""
    strips = candidate.strips
    # Each way up, every strip's ink is analysed once for all the readings (and only when needed).
    analysed: dict[bool, tuple[Line, ...]] = {}

    def lines(upside_down: bool) -> tuple[Line, ...]:
        if upside_down not in analysed:
            analysed[upside_down] = tuple(analyse_line(s) for s in _turned(strips, upside_down))
        return analysed[upside_down]

    if len(strips) == 3:
        lengths = (30,)
    else:
        estimate = _estimate_length(lines(False)[0])
        lengths = tuple(sorted((44, 36), key=lambda n: abs(n - estimate)))

    most: list[float] = []  # per reading made, the most it can score (its score, or its bound if left out)

    def read(upside_down: bool, length: int, located: bool = False) -> Reading | None:
        # The outline's corners run clockwise from the top left as read: upside down, from the other end.
        polygon = candidate.polygon[2:] + candidate.polygon[:2] if upside_down else candidate.polygon
        if recognise is _recognise_ocrb:
            def recognise_strips(turned, n):
                return _recognise_ocrb(turned, n, located=located, lines=lines(upside_down))
        else:
            recognise_strips = recognise
        reading, at_most = _read_strips(_turned(strips, upside_down), length, candidate,
                                        (candidate.quarter_turns + 2 * upside_down) % 4, recognise_strips, polygon,
                                        to_beat())
        most.append(at_most)
        return reading

    first = read(False, lengths[0])
    if first is not None:
        yield first
    other_length = [(False, n) for n in lengths[1:]]
    turned_round = [(True, n) for n in lengths]
    # (A first reading that could not beat the best so far is taken for upside down: this
    # only orders the readings.)
    looks_upside_down = first is None or first.score < UPSIDE_DOWN_BELOW
    rest = turned_round + other_length if looks_upside_down else other_length + turned_round
    for upside_down, length in rest:
        if (reading := read(upside_down, length)) is not None:
            yield reading
        if recognise is _recognise_ocrb and looks_upside_down and len(most) == 2 and max(most) < NOT_AN_MRZ_BELOW:
            return  # read both ways up at its likelier length: no MRZ either way
    # Print that fades out (fillers under glare) shortens the extent found in the print:
    # the locator's extent of the line, the same for every line, is the other reading.
    if recognise is _recognise_ocrb and any(_print_share(line) < 0.9 for line in lines(False)):
        for upside_down, length in [(False, lengths[0])] + rest:
            # Where every line's print extent was too short to trust, the readings above
            # took the locator's extent already: the same cells, the same reading.
            if any(line.print_extent is not None for line in lines(upside_down)):
                if (reading := read(upside_down, length, located=True)) is not None:
                    yield reading


def _turned(strips: tuple[np.ndarray, ...], upside_down: bool) -> tuple[np.ndarray, ...]:
    """The strips as read upside down: each turned half round, the last line first."""
    return tuple(np.rot90(s, 2) for s in reversed(strips)) if upside_down else strips


def _print_share(line: Line) -> float:
    """The share of the located line that the print's own extent covers."""
    left, right = text_extent(line.ink[line.top : line.bottom].mean(axis=0), line.bottom - line.top)
    return (right - left) / max(line.ink.shape[1] - 2 * STRIP_MARGIN, 1.0)


def _estimate_length(line: Line) -> float:
    left, right = text_extent(line.ink[line.top : line.bottom].mean(axis=0), line.bottom - line.top)
    return (right - left) / max(PITCH_PER_HEIGHT * (line.bottom - line.top), 1.0)


def _read_strips(strips, length: int, candidate: MRZCandidate, quarter_turns: int, recognise, polygon,
                 to_beat: float = 0.0) -> tuple[Reading | None, float]:
    """The strips read as ``length`` characters a line, and the most the reading can score; the
    reading is None when that cannot exceed ``to_beat`` (decoding, the costly part after
    recognition, is then skipped)."""
    recognised = recognise(strips, length)
    looked: tuple[Correction, ...] = ()
    if isinstance(recognised, np.ndarray):  # an engine that reads whole lines: aligned already
        probs = list(recognised)
        layout = _layout_for(_guess(probs), length)
    else:
        offsets = _align(recognised, length)
        probs = [r.probs[o:o + length] for r, o in zip(recognised, offsets)]
        layout = _layout_for(_guess(probs), length)
    bound = confidence_bound(list(probs), layout)
    if to_beat > 0 and bound < to_beat - 1e-9:
        return None, bound
    if not isinstance(recognised, np.ndarray):
        probs, looked = second_look(recognised, offsets, probs, layout)
    decoded = decode(list(probs), layout)
    reading = Reading(decoded.lines, layout.name, decoded.confidence, decoded.weakest, decoded.confidences,
                      _merged(looked + decoded.corrections), polygon, quarter_turns, {}, _score(decoded, layout),
                      decoded.as_printed)
    return reading, reading.score


def _merged(corrections: tuple[Correction, ...]) -> tuple[Correction, ...]:
    """One correction per character: a second look's change that the decoder changed back is
    no change; one it changed further is reported by the last step, from what was first read."""
    out: dict[tuple[int, int], Correction] = {}
    for c in corrections:
        earlier = out.pop((c.line, c.position), None)
        if earlier is not None:
            if earlier.read == c.chosen:
                continue
            c = Correction(c.line, c.position, earlier.read, c.chosen, earlier.confidence, c.reason, c.text)
        out[(c.line, c.position)] = c
    return tuple(out.values())


def _guess(probs) -> list[str]:
    return ["".join(ALPHABET[i] for i in p.argmax(axis=1)) for p in probs]


# Cells cut beyond each end of a line's print (see split_cells): a mark, text or a card's
# edge beside the line lengthens the print's extent by a cell or two.
EXTRA_CELLS = 2


@dataclass(frozen=True)
class LineCells:
    """One strip cut into ``length + 2 * EXTRA_CELLS`` cells, and what the recogniser read in each."""

    probs: np.ndarray  # (cells, 37)
    cells: Cells
    line: Line


# Evidence for one alignment of a line against another, in log-likelihood units: a check digit
# that holds where it should is ten times likelier of the right alignment than of a wrong one
# (a random digit holds one time in ten); a line that does not start with a document code
# (P, I, A, C, V: Doc 9303 Part 3, 4.2.2.1) or a cell with no print in it (every MRZ position
# is printed, fillers included) is a hundred times less likely.
_CHECK_EVIDENCE = float(np.log(10))
_MISFIT = float(np.log(100))
DOCUMENT_CODES = "PIACV"
# A cell with less ink than this share of the line's median cell is empty. Measured on
# tests/pages.py's TD3 page at 150, 200 and 300 dpi: fillers carry 0.61-0.97 of the median
# cell's ink (the median of a name line is a filler itself), the cells cut beyond a line's
# ends 0.0-0.23 (a neighbour's rim spills into them).
EMPTY_CELL = 0.4
# Lines of one MRZ start in the same column: a choice that puts one line's first character
# more than half a pitch from the others' costs as much as a failing check digit per pitch.
_COLUMN_SLACK = 0.5


def _align(recognised: tuple[LineCells, ...], length: int) -> tuple[int, ...]:
    """Per line, the first of the ``length`` consecutive cells that best explain the page as
    an MRZ of this length (see ``_best_offsets``). Every choice keeps the line ``length``
    characters long: ink beside a line cannot add or remove a character."""
    centred = [r.probs[EXTRA_CELLS:EXTRA_CELLS + length] for r in recognised]
    layout = _layout_for(_guess(centred), length)
    for _ in range(2):  # the layout depends on the first character (a visa's V): settle both
        offsets = _best_offsets(recognised, layout, length)
        chosen = [r.probs[o:o + length] for r, o in zip(recognised, offsets)]
        again = _layout_for(_guess(chosen), length)
        if again is layout:
            break
        layout = again
    return offsets


def _best_offsets(recognised: tuple[LineCells, ...], layout, length: int) -> tuple[int, ...]:
    """The first cell of every line's window: the best sum of the lines' own evidence, less the
    cost of lines that do not start in the same column."""
    choices = range(2 * EXTRA_CELLS + 1)
    masks = allowed_masks(layout)
    own = [[_line_evidence(r, o, length, layout, index, masks[index]) for o in choices]
           for index, r in enumerate(recognised)]
    # Where each window starts, in pitches from the located line's start (strips share that).
    starts = [[(r.cells.bounds[o] - r.line.located_extent[0]) / max(r.cells.pitch, 1e-6) for o in choices]
              for r in recognised]
    # Every combination of windows at once: (combinations, lines).
    combos = np.array(list(itertools.product(choices, repeat=len(recognised))))
    rows = np.arange(len(recognised))[None, :]
    score = np.asarray(own)[rows, combos].sum(axis=1)
    columns = np.asarray(starts)[rows, combos]
    middle = np.median(columns, axis=1, keepdims=True)
    score -= _CHECK_EVIDENCE * np.maximum(0.0, np.abs(columns - middle) - _COLUMN_SLACK).sum(axis=1)
    # Equal evidence: the print's own extent (the centred window) stands.
    score -= 1e-6 * np.abs(combos - EXTRA_CELLS).sum(axis=1)
    return tuple(int(o) for o in combos[int(np.argmax(score))])


def _line_evidence(recognised: LineCells, offset: int, length: int, layout, index: int, mask: np.ndarray) -> float:
    """How well ``length`` cells from ``offset`` explain line ``index`` of ``layout``: the log of
    each cell's probability of a character its position allows, and the evidence above."""
    probs = recognised.probs[offset:offset + length]
    allowed = (probs * mask).sum(axis=1)
    score = float(np.log(np.maximum(allowed, 1e-4)).sum())
    chars = [ALPHABET[i] for i in np.argmax(probs * mask, axis=1)]
    if index == 0 and chars[0] not in DOCUMENT_CODES:
        score -= _MISFIT
    ink = recognised.cells.ink
    typical = float(np.median(ink[EXTRA_CELLS:EXTRA_CELLS + length]))
    score -= _MISFIT * int(np.sum(ink[offset:offset + length] < EMPTY_CELL * typical))
    lines = [chars if i == index else [] for i in range(layout.lines)]
    for spec in layout.check_digits:
        if spec.digit[0] == index and all(line == index for line, _, _ in spec.covers):
            score += _CHECK_EVIDENCE if _holds(spec, lines, layout) else -_CHECK_EVIDENCE
    return score


# Characters no check digit of their own protects (names, codes, sex; a TD1's second optional
# data has only the composite) that were read below this probability are cut again and read
# again (see second_look). The bar is decode.CODE_UNSURE: the same measurement on generated
# pages puts almost no right reading below it and most wrong ones.
SECOND_LOOK_BELOW = CODE_UNSURE
# The cell cut again: moved a twelfth and a sixth of its width each way, and its ink binarised
# at a low and a high level (thin strokes, a faint stain): (shift, grow, threshold). Not
# widened or narrowed: that changes the character's proportions, which are what tell OCR-B's
# 0 from O (a real TD1's '0' read as 'O' when cells were widened and narrowed too).
_SECOND_CUTS = ((-0.08, 0.0, None), (0.08, 0.0, None), (-0.16, 0.0, None), (0.16, 0.0, None),
                (0.0, 0.0, 0.3), (0.0, 0.0, 0.6))


# A reading with more unsure characters than this is a wrong hypothesis (the wrong length, upside
# down) or a page no second look mends: not looked at again. Right readings of the generated
# and real development pages have at most a few unsure characters.
SECOND_LOOK_AT_MOST = 6


def _unprotected(layout) -> list[set[int]]:
    """Per line, the letters that no field's own check digit covers: names, state and document
    codes, sex. (Optional data may mix digits and letters: a second look cannot tell its 0 from
    O better than the first, and a real TD1's '0' came out 'O' when it tried.)"""
    covered = [set() for _ in range(layout.lines)]
    for spec in layout.check_digits:
        if spec.name != "composite":
            for line, start, end in spec.covers:
                covered[line].update(range(start, end))
    letters = [set() for _ in range(layout.lines)]
    for spec in layout.fields:
        if spec.charset in (formats.ALPHA, formats.SEX):
            letters[spec.line].update(range(spec.start, spec.end))
    return [letter - cover for letter, cover in zip(letters, covered)]


def second_look(recognised: tuple[LineCells, ...], offsets: tuple[int, ...], probs: list[np.ndarray],
                layout) -> tuple[list[np.ndarray], tuple[Correction, ...]]:
    """Unsure characters that no check digit protects, read again from the cell cut a few other
    ways; the probabilities of all the readings averaged. A character whose best allowed
    reading changes is reported as a correction."""
    masks = allowed_masks(layout)
    wanted = []  # (line, position, cell)
    for index, positions in enumerate(_unprotected(layout)):
        restricted = probs[index] * masks[index]
        for position in sorted(positions):
            if restricted[position].max() / max(restricted[position].sum(), 1e-9) < SECOND_LOOK_BELOW:
                wanted.append((index, position, offsets[index] + position))
    if not wanted or len(wanted) > SECOND_LOOK_AT_MOST:
        return probs, ()
    patches = []
    for index, _, cell in wanted:
        r = recognised[index]
        pitch = r.cells.pitch
        x0, x1 = r.cells.bounds[cell] - 0.08 * pitch, r.cells.bounds[cell + 1] + 0.08 * pitch
        patches += [recut(r.line, x0, x1, r.cells.rows, shift, grow, threshold) for shift, grow, threshold in _SECOND_CUTS]
    again = probabilities(np.stack(patches)).reshape(len(wanted), len(_SECOND_CUTS), -1)
    out = [p.copy() for p in probs]
    corrections = []
    for (index, position, _), readings in zip(wanted, again):
        before = probs[index][position]
        after = (before + readings.sum(axis=0)) / (1 + len(readings))
        out[index][position] = after
        first, chosen = (int(np.argmax(p * masks[index][position])) for p in (before, after))
        if first != chosen:
            reason = Text("unsure between '{read}' and '{chosen}' and no check digit covers it; read again "
                          "from {count} other cuts of the character: '{chosen}'", read=ALPHABET[first],
                          chosen=ALPHABET[chosen], count=len(_SECOND_CUTS))
            corrections.append(Correction(index + 1, position + 1, ALPHABET[first], ALPHABET[chosen],
                                          float(before[first]), str(reason), reason))
    return out, tuple(corrections)


def _recognise_ocrb(strips, length: int, located: bool = False,
                    lines: tuple[Line, ...] | None = None) -> tuple[LineCells, ...]:
    """``lines``: the strips' ``analyse_line``, when the caller has them already."""
    lines = lines or tuple(analyse_line(strip) for strip in strips)
    cells = [split_cells(strip, length, located=located, line=line, extra=EXTRA_CELLS)
             for strip, line in zip(strips, lines)]
    patches = np.concatenate([c.patches for c in cells])
    probs = probabilities(patches).reshape(len(strips), length + 2 * EXTRA_CELLS, -1)
    return tuple(LineCells(p, c, line) for p, c, line in zip(probs, cells, lines))


# Characters Tesseract mistakes for each other on MRZ print: the decoder may choose among them.
_LOOKALIKES = ["0ODQU", "1I", "2Z", "5S", "8B", "6G", "<K", "4A", "7T"]


# Tesseract's word confidence (0..1) mapped onto the probability of the character it read, so
# that it stays above any look-alike's share of the rest. The old mapping (the confidence itself, at
# least 0.05) made every look-alike likelier than Tesseract's own character on a line it read at a
# low confidence, which name lines usually are (their fillers): 'P<UZBTOSHMATOV<<OTKIR<<<...' read at
# confidence 0 was decoded 'PKUZBTDSHMATDVKKDT<IR...'. The low end stays below decode.CONFIDENT
# (0.90), so a look-alike may still be taken where a check digit or a code table asks for it, and
# above 0.5 with a margin, so that a character with a single look-alike ('<' and K) keeps its first
# place at any confidence. Measured on the first 15 clean pages of benchmarks/engines.py (seed 9303): characters read wrong
# 351 -> 106 of 1090.
TESSERACT_FIRST_CHOICE = (0.6, 0.99)


def _recognise_tesseract(strips, length: int) -> np.ndarray:
    """Tesseract's text as pseudo-probabilities: its character first, and the rest of its
    probability spread over the characters Tesseract is known to confuse it with."""
    from screening.tesseract import read_line

    low, high = TESSERACT_FIRST_CHOICE
    out = np.full((len(strips), length, len(ALPHABET)), 1e-4, np.float32)
    for index, strip in enumerate(strips):
        text, confidence = read_line(strip)
        text = "".join(c for c in text.upper() if c in ALPHABET)
        text = text[:length].ljust(length, "<")
        confidence = low + (high - low) * min(max(confidence, 0.0), 1.0)
        for position, char in enumerate(text):
            out[index, position, ALPHABET.index(char)] = confidence
            group = next((g for g in _LOOKALIKES if char in g), char)
            others = [c for c in group if c != char]
            for other in others:
                out[index, position, ALPHABET.index(other)] = (1 - confidence) / len(others)
    return out / out.sum(axis=2, keepdims=True)


def _read_passporteye(page: np.ndarray) -> Reading | None:
    """PassportEye end to end (its own locating and Tesseract call), for comparison."""
    import io
    import warnings

    from PIL import Image

    started = time.perf_counter()
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, "PNG")
    buffer.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from passporteye import read_mrz
        except ImportError:
            raise EngineMissingError(Text("The passporteye engine is not installed: pip install "
                                          "'screening[peers]'.")) from None

        try:
            mrz = read_mrz(buffer)
        except Exception:  # PassportEye raises assorted errors on hard images: no read
            mrz = None
    elapsed = (time.perf_counter() - started) * 1000
    if mrz is None or not mrz.aux.get("text"):
        return None
    lines = tuple(line for line in mrz.aux["text"].splitlines() if line.strip())
    confidence = max(0.0, min(1.0, float(mrz.valid_score) / 100.0))
    length = max(len(line) for line in lines)
    layout = formats.TD1 if len(lines) == 3 else _layout_for(list(lines), 44 if length > 40 else 36)
    return Reading(lines, layout.name, confidence, confidence, (), (), None, 0,
                   {"locate": 0.0, "read": elapsed, "total": elapsed}, confidence)


def _layout_for(lines: list[str], length: int):
    if length == 30:
        return formats.TD1
    if length == 44:
        return formats.MRV_A if lines[0].startswith("V") else formats.TD3
    return _two_by_36(lines)


def _score(decoded: Decoded, layout) -> float:
    """Mean character confidence, slightly discounted for every check digit that fails (a
    forged document fails them too: confidence must stay the main evidence)."""
    chars = [list(line) for line in decoded.lines]
    failing = sum(not _holds(spec, chars, layout) for spec in layout.check_digits)
    return decoded.confidence * (0.97 ** failing)
