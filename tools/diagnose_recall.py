"""Why defects are missed, on tuning families only: each miss with what its declared checks said.

    PYTHONPATH=$PWD .venv/bin/python tools/diagnose_recall.py [--per-defect 40] [--clean 150] [--seed 31]
        [--defects reprinted_line,altered_field_recomputed,...] [--workers 2] [--rows out.jsonl]

Documents are drawn as benchmarks/trust.py draws them (its ``make_one`` makes each, its
``flagged`` decides recall), but only from the tuning families (every tuning layout x printer x
capture, in turn, so that each combination comes up), never from ``families.HELD_OUT``: this is
the set thresholds and fixes may be looked at on. Per defect it prints recall and, for each miss,
the capture, layout, printer and format, whether the MRZ read exactly, and every declared check's
status, severity and message; for the clean documents, the alerts and reviews and the checks that
raised them (what a fix must not make worse). Images are cached in ``.cache/diagnose-recall/``
(per seed, counts and generator source).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.trust import KINDS, TODAY, flagged, generator_version, make_one  # noqa: E402

CACHE = ROOT / ".cache" / "diagnose-recall"
WEAK = ("reprinted_line", "altered_field_recomputed", "viz_mismatch_number", "viz_mismatch_name", "birth_after_expiry")


def plan_tuning(defects: tuple[str, ...], per_defect: int, clean: int, seed: int):
    """Plans over the tuning families only: combinations in turn (shuffled), formats drawn."""
    import numpy as np

    from screening.samples import families
    from screening.samples.catalogue import DEFECTS, FORMATS
    from screening.samples.generate import Plan

    rng = np.random.default_rng([seed, 1])
    combos = list(itertools.product(*(families.names(kind, held_out=False) for kind in KINDS)))
    order = [combos[int(i)] for i in rng.permutation(len(combos))]
    wanted = [()] * clean + [(d,) for d in defects for _ in range(per_defect)]
    plans = []
    for index, chosen in enumerate(wanted):
        layout, printer, capture = order[index % len(order)]
        if chosen and DEFECTS[chosen[0]].needs_labels and not families.get("layout", layout).params.get("labelled", True):
            layout = "icao_en"
        fmt = str(FORMATS[int(rng.integers(0, len(FORMATS)))])
        plans.append(Plan(index, fmt, capture, chosen, layout, printer))
    return plans


def generate(plans, seed: int, workers: int, tag: str) -> tuple[Path, list[dict]]:
    folder = CACHE / f"seed{seed}-{tag}-{generator_version()}"
    key = folder / "answer_key.jsonl"
    if key.exists():
        return folder, [json.loads(line)["entry"] for line in key.read_text().splitlines()]
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(str(folder), dataclasses.asdict(p), seed) for p in plans]
    with ProcessPoolExecutor(workers) as pool:
        data = list(pool.map(make_one, jobs, chunksize=4))
    key.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data))
    return folder, [d["entry"] for d in data]


def screen(args) -> dict:
    path, entry = args
    from screening import tesseract
    from screening.checks.registry import Settings
    from screening.pipeline import screen_file

    tesseract.set_threads(1)
    result = screen_file(Path(path), today=TODAY, settings=Settings(watchlist=os.environ["SCREENING_WATCHLIST"]))[0]
    lines = list(result.mrz.parsed.lines) if result.mrz is not None else []
    return {"file": entry["file"], "format": entry["format"], "layout": entry["layout"], "printer": entry["printer"],
            "capture": entry["condition"], "defects": entry["defects"], "details": entry["details"],
            "expected": entry["expected_verdict"], "verdict": result.verdict, "exact": lines == entry["mrz_lines"],
            "read": result.mrz is not None, "truth": entry["mrz_lines"], "lines": lines,
            "viz_truth": entry["viz"],
            "findings": [{"id": f.id, "status": f.status, "severity": f.severity, "message": f.message}
                         for f in result.checks]}


def show(rows: list[dict], defects: tuple[str, ...]) -> None:
    from screening.samples.catalogue import DEFECTS

    for defect in defects:
        mine = [r for r in rows if r["defects"] == [defect]]
        hit = sum(flagged(r) for r in mine)
        declared = DEFECTS[defect].checks
        print(f"\n=== {defect}: {hit}/{len(mine)} flagged; declared {', '.join(declared)}")
        print("    misses by capture: " + ", ".join(
            f"{k} {v}" for k, v in Counter(r["capture"] for r in mine if not flagged(r)).most_common()))
        for r in mine:
            if flagged(r):
                continue
            print(f"- {r['file']} {r['format']} {r['layout']}/{r['printer']}/{r['capture']}: verdict {r['verdict']}, "
                  f"exact {r['exact']}")
            print(f"    planted: {' '.join(r['details'])}")
            if not r["exact"]:
                print(f"    read {r['lines']} truth {r['truth']}")
            for f in r["findings"]:
                if f["id"] in declared or f["status"] in ("fail", "warn") or (f["status"] == "skip" and f["severity"]):
                    print(f"    {f['id']}: {f['status']}/{f['severity']}: {f['message']}")
            missing = [c for c in declared if c not in {f["id"] for f in r["findings"]}]
            if missing:
                print(f"    no finding: {', '.join(missing)}")
    clean = [r for r in rows if not r["defects"]]
    verdicts = Counter(r["verdict"] for r in clean)
    raised = Counter(f["id"] for r in clean for f in r["findings"] if f["severity"] and f["status"] in ("fail", "skip"))
    print(f"\n=== clean {len(clean)}: " + ", ".join(f"{k} {v}" for k, v in verdicts.most_common()))
    print("    raising checks: " + ", ".join(f"{k} {v}" for k, v in raised.most_common()))
    for r in clean:
        if r["verdict"] == "alert":
            print(f"- ALERT {r['file']} {r['layout']}/{r['printer']}/{r['capture']}: " + "; ".join(
                f"{f['id']}: {f['message']}" for f in r["findings"] if f["severity"] == "alert" and f["status"] == "fail"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-defect", type=int, default=40)
    parser.add_argument("--clean", type=int, default=150)
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--defects", default=",".join(WEAK))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", help="screen only the documents of these defects (comma-separated; 'clean' "
                                       "for the clean ones): a quicker look at one check's change, on the same set")
    parser.add_argument("--rows", type=Path, help="write every document's outcome here (JSON Lines)")
    args = parser.parse_args()
    defects = tuple(args.defects.split(",")) if args.defects else ()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    plans = plan_tuning(defects, args.per_defect, args.clean, args.seed)
    tag = f"c{args.clean}-d{args.per_defect}-" + "-".join(d[:6] for d in defects)
    folder, entries = generate(plans, args.seed, args.workers, tag)
    if args.only:
        only = set(args.only.split(","))
        entries = [e for e in entries if (e["defects"][0] if e["defects"] else "clean") in only]
        defects = tuple(d for d in defects if d in only)
    os.environ["SCREENING_WATCHLIST"] = str(Path(tempfile.mkdtemp()) / "watchlist.sqlite")
    with ProcessPoolExecutor(args.workers) as pool:
        rows = list(pool.map(screen, [(str(folder / e["file"]), e) for e in entries], chunksize=2))
    if args.rows:
        args.rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    show(rows, defects)
    return 0


if __name__ == "__main__":
    sys.exit(main())
