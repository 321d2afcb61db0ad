"""``screening chip read`` and ``screening chip readers``: the chip from the command line.

The page (an image) or its typed MRZ is screened first; its MRZ gives the chip's keys; the
chip's read joins the same result (pipeline.add_chip), printed as ``screening check`` prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from screening.errors import EXIT_OK, EXIT_SOME_FAILED, UsageError


def add_chip_parser(commands) -> None:
    chip = commands.add_parser("chip", help="the e-passport chip: read it with the MRZ's keys and verify it")
    actions = chip.add_subparsers(title="chip commands", metavar="ACTION")
    read = actions.add_parser("read", help="screen a page (or a typed MRZ), then read and verify its chip")
    read.add_argument("image", nargs="?", help="the data page's image (its MRZ gives the chip's keys)")
    read.add_argument("--mrz-text", metavar="FILE", help="the MRZ typed in a file ('-' for standard input) "
                                                         "instead of an image")
    read.add_argument("--reader", metavar="NAME", help="the PC/SC reader (default: the first; see `chip readers`)")
    read.add_argument("--store", metavar="PATH", help="the trust store (default: as `screening trust`)")
    read.add_argument("--json", action="store_true", help="print the result as JSON (the contract, with 'chip')")
    read.add_argument("--timeout", type=float, default=3.0, metavar="S", help="seconds for each command's answer")
    read.add_argument("--today", type=dt.date.fromisoformat, help="screen as of this date (YYYY-MM-DD)")
    read.set_defaults(run=read_command)
    readers = actions.add_parser("readers", help="list the PC/SC readers")
    readers.set_defaults(run=readers_command)


def open_transport(reader: str | None):
    """The PC/SC transport (tests replace this function with a software card)."""
    from screening.chip.transport import PcscTransport

    transport = PcscTransport(reader)
    transport.connect()
    return transport


def read_command(args: argparse.Namespace) -> int:
    from screening.chip.errors import ChipError
    from screening.chip.evidence import verify_chip
    from screening.chip.models import ChipRead
    from screening.chip.session import read_for
    from screening.chip.trust import default_path, open_existing
    from screening.cli import _print, _read_text
    from screening.pipeline import add_chip, check_mrz_text, screen_file

    if (args.image is None) == (args.mrz_text is None):
        raise UsageError("give the page's image, or --mrz-text FILE (or -) with its typed MRZ")
    today = args.today
    if args.image is not None:
        result = screen_file(args.image, today=today)[0]
    else:
        text = sys.stdin.read() if args.mrz_text == "-" else _read_text(args.mrz_text)
        result = check_mrz_text(text, file=args.mrz_text, today=today)
    if result.mrz is None:
        _print(result, args.json, sys.stdout)
        print("chip not read: the page's MRZ gives its keys, and it could not be read", file=sys.stderr)
        return EXIT_SOME_FAILED
    store = open_existing(args.store or default_path())
    try:
        transport = open_transport(args.reader)
    except ChipError as error:  # no reader, no card: said, the page's result stands
        evidence = verify_chip(ChipRead(error.outcome, str(error)), store, _today(today))
    else:
        try:
            evidence = read_for(result.mrz.parsed, transport, store=store, today=_today(today),
                                timeout_s=args.timeout)
        finally:
            close = getattr(transport, "close", None)
            if close is not None:
                close()
    result = add_chip(result, evidence, today=today)
    _print(result, args.json, sys.stdout)
    if not args.json:
        print(chip_summary(evidence))
    return EXIT_OK if evidence.read.outcome == "read" else EXIT_SOME_FAILED


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def chip_summary(evidence) -> str:
    read = evidence.read
    if read.access_protocol is None:
        return f"  chip: not read ({read.outcome}: {read.message})"
    steps = ", ".join(f"{step} {ms:.0f} ms" for step, ms in read.timings_ms)
    face = f", face {read.face.format} {len(read.face.image)} bytes" if read.face is not None else ""
    return (f"  chip: {read.outcome} over {read.access_protocol}; files {', '.join(sorted(read.files))}{face}\n"
            f"  chip timings: {steps}")


def readers_command(args: argparse.Namespace) -> int:
    from screening.chip.errors import ChipError
    from screening.chip.transport import list_readers

    try:
        names = list_readers()
    except ChipError as error:
        print(f"no PC/SC readers: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    for name in names:
        print(name)
    if not names:
        print("no PC/SC readers connected", file=sys.stderr)
    return EXIT_OK if names else EXIT_SOME_FAILED
