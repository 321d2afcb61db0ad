"""The built wheel, installed where the checkout cannot be seen, works as the checkout does.

The editable install the other tests run on reads the model and tables straight from the
source tree, so a file left out of the package data would pass every other test and still
ship a kiosk that reads no image.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_docs" / "001_td3_tkm_scan300.jpg"


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """The wheel built from a copy of the tree (the checkout stays clean), and where it is installed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    for package in ("screening", "kiosk"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(source)],
                   check=True, cwd=work)
    (wheel,) = wheels.glob("screening-*.whl")
    site = work / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, cwd=work)
    return wheel, site


def test_wheel_holds_the_model_tables_and_kiosk_files(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("screening/mrz/models/ocrb.onnx", "screening/models/vizline.onnx", "screening/schema/result-v1.json",
                   "screening/data/validity_periods.json", "screening/data/fonts/OCRB.otf",
                   "screening/data/fonts/OCRB-LICENSE.txt", "kiosk/templates/base.html", "kiosk/static/kiosk.js"):
        assert needed in names, f"{needed} is not in the wheel"
    assert any(name.endswith(".dist-info/licenses/LICENSE") or name.endswith(".dist-info/LICENSE") for name in names)


def test_installed_wheel_reads_an_image(installed, tmp_path):
    _, site = installed
    # -P: the working directory is not put on sys.path; PYTHONPATH puts the installed copy before
    # the editable checkout, and the script checks that it was this copy that ran.
    script = (
        "import json, sys, screening\n"
        "from screening.pipeline import screen_file\n"
        f"assert screening.__file__.startswith({str(site)!r}), screening.__file__\n"
        "result = screen_file(sys.argv[1])[0]\n"
        "print(json.dumps(result.to_dict()))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-P", "-c", script, str(SAMPLE)], capture_output=True, text=True,
                         env=env, cwd=tmp_path, check=True)
    result = json.loads(run.stdout)
    rows = (ROOT / "sample_docs" / "answer_key.jsonl").read_text(encoding="utf-8").splitlines()
    key = {row["file"]: row for row in map(json.loads, rows)}
    assert result["verdict"] != "unreadable", result["reasons"]
    assert result["mrz"]["lines"] == key[SAMPLE.name]["mrz_lines"]


def test_installed_wheel_loads_the_viz_line_model(installed, tmp_path):
    _, site = installed
    script = (
        "import numpy as np, screening.viz_ocr as ocr\n"
        f"assert ocr.MODEL_PATH.is_relative_to({str(site)!r}), ocr.MODEL_PATH\n"
        "ocr.check_model()\n"
        "blank = np.full((20, 60), 255, np.uint8)\n"
        "print(repr(ocr.read_lines(blank, [(0, 0, 60, 20)])[0].text))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-P", "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "''"  # blank paper reads as nothing


def wheel_version(wheel: Path) -> str:
    return wheel.name.split("-")[1]


def test_doctor_finds_the_installed_wheels_model_and_font(installed, tmp_path):
    _, site = installed
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run([sys.executable, "-P", "-m", "screening.cli", "doctor", "--data", str(tmp_path / "kiosk")],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"ok      recogniser model: {site}" in run.stdout
    assert f"ok      OCR-B font: {site}" in run.stdout
    version = subprocess.run([sys.executable, "-P", "-m", "screening.cli", "--version"], capture_output=True,
                             text=True, env=env, cwd=tmp_path, check=True).stdout.strip()
    assert version == f"screening {wheel_version(installed[0])}"


def test_the_kiosk_refuses_to_start_without_the_model(tmp_path, monkeypatch, capsys):
    from kiosk.cli import main as kiosk_main
    from screening.mrz import recognize

    monkeypatch.setattr(recognize, "MODEL_PATH", tmp_path / "absent.onnx")
    monkeypatch.setattr(recognize._local, "net", None, raising=False)
    status = kiosk_main(["serve", "--data", str(tmp_path / "kiosk"), "--port", "0"])
    assert status == 2
    assert "recogniser model" in capsys.readouterr().err


def test_a_damaged_model_is_named_not_a_cv2_traceback(tmp_path, monkeypatch):
    from screening.mrz import recognize

    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not an onnx file")
    monkeypatch.setattr(recognize, "MODEL_PATH", broken)
    monkeypatch.setattr(recognize._local, "net", None, raising=False)
    with pytest.raises(recognize.ModelMissingError, match="damaged"):
        recognize.check_model()
