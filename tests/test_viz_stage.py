"""The visual zone as a stage of its own: the stage reads (screening.viz_stage), the check only
compares what the stage's evidence holds (screening.checks.viz)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fraud_samples import generated
from mrz_cases import SPECIMENS
from screening import tesseract
from screening.checks import Settings
from screening.checks import viz as viz_check
from screening.checks.registry import CheckContext
from screening.imageio import open_pages
from screening.models import MRZRead, VizEvidence, VizLine, VizLineRead, VizReading, VizRecognition, VizReread
from screening.mrz.parse import parse
from screening.mrz.read import read_page
from screening.pipeline import screen_file
from screening.viz_stage import WHY, read_visual_zone

TODAY = dt.date(2026, 11, 23)
SETTINGS = Settings(watchlist="/nonexistent")


def _findings(evidence: VizEvidence) -> dict:
    """The visual zone check on ``evidence`` alone: no page (ctx.page None), no MRZ reading."""
    ctx = CheckContext(parse(SPECIMENS["TD3"], today=TODAY), TODAY, SETTINGS, viz=evidence)
    assert ctx.page is None
    return {f.id: f for f in viz_check.visual_zone(ctx)}


# The specimen's data page (ERIKSSON, ANNA MARIA, L898902C3, 12.08.1974, F, 15.04.2012), one line each.
_VALUES = {"surname": "ERIKSSON", "given_names": "ANNA MARIA", "document_number": "L898902C3",
           "birth_date": "12.08.1974", "sex": "F", "expiry_date": "15.04.2012"}


def _line(row: int, text: str, height: int = 24) -> VizLine:
    return VizLine((100, 60 * row + 30, 16 * max(len(text), 1), height), text, 0.95)


def test_the_check_compares_the_evidence_without_reading_a_page():
    # Every value printed verbatim: each field passes, from the evidence alone.
    lines = [_line(row, text) for row, text in enumerate(_VALUES.values())]
    evidence = VizEvidence(boxes=tuple(line.box for line in lines), value_like=tuple(range(len(lines))),
                           lines=tuple(VizLineRead(i, line, "tesseract", "labelled") for i, line in enumerate(lines)),
                           agreed=dict(zip(_VALUES, lines)))
    found = _findings(evidence)
    assert found["viz.surname"].status == "pass" and "ERIKSSON" in found["viz.surname"].message
    assert all(found[f"viz.{key}"].status == "pass" for key in _VALUES)

    # Another surname printed under a label read clearly, read so twice: an alert naming both.
    label = VizLine((100, 0, 120, 14), "Surname", 0.9)
    printed = VizLine((100, 20, 160, 24), "PETERSON", 0.95)
    others = {key: _line(row + 1, text) for row, (key, text) in enumerate(_VALUES.items()) if key != "surname"}
    boxes = (label.box, printed.box) + tuple(line.box for line in others.values())
    reading = VizReading((label, printed) + tuple(others.values()), {"surname": (printed,)},
                         found_by={"surname": "label"})
    evidence = VizEvidence(boxes=boxes, value_like=tuple(range(1, len(boxes))),
                           lines=tuple(VizLineRead(i, line, "tesseract", "label" if i == 0 else "labelled")
                                       for i, line in enumerate(reading.lines)),
                           agreed=others, reading=reading,
                           rereads=(VizReread(printed.box, "eng", 1.5, "PETERSON", 0.93),),
                           # our recogniser reads PETERSON too, ERIKSSON far less likely
                           recognitions=(VizRecognition(printed.box, "PETERSON", "ERIKSSON", "PETERSON", True, -20.0),))
    found = _findings(evidence)
    surname = found["viz.surname"]
    assert (surname.status, surname.severity) == ("fail", "alert"), surname.message
    assert "ERIKSSON" in surname.message and "PETERSON" in surname.message
    assert all(found[f"viz.{key}"].status == "pass" for key in others)


def test_a_reading_the_evidence_lacks_is_a_bug_not_a_skip():
    # The same alert's evidence without its second reading: the check cannot read it itself.
    label = VizLine((100, 0, 120, 14), "Surname", 0.9)
    printed = VizLine((100, 20, 160, 24), "PETERSON", 0.95)
    reading = VizReading((label, printed), {"surname": (printed,)}, found_by={"surname": "label"})
    evidence = VizEvidence(boxes=(label.box, printed.box), value_like=(1,),
                           lines=(VizLineRead(1, printed, "tesseract", "labelled"),), reading=reading)
    with pytest.raises(LookupError):
        _findings(evidence)


def _page_and_read():
    folder, entries = generated("none", 1, 31)
    image = next(open_pages(folder / entries[0]["file"]).decode()).image
    reading = read_page(image)
    parsed = parse(list(reading.lines), today=TODAY)
    read = MRZRead(parsed, reading.confidence, reading.polygon, engine="ocrb",
                   char_confidences=reading.char_confidences, quarter_turns=reading.quarter_turns)
    return folder / entries[0]["file"], image, read


def test_the_stage_says_which_lines_it_read_and_why_and_the_check_on_them_is_the_pipelines():
    path, image, read = _page_and_read()
    evidence = read_visual_zone(image, read, today=TODAY, settings=SETTINGS)
    assert evidence.failure is None and evidence.agreed
    read_lines = {line.index: line for line in evidence.lines}
    assert all(line.why in WHY and line.reader in ("tesseract", "viz_ocr") for line in read_lines.values())
    assert all(evidence.boxes[i] == line.line.box for i, line in read_lines.items())
    # Each field found verbatim names a line the stage read (its box), and says what it printed.
    for key, line in evidence.agreed.items():
        (index,) = [i for i, box in enumerate(evidence.boxes) if box == line.box]
        assert index in read_lines and read_lines[index].line.text == line.text
    # Plain data only: no pixels.
    assert not any(hasattr(value, "shape") for value in vars(evidence).values())
    # The check on the evidence alone gives the findings the pipeline gives.
    ctx = CheckContext(read.parsed, TODAY, SETTINGS, read, viz=evidence)
    alone = [(f.id, f.status, f.severity, f.message) for f in viz_check.visual_zone(ctx)]
    (result,) = screen_file(path, today=TODAY, settings=SETTINGS)
    assert alone == [(f.id, f.status, f.severity, f.message) for f in result.checks if f.id.startswith("viz.")]
    assert "viz" in result.timings_ms


def test_a_bug_inside_the_stage_propagates_and_a_tesseract_failure_is_the_skip(monkeypatch):
    from screening import viz_ocr

    path, image, read = _page_and_read()

    def broken(*args, **kwargs):  # our recogniser's reading, the first the stage makes
        return 1 / 0

    monkeypatch.setattr(viz_ocr, "read_lines", broken)
    with pytest.raises(ZeroDivisionError):
        read_visual_zone(image, read, today=TODAY, settings=SETTINGS)

    def without_model(*args, **kwargs):  # then Tesseract reads every line
        raise viz_ocr.ModelMissingError("no model here")

    def failing(*args, **kwargs):
        raise tesseract.TesseractError("tesseract exited with status 1")

    monkeypatch.setattr(viz_ocr, "read_lines", without_model)
    monkeypatch.setattr(tesseract, "read_text_lines", failing)
    evidence = read_visual_zone(image, read, today=TODAY, settings=SETTINGS)
    assert evidence.failure is not None and evidence.failure.kind == "tesseract" and not evidence.lines
    (result,) = screen_file(Path(path), today=TODAY, settings=SETTINGS)
    (skip,) = [f for f in result.checks if f.id.startswith("viz.")]
    assert (skip.status, skip.severity) == ("skip", "review")
    assert "could not be read" in skip.message and "status 1" in skip.message


@pytest.mark.parametrize("key, value, text, off", [
    ("surname", "KUZNETSOVA", "KLIZNETSOVA", 2), ("given_names", "ANNA<MARIA", "ANNA MARLA", 1),
    ("document_number", "V22552860", "¥22552860", 1), ("birth_date", "660819", "18-08-1966", 1),
    ("birth_date", "660819", "1808 1966", 1),  # no date read: its digits, the century aside
    ("expiry_date", "140114", "14-04-16", 2), ("surname", "KARIMOV", "REPUBLIC OF UZBEKISTAN", 18),
])
def test_how_far_a_reading_is_from_the_value_it_might_misread(key, value, text, off):
    from screening.viz_stage import _misread_by

    assert _misread_by(key, value, text) == off


def test_only_lines_read_close_to_a_missing_value_are_read_again_closer():
    """The closer reading is for a line that prints the value misread by a character or two; a
    line of the right width that reads as something else altogether is not read again."""
    from screening import viz
    from screening.viz_stage import CLOSER_EDITS, _read_closer

    class Zone:
        boxes = [(100, 50, 150, 23), (100, 90, 150, 23)]
        texts = ["KLIZNETSOVA", "MONTEREYSK"]  # a misread surname, and another line of its width
        again = []

        def value_like(self):
            return [0, 1]

        def is_read(self, i):
            return True

        def read(self, indices):
            return [viz.TextLine(self.boxes[i], self.texts[i], 0.9) for i in indices]

        def reread(self, line, lang="eng", scale=1.5):
            self.again.append(line.text)
            return viz.TextLine(line.box, "KUZNETSOVA" if line.text == "KLIZNETSOVA" else line.text, 0.9)

    zone = Zone()
    found = _read_closer(zone, {}, {"surname": "KUZNETSOVA"})
    assert found["surname"].text == "KUZNETSOVA" and zone.again == ["KLIZNETSOVA"] and CLOSER_EDITS >= 2


def _shaken_page():
    """A passport page photographed with a 12 px shake at 120 degrees (the MRZ and the small print
    smeared alike), and its MRZ."""
    import cv2
    import numpy as np

    from pages import icao_rows, td3, viz_page
    from screening.raster import motion_kernel

    lines = td3()
    page = viz_page(icao_rows({"document_number": "K52816473", "expiry_date": "31.12.2030"}), lines=lines, dpi=300)
    blurred = cv2.filter2D(page, -1, motion_kernel(12, 120.0)).astype(np.float32)
    noisy = blurred + np.random.default_rng(1).normal(0, 3, blurred.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8), lines


def _read_shaken(page):
    read = read_page(page)
    evidence = read_visual_zone(page, MRZRead(parse(read.lines, today=TODAY), region=read.polygon,
                                              quarter_turns=read.quarter_turns), today=TODAY, settings=SETTINGS)
    return read, evidence


def test_a_shaken_page_is_read_with_the_shake_undone(monkeypatch):
    from screening import raster

    page, lines = _shaken_page()
    read, evidence = _read_shaken(page)
    assert list(read.lines) == lines
    assert evidence.motion_blur is not None and abs(evidence.motion_blur[0] - 12) <= 1
    assert set(evidence.agreed) == {"surname", "given_names", "document_number", "birth_date", "expiry_date", "sex"}
    # As the page was read before: the MRZ misread and the visual zone's small print lost.
    monkeypatch.setattr(raster, "SHAKEN", float("inf"))
    read, evidence = _read_shaken(page)
    assert list(read.lines) != lines and evidence.motion_blur is None
    assert len(evidence.agreed) <= 2
