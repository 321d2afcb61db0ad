"""The chip joins a screening: read in the background after the page is shown, logged as a record
of its own (kind "chip", ref = the screening), announced so that the open screen refreshes.

A thin layer over screening.chip: ``read_for`` reads and verifies, ``pipeline.add_chip`` joins the
page's result. The kiosk only chooses when to read, keeps the portrait for the officer to compare,
and records what came back. Nothing already recorded is rewritten: a screening's newest chip
record is what its view shows.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import cv2
import numpy as np

from screening import Settings
from screening.chip.errors import ChipError
from screening.chip.evidence import verify_chip
from screening.chip.models import ChipRead
from screening.chip.session import read_for
from screening.chip.trust import STORE_NAME, TrustStoreError, open_existing
from screening.models import Result
from screening.pipeline import add_chip
from screening.guard import private_logger

from kiosk import db
from kiosk.config import PRIVATE_FILE
from kiosk.events import Announcer, Notice

log = private_logger("kiosk.chip")

# What a screening's payload says about its chip when it is recorded ("chip_read").
OFF = "off"  # no chip reader configured at this kiosk
NO_MRZ = "no_mrz"  # the chip's keys come from the MRZ, which was not read
VISA = "visa"  # visas carry no chip: reading would open the passport lying on the reader with the visa's keys
PENDING = "pending"  # a read was started
# What a chip record says when no read was made for its screening.
SUPERSEDED = "superseded"  # a newer document was screened before this one's turn came

VISA_FORMATS = ("MRV-A", "MRV-B")


def open_pcsc(reader: str) -> Callable[[], object]:
    """The factory for a PC/SC reader: "auto" is the first one, else the reader whose name contains it."""

    def open_transport():
        from screening.chip.transport import PcscTransport

        transport = PcscTransport(None if reader == "auto" else reader)
        transport.connect()
        return transport

    return open_transport


@dataclass(frozen=True)
class _Job:
    screening_id: int
    result: Result
    open_transport: Callable[[], object]


class ChipReads:
    """One chip read at a time, on a worker thread of its own: never on a request thread.

    Only the newest waiting screening is read next: the document on the reader is the one scanned
    last, so a screening still waiting when a newer one arrives is recorded as superseded rather
    than read with keys that are not the chip's (which would look like a chip refusing its MRZ).
    """

    def __init__(self, data_dir: Path, announcer: Announcer, *, settings: Settings,
                 transport_factory: Callable[[], Callable[[], object] | None]):
        self.data_dir = data_dir
        self.images_dir = data_dir / "images"
        self.database = data_dir / db.DB_NAME
        self.head = data_dir / db.HEAD_NAME
        self.announcer = announcer
        self.settings = settings
        # The current way to open the chip (None: no reader configured), asked at each screening.
        self.transport_factory = transport_factory
        self._condition = threading.Condition()
        self._waiting: _Job | None = None
        self._reading: int | None = None
        self._worker: threading.Thread | None = None
        self._stopped = False

    @property
    def enabled(self) -> bool:
        return self.transport_factory() is not None

    def plan(self, result: Result) -> str:
        """What will happen to this screening's chip (the screening payload's "chip_read")."""
        if not self.enabled:
            return OFF
        if result.mrz is None:
            return NO_MRZ
        if result.mrz.parsed.format in VISA_FORMATS:
            return VISA
        return PENDING

    def request(self, screening_id: int, result: Result) -> None:
        """Read the chip for a recorded screening whose plan was PENDING (returns at once)."""
        open_transport = self.transport_factory()
        if open_transport is None:
            return
        superseded = None
        with self._condition:
            if self._stopped:
                return
            superseded, self._waiting = self._waiting, _Job(screening_id, result, open_transport)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="kiosk-chip", daemon=True)
                self._worker.start()
            self._condition.notify_all()
        if superseded is not None:
            self._record_superseded(superseded.screening_id)

    def reading(self, screening_id: int) -> bool:
        """Whether this screening's chip is being read or waits its turn."""
        with self._condition:
            return self._reading == screening_id or (self._waiting is not None and
                                                      self._waiting.screening_id == screening_id)

    def wait_idle(self, timeout: float) -> bool:
        """Until no read runs or waits (tests, and stopping); False on timeout."""
        with self._condition:
            return self._condition.wait_for(lambda: self._reading is None and self._waiting is None, timeout)

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    # --- the worker --------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._condition:
                self._condition.wait_for(lambda: self._waiting is not None or self._stopped)
                if self._stopped:
                    self._waiting = None
                    self._condition.notify_all()
                    return
                job, self._waiting = self._waiting, None
                self._reading = job.screening_id
            try:
                self._read(job)
            finally:  # whatever happened, the screening is no longer "reading…"
                with self._condition:
                    self._reading = None
                    self._condition.notify_all()

    def _today(self) -> dt.date:
        return self.settings.today or dt.date.today()

    def _read(self, job: _Job) -> None:
        today = self._today()
        try:
            store = open_existing(self.data_dir / STORE_NAME)
        except TrustStoreError:
            log.warning("the trust store in the data folder cannot be opened: chips are read without it", exc_info=True)
            store = None
        try:
            evidence = self._evidence(job, store, today)
        finally:
            if store is not None:
                store.close()
        joined = add_chip(job.result, evidence, today=today, settings=self.settings)
        face = self._store_face(evidence.read.face)
        payload = {"result": joined.to_dict(), **face}
        connection = db.connect(self.database)
        try:
            record_id = db.append(connection, db.CHIP, payload, ref=job.screening_id, verdict=joined.verdict,
                                  head_path=self.head)
        finally:
            connection.close()
        log.info("chip for screening %d: %s, verdict %s (record %d)", job.screening_id, evidence.read.outcome,
                 joined.verdict, record_id)
        self.announcer.publish(Notice(job.screening_id, joined.verdict, "chip", kind="chip"))

    def _evidence(self, job: _Job, store, today: dt.date):
        try:
            transport = job.open_transport()
        except ChipError as error:  # no reader, no card: said, and the page's result stands
            return verify_chip(ChipRead(error.outcome, str(error)), store, today)
        try:
            return read_for(job.result.mrz.parsed, transport, store=store, today=today)
        finally:
            close = getattr(transport, "close", None)
            if close is not None:
                close()

    def _store_face(self, face) -> dict:
        """The chip's portrait in the images folder (purged with the page images), as the browser
        can show it: JPEG as the chip holds it, JPEG 2000 converted to PNG."""
        if face is None:
            return {"face": None}
        try:
            image = cv2.imdecode(np.frombuffer(face.image, np.uint8), cv2.IMREAD_COLOR)
        except cv2.error:
            image = None
        if image is None:
            log.warning("the chip's portrait (%s) could not be decoded for display", face.format)
            return {"face": None, "face_problem": face.format}
        if face.format == "jpeg":
            content, suffix = face.image, ".jpg"
        else:
            encoded, buffer = cv2.imencode(".png", image)
            if not encoded:
                return {"face": None, "face_problem": face.format}
            content, suffix = buffer.tobytes(), ".png"
        folder = self.images_dir / dt.date.today().isoformat()
        destination = folder / f"{uuid.uuid4().hex}-chip{suffix}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(content)
            destination.chmod(PRIVATE_FILE)
        except OSError:  # the read stands without its picture
            log.warning("could not store the chip's portrait", exc_info=True)
            return {"face": None, "face_problem": "storage"}
        return {"face": destination.relative_to(self.images_dir).as_posix(),
                "face_size": [int(image.shape[1]), int(image.shape[0])]}

    def _record_superseded(self, screening_id: int) -> None:
        connection = db.connect(self.database)
        try:
            db.append(connection, db.CHIP, {"skipped": SUPERSEDED}, ref=screening_id, head_path=self.head)
        finally:
            connection.close()
        log.info("chip for screening %d not read: a newer screening came first", screening_id)
        self.announcer.publish(Notice(screening_id, "", "chip", kind="chip"))
