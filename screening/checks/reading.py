"""How sure the reading is: characters read with low confidence, characters the decoder changed.

These apply only to MRZs read from an image; typed text is what the officer typed.
"""

from __future__ import annotations

from screening.checks.registry import DOUBTFUL_READ, LOW_CONFIDENCE, CheckContext, CheckSpec, check
from screening.models import REVIEW
from screening.text import Join, Text



@check(
    CheckSpec("read.confidence", REVIEW, "Every MRZ character was read with confidence (image-based reads)"),
    CheckSpec("read.corrections", None, "Characters the reader changed to fit the layout or the check digits (notice)"),
)
def reading(ctx: CheckContext):
    read = ctx.read
    if read is None or read.engine == "typed":
        return
    if ctx.uncalibrated_engine is not None:
        # Its figures cannot say which characters are unsure, so the check cannot run, and it costs a
        # review as a failure would: a misread that every other check lets pass (a letter of a name
        # the visual zone does not show, a state code misread as another) is left for the officer.
        yield ctx.skipped("read.confidence", "The {engine} engine gives no confidence for each character, so the "
                          "characters it may have misread are not known: compare the MRZ with the document.",
                          severity=REVIEW, engine=ctx.uncalibrated_engine)
    else:
        yield from _weak_characters(ctx, read)
    if read.corrections:
        described = Join("; ", [Text("line {line} position {position}: {reason}", line=c.line, position=c.position,
                                     reason=c.text) for c in read.corrections])
        yield ctx.warned("read.corrections", "{count:plural:character|characters} corrected: {corrections}.",
                         count=len(read.corrections), corrections=described)


def _weak_characters(ctx: CheckContext, read):
    weak = [
        (line + 1, position + 1, ctx.parsed.lines[line][position] if line < len(ctx.parsed.lines) else "?")
        for line, confidences in enumerate(read.char_confidences)
        for position, confidence in enumerate(confidences)
        if confidence < LOW_CONFIDENCE
    ]
    if weak:
        where = Join(", ", [Text("line {line} position {position} ('{char}')", line=line, position=position, char=char)
                            for line, position, char in weak[:6]])
        if len(weak) > 6:
            yield ctx.failed("read.confidence", "Some characters were hard to read ({where} and {more} more): compare "
                             "the MRZ with the document.", where=where, more=len(weak) - 6)
        else:
            yield ctx.failed("read.confidence", "Some characters were hard to read ({where}): compare the MRZ with the "
                             "document.", where=where)
    elif read.confidence < DOUBTFUL_READ:
        # No one character is unsure, but the reading as a whole is (ctx.weakly_read: no alert rests on it).
        yield ctx.failed("read.confidence", "The MRZ was read unsurely as a whole (mean confidence {mean}): compare "
                         "the MRZ with the document.", mean=f"{read.confidence:.2f}")
    else:
        yield ctx.passed("read.confidence", "Every character read with confidence (mean {mean}).",
                         mean=f"{read.confidence:.2f}")
