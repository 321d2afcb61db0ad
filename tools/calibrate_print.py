"""The spreads genuine MRZ prints show, per capture condition: where the print forensics' floors come from.

    PYTHONPATH=$PWD .venv/bin/python tools/calibrate_print.py [--per-condition 24] [--seed 7]
        [--conditions scan300,phone,...] [--defects pasted_line,reprinted_line] [--per-defect 8]

Clean documents (and, with ``--defect``, documents carrying that defect) of every format are
generated per capture condition into ``.cache/calibrate-print/`` (fixed seed; the held-out
families are never used), read with the reader, and measured with ``screening.forensics``.
For each document the largest difference between lines is taken per quantity (pitch and
height relative, baseline slope in degrees, spacing of three lines relative, likeness to OCR-B)
with its z (difference over its standard error), and the capture figures; the table gives the
median, 95th percentile and maximum per condition (for defects: the minimum, what a floor must
stay below). The constants in ``screening/checks/forensics.py`` cite these tables.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "calibrate-print"
# Nobody tunes on these (issue 12): they are never generated here.
HELD_OUT = {"booklet_curve", "photocopy", "thermal", "national_bilingual"}


def generate(condition: str, defect: str, count: int, seed: int) -> tuple[Path, list[dict]]:
    from screening.samples.families import REGISTRY

    layouts = ",".join(n for n, f in REGISTRY["layout"].items() if not f.held_out)
    printers = ",".join(n for n, f in REGISTRY["printer"].items() if not f.held_out)
    folder = CACHE / f"{condition}-{defect}-{count}-{seed}"
    key = folder / "answer_key.jsonl"
    if not key.exists():
        subprocess.run([sys.executable, "-m", "screening.cli", "samples", "generate", "--out", str(folder),
                        "--count", str(count), "--seed", str(seed), "--defects", defect, "--clean-share",
                        "1" if defect == "none" else "0", "--max-defects", "1", "--no-course", "--today",
                        "2026-11-23", "--conditions", condition, "--layouts", layouts, "--printers", printers],
                       check=True, capture_output=True)
    return folder, [json.loads(line) for line in key.read_text().splitlines()]


def figures(path: Path, truth: list[str]) -> dict | None:
    """The forensics' figures for one image, or None when the reader did not read it exactly."""
    from screening.checks import forensics as check
    from screening import forensics
    from screening.imageio import load_pages
    from screening.mrz.read import read_page

    page = load_pages(path)[0].image
    reading = read_page(page)
    if reading is None or list(reading.lines) != truth:
        return None
    try:
        measured = forensics.measure(page, reading.quarter_turns, reading.polygon, tuple(truth))
    except check.MEASURING_ERRORS as error:
        return {"error": type(error).__name__}
    found = check.differences(measured.lines)
    row = {q: abs(d.size) for q, d in found.items() if q != "ocrb"}
    row |= {f"z_{q}": d.z for q, d in found.items()}
    if "ocrb" in found:
        row["ocrb"] = -found["ocrb"].size  # how much worse the odd line matches
        row["ocrb_line"] = found["ocrb"].value
    ms = measured.lines
    if len(ms) == 2:
        row["gap"] = (ms[1].baseline_mm - ms[0].baseline_mm) / ((ms[0].height_mm + ms[1].height_mm) / 2)
    row["ratio"] = float(np.median([m.pitch_mm / m.height_mm for m in ms]))
    c = measured.capture
    row |= {"char_px": c.char_px, "edge_px": c.edge_px, "perspective": c.perspective, "scatter": c.scatter}
    return row


# What a defect changes in a line's style (LineStyle's genuine values).
PLANTED = {"pitch_mm": 2.54, "size": 1.0, "font": "ocrb", "baseline_mm": 0.0, "tilt_deg": 0.0}
COLUMNS = ("pitch", "pitch_free", "height", "height_free", "angle", "centre", "shift", "spacing", "gap", "ocrb", "z_pitch",
           "z_pitch_free", "z_height", "z_height_free", "z_angle", "z_centre", "z_shift", "z_spacing", "z_ocrb", "char_px",
           "edge_px", "perspective", "scatter")


def table(title: str, groups: dict[str, list[dict]], statistics) -> str:
    out = [title, "condition     n  " + " ".join(f"{c:>11}" for c in COLUMNS)]
    for condition, rows in groups.items():
        measured = [r for r in rows if "error" not in r]
        cells = []
        for column in COLUMNS:
            values = np.array([r[column] for r in measured if column in r and np.isfinite(r[column])])
            cells.append("-" if not len(values) else "/".join(f"{s(values):.3g}" for s in statistics))
        out.append(f"{condition:<12} {len(measured):>2}  " + " ".join(f"{c:>11}" for c in cells))
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-condition", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--conditions", help="comma-separated (default: every tuning condition)")
    parser.add_argument("--defects", help="also measure documents carrying these defects (pasted_line,reprinted_line)")
    parser.add_argument("--per-defect", type=int, default=8)
    parser.add_argument("--rows", type=Path, help="write every document's figures here (JSON Lines)")
    args = parser.parse_args()
    from screening.samples.families import REGISTRY

    conditions = args.conditions.split(",") if args.conditions else [
        n for n, f in REGISTRY["capture"].items() if not f.held_out]
    if HELD_OUT & set(conditions):
        raise SystemExit(f"held-out families are never calibrated on: {sorted(HELD_OUT & set(conditions))}")
    everything = []
    for defect in ["none"] + (args.defects.split(",") if args.defects else []):
        groups: dict[str, list[dict]] = {}
        for i, condition in enumerate(conditions):
            count = args.per_condition if defect == "none" else args.per_defect
            folder, entries = generate(condition, defect, count, args.seed + i)
            rows = []
            for entry in entries:
                row = figures(folder / entry["file"], entry["mrz_lines"])
                if row is not None:
                    kind = ",".join(sorted({k for s in entry["mrz_print"] for k, v in s.items()
                                            if k in PLANTED and v != PLANTED[k]}))
                    rows.append(row | {"file": str(folder / entry["file"]), "format": entry["format"],
                                       "defect": defect, "kind": kind})
            groups[condition] = rows
            everything += rows
        if defect == "none":
            print(table("genuine (clean) documents: median/95th percentile/max", groups,
                        (np.median, lambda v: np.percentile(v, 95), np.max)))
        else:
            by_kind: dict[str, list[dict]] = {}
            for row in (r for rows in groups.values() for r in rows):
                by_kind.setdefault(row["kind"] or "?", []).append(row)
            print(table(f"{defect}, by what was changed (min/median/max)", by_kind, (np.min, np.median, np.max)))
        print()
    if args.rows:
        args.rows.write_text("".join(json.dumps(r) + "\n" for r in everything))
    return 0


if __name__ == "__main__":
    sys.exit(main())
