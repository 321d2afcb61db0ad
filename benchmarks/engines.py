"""Peer engines on clean documents: what each reading engine's verdicts are on genuine pages.

    .venv/bin/python benchmarks/engines.py [--count 60] [--seed 9303] [--workers 2] [--write]

The ``tesseract`` and ``passporteye`` engines read the MRZ without the per-character
confidences and check-digit-guided repair of our ``ocrb`` engine, so their misreads reach the
checks as if printed (issue 17). This measures what that costs an officer, every engine on the
same images in one run:

1. A seeded set of clean generated documents (no defect; the generator's scanner and phone
   captures, every format), cached in .cache/bench-engines/ (per seed, size and generator source).
2. ../shared/eval/real-dev (46 real specimen images), measured only. Specimens are often
   expired, use UTO, or carry deliberate errors: their verdicts are compared between engines,
   not against "clear".

Every image is screened with ``screening.pipeline.screen_file`` (today 2026-11-23, an empty
watch list), 2 worker processes. Per engine: exact MRZ (every character of every line), the
verdicts, alerts and reviews, and the check ids that raised the alerts (each counted once per
document). ``--rows`` keeps each screening's outcome; ``--before ROWS`` prints a table of an
earlier run's rows beside this one (the same set, another version of the code).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 23)
CACHE = ROOT / ".cache" / "bench-engines"
ENGINES = ("ocrb", "tesseract", "passporteye")
VERDICTS = ("clear", "review", "alert", "unreadable")


def _real_dev_default() -> Path:
    for candidate in (ROOT.parent / "shared" / "eval" / "real-dev", Path("/work/shared/eval/real-dev")):
        if (candidate / "truth.jsonl").exists():
            return candidate
    return ROOT.parent / "shared" / "eval" / "real-dev"


def clean_set(count: int, seed: int) -> list[dict]:
    """The clean documents: their image and MRZ, generated once per seed, size and generator source."""
    from benchmarks.trust import generator_version
    from screening.samples.generate import Options, generate

    folder = CACHE / f"seed{seed}-n{count}-{generator_version()}"
    key = folder / "answer_key.jsonl"
    if not key.exists():
        started = time.perf_counter()
        generate(Options(out=folder, count=count, seed=seed, today=TODAY, defects=(), clean_share=1.0, course=False))
        print(f"generated {count} clean documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    entries = [json.loads(line) for line in key.read_text(encoding="utf-8").splitlines()]
    return [{"set": "clean", "path": str(folder / e["file"]), "file": e["file"], "format": e["format"],
             "condition": e["condition"], "lines": e["mrz_lines"], "expected": e["expected_verdict"]}
            for e in entries]


def real_set(folder: Path) -> list[dict]:
    if not (folder / "truth.jsonl").exists():
        return []
    entries = [json.loads(line) for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    return [{"set": "real", "path": str(folder / e["file"]), "file": e["file"], "format": e["doc_type"],
             "condition": "real", "lines": e["mrz_lines"], "expected": None} for e in entries]


def screen_one(job: tuple[dict, str]) -> dict:
    item, engine = job
    from screening import tesseract
    from screening.checks.registry import Settings
    from screening.pipeline import screen_file

    tesseract.set_threads(1)  # the pool already uses every core
    result = screen_file(Path(item["path"]), today=TODAY, engine=engine,
                         settings=Settings(watchlist=os.environ["SCREENING_WATCHLIST"]))[0]
    lines = list(result.mrz.parsed.lines) if result.mrz is not None else []
    return {"set": item["set"], "file": item["file"], "format": item["format"], "condition": item["condition"],
            "engine": engine, "verdict": result.verdict, "error": result.error.code if result.error else None,
            "exact": lines == item["lines"] if item["lines"] else result.mrz is None,
            "wrong_characters": _wrong_characters(lines, item["lines"]),
            "alerts": sorted({f.id for f in result.checks if f.status == "fail" and f.severity == "alert"}),
            "reviews": sorted({f.id for f in result.checks if f.status in ("fail", "skip") and f.severity == "review"})}


def _wrong_characters(read: list[str], printed: list[str]) -> int | None:
    """Characters read wrong, where the reading has the printed lines' number and lengths; else None."""
    if not printed or [len(line) for line in read] != [len(line) for line in printed]:
        return None
    return sum(a != b for got, want in zip(read, printed) for a, b in zip(got, want))


# ------------------------------------------------------------------ counting (pure)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def summary(rows: list[dict]) -> dict:
    verdicts = Counter(r["verdict"] for r in rows)
    wrong = sorted(r["wrong_characters"] for r in rows if r.get("wrong_characters") is not None)
    return {"wrong": (wrong[len(wrong) // 2] if wrong else None, len(wrong)), "n": len(rows), "exact": sum(r["exact"] for r in rows), "verdicts": verdicts,
            "alerting": Counter(i for r in rows if r["verdict"] == "alert" for i in r["alerts"]),
            "exact_alerts": sum(1 for r in rows if r["exact"] and r["verdict"] == "alert"),
            "missing": sum(1 for r in rows if r["error"] == "engine_missing")}


def table(rows: list[dict], engines, subset: str) -> list[str]:
    out = ["| engine | images | exact MRZ | wrong characters (median; reads of the right shape) | clear | review | "
           "alert | unreadable | alerts on exact reads | checks that alerted (documents) |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for engine in engines:
        mine = [r for r in rows if r["engine"] == engine and r["set"] == subset]
        if not mine:
            continue
        s = summary(mine)
        n = s["n"]
        if s["missing"] == n:
            out.append(f"| {engine} | {n} | not installed | | | | | | | |")
            continue
        cells = [f"{s['verdicts'][v]} ({pct(s['verdicts'][v], n)})" for v in VERDICTS]
        ids = ", ".join(f"`{k}` {v}" for k, v in sorted(s["alerting"].items(), key=lambda kv: (-kv[1], kv[0])))
        median, shaped = s["wrong"]
        wrong = f"{median} ({shaped} reads)" if shaped else "-"
        out.append(f"| {engine} | {n} | {s['exact']} ({pct(s['exact'], n)}) | {wrong} | " + " | ".join(cells)
                   + f" | {s['exact_alerts']} | {ids or '-'} |")
    return out


def report(rows: list[dict], engines, args, before: list[dict] | None = None) -> str:
    clean = [r for r in rows if r["set"] == "clean"]
    documents = len({r["file"] for r in clean})
    conditions = ", ".join(sorted({r["condition"] for r in clean}))
    out = [f"Clean set: `benchmarks/engines.py --count {args.count} --seed {args.seed}`: {documents} generated "
           f"documents without defects (every format; captures {conditions}), every engine on the same images, "
           f"screened with `screen_file`, today {TODAY.isoformat()}, an empty watch list.", ""]
    out += ["### Clean generated documents", ""] + table(rows, engines, "clean")
    if before is not None:
        out += ["", "Before (the same images and engines, the code before the rule for engines without "
                    "per-character confidences):", ""] + table(before, engines, "clean")
    if any(r["set"] == "real" for r in rows):
        out += ["", "### Real development set (../shared/eval/real-dev, measured only; specimens, some expired or "
                    "with deliberate errors)", ""] + table(rows, engines, "real")
        if before is not None:
            out += ["", "Before:", ""] + table(before, engines, "real")
    return "\n".join(out)


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--real-dev", type=Path, default=_real_dev_default())
    parser.add_argument("--no-real", action="store_true", help="the clean generated set only")
    parser.add_argument("--rows", type=Path, help="write each screening's outcome here (JSON Lines)")
    parser.add_argument("--before", type=Path, help="rows of an earlier run (--rows) to print beside this one")
    parser.add_argument("--report", type=Path, metavar="ROWS",
                        help="print the tables of a run's rows (--rows) instead of screening again")
    parser.add_argument("--write", action="store_true",
                        help="replace the '## Peer engines on clean documents' section of docs/benchmarks.md")
    args = parser.parse_args()
    engines = tuple(args.engines.split(","))
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    # An empty store: a watch list imported on this computer must not decide the figures.
    os.environ["SCREENING_WATCHLIST"] = str(Path(tempfile.mkdtemp()) / "watchlist.sqlite")
    if args.report:
        rows = _load(args.report)
    else:
        items = clean_set(args.count, args.seed) + ([] if args.no_real else real_set(args.real_dev))
        jobs = [(item, engine) for item in items for engine in engines]
        started = time.perf_counter()
        with ProcessPoolExecutor(args.workers) as pool:
            rows = list(pool.map(screen_one, jobs, chunksize=1))
        print(f"screened {len(items)} images with {len(engines)} engines in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    if args.rows:
        args.rows.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    before = _load(args.before) if args.before else None
    text = report(rows, engines, args, before)
    print(text)
    if args.write:
        from benchmarks.report import write_section

        write_section(ROOT / "docs" / "benchmarks.md", "Peer engines on clean documents", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
