"""Reader benchmark: exact-MRZ rate per condition, field accuracy and speed, per engine.

    .venv/bin/python benchmarks/reader.py            # prints the tables and updates docs/benchmarks.md

1. A fixed synthetic set from the specimen generator (320 documents over every format,
   condition and defect; seed 4242), cached in .cache/bench-reader/.
2. The real development set in ../shared/eval/real-dev/ (46 published specimen and sample
   images with their exact MRZs), which no generator made.

Our engine reads every image. The peers (Tesseract on our located lines, and PassportEye
end to end) take seconds per image, so they read a stratified sample of the synthetic
set (the same images for every engine, and ocrb's figures on that sample are printed
beside theirs) and the whole real set. Images are read one at a time in this process,
engines side by side in one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.report import write_section  # noqa: E402
from screening.errors import ScreeningError  # noqa: E402
from screening.imageio import load_pages  # noqa: E402
from screening.mrz.parse import parse  # noqa: E402
from screening.mrz.read import read_page  # noqa: E402

TODAY = dt.date(2026, 11, 23)
FIELDS = ("document_code", "issuing_state", "surname", "given_names", "document_number", "nationality",
          "birth_date", "sex", "expiry_date", "optional_data")


def synthetic_set(count: int, seed: int) -> tuple[Path, list[dict]]:
    from screening.samples.generate import Options, generate

    folder = ROOT / ".cache" / "bench-reader" / f"seed{seed}-n{count}"
    key = folder / "answer_key.jsonl"
    if not key.exists():
        started = time.time()
        generate(Options(out=folder, count=count, seed=seed, today=TODAY, course=False))
        print(f"generated {count} documents in {time.time() - started:.0f} s", file=sys.stderr)
    entries = [json.loads(line) for line in key.read_text().splitlines()]
    return folder, [{"file": folder / e["file"], "lines": e["mrz_lines"], "condition": e["condition"],
                     "format": e["format"]} for e in entries]


def real_set(folder: Path) -> list[dict]:
    entries = [json.loads(line) for line in (folder / "truth.jsonl").read_text().splitlines()]
    return [{"file": folder / e["file"], "lines": e["mrz_lines"], "condition": "real", "format": e["doc_type"]}
            for e in entries]


def fields_of(lines) -> dict | None:
    try:
        return parse(list(lines), today=TODAY).contract_fields()
    except ScreeningError:
        return None


def read_one(item: dict, engine: str) -> dict:
    started = time.perf_counter()
    try:
        page = load_pages(item["file"])[0].image
        reading = read_page(page, engine)
    except ScreeningError:
        reading = None
    ms = (time.perf_counter() - started) * 1000
    got = list(reading.lines) if reading else []
    want = item["lines"]
    exact = got == want if want else reading is None
    truth = fields_of(want) if want else None
    read = fields_of(got) if got else None
    fields_right = sum(bool(read) and read[f] == truth[f] for f in FIELDS) if truth else 0
    return {"exact": exact, "fields_right": fields_right, "fields": len(FIELDS) if truth else 0, "ms": ms,
            "condition": item["condition"], "corrections": len(reading.corrections) if reading else 0}


def stratified(items: list[dict], per_condition: int) -> list[dict]:
    taken: dict[str, int] = defaultdict(int)
    out = []
    for item in items:
        if taken[item["condition"]] < per_condition:
            taken[item["condition"]] += 1
            out.append(item)
    return out


def summarise(rows: list[dict]) -> dict:
    times = sorted(r["ms"] for r in rows)
    fields = sum(r["fields"] for r in rows)
    return {
        "n": len(rows),
        "exact": sum(r["exact"] for r in rows) / len(rows),
        "fields": sum(r["fields_right"] for r in rows) / fields if fields else float("nan"),
        "median": statistics.median(times),
        "p90": times[min(len(times) - 1, int(0.9 * len(times)))],
    }


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=320)
    parser.add_argument("--seed", type=int, default=4242)
    parser.add_argument("--peer-per-condition", type=int, default=5, help="synthetic images per condition for the peers")
    parser.add_argument("--engines", default="ocrb,tesseract,passporteye")
    parser.add_argument("--real-dev", type=Path, default=ROOT.parent / "shared" / "eval" / "real-dev")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    engines = args.engines.split(",")

    _, synthetic = synthetic_set(args.count, args.seed)
    sample = stratified(synthetic, args.peer_per_condition)
    real = real_set(args.real_dev) if (args.real_dev / "truth.jsonl").exists() else []
    conditions = sorted({item["condition"] for item in synthetic})

    results: dict[tuple[str, str], list[dict]] = {}
    for engine in engines:
        started = time.time()
        items = synthetic if engine == "ocrb" else sample
        results[(engine, "synthetic")] = [read_one(item, engine) for item in items]
        if engine == "ocrb":
            sampled = {str(item["file"]) for item in sample}
            results[(engine, "sample")] = [r for r, item in zip(results[(engine, "synthetic")], items)
                                           if str(item["file"]) in sampled]
        results[(engine, "real")] = [read_one(item, engine) for item in real]
        print(f"{engine}: {time.time() - started:.0f} s", file=sys.stderr)

    lines = [f"Run {dt.datetime.now():%Y-%m-%d %H:%M} on this 2-core machine, one image at a time. "
             f"Synthetic set: {len(synthetic)} generated documents (seed {args.seed}); peers read a stratified "
             f"sample of {len(sample)} of them ({args.peer_per_condition} per condition). Real set: "
             f"{len(real)} images of ../shared/eval/real-dev. Exact = every MRZ character right "
             "(for images without an MRZ: nothing reported). Times include loading the file.", ""]
    header = "| engine | images | " + " | ".join(conditions) + " | all | fields | median ms | p90 ms |"
    lines += ["### Synthetic set: exact-MRZ rate per condition", "", header,
              "|" + "---|" * (len(conditions) + 6)]
    for engine in engines:
        for subset in (("synthetic", "sample") if engine == "ocrb" else ("synthetic",)):
            rows = results[(engine, subset)]
            by = {c: [r for r in rows if r["condition"] == c] for c in conditions}
            total = summarise(rows)
            label = engine if subset == "synthetic" or engine != "ocrb" else "ocrb (peers' sample)"
            cells = [pct(summarise(by[c])["exact"]) if by[c] else "-" for c in conditions]
            lines.append(f"| {label} | {total['n']} | " + " | ".join(cells) +
                         f" | **{pct(total['exact'])}** | {pct(total['fields'])} | {total['median']:.0f} | {total['p90']:.0f} |")
    if real:
        lines += ["", "### Real development set (../shared/eval/real-dev)", "",
                  "| engine | images | exact MRZ | fields right | median ms | p90 ms |", "|---|---|---|---|---|---|"]
        for engine in engines:
            total = summarise(results[(engine, "real")])
            lines.append(f"| {engine} | {total['n']} | **{pct(total['exact'])}** | {pct(total['fields'])} | "
                         f"{total['median']:.0f} | {total['p90']:.0f} |")
    if "passporteye" in engines and "ocrb" in engines:
        ours = summarise(results[("ocrb", "sample")])["median"]
        theirs = summarise(results[("passporteye", "synthetic")])["median"]
        lines += ["", f"Speed: ocrb's median is {theirs / ours:.1f}x faster than PassportEye's on the same images."]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(ROOT / "docs" / "benchmarks.md", "Reader", text)


if __name__ == "__main__":
    main()
