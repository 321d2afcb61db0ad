"""The defect catalogue and the capture conditions, as data.

Each defect has a stable id (used in answer keys, course sheets and training scores),
the verdict a perfect screening gives, whether the MRZ text alone reveals it, what an
officer should notice, and the checks that should catch it. The defects are registered in
defects.py (``@defect``), the captures in conditions.py (``families.capture``);
docs/samples.md is written from these tables.
"""

from __future__ import annotations

from dataclasses import dataclass


from screening.samples.defects import ALERT, CLEAR, DEFECTS, LIGHT_DEFECTS, REVIEW, Defect, get
from screening.samples.families import families

_RANK = {CLEAR: 0, REVIEW: 1, ALERT: 2}


def expected_verdict(defect_ids: list[str] | tuple[str, ...]) -> str:
    """The verdict a perfect screening gives: the most serious defect's, clear without defects."""
    return max((get(d).verdict for d in defect_ids), key=_RANK.__getitem__, default=CLEAR)


def mrz_visible(defect_ids: list[str] | tuple[str, ...]) -> bool:
    """Whether every defect shows in the MRZ text (true for a clean document)."""
    return all(get(d).mrz_visible for d in defect_ids)


@dataclass(frozen=True)
class Condition:
    id: str
    title: str
    dpi: int  # resolution of the rendered page before degradation
    image_format: str  # jpg or png


# Every registered capture family (conditions.py), held-out ones included.
CONDITIONS: dict[str, Condition] = {
    name: Condition(name, family.title, family.params.get("dpi", 300), "jpg")
    for name, family in families("capture").items()
}
# The scanner and phone conditions the curated sample_docs/ set covers (the others came with
# issue 12's families; benchmarks/trust.py measures them).
CURATED_CONDITIONS = ("scan300", "scan150", "jpeg_low", "rotated90", "rotated180", "rotated270", "skew", "phone")

FORMATS = ("TD3", "TD1", "TD2", "MRV-A", "MRV-B")
