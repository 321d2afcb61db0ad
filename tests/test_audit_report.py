"""`screening audit report`: the audit's report written again from results.jsonl without screening,
paged past its flagged-page limit, filtered, and in English or Russian."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from screening import check_mrz_text
from screening.audit import AuditOptions, run_audit
from screening.audit.executor import SerialExecutor
from screening.audit.report import LANGUAGES, ReportOptions, rerender
from screening.checks import SPECS
from screening.cli import REPORT_LANGUAGES, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_docs"
TODAY = dt.date(2026, 11, 23)
# An alert (the date of birth's and the composite check digits do not match) issued by TJK,
# and a review (the ICAO specimen, expired) issued by UTO.
TJK_ALERT = ["P<TJKRAHIMOV<<FIRDAVS<<<<<<<<<<<<<<<<<<<<<<<", "4012345676TJK8803145M3106305<<<<<<<<<<<<<<04"]
UTO_REVIEW = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TJK_CLEAR = ["P<TJKRAHIMOV<<FIRDAVS<<<<<<<<<<<<<<<<<<<<<<<", "4012345676TJK8803148M3106305<<<<<<<<<<<<<<04"]
RUSSIAN_REASON = "Контрольная цифра поля «Дата рождения» не совпадает (напечатана 5, вычислена 8)."


def _names(document: str) -> list[str]:
    """The files of the flagged cards in a report, in order."""
    return re.findall(r"</span> ([^<]+)</div><div class='holder'>", document)


def _without_time(document: str) -> str:
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", "TIME", document)


@pytest.fixture(scope="module")
def audited(tmp_path_factory) -> Path:
    """A real audit of three scans (one with an altered date of birth) and a junk file."""
    archive = tmp_path_factory.mktemp("archive")
    for name in ("001_td3_tkm_scan300.jpg", "016_td3_tjk_rotated180.jpg", "023_td3_afg_jpeg_low.jpg"):
        shutil.copy(SAMPLES / name, archive / name)
    (archive / "notes.png").write_text("not a picture")
    out = archive.parent / "out"
    run_audit(AuditOptions(archives=(str(archive),), out=out, today=TODAY, progress=False),
              executor=SerialExecutor())
    return out


@pytest.fixture
def many_flagged(tmp_path) -> Path:
    """An audit's results.jsonl alone (no progress.sqlite) with 650 flagged pages and 2 clear ones:
    400 TJK alerts, 250 UTO reviews."""
    alert = check_mrz_text(TJK_ALERT, today=TODAY).to_dict()
    review = check_mrz_text(UTO_REVIEW, today=TODAY).to_dict()
    assert (alert["verdict"], review["verdict"]) == ("alert", "review")
    clear = check_mrz_text(TJK_CLEAR, today=TODAY).to_dict()
    assert clear["verdict"] == "clear"
    rows = [{**(alert if n % 13 < 8 else review), "file": f"scan{n:04d}.jpg"} for n in range(650)]
    rows += [{**clear, "file": "clear-a.jpg"}, {**clear, "file": "clear-b.jpg"}]
    (tmp_path / "results.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                            encoding="utf-8")
    return tmp_path


def test_the_report_is_written_again_from_results_without_screening(audited, monkeypatch, capsys):
    from screening import pipeline

    def no_screening(*args, **kwargs):
        raise AssertionError("audit report must not screen")

    monkeypatch.setattr(pipeline, "screen_pages", no_screening)
    monkeypatch.setattr(pipeline, "read_page", no_screening)
    first = (audited / "report.html").read_text(encoding="utf-8")
    (audited / "report.html").unlink()
    assert main(["audit", "report", str(audited)]) == 0
    again = (audited / "report.html").read_text(encoding="utf-8")
    # The same report: thumbnails, findings across documents and the run's sessions from progress.sqlite.
    assert _without_time(again) == _without_time(first)
    assert "data:image/jpeg;base64," in again and "serial" in again
    assert "wrote" in capsys.readouterr().out


def test_flagged_pages_past_the_limit_go_on_in_further_files(many_flagged):
    written, totals = rerender(many_flagged)
    assert [p.name for p in written] == ["report.html", "report-2.html", "report-3.html"]
    assert totals.flagged_total == 650 and totals.pages == 652
    documents = [p.read_text(encoding="utf-8") for p in written]
    listed = [name for document in documents for name in _names(document)]
    assert sorted(listed) == [f"scan{n:04d}.jpg" for n in range(650)]  # every flagged page, once
    assert [len(_names(d)) for d in documents] == [300, 300, 50]
    # Alerts first, then reviews, each in walk order.
    verdicts = [v for d in documents for v in re.findall(r"class='badge' style='[^']+'>(\w+)</span>", d)]
    assert verdicts == ["alert"] * 400 + ["review"] * 250
    assert "href='report-2.html'" in documents[0] and "href='report-3.html'" in documents[0]
    assert "href='report.html'" in documents[2] and "Page 3 of 3" in documents[2]
    # Written from results.jsonl alone: it says what it lacks.
    assert "progress.sqlite is not in this folder" in documents[0]
    # Fewer pages later: the files left over from the longer report go.
    written, _ = rerender(many_flagged, ReportOptions(per_page=400))
    assert [p.name for p in written] == ["report.html", "report-2.html"]
    assert not (many_flagged / "report-3.html").exists()


def test_filters_list_only_the_flagged_pages_asked_for(many_flagged, capsys):
    assert main(["audit", "report", str(many_flagged), "--verdict", "review", "--name", "reviews"]) == 0
    document = (many_flagged / "reviews.html").read_text(encoding="utf-8")
    assert len(_names(document)) == 250 and "Listed: the 250 of 650 flagged pages with verdict review." in document
    assert (many_flagged / "report.html").exists() is False  # --name kept any first report
    assert main(["audit", "report", str(many_flagged), "--state", "tjk", "--per-page", "1000",
                 "--name", "tjk"]) == 0
    names = _names((many_flagged / "tjk.html").read_text(encoding="utf-8"))
    assert len(names) == 400
    assert main(["audit", "report", str(many_flagged), "--check", "mrz.check_digit", "--name", "digits",
                 "--per-page", "1000"]) == 0
    assert sorted(_names((many_flagged / "digits.html").read_text(encoding="utf-8"))) == sorted(names)
    assert main(["audit", "report", str(many_flagged), "--check", "status.specimen", "--name", "specimens",
                 "--per-page", "1000"]) == 0
    assert len(_names((many_flagged / "specimens.html").read_text(encoding="utf-8"))) == 250
    capsys.readouterr()


@pytest.mark.parametrize("arguments, message", [
    (["--check", "no.such.check"], "no such check"),
    (["--verdict", "clear"], "flagged pages are alert or review"),
    (["--per-page", "0"], "at least 1"),
    (["--name", "../elsewhere"], "plain file name"),
])
def test_options_the_report_cannot_honour_are_one_line(many_flagged, capsys, arguments, message):
    assert main(["audit", "report", str(many_flagged), *arguments]) == 2
    assert message in capsys.readouterr().err
    assert not (many_flagged / "report.html").exists()


def test_a_folder_without_results_is_a_usage_error(tmp_path, capsys):
    assert main(["audit", "report", str(tmp_path)]) == 2
    assert "no results.jsonl" in capsys.readouterr().err


def test_the_report_in_russian(many_flagged):
    [main_file, *_] = rerender(many_flagged, ReportOptions(language="ru", name="report-ru"))[0]
    document = main_file.read_text(encoding="utf-8")
    assert "<html lang=\"ru\">" in document
    for words in ("Отчёт о проверке архива", "Самые частые причины", "Документы с замечаниями", "Этот запуск",
                  "Контрольная цифра даты рождения (7-3-1, Doc 9303, часть 3, 4.9)",  # a check's title
                  RUSSIAN_REASON, "тревога", "Страница 1 из 3", "Следующая", "род. 1988-03-14"):
        assert words in document, words
    for english in ("Most common reasons", "Flagged documents", "Date of birth check digit does not match",
                    "This run", "Next"):
        assert english not in document, english


def test_every_check_title_has_a_russian_translation():
    from kiosk.locales import ru

    assert not [spec.title for spec in SPECS.values() if spec.title not in ru.MESSAGES]


def test_an_audit_writes_its_report_in_the_language_asked(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(SAMPLES / "023_td3_afg_jpeg_low.jpg", archive)
    assert main(["audit", str(archive), "--out", str(tmp_path / "out"), "--workers", "1", "--today", "2026-11-23",
                 "--no-progress", "--lang", "ru"]) == 0
    document = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Отчёт о проверке архива" in document and "Проверено страниц" in document


def test_the_command_line_offers_the_report_languages_there_are():
    assert REPORT_LANGUAGES == LANGUAGES
