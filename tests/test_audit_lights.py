"""Audits of pages under white, infrared and ultraviolet light: a page's images are one item
(folders and zips alike), screened as one set; the report counts the light findings per post and
per series; a page whose UV features lie elsewhere than on its series' is a cross-document finding."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from screening.audit import AuditOptions, run_audit
from screening.audit import findings as cross
from screening.audit.executor import SerialExecutor
from screening.audit.report import post_of
from screening.audit.walk import walk

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_docs"
TODAY = dt.date(2026, 11, 23)


def light_images(defects=(), index=0) -> dict[str, bytes]:
    from screening.samples.generate import Options, Plan, make_document

    options = Options(out=Path("."), seed=15, today=TODAY, lights=True, course=False)
    return dict(make_document(Plan(index, "TD3", "reader_desk", tuple(defects), "icao_en"), options).images)


@pytest.fixture(scope="module")
def posts(tmp_path_factory) -> Path:
    """Two posts: post7 a folder (a complete set with an MRZ in non-IR ink, an incomplete set, an
    ordinary scan), post9 a zip (a clean complete set in a folder per document)."""
    root = tmp_path_factory.mktemp("posts")
    post7 = root / "post7"
    post7.mkdir()
    faded, clean = light_images(("mrz_non_ir_ink",)), light_images(index=1)
    for light, data in faded.items():
        (post7 / f"0001_{light}.jpg").write_bytes(data)
    for light in ("white", "ir"):
        (post7 / f"0002_{light}.jpg").write_bytes(clean[light])
    shutil.copy(SAMPLES / "001_td3_tkm_scan300.jpg", post7 / "scan.jpg")
    with zipfile.ZipFile(root / "post9.zip", "w") as archive:
        for light, data in clean.items():
            archive.writestr(f"doc17/{light}.jpg", data)
    return root


def test_the_walk_makes_one_item_per_set(posts):
    items = list(walk([posts / "post7", posts / "post9.zip"]))
    by_name = {Path(i.name.split("!")[-1]).name: i for i in items}
    assert len(items) == 4
    assert [light for light, _ in by_name["0001_white.jpg"].lights] == ["white", "ir", "uv"]
    assert [light for light, _ in by_name["0002_white.jpg"].lights] == ["white", "ir"]
    assert by_name["scan.jpg"].lights == ()
    member = by_name["white.jpg"]
    assert member.member == "doc17/white.jpg" and dict(member.lights)["uv"] == "doc17/uv.jpg"


def test_sets_are_screened_as_one_page_and_counted_per_post_and_series(posts, tmp_path):
    out = tmp_path / "audit"
    summary = run_audit(AuditOptions(archives=(str(posts / "post7"), str(posts / "post9.zip")), out=out, today=TODAY,
                                     progress=False), executor=SerialExecutor())
    assert summary.items == 4 and summary.pages == 4
    results = {Path(r["file"].split("!")[-1]).name: r
               for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert results["0001_white.jpg"]["lights"]["supplied"] == ["white", "ir", "uv"]
    checks = {c["id"]: c for c in results["0001_white.jpg"]["checks"]}
    assert checks["light.ir_mrz"]["status"] == "fail" and results["0001_white.jpg"]["verdict"] == "alert"
    assert results["0002_white.jpg"]["lights"]["missing"] == ["uv"]
    assert results["white.jpg"]["lights"]["missing"] == [] and results["white.jpg"]["verdict"] == "clear"
    assert "lights" not in results["scan.jpg"]
    report = (out / "report.html").read_text(encoding="utf-8")
    section = report[report.index("Under infrared and ultraviolet light"):report.index("Across documents")]
    rows = {m.group(1): [int(n) for n in re.findall(r"<td class='num'>(\d+)</td>", m.group(2))]
            for m in re.finditer(r"<tr><td>([^<]+)</td>(.*?)</tr>", section)}
    # pages under several lights, a light missing, MRZ fades in IR, paper glows, differs, no UV features, not run
    assert rows["post7"][:3] == [2, 1, 1] and rows["post9.zip"][:3] == [1, 0, 0]
    series = [name for name in rows if name not in ("post7", "post9.zip")]
    assert series and sum(rows[name][0] for name in series) == 3


def test_the_post_is_the_archive_given_to_the_audit():
    archives = ("/data/post7", "/data/post9.zip", "/data/post7/extra")
    assert post_of("/data/post7/2019/a_white.jpg", archives) == "post7"
    assert post_of("/data/post7/extra/b_white.jpg", archives) == "extra"  # the archive named most closely
    assert post_of("/data/post9.zip!doc/white.jpg", archives) == "post9.zip"
    assert post_of("/elsewhere/c_white.jpg", archives) == "elsewhere"


def _facts(name: str, grid, number="AB1234567") -> cross.PageFacts:
    return cross.PageFacts(name, "clear", ("P<...", "..."), "UTO", number, "X", "Y", "1990-01-01", "2030-01-01",
                           document_code="P", uv_grid=tuple(int(v) for v in np.ravel(grid)))


def test_a_page_whose_uv_features_lie_elsewhere_is_an_outlier_in_its_series():
    # Grids as measured (benchmarks/uv_series.py): a series' emblem fills two cells of the second
    # row; fibres put a point or so in the rest; a counterfeit's emblem lies elsewhere.
    rng = np.random.default_rng(3)
    series = []
    for i in range(6):
        grid = rng.integers(0, 3, (4, 8))
        grid[1, 2], grid[1, 3] = 20 + rng.integers(-2, 3), 14 + rng.integers(-2, 3)
        series.append(_facts(f"genuine-{i}", grid))
    assert list(cross.uv_series_outliers(series)) == []
    wrong = rng.integers(0, 3, (4, 8))
    wrong[2, 6], wrong[2, 7] = 21, 15
    found = list(cross.uv_series_outliers(series + [_facts("counterfeit", wrong)]))
    assert [f.files for f in found] == [("counterfeit",)] and found[0].kind == cross.UV_SERIES_OUTLIER
    message = found[0].summary.render()
    assert "6 other documents of its series UTO P AB…" in message and "points per cell" in message
    # Another series (another number block) is not compared with this one; nor is a series too small.
    assert list(cross.uv_series_outliers(series + [_facts("other", wrong, number="ZZ0000001")])) == []
    assert list(cross.uv_series_outliers(series[:3] + [_facts("counterfeit", wrong)])) == []


def _zip_with_a_damaged_member(path: Path, images: dict[str, bytes], damaged: str) -> None:
    """A zip of one document's lights in which ``damaged``'s stored bytes are altered (its CRC fails)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for light, data in images.items():
            archive.writestr(f"doc5/{light}.jpg", data)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"doc5/{damaged}.jpg")
    raw = bytearray(path.read_bytes())
    header = 30 + len(info.filename.encode()) + len(info.extra)  # the local header before the member's data
    start = info.header_offset + header + info.compress_size // 2
    raw[start:start + 64] = bytes(b ^ 0xFF for b in raw[start:start + 64])
    path.write_bytes(bytes(raw))


def test_one_unreadable_light_in_a_zip_or_a_folder_leaves_the_set_screened_without_it(tmp_path):
    clean = light_images(index=1)
    _zip_with_a_damaged_member(tmp_path / "post3.zip", clean, "ir")
    folder = tmp_path / "post4"
    folder.mkdir()
    for light, data in clean.items():
        (folder / f"0001_{light}.jpg").write_bytes(data if light != "uv" else b"not an image at all")
    out = tmp_path / "audit"
    run_audit(AuditOptions(archives=(str(tmp_path / "post3.zip"), str(folder)), out=out, today=TODAY, progress=False),
              executor=SerialExecutor())
    results = {Path(r["file"].split("!")[-1]).name: r
               for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert set(results) == {"white.jpg", "0001_white.jpg"}
    for name, broken, kept in (("white.jpg", "ir", "uv"), ("0001_white.jpg", "uv", "ir")):
        result = results[name]
        assert result["verdict"] != "unreadable" and result["mrz"] is not None, result["reasons"]
        checks = {c["id"]: c for c in result["checks"]}
        word = {"ir": "infrared", "uv": "ultraviolet"}[broken]
        broken_check, kept_check = ("light.ir_mrz", "light.uv_paper") if broken == "ir" else ("light.uv_paper", "light.ir_mrz")
        assert checks[broken_check]["status"] == "skip" and checks[broken_check]["severity"] == "review"
        assert f"the {word} image could not be read" in checks[broken_check]["message"]
        assert checks[kept_check]["status"] == "pass", checks[kept_check]["message"]
        assert result["lights"]["supplied"] == ["white", "ir", "uv"] and broken in result["lights"]["unreadable"]
        assert result["verdict"] == "review"
    # Why, in the reader's words: the zip member's damage, the folder file's decoding.
    assert "could not be unpacked" in results["white.jpg"]["lights"]["unreadable"]["ir"]
    assert "0001_uv.jpg" in results["0001_white.jpg"]["lights"]["unreadable"]["uv"]


def test_a_damaged_white_member_is_an_unreadable_page_whose_light_checks_say_why(tmp_path):
    _zip_with_a_damaged_member(tmp_path / "post5.zip", light_images(index=1), "white")
    out = tmp_path / "audit"
    run_audit(AuditOptions(archives=(str(tmp_path / "post5.zip"),), out=out, today=TODAY, progress=False),
              executor=SerialExecutor())
    (result,) = map(json.loads, (out / "results.jsonl").read_text().splitlines())
    assert result["verdict"] == "unreadable" and "could not be unpacked" in result["error"]["message"]
    checks = {c["id"]: c for c in result["checks"]}
    assert set(checks) == {"light.ir_mrz", "light.uv_paper", "light.consistency", "light.uv_features"}
    assert all(c["status"] == "skip" and "white-light image could not be read" in c["message"] for c in checks.values())


def test_resuming_an_audit_begun_before_light_sets_regroups_its_per_file_items(posts, tmp_path, monkeypatch, capsys):
    from screening import lights
    from screening.audit.store import Store

    out = tmp_path / "audit"
    archives = (str(posts / "post7"),)
    # The audit as it was begun before light sets: every file an item of its own...
    with monkeypatch.context() as before:
        before.setattr(lights, "group", lambda paths, *a, **k: [lights.LightSet(Path(p).stem, white=str(p), single=True)
                                                                for p in paths])
        run_audit(AuditOptions(archives=archives, out=out, today=TODAY, progress=False), executor=SerialExecutor())
    store = Store(out)
    store.db.execute("DELETE FROM meta WHERE key = 'item_keys'")  # ...whose store knew no set keys
    store.db.execute("UPDATE items SET done = 0 WHERE name LIKE '%0001_uv.jpg'")  # and was cut short
    store.close()
    assert len((out / "results.jsonl").read_text().splitlines()) == 6
    summary = run_audit(AuditOptions(archives=archives, out=out, today=TODAY, resume=True, progress=True),
                        executor=SerialExecutor())
    results = {Path(r["file"]).name: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert sorted(results) == ["0001_white.jpg", "0002_white.jpg", "scan.jpg"]  # no IR or UV page of its own
    assert "5 files screened one by one are screened again as 2 sets" in capsys.readouterr().err
    assert summary.items == 3 and summary.pages == 3
    assert results["0001_white.jpg"]["lights"]["supplied"] == ["white", "ir", "uv"]
    assert {c["id"]: c["status"] for c in results["0001_white.jpg"]["checks"]}["light.ir_mrz"] == "fail"
    assert results["0002_white.jpg"]["lights"]["missing"] == ["uv"]
    # Resumed again, nothing is regrouped or screened twice.
    again = run_audit(AuditOptions(archives=archives, out=out, today=TODAY, resume=True, progress=False),
                      executor=SerialExecutor())
    assert again.screened_now == 0 and again.pages == 3
