"""How the checks weigh an MRZ read by an engine that cannot say how sure it is of each character
(issue 17: ``--engine tesseract`` turned OCR noise into alerts on clean documents)."""

import dataclasses
import datetime as dt

import pytest

from screening.checks import SPECS, Settings
from screening.checks.registry import CheckContext
from screening.models import MRZRead
from screening.mrz.generate import MRZData, build_lines
from screening.mrz.parse import parse
from screening.pipeline import screen_parsed

from mrz_cases import TODAY, finding

CLEAN = MRZData(format="TD3", document_code="P", issuing_state="TJK", surname="Rahimov",
                given_names="Firdavs Karimovich", document_number="401234567", nationality="TJK",
                birth_date=dt.date(1988, 3, 14), sex="M", expiry_date=dt.date(2031, 6, 30))
REGION = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
ENGINE_NOTE = "which cannot tell a misread character from a printed error"


def clean_lines(**changes) -> list[str]:
    return list(build_lines(dataclasses.replace(CLEAN, **changes)))


def misread(lines, line, index, char) -> list[str]:
    """``lines`` with one character read as ``char``, as an OCR engine misreads it."""
    lines = list(lines)
    assert lines[line][index] != char
    lines[line] = lines[line][:index] + char + lines[line][index + 1:]
    return lines


def screen_read(lines, engine, watchlist="/nonexistent/watchlist.sqlite"):
    """The checks and verdict of ``lines`` as read from an image by ``engine`` (every character at
    0.99, as Tesseract's line confidence spread over a clear line; PassportEye gives none)."""
    confidences = () if engine == "passporteye" else tuple((0.99,) * len(line) for line in lines)
    read = MRZRead(parse(lines, today=TODAY), 0.99, REGION, engine=engine, char_confidences=confidences)
    return screen_parsed(read, file="page.png", today=TODAY, settings=Settings(watchlist=watchlist), timings={},
                         started=0.0)


def failing(result) -> dict[str, str]:
    return {f.id: f.severity for f in result.checks if f.status == "fail"}


# One misread character each, in a field a check digit, a code table or a field's syntax guards:
# (line, position, character read).
MISREADS = {
    "birth date check digit 8 -> 3": (1, 19, "3"),
    "document number digit 4 -> A": (1, 0, "A"),
    "issuing state TJK -> TJX": (0, 4, "X"),
    "nationality TJK -> TJR": (1, 12, "R"),
    "document code P -> F": (0, 0, "F"),
    "expiry month 06 -> 66": (1, 23, "6"),
    "sex M -> H": (1, 20, "H"),
}


@pytest.mark.parametrize("name", MISREADS)
def test_a_misread_character_is_an_alert_from_our_engine_and_a_review_from_a_peer(name):
    lines = misread(clean_lines(), *MISREADS[name])
    ours = screen_read(lines, "ocrb")
    assert ours.verdict == "alert", name  # read surely by our engine: as printed, evidence (unchanged)
    for engine in ("tesseract", "passporteye"):
        peer = screen_read(lines, engine)
        # The same checks fail, none of them as an alert, and the verdict still says to look.
        assert set(failing(peer)) == set(failing(ours)), (name, engine)
        assert set(failing(peer).values()) == {"review"}, (name, engine, failing(peer))
        assert peer.verdict == "review"
        for check_id, severity in failing(ours).items():
            if severity == "alert":
                weighed = finding(peer, check_id)
                assert weighed.message.startswith(finding(ours, check_id).message)
                assert f"read by the {engine} engine, {ENGINE_NOTE}" in weighed.message
                assert weighed.text.render() == weighed.message  # a template like any other (translated)


def test_typed_text_with_the_same_error_is_still_an_alert(screen):
    # Typed text is what a person gave: no engine misread it.
    result = screen(misread(clean_lines(), *MISREADS["birth date check digit 8 -> 3"]))
    assert finding(result, "mrz.check_digit.birth_date").severity == "alert"
    assert result.verdict == "alert"


@pytest.mark.parametrize("engine", ["tesseract", "passporteye"])
def test_a_clean_read_by_a_peer_is_never_clear(engine):
    # Every check passes, but which characters the engine may have misread is not known.
    result = screen_read(clean_lines(), engine)
    assert failing(result) == {}
    skipped = finding(result, "read.confidence")
    assert skipped.status == "skip" and skipped.severity == "review"
    assert f"The {engine} engine gives no confidence for each character" in skipped.message
    assert result.verdict == "review"


def test_our_engine_on_a_clean_read_is_clear():
    result = screen_read(clean_lines(), "ocrb")
    assert result.verdict == "clear", result.reasons
    assert finding(result, "read.confidence").status == "pass"


def test_a_watch_list_hit_stays_an_alert_whatever_engine_read_it(tmp_path):
    from screening import watchlist

    store = tmp_path / "watchlist.sqlite"
    with watchlist.Store(store) as listed:
        listed.import_csv("issuing_state,document_number,reason,source,date\n"
                          "TJK,401234567,stolen,police,2026-01-05\n")
    for engine in ("ocrb", "tesseract", "passporteye"):
        result = screen_read(clean_lines(), engine, watchlist=str(store))
        assert finding(result, "watchlist.hit").severity == "alert", engine
        assert ENGINE_NOTE not in finding(result, "watchlist.hit").message
        assert result.verdict == "alert", engine


def test_only_the_watch_list_hit_is_declared_beyond_a_misread():
    # A check added later is weighed by default: only a deliberate exception keeps its alerts.
    # The light checks measure the print's pixels under IR and UV (screening/checks/light.py), never a
    # character's value: no misreading can make them fail.
    assert {spec.id for spec in SPECS.values() if not spec.misread_can_fail} == {
        "watchlist.hit", "light.ir_mrz", "light.uv_paper", "light.consistency", "light.uv_features"}


def test_weighing_leaves_findings_of_our_engine_and_of_typed_text_alone():
    parsed = parse(misread(clean_lines(), *MISREADS["birth date check digit 8 -> 3"]), today=TODAY)
    failed = CheckContext(parsed, TODAY).failed("mrz.check_digit.birth_date", "Check digit wrong.", ["birth_date"])
    assert failed.severity == "alert"
    for read in (None, MRZRead(parsed), MRZRead(parsed, engine="ocrb", char_confidences=((0.99,) * 44,) * 2)):
        assert CheckContext(parsed, TODAY, read=read).weighed(failed) is failed
    peer = CheckContext(parsed, TODAY, read=MRZRead(parsed, engine="tesseract")).weighed(failed)
    assert (peer.status, peer.severity, peer.fields) == ("fail", "review", ("birth_date",))


@pytest.mark.parametrize("confidence", [0.0, 0.3, 0.9])
def test_the_tesseract_engine_keeps_tesseract_s_own_character_first(monkeypatch, confidence):
    # Name lines come back from Tesseract at a low confidence (their fillers): its character must still
    # be the likeliest, or the adapter turns its O's into D's and its '<' into K's itself.
    import numpy as np

    from screening import tesseract
    from screening.mrz.read import _recognise_tesseract
    from screening.mrz.recognize import ALPHABET

    line = "P<UZBTOSHMATOV<<OTKIR<<<<<<<<<<<<<<<<<<<<<<<"
    monkeypatch.setattr(tesseract, "read_line", lambda strip: (line, confidence))
    probabilities = _recognise_tesseract([np.zeros((40, 900), np.uint8)], len(line))
    assert "".join(ALPHABET[i] for i in probabilities[0].argmax(axis=1)) == line


def test_a_clean_page_read_by_tesseract_with_a_planted_misread_is_a_review(monkeypatch):
    # The whole way: a rendered page, Tesseract itself, the adapter, the decoder, the checks.
    from screening import tesseract
    from screening.pipeline import screen_file

    from pages import TD3_ERIKSSON, mrz_page

    real_read_line, planted = tesseract.read_line, []

    def misreading(strip, timeout_s=10.0):
        text, confidence = real_read_line(strip, timeout_s)
        if text.startswith(TD3_ERIKSSON[1][:9]):  # the number read: its check digit 6 misread as 5
            text = text[:9] + "5" + text[10:]
            planted.append(text)
        return text, confidence

    page = mrz_page(TD3_ERIKSSON, dpi=300)
    monkeypatch.setattr(tesseract, "read_line", misreading)
    (peer,) = screen_file(page, today=TODAY, engine="tesseract")
    assert planted, "Tesseract did not read the number line's start: the misread was not planted"
    assert peer.mrz is not None and peer.mrz.engine == "tesseract"
    assert not [f.id for f in peer.checks if f.severity == "alert"], peer.reasons
    assert any(ENGINE_NOTE in f.message for f in peer.checks if f.status == "fail")
    assert peer.verdict == "review"
    # The same error printed on the page and read by our engine is what it was: evidence.
    printed = [TD3_ERIKSSON[0], TD3_ERIKSSON[1][:9] + "5" + TD3_ERIKSSON[1][10:]]
    (ours,) = screen_file(mrz_page(printed, dpi=300), today=TODAY)
    assert finding(ours, "mrz.check_digit.document_number").severity == "alert"
    assert ours.verdict == "alert"


# ------------------------------------------------------------------ benchmarks/engines.py counting


def test_the_engines_benchmark_counts_verdicts_wrong_characters_and_alerting_checks():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "engines.py"
    spec = importlib.util.spec_from_file_location("engines_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    assert bench._wrong_characters(["AB<", "123"], ["AB<", "128"]) == 1
    assert bench._wrong_characters(["AB"], ["AB<", "123"]) is None  # another shape: not counted
    row = {"set": "clean", "engine": "tesseract", "verdict": "review", "error": None, "exact": True,
           "wrong_characters": 0, "alerts": [], "reviews": ["read.confidence"]}
    rows = [row, {**row, "verdict": "alert", "exact": False, "wrong_characters": 4,
                  "alerts": ["viz.surname", "print.ocrb"]},
            {**row, "verdict": "alert", "exact": False, "wrong_characters": 6, "alerts": ["viz.surname"]},
            {**row, "engine": "passporteye", "verdict": "unreadable", "error": "engine_missing", "exact": False,
             "wrong_characters": None}]
    summary = bench.summary(rows[:3])
    assert summary["exact"] == 1 and summary["verdicts"]["alert"] == 2 and summary["exact_alerts"] == 0
    assert summary["wrong"] == (4, 3) and summary["alerting"] == {"viz.surname": 2, "print.ocrb": 1}
    table = bench.table(rows, ("tesseract", "passporteye"), "clean")
    assert "| tesseract | 3 | 1 (33.3 %) | 4 (3 reads) | 0 (0.0 %) | 1 (33.3 %) | 2 (66.7 %) |" in table[2]
    assert table[2].endswith("`viz.surname` 2, `print.ocrb` 1 |")
    assert table[3].startswith("| passporteye | 1 | not installed |")
