"""What the screens show, computed from a logged screening: kept out of the templates so
they stay plain markup, and out of the routes so every blueprint shows a screening alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from screening import zones
from screening.checks import light as light_checks
from screening.lights import LIGHTS
from screening.mrz.formats import LAYOUTS, label
from screening.verdict import not_compared

from kiosk import db

VERDICT_ORDER = {"alert": 0, "unreadable": 1, "review": 2, "clear": 3}
STATUS_ORDER = {"fail": 0, "warn": 1, "skip": 2, "pass": 3}
DECISIONS = ("admit", "refer", "refuse")
FIELD_ORDER = ("document_code", "issuing_state", "document_number", "surname", "given_names", "nationality",
               "birth_date", "sex", "expiry_date", "optional_data", "optional_data_2")


# Why a chip was not read, by read outcome (screening.chip.errors): the library's own words, which the
# Russian catalogue translates (tests/kiosk_tests/test_kiosk_chip.py checks each has its entry).
CHIP_NOT_READ = {
    "no_reader": "no chip reader is connected",
    "no_card": "no chip answered on the reader",
    "removed": "the document was taken off the reader during the read",
    "timeout": "the chip stopped answering",
    "garbage": "the chip's answers were damaged or not authentic",
    "unsupported": "the chip uses a protocol this reader does not support",
    "chip_error": "the chip reported an error",
    "error": "the chip could not be read",
}


def chip_not_read(outcome: str) -> str:
    return CHIP_NOT_READ.get(outcome, CHIP_NOT_READ["error"])


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    value: str
    mark: str  # "", "review" or "alert": the most serious failing check naming this field


@dataclass(frozen=True)
class MRZChar:
    char: str
    mark: str


@dataclass(frozen=True)
class Marking:
    points: str  # SVG polygon points in image coordinates
    mark: str
    labels: tuple[str, ...]  # the fields it covers (English: the template translates them)


@dataclass(frozen=True)
class LightView:
    """One light's image of a page screened under several lights, with the marks of the findings
    seen under that light (the white image's marks are the view's own ``markings``)."""

    light: str  # screening.lights: white, ir, uv
    label: str  # English: the template translates it
    key: str  # what the switch's button shows
    image: bool  # a display image is stored (else the switch says it is not available)
    size: tuple[int, int] | None
    registered: bool  # laid onto the white image (its marks fall where the page's are)
    main: bool  # the image the MRZ was read from (the white one, unless the set had none)
    markings: tuple[Marking, ...] = ()


LIGHT_LABELS = {"white": "White light", "ir": "Infrared", "uv": "Ultraviolet"}
LIGHT_KEYS = {"white": "W", "ir": "IR", "uv": "UV"}
# What a light finding's mark is called (its title on the image).
PLACE_LABELS = {
    ("light.ir_mrz", "mrz"): "The MRZ fades under infrared",
    ("light.consistency", "mrz_chars"): "Characters re-printed in other ink",
    ("light.consistency", "mrz"): "The MRZ differs under infrared",
    ("light.consistency", "portrait"): "The portrait glows under ultraviolet",
    ("light.uv_paper", "page"): "The paper glows under ultraviolet",
    ("light.uv_features", "page"): "No UV-fluorescent features",
}
# How far in from the image's edges a mark on the paper as a whole is drawn (of each side).
PAGE_MARK_INSET = 0.01


@dataclass(frozen=True)
class ScreeningView:
    id: int
    at: str
    day: str
    source: str
    original_name: str
    actor: str | None
    verdict: str
    reasons: tuple[str, ...]
    format: str | None
    confidence: float | None
    fields: tuple[FieldRow, ...]
    mrz_lines: tuple[tuple[MRZChar, ...], ...]
    checks: tuple[dict, ...]
    image: str | None
    image_purged: bool
    image_size: tuple[int, int] | None
    region: str | None
    markings: tuple[Marking, ...]
    error: dict | None
    corrections: tuple[dict, ...]
    decision: str | None
    decided_by: str | None
    decision_note: str | None
    result: dict
    person_name: str | None
    document_number: str | None
    # The visual-zone fields not compared with the MRZ (their labels): the officer compares them by eye.
    not_compared: tuple[str, ...] = ()
    # The chip (kiosk.chip): "off", "no_mrz", "visa", "pending" (the screen says "reading" or, when no read
    # runs any more, "interrupted"), "superseded", or "done" with the chip's part of the joined result.
    chip_status: str = "off"
    chip: dict | None = None
    chip_face: str | None = None  # the portrait's path in the images folder
    chip_face_size: tuple[int, int] | None = None
    chip_face_problem: str | None = None  # why the chip's portrait is not shown, when it held one
    # A page screened under several lights: one view per light supplied (white first), and the lights
    # the set should have had but did not; () for an ordinary scan (the screen shows no switch).
    lights: tuple[LightView, ...] = ()
    lights_missing: tuple[str, ...] = ()


def local_time(iso: str) -> tuple[str, str]:
    moment = dt.datetime.fromisoformat(iso).astimezone()
    return moment.strftime("%H:%M:%S"), moment.strftime("%d.%m.%Y")


def field_marks(checks: list[dict]) -> dict[str, str]:
    marks: dict[str, str] = {}
    for check in checks:
        if check["status"] not in ("fail", "warn"):
            continue
        mark = check.get("severity") or "review"
        for name in check.get("fields", []):
            if marks.get(name) != "alert":
                marks[name] = mark
    return marks


def field_spans(format_name: str | None, name: str) -> list[tuple[int, int, int]]:
    """(line, start, end) slices an MRZ field occupies, its check digit included."""
    layout = LAYOUTS.get(format_name or "")
    if layout is None:
        return []
    spans = []
    aliases = {"surname": "name", "given_names": "name"}
    for candidate in (name, aliases.get(name, ""), f"{name}_check"):
        if candidate and layout.has_field(candidate):
            spec = layout.field(candidate)
            spans.append((spec.line, spec.start, spec.end))
    for digit in layout.check_digits:
        if digit.name == name and not any(s[0] == digit.digit[0] and s[1] <= digit.digit[1] < s[2] for s in spans):
            spans.append((digit.digit[0], digit.digit[1], digit.digit[1] + 1))
    return spans


# Where the marks go is zones.cells (how the reader's outline sits on the print); how far outside
# the print they are drawn is the kiosk's: in the gaps, never across a character.
CELL_MARGIN_X = 0.14  # of the pitch, either side of a character (the gap is 1 - zones.GLYPH_WIDTH)
CELL_MARGIN_Y = 0.2   # of the line pitch, above and below a line (its gap is 1 - zones.GLYPH_HEIGHT)
REGION_MARGIN_X = 0.6
REGION_MARGIN_Y = 0.35


def _points(points) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def region_outline(region: list[list[float]], line_count: int, line_length: int) -> str:
    """The MRZ outlined with a margin, so that its stroke does not run through the first and last characters."""
    return _points(zones.cells(region, (line_count, line_length), range(line_count), range(line_length),
                               (REGION_MARGIN_X, REGION_MARGIN_Y)))


def marked_runs(lines: list[tuple[MRZChar, ...]]) -> list[tuple[int, int, int, str]]:
    """(line, start, end, mark): each stretch of neighbouring characters with the same mark."""
    runs = []
    for number, line in enumerate(lines):
        start = None
        for position in range(len(line) + 1):
            mark = line[position].mark if position < len(line) else ""
            if start is not None and mark != line[start].mark:
                runs.append((number, start, position, line[start].mark))
                start = None
            if start is None and mark:
                start = position
    return runs


def run_outline(region: list[list[float]], line_count: int, line_length: int, line: int, start: int, end: int) -> str:
    """Characters start..end-1 of a line, outlined in the gaps around them."""
    return _points(zones.cells(region, (line_count, line_length), range(line, line + 1), range(start, end),
                               (CELL_MARGIN_X, CELL_MARGIN_Y)))


def light_marks(checks: list[dict], mrz: dict | None, light: str, size: tuple[int, int] | None) -> list[Marking]:
    """The marks of the light findings seen under ``light``, in the page's coordinates (the IR and
    UV display images are registered onto the white page): the MRZ or its re-printed characters
    under infrared, the portrait's place or the paper under ultraviolet."""
    polygon = (mrz or {}).get("region")
    lines = (mrz or {}).get("lines") or []
    count = max(len(lines), 1)
    length = max((len(line) for line in lines), default=1) or 1
    out = []
    for check in checks:
        if not check["id"].startswith("light."):
            continue
        mark = check.get("severity") or "review"
        for place in light_checks.places(check):
            if place.light != light:
                continue
            points = None
            if place.area == "page" and size:
                w, h = size
                dx, dy = w * PAGE_MARK_INSET, h * PAGE_MARK_INSET
                points = _points([(dx, dy), (w - dx, dy), (w - dx, h - dy), (dx, h - dy)])
            elif polygon and len(polygon) >= 4 and place.area == "mrz_chars" and place.line is not None:
                points = run_outline(polygon, count, length, place.line, place.first, place.last + 1)
            elif polygon and len(polygon) >= 4 and place.area in ("mrz", "mrz_chars"):
                points = region_outline(polygon, count, length)
            elif polygon and len(polygon) == 4 and place.area == "portrait" and mrz.get("format"):
                corners = zones.portrait_corners(polygon, mrz["format"], side=place.side or "left")
                points = _points(corners) if corners is not None else None
            if points:
                out.append(Marking(points, mark, (PLACE_LABELS.get((check["id"], place.area), check["id"]),)))
    return out


def lights_part(payload: dict, result: dict) -> dict:
    """The light switch's views for a page screened under several lights (Intake.screen_set)."""
    images = payload.get("light_images")
    if not images:
        return {}
    checks, mrz = result.get("checks", []), result.get("mrz")
    out = []
    for light in LIGHTS:
        entry = images.get(light)
        if entry is None:
            continue
        size = tuple(entry["size"]) if entry.get("size") else None
        registered = bool(entry.get("registered"))
        markings = tuple(light_marks(checks, mrz, light, size)) if registered and light != "white" else ()
        out.append(LightView(light, LIGHT_LABELS[light], LIGHT_KEYS[light], bool(entry.get("image")), size,
                             registered, entry.get("image") == payload.get("image"), markings))
    missing = tuple(LIGHT_LABELS[x] for x in (result.get("lights") or {}).get("missing", []) if x in LIGHT_LABELS)
    return {"lights": tuple(out), "lights_missing": missing}


def chip_part(record: db.Record, chip: db.Record | None) -> dict:
    """What the view shows of the chip: the joined result (when a read joined the screening) and its state."""
    if chip is not None and "result" in chip.payload:
        size = chip.payload.get("face_size")
        return {"chip_status": "done", "chip": chip.payload["result"].get("chip"), "chip_face": chip.payload.get("face"),
                "chip_face_size": tuple(size) if size else None, "chip_face_problem": chip.payload.get("face_problem")}
    if chip is not None:
        return {"chip_status": chip.payload.get("skipped", "superseded")}
    # Screenings recorded before the kiosk read chips have no "chip_read": no reader was configured then.
    return {"chip_status": record.payload.get("chip_read") or "off"}


def build(record: db.Record, decision: db.Record | None = None, chip: db.Record | None = None) -> ScreeningView:
    """The view of a screening; with its newest chip record, the result the chip joined (verdict included)."""
    payload = record.payload
    joined = chip is not None and "result" in chip.payload
    result = chip.payload["result"] if joined else payload["result"]
    mrz = result.get("mrz")
    checks = sorted(result.get("checks", []), key=lambda c: (STATUS_ORDER.get(c["status"], 9),
                                                             0 if c.get("severity") == "alert" else 1))
    marks = field_marks(checks)
    fields: list[FieldRow] = []
    lines: list[tuple[MRZChar, ...]] = []
    markings: list[Marking] = []
    region = None
    if mrz:
        values = mrz.get("fields", {})
        for name in FIELD_ORDER:
            if name in values:
                value = values[name]
                if value and name in ("birth_date", "expiry_date"):
                    value = dt.date.fromisoformat(value).strftime("%d.%m.%Y")
                elif value is None and name in ("birth_date", "expiry_date"):
                    value = f"({mrz.get('raw', {}).get(name, '')})"
                fields.append(FieldRow(name, label(name), value or "", marks.get(name, "")))
        char_marks: dict[tuple[int, int], str] = {}
        spans_by_field = {name: field_spans(mrz["format"], name) for name in marks}
        for name, spans in spans_by_field.items():
            for line, start, end in spans:
                for position in range(start, end):
                    if char_marks.get((line, position)) != "alert":
                        char_marks[(line, position)] = marks[name]
        lines = [tuple(MRZChar(c, char_marks.get((i, j), "")) for j, c in enumerate(text))
                 for i, text in enumerate(mrz["lines"])]
        polygon = mrz.get("region")
        if polygon and len(polygon) >= 4:
            count = max(len(mrz["lines"]), 1)
            length = max((len(line) for line in mrz["lines"]), default=1) or 1
            region = region_outline(polygon, count, length)
            # One outline per stretch of marked characters (a date and its check digit together),
            # named by the fields it covers.
            for line, start, end, mark in marked_runs(lines):
                names = [label(name) for name, spans in spans_by_field.items()
                         if any(s_line == line and s_start < end and start < s_end for s_line, s_start, s_end in spans)]
                markings.append(Marking(run_outline(polygon, count, length, line, start, end), mark,
                                        tuple(dict.fromkeys(names))))
    time_text, day = local_time(record.at)
    size = payload.get("image_size")
    return ScreeningView(
        id=record.id, at=time_text, day=day, source=payload.get("source", ""),
        original_name=payload.get("original_name", ""), actor=record.actor,
        verdict=(chip.verdict if joined else record.verdict) or "unreadable",
        reasons=tuple(result.get("reasons", [])), format=mrz["format"] if mrz else None,
        confidence=mrz.get("confidence") if mrz else None, fields=tuple(fields), mrz_lines=tuple(lines),
        checks=tuple(checks), image=payload.get("image"), image_purged=False,
        image_size=tuple(size) if size else None, region=region, markings=tuple(markings),
        error=result.get("error"), corrections=tuple((mrz or {}).get("corrections", [])),
        decision=decision.payload.get("decision") if decision else None,
        decided_by=decision.actor if decision else None,
        decision_note=decision.payload.get("note") if decision else None,
        not_compared=tuple(label(name) for name in not_compared(result.get("checks", []))),
        result=result, person_name=record.person_name, document_number=record.document_number,
        **chip_part(record, chip), **lights_part(payload, result),
    )
