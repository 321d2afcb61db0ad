"""What a chip read found: the frozen result ``read_chip`` returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.chip.lds import FaceImage

PASSED = "passed"
FAILED = "failed"
NOT_SUPPORTED = "not_supported"  # the chip does not offer the mechanism (no DG14 / DG15)
NOT_RUN = "not_run"  # the read stopped before the mechanism's turn


@dataclass(frozen=True)
class AuthOutcome:
    """The result of chip authentication or active authentication."""

    status: str  # PASSED, FAILED, NOT_SUPPORTED or NOT_RUN
    reason: str = ""  # why it failed or was not run; for PASSED the variant (e.g. "ECDH AES-128")

    @property
    def passed(self) -> bool:
        return self.status == PASSED


@dataclass(frozen=True)
class ChipRead:
    """Everything one read of a chip gave, and how it ended.

    ``outcome`` is "read" when every file the chip lists was read (or refused only by its own
    access rules, see ``unreadable``); otherwise the error's code ("no_reader", "no_card",
    "removed", "refused", "timeout", "garbage", "unsupported", "chip_error"), with the files
    read up to that point.
    """

    outcome: str
    message: str = ""
    access_protocol: str | None = None  # "PACE" or "BAC", once access succeeded
    pace_fallback: str = ""  # why PACE was offered but BAC was used, if so
    files: dict[str, bytes] = field(default_factory=dict)  # "EF.COM", "EF.SOD", "DG1"... raw bytes
    unreadable: dict[str, str] = field(default_factory=dict)  # file listed in EF.COM -> why not read
    mrz_lines: tuple[str, ...] = ()  # from DG1
    face: FaceImage | None = None  # from DG2
    chip_authentication: AuthOutcome = AuthOutcome(NOT_RUN)
    active_authentication: AuthOutcome = AuthOutcome(NOT_RUN)
    timings_ms: tuple[tuple[str, float], ...] = ()  # (step, milliseconds), in the order run
    commands: int = 0  # APDUs sent

    @property
    def complete(self) -> bool:
        return self.outcome == "read"
