"""The e-passport chip (ICAO Doc 9303 Parts 10-11): access, secure messaging, files, clone checks.

The entry point is ``read_chip(transport, key)``; ``PcscTransport`` talks to a PC/SC reader.
"""

from screening.chip.access import AccessKey
from screening.chip.models import AuthOutcome, ChipRead
from screening.chip.reader import read_chip
from screening.chip.transport import DeadlineTransport, PcscTransport, Transport, list_readers

__all__ = ["AccessKey", "AuthOutcome", "ChipRead", "DeadlineTransport", "PcscTransport", "Transport",
           "list_readers", "read_chip"]
