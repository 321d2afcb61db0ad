"""The driver: plan a set of specimens, make, render and capture each, write images and the answer key.

    plan(options) -> [Plan]                 which format, condition and defects, per document
    make_document(plan, options) -> Document  content (specimen.py), image (render.py, conditions.py),
                                              answer-key entry
    generate(options) -> [entry]            writes DIR/NNN_*.jpg, answer_key.jsonl, watchlist.csv,
                                              course.pdf

Everything random comes from ``numpy.random.default_rng([seed, index])``, so a seed gives
byte-identical images and answer key.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from screening import check_mrz_text
from screening.mrz.parse import parse
from screening.samples import catalogue
from screening.samples import families
from screening.samples.catalogue import CURATED_CONDITIONS, DEFECTS, FORMATS, expected_verdict, mrz_visible
from screening.samples.defects import get as defect_spec
from screening.samples.conditions import Captured, capture, encode_jpeg
from screening.samples.render import render
from screening.samples.specimen import Specimen, make_specimen
from screening.text import Join, Text

WATCHLIST_FIELDS = ("issuing_state", "document_number", "reason", "source", "date")


@dataclass(frozen=True)
class Options:
    out: Path
    count: int = 24
    seed: int = 0
    today: dt.date = dataclasses.field(default_factory=dt.date.today)
    formats: tuple[str, ...] = FORMATS
    conditions: tuple[str, ...] = CURATED_CONDITIONS  # capture families drawn from
    layouts: tuple[str, ...] = ("icao_en",)  # layout families drawn from (families.py)
    printers: tuple[str, ...] = ("laser",)  # printer families drawn from
    defects: tuple[str, ...] = tuple(DEFECTS)  # the pool defects are drawn from
    clean_share: float = 0.3  # share of documents without defects
    max_defects: int = 2  # up to this many defects on one document
    overprint: bool = False  # SPECIMEN across every page (specimen documents always have it)
    dpi: int = 300
    preset: str | None = None  # "curated": the fixed list of sample_docs/
    course: bool = True
    # Each document under white, IR and UV light (NAME_white.jpg, NAME_ir.jpg, NAME_uv.jpg), captured
    # by a full-page reader family (``conditions`` then names reader families, families.py).
    lights: bool = False


@dataclass(frozen=True)
class Plan:
    index: int
    format: str
    condition: str
    defects: tuple[str, ...]
    layout: str = "icao_en"
    printer: str = "laser"


@dataclass(frozen=True)
class Document:
    plan: Plan
    specimen: Specimen
    captured: Captured
    jpeg: bytes
    entry: dict


# sample_docs/: every format, every condition, every defect at least once, several clean documents.
CURATED = (
    ("TD3", "scan300", ()), ("TD1", "scan300", ()), ("TD2", "scan150", ()), ("MRV-A", "scan300", ()),
    ("MRV-B", "phone", ()), ("TD3", "phone", ()), ("TD1", "rotated90", ()),
    ("TD3", "scan300", ("check_digit",)), ("TD1", "skew", ("check_digit",)),
    ("TD3", "scan300", ("altered_field_recomputed",)), ("TD2", "jpeg_low", ("altered_field_recomputed", "pasted_line")),
    ("TD3", "phone", ("viz_mismatch_name",)), ("TD1", "scan300", ("viz_mismatch_number",)),
    ("TD3", "scan300", ("pasted_line",)), ("MRV-A", "skew", ("pasted_line",)),
    ("TD3", "rotated180", ("impossible_date",)), ("MRV-B", "scan300", ("unknown_state",)),
    ("TD3", "scan150", ("expired",)), ("TD1", "phone", ("expired", "viz_mismatch_name")),
    ("TD3", "scan300", ("specimen",)), ("TD3", "rotated270", ("watchlist",)),
    ("TD2", "scan300", ("birth_after_expiry",)), ("TD3", "jpeg_low", ("watchlist", "check_digit")),
    ("MRV-A", "phone", ("impossible_date",)),
    ("TD3", "scan300", ("altered_surname",)), ("TD1", "phone", ("altered_number",)),
    ("TD3", "scan300", ("reprinted_line",)),
)  # fmt: skip


def plan(options: Options) -> list[Plan]:
    """Which document to make at each position of the set."""
    if options.preset == "curated":
        return [Plan(i, fmt, cond, defects) for i, (fmt, cond, defects) in enumerate(CURATED)]
    if options.preset is not None:
        raise ValueError(f"unknown preset {options.preset!r} (known: curated)")
    rng = np.random.default_rng([options.seed, 0])
    plans = []
    for index in range(options.count):
        fmt = str(rng.choice(options.formats))
        condition = str(rng.choice(options.conditions))
        # Drawn only when there is a choice, so that a one-family set keeps its older seeds' plans.
        layout = str(rng.choice(options.layouts)) if len(options.layouts) > 1 else options.layouts[0]
        printer = str(rng.choice(options.printers)) if len(options.printers) > 1 else options.printers[0]
        labelled = families.get("layout", layout).params.get("labelled", True)
        pool = [d for d in options.defects if labelled or not defect_spec(d).needs_labels]
        defects: list[str] = []
        if pool and rng.random() >= options.clean_share:
            wanted = 1 + int(rng.random() < 0.25) if options.max_defects > 1 else 1
            for defect in rng.permutation(pool):
                defect = str(defect)
                if len(defects) < wanted and not any(defect in defect_spec(d).conflicts
                                                     or d in defect_spec(defect).conflicts for d in defects):
                    defects.append(defect)
        plans.append(Plan(index, fmt, condition, tuple(sorted(defects)), layout, printer))
    return plans


def file_name(p: Plan, spec: Specimen) -> str:
    return f"{p.index + 1:03d}_{p.format.replace('-', '').lower()}_{spec.issuer.code.lower()}_{p.condition}.jpg"


# The verdicts as words inside the explanations (the kiosk translates them).
VERDICT_WORDS = {"clear": Text("clear"), "review": Text("review"), "alert": Text("alert"),
                 "unreadable": Text("unreadable")}


def explanation(spec: Specimen, expected: str, mrz_only: str) -> Text:
    """What a trainee should have seen, in plain words: a template with its values, translated on the
    kiosk's score page like the check messages (``str()`` gives the English)."""
    if not spec.defects:
        return Text("Clean document: every check digit is right, the dates are real and in order, the issuer is "
                    "real, the visual zone agrees with the MRZ and the MRZ is printed evenly in OCR-B. Verdict: "
                    "clear.")
    parts = list(spec.details)
    for defect in spec.defects:
        parts.append(defect_spec(defect).notice)
    if mrz_only != expected:
        parts.append(Text("The MRZ checks alone give '{verdict}': only comparing the page with the MRZ, looking at "
                          "the print, or the watch list shows the problem.", verdict=VERDICT_WORDS[mrz_only]))
    parts.append(Text("Verdict: {verdict}.", verdict=VERDICT_WORDS[expected]))
    return Text("{parts}", parts=Join(" ", parts))


def make_document(p: Plan, options: Options) -> Document:
    rng = np.random.default_rng([options.seed, p.index + 1])
    spec = make_specimen(p.format, p.defects, rng, options.today, overprint=options.overprint)
    if options.lights:
        return _lit_document(p, options, spec, rng)
    pieces = render(spec, options.dpi, seed=int(rng.integers(0, 2**31)), layout=p.layout, printer=p.printer)
    captured = capture(pieces, p.condition, rng)
    jpeg = encode_jpeg(captured.image, captured.jpeg_quality)
    return Document(p, spec, captured, jpeg, _entry(p, options, spec, captured, "capture"))


@dataclass(frozen=True)
class LitDocument(Document):
    """A document under the three lights: ``jpeg`` and ``captured`` are the white image's."""

    images: dict = dataclasses.field(default_factory=dict)  # light -> JPEG bytes
    captures: dict = dataclasses.field(default_factory=dict)  # light -> Captured


def _lit_document(p: Plan, options: Options, spec: Specimen, rng: np.random.Generator) -> LitDocument:
    from screening.samples.illumination import lit

    document = lit(spec, options.dpi, int(rng.integers(0, 2**31)), p.layout, p.printer, rng)
    captures = families.get("reader", p.condition).make(document, rng)
    images = {light: encode_jpeg(c.image, c.jpeg_quality) for light, c in captures.items()}
    entry = _entry(p, options, spec, captures["white"], "reader")
    stem = entry["file"].removesuffix(".jpg")
    entry["file"] = f"{stem}_white.jpg"
    entry["lights"] = {light: f"{stem}_{light}.jpg" for light in captures}
    entry["capture"] = "; ".join(c.note for c in captures.values())
    return LitDocument(p, spec, captures["white"], images["white"], entry, images, captures)


def _entry(p: Plan, options: Options, spec: Specimen, captured: Captured, capture_kind: str) -> dict:
    result = check_mrz_text(list(spec.lines), today=options.today)
    expected = expected_verdict(spec.defects)
    parsed = parse(list(spec.lines), today=options.today)
    viz = {k: v for k, v in dataclasses.asdict(spec.viz).items() if v}
    entry = {
        "file": file_name(p, spec),
        "index": p.index + 1,
        "format": p.format,
        "condition": p.condition,
        "capture": captured.note,
        "layout": p.layout,
        "printer": p.printer,
        "held_out": sorted(kind for kind, name in (("layout", p.layout), ("printer", p.printer),
                                                  (capture_kind, p.condition))
                           if families.get(kind, name).held_out),
        "seed": options.seed,
        "today": options.today.isoformat(),
        "issuer": spec.issuer.code,
        "mrz_lines": list(spec.lines),
        "fields": parsed.contract_fields(),
        "viz": viz,
        "defects": list(spec.defects),
        "details": [str(detail) for detail in spec.details],
        "mrz_print": [dataclasses.asdict(style) for style in spec.styles],
        "expected_verdict": expected,
        "mrz_only_verdict": result.verdict,
        "mrz_only_reasons": list(result.reasons),
        "mrz_visible": mrz_visible(spec.defects),
    }
    text = explanation(spec, expected, result.verdict)
    entry["explanation"] = str(text)
    # The same explanation as a template and its values (screening.text), for the kiosk's other languages.
    entry["explanation_template"] = text.to_dict()
    return entry


def generate(options: Options, progress=None) -> list[dict]:
    """Write the set to ``options.out``; returns the answer-key entries."""
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    entries, watchlist = [], []
    for p in plan(options):
        document = make_document(p, options)
        if isinstance(document, LitDocument):
            for light, data in document.images.items():
                (out / document.entry["lights"][light]).write_bytes(data)
        else:
            (out / document.entry["file"]).write_bytes(document.jpeg)
        entries.append(document.entry)
        watchlist.extend(document.specimen.watchlist)
        if progress:
            progress(document.entry)
    with open(out / "answer_key.jsonl", "w", encoding="utf-8", newline="\n") as handle:
        for entry in entries:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
    with open(out / "watchlist.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=WATCHLIST_FIELDS, lineterminator="\n")
        writer.writeheader()
        for row in watchlist:
            writer.writerow({**row, "source": f"screening samples, seed {options.seed}"})
    if options.course:
        from screening.samples.course import course_pdf

        course_pdf(out, entries, options)
    return entries


def image_hashes(directory: Path) -> dict[str, str]:
    """SHA-256 of every image in ``directory`` (for determinism checks)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(directory).glob("*.jpg"))}


__all__ = ["CURATED", "Document", "Options", "Plan", "catalogue", "generate", "image_hashes", "make_document", "plan"]
