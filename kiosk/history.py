"""The supervisor's history: search past screenings, open one, export CSV, verify the log."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, current_app, g, render_template, request

from kiosk import db, state, views
from kiosk.auth import require
from kiosk.screen import load_view

bp = Blueprint("history", __name__, url_prefix="/history")

PAGE_SIZE = 200
EXPORT_LIMIT = 100_000
CSV_COLUMNS = ("id", "time_utc", "source", "file", "verdict", "document_number", "name", "nationality",
               "birth_date", "expiry_date", "screened_by", "decision", "decided_by", "note", "reasons")


# A cell a spreadsheet would run as a formula: an officer's note or a file name may start so.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet program shows as text (OWASP's CSV injection advice: a leading ')."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _search(limit: int) -> tuple[str, list[tuple[db.Record, db.Record | None, db.Record | None]]]:
    """The screenings found, each with its latest decision and its newest chip record."""
    query = request.args.get("q", "").strip()[:100]
    connection = db.get_db()
    records = db.screenings(connection, limit=limit, query=query or None)
    ids = [r.id for r in records]
    decisions, chips = db.decisions_for(connection, ids), db.chip_reads_for(connection, ids)
    return query, [(r, decisions.get(r.id), chips.get(r.id)) for r in records]


def joined(record: db.Record, chip: db.Record | None) -> tuple[str | None, dict]:
    """The verdict and result a screening stands at: the chip's joined ones once a read joined it."""
    if chip is not None and "result" in chip.payload:
        return chip.verdict, chip.payload["result"]
    return record.verdict, record.payload["result"]


@bp.route("/")
@require("history")
def index():
    query, rows = _search(PAGE_SIZE)
    shown = [views.build(record, decision, chip) for record, decision, chip in rows]
    return render_template("history/index.html", query=query, rows=shown)


@bp.route("/<int:record_id>")
@require("history")
def show(record_id: int):
    return render_template("history/show.html", current=load_view(record_id), decisions=views.DECISIONS,
                           can_decide=False)


@bp.route("/export.csv")
@require("history")
def export():
    query, rows = _search(EXPORT_LIMIT)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record, decision, chip in rows:
        verdict, result = joined(record, chip)
        fields = (result.get("mrz") or {}).get("fields") or {}
        writer.writerow([spreadsheet_safe(value) for value in (
            record.id, record.at, record.payload.get("source"), record.payload.get("original_name"), verdict,
            record.document_number or "", record.person_name or "", fields.get("nationality", ""),
            fields.get("birth_date") or "", fields.get("expiry_date") or "", record.actor or "",
            decision.payload.get("decision") if decision else "", decision.actor if decision else "",
            decision.payload.get("note", "") if decision else "", " | ".join(result.get("reasons", [])),
        )])
    # The export itself is logged: who took which records out of the kiosk.
    db.append(db.get_db(), db.EXPORT, {"query": query, "rows": len(rows), "format": "csv"}, actor=g.user.name,
              head_path=state(current_app).intake.head)
    # A byte-order mark so that spreadsheet programs on Windows read Cyrillic correctly.
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = "attachment; filename=screenings.csv"
    return response


@bp.route("/verify")
@require("history")
def verify():
    import json
    import socket

    report = db.verify_chain(db.get_db(), state(current_app).intake.head)
    # The supervisor keeps the signed head off the PC (the log book, a file): verify-log --against
    # later shows whether every record up to it is still there, unchanged.
    head = None
    if report.ok and report.keyed_from is not None:
        post = state(current_app).config.post_name or socket.gethostname()
        head = json.dumps(db.signed_head(db.get_db(), post).to_mapping(), ensure_ascii=False)
    return render_template("history/verify.html", report=report, signed_head=head)
