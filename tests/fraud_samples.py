"""Small generated document sets for the fraud checks' tests (cached per session)."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
import tempfile


@lru_cache(maxsize=None)
def generated(defect: str, count: int, seed: int, conditions: str = "scan300") -> tuple[Path, tuple[dict, ...]]:
    out = Path(tempfile.mkdtemp(prefix=f"fraud-{defect}-"))
    subprocess.run([sys.executable, "-m", "screening.cli", "samples", "generate", "--out", str(out), "--count",
                    str(count), "--seed", str(seed), "--defects", defect, "--clean-share",
                    "1" if defect == "none" else "0", "--max-defects", "1", "--no-course", "--today", "2026-11-23",
                    "--conditions", conditions, "--formats", "TD3,TD1"],
                   check=True, capture_output=True)
    entries = tuple(json.loads(line) for line in (out / "answer_key.jsonl").read_text().splitlines())
    return out, entries
