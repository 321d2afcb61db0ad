"""Which genuine images of a truth set get a print.* alert or review (measuring only, no tuning).

    PYTHONPATH=$PWD .venv/bin/python tools/realdev_print.py /work/shared/eval/real-dev [--rows out.jsonl]

Each image is screened with ``screen_file``; for the images whose MRZ lines read exactly as in
``truth.jsonl`` the print.* findings that fail (alert or review) or skip are listed with their messages.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--rows", type=Path, help="write each image's print findings here (JSON Lines)")
    args = parser.parse_args()
    from screening.pipeline import screen_file

    truth = [json.loads(line) for line in (args.folder / "truth.jsonl").read_text().splitlines() if line.strip()]
    exact = alerts = reviews = 0
    rows = []
    for entry in truth:
        result = screen_file(args.folder / entry["file"], today=dt.date(2026, 11, 23))[0]
        lines = list(result.mrz.parsed.lines) if result.mrz else []
        if lines != entry["mrz_lines"]:
            continue
        exact += 1
        found = [f for f in result.checks if f.id.startswith("print.")]
        bad = [f for f in found if f.status in ("fail", "skip")]
        alerts += any(f.status == "fail" and f.severity == "alert" for f in bad)
        reviews += any(f.severity == "review" for f in bad) and not any(f.severity == "alert" for f in bad)
        rows.append({"file": entry["file"], "print": [[f.id, f.status, f.severity, f.message] for f in found]})
        for f in bad:
            print(f"{entry['file']}: {f.id} {f.status} {f.severity}: {f.message}")
    print(f"{exact} of {len(truth)} read exactly; print.* alert on {alerts}, review (no alert) on {reviews}")
    if args.rows:
        args.rows.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
