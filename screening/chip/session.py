"""One chip read for one screening: the access key from the printed MRZ, the read, the
verification. The CLI and the kiosk both go through ``read_for``."""

from __future__ import annotations

import datetime as dt

from screening.chip.access import AccessKey
from screening.chip.evidence import ChipEvidence, verify_chip
from screening.chip.models import ChipRead
from screening.chip.reader import read_chip
from screening.chip.transport import Transport
from screening.chip.trust import TrustStore
from screening.models import ParsedMRZ

APDU_TIMEOUT_S = 3.0  # one command's answer; a full read sends 30-200


def access_key(parsed: ParsedMRZ) -> AccessKey | None:
    """The BAC/PACE key material of the printed MRZ (AccessKey.from_parsed); None when the MRZ
    does not hold it readably (then no read is attempted)."""
    try:
        return AccessKey.from_parsed(parsed)
    except ValueError:
        return None


def read_for(parsed: ParsedMRZ, transport: Transport, *, store: TrustStore | None, today: dt.date,
             timeout_s: float = APDU_TIMEOUT_S) -> ChipEvidence:
    key = access_key(parsed)
    if key is None:
        read = ChipRead("error", "the printed MRZ does not hold a readable document number, birth and expiry date")
        return verify_chip(read, store, today)
    return verify_chip(read_chip(transport, key, timeout_s=timeout_s), store, today)
