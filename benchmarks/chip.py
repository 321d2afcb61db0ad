"""Chip protocol benchmark (issue 14): the time of each step of a full read, software card.

    .venv/bin/python benchmarks/chip.py [--runs 15]

A full read (EF.CardAccess, access, EF.COM, DG14 and chip authentication, EF.SOD, DG1, DG2,
DG11, DG15 and active authentication) of the software eMRTD of tests/chip_card.py, over BAC
and over PACE (ECDH generic mapping, brainpoolP256r1 and NIST P-256, AES-128). The median of
``--runs`` reads per step, in milliseconds. The figures include the software card's own work
(its half of PACE's elliptic-curve arithmetic, its cryptography), so they bound the terminal's
cost from above; a real chip's transmission time is not in them. Passive authentication (the
SOD) is not part of this benchmark.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from chip_card import make_material  # noqa: E402

from screening.chip.reader import read_chip  # noqa: E402

CASES = [("BAC", None), ("PACE brainpoolP256r1", 13), ("PACE P-256", 12)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    material = make_material()
    columns = {}
    order: list[str] = []
    commands = {}
    for name, parameter_id in CASES:
        per_step: dict[str, list[float]] = {}
        for _ in range(args.runs):
            read = read_chip(material.card(pace_parameter_id=parameter_id), material.key)
            if read.outcome != "read":
                raise SystemExit(f"{name}: the read ended with {read.outcome}: {read.message}")
            for step, ms in read.timings_ms:
                per_step.setdefault(step, []).append(ms)
                if step not in order:
                    order.insert(len(order) - (1 if "total" in order else 0), step)
        columns[name] = {step: statistics.median(values) for step, values in per_step.items()}
        commands[name] = read.commands
    width = max(len(step) for step in order)
    print(f"median of {args.runs} full reads, milliseconds (software card; noisy on a shared machine)")
    print(f"{'step':<{width}}  " + "  ".join(f"{name:>20}" for name, _ in CASES))
    for step in order:
        cells = [f"{columns[name][step]:20.2f}" if step in columns[name] else f"{'-':>20}" for name, _ in CASES]
        print(f"{step:<{width}}  " + "  ".join(cells))
    print(f"{'APDUs':<{width}}  " + "  ".join(f"{commands[name]:>20}" for name, _ in CASES))


if __name__ == "__main__":
    main()
