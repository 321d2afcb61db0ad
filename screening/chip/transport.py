"""How APDUs reach a chip: a one-method protocol, PC/SC through pyscard, and a deadline.

``Transport.transmit`` sends one command APDU and returns the answer (data and SW1 SW2). The
protocol code above it never knows whether a real reader or the tests' software card answers.
"""

from __future__ import annotations

import threading
from typing import Callable, Protocol, TypeVar

from screening.chip.errors import CardRemoved, ChipError, ChipTimeout, NoCard, NoReader

T = TypeVar("T")


class Transport(Protocol):
    def transmit(self, apdu: bytes, timeout_s: float) -> bytes:
        """Send ``apdu``; the answer's data followed by SW1 SW2, within ``timeout_s`` seconds.

        Raises the chip errors (ChipTimeout, CardRemoved, NoCard, NoReader), nothing else.
        """
        ...


def call_with_deadline(call: Callable[[], T], timeout_s: float, what: str) -> T:
    """``call()`` in a worker thread, given up on after ``timeout_s`` seconds.

    PC/SC's SCardTransmit has no timeout of its own, and a driver can block for as long as a
    half-coupled card keeps the field busy. The worker is a daemon thread, so one stuck in the
    driver neither blocks us nor keeps the process alive at exit; the caller must treat the
    connection as lost after a ChipTimeout (PcscTransport does).
    """
    outcome: list = []

    def run() -> None:
        try:
            outcome.append((True, call()))
        except ChipError as exc:  # the call's own mapping of driver errors
            outcome.append((False, exc))

    worker = threading.Thread(target=run, name=f"chip-{what}", daemon=True)
    worker.start()
    worker.join(timeout_s)
    if worker.is_alive() or not outcome:
        raise ChipTimeout(f"{what} took longer than {timeout_s:g} s")
    succeeded, value = outcome[0]
    if not succeeded:
        raise value
    return value


class DeadlineTransport:
    """Bounds every transmit of ``inner`` (a transport that might block) by its timeout."""

    def __init__(self, inner: Transport):
        self.inner = inner
        self.broken = False

    def transmit(self, apdu: bytes, timeout_s: float) -> bytes:
        if self.broken:
            # The previous exchange never finished: the chip's state is unknown.
            raise ChipTimeout("the chip stopped answering")
        try:
            return call_with_deadline(lambda: self.inner.transmit(apdu, timeout_s), timeout_s, "transmit")
        except ChipTimeout:
            self.broken = True
            raise


def _pyscard():
    # Imported on use: the package works (with the software card, or to parse files) where
    # pyscard is not installed; only a real reader needs it.
    try:
        from smartcard import Exceptions, System
        from smartcard.pcsc import PCSCExceptions
    except ImportError:
        raise NoReader("pyscard is not installed (the [chip] extra)") from None
    return System, Exceptions, PCSCExceptions


def _reader_objects(timeout_s: float) -> list:
    System, Exceptions, PCSCExceptions = _pyscard()

    def readers() -> list:
        try:
            return list(System.readers())
        except (PCSCExceptions.BaseSCardException, Exceptions.SmartcardException) as exc:
            raise NoReader(f"PC/SC service not reachable: {exc}") from None

    return call_with_deadline(readers, timeout_s, "list readers")


def list_readers(timeout_s: float = 5.0) -> list[str]:
    """Names of the PC/SC readers attached; NoReader if PC/SC itself is not there."""
    return [str(reader) for reader in _reader_objects(timeout_s)]


class PcscTransport:
    """A chip on a PC/SC reader (the first one, or the one whose name contains ``reader``)."""

    def __init__(self, reader: str | None = None, connect_timeout_s: float = 5.0):
        self.reader_name = reader
        self.connect_timeout_s = connect_timeout_s
        self._connection = None
        self._broken = False

    def connect(self) -> None:
        System, Exceptions, PCSCExceptions = _pyscard()
        chosen = [r for r in _reader_objects(self.connect_timeout_s)
                  if self.reader_name is None or self.reader_name in str(r)]
        if not chosen:
            raise NoReader(f"no reader matching {self.reader_name!r}" if self.reader_name else "")
        reader = chosen[0]

        def open_connection():
            connection = reader.createConnection()
            try:
                connection.connect()
            except Exceptions.NoCardException:
                raise NoCard(str(reader)) from None
            except Exceptions.CardConnectionException as exc:
                raise NoCard(f"{reader}: {exc}") from None
            return connection

        self._connection = call_with_deadline(open_connection, self.connect_timeout_s, "connect")

    def transmit(self, apdu: bytes, timeout_s: float) -> bytes:
        if self._broken:
            raise ChipTimeout("the reader stopped answering earlier in this read")
        if self._connection is None:
            self.connect()
        _System, Exceptions, _PCSCExceptions = _pyscard()
        connection = self._connection

        def exchange() -> bytes:
            try:
                data, sw1, sw2 = connection.transmit(list(apdu))
            except Exceptions.NoCardException:
                raise CardRemoved("no card") from None
            except Exceptions.CardConnectionException as exc:
                # pyscard reports a card pulled off the field as a failed transmit.
                raise CardRemoved(str(exc)) from None
            return bytes(data) + bytes([sw1, sw2])

        try:
            return call_with_deadline(exchange, timeout_s, "transmit")
        except ChipTimeout:
            self._broken = True
            raise

    def close(self) -> None:
        if self._connection is not None and not self._broken:
            _System, Exceptions, _PCSCExceptions = _pyscard()
            try:
                self._connection.disconnect()
            except Exceptions.CardConnectionException:
                pass  # already gone with the card
        self._connection = None
