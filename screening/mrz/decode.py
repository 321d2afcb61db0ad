"""Character probabilities -> MRZ lines, using what the layout and check digits say.

1. Each position may only hold what its field allows (digits in dates and check
   digits, letters in codes and names...): the best allowed character is taken.
2. Where a check digit then fails, characters the recogniser was *unsure* of may be
   replaced by their runner-up if that makes the check digit hold. A character read
   with confidence is never changed, so a forged or misprinted check digit stays
   wrong, and every replacement is reported as a ``Correction``.

The check digit confirms a choice the image already leaves open; it does not choose on
its own (Doc 9303's digit cannot tell 0 from O or < from K: their values agree mod 10).
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass

import numpy as np

from screening.mrz import formats
from screening.mrz.checkdigit import check_digit
from screening.mrz.codes import state_name
from screening.mrz.formats import ALNUM, ALPHA, CHECK, DATE, DIGITS, SEX, Layout
from screening.models import CharacterCorrection as Correction
from screening.mrz.recognize import ALPHABET
from screening.text import Text

# A character read at or above this probability is never replaced.
CONFIDENT = 0.90
# A runner-up below this probability is not a real alternative.
PLAUSIBLE = 0.02
# Characters that another face prints in the other's shape: a round 0 is an O in most fonts that
# are not OCR-B (the edited Indian specimen of ../shared/eval/real-dev, in DejaVu Sans Bold, has its
# 0s read as O at 0.97, the 0 at 0.015), and blur joins I and 1, B and 8. Where the layout allows
# only one of a pair, the reader takes that one however sure it was of the other.
FONT_LOOKALIKES = ("0ODQU", "1I", "2Z", "5S", "8B", "6G", "<K")
# Any other character read at CONFIDENT or more where the layout allows none of its kind, with no
# allowed character at PLAUSIBLE or more, is what is printed there: it is kept in the reading
# returned (as_printed), though readings are scored with the best allowed character (so that a
# reading misaligned by a position gains nothing). On real-dev that is the A a malformed Austrian
# specimen prints in the expiry's check digit (0.958 against 0.0016 for the likeliest digit); on
# the 320 pages of benchmarks/trust.py (seed 12) it never happens.
_LOOKALIKE_OF = {char: group for group in FONT_LOOKALIKES for char in group}
MAX_CHANGES = 2
# A code field's character read below this probability may be replaced to make the code one
# the code tables know (see _decode_codes). Measured by benchmarks/confidences.py on the reader
# benchmark's 320 generated pages (seed 4242, every capture condition; 26,302 characters):
# 25 characters read right (0.095%, all on phone photos) are below 0.80 and both characters
# read wrong are (0.48 and 0.64, an O for a 0 on phone photos); 0.90 would take in 100 right
# ones. A confidently read code is kept as printed, whatever the tables say.
CODE_UNSURE = 0.80

_ALLOWED = {
    ALPHA: string.ascii_uppercase + "<",
    ALNUM: ALPHABET,
    DIGITS: string.digits,
    DATE: string.digits,
    CHECK: string.digits,
    SEX: "MF<X",
}


@dataclass(frozen=True)
class Decoded:
    lines: tuple[str, ...]
    confidences: tuple[tuple[float, ...], ...]  # per character, of the chosen character
    corrections: tuple[Correction, ...]
    # Characters read surely where the layout allows no such character, and no allowed one is a
    # plausible reading (see AS_PRINTED): (line, position, character, probability), 0-based.
    # ``lines`` holds the best allowed character there, so that readings are compared alike.
    as_printed: tuple[tuple[int, int, str, float], ...] = ()

    @property
    def confidence(self) -> float:
        values = [c for line in self.confidences for c in line]
        return float(np.mean(values)) if values else 0.0

    @property
    def weakest(self) -> float:
        return min((c for line in self.confidences for c in line), default=0.0)


def allowed_masks(layout: Layout) -> list[np.ndarray]:
    """Per line, an (length, 37) mask of the characters each position may hold."""
    masks = [np.ones((layout.length, len(ALPHABET)), bool) for _ in range(layout.lines)]
    for spec in layout.fields:
        allowed = _ALLOWED[spec.charset]
        if spec.name == "birth_date":
            allowed = allowed + "<"  # unknown parts of a birth date
        if spec.charset == CHECK and (
            spec.name == "optional_data_check" or (layout.long_document_number and spec.name == "document_number_check")
        ):
            allowed = allowed + "<"
        row = np.array([c in allowed for c in ALPHABET])
        masks[spec.line][spec.start : spec.end] = row
        if spec.name == "document_code":
            # Some issuers print a digit as the second character (the USA's C1 and A3
            # cards): read what is printed; the checks say whether it is allowed.
            masks[spec.line][spec.start + 1] = np.array([c in _ALLOWED[ALNUM] for c in ALPHABET])
    return masks


def _restrict(probs: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Probabilities over only the characters each position may hold."""
    p = probs * mask
    return p / np.maximum(p.sum(axis=1, keepdims=True), 1e-9)


def confidence_bound(probabilities: list[np.ndarray], layout: Layout) -> float:
    """At least ``decode(probabilities, layout).confidence``, at a fraction of its cost: every
    character decoded has at most the largest restricted probability of its position."""
    best = [_restrict(p, mask).max(axis=1) for p, mask in zip(probabilities, allowed_masks(layout))]
    return float(np.mean(np.concatenate(best)))


def decode(probabilities: list[np.ndarray], layout: Layout) -> Decoded:
    """``probabilities``: per line an (length, 37) array from the recogniser."""
    masks = allowed_masks(layout)
    restricted = []
    corrections: list[Correction] = []
    as_printed = []
    for line_index, (probs, mask) in enumerate(zip(probabilities, masks)):
        p = _restrict(probs, mask)
        restricted.append(p)
        for position in range(len(probs)):
            first = int(np.argmax(probs[position]))
            if (not mask[position, first] and probs[position, first] >= CONFIDENT
                    and float((probs[position] * mask[position]).max()) < PLAUSIBLE
                    and not any(mask[position, ALPHABET.index(c)] for c in _LOOKALIKE_OF.get(ALPHABET[first], ""))):
                as_printed.append((line_index, position, ALPHABET[first], float(probs[position, first])))
            if not mask[position, first] and probs[position, first] >= CONFIDENT:
                chosen = ALPHABET[int(np.argmax(p[position]))]
                reason = Text("'{read}' cannot stand here ({field}); read as '{chosen}'", read=ALPHABET[first],
                              field=formats.label_text(_field_at(layout, line_index, position)), chosen=chosen)
                corrections.append(Correction(
                    line_index + 1, position + 1, ALPHABET[first], chosen, float(probs[position, first]),
                    str(reason), reason,
                ))
    chars = [[ALPHABET[i] for i in np.argmax(p, axis=1)] for p in restricted]
    corrections += _decode_codes(chars, restricted, layout)
    corrections += _repair_check_digits(chars, restricted, layout)
    lines = tuple("".join(line) for line in chars)
    confidences = tuple(
        tuple(float(p[i, ALPHABET.index(c)]) for i, c in enumerate(line)) for p, line in zip(restricted, lines)
    )
    return Decoded(lines, confidences, tuple(corrections), tuple(as_printed))


def as_printed(lines: tuple[str, ...], confidences: tuple[tuple[float, ...], ...],
               corrections: tuple[Correction, ...], printed: tuple[tuple[int, int, str, float], ...]):
    """A reading with its surely read characters put back where the layout allows none of the
    kind (``Decoded.as_printed``): (lines, confidences, corrections). A malformed MRZ (an Austrian
    specimen prints its nationality a position early, an A where the expiry's check digit goes)
    is then read as printed, and the checks find what is wrong with it; a digit the reader was
    sure of is no more its guess. The correction to an allowed character there is dropped."""
    if not printed:
        return lines, confidences, corrections
    chars = [list(line) for line in lines]
    values = [list(line) for line in confidences]
    for line, position, char, probability in printed:
        chars[line][position], values[line][position] = char, probability
    kept = {(line + 1, position + 1) for line, position, _, _ in printed}
    return (tuple("".join(line) for line in chars), tuple(tuple(line) for line in values),
            tuple(c for c in corrections if (c.line, c.position) not in kept))


def _field_at(layout: Layout, line: int, index: int) -> str:
    for spec in layout.fields:
        if spec.line == line and spec.start <= index < spec.end:
            return spec.name
    return "unknown"


# The fields whose value must be in the code tables, and which of their positions.
_CODE_FIELDS = ("issuing_state", "nationality")


def _decode_codes(chars: list[list[str]], probs: list[np.ndarray], layout: Layout) -> list[Correction]:
    """A state code (issuing state, nationality) or document code the tables do not know,
    read with one or two characters below ``CODE_UNSURE``: the most probable code the tables
    know among those characters' plausible alternatives, the sure characters kept. A code
    printed clearly stays as printed, known or not (an unknown code is a finding for the checks)."""
    corrections = []
    for spec in layout.fields:
        if spec.name == "document_code":
            # The first character says what the document is (Doc 9303 Part 3, 4.2.2.1).
            positions, valid = [spec.start], lambda code: code[0] in "PIACV"
        elif spec.name in _CODE_FIELDS:
            positions, valid = list(range(spec.start, spec.end)), lambda code: state_name(code) is not None
        else:
            continue
        line = spec.line
        code = "".join(chars[line][i] for i in positions)
        if valid(code):
            continue
        options = []
        for i in positions:
            p = probs[line][i]
            if p.max() < CODE_UNSURE:
                options.append([(ALPHABET[k], float(p[k])) for k in np.argsort(-p)[:4] if p[k] >= PLAUSIBLE])
            else:
                options.append([(chars[line][i], float(p.max()))])
        best, best_p = None, 0.0
        for combo in itertools.product(*options):
            candidate = "".join(c for c, _ in combo)
            likelihood = float(np.prod([q for _, q in combo]))
            if candidate != code and valid(candidate) and likelihood > best_p:
                best, best_p = candidate, likelihood
        if best is None:
            continue
        what = formats.label_text(spec.name)
        for i, chosen in zip(positions, best):
            read = chars[line][i]
            if chosen == read:
                continue
            chars[line][i] = chosen
            reason = Text("unsure between '{read}' and '{chosen}'; only '{code}' is a known code for {field}",
                          read=read, chosen=chosen, code=best.replace("<", "") if spec.name != "document_code" else chosen,
                          field=what)
            corrections.append(Correction(line + 1, i + 1, read, chosen, float(probs[line][i].max()), str(reason), reason))
    return corrections


def _repair_check_digits(chars: list[list[str]], probs: list[np.ndarray], layout: Layout) -> list[Correction]:
    corrections = []
    # Field check digits first: the composite covers them.
    ordered = sorted(layout.check_digits, key=lambda spec: spec.name == "composite")
    for spec in ordered:
        if _holds(spec, chars, layout):
            continue
        held = [other for other in layout.check_digits if other is not spec and _holds(other, chars, layout)]
        if spec.name == "composite" and len(held) < len(layout.check_digits) - 1:
            # A field's own check digit fails: that explains the composite. Changing other
            # characters to make the composite hold would hide the evidence.
            continue
        positions = [(line, i) for line, start, end in spec.covers for i in range(start, end)] + [spec.digit]
        options = []
        for line, i in positions:
            order = np.argsort(-probs[line][i])
            first, second = order[0], order[1]
            if probs[line][i][first] < CONFIDENT and probs[line][i][second] >= PLAUSIBLE:
                options.append((line, i, ALPHABET[second], float(np.log(probs[line][i][second] / probs[line][i][first]))))
        best = None
        for count in range(1, MAX_CHANGES + 1):
            for combo in itertools.combinations(options, count):
                saved = [(line, i, chars[line][i]) for line, i, _, _ in combo]
                for line, i, alternative, _ in combo:
                    chars[line][i] = alternative
                fits = _holds(spec, chars, layout) and all(_holds(other, chars, layout) for other in held)
                if fits and (best is None or sum(c[3] for c in combo) > best[0]):
                    best = (sum(c[3] for c in combo), combo)
                for line, i, old in saved:
                    chars[line][i] = old
            if best:
                break
        if best:
            for line, i, alternative, _ in best[1]:
                read = chars[line][i]
                chars[line][i] = alternative
                reason = Text("unsure between '{read}' and '{chosen}'; {what} holds only with '{chosen}'", read=read,
                              chosen=alternative, what=formats.check_digit_text(spec.name, inside=True))
                corrections.append(Correction(
                    line + 1, i + 1, read, alternative, float(probs[line][i].max()), str(reason), reason,
                ))
    return corrections


def _holds(spec, chars: list[list[str]], layout: Layout) -> bool:
    data = "".join("".join(chars[line][start:end]) for line, start, end in spec.covers)
    printed = chars[spec.digit[0]][spec.digit[1]]
    if printed == "<":
        if spec.name == "optional_data":
            return set(data) == {"<"}
        if spec.name == "document_number" and layout.long_document_number:
            return True  # a long number: its check digit is in the optional data (not repaired here)
        return False
    return check_digit(data) == printed
