"""Watch list: CSV import (bad rows named by line, good rows kept), hits, near hits, no list, CLI."""

from __future__ import annotations

import datetime as dt

from screening import watchlist
from screening.checks import Settings
from screening.cli import main
from screening.pipeline import check_mrz_text

TD3 = ["P<KAZOSPANOV<<ASKHAT<<<<<<<<<<<<<<<<<<<<<<<<", ""]


def _mrz(number: str) -> list[str]:
    from screening.mrz.checkdigit import check_digit

    line2 = f"{number}{check_digit(number)}KAZ8408130M3309047<<<<<<<<<<<<<<0"
    body = line2[:10] + line2[13:20] + line2[21:43]
    return [TD3[0], line2[:43] + check_digit(body)]


CSV = """issuing_state,document_number,reason,source,date
KAZ,N12345678,stolen,MVD,2025-01-02
KAZ,,lost,x,2024-01-01
12,AB123,lost,x,2020-01-01
KGZ,AC1234567,revoked,MVD,2023-13-01
RUS,7100 123456,lost,,
"""


def test_csv_bad_rows_are_named_by_line_and_good_rows_kept(tmp_path):
    with watchlist.Store(tmp_path / "w.sqlite") as store:
        report = store.import_csv(CSV)
        assert report.imported == 2
        assert [p.split(":")[0] for p in report.problems] == ["line 3", "line 4", "line 5"]
        numbers = [e.document_number for e in store.entries()]
    assert numbers == ["N12345678", "7100123456"]


def _screen(tmp_path, number):
    store = tmp_path / "w.sqlite"
    with watchlist.Store(store) as wl:
        wl.import_csv(CSV)
    return check_mrz_text(_mrz(number), today=dt.date(2026, 11, 23), settings=Settings(watchlist=str(store)))


def _finding(result, check_id):
    return [f for f in result.checks if f.id == check_id]


def test_hit_is_an_alert_naming_the_reason(tmp_path):
    result = _screen(tmp_path, "N12345678")
    assert result.verdict == "alert"
    (hit,) = _finding(result, "watchlist.hit")
    assert hit.status == "fail" and "stolen" in hit.message


def test_near_hit_one_confusable_character_is_review(tmp_path):
    result = _screen(tmp_path, "N1234567B")  # 8 read as B
    (hit,) = _finding(result, "watchlist.hit")
    (near,) = _finding(result, "watchlist.near_hit")
    assert hit.status == "pass" and near.status == "fail" and near.severity == "review"
    assert result.verdict == "review"


def test_a_number_not_listed_passes(tmp_path):
    result = _screen(tmp_path, "N99999999")
    assert _finding(result, "watchlist.hit")[0].status == "pass"
    assert not _finding(result, "watchlist.near_hit")
    assert result.verdict == "clear"


def test_no_watch_list_is_a_skip_that_does_not_move_the_verdict(tmp_path):
    result = check_mrz_text(_mrz("N12345678"), today=dt.date(2026, 11, 23),
                            settings=Settings(watchlist=str(tmp_path / "missing.sqlite")))
    (skip,) = _finding(result, "watchlist.hit")
    assert skip.status == "skip" and skip.severity is None
    assert result.verdict == "clear"
    assert not (tmp_path / "missing.sqlite").exists()


def test_cli_import_list_remove_with_store_and_environment(tmp_path, capsys, monkeypatch):
    csv_file = tmp_path / "list.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    store = tmp_path / "cli.sqlite"
    assert main(["watchlist", "--store", str(store), "import", str(csv_file)]) == 0
    out = capsys.readouterr()
    assert "imported 2 entries, skipped 3 bad rows" in out.out
    assert "line 4: issuing state '12'" in out.err
    monkeypatch.setenv("SCREENING_WATCHLIST", str(store))
    assert main(["watchlist", "list"]) == 0
    assert "KAZ,N12345678,stolen,MVD,2025-01-02" in capsys.readouterr().out
    assert main(["watchlist", "remove", "N12345678"]) == 0
    assert main(["watchlist", "list"]) == 0
    assert "N12345678" not in capsys.readouterr().out
    assert main(["watchlist", "--store", str(tmp_path / "none.sqlite"), "import", str(tmp_path / "nope.csv")]) == 2


LONG_TD1 = ["I<UTOD23145890<7349<<<<<<<<<<<", "3407127M9507122UTO<<<<<<<<<<<2", "STEVENSON<<PETER<JOHN<<<<<<<<<"]


def test_a_long_td1_number_is_looked_up_whole(tmp_path):
    # Doc 9303 Part 5's long number D23145890734: 9 characters in the field, the rest run on.
    store = tmp_path / "w.sqlite"
    with watchlist.Store(store) as wl:
        wl.import_csv("issuing_state,document_number,reason,source,date\nUTO,D23145890734,stolen,MVD,2025-01-02\n")
    result = check_mrz_text(LONG_TD1, today=dt.date(2020, 1, 1), settings=Settings(watchlist=str(store)))
    (hit,) = _finding(result, "watchlist.hit")
    assert hit.status == "fail" and "D23145890734" in hit.message


def _weakly_read(lines, weak_line: int, weak_position: int):
    """The MRZ as the reader would hand it over with one character read unsure."""
    from screening.models import MRZRead
    from screening.mrz.parse import parse

    confidences = tuple(tuple(0.3 if (i, j) == (weak_line, weak_position) else 0.99 for j in range(len(line)))
                        for i, line in enumerate(lines))
    return MRZRead(parse(lines, today=dt.date(2026, 11, 23)), 0.9, engine="ocrb", char_confidences=confidences)


def _screen_read(tmp_path, read):
    from screening.checks import CheckContext, run_checks

    store = tmp_path / "w.sqlite"
    with watchlist.Store(store) as wl:
        wl.import_csv(CSV)
    ctx = CheckContext(read.parsed, dt.date(2026, 11, 23), Settings(watchlist=str(store)), read)
    return {f.id: f for f in run_checks(ctx)}


def test_a_hit_on_a_hard_to_read_number_whose_check_digit_verifies_stays_an_alert(tmp_path):
    lines = _mrz("N12345678")
    found = _screen_read(tmp_path, _weakly_read(lines, 1, 3))
    assert found["read.confidence"].status == "fail"
    assert found["watchlist.hit"].status == "fail" and found["watchlist.hit"].severity == "alert"


def test_a_hit_whose_check_digit_fails_on_a_hard_to_read_number_is_a_review(tmp_path):
    lines = _mrz("N12345678")
    wrong = "0" if lines[1][9] != "0" else "1"
    lines = [lines[0], lines[1][:9] + wrong + lines[1][10:]]
    found = _screen_read(tmp_path, _weakly_read(lines, 1, 3))
    assert found["watchlist.hit"].status == "fail" and found["watchlist.hit"].severity == "review"
