"""One conversation with a chip: commands out, answers in, plain or under secure messaging."""

from __future__ import annotations

from screening.chip.apdu import Command, Response
from screening.chip.sm import SecureMessaging
from screening.chip.transport import Transport


class Channel:
    def __init__(self, transport: Transport, timeout_s: float):
        self.transport = transport
        self.timeout_s = timeout_s
        self.sm: SecureMessaging | None = None
        self.commands_sent = 0

    def send(self, command: Command) -> Response:
        """``command``'s answer; under secure messaging once ``sm`` is set."""
        self.commands_sent += 1
        if self.sm is not None:
            return self.sm.unwrap(self.transport.transmit(self.sm.wrap(command), self.timeout_s))
        response = Response.parse(self.transport.transmit(command.encode(), self.timeout_s))
        if response.sw >> 8 == 0x6C and command.le is not None:
            # Wrong Le: the chip says how many bytes it has (ISO 7816-4 5.1.3).
            retry = Command(command.cla, command.ins, command.p1, command.p2, command.data,
                            (response.sw & 0xFF) or 256)
            response = Response.parse(self.transport.transmit(retry.encode(), self.timeout_s))
        data = response.data
        while response.sw >> 8 == 0x61:
            # T=0 readers hand long answers over in pieces fetched with GET RESPONSE.
            more = Command(0x00, 0xC0, 0x00, 0x00, le=(response.sw & 0xFF) or 256)
            response = Response.parse(self.transport.transmit(more.encode(), self.timeout_s))
            data += response.data
        return Response(data, response.sw)
