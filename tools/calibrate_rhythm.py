"""How evenly genuine pages space their rows of values: where checks/viz.py's RHYTHM_FACTOR and
ROW_HEIGHT_FACTOR come from.

    PYTHONPATH=$PWD .venv/bin/python tools/calibrate_rhythm.py [--clean 300] [--seed 41] [--workers 2]

Clean documents of the tuning families only (drawn as tools/diagnose_recall.py draws them, every
tuning layout x printer x capture in turn; cached in ``.cache/diagnose-recall/``) are screened.
On each page whose surname and given names both agreed with the MRZ, the visual zone check's own
``rhythm`` is measured both ways: the surname seen from the given names (its gap over the given
names' gap to the row below them, its height over theirs), and the given names seen from the
surname. Pages with a row of small print between the names (labels over values) are counted
apart: the rule applies only where no label row lies between. The tables give, per layout and per
capture, how far the ratios stray from 1 as a factor (max(r, 1/r): median, 95th percentile,
maximum): the factors must lie above the maxima of the layout without labels, with margin.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.diagnose_recall import generate, plan_tuning  # noqa: E402


def measure(args) -> dict | None:
    """The rhythm figures of one page, both ways; None where the names did not both agree."""
    path, entry = args
    from benchmarks.trust import TODAY
    from screening import tesseract
    from screening.checks import viz as check
    from screening.checks.registry import Settings
    from screening.pipeline import screen_file

    tesseract.set_threads(1)
    seen: dict = {}
    compare, agrees = check.compare, check._agrees

    def spy_compare(ctx, zone, expected, agreed, full):
        seen.clear()
        seen["zone"] = zone
        return compare(ctx, zone, expected, agreed, full)

    def spy_agrees(ctx, key, line, value):
        seen[key] = line
        return agrees(ctx, key, line, value)

    check.compare, check._agrees = spy_compare, spy_agrees
    try:
        screen_file(Path(path), today=TODAY, settings=Settings(watchlist=os.environ["SCREENING_WATCHLIST"]))
    finally:
        check.compare, check._agrees = compare, agrees
    zone, surname, given = seen.get("zone"), seen.get("surname"), seen.get("given_names")
    if zone is None or surname is None or given is None:
        return None
    top, bottom = sorted((surname.box, given.box), key=lambda box: box[1])
    labelled = any(top[1] + top[3] <= y and y + h <= bottom[1] and abs(x - top[0]) <= 25
                   for x, y, w, h in zone.boxes if (x, y, w, h) not in (top, bottom))
    up, down = check.rhythm(zone, given.box, surname.box), check.rhythm(zone, surname.box, given.box)
    return {"capture": entry["condition"], "layout": entry["layout"], "labelled": labelled,
            "ratios": [r for r in (up, down) if r is not None]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clean", type=int, default=300)
    parser.add_argument("--seed", type=int, default=41)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.environ["SCREENING_WATCHLIST"] = str(Path(tempfile.mkdtemp()) / "watchlist.sqlite")
    plans = plan_tuning((), 0, args.clean, args.seed)
    folder, entries = generate(plans, args.seed, args.workers, f"c{args.clean}-d0-")
    with ProcessPoolExecutor(args.workers) as pool:
        rows = [r for r in pool.map(measure, [(str(folder / e["file"]), e) for e in entries], chunksize=2) if r]
    print(f"{len(rows)} of {len(entries)} clean pages with both names agreed; "
          f"{sum(not r['labelled'] for r in rows)} with no label row between them\n")
    for kind in ("layout", "capture"):
        groups: dict[str, list] = defaultdict(list)
        for row in rows:
            if not row["labelled"]:
                groups[row[kind]].extend(row["ratios"])
                groups["all"].extend(row["ratios"])
        print(f"| {kind} | ratios | gap factor: median / p95 / max | height factor: median / p95 / max |")
        print("|---|---|---|---|")
        for name in sorted(groups, key=lambda c: (c == "all", c)):
            gaps, heights = (np.array([max(r[i], 1 / r[i]) for r in groups[name]]) for i in (0, 1))
            print(f"| {name} | {len(gaps)} | {np.median(gaps):.2f} / {np.percentile(gaps, 95):.2f} / {gaps.max():.2f} "
                  f"| {np.median(heights):.2f} / {np.percentile(heights, 95):.2f} / {heights.max():.2f} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
