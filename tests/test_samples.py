"""The specimen generator: determinism, an honest answer key, and every defect really planted."""

import csv
import datetime as dt
import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest

from screening import check_mrz_text
from screening.cli import main
from screening.mrz.parse import parse
from screening.samples import CONDITIONS, DEFECTS, FORMATS, Options, generate, image_hashes
from screening.samples.catalogue import CURATED_CONDITIONS, expected_verdict, mrz_visible
from screening.samples.generate import CURATED, plan
from screening.samples.render import PAGE_MM, mrz_line_boxes, render
from screening.samples.specimen import make_specimen

TODAY = dt.date(2026, 11, 23)


def specimen(fmt, defects=(), seed=0):
    return make_specimen(fmt, tuple(defects), np.random.default_rng([seed, FORMATS.index(fmt)]), TODAY)


def failed(lines, prefix):
    result = check_mrz_text(list(lines), today=TODAY)
    return [f.id for f in result.checks if f.status == "fail" and f.id.startswith(prefix)]


# ------------------------------------------------------------------ determinism and files


def test_same_seed_gives_identical_files(tmp_path):
    options = dict(count=5, seed=11, today=TODAY, dpi=150, course=False)
    first = generate(Options(out=tmp_path / "a", **options))
    generate(Options(out=tmp_path / "b", **options))
    assert (tmp_path / "a/answer_key.jsonl").read_bytes() == (tmp_path / "b/answer_key.jsonl").read_bytes()
    assert image_hashes(tmp_path / "a") == image_hashes(tmp_path / "b")
    assert len(image_hashes(tmp_path / "a")) == len(first) == 5
    other = generate(Options(out=tmp_path / "c", **{**options, "seed": 12}))
    assert [e["mrz_lines"] for e in other] != [e["mrz_lines"] for e in first]


def test_cli_writes_images_key_watchlist_and_course(tmp_path):
    out = tmp_path / "set"
    status = main(["samples", "generate", "--out", str(out), "--count", "3", "--seed", "5", "--today", "2026-11-23",
                   "--defects", "watchlist", "--clean-share", "0", "--formats", "TD3", "--conditions", "scan150"])
    assert status == 0
    entries = [json.loads(line) for line in (out / "answer_key.jsonl").read_text().splitlines()]
    assert len(entries) == 3 and all(e["defects"] == ["watchlist"] for e in entries)
    assert all((out / e["file"]).stat().st_size > 10_000 for e in entries)
    rows = list(csv.DictReader((out / "watchlist.csv").read_text().splitlines()))
    assert list(rows[0]) == ["issuing_state", "document_number", "reason", "source", "date"]
    assert {r["document_number"] for r in rows} == {e["fields"]["document_number"] for e in entries}
    assert (out / "course.pdf").read_bytes().startswith(b"%PDF")
    for e in entries:
        assert e["today"] == "2026-11-23" and e["seed"] == 5 and e["format"] == "TD3"


def test_cli_rejects_unknown_defect(tmp_path, capsys):
    assert main(["samples", "generate", "--out", str(tmp_path), "--defects", "nonsense"]) == 2
    assert "unknown defect" in capsys.readouterr().err


# ------------------------------------------------------------------ the answer key tells the truth


def test_answer_key_is_consistent(tmp_path):
    entries = generate(Options(out=tmp_path, count=16, seed=3, today=TODAY, dpi=100, course=False))
    for e in entries:
        parsed = parse(e["mrz_lines"], today=TODAY)
        assert parsed.problems == () and parsed.format == e["format"]
        assert e["expected_verdict"] == expected_verdict(e["defects"])
        check_digits = failed(e["mrz_lines"], "mrz.check_digit") + failed(e["mrz_lines"], "mrz.composite")
        assert bool(check_digits) == ("check_digit" in e["defects"]), e
        assert e["mrz_only_verdict"] == check_mrz_text(e["mrz_lines"], today=TODAY).verdict
        if mrz_visible(e["defects"]):
            assert e["mrz_only_verdict"] == e["expected_verdict"], e
        assert e["explanation"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_toolkit_agrees_wherever_the_mrz_shows_the_defect(fmt):
    for seed in range(8):
        for defects in [()] + [(d,) for d in DEFECTS if DEFECTS[d].mrz_visible]:
            spec = specimen(fmt, defects, seed)
            verdict = check_mrz_text(list(spec.lines), today=TODAY).verdict
            assert verdict == expected_verdict(defects), (fmt, defects, spec.lines)


@pytest.mark.parametrize("fmt", FORMATS)
def test_clean_documents_are_clear_real_and_valid(fmt):
    for seed in range(10):
        spec = specimen(fmt, (), seed)
        parsed = parse(list(spec.lines), today=TODAY)
        assert check_mrz_text(list(spec.lines), today=TODAY).verdict == "clear"
        assert spec.issuer.code != "UTO"
        assert TODAY < parsed.expiry_date <= TODAY.replace(year=TODAY.year + 10)
        assert spec.viz.surname_latin == parsed.surname
        assert spec.viz.document_number == parsed.document_number


def test_kazakh_iin_agrees_with_birth_date_and_sex():
    for seed in range(30):
        spec = specimen("TD3", (), seed)
        if spec.issuer.code != "KAZ":
            continue
        iin = spec.mrz.optional_data
        assert len(iin) == 12 and iin[:6] == spec.mrz.birth_date.strftime("%y%m%d")
        assert int(iin[6]) % 2 == (1 if spec.mrz.sex == "M" else 0)
        assert not failed(spec.lines, "data.personal_number")


# ------------------------------------------------------------------ each defect is really there

MRZ_FAILURE = {
    "check_digit": "mrz.",
    "impossible_date": "data.",
    "unknown_state": "data.issuing_state",
    "expired": "status.expired",
    "specimen": "status.specimen",
    "birth_after_expiry": "data.dates_order",
}


@pytest.mark.parametrize("defect", sorted(MRZ_FAILURE))
def test_mrz_visible_defects_fail_their_check(defect):
    for fmt in FORMATS:
        spec = specimen(fmt, (defect,), seed=1)
        assert failed(spec.lines, MRZ_FAILURE[defect]), (fmt, spec.lines)


def test_visual_zone_mismatches_are_planted():
    # Many seeds: a woman's "new" surname once took its female ending and became her own.
    for fmt in FORMATS:
        for seed in range(40):
            name = specimen(fmt, ("viz_mismatch_name",), seed)
            assert name.viz.surname_latin != parse(list(name.lines), today=TODAY).surname, (fmt, seed)
            number = specimen(fmt, ("viz_mismatch_number",), seed)
            assert number.viz.document_number != parse(list(number.lines), today=TODAY).document_number


def test_altered_field_keeps_check_digits_but_not_the_page():
    for seed in range(6):
        spec = specimen("TD3", ("altered_field_recomputed",), seed)
        parsed = parse(list(spec.lines), today=TODAY)
        assert check_mrz_text(list(spec.lines), today=TODAY).verdict == "clear"
        page = (spec.viz.birth_date, spec.viz.document_number)
        assert page != (parsed.birth_date.strftime("%d.%m.%Y"), parsed.document_number)


def test_watchlist_entry_names_the_document():
    spec = specimen("TD1", ("watchlist",), 4)
    assert spec.watchlist[0]["document_number"] == parse(list(spec.lines), today=TODAY).document_number


def line_metrics(page: np.ndarray, spec, dpi: int) -> list[dict]:
    """Per MRZ line, measured from the ink: character height, pitch and where the baseline sits (mm)."""
    grey = cv2.cvtColor(page[..., :3], cv2.COLOR_RGB2GRAY)
    centres = [(top + bottom) / 2 for top, bottom in mrz_line_boxes(spec, dpi)]
    band_top = int(min(centres) - (centres[1] - centres[0]))
    ink = (grey[band_top:] < 80).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink)
    per_line = [[] for _ in centres]
    for x, y, w, h, area in stats[1:count]:
        if area < 4:
            continue
        mid = band_top + y + h / 2
        per_line[int(np.argmin([abs(mid - c) for c in centres]))].append((x, band_top + y, w, h))
    mm = 25.4 / dpi
    metrics = []
    for centre, boxes in zip(centres, per_line):
        tall = [b for b in boxes if b[3] >= 0.7 * max(b[3] for b in boxes)]
        xs = sorted(b[0] + b[2] / 2 for b in boxes)
        metrics.append({
            "height": float(np.percentile([b[3] for b in tall], 90)) * mm,
            "pitch": float(np.median(np.diff(xs))) * mm,
            "baseline": float(np.mean([b[1] + b[3] - centre for b in tall])) * mm,
        })
    return metrics


@pytest.mark.parametrize("fmt", ["TD3", "TD1", "MRV-B"])
def test_pasted_line_is_measurably_different(fmt):
    dpi = 300
    kinds = set()
    for seed in range(12):
        spec = specimen(fmt, ("pasted_line",), seed)
        pasted = next(i for i, s in enumerate(spec.styles) if s.font != "ocrb" or s.pitch_mm != 2.54
                      or s.size != 1 or s.baseline_mm or s.tilt_deg)
        metrics = line_metrics(render(spec, dpi)[-1], spec, dpi)
        genuine = [m for i, m in enumerate(metrics) if i != pasted]
        odd = metrics[pasted]
        ref = {k: np.mean([m[k] for m in genuine]) for k in odd}
        assert abs(ref["pitch"] - 2.54) < 0.05 and 2.0 <= ref["height"] <= 3.2
        differences = {
            "pitch": abs(odd["pitch"] / ref["pitch"] - 1) > 0.05,
            "size": abs(odd["height"] / ref["height"] - 1) > 0.08,
            "baseline": abs(odd["baseline"] - ref["baseline"]) > 0.35,
        }
        assert any(differences.values()), (spec.details, metrics)
        kinds |= {k for k, v in differences.items() if v}
    assert kinds >= {"pitch", "size"}


# ------------------------------------------------------------------ pages and presets


def test_pages_have_true_icao_proportions():
    for fmt in FORMATS:
        pieces = render(specimen(fmt), dpi=300)
        w_mm, h_mm = PAGE_MM[fmt]
        for piece in pieces:
            assert piece.shape[:2] == (round(h_mm * 300 / 25.4), round(w_mm * 300 / 25.4))
    assert render(specimen("TD3"), dpi=300)[0].shape[:2] == (1039, 1476)


def test_curated_preset_covers_the_catalogue():
    plans = plan(Options(out=".", preset="curated", today=TODAY))
    assert len(plans) == len(CURATED) >= 20
    assert {p.format for p in plans} == set(FORMATS)
    assert {p.condition for p in plans} == set(CURATED_CONDITIONS) and set(CURATED_CONDITIONS) <= set(CONDITIONS)
    assert {d for p in plans for d in p.defects} == set(DEFECTS)
    assert sum(1 for p in plans if not p.defects) >= 4



def test_every_explanation_is_a_template_whose_english_is_the_explanation():
    from screening.text import render, templates_in

    from kiosk.locales import ru

    path = Path(__file__).resolve().parents[1] / "sample_docs" / "answer_key.jsonl"
    for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
        template = row["explanation_template"]
        assert render(template["template"], template["params"]) == row["explanation"]
        # Each sentence (details, notices, the verdict) is a template of its own, none pasted in as
        # English: the Russian catalogue knows every one.
        parts = template["params"]["parts"]["parts"] if template["params"] else [template]
        assert all(isinstance(part, dict) and "template" in part for part in parts)
        words = [t for t in templates_in(template) if re.search("[A-Za-z]", re.sub(r"\{[^{}]*\}", "", t))]
        assert words and not [t for t in words if t not in ru.MESSAGES]
