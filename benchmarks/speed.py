"""Speed of a whole screening (issue 13): load -> MRZ -> checks -> verdict, every check on, one
page at a time, PassportEye on the same images in the same run.

    .venv/bin/python benchmarks/speed.py [--held-out 60] [--no-peer] [--write]

Sets, held-out first:
1. Generated pages of the held-out families only (benchmarks/trust.py's set, seed 12, 320
   documents, cached in .cache/bench-trust/): the first ``--held-out`` documents that carry a
   held-out layout, printer or capture family.
2. ../shared/eval/real-dev (46 real specimen images), measured only.

Each image is screened by ``screening.pipeline.screen_file`` in this process (Tesseract's two
threads, as at the kiosk), then read by PassportEye end to end (``read_page(..., "passporteye")``:
its own locating and reading, no checks) — image by image, so that both meet the same machine.
Printed: median and p90 of the whole screening and of its stages, PassportEye's, the ratio of the
medians; what the screening found, so that speed is never bought with reading less: the share of
printed VIZ fields compared (pass, fail or warn), and which reader the VIZ lines were read by
(our line recogniser or Tesseract). Detection figures are benchmarks/trust.py's.

``--write`` replaces the ``## Speed`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import trust  # noqa: E402  (the same generated set and real-dev jobs)
from benchmarks.report import write_section  # noqa: E402

VIZ_FIELDS = trust.VIZ_FIELDS
STAGES = ("load", "locate", "read", "viz", "checks")  # viz: the visual zone stage (screening.viz_stage)


def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(jobs: list[tuple[str, dict]], peer: bool) -> list[dict]:
    from screening.checks.registry import Settings
    from screening.imageio import load_pages
    from screening.mrz.read import read_page
    from screening.pipeline import screen_file

    settings = Settings(watchlist=os.environ["SCREENING_WATCHLIST"])
    rows = []
    for path, info in jobs:
        started = time.perf_counter()
        result = screen_file(Path(path), today=trust.TODAY, settings=settings)[0]
        total = (time.perf_counter() - started) * 1000
        row = {"file": info["file"], "total": total, "verdict": result.verdict,
               "stages": {k: result.timings_ms.get(k, 0.0) for k in STAGES},
               "viz": {f.id: f.status for f in result.checks if f.id in VIZ_FIELDS}, "read": result.mrz is not None}
        if peer:
            page = load_pages(Path(path))[0].image
            started = time.perf_counter()
            read_page(page, "passporteye")
            row["peer"] = (time.perf_counter() - started) * 1000
        rows.append(row)
        print(f"  {info['file'][:40]:40s} {total:7.0f} ms" + (f"  passporteye {row['peer']:7.0f} ms" if peer else ""),
              flush=True)
    return rows


def table(name: str, rows: list[dict]) -> list[str]:
    totals = [r["total"] for r in rows]
    peers = [r["peer"] for r in rows if "peer" in r]
    read = [r for r in rows if r["read"]]
    compared = sum(1 for r in read for s in r["viz"].values() if s in trust.COMPARED)
    printed = sum(len(r["viz"]) for r in read)
    cells = [name, str(len(rows)), f"{statistics.median(totals):.0f}", f"{quantile(totals, 0.9):.0f}"]
    cells += [f"{statistics.median([r['stages'][s] for r in rows]):.0f} / {quantile([r['stages'][s] for r in rows], 0.9):.0f}"
              for s in ("locate", "read", "viz", "checks")]
    if peers:
        cells += [f"{statistics.median(peers):.0f}", f"{quantile(peers, 0.9):.0f}",
                  f"{statistics.median(peers) / statistics.median(totals):.1f}x"]
    else:
        cells += ["-", "-", "-"]
    cells += [f"{trust.pct(compared, printed)} ({compared} of {printed})"]
    return ["| " + " | ".join(cells) + " |"]


HEAD = ("| set | pages | screening median ms | screening p90 ms | locate median / p90 | read median / p90 "
        "| visual zone median / p90 | checks median / p90 | PassportEye median ms | PassportEye p90 ms | PassportEye ÷ ours (medians) "
        "| VIZ fields compared |\n|---|---:|---:|---:|---|---|---|---|---:|---:|---:|---|")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out", type=int, default=60, help="generated held-out documents to time")
    parser.add_argument("--real-dev", type=Path, default=trust._real_dev_default())
    parser.add_argument("--no-peer", dest="peer", action="store_false", help="leave PassportEye out")
    parser.add_argument("--write", action="store_true", help="replace the ## Speed section of docs/benchmarks.md")
    args = parser.parse_args()

    folder, entries, watchlist_rows = trust.generate_set(320, 12, 2)
    held = [job for job in trust.synthetic_jobs(folder, entries) if job[1]["held_out"]][: args.held_out]
    real = trust.real_jobs(args.real_dev)
    with tempfile.TemporaryDirectory() as temp:
        from screening import watchlist

        store = Path(temp) / "watchlist.sqlite"
        with watchlist.Store(store) as wl:  # the set's watch list, as benchmarks/trust.py imports it
            if watchlist_rows:
                header = "issuing_state,document_number,reason,source,date\n"
                wl.import_csv(header + "".join(f"{w['issuing_state']},{w['document_number']},{w['reason']},"
                                               f"{w['source']},{w['date']}\n" for w in watchlist_rows))
        os.environ["SCREENING_WATCHLIST"] = str(store)
        # Warm up (models load, Tesseract starts) on one page that is not measured.
        measure(held[:1] or real[:1], peer=False)
        print("held-out generated pages:")
        held_rows = measure(held, args.peer)
        print("real-dev:")
        real_rows = measure(real, args.peer)
    load = os.getloadavg()[0]
    lines = [HEAD] + table("generated, held-out families", held_rows) + table("real-dev", real_rows)
    body = "\n".join([
        f"A whole screening (load, MRZ, every check, verdict), one page at a time, 2 Tesseract threads, PassportEye "
        f"end to end (reading only) on the same images in the same run. Measured {dt.datetime.now():%Y-%m-%d %H:%M} by "
        f"`benchmarks/speed.py --held-out {args.held_out}` (load average {load:.1f} at the end).", "", *lines, "",
        "Targets (issue 13): median ≤ 100 ms, p90 ≤ 300 ms, PassportEye ÷ ours ≥ 15×; VIZ fields compared and "
        "detection (benchmarks/trust.py) no worse than before."])
    print(body)
    if args.write:
        write_section(ROOT / "docs" / "benchmarks.md", "Speed", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
