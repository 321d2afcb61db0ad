"""How sure the reading is: characters read with low confidence, characters the decoder changed.

These apply only to MRZs read from an image; typed text is what the officer typed.
"""

from __future__ import annotations

from screening.checks.registry import CheckContext, CheckSpec, check
from screening.models import REVIEW

# A character read below this confidence is one the officer should compare by eye.
LOW_CONFIDENCE = 0.6


@check(
    CheckSpec("read.confidence", REVIEW, "Every MRZ character was read with confidence (image-based reads)"),
    CheckSpec("read.corrections", None, "Characters the reader changed to fit the layout or the check digits (notice)"),
)
def reading(ctx: CheckContext):
    read = ctx.read
    if read is None or read.engine == "typed":
        return
    weak = [
        (line + 1, position + 1, ctx.parsed.lines[line][position] if line < len(ctx.parsed.lines) else "?")
        for line, confidences in enumerate(read.char_confidences)
        for position, confidence in enumerate(confidences)
        if confidence < LOW_CONFIDENCE
    ]
    if weak:
        where = ", ".join(f"line {line} position {position} ('{char}')" for line, position, char in weak[:6])
        more = f" and {len(weak) - 6} more" if len(weak) > 6 else ""
        yield ctx.failed("read.confidence", f"Some characters were hard to read ({where}{more}): compare the MRZ "
                         "with the document.")
    else:
        yield ctx.passed("read.confidence", f"Every character read with confidence (mean {read.confidence:.2f}).")
    if read.corrections:
        described = "; ".join(f"line {c.line} position {c.position}: {c.reason}" for c in read.corrections)
        yield ctx.warned("read.corrections", f"{len(read.corrections)} character(s) corrected: {described}.")
