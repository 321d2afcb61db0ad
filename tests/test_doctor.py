"""`screening doctor`, and the kiosk refusing to start when something required is missing."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from screening import doctor, fonts
from screening.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _lines(capsys) -> dict[str, str]:
    """The report's findings by the name of what they check, each with its fix line."""
    found, name = {}, None
    for line in capsys.readouterr().out.splitlines():
        if line.startswith(" ") and name:
            found[name] += "\n" + line.strip()
        elif ":" in line:
            name = line[8:].split(":")[0]
            found[name] = line
    return found


def _only_eng_tessdata(tmp_path: Path) -> dict[str, str]:
    """An environment whose Tesseract data folder holds English only (no Russian)."""
    from screening import tesseract

    source = tesseract._tessdata()
    if source is None:
        pytest.skip("no Tesseract data on this machine")
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    shutil.copy(Path(source) / "eng.traineddata", tessdata)
    return {**os.environ, "TESSDATA_PREFIX": str(tessdata), "PYTHONPATH": str(ROOT)}


def test_everything_here_is_reported_ok(tmp_path, capsys):
    assert main(["doctor", "--data", str(tmp_path / "kiosk")]) == 0
    lines = _lines(capsys)
    for name in ("recogniser model", "visual zone line model", "tesserocr (Tesseract library)", "Tesseract language data eng",
                 "Tesseract language data rus", "Tesseract language data kaz", "OCR-B font",
                 f"data folder {tmp_path / 'kiosk'}"):
        assert lines[name].startswith("ok "), lines[name]
    import importlib.util

    pyscard = importlib.util.find_spec("smartcard") is not None
    assert ("version" if pyscard else "not installed (optional)") in lines["chip reading (pyscard)"]
    assert not (tmp_path / "kiosk").exists()  # checked, not made


def test_a_missing_model_fails_with_its_fix(tmp_path, monkeypatch, capsys):
    from screening.mrz import recognize

    monkeypatch.setattr(recognize, "MODEL_PATH", tmp_path / "absent.onnx")
    monkeypatch.setattr(recognize._local, "net", None, raising=False)
    assert main(["doctor"]) == 1
    line = _lines(capsys)["recogniser model"]
    assert line.startswith("MISSING") and "absent.onnx" in line and "fix: reinstall the package" in line


def test_a_missing_visual_zone_model_fails_with_its_fix(tmp_path, monkeypatch, capsys):
    from screening import viz_ocr

    monkeypatch.setattr(viz_ocr, "MODEL_PATH", tmp_path / "absent.onnx")
    monkeypatch.setattr(viz_ocr._local, "net", None, raising=False)
    assert main(["doctor"]) == 1
    line = _lines(capsys)["visual zone line model"]
    assert line.startswith("MISSING") and "absent.onnx" in line and "tools/train_viz.py" in line


def test_missing_russian_language_data_fails_with_the_package_to_install(tmp_path):
    run = subprocess.run([sys.executable, "-m", "screening.cli", "doctor"], capture_output=True, text=True,
                         env=_only_eng_tessdata(tmp_path), cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "ok      Tesseract language data eng" in run.stdout
    assert "MISSING Tesseract language data rus" in run.stdout and "apt-get install tesseract-ocr-rus" in run.stdout
    assert "rus.traineddata" in run.stdout and "the kiosk will not start" in run.stdout


def test_a_data_folder_that_cannot_be_written_or_is_a_file_fails(tmp_path, monkeypatch, capsys):
    a_file = tmp_path / "kiosk.txt"
    a_file.write_text("")
    finding = doctor.check_data_dir(a_file)
    assert finding.failed and "is a file" in finding.detail

    def refused(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(doctor.tempfile, "NamedTemporaryFile", refused)
    assert main(["doctor", "--data", str(tmp_path / "kiosk")]) == 1
    line = _lines(capsys)[f"data folder {tmp_path / 'kiosk'}"]
    assert line.startswith("MISSING") and "Permission denied" in line and "write access" in line


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes into any folder")
def test_a_read_only_data_folder_fails(tmp_path):
    folder = tmp_path / "kiosk"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert doctor.check_data_dir(folder).failed
    finally:
        folder.chmod(0o700)


def test_missing_generator_fonts_are_reported_but_not_required(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(fonts, "FONT_DIRS", ())
    monkeypatch.setattr(fonts, "_fontconfig_files", lambda: [])
    monkeypatch.delenv("SCREENING_FONTS", raising=False)
    fonts.forget()
    try:
        assert main(["doctor"]) == 0
    finally:
        fonts.forget()
    lines = _lines(capsys)
    assert lines["OCR-B font"].startswith("ok ")  # shipped with the package
    generator = lines["specimen generator fonts"]
    assert generator.startswith("-") and "DejaVuSans.ttf" in generator and "SCREENING_FONTS" in generator


def test_pyscard_is_reported_when_installed(tmp_path, monkeypatch):
    (tmp_path / "smartcard").mkdir()
    (tmp_path / "smartcard" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    finding = doctor.check_pyscard()
    assert finding.status == doctor.OK and finding.name == "chip reading (pyscard)"


def test_the_kiosk_refuses_to_start_when_something_required_is_missing(tmp_path):
    data = tmp_path / "kiosk"
    run = subprocess.run([sys.executable, "-m", "screening.cli", "kiosk", "serve", "--data", str(data), "--port", "0"],
                         capture_output=True, text=True, env=_only_eng_tessdata(tmp_path), cwd=tmp_path, timeout=60)
    assert run.returncode == 2 and "The kiosk is at" not in run.stdout
    assert "Tesseract language data rus" in run.stderr and "fix: on Debian/Ubuntu: apt-get install tesseract-ocr-rus" \
        in run.stderr and "not started" in run.stderr
    assert not data.exists()  # refused before the data folder was made


def test_the_kiosk_refuses_a_data_folder_that_is_a_file(tmp_path, capsys):
    from kiosk.cli import main as kiosk_main

    a_file = tmp_path / "data"
    a_file.write_text("")
    assert kiosk_main(["serve", "--data", str(a_file), "--port", "0"]) == 2
    assert "is a file, not a folder; fix: give --data a folder" in capsys.readouterr().err
