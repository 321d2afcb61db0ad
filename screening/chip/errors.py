"""What can go wrong talking to an e-passport chip, one class per outcome the officer sees.

Each error has a stable ``outcome`` code (what ``read_chip`` reports instead of raising) and a
short English ``message``. The messages are not ``Text`` templates yet: the layer that shows
them (checks, CLI, kiosk) maps ``outcome`` to its own translatable sentence.
"""

from __future__ import annotations


class ChipError(Exception):
    """Base of every error of the chip protocol."""

    outcome = "error"
    message = "the chip could not be read"

    def __init__(self, detail: str = ""):
        # ``detail`` says what happened technically (a status word, a step); the message stays short.
        self.detail = detail
        super().__init__(f"{self.message}: {detail}" if detail else self.message)


class NoReader(ChipError):
    outcome = "no_reader"
    message = "no chip reader is connected"


class NoCard(ChipError):
    outcome = "no_card"
    message = "no chip on the reader"


class CardRemoved(ChipError):
    outcome = "removed"
    message = "the document was taken off the reader during the read"


class AccessDenied(ChipError):
    outcome = "refused"
    message = "the chip refused the keys of the MRZ"


class ChipTimeout(ChipError):
    outcome = "timeout"
    message = "the chip did not answer in time"


class GarbageResponse(ChipError):
    outcome = "garbage"
    message = "the chip's answer was malformed or not authentic"


class MalformedFile(GarbageResponse):
    """A file of the chip that does not have the structure Doc 9303 Part 10 gives it."""

    message = "a file of the chip is malformed"


class UnsupportedChip(ChipError):
    outcome = "unsupported"
    message = "the chip uses a protocol this reader does not support"


class StatusError(ChipError):
    """The chip answered a command with a status word other than success."""

    outcome = "chip_error"
    message = "the chip reported an error"

    def __init__(self, sw: int, detail: str = ""):
        self.sw = sw
        super().__init__(f"status {sw:04X}" + (f" ({detail})" if detail else ""))


class FileNotFound(StatusError):
    """6A82: the file is not on this chip (an optional data group, say)."""

    message = "the file is not on the chip"


class SecurityStatusNotSatisfied(StatusError):
    """6982: the file needs an access right this session does not have (EAC-protected DG3/DG4)."""

    message = "the chip does not let this session read the file"
