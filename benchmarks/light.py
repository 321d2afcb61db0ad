"""Light checks benchmark: specimens under white, IR and UV light, screened as light sets end to end.

    .venv/bin/python benchmarks/light.py [--per-defect 40] [--clean 200] [--seed 15] [--workers 2] [--write]
    .venv/bin/python benchmarks/light.py --calibrate      # the spreads the thresholds were set from

Every document is made by the generator's ``--lights`` path (screening.samples.generate with
``Options(lights=True)``: the white image as a reader captures it, and the IR and UV images of
the same specimen), decoded from its JPEGs and screened with ``pipeline.screen_light_set``. The
capture families are the full-page reader families (families.py, kind "reader"), drawn in turn,
the held-out one included and reported first; formats, tuning layouts and tuning printers are
drawn at random. ``--per-defect`` documents carry each light defect alone; ``--clean`` are clean.
A light defect counts as caught when one of the checks it declares (defects.py) fails; clean
sets count false alarms: a light check failing as an alert, or as a review (skips counted with
reviews). "White only" screens each clean set's white image alone as a set (no IR, no UV): it
must raise no alert and no review from the light checks.

``--calibrate`` prints, per reader family, the raw measurements of the light checks on clean and
defective sets (the spreads screening/checks/light.py's thresholds name); the held-out reader is
shown but never used to set them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import statistics
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = dt.date(2026, 11, 23)


def plans(per_defect: int, clean: int, seed: int):
    import numpy as np

    from screening.samples import families
    from screening.samples.catalogue import FORMATS
    from screening.samples.defects import LIGHT_DEFECTS
    from screening.samples.generate import Plan

    readers = families.names("reader")
    layouts = families.names("layout", held_out=False)
    printers = families.names("printer", held_out=False)
    rng = np.random.default_rng([seed, 15])
    jobs = [(d,) for d in LIGHT_DEFECTS for _ in range(per_defect)] + [() for _ in range(clean)]
    out = []
    for index, defects in enumerate(jobs):
        out.append(Plan(index, str(rng.choice(FORMATS)), readers[index % len(readers)], defects,
                        str(rng.choice(layouts)), str(rng.choice(printers))))
    return out


def _decoded(data: bytes):
    from screening.imageio import load_bytes

    return load_bytes(data, "<jpeg>")[0].image


def screen_one(args) -> dict:
    plan, seed, calibrate = args
    from screening.checks import CheckContext, Settings
    from screening.checks import light as light_checks
    from screening.lights import LightSet, register
    from screening.pipeline import screen_light_set
    from screening.samples.generate import Options, make_document

    options = Options(out=Path("."), seed=seed, today=TODAY, lights=True, course=False)
    document = make_document(plan, options)
    images = {light: _decoded(data) for light, data in document.images.items()}
    started = time.perf_counter()
    result = screen_light_set(LightSet(f"{plan.index}", **images), today=TODAY, keep_images=calibrate)
    elapsed = (time.perf_counter() - started) * 1000
    white_only = screen_light_set(LightSet(f"{plan.index}", white=images["white"]), today=TODAY) \
        if not plan.defects else None
    row = {"index": plan.index, "reader": plan.condition, "format": plan.format, "layout": plan.layout,
           "defects": list(plan.defects), "verdict": result.verdict, "ms": elapsed,
           "light": {f.id: (f.status, f.severity) for f in result.checks if f.id.startswith("light.")},
           "messages": {f.id: f.message for f in result.checks if f.id.startswith("light.")},
           "white_only": None if white_only is None else
           {f.id: (f.status, f.severity) for f in white_only.checks if f.id.startswith("light.")},
           "white_only_verdict": None if white_only is None else white_only.verdict,
           "registration": result.lights.to_dict()["registration"] if result.lights is not None else {}}
    if calibrate and result.mrz is not None and result.lights is not None:
        context = CheckContext(result.mrz.parsed, TODAY, Settings(),
                               dataclasses.replace(result.mrz, page=images["white"]), lights=result.lights)
        views = light_checks._views(context)
        if views is not None and views.ir is not None:
            cells = light_checks.mrz_cells(views)
            retention = cells.retention() if cells else []
            median = cells.median() if cells else None
            measure = light_checks.viz_measure(views)
            row["measure"] = {
                "ir_mrz": median,
                "cell_min_share": (min(r for _, _, r in retention) / median) if retention and median else None,
                "run2_share": _run_share(retention, median, 2), "run3_share": _run_share(retention, median, 3),
                "paper_uv": measure.paper_uv if measure else None,
                "photo_ratio": (measure.photo_uv / max(measure.paper_uv, 1.0))
                if measure and measure.photo_uv is not None and measure.paper_uv is not None else None,
                "fluorescent": measure.fluorescent_share if measure else None,
            }
        # Another document's IR and UV against this white image: what registration must refuse.
        other = make_document(dataclasses.replace(plan, index=plan.index + 100000, defects=()), options)
        for light in ("ir", "uv"):
            registration, _ = register(images["white"], _decoded(other.images[light]), light)
            row.setdefault("unrelated", {})[light] = registration.response
    return row


def _run_share(retention, median, length: int) -> float | None:
    """The highest (share of the median) that a run of ``length`` adjacent characters on one line stays below."""
    if not retention or not median:
        return None
    by_line = defaultdict(dict)
    for line, pos, r in retention:
        by_line[line][pos] = r / median
    best = 0.0
    worst = None
    for cells in by_line.values():
        for pos in cells:
            run = [cells.get(pos + k) for k in range(length)]
            if None in run:
                continue
            value = max(run)  # the run is below this share of the median
            worst = value if worst is None else min(worst, value)
    return worst if worst is not None else best


def run(per_defect: int, clean: int, seed: int, workers: int, calibrate: bool) -> list[dict]:
    jobs = [(p, seed, calibrate) for p in plans(per_defect, clean, seed)]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(screen_one, jobs, chunksize=4))
    return [screen_one(job) for job in jobs]


def _caught(row: dict) -> bool:
    from screening.samples.defects import get

    wanted = set(get(row["defects"][0]).checks)
    return any(row["light"].get(check, ("", None))[0] == "fail" for check in wanted)


def _alerts(findings: dict | None) -> tuple[bool, bool]:
    findings = findings or {}
    alert = any(status == "fail" and severity == "alert" for status, severity in findings.values())
    review = any(severity == "review" and status in ("fail", "skip") for status, severity in findings.values())
    return alert, review


def report(rows: list[dict]) -> str:
    from screening.samples import families
    from screening.samples.defects import LIGHT_DEFECTS

    readers = list(families.names("reader", held_out=True)) + list(families.names("reader", held_out=False))
    header = ["reader"] + list(LIGHT_DEFECTS) + ["clean: alerts", "clean: reviews", "white only: alerts/reviews"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    totals = defaultdict(lambda: [0, 0])
    for reader in readers + ["all"]:
        mine = [r for r in rows if reader == "all" or r["reader"] == reader]
        cells = [f"**{reader}** (held out)" if reader in families.names("reader", held_out=True) else reader]
        for defect in LIGHT_DEFECTS:
            hits = [r for r in mine if r["defects"] == [defect]]
            caught = sum(_caught(r) for r in hits)
            cells.append(f"{caught}/{len(hits)} ({100 * caught / max(len(hits), 1):.0f} %)")
        clean_rows = [r for r in mine if not r["defects"]]
        alerts = sum(_alerts(r["light"])[0] for r in clean_rows)
        reviews = sum(_alerts(r["light"])[1] for r in clean_rows)
        white_alerts = sum(_alerts(r["white_only"])[0] for r in clean_rows)
        white_reviews = sum(_alerts(r["white_only"])[1] for r in clean_rows)
        n = max(len(clean_rows), 1)
        cells += [f"{alerts}/{len(clean_rows)} ({100 * alerts / n:.1f} %)",
                  f"{reviews}/{len(clean_rows)} ({100 * reviews / n:.1f} %)",
                  f"{white_alerts}/{white_reviews} of {len(clean_rows)}"]
        lines.append("| " + " | ".join(cells) + " |")
    clean_rows = [r for r in rows if not r["defects"]]
    verdicts = {v: sum(r["verdict"] == v for r in clean_rows) for v in ("clear", "review", "alert", "unreadable")}
    white = {v: sum(r.get("white_only_verdict") == v for r in clean_rows) for v in verdicts}
    lines.append("")
    lines.append("Verdicts of the clean sets, every check counted: with the lights "
                 + ", ".join(f"{v} {n}" for v, n in verdicts.items()) + "; white image alone "
                 + ", ".join(f"{v} {n}" for v, n in white.items()) + " (the white-light checks' own reviews, "
                 "e.g. a character read unsurely, are the same in both).")
    unread = sum(1 for r in rows if r["verdict"] == "unreadable")
    times = sorted(r["ms"] for r in rows)
    lines.append("")
    lines.append(f"{len(rows)} sets; {unread} unreadable (counted as missed or, clean, as no alarm); screening a set "
                 f"(white read, registration, light checks): median {statistics.median(times):.0f} ms, 90th "
                 f"percentile {times[int(0.9 * (len(times) - 1))]:.0f} ms (this run's machine, one at a time per worker).")
    return "\n".join(lines)


def calibration(rows: list[dict]) -> str:
    from screening.samples import families

    keys = ("ir_mrz", "cell_min_share", "run2_share", "run3_share", "paper_uv", "photo_ratio", "fluorescent")
    lines = []
    groups = defaultdict(list)
    for row in rows:
        if "measure" in row:
            groups[(row["reader"], tuple(row["defects"]))].append(row)
    held = set(families.names("reader", held_out=True))
    for (reader, defects), members in sorted(groups.items(), key=lambda kv: (kv[0][0] not in held, kv[0])):
        parts = []
        for key in keys:
            values = [m["measure"][key] for m in members if m["measure"].get(key) is not None]
            if values:
                parts.append(f"{key} {min(values):.2f}..{max(values):.2f}")
        unrelated = {light: max(m["unrelated"][light] for m in members if "unrelated" in m) for light in ("ir", "uv")}
        genuine = {light: min(m["registration"][light]["response"] for m in members if light in m["registration"])
                   for light in ("ir", "uv")}
        shift = max(max(abs(v) for v in m["registration"][light]["shift"]) for m in members
                    for light in ("ir", "uv") if light in m["registration"])
        lines.append(f"{reader}{' (held out)' if reader in held else ''} {'+'.join(defects) or 'clean'} "
                     f"(n={len(members)}): " + "; ".join(parts)
                     + f"; response min ir {genuine['ir']:.3f} uv {genuine['uv']:.3f}, unrelated max ir "
                       f"{unrelated['ir']:.3f} uv {unrelated['uv']:.3f}; |shift| max {shift:.1f}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-defect", type=int, default=40)
    parser.add_argument("--clean", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--calibrate", action="store_true", help="print the raw measurements' spreads")
    parser.add_argument("--write", action="store_true", help="replace the ## Light section of docs/benchmarks.md")
    args = parser.parse_args()
    rows = run(args.per_defect, args.clean, args.seed, args.workers, args.calibrate)
    if args.calibrate:
        print(calibration(rows))
        print()
    text = report(rows)
    print(text)
    failures = [r for r in rows if r["defects"] and not _caught(r)]
    for row in failures[:12]:
        print(f"missed {row['defects'][0]} ({row['reader']}, {row['format']}, {row['layout']}): "
              f"{ {k: v for k, v in row['messages'].items() if k != 'light.uv_features'} }", file=sys.stderr)
    for row in [r for r in rows if not r["defects"] and any(_alerts(r["light"]))][:12]:
        print(f"false alarm ({row['reader']}, {row['format']}, {row['layout']}): {row['messages']}", file=sys.stderr)
    if args.write:
        from benchmarks.report import write_section

        body = (f"`benchmarks/light.py --per-defect {args.per_defect} --clean {args.clean} --seed {args.seed}`: each "
                "light defect alone, and clean sets, under the full-page reader families (the held-out one first), "
                "screened with `screen_light_set`. A defect counts when a check it declares fails; on clean sets, "
                "alerts and reviews of the light checks; *white only*: the clean set's white image alone, which must "
                "raise neither.\n\n" + text)
        write_section(ROOT / "docs" / "benchmarks.md", "Light", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
