"""Print forensics: the MRZ lines are printed alike, in OCR-B, at the specified proportions.

Only for MRZs read from an image; typed MRZs yield nothing. Lines are compared with each
other (pixel sizes depend on the scan), so a pasted or re-printed line shows as the one
that differs; the figures measured are in the message.
"""

from __future__ import annotations

import numpy as np

from screening import forensics
from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import ALERT, REVIEW
from screening.text import Join, Text, text_of

# A line differs from the others when (thresholds well outside what scans and photos of
# one genuine MRZ show in benchmarks/fraud.py):
PITCH_TOLERANCE = 0.05  # its pitch by more than 5 %
HEIGHT_TOLERANCE = 0.15  # its character height by more than 15 %
ANGLE_TOLERANCE = 0.35  # its baseline's slope by more than 0.35 degrees (clean phone photos: up to 0.31)
SPACING_TOLERANCE = 0.12  # (3 lines) the two gaps between baselines by more than 12 %
# (2 lines) baselines closer than this many character heights: a line re-printed out of place.
# Measured: 23 real two-line MRZs 2.0-3.1, generated clean ones from 1.84; lines pasted 0.6-0.8 mm
# too high 1.43-1.53.
MIN_LINE_GAP = 1.65
OCRB_GAP = 0.16  # its glyphs match OCR-B worse by more than this correlation (clean photos: up to 0.14)
OCRB_LOW = 0.85  # ... and worse than this
OCRB_REFERENCE = 0.7  # ... while the other lines match at least this well
# OCR-B in an MRZ: 2.54 mm pitch, characters about 2.3-2.9 mm high (Doc 9303 Part 3).
PITCH_PER_HEIGHT = (0.7, 1.4)
# Beyond these, the measurement itself failed (no print is that squat or that tall).
MEASURABLE = (0.5, 2.0)


@check(
    CheckSpec("print.line_consistency", ALERT,
              "The MRZ lines share one pitch, character height, baseline slope and spacing (no pasted line)"),
    CheckSpec("print.ocrb", ALERT, "Every MRZ line is printed in OCR-B (glyphs compared with OCR-B)"),
    CheckSpec("print.proportions", REVIEW, "Character pitch and height are in the proportions of OCR-B at 10 per inch"),
)
def print_forensics(ctx: CheckContext):
    read = ctx.read
    if read is None or read.page is None or not read.region:
        return  # typed MRZ: there is no print to look at
    lines = ctx.parsed.lines
    if len(lines) < 2 or len({len(line) for line in lines}) != 1:
        return
    try:
        measured = forensics.measure(read.page, read.quarter_turns, read.region, lines)
    except forensics.NotMeasurable as reason:
        yield ctx.skipped("print.line_consistency", "The MRZ print could not be measured: {reason}.",
                          reason=text_of(reason))
        return
    except Exception as error:  # noqa: BLE001 - a measurement problem must never stop a screening
        yield ctx.skipped("print.line_consistency", "The MRZ print could not be measured ({error}).",
                          error=type(error).__name__)
        return
    ms = measured.lines
    ratio = float(np.median([m.pitch_mm / m.height_mm for m in ms]))
    if not MEASURABLE[0] <= ratio <= MEASURABLE[1]:
        # Characters measured at half their height or less: the cut missed the print (a blurred
        # photo), so comparing lines would compare measuring errors. Proportions says what was seen.
        yield ctx.skipped("print.line_consistency", "The MRZ print could not be measured reliably (pitch to "
                          "character height {ratio}): lines not compared.", ratio=f"{ratio:.2f}")
    else:
        yield from _consistency(ctx, ms)
        yield from _ocrb(ctx, ms)
    yield from _proportions(ctx, ms)


def describe(ms) -> Join:
    return Join("; ", [Text("line {line}: pitch {pitch} mm, height {height} mm, slope {slope}°", line=i + 1,
                            pitch=f"{m.pitch_mm:.2f}", height=f"{m.height_mm:.2f}", slope=f"{m.angle_deg:+.2f}")
                       for i, m in enumerate(ms)])


def _others(values: list[float], i: int) -> float:
    return float(np.median([v for j, v in enumerate(values) if j != i]))


def _odd_one(values: list[float], nominal: float | None, differs) -> int | None:
    """The line that differs from the others (for two lines: the one farther from nominal)."""
    odd = [i for i in range(len(values)) if differs(values[i], _others(values, i))]
    if not odd:
        return None
    if len(values) == 2 or len(odd) > 1:
        reference = nominal if nominal is not None else float(np.median(values))
        return max(odd or range(len(values)), key=lambda i: abs(values[i] - reference))
    return odd[0]


def _consistency(ctx, ms):
    problems = []
    pitches = [m.pitch_mm for m in ms]
    i = _odd_one(pitches, 2.54, lambda v, o: abs(v / o - 1) > PITCH_TOLERANCE)
    if i is not None:
        values = dict(line=i + 1, pitch=f"{pitches[i]:.2f}", others=f"{_others(pitches, i):.2f}")
        if len(ms) == 2:
            problems.append(Text("line {line} has a pitch of {pitch} mm per character, the other line {others} mm "
                                 "(ICAO: 2.54 mm)", **values))
        else:
            problems.append(Text("line {line} has a pitch of {pitch} mm per character, the other lines {others} mm "
                                 "(ICAO: 2.54 mm)", **values))
    heights = [m.height_mm for m in ms]
    i = _odd_one(heights, None, lambda v, o: abs(v / o - 1) > HEIGHT_TOLERANCE)
    if i is not None and len(ms) == 2:
        problems.append(Text("the characters of lines 1 and 2 are {first} mm and {second} mm high",
                             first=f"{heights[0]:.2f}", second=f"{heights[1]:.2f}"))
    elif i is not None:
        problems.append(Text("line {line} has characters {height} mm high, the other lines {others} mm", line=i + 1,
                             height=f"{heights[i]:.2f}", others=f"{_others(heights, i):.2f}"))
    angles = [m.angle_deg for m in ms]
    i = _odd_one(angles, None, lambda v, o: abs(v - o) > ANGLE_TOLERANCE)
    if i is not None and len(ms) == 2:
        problems.append(Text("the baselines of lines 1 and 2 are not parallel (they differ by {angle}°)",
                             angle=f"{abs(angles[0] - angles[1]):.2f}"))
    elif i is not None:
        problems.append(Text("line {line}'s baseline slopes by {angle}° against the other lines", line=i + 1,
                             angle=f"{angles[i] - _others(angles, i):+.2f}"))
    if len(ms) == 2:
        gap = ms[1].baseline_mm - ms[0].baseline_mm
        height = (ms[0].height_mm + ms[1].height_mm) / 2
        if 0 < gap < MIN_LINE_GAP * height:
            problems.append(Text("the lines are too close ({gap} mm between baselines, {ratio} character heights; "
                                 "printed MRZs keep about 2 or more)", gap=f"{gap:.2f}", ratio=f"{gap / height:.2f}"))
    if len(ms) == 3:
        gaps = [ms[1].baseline_mm - ms[0].baseline_mm, ms[2].baseline_mm - ms[1].baseline_mm]
        if min(gaps) > 0 and abs(gaps[0] / gaps[1] - 1) > SPACING_TOLERANCE:
            problems.append(Text("the lines are unevenly spaced ({first} mm and {second} mm between baselines)",
                                 first=f"{gaps[0]:.2f}", second=f"{gaps[1]:.2f}"))
    if problems:
        yield ctx.failed("print.line_consistency", "The MRZ lines are not printed alike, as when a line is pasted in "
                         "or re-printed: {problems}.", problems=Join("; ", problems))
    else:
        yield ctx.passed("print.line_consistency", "The MRZ lines are printed alike ({measures}).", measures=describe(ms))


def _ocrb(ctx, ms):
    matches = [m.ocrb_match for m in ms]
    if any(v is None for v in matches):
        yield ctx.skipped("print.ocrb", "Too few characters could be compared with OCR-B.")
        return
    # Only where the other lines do look like OCR-B: on a poor image every line matches it badly,
    # and one worse than the others says nothing (genuine cards at 0.4 or less were seen).
    i = _odd_one(matches, 1.0, lambda v, o: o >= OCRB_REFERENCE and o - v > OCRB_GAP and v < OCRB_LOW)
    figures = Join(", ", [Text("line {line} {likeness}", line=j + 1, likeness=f"{v:.2f}") for j, v in enumerate(matches)])
    if i is not None:
        yield ctx.failed("print.ocrb", "MRZ line {line} does not look like OCR-B as the other lines do "
                                       "(likeness to OCR-B glyphs: {figures}): another font was used.", line=i + 1,
                         figures=figures)
    else:
        yield ctx.passed("print.ocrb", "The MRZ glyphs match OCR-B alike on every line ({figures}).", figures=figures)


def _proportions(ctx, ms):
    ratio = float(np.median([m.pitch_mm / m.height_mm for m in ms]))
    low, high = PITCH_PER_HEIGHT
    if low <= ratio <= high:
        yield ctx.passed("print.proportions", "Pitch to character height {ratio}, as OCR-B at 10 per inch.",
                         ratio=f"{ratio:.2f}")
    else:
        yield ctx.failed("print.proportions", "Pitch to character height is {ratio}; OCR-B at 10 characters per "
                                              "inch gives about 0.9-1.1 ({measures}).", ratio=f"{ratio:.2f}",
                         measures=describe(ms))
