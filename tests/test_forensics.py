"""Print forensics: pasted lines are flagged, genuine MRZs pass, typed MRZs and unmeasurable prints are skipped."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from fraud_samples import generated
from screening.checks import CheckContext, Settings, run_checks
from screening.models import MRZRead
from screening.pipeline import check_mrz_text, screen_file

TODAY = dt.date(2026, 11, 23)
PRINT_IDS = ("print.line_consistency", "print.ocrb", "print.proportions")


def _print_findings(result):
    return [f for f in result.checks if f.id in PRINT_IDS]


def test_pasted_lines_are_flagged_with_their_measurements():
    folder, entries = generated("pasted_line", 4, 21)
    for entry in entries:
        (result,) = screen_file(folder / entry["file"], today=TODAY, settings=Settings(watchlist="/nonexistent"))
        failed = [f for f in _print_findings(result) if f.status == "fail"]
        assert failed, (entry["details"], [f.message for f in result.checks])
        assert result.verdict == "alert"
        assert any("mm" in f.message or "OCR-B" in f.message for f in failed)


def test_genuine_prints_pass():
    folder, entries = generated("none", 3, 22, "scan300,phone")
    for entry in entries:
        (result,) = screen_file(folder / entry["file"], today=TODAY, settings=Settings(watchlist="/nonexistent"))
        statuses = {f.id: f.status for f in _print_findings(result)}
        assert statuses.get("print.line_consistency") == "pass", [f.message for f in _print_findings(result)]
        assert "fail" not in statuses.values()


def test_typed_mrz_yields_no_print_findings():
    result = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY)
    assert not _print_findings(result)


def test_a_blank_page_cannot_be_measured_and_is_a_skip_without_severity():
    parsed = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY).mrz.parsed
    page = np.full((800, 1200), 235, np.uint8)
    read = MRZRead(parsed, 0.9, ((100.0, 650.0), (1100.0, 650.0), (1100.0, 730.0), (100.0, 730.0)),
                   engine="ocrb", page=page)
    findings = [f for f in run_checks(CheckContext(parsed, TODAY, Settings(watchlist="/nonexistent"), read))
                if f.id in PRINT_IDS]
    assert [(f.id, f.status, f.severity) for f in findings] == [("print.line_consistency", "skip", None)]
    assert dataclasses.replace(read, page=None).page is None


def test_a_print_measured_at_half_its_height_is_not_compared_between_lines(monkeypatch):
    from screening import forensics

    parsed = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY).mrz.parsed
    lines = (forensics.LineMeasure(2.55, 1.0, -2.0, 0.9, 0.1, 0.8, 0.9, 44),
             forensics.LineMeasure(2.53, 0.75, 2.0, -1.5, 0.1, 0.8, 0.3, 44))  # a blurred photo, cut badly
    monkeypatch.setattr(forensics, "measure", lambda *a, **k: forensics.PrintMeasure(lines))
    read = MRZRead(parsed, 0.9, ((100.0, 650.0), (1100.0, 650.0), (1100.0, 730.0), (100.0, 730.0)),
                   engine="ocrb", page=np.full((800, 1200), 235, np.uint8))
    findings = {f.id: f for f in run_checks(CheckContext(parsed, TODAY, Settings(watchlist="/nonexistent"), read))
                if f.id in PRINT_IDS}
    assert findings["print.line_consistency"].status == "skip"
    assert "print.ocrb" not in findings
    assert (findings["print.proportions"].status, findings["print.proportions"].severity) == ("fail", "review")


def test_two_lines_crowded_together_are_a_line_pasted_out_of_place(monkeypatch):
    from screening import forensics

    parsed = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY).mrz.parsed
    read = MRZRead(parsed, 0.9, ((100.0, 650.0), (1100.0, 650.0), (1100.0, 730.0), (100.0, 730.0)),
                   engine="ocrb", page=np.full((800, 1200), 235, np.uint8))

    def consistency(second_baseline):
        lines = (forensics.LineMeasure(2.54, 2.5, -2.0, 0.0, 0.03, 0.8, 0.93, 44),
                 forensics.LineMeasure(2.54, 2.5, second_baseline, 0.1, 0.03, 0.8, 0.93, 44))
        monkeypatch.setattr(forensics, "measure", lambda *a, **k: forensics.PrintMeasure(lines))
        findings = run_checks(CheckContext(parsed, TODAY, Settings(watchlist="/nonexistent"), read))
        return next(f for f in findings if f.id == "print.line_consistency")

    crowded = consistency(1.7)  # 3.7 mm apart: 1.48 character heights
    assert crowded.status == "fail" and "too close" in crowded.message
    assert consistency(3.0).status == "pass"  # 5 mm: 2 character heights
