"""Training mode: a trainer opens a sample set (a folder with answer_key.jsonl); trainees judge
each document, and see their score against the answer key with its explanations."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   send_from_directory, url_for)

from screening import Settings, screen_file

from kiosk import db, state
from kiosk.auth import can, require
from kiosk.i18n import gettext as _

bp = Blueprint("training", __name__, url_prefix="/training")

ANSWER_KEY = "answer_key.jsonl"
VERDICTS = ("clear", "review", "alert")


@dataclass(frozen=True)
class KeyEntry:
    index: int  # 1-based position in the set
    file: str
    expected_verdict: str
    explanation: str  # English
    defects: tuple[str, ...]
    format: str
    today: dt.date | None
    # The explanation as a template with its values (screening.text), shown in the trainee's
    # language; None in answer keys written before templates (their English is shown).
    explanation_template: dict | None = None


@dataclass(frozen=True)
class AnswerRow:
    entry: KeyEntry
    answer: str | None
    correct: bool


class SampleSetError(Exception):
    pass


def load_answer_key(folder: Path) -> list[KeyEntry]:
    path = folder / ANSWER_KEY
    if not path.is_file():
        raise SampleSetError(_("This folder has no answer_key.jsonl."))
    entries = []
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            name = Path(item["file"]).name  # never a path outside the set's folder
            if not (folder / name).is_file() or item.get("expected_verdict") not in VERDICTS + ("unreadable",):
                continue
            today = item.get("today")
            template = item.get("explanation_template")
            entries.append(KeyEntry(len(entries) + 1, name, item["expected_verdict"], item.get("explanation", ""),
                                    tuple(item.get("defects", [])), item.get("format", ""),
                                    dt.date.fromisoformat(today) if today else None,
                                    template if isinstance(template, dict) and "template" in template else None))
    except (ValueError, KeyError, TypeError) as error:
        raise SampleSetError(_("The answer key could not be read: ") + str(error)) from None
    if not entries:
        raise SampleSetError(_("The answer key lists no document found in the folder."))
    return entries


def _session(session_id: int) -> db.Record:
    record = db.record(db.get_db(), session_id)
    if record is None or record.kind != db.TRAINING_OPENED:
        abort(404)
    return record


def _entries(session: db.Record) -> list[KeyEntry]:
    try:
        return load_answer_key(Path(session.payload["folder"]))
    except SampleSetError as error:
        flash(str(error), "error")
        abort(410)


def answers(session_id: int, user: str) -> dict[int, str]:
    """The trainee's latest answer per document."""
    latest: dict[int, str] = {}
    for record in db.records_of_kind(db.get_db(), db.TRAINING_ANSWER, ref=session_id, actor=user):
        latest[record.payload["index"]] = record.payload["verdict"]
    return latest


def score_rows(entries: list[KeyEntry], given: dict[int, str]) -> list[AnswerRow]:
    return [AnswerRow(e, given.get(e.index), given.get(e.index) == e.expected_verdict) for e in entries]


@bp.route("/", methods=["GET"])
@require("train")
def index():
    sessions = list(reversed(db.records_of_kind(db.get_db(), db.TRAINING_OPENED)))
    configured = state(current_app).config.training_sets
    return render_template("training/index.html", sessions=sessions, configured=configured,
                           can_manage=can("train_manage"))


@bp.route("/open", methods=["POST"])
@require("train_manage")
def open_set():
    folder = Path(request.form.get("folder", "").strip()).expanduser()
    try:
        folder = folder.resolve(strict=True)
        entries = load_answer_key(folder)
    except (OSError, SampleSetError) as error:
        flash(_("The sample set could not be opened: ") + str(error), "error")
        return redirect(url_for("training.index"))
    title = request.form.get("title", "").strip()[:100] or folder.name
    session_id = db.append(db.get_db(), db.TRAINING_OPENED,
                           {"folder": str(folder), "title": title, "documents": len(entries),
                            "assisted": request.form.get("assisted") == "on"},
                           actor=g.user.name, head_path=state(current_app).intake.head)
    flash(_("Training set opened."), "ok")
    return redirect(url_for("training.index", opened=session_id))


@bp.route("/<int:session_id>")
@require("train")
def start(session_id: int):
    session = _session(session_id)
    entries = _entries(session)
    given = answers(session_id, g.user.name)
    for entry in entries:
        if entry.index not in given:
            return redirect(url_for("training.document", session_id=session_id, index=entry.index))
    return redirect(url_for("training.score", session_id=session_id))


@bp.route("/<int:session_id>/<int:index>", methods=["GET", "POST"])
@require("train")
def document(session_id: int, index: int):
    session = _session(session_id)
    entries = _entries(session)
    if not 1 <= index <= len(entries):
        abort(404)
    entry = entries[index - 1]
    if request.method == "POST":
        verdict = request.form.get("verdict")
        if verdict not in VERDICTS:
            abort(400)
        db.append(db.get_db(), db.TRAINING_ANSWER, {"index": index, "file": entry.file, "verdict": verdict},
                  actor=g.user.name, ref=session_id, head_path=state(current_app).intake.head)
        return redirect(url_for("training.start", session_id=session_id))
    assisted = _assisted_result(Path(session.payload["folder"]), entry) if session.payload.get("assisted") else None
    given = answers(session_id, g.user.name)
    return render_template("training/document.html", session=session, entry=entry, count=len(entries),
                           answer=given.get(index), answered=len(given), assisted=assisted, verdicts=VERDICTS)


@bp.route("/<int:session_id>/score")
@require("train")
def score(session_id: int):
    session = _session(session_id)
    rows = score_rows(_entries(session), answers(session_id, g.user.name))
    return render_template("training/score.html", session=session, rows=rows,
                           correct=sum(r.correct for r in rows), answered=sum(r.answer is not None for r in rows))


@bp.route("/<int:session_id>/trainees")
@require("train_manage")
def trainees(session_id: int):
    session = _session(session_id)
    entries = _entries(session)
    by_user: dict[str, dict[int, str]] = {}
    for record in db.records_of_kind(db.get_db(), db.TRAINING_ANSWER, ref=session_id):
        by_user.setdefault(record.actor, {})[record.payload["index"]] = record.payload["verdict"]
    table = [(user, sum(r.correct for r in score_rows(entries, given)), len(given))
             for user, given in sorted(by_user.items())]
    return render_template("training/trainees.html", session=session, table=table, count=len(entries))


@bp.route("/<int:session_id>/image/<int:index>")
@require("train")
def image(session_id: int, index: int):
    session = _session(session_id)
    entries = _entries(session)
    if not 1 <= index <= len(entries):
        abort(404)
    return send_from_directory(session.payload["folder"], entries[index - 1].file, max_age=3600)


_assisted_cache: dict[tuple[str, str], dict] = {}
_assisted_lock = threading.Lock()


def _assisted_result(folder: Path, entry: KeyEntry) -> dict:
    """The kiosk's own screening of a training document, as of the set's date (cached)."""
    key = (str(folder), entry.file)
    with _assisted_lock:
        if key in _assisted_cache:
            return _assisted_cache[key]
    result = screen_file(folder / entry.file, settings=Settings(today=entry.today),
                         engine=state(current_app).config.engine)[0].to_dict()
    with _assisted_lock:
        _assisted_cache[key] = result
    return result
