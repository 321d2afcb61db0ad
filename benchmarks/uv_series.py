"""How far a page's UV signature lies from its series' median: the spread the audit's UV series
comparison (screening/audit/findings.py, UV_OUTLIER_DISTANCE and UV_OUTLIER_FACTOR) was set from.

Generated TD3 sets of one series (the series' fluorescent emblem in one place), on each tuning
reader family; then the same layout carrying another series' emblem, and brightened office paper.
The held-out reader is never used here.

    python -m benchmarks.uv_series [--per-reader 5] [--seed 7] [--sizes 3,4,5,6,8] [--draws 400]

``--sizes``: how small a series may be compared (UV_SERIES_MIN): series of each size drawn from the
clean pages, alone and with one of the odd pages (another series' emblem, brightened paper) in
place of a clean one, run through the audit's own comparison (findings.uv_series_outliers):
how often a clean page is reported, and how often the odd one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import zlib
from pathlib import Path

import numpy as np

from screening.imageio import load_bytes
from screening.lights import LightSet
from screening.pipeline import screen_light_set
from screening.samples import families, illumination
from screening.samples.generate import Options, Plan, make_document

TODAY = dt.date(2026, 11, 23)


def signature(options: Options, index: int, reader: str, defects=(), series: str = "AAA/TD3"):
    # Every document drawn here belongs to ``series``: its emblem's place is that series' draw.
    illumination._series_rng = lambda spec: np.random.default_rng(zlib.crc32(series.encode()))
    document = make_document(Plan(index, "TD3", reader, tuple(defects), "icao_en"), options)
    images = {light: load_bytes(data, f"{light}.jpg")[0].image for light, data in document.images.items()}
    result = screen_light_set(LightSet("page", **images), today=TODAY)
    found = result.lights.uv_signature if result.lights is not None else None
    return np.ravel(found["grid"]).astype(float) if found else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-reader", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", default="3,4,5,6,8")
    parser.add_argument("--draws", type=int, default=400)
    args = parser.parse_args(argv)
    options = Options(out=Path("."), seed=args.seed, today=TODAY, lights=True, course=False)
    readers = families.names("reader", held_out=False)
    index, clean = 0, []
    for _ in range(args.per_reader):
        for reader in readers:
            clean.append((reader, signature(options, index, reader)))
            index += 1
    others = []
    for k, reader in enumerate(readers):
        others.append(("another series' emblem", reader, signature(options, index, reader, series=f"BBB{k}/TD3")))
        index += 1
    for reader in readers[:2]:
        others.append(("brightened paper", reader, signature(options, index, reader, ("brightened_paper",))))
        index += 1
    grids = np.array([g for _r, g in clean if g is not None])
    median = np.median(grids, axis=0)
    distances = np.abs(grids - median).mean(axis=1)
    print("| pages | kind | reader | distance to the series' median (points per cell) |")
    print("|---|---|---|---|")
    for reader in readers:
        mine = [float(np.abs(g - median).mean()) for r, g in clean if r == reader and g is not None]
        print(f"| {len(mine)} | clean | {reader} | {min(mine):.2f}-{max(mine):.2f} |")
    for kind, reader, grid in others:
        print(f"| 1 | {kind} | {reader} | {float(np.abs(grid - median).mean()):.2f} |" if grid is not None
              else f"| 1 | {kind} | {reader} | no signature |")
    print(f"\nclean: median {np.median(distances):.2f}, max {distances.max():.2f} "
          f"({distances.max() / np.median(distances):.1f} times the median)")
    print()
    print(series_sizes([g for _r, g in clean if g is not None], [g for _k, _r, g in others if g is not None],
                       [int(n) for n in args.sizes.split(",")], args.draws, args.seed))
    return 0


def series_sizes(clean: list, odd: list, sizes: list[int], draws: int, seed: int) -> str:
    """Per series size: the share of clean pages reported (in all-clean series and beside an odd
    page) and the share of odd pages reported, over ``draws`` random series each."""
    from screening.audit import findings as cross

    def facts(name, grid):
        return cross.PageFacts(name, "clear", ("P<", ""), "AAA", "AB0000000", document_code="P",
                               uv_grid=tuple(int(v) for v in grid))

    rng = np.random.default_rng([seed, 5])
    lines = ["| series size | clean pages reported (all-clean series) | clean pages reported (beside an odd one) | "
             "odd pages reported |", "|---|---|---|---|"]
    # Every size is compared here (minimum=1): this measures the size UV_SERIES_MIN is set to.
    for size in sizes:
        false_alone = false_beside = caught = pages_alone = pages_beside = 0
        for draw in range(draws):
            chosen = rng.choice(len(clean), size, replace=False)
            series = [facts(f"c{i}", clean[i]) for i in chosen]
            reported = {f.files[0] for f in cross.uv_series_outliers(series, minimum=1)}
            false_alone += len(reported)
            pages_alone += size
            with_odd = series[1:] + [facts("odd", odd[draw % len(odd)])]
            reported = {f.files[0] for f in cross.uv_series_outliers(with_odd, minimum=1)}
            caught += "odd" in reported
            false_beside += len(reported - {"odd"})
            pages_beside += size - 1
        lines.append(f"| {size} | {100 * false_alone / pages_alone:.1f} % | {100 * false_beside / pages_beside:.1f} % "
                     f"| {100 * caught / draws:.0f} % |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
