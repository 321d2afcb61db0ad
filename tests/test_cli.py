"""The `screening` command: readable and JSON output, exit statuses, bad input."""

import io
import json
import os
import subprocess
import sys

import pytest

from screening.cli import main

from mrz_cases import SPECIMENS

TD3_TEXT = "\n".join(SPECIMENS["TD3"]) + "\n"


def run(argv, stdin="", monkeypatch=None, capsys=None):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def test_typed_mrz_gives_a_readable_summary(monkeypatch, capsys):
    status, out, _ = run(["check", "--mrz-text", "-", "--today", "2026-11-23"], TD3_TEXT, monkeypatch, capsys)
    assert status == 0
    assert out.startswith("-: REVIEW")
    assert "ERIKSSON, ANNA MARIA" in out and "born 12.08.1974" in out
    assert "expired on 15.04.2012" in out and "Specimen" in out


def test_json_lines_one_result_per_document_in_input_order(monkeypatch, capsys, result_validator):
    text = "\n\n".join("\n".join(SPECIMENS[f]) for f in ("TD1", "TD2", "TD3", "MRV-A", "MRV-B"))
    status, out, _ = run(["check", "--mrz-text", "-", "--json", "--today", "2026-11-23"], text, monkeypatch, capsys)
    assert status == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["mrz"]["format"] for r in results] == ["TD1", "TD2", "TD3", "MRV-A", "MRV-B"]
    for result in results:
        result_validator.validate(result)
        assert result["file"] == "-" and result["verdict"] == "review"


def test_text_that_is_no_mrz_is_unreadable_with_exit_2(monkeypatch, capsys, result_validator):
    status, out, _ = run(["check", "--mrz-text", "-", "--json"], "hello world\n", monkeypatch, capsys)
    assert status == 2
    result = json.loads(out)
    result_validator.validate(result)
    assert result["verdict"] == "unreadable" and result["mrz"] is None
    assert result["error"]["code"] == "mrz_format_unknown"


def test_one_bad_document_among_good_ones_is_exit_1(monkeypatch, capsys):
    text = TD3_TEXT + "\nnot an mrz\n"
    status, out, _ = run(["check", "--mrz-text", "-"], text, monkeypatch, capsys)
    assert status == 1
    assert "REVIEW" in out and "UNREADABLE" in out and "An MRZ has 2 or 3 lines" in out


def test_junk_image_files_get_a_clear_error_per_file_and_the_run_goes_on(tmp_path, monkeypatch, capsys, result_validator):
    files = [tmp_path / "a.jpg", tmp_path / "b.png", tmp_path / "empty.jpg"]
    files[0].write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    files[1].write_bytes(b"hello")
    files[2].write_bytes(b"")
    status, out, _ = run(["check", *map(str, files), "--json"], "", monkeypatch, capsys)
    assert status == 2
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in results] == [str(f) for f in files]
    for r in results:
        result_validator.validate(r)
        assert r["verdict"] == "unreadable" and r["mrz"] is None
    assert [r["error"]["code"] for r in results] == ["image_truncated", "not_an_image", "empty_file"]


@pytest.mark.parametrize(
    "argv, stdin, message",
    [
        (["check"], "", "nothing to check"),
        (["check", "--mrz-text", "-"], "\n \n", "no MRZ text was given"),
    ],
)
def test_usage_errors_exit_2_with_a_message(monkeypatch, capsys, argv, stdin, message):
    status, _, err = run(argv, stdin, monkeypatch, capsys)
    assert status == 2 and message in err


def test_bad_today_is_a_usage_error(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(["check", "--mrz-text", "-", "--today", "23.11.2026"], TD3_TEXT, monkeypatch, capsys)
    assert exit_info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_missing_mrz_text_file_is_reported_not_raised(monkeypatch, capsys, tmp_path, result_validator):
    status, out, _ = run(["check", "--mrz-text", str(tmp_path / "nope.txt"), "--json"], "", monkeypatch, capsys)
    assert status == 2
    result = json.loads(out)
    result_validator.validate(result)
    assert result["error"]["code"] == "file_unreadable"


def test_the_installed_console_script_runs():
    proc = subprocess.run(
        [sys.executable, "-m", "screening.cli", "check", "--mrz-text", "-", "--json"],
        input=TD3_TEXT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["mrz"]["fields"]["document_number"] == "L898902C3"


def test_list_checks(monkeypatch, capsys):
    status, out, _ = run(["list-checks"], "", monkeypatch, capsys)
    assert status == 0 and "mrz.check_digit.composite" in out


def test_a_real_form_but_impossible_today_says_what_is_wrong(monkeypatch, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run(["check", "--mrz-text", "-", "--today", "2026-02-30"], TD3_TEXT, monkeypatch, capsys)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "not a calendar date" in err and "form YYYY-MM-DD" not in err


def test_a_folder_points_to_the_audit_and_the_other_files_go_on(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "scans"
    folder.mkdir()
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"hello")
    status, out, _ = run(["check", str(folder), str(junk), "--json"], "", monkeypatch, capsys)
    results = [json.loads(line) for line in out.splitlines()]
    assert status == 2 and len(results) == 2
    assert "screening audit" in results[0]["reasons"][0]
    assert results[1]["error"]["code"] == "not_an_image"


def test_list_checks_into_a_closed_pipe_stops_quietly():
    # `screening list-checks | head -1`: the reader has gone before the output is written.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "screening.cli", "list-checks"], stdout=write_end,
                              stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write_end)
    assert b"Traceback" not in proc.stderr and b"BrokenPipe" not in proc.stderr, proc.stderr
    assert proc.returncode == 141


def test_watchlist_import_of_no_valid_row_fails(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("issuing_state,document_number,reason,source,date\nXXXX,,stolen,,\n", encoding="utf-8")
    status = main(["watchlist", "--store", str(tmp_path / "wl.sqlite"), "import", str(bad)])
    assert status == 2
    assert "no valid entry" in capsys.readouterr().err


def test_kiosk_add_user_without_a_terminal_says_how(tmp_path):
    cli = [sys.executable, "-m", "screening.cli", "kiosk", "add-user", "ayna", "--role", "officer",
           "--data", str(tmp_path / "kiosk")]
    proc = subprocess.run(cli, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--password-stdin" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_typed_text_longer_than_one_mrz_is_refused_with_its_length(monkeypatch, capsys):
    status, out, _ = run(["check", "--mrz-text", "-", "--json"], "P<UTO" * 500, monkeypatch, capsys)
    result = json.loads(out)
    assert status == 2 and result["error"]["code"] == "mrz_text_too_long"
    assert "2500 characters" in result["reasons"][0]


def test_a_bug_on_one_file_is_an_internal_error_result_and_the_run_goes_on(tmp_path, monkeypatch, capsys, caplog):
    import screening.cli as cli

    monkeypatch.delenv("SCREENING_STRICT")  # as in use: the guard reports and goes on
    real = cli.screen_file

    def buggy(path, **kwargs):
        if str(path).endswith("a.png"):
            raise ZeroDivisionError("holder " + "ERIK" + "SSON")  # a bug whose text quotes a document's data
        return real(path, **kwargs)

    monkeypatch.setattr(cli, "screen_file", buggy)
    files = [tmp_path / "a.png", tmp_path / "b.png"]
    for f in files:
        f.write_bytes(b"hello")
    status, out, _ = run(["check", *map(str, files), "--json"], "", monkeypatch, capsys)
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["error"]["code"] for r in results] == ["internal_error", "not_an_image"]
    assert "please report it" in results[0]["reasons"][0] and "ERIKSSON" not in out
    assert "ZeroDivisionError" in caplog.text and "ERIKSSON" not in caplog.text


def test_version_is_the_packages_as_pyproject_and_the_changelog_give_it(capsys):
    import importlib.metadata
    import tomllib
    from pathlib import Path

    import screening

    root = Path(__file__).resolve().parents[1]
    declared = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"screening {declared}"
    assert screening.__version__ == declared == importlib.metadata.version("screening")
    assert f"## {declared}" in (root / "CHANGELOG.md").read_text(encoding="utf-8")
    licence = (root / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "The screening authors" in licence
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
