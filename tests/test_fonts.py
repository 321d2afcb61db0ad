"""Fonts found on any system: $SCREENING_FONTS, the OCR-B shipped with the package, fontconfig,
the usual folders; a missing face is named with what to install, never replaced by another."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from screening import fonts
from screening.cli import main


@pytest.fixture
def nowhere(monkeypatch, tmp_path):
    """No fontconfig, no system font folders, no $SCREENING_FONTS: only what the package ships."""
    monkeypatch.setattr(fonts, "FONT_DIRS", (str(tmp_path / "no-fonts-here"),))
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    monkeypatch.delenv("SCREENING_FONTS", raising=False)
    fonts.forget()
    yield tmp_path
    fonts.forget()


def test_ocrb_ships_with_the_package_and_is_found_first():
    fonts.forget()
    path = Path(fonts.font_path("ocrb"))
    assert path.parent == fonts.SHIPPED_DIR and path.name == "OCRB.otf"
    assert (fonts.SHIPPED_DIR / "OCRB-LICENSE.txt").is_file()


def test_without_any_system_font_ocrb_is_still_there_and_the_rest_is_named(nowhere):
    assert Path(fonts.font_path("ocrb")).parent == fonts.SHIPPED_DIR
    with pytest.raises(fonts.FontMissing) as missing:
        fonts.font_path("dejavu_sans")
    message = missing.value.message
    assert "DejaVuSans.ttf" in message and "fonts-dejavu-core" in message and "SCREENING_FONTS" in message
    assert missing.value.code == "font_missing"
    assert set(fonts.missing_faces()) == set(fonts.FACES) - {"ocrb"}


def test_a_folder_named_by_screening_fonts_is_searched(nowhere, monkeypatch):
    own = nowhere / "post-fonts"
    (own / "sub").mkdir(parents=True)
    shutil.copy(fonts.SHIPPED_DIR / "OCRB.otf", own / "sub" / "DejaVuSans.ttf")  # any font file under the name
    monkeypatch.setenv("SCREENING_FONTS", str(own))
    fonts.forget()
    assert fonts.font_path("dejavu_sans") == str(own / "sub" / "DejaVuSans.ttf")


def test_fontconfig_lists_the_system_fonts(monkeypatch):
    if shutil.which("fc-list") is None:
        pytest.skip("fontconfig is not installed here")
    listed = fonts._fontconfig_files()
    assert any(path.name == "DejaVuSans.ttf" for path in listed)
    # Found through fontconfig alone, with the folder search turned off.
    monkeypatch.setattr(fonts, "FONT_DIRS", ())
    fonts.forget()
    try:
        assert Path(fonts.font_path("dejavu_sans")).name == "DejaVuSans.ttf"
    finally:
        fonts.forget()


def test_generating_samples_without_their_fonts_is_one_line_naming_them(nowhere, capsys):
    assert main(["samples", "generate", "--out", str(nowhere / "set"), "--count", "1", "--seed", "1",
                 "--today", "2026-11-23", "--no-course"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("screening: the font ") and "install the package" in error
    assert "Traceback" not in error and len(error.strip().splitlines()) == 1
