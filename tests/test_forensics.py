"""Print forensics: pasted lines are flagged, genuine MRZs pass, typed MRZs and unmeasurable prints are skipped."""

from __future__ import annotations

import datetime as dt
import re

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from fraud_samples import generated
from screening import forensics
from screening.fonts import font_path
from screening.checks import CheckContext, Settings, run_checks
from screening.checks.forensics import MAX_EDGE_PX
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


def test_a_blank_page_cannot_be_measured_and_every_print_check_says_so_for_a_review():
    parsed = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY).mrz.parsed
    page = np.full((800, 1200), 235, np.uint8)
    read = MRZRead(parsed, 0.9, ((100.0, 650.0), (1100.0, 650.0), (1100.0, 730.0), (100.0, 730.0)),
                   engine="ocrb")
    findings = [f for f in run_checks(CheckContext(parsed, TODAY, Settings(watchlist="/nonexistent"), read, page=page))
                if f.id in PRINT_IDS]
    assert [(f.id, f.status, f.severity) for f in findings] == [
        ("print.line_consistency", "skip", "review"), ("print.ocrb", "skip", "review"),
        ("print.proportions", "skip", "review")]
    assert all("could not be measured" in f.message for f in findings)


def test_a_print_measured_at_half_its_height_is_not_compared_between_lines(monkeypatch):

    parsed = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY).mrz.parsed
    lines = (forensics.LineMeasure(2.55, 1.0, -2.0, 0.9, 0.1, 0.8, 0.9, 44),
             forensics.LineMeasure(2.53, 0.75, 2.0, -1.5, 0.1, 0.8, 0.3, 44))  # a blurred photo, cut badly
    monkeypatch.setattr(forensics, "measure", lambda *a, **k: forensics.PrintMeasure(lines))
    read = MRZRead(parsed, 0.9, ((100.0, 650.0), (1100.0, 650.0), (1100.0, 730.0), (100.0, 730.0)),
                   engine="ocrb")
    blank = np.full((800, 1200), 235, np.uint8)
    findings = {f.id: f for f in run_checks(CheckContext(parsed, TODAY, Settings(watchlist="/nonexistent"), read,
                                                         page=blank))
                if f.id in PRINT_IDS}
    assert (findings["print.line_consistency"].status, findings["print.line_consistency"].severity) == ("skip", "review")
    assert (findings["print.ocrb"].status, findings["print.ocrb"].severity) == ("skip", "review")
    assert (findings["print.proportions"].status, findings["print.proportions"].severity) == ("fail", "review")


def test_two_lines_crowded_together_are_a_line_pasted_out_of_place(monkeypatch):

    parsed = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                             "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=TODAY).mrz.parsed
    read = MRZRead(parsed, 0.9, ((100.0, 650.0), (1100.0, 650.0), (1100.0, 730.0), (100.0, 730.0)),
                   engine="ocrb")
    blank = np.full((800, 1200), 235, np.uint8)

    def consistency(second_baseline):
        lines = (forensics.LineMeasure(2.54, 2.5, -2.0, 0.0, 0.03, 0.8, 0.93, 44),
                 forensics.LineMeasure(2.54, 2.5, second_baseline, 0.1, 0.03, 0.8, 0.93, 44))
        monkeypatch.setattr(forensics, "measure", lambda *a, **k: forensics.PrintMeasure(lines))
        findings = run_checks(CheckContext(parsed, TODAY, Settings(watchlist="/nonexistent"), read, page=blank))
        return next(f for f in findings if f.id == "print.line_consistency")

    crowded = consistency(1.7)  # 3.7 mm apart: 1.48 character heights
    assert crowded.status == "fail" and "too close" in crowded.message
    assert consistency(3.0).status == "pass"  # 5 mm: 2 character heights


# --- Measured in the MRZ's rectified frame, judged against the page's own measuring error ---


TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def _page(lines, dpi=300, sizes=None, width_mm=125, height_mm=88, offsets_mm=None, pitches_mm=None, inks=None):
    """A plain page with the MRZ set in OCR-B at 2.54 mm pitch; ``sizes`` scales each line's characters
    (a pasted line), ``offsets_mm`` moves each line's start sideways, ``pitches_mm`` sets each
    line's pitch (a line printed apart) and ``inks`` each line's grey level (20: the page's own ink);
    returns the grey page and the MRZ's outline (its ink's corners)."""
    px = lambda mm: mm / 25.4 * dpi  # noqa: E731
    page = Image.new("L", (round(px(width_mm)), round(px(height_mm))), 235)
    draw = ImageDraw.Draw(page)
    sizes = sizes or [1.0] * len(lines)
    offsets_mm = offsets_mm or [0.0] * len(lines)
    pitches_mm = pitches_mm or [2.54] * len(lines)
    inks = inks or [20] * len(lines)
    for row, (line, size) in enumerate(zip(lines, sizes)):
        font = ImageFont.truetype(font_path("ocrb"), round(px(3.6) * size))
        baseline = px(height_mm - 6 - (len(lines) - 1 - row) * 5.0)
        for i, char in enumerate(line):
            x = px(7 + offsets_mm[row]) + (i + 0.5) * px(pitches_mm[row])
            draw.text((x, baseline), char, fill=inks[row], font=font, anchor="ms")
    grey = np.asarray(page, np.uint8).copy()
    ys, xs = np.nonzero(grey[round(px(height_mm * 0.6)):] < 128)
    ys = ys + round(px(height_mm * 0.6))
    x0, x1, y0, y1 = float(xs.min()), float(xs.max()), float(ys.min()), float(ys.max())
    return grey, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def _perspective(grey, outline, far_right=0.78):
    """The page photographed at an angle: its right edge ``far_right`` times as tall as its left."""
    h, w = grey.shape
    shrink = (1 - far_right) / 2 * h
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[0, 0], [w * 0.93, shrink], [w * 0.93, h - shrink], [0, h]])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(grey, matrix, (w, h), flags=cv2.INTER_AREA, borderValue=235)
    corners = cv2.perspectiveTransform(outline.reshape(-1, 1, 2).astype(np.float32), matrix).reshape(-1, 2)
    return warped, corners


def _screen(grey, outline, lines=TD3):
    parsed = check_mrz_text(list(lines), today=TODAY).mrz.parsed
    read = MRZRead(parsed, 0.95, tuple(map(tuple, outline.tolist())), engine="ocrb")
    return {f.id: f for f in run_checks(CheckContext(parsed, TODAY, Settings(watchlist="/nonexistent"), read, page=grey))
            if f.id in PRINT_IDS}


def test_a_strong_perspective_is_rectified_to_parallel_baselines_and_equal_pitches():
    flat, outline = _page(TD3)
    warped, corners = _perspective(flat, outline)
    measured = forensics.measure(warped, 0, corners, TD3)
    first, second = measured.lines
    # The warp makes the characters about a fifth smaller at the right: measured and removed.
    assert measured.capture.perspective > 0.12
    assert abs(first.angle_deg - second.angle_deg) < 0.1
    assert abs(first.pitch_mm / second.pitch_mm - 1) < 0.01
    assert abs(first.height_mm / second.height_mm - 1) < 0.03
    # Where the page's margin runs across the tilted lines is not known (the rectification keeps
    # the lines' direction), so their sideways places are not claimed: at most a review with figures.
    finding = _screen(warped, corners)["print.line_consistency"]
    assert finding.severity != "alert"
    assert finding.status == "pass" or "perspective of 22 %" in finding.message


def test_a_line_mostly_of_fillers_measures_as_high_as_a_line_of_digits():
    lines = ("P<UTOA<<B<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<", "1234567890UTO7408122F1204159<<<<<<<<<<<<<<06")
    grey, outline = _page(lines)
    filler_line, digit_line = forensics.measure(grey, 0, outline, lines).lines
    assert abs(filler_line.height_mm / digit_line.height_mm - 1) < 0.03
    assert _screen(grey, outline, lines)["print.line_consistency"].status == "pass"


def test_a_pasted_line_on_a_good_capture_is_an_alert_with_its_figures():
    grey, outline = _page(TD3, sizes=[1.0, 1.25])
    finding = _screen(grey, outline)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "alert")
    assert "measuring error" in finding.message and "mm" in finding.message


def test_a_pasted_line_on_a_blurred_capture_is_a_review_that_gives_the_figures():
    grey, outline = _page(TD3, sizes=[1.0, 1.25])
    blurred = cv2.GaussianBlur(grey, (0, 0), 6)
    measured = forensics.measure(blurred, 0, outline, TD3)
    assert measured.capture.edge_px > MAX_EDGE_PX
    finding = _screen(blurred, outline)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "review")
    assert "too poor" in finding.message and "edges blurred over" in finding.message


def test_a_pasted_line_on_a_low_resolution_capture_is_a_review():
    grey, outline = _page(TD3, sizes=[1.0, 1.25])
    factor = 0.3  # 300 dpi to 90: capitals about 9 pixels high
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    finding = _screen(small, outline * factor)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "review"), finding.message
    assert "pixels high" in finding.message


def test_proportions_off_on_a_shaken_capture_are_a_review_that_says_the_hand_shook():
    from screening import raster

    grey, outline = _page(TD3)
    shaken = cv2.filter2D(grey, -1, raster.motion_kernel(9, 165))
    finding = _screen(shaken, outline)["print.proportions"]
    assert (finding.status, finding.severity) == ("fail", "review")
    assert "too poor" in finding.message and "the hand shook" in finding.message
    assert "pitch to character height of" in finding.message  # the figures, still


def test_an_mrz_printed_too_large_on_a_still_capture_is_not_blamed_on_the_capture():
    grey, outline = _page(TD3, sizes=[1.5, 1.5])
    finding = _screen(grey, outline)["print.proportions"]
    assert (finding.status, finding.severity) == ("fail", "review")
    assert "too poor" not in finding.message and "Pitch to character height is" in finding.message


def test_a_genuine_page_under_blur_and_low_resolution_gets_no_alert():
    grey, outline = _page(TD3)
    for image, corners in ((cv2.GaussianBlur(grey, (0, 0), 4), outline),
                           (cv2.resize(grey, None, fx=0.35, fy=0.35, interpolation=cv2.INTER_AREA), outline * 0.35)):
        findings = _screen(image, corners)
        assert not [f for f in findings.values() if f.severity == "alert"], [f.message for f in findings.values()]


# --- A line printed apart starts off the others' margin ---


def test_a_line_set_off_sideways_on_a_scan_is_an_alert_naming_the_shift():
    grey, outline = _page(TD3, offsets_mm=[0.0, 0.6])
    finding = _screen(grey, outline)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "alert"), finding.message
    shift = float(re.search(r"line 2 is set ([\d.]+) mm to the right", finding.message).group(1))
    assert abs(shift - 0.6) < 0.1


def test_a_genuine_printers_small_pitch_difference_is_no_shift():
    # Both lines start at one margin; the second's pitch 0.3 % larger (genuine printers' spread)
    # moves its middle by 0.16 mm, its start not at all.
    grey, outline = _page(TD3, pitches_mm=[2.54, 2.54 * 1.003])
    assert _screen(grey, outline)["print.line_consistency"].status == "pass"


def _sheared(grey, outline, slant):
    """The page with the shear a tilted camera leaves (x moves by ``slant`` times y, about the MRZ's
    middle); the outline as the locator finds it, square to the lines (not sheared with them)."""
    cy = float(outline[:, 1].mean())
    matrix = np.float32([[1, slant, -slant * cy], [0, 1, 0]])
    return cv2.warpAffine(grey, matrix, grey.shape[::-1], flags=cv2.INTER_AREA, borderValue=235), outline


def _tilted(offsets_mm=(0.0, 0.0), slant=0.08):
    """A photo at an angle: perspective along the lines and the shear that comes with it (4.6°: the
    lines 0.35 mm apart sideways, beyond SHIFT_FLOOR)."""
    flat, outline = _page(TD3, offsets_mm=list(offsets_mm))
    return _sheared(*_perspective(flat, outline, far_right=0.9), slant=slant)


def test_a_camera_shear_is_measured_from_the_glyphs_and_sets_no_genuine_line_apart():
    grey, outline = _tilted()
    measured = forensics.measure(grey, 0, outline, TD3)
    assert measured.capture.perspective > 0.02
    assert measured.capture.unsheared and measured.capture.slant > 0.03  # (the rectification scales x)
    first, second = measured.lines
    assert abs(second.start_mm - first.start_mm) > 0.2  # as measured, the shear sets them apart
    first, second = forensics.unsheared(measured)
    assert abs(second.start_mm - first.start_mm) < 0.1 and abs(second.centre_mm - first.centre_mm) < 0.1
    assert _screen(grey, outline)["print.line_consistency"].status == "pass"


def test_a_line_set_off_sideways_on_a_sheared_tilted_capture_is_an_alert():
    grey, outline = _tilted(offsets_mm=(0.0, 0.7))
    finding = _screen(grey, outline)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "alert"), finding.message
    assert re.search(r"line 2 is set 0\.[67]\d mm to the right", finding.message), finding.message


def _upper_line_moved(grey, outline, dy):
    """The page with the MRZ's upper line moved down by ``dy(X)`` pixels (X: each pixel's column)."""
    h, w = grey.shape
    X, Y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    upper = Y < outline[:, 1].mean()
    return cv2.remap(grey, X, (Y - dy(X) * upper).astype(np.float32), cv2.INTER_LINEAR, borderValue=235)


def test_a_line_bent_at_one_end_is_a_review_and_a_line_askew_along_its_length_an_alert():
    grey, outline = _page(TD3)
    x0, x1 = outline[:, 0].min(), outline[:, 0].max()
    px = 300 / 25.4
    # A page curling by the spine: the upper line's left third bends 1 mm down, the rest straight.
    edge = x0 + 0.35 * (x1 - x0)
    curled = _upper_line_moved(grey, outline, lambda X: 1.0 * px * np.clip((edge - X) / (edge - x0), 0, None) ** 2)
    finding = _screen(curled, outline)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "review"), finding.message
    assert "not parallel" in finding.message and "both halves" in finding.message
    # Pasted 0.8° askew: apart over both halves.
    middle = (x0 + x1) / 2
    askew = _upper_line_moved(grey, outline, lambda X: np.tan(np.radians(0.8)) * (X - middle))
    finding = _screen(askew, outline)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "alert"), finding.message
    assert "not parallel" in finding.message


def test_a_line_whose_last_characters_glare_washed_out_keeps_its_pitch():
    """Glare over line 1's last fillers (a shadow_glare photo of the trust set: 34 of 36 boxes seen):
    its grid must not stretch over the cells seen, a genuine line 'at another pitch'."""
    grey, outline = _page(TD3)
    px = 300 / 25.4
    line1_bottom = round(88 * px - 6 * px - 5.0 * px + 0.8 * px)  # below line 1's baseline, above line 2's capitals
    grey[: line1_bottom, round(px * (7 + 2.54 * 41)):] = 235  # cells 42-44 of line 1 gone
    first, second = forensics.measure(grey, 0, outline, TD3).lines
    assert first.pitch_mm == pytest.approx(second.pitch_mm, rel=0.005)
    assert first.start_se_mm == float("inf")  # its end not seen: where the line starts is not claimed
    assert _screen(grey, outline)["print.line_consistency"].status == "pass"


def test_a_line_set_off_sideways_under_strong_perspective_is_an_alert_once_the_shear_is_measured(monkeypatch):
    flat, outline = _page(TD3, offsets_mm=[0.0, 0.7])
    warped, corners = _perspective(flat, outline, far_right=0.84)
    finding = _screen(warped, corners)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "alert"), finding.message
    assert "to the right of the other lines" in finding.message
    # Where the glyphs disagree on the shear (motion blur smears them its own way), the perspective
    # could account for the shift: a review with the figures.
    monkeypatch.setattr(forensics, "SLANT_SPREAD", 0.0)
    finding = _screen(warped, corners)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "review"), finding.message
    assert "too poor" in finding.message and "sideways place" in finding.message


# --- A line re-printed at another pitch, and a line printed in other ink ---


def test_a_line_reprinted_at_another_pitch_on_a_scan_is_an_alert_naming_the_pitch():
    # 3 % wider, its height unchanged: no keystone does that (it would make the line 6 % taller too).
    grey, outline = _page(TD3, pitches_mm=[2.54, 2.54 * 1.03])
    finding = _screen(cv2.GaussianBlur(grey, (0, 0), 1.2), outline)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "alert"), finding.message
    # (Of two lines, either may be the odd one: the page's scale is not known to the per mille.)
    assert re.search(r"line [12] has a pitch of", finding.message)


def test_a_line_reprinted_at_another_pitch_under_strong_perspective_is_a_review_with_the_figures():
    flat, outline = _page(TD3, pitches_mm=[2.54, 2.54 * 1.03])
    warped, corners = _perspective(flat, outline, far_right=0.84)
    finding = _screen(warped, corners)["print.line_consistency"]
    assert (finding.status, finding.severity) == ("fail", "review"), finding.message
    assert "keystone" in finding.message and re.search(r"line [12] has a pitch of", finding.message)


def test_a_line_in_lighter_ink_measures_as_high_as_the_others():
    # Blurred edges: cut at one ink level, the paler line's characters would come out shorter.
    grey, outline = _page(TD3, inks=[20, 60])
    blurred = cv2.GaussianBlur(grey, (0, 0), 2.0)
    line_1, line_2 = forensics.measure(blurred, 0, outline, TD3).lines
    assert abs(line_2.height_mm / line_1.height_mm - 1) < 0.02, (line_1.height_mm, line_2.height_mm)


def test_a_line_whose_glyphs_could_not_be_compared_with_ocrb_is_a_review_not_a_silent_skip(monkeypatch):
    # Too few glyphs cut on line 2 (ocrb_match None): the print is not known to be OCR-B.
    lines = (forensics.LineMeasure(2.54, 2.5, -2.0, 0.0, 0.03, 0.8, 0.9, 44, ocrb_se=0.01),
             forensics.LineMeasure(2.54, 2.5, 2.5, 0.0, 0.03, 0.8, None, 44))
    monkeypatch.setattr(forensics, "measure", lambda *a, **k: forensics.PrintMeasure(lines))
    grey, outline = _page(TD3)
    finding = _screen(grey, outline)["print.ocrb"]
    assert (finding.status, finding.severity) == ("skip", "review")
    assert finding.message.endswith("Compare the MRZ lines by eye.")


def test_a_line_somewhat_less_like_ocrb_is_a_review_and_much_less_an_alert(monkeypatch):
    def ocrb(first, second):
        lines = (forensics.LineMeasure(2.54, 2.5, -2.0, 0.0, 0.03, 0.8, first, 44, ocrb_se=0.01),
                 forensics.LineMeasure(2.54, 2.5, 2.5, 0.0, 0.03, 0.8, second, 44, ocrb_se=0.01))
        monkeypatch.setattr(forensics, "measure", lambda *a, **k: forensics.PrintMeasure(lines))
        grey, outline = _page(TD3)
        return _screen(grey, outline)["print.ocrb"]

    # A genuine photo's line of names against its line of digits measured 0.67 against 0.84.
    assert (ocrb(0.67, 0.86).status, ocrb(0.67, 0.86).severity) == ("fail", "review")
    assert (ocrb(0.55, 0.86).status, ocrb(0.55, 0.86).severity) == ("fail", "alert")
    assert ocrb(0.80, 0.86).status == "pass"
