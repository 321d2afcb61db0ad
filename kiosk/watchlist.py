"""The kiosk's watch list: kept in its data folder, loaded from CSV by a supervisor, its age shown.

The list lives beside the kiosk's database (``DIR/watchlist.sqlite``), so it is backed up with
that folder and seen by whichever account runs the kiosk. Every import is recorded in the
tamper-evident log (the file name and counts; document numbers are not personal data the log
needs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from kiosk import db, state
from kiosk.auth import require
from kiosk.config import WATCHLIST_NAME
from kiosk.i18n import gettext as _
from screening import watchlist

bp = Blueprint("watchlist", __name__, url_prefix="/watchlist")

# A national list of lost and stolen documents is a few hundred thousand rows of ~60 bytes.
MAX_CSV_BYTES = 64 * 2**20
PROBLEMS_SHOWN = 5


def store_path(data_dir: Path) -> Path:
    return data_dir / WATCHLIST_NAME


@dataclass(frozen=True)
class Imported:
    file: str
    report: watchlist.ImportReport


class NotACsvFile(ValueError):
    """An upload that is not a CSV text file."""


def import_csv_bytes(data_dir: Path, name: str, data: bytes, *, actor: str) -> Imported:
    """Import one CSV file's bytes into the kiosk's list and record the import in the log."""
    if b"\x00" in data[:4096]:
        raise NotACsvFile(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotACsvFile(name) from None
    with watchlist.Store(store_path(data_dir)) as store:
        report = store.import_csv(text, source=name)
    connection = db.connect(data_dir / db.DB_NAME)
    try:
        db.append(connection, db.WATCHLIST_IMPORTED,
                  {"file": name, "imported": report.imported, "skipped": len(report.problems)},
                  actor=actor, head_path=data_dir / db.HEAD_NAME)
    finally:
        connection.close()
    return Imported(name, report)


def summary(data_dir: Path) -> watchlist.Summary | None:
    """The list's size and date, or None when no list has been loaded into this kiosk."""
    store = watchlist.open_existing(store_path(data_dir))
    if store is None:
        return None
    with store:
        found = store.summary()
    return found if found.entries else None


@bp.route("/", methods=["GET"])
@require("watchlist")
def index():
    connection = db.get_db()
    imports = db.records_of_kind(connection, db.WATCHLIST_IMPORTED)[-20:][::-1]
    return render_template("watchlist/index.html", summary=summary(state(current_app).data_dir), imports=imports,
                           max_mb=MAX_CSV_BYTES // 2**20)


@bp.route("/import", methods=["POST"])
@require("watchlist")
def upload():
    upload = request.files.get("csv")
    if upload is None or not upload.filename:
        flash(_("Choose a CSV file of the watch list."), "error")
        return redirect(url_for("watchlist.index"))
    name = Path(upload.filename).name
    data = upload.stream.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES or not name.lower().endswith((".csv", ".txt")):
        flash(_("The watch list must be a CSV file of at most {size} MB.", size=MAX_CSV_BYTES // 2**20), "error")
        return redirect(url_for("watchlist.index"))
    try:
        imported = import_csv_bytes(state(current_app).data_dir, name, data, actor=g.user.name)
    except NotACsvFile:
        flash(_("{file} is not a CSV text file.", file=name), "error")
        return redirect(url_for("watchlist.index"))
    report = imported.report
    flash(_("{file}: {imported} entries imported, {skipped} rows skipped.", file=name, imported=report.imported,
            skipped=len(report.problems)), "ok" if report.imported else "error")
    for problem in report.problems[:PROBLEMS_SHOWN]:
        flash(f"{name}: {problem}", "error")
    return redirect(url_for("watchlist.index"))
