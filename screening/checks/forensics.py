"""Print forensics: the MRZ lines are printed alike, in OCR-B, at the specified proportions.

Only for MRZs read from an image; typed MRZs yield nothing. Lines are compared with each
other in the MRZ's rectified frame (pixel sizes depend on the scan, perspective is removed),
so a pasted or re-printed line shows as the one that differs. A difference counts only when
it exceeds both several standard errors of the page's own characters (``Z``) and a floor
above what genuine documents show in every capture condition we can make (the floors below;
``tools/calibrate_print.py`` prints the genuine spreads they come from). Where the capture
cannot support the claim (too few pixels per character, blurred edges, strong perspective,
scattered characters) a difference is a review that gives those figures, never an alert.
The figures measured are in every message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from screening import forensics, raster
from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import ALERT, FAIL, REVIEW, Finding
from screening.text import Join, Text, text_of
from screening.zones import MRZ_PITCH_MM

# A difference between lines must exceed this many of its standard errors (from the scatter
# of the lines' own characters): at 4 a genuine page passes a single test by chance about once
# in 16 000, and the page makes at most five.
Z = 4.0
# ... and a floor above the largest difference genuine documents show. Measured with
# `tools/calibrate_print.py --per-condition 12 --per-defect 6 --defects pasted_line,reprinted_line`
# (genuine figures re-measured with the final code at commit time; re-printed figures from the
# run before the last two measuring fixes)
# on clean documents of every tuning capture (scan300, scan150, jpeg_low, rotated90/180/270, skew,
# phone, handheld_tilt, shadow_glare, motion_blur, webcam_640), every tuning layout and the laser
# and inkjet printers; "genuine max" leaves out the lines the capture rule below already sends to
# review (a line's characters scattered by more than MAX_SCATTER: a glare spot or blur broke it).
# Every floor is twice that genuine maximum (rounded): our generator's printers and cameras are
# more alike than the world's (genuine real specimens were seen at 0.4 degrees and 7 % in height,
# measured only, on ../shared/eval/real-dev), so a floor just above them would alert on documents
# we did not make.
PITCH_FLOOR = 0.02  # relative pitch difference; genuine max 0.010 (handheld_tilt); pasted 0.08-0.12
# Pitch less half the height (a keystone across the lines changes both, this not): genuine max
# 0.023 (webcam_640; scans 0.014); pasted 0.08-0.12 (re-printed 0.025-0.035: below it).
PITCH_FREE_FLOOR = 0.045
# ... but where the capture shows no perspective (at most SHIFT_MAX_PERSPECTIVE along the lines: a
# scanner, or a camera held square), a pitch beyond PITCH_FLOOR whose line's height did not follow
# it as a keystone's would is claimed from this floor up. Measured with tools/diagnose_recall.py's
# set (seed 31: 150 clean documents over every tuning layout x printer x capture, 40 re-printed
# lines), heights cut at each line's own ink level (screening.forensics._levelled): on the 135 clean
# documents whose capture supports a claim, the pitch never differed by more than 0.008 (handheld_tilt;
# 0.008 on phone photos within that perspective) and pitch less half the height at most 0.020 (a
# phone photo, z 1.3; scans 0.012; the largest z 2.9): no genuine document came near both floors
# and Z. Re-printed at another pitch: pitch 0.021-0.036, pitch less half the height 0.020-0.041
# at z 4.7-10 (one at z 2.9, on a photo whose blur the capture rule sends to review). A tilted
# camera's keystone between the floors is a review with the figures.
PITCH_FREE_FLAT_FLOOR = 0.018
# Relative height difference; genuine max 0.044 (webcam_640) where no glare spot thins a line;
# shadow_glare up to 0.099, at z <= 3.5 (below Z). Pasted 0.07-0.51 (median 0.21-0.27; height less
# twice the pitch 0.19-0.49).
HEIGHT_FLOOR = 0.09
# Height less twice the pitch; genuine max 0.043 (webcam_640), shadow_glare 0.093 at z <= 3.9;
# re-printed 0.09-0.14 (partly below it).
HEIGHT_FREE_FLOOR = 0.09
# Baseline slopes, degrees; genuine max 0.27 (scan150; rotated90 0.26, handheld_tilt 0.22);
# pasted lines slope 0.4-0.6 (measured 0.27-1.18, median 0.56: often below it), but they also sit 0.6-0.8 mm out of
# place, which MIN_LINE_GAP (two lines) and SPACING_FLOOR (three) find. A slope difference counts
# only where each half of the line shows at least half the floor, the same way
# (_half_differences): of the 7 pasted lines of `tools/calibrate_print.py --per-condition 40
# --seed 51` whose slope passed the floor, 6 did so over both halves (0.52-1.02°); genuine booklet
# pages that curve by the spine (trust seeds 14 and 15) measured 0.75-0.98° apart as a whole and
# -0.11-0.34° over either half.
ANGLE_FLOOR = 0.55
# (3 lines) the two gaps between baselines, relative: genuine max 0.062 on the first calibration
# (webcam_640), but 0.128 on 55 phone photos of `tools/calibrate_print.py --per-condition 60 --seed 23`
# (p95 0.106), one of which the old floor of 0.12 alerted on; pasted lines 0.04-0.19 (median 0.135
# for those pasted at another size, which their height gives away at 0.22-0.32 anyway).
SPACING_FLOOR = 0.2
# A line set off sideways, as far as both its start and its middle say (_shifts), in mm: genuine max
# 0.12 on every capture that measured a perspective of at most SHIFT_MAX_PERSPECTIVE (scans,
# rotations, skew, jpeg_low, shadow_glare, webcam_640; phone photos 0.23), 0.31-0.44 on phone and
# hand-held photos beyond it (perspectives 0.03-0.14: the rectification keeps the lines' direction,
# not the margin's, and leaves a shear), 0.185 on real specimens (measured only). Re-printed lines
# 0.26-2.7 (median 0.54-0.57 for those re-printed at another size or baseline; at another pitch,
# start and middle often move apart, and the pitch says it). Tuning figures from
# `tools/calibrate_print.py --per-condition 12 --per-defect 6 --defects pasted_line,reprinted_line`
# and the tuning families of `benchmarks/trust.py` (seed 12). The camera's shear taken out
# (screening.forensics.SLANT_SPREAD), genuine lines were never more than 0.148 mm apart without
# perspective and 0.094 mm with it (`tools/calibrate_print.py --per-condition 40 --seed 51`, 239
# captures that support a claim): beyond the perspective the shift is then judged as on a scan.
# Re-printed lines there 0.3 mm or more off: 37 of 48 flat, 22 of 24 tilted.
SHIFT_FLOOR = 0.3
SHIFT_MAX_PERSPECTIVE = 0.02
# (2 lines) baselines closer than this many character heights: a line re-printed out of place.
# Measured: 23 real two-line MRZs 2.0-3.1, generated clean ones from 1.84 (tuning families
# 1.93-2.11); lines pasted 0.6-0.8 mm too high 1.45-1.85 (median 1.52).
MIN_LINE_GAP = 1.65
# One line's likeness to OCR-B below the others'; genuine max 0.070 (webcam_640; scans 0.043),
# shadow_glare 0.101 (glare washes a line out);
# another font 0.11-0.20 (the pasted font is also 1.2 times as high, which HEIGHT_FLOOR finds).
OCRB_FLOOR = 0.15
# ... but a genuine phone photo of a passport (tools/diagnose_recall.py, seed 31) measured its name
# line at 0.67 against 0.84 for the line of digits (0.171, z 4.5; 0.151 with heights cut at each
# line's own ink level): letters and digits match OCR-B unequally once blurred, and a line of
# names holds no digit. Up to 1.5 times that, a line less like OCR-B is a review with the figures;
# beyond it, an alert.
OCRB_ALERT_FLOOR = 0.25
OCRB_LOW = 0.85  # ... and worse than this
OCRB_REFERENCE = 0.7  # ... while the other lines match at least this well
# OCR-B in an MRZ: 2.54 mm pitch, characters about 2.3-2.9 mm high (Doc 9303 Part 3).
PITCH_PER_HEIGHT = (0.7, 1.4)
# Beyond these, the measurement itself failed (no print is that squat or that tall).
MEASURABLE = (0.5, 2.0)
# A capture too poor to claim a difference (then a difference is a review with these figures),
# from the same calibration: capitals 11.7-13.8 px high on webcam_640 (measured within the
# floors above), 14.6 on scan150, 25-30 on the rest; edges 2-4.3 px wide on scans, up to 6.3 on
# phone photos; a line's bottoms scattered by up to 0.057 of its height where it measured
# well, 0.13-0.58 where a glare spot, a shadow or blur broke the line (phone, motion_blur).
MIN_CHAR_PX = 10.0
MAX_EDGE_PX = 7.0
# Characters 40 % smaller at one end than at the other (tuning captures up to 0.14): rectification
# left <= 0.04° between baselines up to 0.5 (the tests/test_forensics.py page warped), but the
# far end loses its pixels.
MAX_PERSPECTIVE = 0.4
MAX_SCATTER = 0.08
MIN_LIKENESS = 0.45  # see _lost_grid
# Errors measuring can really raise on odd pixels (an empty fit, a singular system, OpenCV
# refusing a degenerate warp); anything else is a bug and must show.
MEASURING_ERRORS = (forensics.NotMeasurable, cv2.error, np.linalg.LinAlgError)


@dataclass(frozen=True)
class Difference:
    """The line that differs most from the others in one quantity, and by how much."""

    quantity: str  # pitch, height, angle, spacing, ocrb
    line: int  # 0-based
    size: float  # relative for pitch, height, spacing; degrees for angle; correlation for ocrb
    se: float  # its standard error from the characters' own scatter, same unit
    value: float  # the line's own value (mm, degrees, correlation)
    others: float  # the other lines' value

    @property
    def z(self) -> float:
        return abs(self.size) / self.se if self.se > 0 else float("inf")


PRINT_CHECKS = ("print.line_consistency", "print.ocrb", "print.proportions")


@check(
    CheckSpec("print.line_consistency", ALERT,
              "The MRZ lines share one pitch, character height, baseline slope and spacing (no pasted line)"),
    CheckSpec("print.ocrb", ALERT, "Every MRZ line is printed in OCR-B (glyphs compared with OCR-B)"),
    CheckSpec("print.proportions", REVIEW, "Character pitch and height are in the proportions of OCR-B at 10 per inch"),
)
def print_forensics(ctx: CheckContext):
    read = ctx.read
    if read is None or ctx.page is None or not read.region:
        return  # typed MRZ: there is no print to look at
    lines = ctx.parsed.lines
    if len(lines) < 2 or len({len(line) for line in lines}) != 1:
        return
    # A print that could not be measured is not known to be genuine: each print check says so, and
    # the verdict is a review (a pasted line on that capture goes unseen by the checks).
    try:
        measured = forensics.measure(ctx.page, read.quarter_turns, read.region, lines)
    except forensics.NotMeasurable as reason:
        for check_id in PRINT_CHECKS:
            yield ctx.skipped(check_id, "The MRZ print could not be measured: {reason}. Compare the MRZ lines by eye.",
                              severity=REVIEW, reason=text_of(reason))
        return
    except MEASURING_ERRORS as error:
        for check_id in PRINT_CHECKS:
            yield ctx.skipped(check_id, "The MRZ print could not be measured ({error}). Compare the MRZ lines by eye.",
                              severity=REVIEW, error=type(error).__name__)
        return
    ms = measured.lines
    ratio = float(np.median([m.pitch_mm / m.height_mm for m in ms]))
    # What keeps the capture from supporting a claim about the characters' height: a line whose glyphs
    # are not matched to its positions (_lost_grid) is left out, for print at another size does that.
    poor = poor_capture(measured.capture)
    if not MEASURABLE[0] <= ratio <= MEASURABLE[1]:
        # Characters measured at half their height or less: the cut missed the print (a blurred
        # photo), so comparing lines would compare measuring errors. Proportions says what was seen.
        for check_id in ("print.line_consistency", "print.ocrb"):
            yield ctx.skipped(check_id, "The MRZ print could not be measured reliably (pitch to character height "
                              "{ratio}): lines not compared. Compare them by eye.", severity=REVIEW,
                              ratio=f"{ratio:.2f}")
        poor.append(Text("characters measured at {share} % of their pitch or less (the cut missed the print)",
                         share=f"{100 / ratio:.0f}"))
    else:
        lost = poor + _lost_grid(ms)
        yield from _consistency(ctx, measured, lost)
        yield from _ocrb(ctx, ms, lost)
    yield from _proportions(ctx, ms, poor)


def poor_capture(capture: forensics.Capture | None) -> list[Text]:
    """What in the capture keeps it from supporting a claim about the print (empty: nothing)."""
    if capture is None:
        return []
    poor = []
    if capture.char_px < MIN_CHAR_PX:
        poor.append(Text("characters {px} pixels high (at least {min} needed)", px=f"{capture.char_px:.0f}",
                         min=f"{MIN_CHAR_PX:.0f}"))
    if capture.edge_px > MAX_EDGE_PX:
        poor.append(Text("edges blurred over {px} pixels (at most {max})", px=f"{capture.edge_px:.1f}",
                         max=f"{MAX_EDGE_PX:.1f}"))
    if capture.perspective > MAX_PERSPECTIVE:
        poor.append(Text("a perspective of {share} % along the lines (at most {max} %)",
                         share=f"{100 * capture.perspective:.0f}", max=f"{100 * MAX_PERSPECTIVE:.0f}"))
    if capture.scatter > MAX_SCATTER:
        poor.append(Text("characters scattered by {share} % of their height about their baselines (at most {max} %)",
                         share=f"{100 * capture.scatter:.0f}", max=f"{100 * MAX_SCATTER:.0f}"))
    return poor


def _lost_grid(ms) -> list[Text]:
    """A line whose glyphs hardly resemble the characters the reader read there: the boxes were not
    matched to their positions (a glare spot, a shadow), so its figures measure that, not the print.
    OCR-B lines measure 0.7-0.95, a line in another font (DejaVu Sans Mono) 0.73-0.77 (the same
    letters in another design still correlate); below MIN_LIKENESS the grid was lost."""
    return [Text("the characters of line {line} not matched to their positions (likeness {likeness})",
                 line=i + 1, likeness=f"{m.ocrb_match:.2f}")
            for i, m in enumerate(ms) if m.ocrb_match is not None and m.ocrb_match < MIN_LIKENESS]


def describe(ms) -> Join:
    return Join("; ", [Text("line {line}: pitch {pitch} mm, height {height} mm, slope {slope}°", line=i + 1,
                            pitch=f"{m.pitch_mm:.2f}", height=f"{m.height_mm:.2f}", slope=f"{m.angle_deg:+.2f}")
                       for i, m in enumerate(ms)])


def _others(values: list[float], errors: list[float], i: int) -> tuple[float, float]:
    """The other lines' value (their median) and its standard error."""
    rest = [(v, e) for j, (v, e) in enumerate(zip(values, errors)) if j != i]
    if len(rest) == 1:
        return rest[0]
    if len(rest) == 2:  # the median of two is their mean
        return (rest[0][0] + rest[1][0]) / 2, float(np.hypot(rest[0][1], rest[1][1])) / 2
    return float(np.median([v for v, _ in rest])), 1.2533 * float(np.sqrt(np.mean([e * e for _, e in rest]))) \
        / np.sqrt(len(rest))


def _per_line(quantity: str, values: list[float], errors: list[float], relative: bool) -> list[Difference]:
    """Each line against the others."""
    out = []
    for i, value in enumerate(values):
        others, others_se = _others(values, errors, i)
        se = float(np.hypot(errors[i], others_se))
        size = value / others - 1 if relative else value - others
        out.append(Difference(quantity, i, size, se / abs(others) if relative else se, value, others))
    return out


def _odd(candidates: list[Difference], nominal: float | None = None) -> Difference:
    """The line farthest from the others (for two lines: the one farther from ``nominal``, or the
    second, since the first carries the document code and is the one a forger keeps)."""
    if len(candidates) == 2:
        if nominal is not None:
            return max(candidates, key=lambda d: abs(d.value - nominal))
        return candidates[1]
    return max(candidates, key=lambda d: (d.z, abs(d.size)))


def _odd_line(quantity: str, values: list[float], errors: list[float], relative: bool,
              nominal: float | None = None) -> Difference:
    return _odd(_per_line(quantity, values, errors, relative), nominal)


def differences(ms) -> dict[str, Difference]:
    """Per quantity, the line that differs most from the others, with its standard error."""
    out = {
        "pitch": _odd_line("pitch", [m.pitch_mm for m in ms], [m.pitch_se_mm for m in ms], True, MRZ_PITCH_MM),
        "height": _odd_line("height", [m.height_mm for m in ms], [m.height_se_mm for m in ms], True),
        "angle": _odd_line("angle", [m.angle_deg for m in ms], [m.angle_se_deg for m in ms], False),
    }
    out["centre"] = _odd_line("centre", [m.centre_mm for m in ms], [m.centre_se_mm for m in ms], False)
    out["shift"] = _odd(_shifts(ms))
    # Perspective across the lines (a keystone, which rectification along them leaves) scales a
    # line's pitch by s and its heights by s^2: pitch less half the height, and height less twice
    # the pitch, do not change with it, and a line re-printed at another pitch or size changes one.
    pitches = _per_line("pitch", [m.pitch_mm for m in ms], [m.pitch_se_mm for m in ms], True)
    heights = _per_line("height", [m.height_mm for m in ms], [m.height_se_mm for m in ms], True)
    out["pitch_free"] = _odd([Difference("pitch_free", p.line, p.size - h.size / 2, float(np.hypot(p.se, h.se / 2)),
                                         p.value, p.others) for p, h in zip(pitches, heights)], MRZ_PITCH_MM)
    out["height_free"] = _odd([Difference("height_free", h.line, h.size - 2 * p.size, float(np.hypot(h.se, 2 * p.se)),
                                          h.value, h.others) for p, h in zip(pitches, heights)])
    if len(ms) == 3:
        gaps = [ms[1].baseline_mm - ms[0].baseline_mm, ms[2].baseline_mm - ms[1].baseline_mm]
        b = [m.baseline_se_mm for m in ms]
        # g1 - g2 = -b1 + 2 b2 - b3: the middle baseline counts twice.
        se = float(np.sqrt(b[0] ** 2 + 4 * b[1] ** 2 + b[2] ** 2)) / (sum(gaps) / 2)
        out["spacing"] = Difference("spacing", 1, gaps[0] / gaps[1] - 1 if gaps[1] else float("inf"), se,
                                    gaps[0], gaps[1])
    matches = [m.ocrb_match for m in ms]
    if all(v is not None for v in matches):
        out["ocrb"] = _odd_line("ocrb", matches, [m.ocrb_se for m in ms], False, 1.0)
    return out


def _half_differences(ms, line: int) -> tuple[float, float]:
    """How much ``line``'s slope differs from the other lines' over the left and the right half of
    the MRZ, degrees (nan where a half could not be measured)."""
    others = [m for i, m in enumerate(ms) if i != line]
    return tuple(ms[line].half_angles_deg[k] - float(np.mean([m.half_angles_deg[k] for m in others]))
                 for k in (0, 1))


def _shifts(ms) -> list[Difference]:
    """Each line set off sideways against the others, as far as both its start and its middle say.

    A printer starts every line at its margin whatever small pitch differences its lines have (so
    their middles differ by up to a few tenths of a millimetre), and a keystone across the lines
    scales each about the MRZ's middle (so their starts differ, their middles not); a line printed
    apart and put in a little off moves both, the same way. The smaller of the two moves is the
    shift, with its own standard error; lines whose start is not known shift by nothing."""
    starts = _per_line("start", [m.start_mm for m in ms], [m.start_se_mm for m in ms], False)
    centres = _per_line("centre", [m.centre_mm for m in ms], [m.centre_se_mm for m in ms], False)
    out = []
    for start, centre in zip(starts, centres):
        if start.size * centre.size <= 0 or not np.isfinite(start.se):
            out.append(Difference("shift", start.line, 0.0, math.inf, start.value, start.others))
            continue
        smaller = min((start, centre), key=lambda d: abs(d.size))
        out.append(Difference("shift", start.line, smaller.size, max(start.se, centre.se), start.value, start.others))
    return out


def _keystone_reach(ms, line: int, cells: int) -> float:
    """How far sideways a keystone across the lines could set ``line`` (mm): it scales each line by
    its own factor about a point that may lie anywhere along the MRZ, so a line whose pitch differs
    by a share p from the others' moves by up to p times the MRZ's length. Measured on genuine phone
    photos of the tuning families: a line 0.31 mm off with its pitch 1.1 % off (0.75 mm within
    reach), 0.23 mm with 0.3 % (0.25 mm); re-printed lines at their own pitch 0.3-0.53 mm off with
    pitches within 0.5 % (0.07-0.36 mm)."""
    pitch = _per_line("pitch", [m.pitch_mm for m in ms], [m.pitch_se_mm for m in ms], True)[line]
    return abs(pitch.size) * float(np.median([m.pitch_mm for m in ms])) * cells


def _significant(difference: Difference, floor: float) -> bool:
    return abs(difference.size) > floor and difference.z > Z


def _consistency(ctx, measure: forensics.PrintMeasure, poor):
    ms, capture = measure.lines, measure.capture
    problems = []
    # Differences a tilted camera might account for (its perspective too strong to judge them), and
    # why: on their own they make a review that gives the figures.
    limited, limits = [], []
    tilted = capture is not None and capture.perspective > SHIFT_MAX_PERSPECTIVE
    found = differences(ms)
    pitch = found["pitch"]
    if _significant(pitch, PITCH_FLOOR) and _significant(found["pitch_free"], PITCH_FREE_FLAT_FLOOR):
        values = dict(line=pitch.line + 1, pitch=f"{pitch.value:.2f}", others=f"{pitch.others:.2f}",
                      error=f"{pitch.se * pitch.others:.3f}", icao=f"{MRZ_PITCH_MM:.2f}")
        if len(ms) == 2:
            seen = Text("line {line} has a pitch of {pitch} mm per character, the other line {others} mm "
                        "(measuring error ±{error} mm; ICAO: {icao} mm)", **values)
        else:
            seen = Text("line {line} has a pitch of {pitch} mm per character, the other lines {others} mm "
                        "(measuring error ±{error} mm; ICAO: {icao} mm)", **values)
        if tilted and not _significant(found["pitch_free"], PITCH_FREE_FLOOR):
            # Within what a tilted camera's keystone across the lines may nearly do: the figures.
            limited.append(seen)
            limits.append(Text("a perspective of {share} % along the lines (a pitch that a keystone across them "
                               "could explain in part is judged up to {max} %)",
                               share=f"{100 * capture.perspective:.0f}", max=f"{100 * SHIFT_MAX_PERSPECTIVE:.0f}"))
        else:
            problems.append(seen)
    height = found["height"]
    if _significant(height, HEIGHT_FLOOR) and _significant(found["height_free"], HEIGHT_FREE_FLOOR):
        error = f"{height.se * height.others:.3f}"
        if len(ms) == 2:
            problems.append(Text("the characters of lines 1 and 2 are {first} mm and {second} mm high (measuring "
                                 "error ±{error} mm)", first=f"{ms[0].height_mm:.2f}", second=f"{ms[1].height_mm:.2f}",
                                 error=error))
        else:
            problems.append(Text("line {line} has characters {height} mm high, the other lines {others} mm "
                                 "(measuring error ±{error} mm)", line=height.line + 1, height=f"{height.value:.2f}",
                                 others=f"{height.others:.2f}", error=error))
    angle = found["angle"]
    if _significant(angle, ANGLE_FLOOR):
        if len(ms) == 2:
            seen = Text("the baselines of lines 1 and 2 are not parallel (they differ by {angle}°, measuring "
                        "error ±{error}°)", angle=f"{abs(angle.size):.2f}", error=f"{angle.se:.2f}")
        else:
            seen = Text("line {line}'s baseline slopes by {angle}° against the other lines (measuring error "
                        "±{error}°)", line=angle.line + 1, angle=f"{angle.size:+.2f}", error=f"{angle.se:.2f}")
        halves = _half_differences(ms, angle.line)
        if all(math.isfinite(h) and h * angle.size > 0 and abs(h) >= ANGLE_FLOOR / 2 for h in halves):
            problems.append(seen)
        else:
            # Not along the whole line: a page curving near its edge (a booklet by its spine) bends
            # the lines' ends, which a straight fit reads as slopes apart; a line pasted askew is
            # askew over both its halves. The figures, for a review.
            limited.append(seen)
            limits.append(Text("baselines apart as a whole but not over both halves of the line (left {left}°, "
                               "right {right}°): a page that curves bends them so",
                               left=f"{halves[0]:+.2f}", right=f"{halves[1]:+.2f}"))
    shift = found["shift"]
    # A tilted camera shears the print too: where the glyphs show that shear, it is taken out and
    # the shift judged as on a scan (a flat capture's shear is within what a printer's own OCR-B
    # lean could fake, and its lines were never far apart: left as measured).
    unsheared = tilted and capture.unsheared
    if unsheared:
        shift = _odd(_shifts(forensics.unsheared(measure)))  # as differences() finds it, on the unsheared lines
    if _significant(shift, SHIFT_FLOOR) and abs(shift.size) > _keystone_reach(ms, shift.line,
                                                                             len(ctx.parsed.lines[0])):
        values = dict(line=shift.line + 1, mm=f"{abs(shift.size):.2f}", error=f"{shift.se:.2f}")
        if shift.size > 0:
            seen = Text("line {line} is set {mm} mm to the right of the other lines (its start and its middle; "
                        "measuring error ±{error} mm)", **values)
        else:
            seen = Text("line {line} is set {mm} mm to the left of the other lines (its start and its middle; "
                        "measuring error ±{error} mm)", **values)
        if tilted and not unsheared:
            # A tilted camera's shear, not measured (the glyphs disagree on it: motion blur), sets
            # genuine lines as far apart: the figures, for a review.
            limited.append(seen)
            limits.append(Text("a perspective of {share} % along the lines (a line's sideways place is judged up "
                               "to {max} %)", share=f"{100 * capture.perspective:.0f}",
                               max=f"{100 * SHIFT_MAX_PERSPECTIVE:.0f}"))
        else:
            problems.append(seen)
    if len(ms) == 2:
        gap = ms[1].baseline_mm - ms[0].baseline_mm
        height_mm = (ms[0].height_mm + ms[1].height_mm) / 2
        gap_se = float(np.hypot(ms[0].baseline_se_mm, ms[1].baseline_se_mm))
        if 0 < gap < MIN_LINE_GAP * height_mm and MIN_LINE_GAP * height_mm - gap > Z * gap_se:
            problems.append(Text("the lines are too close ({gap} mm between baselines, {ratio} character heights; "
                                 "printed MRZs keep about 2 or more)", gap=f"{gap:.2f}", ratio=f"{gap / height_mm:.2f}"))
    spacing = found.get("spacing")
    if spacing is not None and min(spacing.value, spacing.others) > 0 and _significant(spacing, SPACING_FLOOR):
        problems.append(Text("the lines are unevenly spaced ({first} mm and {second} mm between baselines)",
                             first=f"{spacing.value:.2f}", second=f"{spacing.others:.2f}"))
    if (problems or limited) and poor:
        yield _too_poor("print.line_consistency", poor + limits, Join("; ", problems + limited))
    elif problems:
        yield ctx.failed("print.line_consistency", "The MRZ lines are not printed alike, as when a line is pasted in "
                         "or re-printed: {problems}.", problems=Join("; ", problems + limited))
    elif limited:
        yield _too_poor("print.line_consistency", limits, Join("; ", limited))
    else:
        yield ctx.passed("print.line_consistency", "The MRZ lines are printed alike ({measures}).", measures=describe(ms))


def _too_poor(check_id: str, poor: list[Text], seen) -> Finding:
    """A difference the capture cannot support: a review that gives the figures, not an alert."""
    return Finding.of(check_id, FAIL, REVIEW, Text(
        "The capture is too poor to judge the print ({capture}): it shows {seen}; compare the MRZ lines by eye.",
        capture=Join(", ", poor), seen=seen), ())


def _ocrb(ctx, ms, poor):
    matches = [m.ocrb_match for m in ms]
    if any(v is None for v in matches):
        # Fewer than three glyphs cut on a line: a measuring failure, so the print is not known to be
        # OCR-B (a line printed in another face may cut as badly): a review, as every unmeasured print.
        yield ctx.skipped("print.ocrb", "Too few characters could be compared with OCR-B. Compare the MRZ lines by eye.",
                          severity=REVIEW)
        return
    figures = Join(", ", [Text("line {line} {likeness}", line=j + 1, likeness=f"{v:.2f}") for j, v in enumerate(matches)])
    odd = differences(ms)["ocrb"]
    # Only where the other lines do look like OCR-B: on a poor image every line matches it badly,
    # and one worse than the others says nothing (genuine cards at 0.4 or less were seen).
    if odd.others >= OCRB_REFERENCE and odd.value < OCRB_LOW and -odd.size > OCRB_FLOOR and odd.z > Z:
        seen = Text("MRZ line {line} less like OCR-B than the others (likeness to OCR-B glyphs: {figures}; "
                    "measuring error ±{error})", line=odd.line + 1, figures=figures, error=f"{odd.se:.2f}")
        if -odd.size <= OCRB_ALERT_FLOOR:
            poor = poor + [Text("a difference of {difference} in likeness, within what a genuine line of letters "
                                "and one of digits were seen to differ on a photo (an alert from {floor})", difference=f"{-odd.size:.2f}",
                                floor=f"{OCRB_ALERT_FLOOR:.2f}")]
        if poor:
            yield _too_poor("print.ocrb", poor, seen)
            return
        yield ctx.failed("print.ocrb", "MRZ line {line} does not look like OCR-B as the other lines do "
                                       "(likeness to OCR-B glyphs: {figures}; measuring error ±{error}): another "
                                       "font was used.", line=odd.line + 1, figures=figures, error=f"{odd.se:.2f}")
    else:
        yield ctx.passed("print.ocrb", "The MRZ glyphs match OCR-B alike on every line ({figures}).", figures=figures)


def _shaken(ctx) -> list[Text]:
    """The hand that shook, as what keeps a capture from supporting a claim about the characters'
    height (empty: still print). A motion blur smears the characters' edges along its path, so the
    height measured is the blur's: genuine motion-blurred photos of the tuning set
    (tools/diagnose_recall.py, seed 31) measured pitch to height 1.45-2.99, all at 9-11 px of blur.
    Lines compared with one another are blurred alike, so line_consistency keeps its own rules."""
    blur = raster.shaken(ctx.page, ctx.read.region)
    if blur is None:
        return []
    return [Text("the hand shook (a motion blur of {px} pixels at {angle}°)", px=blur.length,
                 angle=f"{blur.angle_deg:.0f}")]


def _proportions(ctx, ms, poor: list[Text]):
    ratio = float(np.median([m.pitch_mm / m.height_mm for m in ms]))
    low, high = PITCH_PER_HEIGHT
    if low <= ratio <= high:
        yield ctx.passed("print.proportions", "Pitch to character height {ratio}, as OCR-B at 10 per inch.",
                         ratio=f"{ratio:.2f}")
        return
    poor = poor + _shaken(ctx)  # measured only here: tens of milliseconds on a shaken page
    if poor:
        yield _too_poor("print.proportions", poor, Text(
            "a pitch to character height of {ratio}, where OCR-B at 10 characters per inch gives about 0.9-1.1 "
            "({measures})", ratio=f"{ratio:.2f}", measures=describe(ms)))
    else:
        yield ctx.failed("print.proportions", "Pitch to character height is {ratio}; OCR-B at 10 characters per "
                                              "inch gives about 0.9-1.1 ({measures}).", ratio=f"{ratio:.2f}",
                         measures=describe(ms))
