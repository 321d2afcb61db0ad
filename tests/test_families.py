"""The generator's families (layouts, printers, captures) and the defect registry; trust.py's counting."""

import datetime as dt
import hashlib
import importlib.util
import json
from collections import Counter
from pathlib import Path

import cv2
import numpy as np
import pytest

from screening import check_mrz_text
from screening.checks import registry
from screening.cli import main
from screening.mrz.parse import parse
from screening.samples import families, fonts
from screening.samples.conditions import capture
from screening.samples.defects import DEFECTS
from screening.samples.layouts import NATIONAL_WORDS
from screening.samples.render import PAGE_MM, mrz_line_boxes, render
from screening.samples.specimen import make_specimen

TODAY = dt.date(2026, 11, 23)
ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = families.names("layout")
PRINTERS = families.names("printer")
CAPTURES = families.names("capture")


def specimen(fmt="TD3", defects=(), seed=0):
    return make_specimen(fmt, tuple(defects), np.random.default_rng([seed, 9]), TODAY)


def digest(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


# ------------------------------------------------------------------ the registry


def test_held_out_families_are_the_ones_fixed_for_issue_12():
    assert set(families.names("layout", held_out=True)) == {"national_bilingual"}
    assert set(families.names("printer", held_out=True)) == {"thermal"}
    assert set(families.names("capture", held_out=True)) == {"booklet_curve", "photocopy"}
    # Issue 15's full-page readers (white, IR and UV images; benchmarks/light.py) hold one make out.
    assert set(families.names("reader", held_out=True)) == {"reader_kiosk"}
    for kind in families.KINDS:
        assert families.names(kind, held_out=False), kind  # tuning families exist too


def test_registry_has_the_families_the_issue_asks_for():
    assert len(LAYOUTS) >= 8
    assert set(LAYOUTS) >= {"icao_en", "ru_en", "trilingual", "beside", "two_column", "combined_names",
                            "unlabelled", "national_bilingual"}
    assert set(PRINTERS) >= {"laser", "inkjet", "thermal"}
    assert set(CAPTURES) >= {"scan300", "scan150", "jpeg_low", "rotated90", "rotated180", "rotated270", "skew",
                             "phone", "handheld_tilt", "shadow_glare", "motion_blur", "webcam_640"}


def test_a_family_cannot_contradict_the_held_out_list():
    with pytest.raises(ValueError, match="contradicts HELD_OUT"):
        families.layout("thermal_lookalike", "x", held_out=True)(lambda *a: None)
    with pytest.raises(ValueError, match="registered twice"):
        families.printer("laser", "again")(lambda *a: None)
    with pytest.raises(KeyError, match="unknown layout"):
        families.get("layout", "nonsense")


def test_missing_font_names_its_package(monkeypatch):
    monkeypatch.setitem(fonts.FACES, "nowhere", (("NoSuchFace-Regular.ttf",), "fonts-nowhere"))
    with pytest.raises(fonts.FontMissing, match="fonts-nowhere"):
        fonts.font_path("nowhere")
    assert fonts.font_path("ocrb").endswith("OCRB.otf")


def test_national_words_cover_every_field_the_page_prints():
    keys = {"type", "code", "number", "card_number", "surname", "given_names", "nationality", "birth_date", "sex",
            "birth_place", "issue_date", "expiry_date", "authority", "personal_number", "entries", "valid_from",
            "passport"}
    assert {"kk", "ky", "tg", "uz", "uz_cyrl", "tk", "az", "ro", "uk", "ru"} <= set(NATIONAL_WORDS)
    for language, words in NATIONAL_WORDS.items():
        assert keys <= set(words), (language, keys - set(words))
    assert NATIONAL_WORDS["kk"]["surname"] == "Тегі" and NATIONAL_WORDS["uk"]["given_names"] == "Ім'я"


# ------------------------------------------------------------------ everything renders


def _mrz_ink(piece: np.ndarray, spec, dpi: int) -> float:
    grey = cv2.cvtColor(piece[..., :3], cv2.COLOR_RGB2GRAY)
    top = mrz_line_boxes(spec, dpi)[0][0]
    return float((grey[top:] < 90).mean())


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("fmt", ["TD3", "TD1", "TD2", "MRV-A", "MRV-B"])
def test_every_layout_renders_at_true_icao_size_with_its_mrz(layout, fmt):
    dpi = 150
    spec = specimen(fmt, seed=LAYOUTS.index(layout))
    pieces = render(spec, dpi, seed=3, layout=layout, printer="laser")
    w_mm, h_mm = PAGE_MM[fmt]
    assert len(pieces) == (2 if fmt == "TD1" else 1)
    for piece in pieces:
        assert piece.shape == (round(h_mm * dpi / 25.4), round(w_mm * dpi / 25.4), 4) and piece.dtype == np.uint8
    assert _mrz_ink(pieces[-1], spec, dpi) > 0.03  # the MRZ is printed on the (last) piece
    # The visual zone prints something beyond the MRZ: labels and values.
    front = cv2.cvtColor(pieces[0][..., :3], cv2.COLOR_RGB2GRAY)
    assert (front[: front.shape[0] // 2] < 90).mean() > 0.005


def test_layouts_differ_from_each_other():
    spec = specimen("TD3", seed=1)
    looks = {layout: digest(render(spec, 100, seed=1, layout=layout)[0][:, :, :3]) for layout in LAYOUTS}
    assert len(set(looks.values())) == len(LAYOUTS)


@pytest.mark.parametrize("name", PRINTERS)
def test_every_printer_inks_the_page_and_keeps_its_size(name):
    spec = specimen("TD1", seed=2)
    ideal = render(spec, 150, seed=4)
    printed = render(spec, 150, seed=4, printer=name)
    for a, b in zip(ideal, printed):
        assert a.shape == b.shape and not np.array_equal(a, b)
        assert np.array_equal(a[..., 3], b[..., 3])  # the card's corners stay where they were


@pytest.mark.parametrize("name", CAPTURES)
def test_every_capture_makes_an_rgb_image(name):
    for fmt in ("TD3", "TD1"):
        pieces = render(specimen(fmt, seed=5), 300, seed=5, printer="inkjet")
        captured = capture(pieces, name, np.random.default_rng(1))
        assert captured.image.ndim == 3 and captured.image.shape[2] == 3 and captured.image.dtype == np.uint8
        assert 10 <= captured.jpeg_quality <= 95 and captured.note
        if name == "webcam_640":
            assert captured.image.shape[:2] == (480, 640)


def test_seeds_reproduce_images_and_differ_between_seeds():
    spec = specimen("TD3", seed=6)
    for layout, printer, condition in (("national_bilingual", "thermal", "booklet_curve"),
                                       ("beside", "inkjet", "handheld_tilt"), ("two_column", "laser", "photocopy")):
        def shot(seed):
            pieces = render(spec, 200, seed=seed, layout=layout, printer=printer)
            return digest(capture(pieces, condition, np.random.default_rng(seed)).image)

        assert shot(7) == shot(7)
        assert shot(7) != shot(8)


def test_cli_generates_every_family(tmp_path):
    out = tmp_path / "set"
    assert main(["samples", "generate", "--out", str(out), "--count", "6", "--seed", "3", "--today", "2026-11-23",
                 "--layouts", "all", "--printers", "all", "--conditions", "webcam_640,photocopy",
                 "--no-course"]) == 0
    entries = [json.loads(line) for line in (out / "answer_key.jsonl").read_text().splitlines()]
    assert len(entries) == 6 and all((out / e["file"]).exists() for e in entries)
    assert {e["layout"] for e in entries} <= set(LAYOUTS) and {e["printer"] for e in entries} <= set(PRINTERS)
    for e in entries:
        held = {kind for kind, name in (("layout", e["layout"]), ("printer", e["printer"]),
                                        ("capture", e["condition"])) if families.get(kind, name).held_out}
        assert set(e["held_out"]) == held


# ------------------------------------------------------------------ a genuine printer's lines


def line_metrics(page: np.ndarray, spec, dpi: int) -> list[dict]:
    """Per MRZ line from the ink: pitch, character height, baseline offset and the first character's left edge (mm)."""
    grey = cv2.cvtColor(page[..., :3], cv2.COLOR_RGB2GRAY)
    boxes_per_line = []
    mm = 25.4 / dpi
    metrics = []
    for top, bottom in mrz_line_boxes(spec, dpi):
        ink = (grey[top:bottom] < 110).astype(np.uint8)
        count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
        boxes = [s for s in stats[1:count] if s[4] >= 4]
        boxes_per_line.append(boxes)
        tall = [b for b in boxes if b[3] >= 0.7 * max(b[3] for b in boxes)]
        centres = np.array(sorted(b[0] + b[2] / 2 for b in boxes))
        # The pitch as the slope of centre against cell index (a median of neighbour distances
        # is quantised to whole pixels).
        cells = np.round((centres - centres[0]) / np.median(np.diff(centres)))
        metrics.append({"pitch": float(np.polyfit(cells, centres, 1)[0]) * mm,
                        "height": float(np.percentile([b[3] for b in tall], 90)) * mm,
                        "baseline": float(np.median([b[1] + b[3] for b in tall])) * mm + top * mm
                                    - (top + bottom) / 2 * mm,
                        "start": float(min(b[0] for b in boxes)) * mm})
    return metrics


def test_genuine_printer_lines_differ_only_by_its_small_spread():
    dpi = 600
    spreads = {"pitch": [], "baseline": []}
    for seed in range(4):
        spec = specimen("TD3", seed=seed)
        ideal = line_metrics(render(spec, dpi, seed=seed)[0], spec, dpi)
        printed = line_metrics(render(spec, dpi, seed=seed, printer="laser")[0], spec, dpi)
        for a, b in zip(ideal, printed):
            spreads["pitch"].append(abs(b["pitch"] / a["pitch"] - 1))
            spreads["baseline"].append(abs(b["baseline"] - a["baseline"]))
    # Bounds: pitch +-0.3 %, baseline +-0.05 mm, plus one pixel of measuring (0.04 mm at 600 dpi).
    assert max(spreads["pitch"]) < 0.003 + 0.003 and max(spreads["baseline"]) <= 0.05 + 0.05
    assert max(spreads["baseline"]) > 0.005  # the spread is really there


def test_reprinted_line_differs_by_far_more_than_a_printer_spread():
    from dataclasses import replace

    from screening.samples.specimen import GENUINE

    dpi = 600
    kinds = Counter()
    for seed in range(6):
        spec = specimen("TD3", ("reprinted_line",), seed)
        odd = next(i for i, s in enumerate(spec.styles) if s.offset_mm)
        style = spec.styles[odd]
        # The same line as the genuine printer printed it (same page, same line-to-line spread).
        genuine = replace(spec, styles=tuple(GENUINE for _ in spec.styles))
        got = line_metrics(render(spec, dpi, seed=seed, printer="laser")[0], spec, dpi)[odd]
        want = line_metrics(render(genuine, dpi, seed=seed, printer="laser")[0], genuine, dpi)[odd]
        pitch = abs(got["pitch"] / want["pitch"] - 1)
        height = abs(got["height"] / want["height"] - 1)
        baseline = abs(got["baseline"] - want["baseline"])
        # Ten times a genuine printer's spread or more: pitch 0.3 %, baseline 0.05 mm.
        assert pitch > 0.02 or height > 0.07 or baseline > 0.25, (spec.details, got, want)
        assert abs(got["start"] - want["start"]) > 0.3  # off the others' margin
        kinds[("pitch" if style.pitch_mm != 2.54 else "size" if style.size != 1 else "baseline")] += 1
        assert style.font == "ocrb"
    assert len(kinds) == 3


# ------------------------------------------------------------------ defects


def test_every_defect_declares_checks_that_exist():
    known = set(registry.SPECS)
    for defect in DEFECTS.values():
        assert defect.checks and set(defect.checks) <= known, (defect.id, set(defect.checks) - known)
        assert defect.verdict in ("review", "alert") and defect.plants and defect.notice
        assert all(other in DEFECTS and defect.id in DEFECTS[other].conflicts for other in defect.conflicts)


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_every_defect_plants_on_every_format(defect):
    for fmt in ("TD3", "TD1", "TD2", "MRV-A", "MRV-B"):
        clean = specimen(fmt, (), seed=3)
        spec = specimen(fmt, (defect,), seed=3)
        assert spec.defects == (defect,) and len(spec.details) == 1
        changed = (spec.lines != clean.lines or spec.viz != clean.viz or spec.styles != clean.styles
                   or spec.watchlist != clean.watchlist or spec.issuer.code != clean.issuer.code
                   or spec.mrz.expiry_date != clean.mrz.expiry_date)
        assert changed, (defect, fmt)


def test_new_defects_plant_what_they_declare():
    for seed in range(25):
        for fmt in ("TD3", "TD1", "MRV-B"):
            surname = specimen(fmt, ("altered_surname",), seed)
            parsed = parse(list(surname.lines), today=TODAY)
            assert surname.viz.surname_latin != parsed.surname
            assert check_mrz_text(list(surname.lines), today=TODAY).verdict == "clear"
            number = specimen(fmt, ("altered_number",), seed)
            parsed = parse(list(number.lines), today=TODAY)
            assert number.viz.document_number != parsed.document_number
            assert sum(a != b for a, b in zip(number.viz.document_number, parsed.document_number)) == 1
            assert check_mrz_text(list(number.lines), today=TODAY).verdict == "clear"


def test_labelled_defects_are_not_drawn_for_unlabelled_pages():
    from screening.samples.generate import Options, plan

    plans = plan(Options(out=".", count=300, seed=1, today=TODAY, layouts=("unlabelled", "beside"),
                         defects=("altered_surname", "check_digit"), clean_share=0.0, max_defects=1))
    assert all("altered_surname" not in p.defects for p in plans if p.layout == "unlabelled")
    assert any("altered_surname" in p.defects for p in plans if p.layout == "beside")


# ------------------------------------------------------------------ benchmarks/trust.py counting


def _trust():
    spec = importlib.util.spec_from_file_location("trust_bench", ROOT / "benchmarks" / "trust.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(**kw):
    row = {"defects": [], "expected": "clear", "verdict": "clear", "exact": True, "read": True, "fails": [],
           "alerts": [], "viz": {}, "layout": "icao_en", "printer": "laser", "capture": "scan300", "held_out": []}
    row.update(kw)
    return row


def test_trust_counts_recall_alerts_and_exact_reads():
    trust = _trust()
    rows = [_row(), _row(verdict="alert", alerts=["print.line_consistency"], fails=["print.line_consistency"]),
            _row(verdict="review", exact=False),
            _row(defects=["viz_mismatch_name"], expected="alert", verdict="alert", fails=["viz.surname"]),
            _row(defects=["viz_mismatch_name"], expected="alert", verdict="review"),
            _row(defects=["viz_mismatch_name"], expected="alert", verdict="unreadable", read=False, exact=False),
            _row(defects=["expired"], expected="review", verdict="alert", fails=["print.ocrb"])]
    assert trust.recall(rows, "viz_mismatch_name") == (1, 3)
    assert trust.recall(rows, "expired") == (1, 1)  # an alert is at least a review
    assert trust.caught_by_declared(rows, "viz_mismatch_name", ("viz.surname",)) == 1
    assert trust.caught_by_declared(rows, "expired", ("status.expired",)) == 0
    alarms, clean, ids = trust.clean_alerts(rows)
    assert (alarms, clean, dict(ids)) == (1, 3, {"print.line_consistency": 1})
    assert trust.exact_count(rows) == (5, 7)


def test_trust_counts_viz_fields_compared():
    trust = _trust()
    rows = [_row(viz={"viz.surname": "pass", "viz.given_names": "fail", "viz.document_number": "skip",
                      "viz.birth_date": "warn", "viz.expiry_date": "pass"}),  # viz.sex missing: not compared
            _row(read=False, viz={})]  # not read: not counted
    done, total, per = trust.viz_compared(rows)
    assert (done, total) == (4, 6)
    assert per["viz.document_number"] == (0, 1) and per["viz.sex"] == (0, 1) and per["viz.surname"] == (1, 1)


def test_trust_plan_holds_out_about_the_share_asked():
    trust = _trust()
    plans = trust.plan_set(400, 5)
    for kind, attr in (("layout", "layout"), ("printer", "printer"), ("capture", "condition")):
        held = set(families.names(kind, held_out=True))
        share = sum(getattr(p, attr) in held for p in plans) / len(plans)
        assert 0.22 < share < 0.38, (kind, share)
    assert 0.4 < sum(not p.defects for p in plans) / len(plans) < 0.6
    assert all(not ("altered_surname" in p.defects and p.layout == "unlabelled") for p in plans)


def test_dates_print_numeric_or_with_the_month_as_a_word():
    from screening.samples.layouts import styled_date

    assert styled_date("12.08.1974", "numeric") == "12.08.1974"
    assert styled_date("12.08.1974", "worded") == "12 AUG 1974"
    assert styled_date("12.08.1974", "worded_fr") == "12 AUG/AOÛT 1974"
    assert styled_date("03.10.2030", "worded_fr") == "03 OCT 2030"  # one word in both languages
    assert styled_date("12.08.1974", "worded_short") == "12 AUG 74"
    assert styled_date("31.13.1990", "worded") == "31.13.1990"  # an impossible month as it is
