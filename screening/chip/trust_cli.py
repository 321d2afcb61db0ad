"""``screening trust import FILE...`` and ``screening trust list``: the command-line side of the
trust store (screening.chip.trust). The CLI's parser calls ``add_trust_parser``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, Callable, TextIO

from screening.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, UsageError

if TYPE_CHECKING:
    from screening.chip.trust import ImportReport, StateCoverage, TrustStore

# The store's module (asn1crypto, cryptography) is imported by the commands that use it, not when
# the CLI builds its parser: every `screening check` would pay for it at start-up.


def add_trust_parser(commands) -> None:
    trust = commands.add_parser("trust", help="the chip trust store: CSCA and Document Signer certificates, CRLs")
    trust.add_argument("--store", metavar="PATH", help="the trust-store file (default: $SCREENING_TRUST_STORE, "
                                                       "else the per-user data directory)")
    actions = trust.add_subparsers(title="trust commands", metavar="ACTION")
    imp = actions.add_parser("import", help="import master lists, ICAO PKD LDIF files, certificates and CRLs "
                                            "(DER or PEM)")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.set_defaults(run=import_command)
    lst = actions.add_parser("list", help="coverage per issuing state, with expiry dates")
    lst.set_defaults(run=list_command)


def import_command(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None,
                   on_file: Callable[[str, ImportReport | None, str | None], None] | None = None) -> int:
    """Import each file in its own transaction; print what each added, or why it was refused, and
    tell ``on_file`` (name, report, None) or (name, None, why refused) (the kiosk logs each import).

    Exit status 0 when every file was imported, 1 when some were refused, 2 when all were."""
    from screening.chip import trust

    out, err = out or sys.stdout, err or sys.stderr
    refused = 0
    with _open(args.store or trust.default_path()) as store:
        for name in args.files:
            try:
                report = store.import_file(name)
            except trust.TrustImportError as error:
                refused += 1
                print(f"{name}: refused, nothing imported: {error.message}", file=err)
                if on_file is not None:
                    on_file(name, None, error.message)
                continue
            print(import_summary(name, report), file=out)
            if on_file is not None:
                on_file(name, report, None)
        print(f"trust store: {store.path}", file=out)
    if refused == len(args.files):
        return EXIT_USAGE
    return EXIT_SOME_FAILED if refused else EXIT_OK


def _open(path) -> TrustStore:
    from screening.chip import trust

    try:
        return trust.TrustStore(path)
    except trust.TrustStoreError as error:
        raise UsageError(error.message) from None


def import_summary(name: str, report: ImportReport) -> str:
    from screening.chip import trust

    added = "; ".join(trust.describe_counts(report.added)) or "nothing new"
    lines = [f"{name}: {report.file_format}: added {added}; {report.duplicates} already in the store (skipped)"]
    lines += [f"  {note}" for note in report.notes]
    return "\n".join(lines)


def list_command(args: argparse.Namespace, out: TextIO | None = None, today: dt.date | None = None) -> int:
    from screening.chip import trust

    out = out or sys.stdout
    path = args.store or trust.default_path()
    try:
        store = trust.open_existing(path)
    except trust.TrustStoreError as error:
        raise UsageError(error.message) from None
    if store is None:
        print(f"no trust store at {path}: import a master list with 'screening trust import FILE'", file=out)
        return EXIT_OK
    with store:
        coverage = store.coverage()
    print(coverage_table(coverage, today or dt.date.today()), file=out)
    return EXIT_OK


def coverage_table(coverage: list[StateCoverage], today: dt.date) -> str:
    """One row per issuing state; a date already past is marked "(expired)"."""
    if not coverage:
        return "the trust store is empty"
    header = ("state", "CSCAs", "DSCs", "first CSCA expiry", "last CSCA expiry", "newest CRL next update")
    rows = [header]
    for state in coverage:
        rows.append((state.state, str(state.cscas), str(state.dscs), _date(state.csca_earliest_expiry, today),
                     _date(state.csca_latest_expiry, today), _date(state.crl_next_update, today)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    no_csca = [s.state for s in coverage if not s.cscas]
    if no_csca:
        lines.append(f"no CSCA for {', '.join(no_csca)}: their chips cannot be verified (a review, not an alert)")
    return "\n".join(lines)


def _date(when: dt.datetime | None, today: dt.date) -> str:
    if when is None:
        return "-"
    text = when.date().isoformat()
    return f"{text} (expired)" if when.date() < today else text
