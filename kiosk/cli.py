"""`screening kiosk ...`: serve the kiosk, add users, load the watch list, verify the log.

Called by ``screening.cli`` with the arguments after ``kiosk``, so the web stack is only
imported when a kiosk command runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import hashlib
import logging
import sys
from pathlib import Path

from screening.errors import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE

DEMO_PASSWORDS = {"officer": "officer-demo", "supervisor": "supervisor-demo", "trainer": "trainer-demo",
                  "admin": "admin-demo"}
SERVER_THREADS = 32  # each open screen holds one for its event stream (a few seconds past closing)
# kiosk.logkey's, repeated so that `--help` does not import the kiosk.
LOG_KEY_ENV, LOG_KEY_SUFFIX = "SCREENING_KIOSK_LOG_KEY", ".log-key"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="screening kiosk",
                                     description="The checkpoint kiosk: a web app for the officer's PC.")
    commands = parser.add_subparsers(title="kiosk commands", metavar="ACTION")

    serve = commands.add_parser("serve", help="run the kiosk (waitress)")
    data_options(serve, help="data directory: database, stored images, config.json")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this PC only)")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--watch", type=Path, metavar="FOLDER", help="the scanner's hot folder to watch")
    serve.add_argument("--poll", action="store_true", help="poll the hot folder (for network shares)")
    serve.add_argument("--demo", action="store_true",
                       help="set up demo accounts and the sample_docs training set when the kiosk has no users")
    serve.set_defaults(run=run_serve)

    add_user = commands.add_parser("add-user", help="create a kiosk account")
    add_user.add_argument("name")
    add_user.add_argument("--role", required=True, choices=("officer", "supervisor", "trainer", "admin"))
    add_user.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    data_options(add_user)
    add_user.set_defaults(run=run_add_user)

    for action, about in (("set-password", "give an account a new password (also lifts a lock-out)"),
                          ("set-role", "change an account's role"),
                          ("disable-user", "stop an account from signing in (its records stay)"),
                          ("enable-user", "let a disabled account sign in again")):
        change = commands.add_parser(action, help=about)
        change.add_argument("name")
        if action == "set-role":
            change.add_argument("role", choices=("officer", "supervisor", "trainer", "admin"))
        if action == "set-password":
            change.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
        data_options(change)
        change.set_defaults(run=run_change_user, action=action)

    copy = commands.add_parser("backup", help="a consistent copy of the data folder, safe while the kiosk runs")
    data_options(copy)
    copy.add_argument("--out", required=True, type=Path, metavar="NEW_DIR", help="a folder that does not exist yet")
    copy.add_argument("--images", action="store_true", help="also copy the stored scans")
    copy.set_defaults(run=run_backup)

    back = commands.add_parser("restore", help="check a backup against its manifest and restore it into a new folder")
    back.add_argument("backup", type=Path, metavar="BACKUP_DIR")
    data_options(back, metavar="NEW_DIR")
    back.set_defaults(run=run_restore)

    load = commands.add_parser("import-watchlist", help="load CSV files into the kiosk's watch list (its data folder)")
    load.add_argument("csv_files", nargs="+", metavar="FILE.csv")
    data_options(load)
    load.set_defaults(run=run_import_watchlist)

    trust = commands.add_parser("import-trust", help="import chip trust material (master lists, ICAO PKD LDIF, "
                                                     "certificates, CRLs) into the kiosk's trust store (its data folder)")
    trust.add_argument("files", nargs="+", metavar="FILE")
    trust.add_argument("--data", required=True, type=Path, metavar="DIR")
    trust.set_defaults(run=run_import_trust)

    export = commands.add_parser("export-history", help="the log as JSON Lines, for gathering many posts' history")
    data_options(export)
    export.add_argument("--out", required=True, type=Path, metavar="FILE.jsonl")
    export.add_argument("--after", type=int, default=0, metavar="ID",
                        help="only records after this id (the last_id of the previous export)")
    export.set_defaults(run=run_export_history)

    gather = commands.add_parser("gather", help="merge posts' history exports into one central database")
    gather.add_argument("exports", nargs="+", type=Path, metavar="EXPORT.jsonl")
    gather.add_argument("--into", required=True, type=Path, metavar="CENTRAL.sqlite")
    gather.set_defaults(run=run_gather)

    verify = commands.add_parser("verify-log", help="check the hash chain and the seals of the kiosk's records")
    data_options(verify)
    verify.add_argument("--against", type=Path, metavar="EXPORT",
                        help="also check that the log still holds, unchanged, every record up to the signed head of "
                             "this history export (or file written by `screening kiosk head`)")
    verify.set_defaults(run=run_verify_log)

    head = commands.add_parser("head", help="the log's signed head now: keep it off this PC, to verify against later")
    data_options(head)
    head.add_argument("--out", type=Path, metavar="FILE.json", help="also write it to this file")
    head.set_defaults(run=run_head)
    return parser


def data_options(command: argparse.ArgumentParser, *, metavar: str = "DIR", help: str | None = None) -> None:
    """--data, and --log-key beside it: every command that reads or writes the log needs its key."""
    command.add_argument("--data", required=True, type=Path, metavar=metavar, help=help)
    command.add_argument("--log-key", type=Path, metavar="FILE",
                         help=f"the log key that seals the records (default: {metavar}{LOG_KEY_SUFFIX} beside the "
                              f"data folder, or ${LOG_KEY_ENV}); never inside the data folder")


def main(argv: list[str]) -> int:
    import os

    from kiosk.logkey import LogKeyError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if getattr(args, "log_key", None) is not None:
        # Every connection of this process, the kiosk's included, finds the key there (kiosk/logkey.key_path).
        os.environ[LOG_KEY_ENV] = str(args.log_key.resolve())
    try:
        return args.run(args)
    except LogKeyError as error:  # missing, unreadable or another log's: nothing can be sealed or checked
        print(f"screening kiosk: {error}", file=sys.stderr)
        return EXIT_USAGE


class DataDirInUse(RuntimeError):
    """Another kiosk holds the data folder's lock."""


def lock_data_dir(data_dir: Path):
    """An exclusive lock on ``DIR/kiosk.lock`` held while the returned file stays open: two kiosks
    writing one database and one hot folder would screen scans twice and interleave the log."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(data_dir / "kiosk.lock", "a+b")
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise DataDirInUse(f"another kiosk is already running with --data {data_dir}") from None
    return handle


def run_serve(args: argparse.Namespace) -> int:
    import os

    import waitress

    from kiosk import create_app, start_services, state, stop_services
    from screening import doctor

    missing = doctor.failures(doctor.diagnose(args.data))
    if missing:
        # Without the model every scan would come out unreadable, without Tesseract no printed field
        # compared: better no kiosk than one that gives wrong verdicts. The same checks as `screening doctor`.
        for finding in missing:
            print(f"screening kiosk: {finding.name}: {finding.detail}; fix: {finding.fix}", file=sys.stderr)
        print("screening kiosk: not started; `screening doctor` checks again", file=sys.stderr)
        return EXIT_USAGE
    if args.watch and not args.watch.is_dir():
        print(f"screening kiosk: the folder to watch, {args.watch}, does not exist (is it typed right, is the "
              f"share connected?)", file=sys.stderr)
        return EXIT_USAGE
    os.umask(0o077)  # everything this process writes (database, scans, settings) is the kiosk account's only
    try:
        lock = lock_data_dir(args.data.resolve())
    except DataDirInUse as error:
        print(f"screening kiosk: {error}", file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    test_config = {"DATA_DIR": args.data}
    if args.watch:
        test_config["HOT_FOLDER"] = args.watch.resolve()
    app = create_app(test_config)
    if args.poll:
        from kiosk.config import KioskConfig

        kiosk = state(app)
        kiosk.config = KioskConfig.from_mapping({**kiosk.config.to_mapping(), "hot_folder_polling": True})
    if args.demo:
        set_up_demo(app)
    else:
        disable_demo_accounts(app)
    try:
        server = waitress.create_server(app, host=args.host, port=args.port, threads=SERVER_THREADS,
                                        ident="screening-kiosk", channel_timeout=3600)
    except OSError as error:  # the port is taken, or the address is not this PC's
        print(f"screening kiosk: cannot listen on {args.host}:{args.port}: {error.strerror}", file=sys.stderr)
        lock.close()
        return EXIT_USAGE
    start_services(app)
    url = f"http://{'localhost' if args.host in ('127.0.0.1', '::1') else args.host}:{server.effective_port}/"
    print(f"The kiosk is at {url}", flush=True)
    if state(app).config.hot_folder:
        print(f"Scans saved into {state(app).config.hot_folder} appear on the screen.", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop_services(app)
        server.close()
        lock.close()
    return EXIT_OK


def set_up_demo(app) -> None:
    """Demo accounts (printed) and the curated sample set, for `make run`."""
    from kiosk import db, state
    from kiosk.auth import create_user
    from kiosk.config import update_config

    kiosk = state(app)
    connection = db.connect(kiosk.intake.database)
    try:
        if not db.users(connection):
            for role, password in DEMO_PASSWORDS.items():
                create_user(connection, role, role, password, actor="demo-setup", head_path=kiosk.intake.head)
        samples = Path(__file__).resolve().parent.parent / "sample_docs"
        if (samples / "answer_key.jsonl").is_file():
            if str(samples) not in kiosk.config.training_sets:
                sets = (*kiosk.config.training_sets, str(samples))
                update_config(kiosk.data_dir, training_sets=sets)
                # Keep this run's overrides (--watch) and add the set.
                kiosk.config = dataclasses.replace(kiosk.config, training_sets=sets)
            if not db.records_of_kind(connection, db.TRAINING_OPENED):
                from kiosk.training import load_answer_key

                db.append(connection, db.TRAINING_OPENED,
                          {"folder": str(samples), "title": "sample_docs",
                           "documents": len(load_answer_key(samples)), "assisted": False},
                          actor="trainer", head_path=kiosk.intake.head)
    finally:
        connection.close()
    _demo_watchlist(kiosk.data_dir, samples / "watchlist.csv")
    print("Demo accounts (user / password):", flush=True)
    for role, password in DEMO_PASSWORDS.items():
        print(f"  {role:<11} {password}", flush=True)


def disable_demo_accounts(app) -> list[str]:
    """Accounts that still have the published demo password cannot sign in on a real kiosk."""
    from werkzeug.security import check_password_hash

    from kiosk import db, state
    from kiosk.auth import change_user

    kiosk = state(app)
    connection = db.connect(kiosk.intake.database)
    disabled = []
    try:
        for account in db.users(connection):
            demo = DEMO_PASSWORDS.get(account.name)
            if demo and not account.disabled and check_password_hash(account.password_hash, demo):
                # Even the only administrator: a published password is worse than none (the command
                # line gives it a new password and enables it).
                change_user(connection, account.name, actor="kiosk-start", head_path=kiosk.intake.head,
                            disabled=True, keep_an_admin=False)
                disabled.append(account.name)
    finally:
        connection.close()
    if disabled:
        print(f"Disabled the demo accounts {', '.join(disabled)}: their passwords are published. Give them new "
              f"passwords and enable them (screening kiosk set-password / enable-user) to use them.", flush=True)
    return disabled


def _demo_watchlist(data_dir: Path, csv_file: Path) -> None:
    """The sample set's watch list, so that its watch-list documents are hits (once: later loads stay)."""
    from kiosk.watchlist import import_csv_bytes, summary

    if summary(data_dir) is None and csv_file.is_file():
        imported = import_csv_bytes(data_dir, csv_file.name, csv_file.read_bytes(), actor="demo-setup")
        print(f"Demo watch list: {imported.report.imported} entries from {csv_file}", flush=True)


def run_add_user(args: argparse.Namespace) -> int:
    from kiosk import db
    from kiosk.auth import create_user

    password = _read_password(args, args.name)
    if password is None:
        return EXIT_USAGE
    data_dir = args.data.resolve()
    db.initialise(data_dir / db.DB_NAME)
    connection = db.connect(data_dir / db.DB_NAME)
    try:
        create_user(connection, args.name, args.role, password, actor="command-line",
                    head_path=data_dir / db.HEAD_NAME)
    except ValueError as error:
        print(f"screening kiosk: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        connection.close()
    print(f"added {args.role} {args.name}")
    return EXIT_OK


def _existing_data_dir(args: argparse.Namespace) -> Path | None:
    """``--data`` resolved, or None (with a message) when it holds no kiosk database."""
    from kiosk import db

    data_dir = args.data.resolve()
    if not (data_dir / db.DB_NAME).is_file():
        print(f"screening kiosk: no kiosk database in {data_dir}", file=sys.stderr)
        return None
    return data_dir


def _read_password(args: argparse.Namespace, name: str) -> str | None:
    """The password from standard input (--password-stdin) or the terminal; None with a message."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        print("screening kiosk: no terminal to ask for the password: pipe it in with --password-stdin",
              file=sys.stderr)
        return None
    try:
        return getpass.getpass(f"Password for {name}: ")
    except EOFError:
        print("screening kiosk: no password given", file=sys.stderr)
        return None


def run_change_user(args: argparse.Namespace) -> int:
    from kiosk import db
    from kiosk.auth import UserError, change_user

    data_dir = _existing_data_dir(args)
    if data_dir is None:
        return EXIT_USAGE
    changes: dict = {}
    if args.action == "set-password":
        password = _read_password(args, args.name)
        if password is None:
            return EXIT_USAGE
        changes["password"] = password
    elif args.action == "set-role":
        changes["role"] = args.role
    else:
        changes["disabled"] = args.action == "disable-user"
    db.initialise(data_dir / db.DB_NAME)
    connection = db.connect(data_dir / db.DB_NAME)
    try:
        change_user(connection, args.name, actor="command-line", head_path=data_dir / db.HEAD_NAME, **changes)
    except UserError as error:
        print(f"screening kiosk: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        connection.close()
    print(f"{args.name}: {args.action.replace('-user', '').replace('-', ' ')} done")
    return EXIT_OK


def run_backup(args: argparse.Namespace) -> int:
    from kiosk.backup import BackupError, backup

    try:
        report = backup(args.data.resolve(), args.out.resolve(), images=args.images)
    except (BackupError, OSError) as error:
        print(f"screening kiosk: backup failed: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(f"backed up {report.files} files to {report.folder}; the log's {report.records} records check")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    from kiosk.backup import BackupError, restore

    try:
        report = restore(args.backup.resolve(), args.data.resolve())
    except (BackupError, OSError) as error:
        print(f"screening kiosk: restore failed: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(f"restored {report.files} files into {report.folder} ({report.records} log records)")
    if report.key_needed is not None:
        print(f"The log is sealed with a key that backups do not carry: copy the kiosk's log key to "
              f"{report.key_needed} (or start the kiosk with --log-key FILE) before it can start.")
    return EXIT_OK


def run_import_watchlist(args: argparse.Namespace) -> int:
    from kiosk import db
    from kiosk.watchlist import NotACsvFile, import_csv_bytes

    data_dir = args.data.resolve()
    db.initialise(data_dir / db.DB_NAME)
    empty = 0
    for name in args.csv_files:
        try:
            data = Path(name).read_bytes()
            imported = import_csv_bytes(data_dir, Path(name).name, data, actor="command-line")
        except OSError as error:
            print(f"screening kiosk: cannot read {name}: {error.strerror}", file=sys.stderr)
            empty += 1
            continue
        except NotACsvFile:
            print(f"screening kiosk: {name} is not a CSV text file", file=sys.stderr)
            empty += 1
            continue
        for problem in imported.report.problems:
            print(f"{name}: {problem} (row skipped)", file=sys.stderr)
        print(f"{name}: imported {imported.report.imported} entries, skipped {len(imported.report.problems)} bad rows")
        empty += not imported.report.imported
    if empty:
        return EXIT_USAGE if empty == len(args.csv_files) else EXIT_SOME_FAILED
    return EXIT_OK


def run_import_trust(args: argparse.Namespace) -> int:
    """`screening trust import` with the store in the kiosk's data folder, where the kiosk's chip reads find it."""
    from kiosk import db
    from kiosk.config import PRIVATE_FILE
    from screening.chip.trust import STORE_NAME
    from screening.chip.trust_cli import import_command
    from screening.errors import UsageError

    data_dir = args.data.resolve()
    if not data_dir.is_dir():
        print(f"screening kiosk: {data_dir} is not a kiosk data folder", file=sys.stderr)
        return EXIT_USAGE
    store = data_dir / STORE_NAME
    db.initialise(data_dir / db.DB_NAME)
    connection = db.connect(data_dir / db.DB_NAME)

    def record(name: str, report, refused: str | None) -> None:
        # In the tamper-evident log, as a watch-list import is: which file (its digest), what it added.
        payload = {"file": Path(name).name, "sha256": _file_digest(Path(name))}
        if report is not None:
            payload.update(format=report.file_format, added=report.added_total, duplicates=report.duplicates)
        else:
            payload["refused"] = refused
        db.append(connection, db.TRUST_IMPORTED, payload, actor="command-line", head_path=data_dir / db.HEAD_NAME)

    try:
        status = import_command(argparse.Namespace(store=str(store), files=args.files), on_file=record)
    except UsageError as error:  # the store's file cannot be opened
        print(f"screening kiosk: {error.message}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        connection.close()
    if store.exists():
        store.chmod(PRIVATE_FILE)  # like the rest of the data folder (kiosk.config.protect_data_dir)
    return status


def _file_digest(path: Path) -> str | None:
    """sha256 of the file's bytes; None when it cannot be read (the import said why)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _post_name(data_dir: Path) -> str:
    import socket

    from kiosk.config import load_config

    return load_config(data_dir).post_name or socket.gethostname()


def run_export_history(args: argparse.Namespace) -> int:
    from kiosk import db
    from kiosk.gather import export_history

    data_dir = _existing_data_dir(args)
    if data_dir is None:
        return EXIT_USAGE
    db.initialise(data_dir / db.DB_NAME)  # an older database is keyed first: its export carries a signed head
    post = _post_name(data_dir)
    exported = export_history(data_dir, args.out, post=post, after=args.after)
    span = f"records {exported.first_id}-{exported.last_id}" if exported.records else "no new records"
    print(f"{post}: {span} written to {args.out} (next time: --after {exported.last_id or args.after}); "
          f"keep the file off this PC: its signed head is what verify-log --against checks")
    return EXIT_OK


def run_head(args: argparse.Namespace) -> int:
    import json

    from kiosk import db

    data_dir = _existing_data_dir(args)
    if data_dir is None:
        return EXIT_USAGE
    db.initialise(data_dir / db.DB_NAME)
    connection = db.connect(data_dir / db.DB_NAME)
    try:
        head = db.signed_head(connection, _post_name(data_dir))
    finally:
        connection.close()
    line = json.dumps(head.to_mapping(), ensure_ascii=False)
    if args.out is not None:
        args.out.write_text(line + "\n", encoding="utf-8")
    print(line)
    print(f"post {head.post}, record {head.record} at {head.at}: keep this line (or the file) off this PC; "
          f"screening kiosk verify-log --against FILE shows whether every record up to it is still there, "
          f"unchanged", file=sys.stderr)
    return EXIT_OK


def run_gather(args: argparse.Namespace) -> int:
    from kiosk.gather import ExportError, gather

    failed = 0
    for export in args.exports:
        try:
            outcome = gather(args.into, export)
        except (ExportError, OSError) as error:
            print(f"screening kiosk: {error}", file=sys.stderr)
            failed += 1
            continue
        for problem in outcome.problems:
            print(f"{export}: {problem}", file=sys.stderr)
        print(f"{export}: post {outcome.post}: {outcome.added} records added, {outcome.present} already gathered, "
              f"{len(outcome.problems)} problems")
        failed += bool(outcome.problems)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def run_verify_log(args: argparse.Namespace) -> int:
    from kiosk import db
    from kiosk.gather import ExportError, read_anchor

    data_dir = _existing_data_dir(args)
    if data_dir is None:
        return EXIT_USAGE
    anchor = None
    if args.against is not None:
        try:
            anchor = read_anchor(args.against)
        except (ExportError, ValueError, OSError) as error:
            print(f"screening kiosk: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
            return EXIT_USAGE
    connection = db.connect(data_dir / db.DB_NAME)
    try:
        report = db.verify_chain(connection, data_dir / db.HEAD_NAME)
        against = db.verify_against(connection, *anchor) if anchor and not report.key_problem else None
    finally:
        connection.close()
    if report.key_problem:
        print(f"LOG NOT CHECKED: {report.problem}")
        return EXIT_USAGE
    failed = False
    if report.ok:
        print(f"log intact: {report.records} records, every hash link checks; {_sealing(report)}")
    else:
        print(f"LOG CHANGED: {report.problem} ({report.records} records before it check)")
        failed = True
    if against is not None:
        head = anchor[0]
        if against.ok:
            print(f"every record up to {head.record} is as it was at {head.at} (signed head of post {head.post} in "
                  f"{args.against})")
        else:
            print(f"LOG CHANGED since {args.against}: {against.problem}")
            failed = True
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _sealing(report) -> str:
    if report.keyed_from is None:
        return ("not sealed: the log has no key yet, and a plain chain can be recomputed by anyone who can write "
                "the database (the kiosk keys it at its next start)")
    if report.keyed_from <= 1:
        return "every record is sealed with the log key"
    return (f"records from {report.keyed_from} on are sealed with the log key (the {report.keyed_from - 1} "
            f"before it were written before the log had a key: plain SHA-256 only)")
