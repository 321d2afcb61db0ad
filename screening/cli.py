"""The `screening` command. Errors become exit statuses here and nowhere else."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from typing import Iterator, TextIO

from screening import __version__
from screening.checks import SPECS, Settings
from screening.errors import EXIT_PIPE_CLOSED, EXIT_SOME_FAILED, EXIT_USAGE, InputFileError, UsageError, exit_status
from screening.guard import guarded
from screening.models import Result
from screening.mrz.read import ENGINES
from screening.mrz.formats import name_text
from screening.pipeline import check_mrz_text, screen_file, unreadable
from screening.text import Join, Text
from screening.verdict import not_compared

# The audit report's languages (kiosk/locales holds their catalogues).
REPORT_LANGUAGES = ("en", "ru")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:2] == ["audit", "report"]:
        # `audit ARCHIVE...` takes any name as an archive: `audit report` is the report's own command
        # (an archive folder called "report" is given as ./report).
        parser, argv = build_audit_report_parser(), argv[2:]
    else:
        parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except UsageError as error:
        print(f"screening: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("screening: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`screening list-checks | head`): stop quietly, and keep
        # Python from raising again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_PIPE_CLOSED


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="screening",
        description="Screen travel documents: read the MRZ, run the checks, give a verdict.",
    )
    parser.add_argument("--version", action="version", version=f"screening {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="screen documents (image files, or MRZ text with --mrz-text)",
        description="Screen documents and print a verdict per document.",
    )
    check.add_argument("files", nargs="*", metavar="FILE", help="document images to screen")
    check.add_argument(
        "--mrz-text",
        metavar="SOURCE",
        help="read MRZ lines from SOURCE ('-' for standard input, or a text file); "
        "separate several documents with a blank line",
    )
    check.add_argument("--json", action="store_true", help="print one JSON result per line (JSON Lines)")
    check.add_argument("--engine", choices=ENGINES, default="ocrb",
                       help="how images are read: ocrb (ours, default), tesseract, or passporteye (the reference "
                            "peer); the peers give no per-character confidence, so what a misread could cause is "
                            "a review, not an alert")
    check.add_argument("--today", type=_date, help="screen as of this date (YYYY-MM-DD), e.g. for training sets")
    check.set_defaults(run=run_check)

    list_checks = commands.add_parser("list-checks", help="list every check with its id and severity")
    list_checks.add_argument("--markdown", action="store_true", help="print the table of docs/checks.md")
    list_checks.set_defaults(run=run_list_checks)

    samples = commands.add_parser("samples", help="generate specimen documents for training (images, answer key, PDF)")
    samples_commands = samples.add_subparsers(title="samples commands", metavar="ACTION")
    gen = samples_commands.add_parser("generate", help="write specimen images, answer_key.jsonl, watchlist.csv, course.pdf")
    gen.add_argument("--out", required=True, metavar="DIR", help="directory to write to")
    gen.add_argument("--count", type=int, default=24, help="number of documents (default 24)")
    gen.add_argument("--seed", type=int, default=0, help="random seed: the same seed gives the same set")
    gen.add_argument("--today", type=_date, help="the date verdicts assume (YYYY-MM-DD; default today)")
    gen.add_argument("--formats", help="comma-separated: TD3,TD1,TD2,MRV-A,MRV-B (default all)")
    gen.add_argument("--conditions", help="comma-separated capture families (default: the scanner and phone "
                                          "conditions of sample_docs; 'all': every one; see docs/samples.md)")
    gen.add_argument("--layouts", help="comma-separated layout families (default icao_en; 'all': every one)")
    gen.add_argument("--printers", help="comma-separated printer families (default laser; 'all': every one)")
    gen.add_argument("--defects", help="comma-separated defect ids to draw from ('none': clean documents only)")
    gen.add_argument("--clean-share", type=float, default=0.3, help="share of clean documents (default 0.3)")
    gen.add_argument("--max-defects", type=int, default=2, help="defects per document at most (default 2)")
    gen.add_argument("--overprint", action="store_true", help="print SPECIMEN across every page")
    gen.add_argument("--preset", choices=["curated"], help="a fixed set instead of a random one (sample_docs/)")
    gen.add_argument("--no-course", action="store_true", help="do not write course.pdf")
    gen.add_argument("--lights", action="store_true",
                     help="each document under white, infrared and ultraviolet light, as a full-page reader "
                          "saves them (NAME_white.jpg, NAME_ir.jpg, NAME_uv.jpg); --conditions then names reader "
                          "families, and the light defects join the pool (docs/lights.md)")
    gen.set_defaults(run=run_samples)

    add_watchlist_parser(commands)
    from screening.chip.trust_cli import add_trust_parser

    add_trust_parser(commands)
    from screening.chip.chip_cli import add_chip_parser

    add_chip_parser(commands)

    doctor = commands.add_parser(
        "doctor", help="check this computer has what screening needs (model, Tesseract, fonts, data folder)",
        description="Report the recogniser model, Tesseract and its language data, the fonts, pyscard (optional) "
                    "and write access to the kiosk's data folder, each missing one with its fix. Exit status 1 "
                    "when something required is missing (the kiosk then refuses to start).")
    doctor.add_argument("--data", metavar="DIR", help="the kiosk's data folder, to check it can be written")
    doctor.set_defaults(run=run_doctor)

    audit = commands.add_parser(
        "audit", help="screen a scanned archive: results.jsonl, summary.csv, report.html; resumable, parallel",
        description="Screen every image and PDF page under folders and zip files, in parallel; progress is kept "
                    "in DIR so an interrupted audit finishes with --resume. `screening audit report DIR` writes "
                    "the report of a finished audit again (another language, filters), without screening.")
    audit.add_argument("archives", nargs="+", metavar="ARCHIVE", help="folders, zip files or single files")
    audit.add_argument("--out", required=True, metavar="DIR", help="where results and the report go")
    audit.add_argument("--workers", type=int, metavar="N", help="local worker processes (default: one per core)")
    audit.add_argument("--resume", action="store_true", help="finish an interrupted audit in DIR")
    audit.add_argument("--dask", metavar="ADDRESS", help="run on a Dask cluster (tcp://HOST:8786) whose workers "
                       "have this package and see the archive at the same path")
    audit.add_argument("--engine", choices=ENGINES, default="ocrb", help="how images are read (default ocrb)")
    audit.add_argument("--today", type=_date, help="screen as of this date (YYYY-MM-DD)")
    audit.add_argument("--no-progress", action="store_true", help="no progress bar")
    audit.add_argument("--lang", choices=REPORT_LANGUAGES, default="en", help="the report's language (default en)")
    audit.set_defaults(run=run_audit)

    # Everything after `kiosk` (--help too: no option prefix here) goes to kiosk.cli's own parser.
    kiosk = commands.add_parser("kiosk", add_help=False, prefix_chars="+",
                                help="the checkpoint kiosk: serve, add-user, import-watchlist, verify-log")
    kiosk.add_argument("kiosk_args", nargs=argparse.REMAINDER)
    kiosk.set_defaults(run=run_kiosk)
    return parser


def build_audit_report_parser() -> argparse.ArgumentParser:
    from screening.audit.report import FLAGGED_LIMIT

    parser = argparse.ArgumentParser(
        prog="screening audit report",
        description="Write the report of a finished audit again from its results.jsonl, without screening: in "
                    "another language, or listing only some flagged pages. Past --per-page flagged pages the list "
                    "goes on in NAME-2.html, NAME-3.html...")
    parser.add_argument("out", metavar="DIR", help="the audit's --out folder (holding results.jsonl)")
    parser.add_argument("--lang", choices=REPORT_LANGUAGES, default="en", help="the report's language (default en)")
    parser.add_argument("--verdict", metavar="V[,V]", help="list only flagged pages with these verdicts: alert, review")
    parser.add_argument("--state", metavar="XXX[,XXX]", help="list only flagged pages of these issuing states")
    parser.add_argument("--check", metavar="ID[,ID]", help="list only flagged pages that failed these checks "
                        "(ids or their first part, e.g. viz; see `screening list-checks`)")
    parser.add_argument("--per-page", type=int, default=FLAGGED_LIMIT, metavar="N",
                        help=f"flagged pages per file (default {FLAGGED_LIMIT})")
    parser.add_argument("--name", default="report", help="the report's file name without .html (default report; "
                        "e.g. report-ru to keep the first report)")
    parser.set_defaults(run=run_audit_report)
    return parser


def _date(text: str) -> dt.date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:  # the form is right: say what is wrong with the day itself
        raise argparse.ArgumentTypeError(f"{text!r} is not a calendar date ({error})") from None


def run_check(args: argparse.Namespace) -> int:
    if not args.files and args.mrz_text is None:
        raise UsageError("nothing to check: give image files, or --mrz-text - to type MRZ lines")
    settings = Settings(today=args.today)
    processed = failed = 0
    for result in _results(args, settings):
        if result.error is None:
            processed += 1
        else:
            failed += 1
        _print(result, args.json, sys.stdout)
    return exit_status(processed, failed)


def _results(args: argparse.Namespace, settings: Settings) -> Iterator[Result]:
    if args.mrz_text is not None:
        source = "-" if args.mrz_text == "-" else args.mrz_text
        try:
            text = sys.stdin.read() if source == "-" else _read_text(source)
        except InputFileError as error:
            yield unreadable(source, error, {})
        else:
            blocks = list(split_documents(text))
            if not blocks:
                raise UsageError("no MRZ text was given")
            for block in blocks:
                yield from guarded(source, "screening a typed MRZ",
                                   lambda: [check_mrz_text(block, file=source, settings=settings)])
    for path in args.files:
        yield from guarded(path, "screening a file", lambda: screen_file(path, settings=settings, engine=args.engine))


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror}") from None


def split_documents(text: str) -> Iterator[str]:
    """MRZ text holding one or more documents, separated by blank lines ('#' starts a comment)."""
    block: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if line.strip():
            block.append(line)
        elif block:
            yield "\n".join(block)
            block = []
    if block:
        yield "\n".join(block)


def _print(result: Result, as_json: bool, out: TextIO) -> None:
    if as_json:
        out.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    else:
        out.write(summary(result) + "\n")
    out.flush()


def summary(result: Result) -> str:
    """A few lines an officer reads at a glance."""
    head = f"{result.file}: {result.verdict.upper()}"
    lines = [head]
    if result.mrz is not None:
        parsed = result.mrz.parsed
        name = ", ".join(part for part in (parsed.surname, parsed.given_names) if part)
        birth = parsed.birth_date.strftime("%d.%m.%Y") if parsed.birth_date else parsed.raw.get("birth_date", "")
        expiry = parsed.expiry_date.strftime("%d.%m.%Y") if parsed.expiry_date else parsed.raw.get("expiry_date", "-")
        lines.append(
            f"  {parsed.format} {parsed.document_code} {parsed.issuing_state} no. {parsed.document_number}"
            f" | {name} | {parsed.nationality} | born {birth} | sex {parsed.sex} | expires {expiry}"
        )
        for note in parsed.notes:
            lines.append(f"  note: {note}")
    marks = {"alert": "!!", "review": " !", "skip": " ?", "warn": " i"}
    by_message = {f.message: f for f in result.checks}
    for reason in result.reasons:
        finding = by_message.get(reason)
        mark = marks.get(finding.severity or finding.status, " -") if finding else "!!"
        lines.append(f"  {mark} {reason}")
    missing = not_compared(result.checks)
    if missing:
        lines.append("  " + str(Text("not compared with the page: {names}; compare them by eye",
                                     names=Join(", ", [name_text(key) for key in missing]))))
    counts = {status: sum(f.status == status for f in result.checks) for status in ("pass", "skip", "warn")}
    if result.verdict == "clear" and counts["pass"] == len(result.checks):
        lines.append("  " + str(Text("all {count} checks passed", count=len(result.checks))))
    elif result.verdict == "clear":
        # Clear: every check that applies ran and passed; notices and skips that do not bear on the
        # verdict (registered without a severity) are counted, not hidden behind "all passed".
        lines.append("  " + str(Text("{passed} of {count} checks passed; {notices} notices; {skipped} not run, "
                                     "none that bears on the verdict", passed=counts["pass"], count=len(result.checks),
                                     notices=counts["warn"],
                                     skipped=counts["skip"])))
    return "\n".join(lines)


def run_list_checks(args: argparse.Namespace) -> int:
    if args.markdown:
        print(checks_markdown())
    else:
        for spec in SPECS.values():
            print(f"{spec.id:38} {spec.severity or 'notice':7} {spec.title}")
    return 0


def run_samples(args: argparse.Namespace) -> int:
    from screening import samples

    try:
        options = samples.options_from_args(args)
    except ValueError as error:
        raise UsageError(str(error)) from None
    entries = samples.generate(options, progress=lambda e: print(f"{e['file']}: {e['expected_verdict']}",
                                                                  file=sys.stderr))
    print(f"wrote {len(entries)} documents, answer_key.jsonl, watchlist.csv to {options.out}")
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from pathlib import Path

    from screening.audit import AuditOptions
    from screening.audit import run_audit as audit

    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    summary = audit(AuditOptions(archives=tuple(args.archives), out=Path(args.out), workers=args.workers,
                                 resume=args.resume, dask_address=args.dask, engine=args.engine, today=args.today,
                                 progress=not args.no_progress, language=args.lang))
    verdicts = ", ".join(f"{summary.verdicts.get(v, 0)} {v}" for v in ("alert", "review", "clear", "unreadable"))
    print(f"{summary.pages} pages from {summary.items} files: {verdicts}; {summary.findings} cross-document findings")
    print(f"wrote {summary.out / 'report.html'}, results.jsonl, summary.csv")
    # Every input was processed (bad files are results too): 0, whatever the verdicts.
    return 0


def run_audit_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from screening.audit.report import FLAGGED, ReportOptions, rerender

    def listed(text: str | None, upper: bool = False) -> tuple[str, ...]:
        items = [part.strip() for part in (text or "").split(",") if part.strip()]
        return tuple(item.upper() if upper else item for item in items)

    options = ReportOptions(language=args.lang, verdicts=listed(args.verdict) or FLAGGED,
                            states=listed(args.state, upper=True), checks=listed(args.check),
                            per_page=args.per_page, name=args.name)
    written, totals = rerender(Path(args.out), options)
    listed_pages = len(totals.flagged)
    more = f" (and {len(written) - 1} more file{'s' if len(written) > 2 else ''})" if len(written) > 1 else ""
    print(f"{totals.pages} pages, {totals.flagged_total} flagged, {listed_pages} listed: wrote {written[0]}{more}")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    from pathlib import Path

    from screening import doctor

    findings = doctor.diagnose(Path(args.data) if args.data else None)
    print(doctor.report(findings))
    return EXIT_SOME_FAILED if doctor.failures(findings) else 0


def run_kiosk(args: argparse.Namespace) -> int:
    # Imported here: the web stack loads only when a kiosk command runs.
    from kiosk.cli import main as kiosk_main

    return kiosk_main(args.kiosk_args)


def add_watchlist_parser(commands) -> None:
    wl = commands.add_parser("watchlist", help="the offline watch list of lost, stolen and revoked documents")
    wl.add_argument("--store", metavar="PATH", help="the watch-list file (default: $SCREENING_WATCHLIST, "
                                                     "else the per-user data directory)")
    actions = wl.add_subparsers(title="watchlist commands", metavar="ACTION")
    imp = actions.add_parser("import", help="add the rows of CSV files (issuing_state,document_number,reason,source,date)")
    imp.add_argument("csv_files", nargs="+", metavar="FILE.csv")
    imp.set_defaults(run=run_watchlist, action="import")
    lst = actions.add_parser("list", help="print every entry as CSV")
    lst.set_defaults(run=run_watchlist, action="list")
    rm = actions.add_parser("remove", help="remove a document number from the list")
    rm.add_argument("document_number")
    rm.add_argument("--state", help="only the entry of this issuing state")
    rm.set_defaults(run=run_watchlist, action="remove")


def run_watchlist(args: argparse.Namespace) -> int:
    import csv

    from screening import watchlist

    store_path = watchlist.resolve(args.store)
    if args.action == "import":
        texts = []
        for name in args.csv_files:
            try:
                texts.append((name, _read_text(name)))
            except InputFileError as error:
                raise UsageError(error.message) from None
        empty = []
        with watchlist.Store(store_path) as store:
            for name, text in texts:
                report = store.import_csv(text, source=os.path.basename(name))
                for problem in report.problems:
                    print(f"{name}: {problem} (row skipped)", file=sys.stderr)
                print(f"{name}: imported {report.imported} entries, skipped {len(report.problems)} bad rows "
                      f"into {store_path}")
                if not report.imported:
                    empty.append(name)
        if empty:
            # A file that added nothing is a list the post believes it has and does not: never a success.
            print(f"screening: no valid entry in {', '.join(empty)}", file=sys.stderr)
            return EXIT_USAGE if len(empty) == len(texts) else EXIT_SOME_FAILED
        return 0
    store = watchlist.open_existing(store_path)
    if store is None:
        if args.action == "list":
            print(f"no watch list at {store_path}", file=sys.stderr)
            return 0
        raise UsageError(f"no watch list at {store_path}")
    with store:
        if args.action == "list":
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(watchlist.COLUMNS)
            for entry in store.entries():
                writer.writerow([entry.issuing_state, entry.document_number, entry.reason, entry.source, entry.date])
            return 0
        removed = store.remove(args.state, args.document_number)
    print(f"removed {removed} entr{'y' if removed == 1 else 'ies'}")
    return 0 if removed else 1


def checks_markdown() -> str:
    rows = ["| id | family | a failure means | what it compares |", "|---|---|---|---|"]
    for spec in SPECS.values():
        rows.append(f"| `{spec.id}` | {spec.family} | {spec.severity or 'notice only'} | {spec.title} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
