"""Trust benchmark (issue 12): held-out families first, then tuning families, then real pages.

    .venv/bin/python benchmarks/trust.py [--count 320] [--seed 12] [--workers 2] [--quick] [--write]

1. A seeded set from the generator across layout x printer x capture families
   (screening/samples/families.py). Each dimension is drawn independently, the held-out
   families of each given about 30 % of the documents so that each is measured on enough of
   them; half the documents are clean, half carry one defect of the registry (defects.py).
   Images are cached in .cache/bench-trust/. Every document is screened with
   ``screening.pipeline.screen_file`` (2 worker processes), the set's watch list imported
   into a temporary store, as benchmarks/fraud.py does.
2. ../shared/eval/real-dev (46 real specimen images with their MRZs), measured only.

Reported, held-out families first (a held-out family's figures cover every document of that
family, whatever its other two families), then the documents whose three families are all
tuning families:
- exact MRZ (every character of every line right) per capture, layout and printer family;
- alerts on clean documents, and the check ids that raised them;
- recall per defect (flagged: the verdict at least as severe as the defect's: alert for alert
  defects, review or alert for review defects), and how many were caught by a check the defect
  declares;
- the share of printed VIZ fields compared: a ``viz.*`` field finding with status pass, fail or
  warn counts as compared; skip, or no finding at all, as not compared (over documents whose
  MRZ was read; ``viz.specimen_overprint`` is no field).
Real-dev: exact MRZ count, ``print.*`` or ``viz.*`` alerts on genuine documents that read
exactly (listed), and the share of VIZ fields compared.

``--write`` replaces the ``## Trust`` section of docs/benchmarks.md; by default only prints.
"""

from __future__ import annotations

import argparse
import dataclasses
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
CACHE = ROOT / ".cache" / "bench-trust"
SEVERITY = {"clear": 0, "review": 1, "alert": 2, "unreadable": -1}
NEED = {"alert": 2, "review": 1}
HELD_OUT_SHARE = 0.3  # of the documents, per dimension, drawn from its held-out families
CLEAN_SHARE = 0.5
KINDS = ("layout", "printer", "capture")
VIZ_FIELDS = ("viz.surname", "viz.given_names", "viz.document_number", "viz.birth_date", "viz.expiry_date",
              "viz.sex")
COMPARED = ("pass", "fail", "warn")


def _real_dev_default() -> Path:
    for candidate in (ROOT.parent / "shared" / "eval" / "real-dev", Path("/work/shared/eval/real-dev")):
        if (candidate / "truth.jsonl").exists():
            return candidate
    return ROOT.parent / "shared" / "eval" / "real-dev"


# ------------------------------------------------------------------ the set


def _weighted(rng, names_all: tuple[str, ...], held: tuple[str, ...]) -> str:
    tuning = [n for n in names_all if n not in held]
    pool = held if held and rng.random() < HELD_OUT_SHARE else tuning
    return str(pool[int(rng.integers(0, len(pool)))])


def plan_set(count: int, seed: int):
    """Which document to make at each position: format, the three families, at most one defect."""
    import numpy as np

    from screening.samples import families
    from screening.samples.catalogue import DEFECTS, FORMATS
    from screening.samples.generate import Plan

    rng = np.random.default_rng([seed, 0])
    plans = []
    for index in range(count):
        fmt = str(FORMATS[int(rng.integers(0, len(FORMATS)))])
        chosen = {kind: _weighted(rng, families.names(kind), families.names(kind, held_out=True)) for kind in KINDS}
        labelled = families.get("layout", chosen["layout"]).params.get("labelled", True)
        pool = [d for d in DEFECTS if labelled or not DEFECTS[d].needs_labels]
        defects = () if rng.random() < CLEAN_SHARE else (str(pool[int(rng.integers(0, len(pool)))]),)
        plans.append(Plan(index, fmt, chosen["capture"], defects, chosen["layout"], chosen["printer"]))
    return plans


def make_one(args) -> dict:
    folder, plan_dict, seed = args
    from screening.samples.generate import Options, Plan, make_document

    plan = Plan(**{**plan_dict, "defects": tuple(plan_dict["defects"])})
    document = make_document(plan, Options(out=Path(folder), seed=seed, today=TODAY, course=False))
    (Path(folder) / document.entry["file"]).write_bytes(document.jpeg)
    return {"entry": document.entry, "watchlist": list(document.specimen.watchlist)}


def generate_set(count: int, seed: int, workers: int) -> tuple[Path, list[dict], list[dict]]:
    folder = CACHE / f"seed{seed}-n{count}"
    key = folder / "answer_key.jsonl"
    if key.exists():
        data = [json.loads(line) for line in key.read_text().splitlines()]
        return folder, [d["entry"] for d in data], [w for d in data for w in d["watchlist"]]
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(str(folder), dataclasses.asdict(p), seed) for p in plan_set(count, seed)]
    with ProcessPoolExecutor(workers) as pool:
        data = list(pool.map(make_one, jobs, chunksize=4))
    key.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in data))
    return folder, [d["entry"] for d in data], [w for d in data for w in d["watchlist"]]


# ------------------------------------------------------------------ screening


def screen_one(args) -> dict:
    path, info = args
    from screening import tesseract
    from screening.checks.registry import Settings
    from screening.pipeline import screen_file

    tesseract.set_threads(1)  # the pool already uses every core
    result = screen_file(Path(path), today=TODAY, settings=Settings(watchlist=os.environ["SCREENING_WATCHLIST"]))[0]
    lines = list(result.mrz.parsed.lines) if result.mrz is not None else []
    findings = {f.id: f.status for f in result.checks}
    return {**info, "verdict": result.verdict, "exact": lines == info["lines"], "read": result.mrz is not None,
            "fails": [f.id for f in result.checks if f.status == "fail"],
            "alerts": [f.id for f in result.checks if f.status == "fail" and f.severity == "alert"],
            "viz": {k: v for k, v in findings.items() if k in VIZ_FIELDS}}


def synthetic_jobs(folder: Path, entries: list[dict]) -> list[tuple[str, dict]]:
    return [(str(folder / e["file"]), {"file": e["file"], "format": e["format"], "layout": e["layout"],
                                       "printer": e["printer"], "capture": e["condition"],
                                       "held_out": e["held_out"], "defects": e["defects"],
                                       "expected": e["expected_verdict"], "lines": e["mrz_lines"]})
            for e in entries]


def real_jobs(folder: Path) -> list[tuple[str, dict]]:
    if not (folder / "truth.jsonl").exists():
        return []
    entries = [json.loads(line) for line in (folder / "truth.jsonl").read_text().splitlines()]
    return [(str(folder / e["file"]), {"file": e["file"], "format": e["doc_type"], "lines": e["mrz_lines"],
                                       "defects": [], "expected": "clear"}) for e in entries]


# ------------------------------------------------------------------ counting (pure, tested)


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def exact_count(rows: list[dict]) -> tuple[int, int]:
    return sum(r["exact"] for r in rows), len(rows)


def flagged(row: dict) -> bool:
    """The verdict is at least as severe as the defect's (unreadable counts as missed)."""
    return SEVERITY[row["verdict"]] >= NEED[row["expected"]]


def recall(rows: list[dict], defect: str) -> tuple[int, int]:
    mine = [r for r in rows if r["defects"] == [defect]]
    return sum(flagged(r) for r in mine), len(mine)


def caught_by_declared(rows: list[dict], defect: str, declared: tuple[str, ...]) -> int:
    """Flagged documents of ``defect`` where one of its declared checks failed."""
    return sum(1 for r in rows if r["defects"] == [defect] and flagged(r) and set(r["fails"]) & set(declared))


def clean_alerts(rows: list[dict]) -> tuple[int, int, Counter]:
    """Clean documents with an alert verdict, how many clean documents, and which check ids alerted."""
    clean = [r for r in rows if not r["defects"]]
    alarms = [r for r in clean if r["verdict"] == "alert"]
    return len(alarms), len(clean), Counter(i for r in alarms for i in r["alerts"])


def viz_compared(rows: list[dict]) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """Printed VIZ fields compared (pass/fail/warn) of all printed ones, over documents whose MRZ was read.

    A field with no finding at all counts as not compared; per field id too.
    """
    per: dict[str, list[int]] = {f: [0, 0] for f in VIZ_FIELDS}
    for r in rows:
        if not r["read"]:
            continue
        for f in VIZ_FIELDS:
            per[f][1] += 1
            per[f][0] += r["viz"].get(f) in COMPARED
    done = sum(v[0] for v in per.values())
    total = sum(v[1] for v in per.values())
    return done, total, {f: (v[0], v[1]) for f, v in per.items()}


def exact_table(rows: list[dict], kind: str, names: tuple[str, ...]) -> list[str]:
    out = [f"| {kind} | documents | exact MRZ | unreadable |", "|---|---|---|---|"]
    for name in names:
        mine = [r for r in rows if r[kind] == name]
        if not mine:
            continue
        done, total = exact_count(mine)
        unread = sum(not r["read"] for r in mine)
        out.append(f"| `{name}` | {total} | {done} ({pct(done, total)}) | {unread} |")
    return out


def alerts_line(rows: list[dict]) -> str:
    alarms, clean, ids = clean_alerts(rows)
    reviews = sum(1 for r in rows if not r["defects"] and r["verdict"] == "review")
    text = f"clean documents {clean}: alerts {alarms} ({pct(alarms, clean)})"
    if ids:
        text += " from " + ", ".join(f"`{k}` {v}" for k, v in ids.most_common())
    return text + f"; review {reviews} ({pct(reviews, clean)})"


def viz_line(rows: list[dict], per_field: bool = True) -> str:
    done, total, per = viz_compared(rows)
    text = f"VIZ fields compared: {done} of {total} ({pct(done, total)})"
    if per_field:
        text += " — " + ", ".join(f"`{f}` {pct(*per[f])}" for f in VIZ_FIELDS if per[f][1])
    return text


# ------------------------------------------------------------------ report


def report(rows: list[dict], real: list[dict], args) -> str:
    from screening.samples import families
    from screening.samples.catalogue import DEFECTS

    held = {kind: families.names(kind, held_out=True) for kind in KINDS}
    out = ["### Held-out families (measured only; nothing was tuned or trained on them)", "",
           "Held out: layout " + ", ".join(f"`{n}`" for n in held["layout"]) + "; printer "
           + ", ".join(f"`{n}`" for n in held["printer"]) + "; captures "
           + ", ".join(f"`{n}`" for n in held["capture"]) + ". Each row covers every document of that family, "
           "whatever its other two families.", ""]
    groups = [(kind, name, [r for r in rows if r[kind] == name]) for kind in KINDS for name in held[kind]]
    out += ["| held-out family | documents | exact MRZ | clean: alerts | VIZ fields compared |", "|---|---|---|---|---|"]
    for kind, name, mine in groups:
        done, total = exact_count(mine)
        alarms, clean, _ = clean_alerts(mine)
        vd, vt, _ = viz_compared(mine)
        out.append(f"| {kind} `{name}` | {total} | {done} ({pct(done, total)}) | {alarms} of {clean} "
                   f"({pct(alarms, clean)}) | {pct(vd, vt)} |")
    out += [""]
    for kind, name, mine in groups:
        out.append(f"- {kind} `{name}`: {alerts_line(mine)}; {viz_line(mine)}")
    out += ["", "Recall per defect on held-out families (flagged / documents):", "",
            "| defect | " + " | ".join(f"`{name}`" for _, name, _ in groups) + " | all held-out | by declared checks |",
            "|---|" + "---|" * (len(groups) + 2)]
    any_held = [r for r in rows if r["held_out"]]
    for defect, spec in DEFECTS.items():
        cells = []
        for _, _, mine in groups:
            hit, n = recall(mine, defect)
            cells.append(f"{hit}/{n}" if n else "-")
        hit, n = recall(any_held, defect)
        by = caught_by_declared(any_held, defect, spec.checks)
        out.append(f"| `{defect}` | " + " | ".join(cells) + f" | {hit}/{n} ({pct(hit, n)}) | {by} |")
    out += ["", "Exact MRZ on held-out documents per capture family (any held-out family):", ""]
    out += exact_table(any_held, "capture", families.names("capture"))

    tuning = [r for r in rows if not r["held_out"]]
    out += ["", "### Tuning families (documents whose layout, printer and capture are all tuning families)", ""]
    for kind in KINDS:
        out += exact_table(tuning, kind, families.names(kind, held_out=False)) + [""]
    out += [f"- {alerts_line(tuning)}", f"- {viz_line(tuning)}", "",
            "| defect | documents | flagged | by declared checks | declared checks |", "|---|---|---|---|---|"]
    for defect, spec in DEFECTS.items():
        hit, n = recall(tuning, defect)
        by = caught_by_declared(tuning, defect, spec.checks)
        out.append(f"| `{defect}` | {n} | {hit} ({pct(hit, n)}) | {by} | {', '.join(spec.checks)} |")

    out += ["", "### Real development set (../shared/eval/real-dev, measured only)", ""]
    if real:
        done, total = exact_count(real)
        genuine_exact = [r for r in real if r["exact"]]
        flagged_rows = [(r["file"], [a for a in r["alerts"] if a.startswith(("print.", "viz."))])
                        for r in genuine_exact]
        flagged_rows = [(f, a) for f, a in flagged_rows if a]
        out += [f"- exact MRZ: {done} of {total}",
                f"- `print.*` or `viz.*` alerts on genuine documents read exactly: {len(flagged_rows)} of "
                f"{len(genuine_exact)}" + ("" if not flagged_rows else ": " + "; ".join(
                    f"`{f}` ({', '.join(a)})" for f, a in flagged_rows)),
                f"- verdicts: " + ", ".join(f"{k} {v}" for k, v in Counter(r["verdict"] for r in real).most_common()),
                f"- {viz_line(real)}"]
        misses = [r["file"] for r in real if not r["exact"]]
        if misses:
            out.append("- not exact: " + ", ".join(f"`{m}`" for m in misses))
    else:
        out.append("(not found)")
    out += ["", f"Set: `benchmarks/trust.py --count {args.count} --seed {args.seed}`: {len(rows)} generated documents "
                f"(every format; per dimension about {HELD_OUT_SHARE:.0%} held-out families; {CLEAN_SHARE:.0%} clean, "
                f"the others one defect each), screened with `screen_file`, {args.workers} workers, today "
                f"{TODAY.isoformat()}."]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=320)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="a small set (60 documents) to check the script")
    parser.add_argument("--real-dev", type=Path, default=_real_dev_default())
    parser.add_argument("--write", action="store_true", help="replace the ## Trust section of docs/benchmarks.md")
    parser.add_argument("--no-write", dest="write", action="store_false")
    parser.add_argument("--rows", type=Path, help="also write each document's outcome here (JSON Lines)")
    args = parser.parse_args()
    if args.quick:
        args.count = 60
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    started = time.perf_counter()
    folder, entries, watch = generate_set(args.count, args.seed, args.workers)
    print(f"generated {len(entries)} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    from screening import watchlist

    store = Path(tempfile.mkdtemp()) / "watchlist.sqlite"
    with watchlist.Store(store) as wl:
        if watch:
            header = "issuing_state,document_number,reason,source,date\n"
            wl.import_csv(header + "".join(f"{w['issuing_state']},{w['document_number']},{w['reason']},"
                                           f"{w['source']},{w['date']}\n" for w in watch))
    os.environ["SCREENING_WATCHLIST"] = str(store)
    jobs = synthetic_jobs(folder, entries)
    real = real_jobs(args.real_dev)
    started = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        results = list(pool.map(screen_one, jobs + real, chunksize=2))
    print(f"screened {len(results)} documents in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    rows, real_rows = results[: len(jobs)], results[len(jobs):]
    if args.rows:
        args.rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results))
    text = report(rows, real_rows, args)
    print(text)
    if args.write:
        from benchmarks.report import write_section

        write_section(ROOT / "docs" / "benchmarks.md", "Trust", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
