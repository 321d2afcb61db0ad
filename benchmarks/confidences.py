"""How sure the reader is of the characters it reads right, and of those it reads wrong.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/confidences.py [FOLDER]

FOLDER: a generated set with an answer_key.jsonl (default: the reader benchmark's cached
synthetic set, 320 documents of seed 4242 over every capture condition). For every character
of every reading with the right line lengths: the probability of the character chosen, and
whether it is the printed one. The bars in screening.mrz.decode (CODE_UNSURE) and
screening.mrz.read (SECOND_LOOK_BELOW) are set from what this prints. Generated pages only:
the real development set is for measuring, not for setting bars.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screening.imageio import load_pages  # noqa: E402
from screening.mrz.read import read_page  # noqa: E402


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / ".cache" / "bench-reader" / "seed4242-n320"
    right, wrong = [], []
    for line in (folder / "answer_key.jsonl").read_text().splitlines():
        entry = json.loads(line)
        if not entry["mrz_lines"]:
            continue
        reading = read_page(load_pages(folder / entry["file"])[0].image)
        if reading is None or [len(x) for x in reading.lines] != [len(x) for x in entry["mrz_lines"]]:
            continue
        for got, want, confidences in zip(reading.lines, entry["mrz_lines"], reading.char_confidences):
            for g, w, c in zip(got, want, confidences):
                (right if g == w else wrong).append((c, entry["condition"], g, w))
    values = np.array([c for c, *_ in right])
    print(f"{len(right) + len(wrong)} characters, {len(wrong)} wrong")
    for bar in (0.6, 0.7, 0.8, 0.85, 0.9):
        below = int((values < bar).sum())
        print(f"below {bar:.2f}: {below} right ({below / len(values):.3%}), "
              f"{sum(c < bar for c, *_ in wrong)} of {len(wrong)} wrong")
    for c, condition, g, w in sorted(wrong):
        print(f"  wrong: read {g!r} for {w!r} at {c:.3f} ({condition})")


if __name__ == "__main__":
    main()
