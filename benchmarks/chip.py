"""Chip protocol benchmark (issue 14): the time of each step of a full read, software card.

    .venv/bin/python benchmarks/chip.py [--runs 15]

A full read (EF.CardAccess, access, EF.COM, DG14 and chip authentication, EF.SOD, DG1, DG2,
DG11, DG15 and active authentication) of the software eMRTD of tests/chip_card.py, over BAC
and over PACE (ECDH generic mapping, brainpoolP256r1 and NIST P-256, AES-128). The median of
``--runs`` reads per step, in milliseconds. The figures include the software card's own work
(its half of PACE's elliptic-curve arithmetic, its cryptography), so they bound the terminal's
cost from above; a real chip's transmission time is not in them. Then the cost of verifying
what was read (screening.chip.evidence.verify_chip: the SOD parsed, its signature, the chain to
the CSCA in a trust store, the CRL, every data group's hash), with the test PKI of
tests/chip_pki.py (ECDSA P-256 and RSA 2048/3072 signers), and of the chip checks (add_chip).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import dataclasses  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from chip_card import make_material  # noqa: E402
from chip_pki import TODAY, build_test_pki, make_sod  # noqa: E402

from screening.chip.reader import read_chip  # noqa: E402

CASES = [("BAC", None), ("PACE brainpoolP256r1", 13), ("PACE P-256", 12)]


OUT: list[str] = []


def emit(line: str = "") -> None:
    print(line)
    OUT.append(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--write", action="store_true", help="replace the ## Chip section of docs/benchmarks.md")
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
    emit(f"median of {args.runs} full reads, milliseconds (software card of tests/chip_card.py)")
    emit()
    emit(f"{'step':<{width}}  " + "  ".join(f"{name:>20}" for name, _ in CASES))
    for step in order:
        cells = [f"{columns[name][step]:20.2f}" if step in columns[name] else f"{'-':>20}" for name, _ in CASES]
        emit(f"{step:<{width}}  " + "  ".join(cells))
    emit(f"{'APDUs':<{width}}  " + "  ".join(f"{commands[name]:>20}" for name, _ in CASES))
    verification(material, args.runs)
    if args.write:
        from benchmarks.report import write_section

        body = ("Run by `benchmarks/chip.py --runs " + str(args.runs) + " --write`: the time of a full read by step, "
                "and of verifying it. The software card's own work is included (it bounds the terminal's cost "
                "from above); a real chip's transmission time is not.\n\n```\n" + "\n".join(OUT) + "\n```")
        write_section(ROOT / "docs" / "benchmarks.md", "Chip", body)


def verification(material, runs: int) -> None:
    from screening.checks import Settings
    from screening.chip import lds
    from screening.chip.evidence import verify_chip
    from screening.chip.trust import TrustStore
    from screening.pipeline import add_chip, check_mrz_text

    pki = build_test_pki()
    store = TrustStore(Path(tempfile.mkdtemp()) / "trust.sqlite")
    store.import_bytes(pki.master_list, "master list")
    store.import_bytes(pki.crl, "crl")
    groups = {fid - 0x0100: data for fid, data in material.files.items() if 0x0101 <= fid <= 0x0110}
    page = check_mrz_text(list(lds.parse_dg1(material.files[lds.DG_FIDS[1]])), settings=Settings(today=TODAY))
    emit()
    emit(f"verifying a read: median of {runs}, milliseconds")
    emit(f"{'signer':<24}{'verify_chip':>14}{'chip checks':>14}")
    for name, signer in (("ECDSA P-256", pki.signer), ("RSA 2048 (CSCA RSA 3072)", pki.rsa_signer)):
        files = {**material.files, lds.EF_SOD: make_sod(groups, signer)}
        read = read_chip(dataclasses.replace(material, files=files).card(), material.key)
        verify, checks = [], []
        for _ in range(runs):
            started = time.perf_counter()
            evidence = verify_chip(read, store, TODAY)
            verified = time.perf_counter()
            add_chip(page, evidence, settings=Settings(today=TODAY))
            verify.append((verified - started) * 1000)
            checks.append((time.perf_counter() - verified) * 1000)
        if not evidence.passive.passed:
            raise SystemExit(f"{name}: passive authentication did not pass: {evidence.passive}")
        emit(f"{name:<24}{statistics.median(verify):>14.2f}{statistics.median(checks):>14.2f}")


if __name__ == "__main__":
    main()
