"""The JSON API: screen a document, list recent screenings. HTTP Basic credentials of a kiosk user."""

from __future__ import annotations

import functools

from flask import Blueprint, current_app, g, jsonify, request

from screening.errors import ScreeningError

from kiosk import db, state
from kiosk.auth import basic_auth_user, can, unauthorised
from kiosk.intake import API
from kiosk.sources import save_upload

bp = Blueprint("api", __name__, url_prefix="/api")

DEFAULT_LIMIT = 20
MAX_LIMIT = 500


def api_user(permission_check):
    def decorate(view):
        @functools.wraps(view)
        def wrapped(**kwargs):
            user = basic_auth_user()
            if user is None:
                return unauthorised()
            g.user = user
            if not permission_check():
                return jsonify(error="this user's role may not do this"), 403
            return view(**kwargs)

        return wrapped

    return decorate


def chip_status(record: db.Record, chip: db.Record | None) -> str:
    """Where the screening's chip read stands: "off" (no reader configured), "no_mrz", "visa", "reading",
    "interrupted", "superseded", or "done" (the result's "chip" holds what it gave)."""
    if chip is not None:
        return "done" if "result" in chip.payload else chip.payload.get("skipped", "superseded")
    planned = record.payload.get("chip_read") or "off"
    if planned == "pending":
        return "reading" if state(current_app).chip.reading(record.id) else "interrupted"
    return planned


def _result_with_id(record_id: int) -> dict:
    """The screening's result (the chip's joined result once a read joined it), with its id and chip status."""
    connection = db.get_db()
    record = db.record(connection, record_id)
    chip = db.chip_reads_for(connection, [record_id]).get(record_id)
    result = chip.payload["result"] if chip is not None and "result" in chip.payload else record.payload["result"]
    return {"id": record_id, **result, "chip_status": chip_status(record, chip)}


@bp.route("/screenings", methods=["POST"])
@api_user(lambda: can("screen"))
def create():
    intake = state(current_app).intake
    upload = request.files.get("image")
    text = request.form.get("mrz_text")
    if text is None and request.is_json:
        body = request.get_json(silent=True)
        text = body.get("mrz_text") if isinstance(body, dict) else None
    if upload is not None and upload.filename:
        try:
            path, original = save_upload(upload, intake.data_dir / "incoming")
        except ScreeningError as error:
            return jsonify(error=error.message, code=error.code), 415
        ids = intake.screen_path(path, source=API, original_name=original, actor=g.user.name, remove_source=True)
    elif isinstance(text, str) and text.strip():
        ids = [intake.screen_text(text, source=API, actor=g.user.name)]
    else:
        return jsonify(error="send a multipart field 'image' or a field 'mrz_text'"), 400
    body = _result_with_id(ids[0])
    if len(ids) > 1:
        body["pages"] = [_result_with_id(record_id) for record_id in ids]
    return jsonify(body), 201


@bp.route("/screenings", methods=["GET"])
@api_user(lambda: can("screen") or can("history"))
def listing():
    limit = max(1, min(request.args.get("limit", DEFAULT_LIMIT, type=int), MAX_LIMIT))
    connection = db.get_db()
    records = db.screenings(connection, limit=limit)
    decisions = db.decisions_for(connection, [r.id for r in records])
    chips = db.chip_reads_for(connection, [r.id for r in records])
    return jsonify([
        {
            "id": r.id,
            "time": r.at,
            "file": r.payload.get("original_name"),
            "source": r.payload.get("source"),
            "verdict": chips[r.id].verdict if r.id in chips and chips[r.id].verdict else r.verdict,
            "chip_status": chip_status(r, chips.get(r.id)),
            "officer": r.actor or (decisions[r.id].actor if r.id in decisions else None),
            "decision": decisions[r.id].payload.get("decision") if r.id in decisions else None,
            "decided_by": decisions[r.id].actor if r.id in decisions else None,
        }
        for r in records
    ])


@bp.route("/screenings/<int:record_id>", methods=["GET"])
@api_user(lambda: can("screen") or can("history"))
def single(record_id: int):
    record = db.record(db.get_db(), record_id)
    if record is None or record.kind != db.SCREENING:
        return jsonify(error="no such screening"), 404
    return jsonify(_result_with_id(record_id))
