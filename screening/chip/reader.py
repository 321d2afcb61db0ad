"""Read an e-passport chip end to end: access, files, clone detection, with clear outcomes.

``read_chip`` never raises for what a chip or a reader can do (no reader, no card, the card
pulled away, keys refused, no answer in time, garbage): it returns a ChipRead whose
``outcome`` says which, with every file read until then.

Files are read with SELECT by file identifier (P1=02, P2=0C) and READ BINARY: 4 bytes first
to learn the file's length, then chunks of 223 bytes (what fits a short secure-messaging
answer); READ BINARY with an odd INS (B1, offset in DO'54') past offset 0x7FFF, so files up
to the 16 MB a 3-byte length allows are read. Extended-length APDUs are not used for reading.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable

from screening.chip import lds, tlv
from screening.chip.access import AccessKey
from screening.chip.apdu import (
    Command,
    raise_for_status,
    read_binary,
    read_binary_odd,
    select_application,
    select_file,
)
from screening.chip.authenticate import ChipAuthenticationRefused, active_authentication, chip_authentication
from screening.chip.bac import establish_bac
from screening.chip.channel import Channel
from screening.chip.ec import CURVES, Curve
from screening.chip.errors import (
    ChipError,
    FileNotFound,
    GarbageResponse,
    MalformedFile,
    SecurityStatusNotSatisfied,
    StatusError,
    UnsupportedChip,
)
from screening.chip.models import FAILED, NOT_SUPPORTED, PASSED, AuthOutcome, ChipRead
from screening.chip.pace import establish_pace, random_scalar
from screening.chip.transport import Transport

CHUNK = 0xDF  # 223 bytes: the data of a short answer under 3DES or AES secure messaging
MAX_FILE = 1 << 24
# Read when EF.COM cannot be: the groups worth having, each skipped if absent.
DEFAULT_GROUPS = (1, 2, 11, 12, 14, 15)
READ_GROUPS = (1, 2, 11, 12, 15)  # after EF.SOD; DG14 is read first, for chip authentication


def read_file(channel: Channel, fid: int) -> bytes:
    """The whole file ``fid`` of the selected application."""
    raise_for_status(channel.send(select_file(fid)), lds.file_name(fid))
    head = raise_for_status(channel.send(read_binary(0, 4)), lds.file_name(fid)).data
    total = tlv.total_length(head)
    if total is None:
        head += raise_for_status(channel.send(read_binary(len(head), 4)), lds.file_name(fid)).data
        total = tlv.total_length(head)
    if total is None or total > MAX_FILE:
        raise MalformedFile(f"{lds.file_name(fid)} does not start with a length")
    data = head[:total]
    while len(data) < total:
        offset, wanted = len(data), min(CHUNK - 4, total - len(data))
        if offset <= 0x7FFF:
            answer = raise_for_status(channel.send(read_binary(offset, wanted)), lds.file_name(fid))
            chunk = answer.data
        else:
            answer = raise_for_status(channel.send(read_binary_odd(offset, wanted)), lds.file_name(fid))
            chunk = tlv.decode_one(answer.data, 0x53, GarbageResponse) if answer.data else b""
        if not chunk:
            raise MalformedFile(f"{lds.file_name(fid)} ends at {offset} bytes, its header says {total}")
        data += chunk[:wanted]
    return data


@dataclass
class _Progress:
    """What the read has found so far; becomes the ChipRead however the read ends."""

    clock: Callable[[], float]
    files: dict[str, bytes] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)
    access: str | None = None
    pace_fallback: str = ""
    ca: AuthOutcome = AuthOutcome("not_run")
    aa: AuthOutcome = AuthOutcome("not_run")

    def timed(self, step: str, action: Callable[[], object]):
        start = self.clock()
        try:
            return action()
        finally:
            self.timings.append((step, (self.clock() - start) * 1000.0))


class _Reader:
    def __init__(self, transport: Transport, key: AccessKey, timeout_s: float, progress: _Progress,
                 random: Callable[[int], bytes], private_scalar: Callable[[Curve], int]):
        self.channel = Channel(transport, timeout_s)
        self.key = key
        self.progress = progress
        self.random = random
        self.private_scalar = private_scalar
        self.pace_option: lds.PaceOption | None = None
        self.pace_options: tuple[lds.PaceOption, ...] = ()

    # -- access

    def find_pace(self) -> None:
        try:
            card_access = read_file(self.channel, lds.EF_CARD_ACCESS)
        except StatusError:
            return  # no EF.CardAccess: a BAC-only chip
        self.progress.files["EF.CardAccess"] = card_access
        try:
            self.pace_options = lds.parse_security_infos(card_access).pace
        except MalformedFile as exc:
            self.progress.pace_fallback = f"EF.CardAccess unreadable: {exc.detail}"
            return
        usable = [o for o in self.pace_options if o.is_ecdh_generic_mapping and o.cipher
                  and o.parameter_id in CURVES]
        if usable:
            # The strongest cipher offered: the last arc orders 3DES < AES-128 < -192 < -256.
            self.pace_option = max(usable, key=lambda o: o.protocol.rsplit(".", 1)[1])
        elif self.pace_options:
            self.progress.pace_fallback = "PACE variants offered are not supported: " + ", ".join(
                o.protocol for o in self.pace_options)

    def open_session(self) -> None:
        """PACE where offered and supported, BAC otherwise; then the eMRTD application."""
        self.channel.sm = None
        if self.pace_option is not None:
            try:
                establish_pace(self.channel, self.key, self.pace_option,
                               name_parameters=len(self.pace_options) > 1, private_scalar=self.private_scalar)
            except (UnsupportedChip, StatusError) as exc:
                # The chip would not run this PACE variant; BAC, if the chip still has it.
                self.progress.pace_fallback = str(exc)
                self.channel.sm = None
            else:
                self.progress.access = "PACE"
                raise_for_status(self.channel.send(select_application(lds.EMRTD_AID)), "eMRTD application")
                return
        answer = self.channel.send(select_application(lds.EMRTD_AID))
        if answer.sw == 0x6A82:
            raise UnsupportedChip("no eMRTD application on the chip")
        raise_for_status(answer, "eMRTD application")
        establish_bac(self.channel, self.key, self.random)
        self.progress.access = "BAC"

    # -- files

    def read_into(self, name: str, fid: int) -> bytes | None:
        try:
            data = self.progress.timed(f"read {name}", lambda: read_file(self.channel, fid))
        except FileNotFound:
            self.progress.unreadable[name] = "not on the chip"
            return None
        except SecurityStatusNotSatisfied:
            self.progress.unreadable[name] = "the chip does not let this session read it"
            return None
        self.progress.files[name] = data
        return data

    def listed_groups(self) -> tuple[int, ...]:
        com = self.read_into("EF.COM", lds.EF_COM)
        if com is None:
            self.progress.unreadable.pop("EF.COM", None)
            return DEFAULT_GROUPS
        return lds.parse_com(com).data_groups

    def run_chip_authentication(self, dg14: bytes) -> lds.SecurityInfoSet | None:
        try:
            infos = lds.parse_dg14(dg14)
        except MalformedFile as exc:
            self.progress.ca = AuthOutcome(FAILED, f"DG14 is malformed: {exc.detail}")
            return None
        if not infos.chip_authentication:
            self.progress.ca = AuthOutcome(NOT_SUPPORTED, "DG14 offers no chip authentication")
            return infos
        try:
            variant = chip_authentication(self.channel, infos, self.private_scalar)
            # Proof: an answer under the new keys must verify.
            raise_for_status(self.channel.send(select_file(lds.EF_COM)), "EF.COM after chip authentication")
        except UnsupportedChip as exc:
            self.progress.ca = AuthOutcome(NOT_SUPPORTED, exc.detail or str(exc))
            return infos
        except (ChipAuthenticationRefused, GarbageResponse, StatusError) as exc:
            self.progress.ca = AuthOutcome(FAILED, f"the chip did not prove the key of DG14 ({exc})")
            # The chip's session is lost with the failed key agreement: open a new one.
            self.progress.timed("reopen session", self.open_session)
            return infos
        self.progress.ca = AuthOutcome(PASSED, variant)
        return infos

    def run_active_authentication(self, dg15: bytes, infos: lds.SecurityInfoSet | None) -> None:
        try:
            key_info = lds.parse_dg15(dg15)
            problem = active_authentication(self.channel, key_info,
                                            infos.active_authentication_hash if infos else None, self.random)
        except MalformedFile as exc:
            self.progress.aa = AuthOutcome(FAILED, f"DG15 is malformed: {exc.detail}")
            return
        except UnsupportedChip as exc:
            self.progress.aa = AuthOutcome(NOT_SUPPORTED, exc.detail or str(exc))
            return
        self.progress.aa = AuthOutcome(FAILED, problem) if problem else AuthOutcome(PASSED)

    def read(self) -> None:
        self.progress.timed("EF.CardAccess", self.find_pace)
        self.progress.timed("access", self.open_session)
        groups = self.listed_groups()
        infos = None
        if 14 in groups:
            dg14 = self.read_into("DG14", lds.DG_FIDS[14])
            if dg14 is not None:
                infos = self.progress.timed("chip authentication", lambda: self.run_chip_authentication(dg14))
        else:
            self.progress.ca = AuthOutcome(NOT_SUPPORTED, "no DG14")
        self.read_into("EF.SOD", lds.EF_SOD)
        for number in READ_GROUPS:
            if number in groups:
                self.read_into(f"DG{number}", lds.DG_FIDS[number])
        if "DG15" in self.progress.files:
            self.progress.timed("active authentication",
                                lambda: self.run_active_authentication(self.progress.files["DG15"], infos))
        else:
            self.progress.aa = AuthOutcome(NOT_SUPPORTED, "no DG15")


def read_chip(transport: Transport, key: AccessKey, *, timeout_s: float = 3.0,
              clock: Callable[[], float] = time.perf_counter,
              random: Callable[[int], bytes] = os.urandom,
              private_scalar: Callable[[Curve], int] = random_scalar) -> ChipRead:
    """Read the chip behind ``transport`` with the access key of its MRZ.

    ``timeout_s`` bounds each APDU (the transport enforces it; PcscTransport and
    DeadlineTransport do). ``clock`` times the steps; ``random`` and ``private_scalar`` draw
    the terminal's nonces and keys (tests fix them).
    """
    progress = _Progress(clock)
    reader = _Reader(transport, key, timeout_s, progress, random, private_scalar)
    outcome, message = "read", ""
    start = clock()
    try:
        reader.read()
    except ChipError as exc:
        outcome, message = exc.outcome, str(exc)
    progress.timings.append(("total", (clock() - start) * 1000.0))
    mrz_lines: tuple[str, ...] = ()
    face = None
    if "DG1" in progress.files:
        try:
            mrz_lines = lds.parse_dg1(progress.files["DG1"])
        except MalformedFile as exc:
            progress.unreadable["DG1"] = f"malformed: {exc.detail}"
    if "DG2" in progress.files:
        try:
            face = lds.parse_dg2(progress.files["DG2"])
        except MalformedFile as exc:
            progress.unreadable["DG2"] = f"malformed: {exc.detail}"
    return ChipRead(outcome, message, progress.access, progress.pace_fallback, dict(progress.files),
                    dict(progress.unreadable), mrz_lines, face, progress.ca, progress.aa,
                    tuple(progress.timings), reader.channel.commands_sent)
