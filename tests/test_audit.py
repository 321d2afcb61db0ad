"""The batch audit: walking, bad files, resume after kill -9, duplicates, the Dask path, the report.

Archives are built from the curated specimens in sample_docs/ (screened in ~0.1-0.3 s each),
plus bad files made on the spot.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from screening.audit import AuditOptions, run_audit
from screening.audit import findings as cross
from screening.audit.executor import SerialExecutor
from screening.audit.walk import walk
from screening.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_docs"
TODAY = dt.date(2026, 11, 23)
# Flat scans of TD3 pages with different holders: the page fills the image at 300 dpi.
TD3_SCANS = ("001_td3_tkm_scan300.jpg", "008_td3_tkm_scan300.jpg", "014_td3_tkm_scan300.jpg",
             "020_td3_uto_scan300.jpg")


def audit(archives, out, **kwargs):
    options = AuditOptions(archives=tuple(str(a) for a in archives), out=Path(out), today=TODAY, progress=False,
                           **kwargs)
    return run_audit(options, executor=None if kwargs.get("dask_address") else SerialExecutor())


def read_results(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def bad_archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad")
    shutil.copy(SAMPLES / "002_td1_kgz_scan300.jpg", folder / "good.jpg")
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "truncated.jpg").write_bytes((SAMPLES / "001_td3_tkm_scan300.jpg").read_bytes()[:4000])
    (folder / "notes.png").write_text("this is not an image")
    (folder / "locked.pdf").write_bytes(_encrypted_pdf())
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "answer_key.jsonl").write_text("{}")  # not a supported type: not screened
    with zipfile.ZipFile(folder / "batch.zip", "w") as archive:
        archive.write(SAMPLES / "013_td1_tjk_scan300.jpg", "post7/2019/a.jpg")
        archive.writestr("post7/2019/cut.jpg", (SAMPLES / "001_td3_tkm_scan300.jpg").read_bytes()[:3000])
        archive.writestr("post7/readme.txt", "skipped")
    return folder


def test_walk_lists_images_and_zip_members_in_stable_order(bad_archive):
    names = [item.name[len(str(bad_archive)) + 1:] for item in walk([bad_archive])]
    assert names == ["batch.zip!post7/2019/a.jpg", "batch.zip!post7/2019/cut.jpg", "broken.zip", "empty.jpg",
                     "good.jpg", "locked.pdf", "notes.png", "truncated.jpg"]


def test_bad_files_become_unreadable_results_and_the_run_goes_on(bad_archive, tmp_path, result_validator, capsys):
    out = tmp_path / "out"
    status = main(["audit", str(bad_archive), "--out", str(out), "--workers", "1", "--today", "2026-11-23",
                   "--no-progress"])
    assert status == 0  # every input processed, whatever the verdicts
    results = {r["file"][len(str(bad_archive)) + 1:]: r for r in read_results(out)}
    for result in results.values():
        result_validator.validate(result)
    codes = {name: (r["error"] or {}).get("code") for name, r in results.items()}
    assert codes == {
        "batch.zip!post7/2019/a.jpg": None, "batch.zip!post7/2019/cut.jpg": "image_truncated",
        "broken.zip": "zip_unreadable", "empty.jpg": "empty_file", "good.jpg": None,
        "locked.pdf": "pdf_encrypted", "notes.png": "not_an_image", "truncated.jpg": "image_truncated",
    }
    assert all(results[n]["verdict"] == "unreadable" for n, code in codes.items() if code)
    assert results["batch.zip!post7/2019/a.jpg"]["mrz"]["fields"]["issuing_state"] == "TJK"
    # The member's own name in messages, not a temporary file's.
    assert "cut.jpg is truncated" in results["batch.zip!post7/2019/cut.jpg"]["reasons"][0]
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Password-protected PDF" in report and "locked.pdf" in report
    # Self-contained, opens offline: nothing fetched (the SVG namespace URI is only a name).
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", report) and "<link" not in report and "<script" not in report
    rows = (out / "summary.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(results)
    # A second run into the same folder without --resume is refused, not mixed in.
    assert main(["audit", str(bad_archive), "--out", str(out), "--no-progress"]) == 2


def _paste_portrait(source: Path, target: Path, picture: np.ndarray) -> None:
    """Photo substitution: another picture in the portrait box of a TD3 page (5-35 mm x 12-51 mm at 300 dpi)."""
    image = np.array(Image.open(source).convert("L"))
    x0, y0, x1, y1 = (round(v * 300 / 25.4) for v in (5, 12, 35, 51))
    image[y0:y1, x0:x1] = np.array(Image.fromarray(picture).resize((x1 - x0, y1 - y0), Image.BICUBIC))
    Image.fromarray(image).save(target, quality=92)


def _face(seed: int) -> np.ndarray:
    """A picture with structure at the scale a perceptual hash sees (a stand-in for a real face)."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(30, 230, (6, 5)).astype(np.uint8)
    return np.array(Image.fromarray(coarse).resize((300, 390), Image.BICUBIC))


@pytest.fixture(scope="module")
def duplicates_archive(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dups")
    first, second, third, _ = (SAMPLES / name for name in TD3_SCANS)
    shutil.copy(first, folder / "a.jpg")
    shutil.copy(first, folder / "a_again.jpg")  # the same file submitted twice
    # The same scan re-encoded (PNG, then a lower-quality JPEG): different bytes, different pixels.
    Image.open(first).save(folder / "a_reencoded.jpg", quality=60)
    _paste_portrait(second, folder / "b_face1.jpg", _face(1))
    _paste_portrait(third, folder / "c_face1.jpg", _face(1))  # the same face on another identity
    _paste_portrait(SAMPLES / TD3_SCANS[3], folder / "d_face2.jpg", _face(2))
    return folder


def test_duplicates_and_shared_portraits_are_found(duplicates_archive, tmp_path):
    out = tmp_path / "out"
    audit([duplicates_archive], out)
    results = {Path(r["file"]).name: r for r in read_results(out)}
    assert all(r["mrz"] is not None for r in results.values()), {n: r["reasons"] for n, r in results.items()}
    findings = cross.find_all(_facts(out))
    by_kind = {}
    for finding in findings:
        by_kind.setdefault(finding.kind, []).append({Path(f).name for f in finding.files})
    assert {"a.jpg", "a_again.jpg", "a_reencoded.jpg"} in by_kind[cross.DUPLICATE_IMAGE]
    assert {"b_face1.jpg", "c_face1.jpg"} in by_kind[cross.SHARED_PORTRAIT]
    assert not any("d_face2.jpg" in group for group in by_kind[cross.SHARED_PORTRAIT])
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "One portrait, different identities" in report and "The same image submitted more than once" in report


def test_the_portrait_of_an_upside_down_page_is_cut_upright():
    # The MRZ outline's corners start at its first character however the page lies, so the
    # portrait is found above the MRZ's start on a page scanned upside down too.
    from screening.audit.features import portrait_area
    from screening.imageio import load_pages
    from screening.mrz.read import read_page

    upright = load_pages(SAMPLES / "001_td3_tkm_scan300.jpg")[0].image
    turned = np.ascontiguousarray(np.rot90(upright, 2))
    crops = [portrait_area(page, "TD3", read_page(page).polygon) for page in (upright, turned)]
    assert all(crop is not None for crop in crops)
    assert np.abs(crops[0].astype(int) - crops[1].astype(int)).mean() < 12  # the same face, upright


def _facts(out: Path):
    from screening.audit.store import Store

    store = Store(out)
    try:
        return [cross.facts_from_result(r.result, r.file_digest, r.pixel_digest, r.image_hash, r.portrait_hash)
                for r in store.pages()]
    finally:
        store.close()


def _page(name, number, surname, birth, expiry="2030-01-01", state="KAZ", portrait=None):
    lines = (f"P<{state}{surname}", f"{number}{birth}{expiry}")
    return cross.PageFacts(name, "clear", lines, state, number, surname, "ANNA", birth, expiry, "F", state,
                           portrait_hash=portrait)


def test_one_number_with_two_holders_and_one_holder_with_two_numbers():
    pages = [
        _page("1.jpg", "N1234567", "IVANOVA", "1990-01-01"),
        _page("2.jpg", "N1234567", "PETROVA", "1985-05-05"),  # same number, another holder
        _page("3.jpg", "N7654321", "IVANOVA", "1990-01-01", state="RUS"),  # the holder of 1 again
        _page("4.jpg", "N5555555", "SIDOROVA", "1970-01-01"),
        _page("5.jpg", "N5555555", "SIDOROVA", "1970-01-01", expiry="2031-01-01"),  # same number, other expiry
    ]
    found = cross.find_all(pages)
    conflicts = [set(f.files) for f in found if f.kind == cross.NUMBER_CONFLICT]
    assert conflicts == [{"1.jpg", "2.jpg"}, {"4.jpg", "5.jpg"}]
    holders = [f for f in found if f.kind == cross.HOLDER_MANY_DOCUMENTS]
    assert [set(f.files) for f in holders] == [{"1.jpg", "3.jpg"}]
    assert "2 issuers" in str(holders[0].summary)


def test_a_portrait_on_many_identities_is_reported_once_as_a_placeholder():
    pages = [_page(f"{i}.jpg", f"N{i:07d}", f"NAME{chr(65 + i)}", "1990-01-01", portrait=0xF0F0F0F0F0F0F0F0 ^ (1 << i))
             for i in range(cross.PLACEHOLDER_IDENTITIES + 2)]
    found = [f for f in cross.find_all(pages) if f.kind in (cross.SHARED_PORTRAIT, cross.PLACEHOLDER_PORTRAIT)]
    assert [f.kind for f in found] == [cross.PLACEHOLDER_PORTRAIT]


def test_near_pairs_finds_exactly_the_pairs_within_the_distance():
    rng = np.random.default_rng(7)
    base = [int(v) for v in rng.integers(0, 2**63, 40, dtype=np.int64)]
    hashes = base + [h ^ (1 << int(rng.integers(0, 64))) ^ (1 << int(rng.integers(0, 64))) for h in base[:20]]
    brute = {(i, j) for i in range(len(hashes)) for j in range(i + 1, len(hashes))
             if (hashes[i] ^ hashes[j]).bit_count() <= 5}
    assert set(cross.near_pairs(hashes, 5)) == brute
    assert len(brute) >= 20


def _store_counts(out: Path) -> tuple[int, int]:
    path = out / "progress.sqlite"
    if not path.exists():
        return 0, 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
        try:
            return db.execute("SELECT sum(done), count(*) FROM items").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return 0, 0


def test_resume_after_kill_9_gives_exactly_one_result_per_file(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    names = sorted(p.name for p in SAMPLES.glob("*.jpg"))[:16]
    for name in names:
        shutil.copy(SAMPLES / name, archive / name)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "screening.cli", "audit", str(archive), "--out", str(out), "--workers", "1",
               "--today", "2026-11-23", "--no-progress"]
    # A session of its own, so the kill reaches the worker processes too, as a crash would.
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    done = total = 0
    while time.monotonic() < deadline and process.poll() is None:
        done, total = (v or 0 for v in _store_counts(out))
        if done >= 3:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the audit finished before it could be killed"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done, total = (v or 0 for v in _store_counts(out))
    assert total == len(names) and 3 <= done < total
    assert not (out / "results.jsonl").exists()

    summary = audit([archive], out, resume=True)
    assert summary.screened_now == total - done
    results = read_results(out)
    assert sorted(Path(r["file"]).name for r in results) == names  # every file once, none twice
    report = (out / "report.html").read_text(encoding="utf-8")
    assert report.count("local process pool, 1 worker") == 1 and "serial" in report  # both sessions listed


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning", "ignore::UserWarning")
def test_dask_cluster_screens_the_archive(bad_archive, tmp_path):
    distributed = pytest.importorskip("distributed")
    import cv2

    from screening import tesseract

    before = cv2.getNumThreads(), tesseract.threads()
    try:
        with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None,
                                      protocol="tcp") as cluster:
            summary = audit([bad_archive], tmp_path / "out", dask_address=cluster.scheduler_address)
            # The worker (in this process) was given its share of the cores: two task threads here.
            share = max(1, (os.cpu_count() or 1) // 2)
            assert (cv2.getNumThreads(), tesseract.threads()) == (share, share)
    finally:
        cv2.setNumThreads(before[0])
        tesseract.set_threads(before[1])
    results = read_results(tmp_path / "out")
    assert summary.items == len(results) == 8
    assert sum(r["verdict"] == "unreadable" for r in results) == 6
    assert "Dask cluster at tcp://" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def _crash_on_poison(item: str) -> str:
    if item == "poison":
        os._exit(1)  # what a decoder crash on a hostile file does to a worker
    return item


def test_a_worker_crash_costs_one_item_not_the_run():
    from screening.audit.executor import ProcessPoolExecutor

    done, failed = [], []
    items = ["a", "b", "poison", "c", "d"]
    ProcessPoolExecutor(workers=2).run(_crash_on_poison, items, done.append, lambda item, why: failed.append(item))
    assert sorted(done) == ["a", "b", "c", "d"] and failed == ["poison"]


def test_an_archive_without_images_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text("no scans here")
    assert main(["audit", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert "no images" in capsys.readouterr().err


def _pdf_pages(file: str, digest: str, people: list[str]) -> list:
    lines = lambda who: (f"P<UTO{who}<<ANNA".ljust(44, "<"), "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    return [cross.PageFacts(f"{file}#page={n}", "clear", lines(who), "UTO", "L898902C3", who, "ANNA",
                            file_digest=digest, pixel_digest=f"{file}-{n}") for n, who in enumerate(people, 1)]


def test_the_pages_of_one_pdf_are_not_one_image_submitted_again():
    pages = _pdf_pages("box/a.pdf", "same-bytes", ["ERIKSSON", "PETROV", "KARIMOV"])
    assert [f for f in cross.duplicate_images(pages) if f.kind == cross.DUPLICATE_IMAGE] == []


def test_a_copy_of_a_pdf_pairs_its_pages_page_by_page():
    people = ["ERIKSSON", "PETROV", "KARIMOV"]
    pages = _pdf_pages("box/a.pdf", "same-bytes", people) + _pdf_pages("copy/a.pdf", "same-bytes", people)
    duplicates = [f for f in cross.duplicate_images(pages) if f.kind == cross.DUPLICATE_IMAGE]
    assert sorted(f.files for f in duplicates) == sorted(
        (f"box/a.pdf#page={n}", f"copy/a.pdf#page={n}") for n in (1, 2, 3))


def test_progress_in_a_log_is_whole_lines(tmp_path):
    from screening.audit import LineProgress, _progress_bar

    with (tmp_path / "audit.log").open("w+", encoding="utf-8") as log:
        bar = _progress_bar(3, 2, 0, True, stream=log)
        assert isinstance(bar, LineProgress)
        for _ in range(3):
            bar.update(1)
            bar.set_postfix_str("flagged 1", refresh=False)
        bar.close()
        log.seek(0)
        text = log.read()
    assert "\r" not in text
    assert text.splitlines() == ["resuming: 2 files already screened, 3 to go",
                                 text.splitlines()[1]]
    assert text.splitlines()[1].startswith("screening: 3/3 files (100%)") and "flagged 1" in text


def test_a_bug_in_a_worker_is_one_internal_error_result(tmp_path, monkeypatch):
    from screening.audit import task
    from screening.audit.walk import Item

    monkeypatch.delenv("SCREENING_STRICT")

    def buggy(*args, **kwargs):
        raise KeyError("a bug")

    monkeypatch.setattr(task, "open_pages", buggy)
    path = tmp_path / "scan.jpg"
    path.write_bytes(b"x")
    outcome = task.screen_item(Item(str(path), str(path)), task.TaskOptions(today=dt.date(2026, 11, 23)))
    (page,) = outcome.pages
    assert page.verdict == "unreadable" and page.result["error"]["code"] == "internal_error"


def _session_processes(session_id: int) -> list[int]:
    """Processes of a session (Linux /proc): what a killed audit left behind."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session_id and fields[0] != "Z":  # field 6 of stat: the session id
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_sigkilled_audit_leaves_no_process_behind(tmp_path):
    archive = tmp_path / "archive"
    archive.mkdir()
    for name in sorted(p.name for p in SAMPLES.glob("*.jpg"))[:12]:
        shutil.copy(SAMPLES / name, archive / name)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "screening.cli", "audit", str(archive), "--out", str(out), "--workers", "2",
               "--today", "2026-11-23", "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        if (_store_counts(out)[0] or 0) >= 1 and len(_session_processes(process.pid)) >= 4:
            break  # the audit, the forkserver, the resource tracker and the workers are all up
        time.sleep(0.05)
    assert process.poll() is None, "the audit finished before it could be killed"
    assert len(_session_processes(process.pid)) >= 4
    os.kill(process.pid, signal.SIGKILL)  # the audit process alone, as the OOM killer would
    process.wait()
    deadline = time.monotonic() + 5
    while _session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = _session_processes(process.pid)
    for pid in left:  # do not leave them to the rest of the suite
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_an_out_that_is_a_file_or_cannot_be_written_is_one_line(tmp_path, monkeypatch, capsys):
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(sorted(SAMPLES.glob("*.jpg"))[0], archive)
    a_file = tmp_path / "report.txt"
    a_file.write_text("x")
    assert main(["audit", str(archive), "--out", str(a_file), "--no-progress"]) == 2
    assert "is a file" in capsys.readouterr().err

    import builtins

    real_open = builtins.open

    def full_disk(path, *args, **kwargs):
        if str(path).endswith(".screening-write-test"):
            raise OSError(28, "No space left on device")
        return real_open(path, *args, **kwargs)

    # As root, file modes do not stop the tests: refuse the write as a full or read-only disk would.
    monkeypatch.setattr(builtins, "open", full_disk)
    assert main(["audit", str(archive), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "cannot write into --out" in err and "No space left on device" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "progress.sqlite").exists()
