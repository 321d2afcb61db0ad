"""The chip stage: what a chip read gave, verified against the trust store, for the checks.

``read_chip`` (screening.chip.reader) talks to the card; ``verify_chip`` adds passive
authentication; the checks (screening.checks.chip) only compare what this evidence holds
with the printed MRZ.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from screening.chip.models import ChipRead
from screening.chip.passive import PassiveAuthResult, verify_passive
from screening.chip.trust import TrustStore


@dataclass(frozen=True)
class ChipEvidence:
    read: ChipRead
    passive: PassiveAuthResult | None  # None when no EF.SOD was read
    trust_store: bool  # whether a trust store was there to verify the chain with

    def to_dict(self) -> dict:
        """The chip's part of the result (additive to the contract: ``chip``)."""
        read, passive = self.read, self.passive
        out = {
            "outcome": read.outcome,
            "message": read.message,
            "access": read.access_protocol,
            "files": sorted(read.files),
            "unreadable": dict(read.unreadable),
            "mrz_lines": list(read.mrz_lines),
            "face": ({"format": read.face.format, "bytes": len(read.face.image), "width": read.face.width,
                      "height": read.face.height} if read.face is not None else None),
            "chip_authentication": read.chip_authentication.status,
            "active_authentication": read.active_authentication.status,
            "timings_ms": {step: round(ms, 3) for step, ms in read.timings_ms},
            "passive": None,
        }
        if passive is not None:
            out["passive"] = {"signature": passive.signature.code, "chain": passive.chain.code,
                              "revocation": passive.revocation.code, "hashes": passive.hashes.code,
                              "issuing_state": passive.issuing_state,
                              "matched": list(passive.matched), "mismatched": list(passive.mismatched)}
        return out


def data_group_number(name: str) -> int | None:
    match = re.fullmatch(r"DG(\d+)", name)
    return int(match.group(1)) if match else None


def verify_chip(read: ChipRead, store: TrustStore | None, today: dt.date) -> ChipEvidence:
    """Passive authentication of what ``read`` holds (when it holds EF.SOD)."""
    sod = read.files.get("EF.SOD")
    passive = None
    if sod is not None:
        groups = {number: data for name, data in read.files.items()
                  if (number := data_group_number(name)) is not None}
        passive = verify_passive(sod, groups, store, today)
    return ChipEvidence(read, passive, store is not None)
