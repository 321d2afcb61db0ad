"""The one registry of checks.

A check is a function of a ``CheckContext`` that yields ``Finding`` objects. It is
registered with ``@check(...)``, naming every id it may report, each with the
severity a failure carries and a one-line description (``docs/checks.md`` is made
from these). A check that does not apply to a document yields nothing; a check that
applies but cannot be run yields a ``skip`` saying why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Iterable

from screening.guard import report_bug, strict
from screening.models import ALERT, CALIBRATED_ENGINES, FAIL, PASS, REVIEW, SKIP, WARN, Finding, MRZRead, ParsedMRZ
from screening.mrz import formats
from screening.text import Text


@dataclass(frozen=True)
class CheckSpec:
    id: str
    # What a failure means for the verdict: "review" or "alert"; None for checks
    # that only ever pass or warn (a notice that does not move the verdict).
    severity: str | None
    title: str  # what is compared, in one line (for docs/checks.md)
    family: str = ""
    # Whether a misread MRZ character can make the check fail: then, on an MRZ read by an engine
    # that cannot say how sure it is of each character, a failure is a review (CheckContext.weighed).
    misread_can_fail: bool = True


@dataclass(frozen=True)
class Settings:
    """What a screening may be told beyond the document itself."""

    today: dt.date | None = None
    expiring_soon_days: int = 90
    max_age_years: int = 100
    # The watch-list store (SQLite); None: $SCREENING_WATCHLIST, else the per-user data dir.
    watchlist: str | None = None


# A character read below this confidence is one the officer should compare by eye.
LOW_CONFIDENCE = 0.6
# A reading whose characters' mean confidence is below this is doubtful as a whole: any of its
# characters may be misread (a wrong layout or pitch read off a blurred card gave 'document code
# <<' read surely), so no alert rests on it. Measured with tools/diagnose_recall.py's tuning set
# (seed 31, 350 pages, every tuning layout x printer x capture): exact readings 0.893 and up; the
# readings of another layout than the page's 0.65 and 0.78.
DOUBTFUL_READ = 0.85


@dataclass(frozen=True)
class CheckContext:
    parsed: ParsedMRZ
    today: dt.date
    settings: Settings = field(default_factory=Settings)
    read: MRZRead | None = None  # how the MRZ was got (typed, or read from an image)
    # What the chip stage found (screening.chip.evidence.ChipEvidence); None: no read attempted.
    chip: Any = None
    # The page the MRZ was read from (grey uint8, as loaded; read.quarter_turns brings it upright):
    # the visual zone and print checks look at it. None for typed MRZs.
    page: Any = field(default=None, repr=False, compare=False)
    # The page under infrared and ultraviolet (screening.lights.LightEvidence); None: the page was
    # not screened as a set of lights (a single image, a typed MRZ).
    lights: Any = None
    # What the visual zone stage read on the page (screening.models.VizEvidence, screening.viz_stage);
    # None: the stage did not run (a typed MRZ, no MRZ outline on the page).
    viz: Any = None

    # Each helper takes the message as an English template with named placeholders and the
    # values as keywords (screening.text): ``ctx.failed(id, "Sex '{sex}' is not valid.", ["sex"], sex=value)``.
    # A value that is a ``Text`` is a word the kiosk translates too; any other value is data.

    def passed(self, check_id: str, template: str, fields: Iterable[str] = (), **params: Any) -> Finding:
        return Finding.of(check_id, PASS, None, Text(template, **params), fields)

    def failed(self, check_id: str, template: str, fields: Iterable[str] = (), *, despite_weak_read: bool = False,
               **params: Any) -> Finding:
        """A failed check. ``despite_weak_read``: the failure stands even where the fields it rests
        on were hard to read, because a misreading could not produce it (the check says why)."""
        severity = SPECS[check_id].severity
        if severity is None:
            raise AssertionError(f"{check_id} is registered as warn-only and cannot fail")
        fields = tuple(fields)
        if severity == ALERT and not despite_weak_read and self.weakly_read & set(fields):
            # The failure rests on characters the reader could hardly make out: a misreading is as
            # likely as an alteration, so the officer compares (read.confidence says where).
            severity = REVIEW
        return Finding.of(check_id, FAIL, severity, Text(template, **params), fields)

    @cached_property
    def weakly_read(self) -> frozenset[str]:
        """The MRZ fields (check digits counted with their field) holding a character read below
        LOW_CONFIDENCE, every field of a reading below DOUBTFUL_READ; empty for typed MRZs."""
        read = self.read
        if read is None or not read.char_confidences or self.parsed.format not in formats.LAYOUTS:
            return frozenset()
        if self.uncalibrated_engine is not None:
            return frozenset()  # its confidences say nothing of a character: weighed() covers every field
        layout = formats.LAYOUTS[self.parsed.format]
        if read.confidence < DOUBTFUL_READ:
            return frozenset({spec.name.removesuffix("_check") for spec in layout.fields}
                             | {spec.name for spec in layout.check_digits} | {"surname", "given_names"})
        def weak_at(line: int, start: int, end: int) -> bool:
            confidences = read.char_confidences[line] if line < len(read.char_confidences) else ()
            return any(c < LOW_CONFIDENCE for c in confidences[start:end])

        weak = {spec.name.removesuffix("_check") for spec in layout.fields if weak_at(spec.line, spec.start, spec.end)}
        # A check digit rests on every character it covers (the composite on most of the MRZ).
        weak |= {spec.name for spec in layout.check_digits
                 if weak_at(spec.digit[0], spec.digit[1], spec.digit[1] + 1) or any(weak_at(*c) for c in spec.covers)}
        if "name" in weak:
            weak |= self._weak_names(layout.field("name"), weak_at)
        return frozenset(weak)

    def _weak_names(self, spec, weak_at) -> set[str]:
        """Which of the two names (the visual zone's fields) hold the name field's unsure
        characters: the surname before the first '<<', the given names after it."""
        line = self.parsed.lines[spec.line] if spec.line < len(self.parsed.lines) else ""
        split = line.find("<<", spec.start, spec.end)
        split = spec.end if split < 0 else split
        names = set()
        if weak_at(spec.line, spec.start, split):
            names.add("surname")
        if weak_at(spec.line, split, spec.end):
            names.add("given_names")
        return names

    @cached_property
    def uncalibrated_engine(self) -> str | None:
        """The engine that read this MRZ from an image when its confidences cannot tell a misread
        character from one read right (models.CALIBRATED_ENGINES); None for ours and for typed text."""
        read = self.read
        if read is None or read.engine == "typed" or read.engine in CALIBRATED_ENGINES:
            return None
        return read.engine

    def weighed(self, finding: Finding) -> Finding:
        """``finding`` as the reading supports it. Read by an engine without per-character
        confidences, a misread character looks like a printed error, and such engines misread a lot
        (benchmarks/engines.py, 60 clean generated pages: the tesseract engine read 3 exactly and
        alerted on 52). An alert that a misread can raise (CheckSpec.misread_can_fail) is then a
        review that says why, never evidence of fraud; it stays a failure, so the verdict is not clear."""
        engine = self.uncalibrated_engine
        if (engine is None or finding.status != FAIL or finding.severity != ALERT
                or not SPECS[finding.id].misread_can_fail):
            return finding
        return Finding.of(finding.id, FAIL, REVIEW, Text(
            "{finding} The MRZ was read by the {engine} engine, which cannot tell a misread character from a "
            "printed error: read the image again with the default engine, or compare the MRZ with the document "
            "by eye.", finding=finding.text, engine=engine), finding.fields)

    def warned(self, check_id: str, template: str, fields: Iterable[str] = (), **params: Any) -> Finding:
        return Finding.of(check_id, WARN, None, Text(template, **params), fields)

    def skipped(
        self, check_id: str, template: str, fields: Iterable[str] = (), severity: str | None = None, **params: Any
    ) -> Finding:
        """A check that applies but could not be run; ``severity`` says what that costs."""
        return Finding.of(check_id, SKIP, severity, Text(template, **params), fields)


CheckFunction = Callable[[CheckContext], Iterable[Finding]]

SPECS: dict[str, CheckSpec] = {}
_FUNCTIONS: list[tuple[CheckFunction, tuple[str, ...]]] = []


def check(*specs: CheckSpec) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function and the ids it reports."""

    def register(function: CheckFunction) -> CheckFunction:
        family = function.__module__.rsplit(".", 1)[-1]
        for spec in specs:
            if spec.id in SPECS:
                raise ValueError(f"check id {spec.id} registered twice")
            SPECS[spec.id] = CheckSpec(spec.id, spec.severity, spec.title, family, spec.misread_can_fail)
        _FUNCTIONS.append((function, tuple(spec.id for spec in specs)))
        return function

    return register


def run_checks(context: CheckContext, families: Iterable[str] | None = None,
               exclude: Iterable[str] = ()) -> list[Finding]:
    """Run every registered check (or those of ``families``, e.g. the chip's when its read
    arrives after the page's; none of ``exclude``), in registration order, each finding weighed by
    how the MRZ was read (CheckContext.weighed: the checks themselves run alike whatever the engine)."""
    wanted = None if families is None else set(families)
    unwanted = set(exclude)
    findings: list[Finding] = []
    for function, ids in _FUNCTIONS:
        family = SPECS[ids[0]].family
        if wanted is not None and family not in wanted or family in unwanted:
            continue
        reported: list[Finding] = []
        try:
            for finding in function(context):
                if finding.id not in ids:
                    raise AssertionError(f"{function.__name__} reported unregistered id {finding.id}")
                reported.append(finding)
        except Exception as error:  # noqa: BLE001 - one broken check must not lose the screening
            if strict():
                raise
            report_bug(f"check {function.__name__}", error)
            done = {f.id for f in reported}
            missing = [i for i in ids if i not in done] or [ids[0]]
            reported.append(context.skipped(missing[0], "This check could not be completed (internal error: {error}); "
                                                        "please report it.", (), REVIEW, error=type(error).__name__))
        findings.extend(context.weighed(finding) for finding in reported)
    return findings


def in_registration_order(findings: Iterable[Finding]) -> list[Finding]:
    """Findings of separate ``run_checks`` runs in the order one run of all would give them."""
    order = {check_id: index for index, (_, ids) in enumerate(_FUNCTIONS) for check_id in ids}
    return sorted(findings, key=lambda finding: order[finding.id])
