"""Plain data passed from stage to stage, and the result every interface speaks.

The result's shape is fixed by the contract (``screening/schema/result-v1.json``);
``Result.to_dict`` is the one place that turns these objects into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from screening.text import Text

SCHEMA_ID = "screening.result/v1"

# Check outcomes and verdicts, as the contract names them.
PASS, FAIL, WARN, SKIP = "pass", "fail", "warn", "skip"
CLEAR, REVIEW, ALERT, UNREADABLE = "clear", "review", "alert", "unreadable"

# Per-field outcomes of parsing: every field of the layout gets one.
FIELD_OK = "ok"  # read, and holds only characters the field allows
FIELD_INVALID = "invalid"  # read, but holds characters the field does not allow
FIELD_MISSING = "missing"  # the line is too short to hold the field
FIELD_UNCERTAIN = "uncertain"  # the line has the wrong length, so the position may be off

# The engines whose per-character confidences say which characters may be misread: our recogniser's
# probabilities, measured against the truth on generated and real pages (decode.CODE_UNSURE,
# checks.registry.LOW_CONFIDENCE). Tesseract gives one confidence per word, which _recognise_tesseract
# spreads over a line's characters, and PassportEye none: on the first 15 clean pages of
# benchmarks/engines.py's set (seed 9303), 44 % of the characters the tesseract engine read wrong
# were at 0.6 (LOW_CONFIDENCE) or more and 40 % at 0.9 or more, against 81 % and 59 % of those it
# read right (with the mapping of TESSERACT_FIRST_CHOICE; 87 % against 94 % at 0.6 before it): its
# figures do not tell them apart. What the checks make of the others' readings: the registry's CheckContext.weighed.
# (Kept here, with the other names the stages share, so that the checks need not import the reader.)
CALIBRATED_ENGINES = ("ocrb",)


@dataclass(frozen=True)
class ParseProblem:
    """Something in the MRZ text that does not fit its layout."""

    code: str  # "line_length", "illegal_character", "line_count"
    line: int  # 1-based
    position: int | None  # 1-based, when the problem is at one position
    message: str
    # The message as a translatable template and its values (screening.text).
    text: Text | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.text is None:
            object.__setattr__(self, "text", Text.verbatim(self.message))


@dataclass(frozen=True)
class ParsedMRZ:
    """An MRZ split into its fields, with an outcome for each.

    ``raw`` holds every field of the layout exactly as printed (fillers kept),
    check digits included; the attributes hold the decoded values.
    """

    format: str
    lines: tuple[str, ...]
    raw: Mapping[str, str]
    field_status: Mapping[str, str]
    document_code: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: dt.date | None
    sex: str
    expiry_date: dt.date | None
    optional_data: str
    optional_data_2: str | None = None
    # TD1/TD2 numbers longer than 9 characters: the run-on part and its check digit.
    document_number_overflow: str | None = None
    document_number_overflow_check: str | None = None
    name_truncated: bool = False
    problems: tuple[ParseProblem, ...] = ()
    notes: tuple[str, ...] = ()

    def contract_fields(self) -> dict[str, Any]:
        fields = {
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "surname": self.surname,
            "given_names": self.given_names,
            "document_number": self.document_number,
            "nationality": self.nationality,
            "birth_date": _iso(self.birth_date),
            # ICAO's '<' (unspecified) is printed as X on the page; raw keeps the MRZ character.
            "sex": {"M": "M", "F": "F", "<": "X", "X": "X"}.get(self.sex, ""),
            "expiry_date": _iso(self.expiry_date),
            "optional_data": self.optional_data,
        }
        if self.optional_data_2 is not None:
            fields["optional_data_2"] = self.optional_data_2
        return fields

    def contract_raw(self) -> dict[str, str]:
        return {k: v for k, v in self.raw.items() if k in ("birth_date", "expiry_date", "sex")}


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Finding:
    """The outcome of one check.

    ``message`` is the English sentence; ``template`` and ``params`` are the same sentence in
    translatable form (``screening.text``): ``Text(template, **dict(params))`` renders to
    ``message``. A finding made without a template gets its message as the template.
    """

    id: str
    status: str  # pass, fail, warn, skip
    severity: str | None  # review or alert for fail/skip that should move the verdict
    message: str
    fields: tuple[str, ...] = ()
    template: str = ""
    params: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if not self.template:
            object.__setattr__(self, "template", Text.verbatim(self.message).template)

    @classmethod
    def of(cls, id: str, status: str, severity: str | None, text: Text, fields=()) -> Finding:
        return cls(id, status, severity, text.render(), tuple(fields), text.template, text.params)

    @property
    def text(self) -> Text:
        return Text.of(self.template, self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "status": self.status,
            "severity": self.severity,
            "message": self.message,
            "fields": list(self.fields),
            **self.text.to_dict(),
        }


@dataclass(frozen=True)
class ErrorInfo:
    code: str
    message: str
    text: Text | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.text is None:
            object.__setattr__(self, "text", Text.verbatim(self.message))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.text.to_dict()}


@dataclass(frozen=True)
class CharacterCorrection:
    """A character the reader changed from its first choice, and why."""

    line: int  # 1-based
    position: int  # 1-based
    read: str
    chosen: str
    confidence: float  # of the first choice
    reason: str
    # The reason in translatable form (screening.text).
    text: Text | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.text is None:
            object.__setattr__(self, "text", Text.verbatim(self.reason))

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "position": self.position, "read": self.read, "chosen": self.chosen,
                "confidence": round(self.confidence, 3), "reason": self.reason}


@dataclass(frozen=True)
class MRZRead:
    """What the MRZ stage hands to the checks: the parsed lines and how they were got."""

    parsed: ParsedMRZ
    confidence: float = 1.0
    region: tuple[tuple[float, float], ...] | None = None
    engine: str = "typed"  # "typed" for text given by a person or a program, else the reader's engine
    # Per line, the confidence of each character (empty for typed text).
    char_confidences: tuple[tuple[float, ...], ...] = ()
    corrections: tuple[CharacterCorrection, ...] = ()
    # The np.rot90 turns that bring the page upright (the page itself travels beside the read, on
    # the checks' CheckContext.page, so that results never hold pixels).
    quarter_turns: int = 0


@dataclass(frozen=True)
class Result:
    file: str
    verdict: str
    reasons: tuple[str, ...]
    mrz: MRZRead | None
    checks: tuple[Finding, ...]
    timings_ms: Mapping[str, float] = field(default_factory=dict)
    error: ErrorInfo | None = None
    # The reasons in translatable form, one per reason (screening.text); a reason without
    # one is shown as it is.
    reason_texts: tuple[Text, ...] = field(default=(), compare=False)
    # What the chip gave (screening.chip.evidence.ChipEvidence), once it was read; None: not attempted.
    chip: Any = None
    # The lights the page was captured under (screening.lights.LightEvidence, without its images);
    # None: screened as a single image.
    lights: Any = None

    def reason_templates(self) -> list[dict[str, Any]]:
        texts = self.reason_texts if len(self.reason_texts) == len(self.reasons) else ()
        return [(texts[i] if texts else Text.verbatim(reason)).to_dict() for i, reason in enumerate(self.reasons)]

    def to_dict(self) -> dict[str, Any]:
        mrz = None
        if self.mrz is not None:
            parsed = self.mrz.parsed
            mrz = {
                "format": parsed.format,
                "lines": list(parsed.lines),
                "confidence": round(self.mrz.confidence, 4),
                "region": [list(p) for p in self.mrz.region] if self.mrz.region else None,
                "fields": parsed.contract_fields(),
                "raw": parsed.contract_raw(),
                "field_status": dict(parsed.field_status),
                "notes": list(parsed.notes),
                "engine": self.mrz.engine,
                "corrections": [c.to_dict() for c in self.mrz.corrections],
            }
        return {
            "schema": SCHEMA_ID,
            "file": self.file,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "reason_templates": self.reason_templates(),
            "mrz": mrz,
            "checks": [finding.to_dict() for finding in self.checks],
            "timings_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
            "error": self.error.to_dict() if self.error else None,
            "chip": self.chip.to_dict() if self.chip is not None else None,
            **({"lights": self.lights.to_dict()} if self.lights is not None else {}),
        }


# --- The visual zone stage (screening.viz_stage) -> the visual zone check (screening.checks.viz) ------

Box = tuple[int, int, int, int]  # x, y, w, h in the zone image (screening.viz.PX_PER_MM)


@dataclass(frozen=True)
class VizLine:
    """One text line of the visual zone as read."""

    box: Box
    text: str
    confidence: float  # the reader's, 0..1
    read: bool = True  # False: a label left unread (no value under it was in question)
    label: str = ""  # the label printed before the value on the same line ("Surname:"), if any


@dataclass(frozen=True)
class VizReading:
    """The zone's lines read in full (labels' size included, where any field was still in question)
    and the labelled fields found in them."""

    lines: tuple[VizLine, ...]
    # field -> the value lines printed under its label (more than one for names in two scripts)
    fields: Mapping[str, tuple[VizLine, ...]] = field(default_factory=dict)
    specimen_marks: tuple[str, ...] = ()
    # field -> how its value was found: "label" (its label was read clearly), "unclear label" (read,
    # but as close to another field's), "next label" (the other name's label was read, this name
    # found beside it by the layout's order)
    found_by: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class VizLineRead:
    """A line of the zone that was read: by which reader, and why it was read."""

    index: int  # in VizEvidence.boxes
    line: VizLine
    reader: str  # "tesseract" or "viz_ocr" (our recogniser read the MRZ's value there verbatim)
    why: str  # the reading step that asked for it (viz_stage.WHY)


@dataclass(frozen=True)
class VizReread:
    """A line read again by Tesseract from the grey image, in ``lang``'s model, ``scale`` times larger
    (as printed, the label beside the value kept in ``text``); ``failed``: Tesseract or OpenCV could
    not read it."""

    box: Box
    lang: str
    scale: float
    text: str = ""
    confidence: float = 0.0
    failed: bool = False


@dataclass(frozen=True)
class VizRecognition:
    """Our own recogniser (screening.viz_ocr) on one line, asked whether the picture prints
    ``printed`` (what Tesseract read) rather than ``mrz`` (the MRZ's value as the page would print it):
    its own reading's text, whether it confirms ``printed``, and the MRZ value's log-likelihood less
    that of its own best reading (``margin``, <= 0)."""

    box: Box
    printed: str
    mrz: str
    text: str
    confirms: bool
    margin: float


@dataclass(frozen=True)
class VizFailure:
    """Why the visual zone could not be read: ``kind`` "not_readable" (no zone to read, the reason
    says why), "tesseract" (Tesseract failed: the reason) or "opencv" (an image OpenCV could not cut
    or scale: ``error`` its exception's name)."""

    kind: str
    reason: Text | None = None
    error: str = ""


@dataclass(frozen=True)
class VizEvidence:
    """What the visual zone stage read, for the check that compares it with the MRZ: plain data,
    no pixels. The stage reads lazily (only what the comparison needs), so every reading the
    check consults is here, and nothing else."""

    failure: VizFailure | None = None
    boxes: tuple[Box, ...] = ()  # every text line found, top to bottom
    value_like: tuple[int, ...] = ()  # the lines printed taller than the labels (viz.VisualZone.value_like)
    lines: tuple[VizLineRead, ...] = ()  # every line read, in index order
    # The fields whose MRZ value a data line printed verbatim before any label was read.
    agreed: Mapping[str, VizLine] = field(default_factory=dict)
    reading: VizReading | None = None  # None: every field agreed before labels were needed
    rereads: tuple[VizReread, ...] = ()  # second readings the comparison asked for
    recognitions: tuple[VizRecognition, ...] = ()  # our recogniser's verdicts the comparison asked for
    failed_lines: tuple[int, ...] = ()  # lines whose reading failed (the rest of the page, read last)
    # (length px, angle in degrees) of the motion blur undone on the page before it was read; None: none.
    motion_blur: tuple[int, float] | None = None
