"""Findings -> verdict and reasons (the table in ../shared/contract.md).

| what the checks found                                   | verdict |
|---------------------------------------------------------|---------|
| any failed check of severity ``alert``                  | alert   |
| else any failed or skipped check of severity ``review`` | review  |
| else (passes, notices, checks that did not apply)       | clear   |

Reasons are the messages of failures (alert first, then review), then of checks that
could not be run, then notices (``warn``) — most serious first. Each reason comes with its
finding's translatable form (``screening.text``), so an interface can show it in its language.
"""

from __future__ import annotations

from typing import Iterable

from screening.models import ALERT, CLEAR, FAIL, PASS, REVIEW, SKIP, WARN, Finding
from screening.text import Text


def _rank(finding: Finding) -> int | None:
    if finding.status == FAIL and finding.severity == ALERT:
        return 0
    if finding.status == FAIL and finding.severity == REVIEW:
        return 1
    if finding.status == SKIP and finding.severity == REVIEW:
        return 2
    if finding.status == WARN:
        return 3
    return None


def decide(findings: Iterable[Finding]) -> tuple[str, tuple[str, ...]]:
    verdict, reasons, _ = decide_with_texts(findings)
    return verdict, reasons


def decide_with_texts(findings: Iterable[Finding]) -> tuple[str, tuple[str, ...], tuple[Text, ...]]:
    """The verdict, the reasons, and each reason's translatable form (one per reason)."""
    ranked = [(rank, f) for f in findings if (rank := _rank(f)) is not None]
    ranked.sort(key=lambda pair: pair[0])  # stable: checks keep their order within a rank
    ranks = {rank for rank, _ in ranked}
    verdict = ALERT if 0 in ranks else REVIEW if ranks & {1, 2} else CLEAR
    texts: dict[str, Text] = {}
    for _, finding in ranked:
        texts.setdefault(finding.message, finding.text)
    return verdict, tuple(texts), tuple(texts.values())


# The visual-zone fields compared with the MRZ (screening/checks/viz.py), in the order a page prints them.
VIZ_FIELDS = ("surname", "given_names", "document_number", "birth_date", "expiry_date", "sex")


def not_compared(findings) -> tuple[str, ...]:
    """The visual-zone fields (``VIZ_FIELDS``) a screening did not compare with the MRZ: those of a
    ``viz.*`` check that was skipped. ``findings``: Finding objects or their dicts (a stored result)."""
    missing: set[str] = set()
    for finding in findings:
        get = finding.get if isinstance(finding, dict) else lambda name, f=finding: getattr(f, name)
        if get("id").startswith("viz.") and get("status") == SKIP:
            missing |= set(get("fields") or ()) & set(VIZ_FIELDS)
    return tuple(key for key in VIZ_FIELDS if key in missing)


def compared(findings) -> tuple[str, ...]:
    """The visual-zone fields a screening compared with the MRZ (a ``viz.*`` check passed or failed)."""
    done: set[str] = set()
    for finding in findings:
        get = finding.get if isinstance(finding, dict) else lambda name, f=finding: getattr(f, name)
        if get("id").startswith("viz.") and get("status") in (PASS, FAIL):
            done |= set(get("fields") or ()) & set(VIZ_FIELDS)
    return tuple(key for key in VIZ_FIELDS if key in done)
