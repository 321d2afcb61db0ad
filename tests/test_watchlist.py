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
