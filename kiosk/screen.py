"""The officer's screen: the newest screening with its verdict, the ways to screen a document
(hot folder, upload, scanner, typed MRZ), the decision, and the live 'new scan' stream."""

from __future__ import annotations

import dataclasses
import json
import queue
import time
from pathlib import Path

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request,
                   send_from_directory, url_for)

from screening import lights
from screening.errors import ScreeningError
from screening.guard import private_logger

from kiosk import db, state, views
from kiosk.auth import can, require
from kiosk.events import CLOSED
from kiosk.i18n import gettext as _
from kiosk.i18n import translate
from kiosk.intake import SCANNER, TYPED, UPLOAD
from kiosk.sources import display_name, save_upload
from kiosk.watchlist import summary as watchlist_summary

bp = Blueprint("screen", __name__, url_prefix="/screen")
log = private_logger("kiosk.screen")

RECENT_COUNT = 12
# Short: a write is how a closed tab is noticed, which frees its server thread.
STREAM_KEEPALIVE_SECONDS = 5
# A stream ends after this long and the browser reconnects (EventSource does so by itself),
# so a worker thread is never held by a tab that vanished without closing its connection.
STREAM_MAX_SECONDS = 300
MAX_NOTE_LENGTH = 1000


def load_view(record_id: int) -> views.ScreeningView:
    connection = db.get_db()
    record = db.record(connection, record_id)
    if record is None or record.kind != db.SCREENING:
        abort(404)
    decision = db.decisions_for(connection, [record_id]).get(record_id)
    view = views.build(record, decision, db.chip_reads_for(connection, [record_id]).get(record_id))
    kiosk = state(current_app)
    if view.image and not (kiosk.intake.images_dir / view.image).is_file():
        view = dataclasses.replace(view, image=None, image_purged=True, lights=())  # the set's images went together
    if view.chip_face and not (kiosk.intake.images_dir / view.chip_face).is_file():
        view = dataclasses.replace(view, chip_face=None, chip_face_problem="purged")
    if view.chip_status == "pending" and not kiosk.chip.reading(record_id):
        view = dataclasses.replace(view, chip_status="interrupted")  # the kiosk stopped before the read ended
    return view


def recent_views() -> list[views.ScreeningView]:
    connection = db.get_db()
    records = db.screenings(connection, limit=RECENT_COUNT)
    ids = [r.id for r in records]
    decisions, chips = db.decisions_for(connection, ids), db.chip_reads_for(connection, ids)
    return [views.build(r, decisions.get(r.id), chips.get(r.id)) for r in records]


def page(current: views.ScreeningView | None):
    kiosk = state(current_app)
    return render_template(
        "screen/index.html", current=current, recent=recent_views(),
        scanner_available=kiosk.scanner.available(), hot_folder=kiosk.config.hot_folder,
        decisions=views.DECISIONS, can_decide=can("decide"), watchlist=watchlist_summary(kiosk.data_dir))


@bp.route("/")
@require("screen")
def index():
    latest = db.screenings(db.get_db(), limit=1)
    return page(load_view(latest[0].id) if latest else None)


@bp.route("/<int:record_id>")
@require("screen")
def show(record_id: int):
    return page(load_view(record_id))


@bp.route("/<int:record_id>/panel")
@require("screen")
def panel(record_id: int):
    """The result alone, swapped into the open page when a new scan arrives."""
    return render_template("screen/_result.html", current=load_view(record_id), decisions=views.DECISIONS,
                           can_decide=can("decide"))


@bp.route("/recent")
@require("screen")
def recent():
    current = request.args.get("current", type=int)
    return render_template("screen/_recent.html", recent=recent_views(), current_id=current)


@bp.route("/upload", methods=["POST"])
@require("screen")
def upload():
    files = [f for f in request.files.getlist("image") if f and f.filename]
    if not files:
        flash(_("Choose a scan to upload."), "error")
        return redirect(url_for("screen.index"))
    kiosk = state(current_app)
    intake = kiosk.intake
    saved: list[tuple[Path, str]] = []
    for file in files:
        try:
            saved.append(save_upload(file, intake.data_dir / "incoming"))
        except ScreeningError as error:
            flash(_("{file} was not accepted: {reason}", file=display_name(file.filename),
                    reason=translate(error.text, error.message)), "error")
    ids: list[int] = []
    # Files uploaded together are grouped into sets of lights by the names the officer's files had
    # (0001_white.jpg, 0001_ir.jpg, 0001_uv.jpg: one page); every upload has arrived, so an
    # incomplete set is screened at once, saying what is missing. Other files are screened alone.
    for light_set in upload_sets(saved, kiosk.config.light_patterns()):
        ids += intake.screen_set(light_set, source=UPLOAD, actor=g.user.name, remove_source=True,
                                 names={str(path): original for path, original in saved})
    return redirect(url_for("screen.show", record_id=ids[0]) if ids else url_for("screen.index"))


def upload_sets(saved: list[tuple[Path, str]], patterns) -> list[lights.LightSet]:
    """The uploads ``saved`` (the kiosk's file, the officer's name) as sets of lights, grouped by
    the officer's names and pointing at the kiosk's files, in the order they were sent."""
    by_name: dict[str, list[Path]] = {}
    for path, original in saved:
        by_name.setdefault(original, []).append(path)
    grouped = lights.group([original for _path, original in saved], patterns, on_disk=False)
    out = []
    for light_set in grouped:
        members = {light: str(by_name[Path(light_set.source(light)).name].pop(0)) for light in light_set.supplied}
        out.append(dataclasses.replace(light_set, **{light: members.get(light) for light in lights.LIGHTS}))
    return out


@bp.route("/typed", methods=["POST"])
@require("screen")
def typed():
    text = request.form.get("mrz_text", "")
    if not text.strip():
        flash(_("Type the MRZ lines first."), "error")
        return redirect(url_for("screen.index"))
    record_id = state(current_app).intake.screen_text(text, source=TYPED, actor=g.user.name)
    return redirect(url_for("screen.show", record_id=record_id))


@bp.route("/scan", methods=["POST"])
@require("screen")
def scan():
    kiosk = state(current_app)
    try:
        path = kiosk.scanner.scan(kiosk.data_dir / "incoming")
    except ScreeningError as error:
        flash(_("Scanning failed: ") + translate(error.text, error.message) + " " + _("Type the MRZ instead."), "error")
        return redirect(url_for("screen.index"))
    ids = kiosk.intake.screen_path(path, source=SCANNER, original_name="scanner.png", actor=g.user.name,
                                   remove_source=True)
    return redirect(url_for("screen.show", record_id=ids[0]) if ids else url_for("screen.index"))


@bp.route("/<int:record_id>/decision", methods=["POST"])
@require("decide")
def decide(record_id: int):
    connection = db.get_db()
    record = db.record(connection, record_id)
    if record is None or record.kind != db.SCREENING:
        abort(404)
    decision = request.form.get("decision", "")
    if decision not in views.DECISIONS:
        abort(400)
    note = request.form.get("note", "").strip()[:MAX_NOTE_LENGTH]
    # The verdict the officer decided on: the chip's joined one once it has arrived.
    chip = db.chip_reads_for(connection, [record_id]).get(record_id)
    verdict = chip.verdict if chip is not None and chip.verdict else record.verdict
    db.append(connection, db.DECISION, {"decision": decision, "note": note}, actor=g.user.name, ref=record_id,
              verdict=verdict, head_path=state(current_app).intake.head)
    log.info("decision on screening %d recorded", record_id)
    flash(_("Decision recorded: ") + _(decision), "ok")
    return redirect(url_for("screen.show", record_id=record_id))


@bp.route("/image/<int:record_id>")
def image(record_id: int):
    if g.get("user") is None or not (can("screen") or can("history")):
        abort(403)
    record = db.record(db.get_db(), record_id)
    if record is None or record.kind != db.SCREENING or not record.payload.get("image"):
        abort(404)
    response = send_from_directory(state(current_app).intake.images_dir, record.payload["image"], max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/image/<int:record_id>/<any(white, ir, uv):light>")
def light_image(record_id: int, light: str):
    """One light's display image of a page screened under several lights (registered onto the white one)."""
    if g.get("user") is None or not (can("screen") or can("history")):
        abort(403)
    record = db.record(db.get_db(), record_id)
    if record is None or record.kind != db.SCREENING:
        abort(404)
    entry = (record.payload.get("light_images") or {}).get(light) or {}
    if not entry.get("image"):
        abort(404)
    response = send_from_directory(state(current_app).intake.images_dir, entry["image"], max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/chip-face/<int:record_id>")
def chip_face(record_id: int):
    """The portrait the chip of screening ``record_id`` holds (its newest read), for the officer to compare."""
    if g.get("user") is None or not (can("screen") or can("history")):
        abort(403)
    connection = db.get_db()
    record = db.record(connection, record_id)
    chip = db.chip_reads_for(connection, [record_id]).get(record_id)
    if record is None or record.kind != db.SCREENING or chip is None or not chip.payload.get("face"):
        abort(404)
    response = send_from_directory(state(current_app).intake.images_dir, chip.payload["face"], max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/events")
@require("screen")
def events():
    """Server-Sent Events: one 'screening' event per new screening, with its id and verdict; one 'chip'
    event when a chip read joins a screening (the page showing it fetches its panel again)."""
    announcer = state(current_app).announcer
    after = request.headers.get("Last-Event-ID", type=int) or request.args.get("after", type=int)
    missed = db.screenings(db.get_db(), after_id=after, limit=50) if after is not None else []
    listener = announcer.subscribe()

    def stream():
        try:
            yield "retry: 1000\n\n"
            for record in reversed(missed):
                yield _event(record.id, record.verdict)
            started = time.monotonic()
            while time.monotonic() - started < STREAM_MAX_SECONDS:
                try:
                    notice = listener.get(timeout=STREAM_KEEPALIVE_SECONDS)
                except queue.Empty:
                    yield ": keep-alive\n\n"
                    continue
                if notice is CLOSED:
                    return
                if notice.kind == "chip":
                    yield _chip_event(notice.screening_id, notice.verdict)
                else:
                    yield _event(notice.screening_id, notice.verdict)
        finally:
            announcer.unsubscribe(listener)

    # No stream_with_context: the stream needs nothing from the request once it has started.
    response = Response(stream(), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"
    return response


def _event(record_id: int, verdict: str | None) -> str:
    return f"id: {record_id}\nevent: screening\ndata: {json.dumps({'id': record_id, 'verdict': verdict})}\n\n"


def _chip_event(record_id: int, verdict: str | None) -> str:
    # No "id:" line: the stream's last id stays the newest screening's, which a reconnection resumes from.
    return f"event: chip\ndata: {json.dumps({'id': record_id, 'verdict': verdict})}\n\n"
