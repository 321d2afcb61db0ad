"""The visual zone's own line recogniser (screening.viz_ocr) against Tesseract, on the same crops.

    .venv/bin/python benchmarks/viz_ocr.py [--lines 40] [--pages 12] [--write]

Every engine reads the same line crops in one run: ours (cv2.dnn), Tesseract ``eng`` and
``eng+rus`` (screening.tesseract.read_text_lines, one thread, the crop as its own image).

0. Calibration (training faces, other seeds than training): how far a true candidate's score and
   a one-letter alteration's fall below the network's own best reading; viz_ocr.CONFIRM_MARGIN is
   set from these, never from the rows below.
a. Synthetic lines in the held-out faces (viz_synth.HELD_OUT_FACES: the held-out layout family's
   serif faces and Roboto), known truth: exact lines and character error rate per script. The
   "random" kind (letters drawn evenly) is left out: no engine has a language model for it.
b. Pages of the held-out layout family (national_bilingual) from the generator, their zones cut
   by the pipeline (viz.locate). A line's truth is the printed value (the answer key's ``viz``)
   it holds: a line is taken to print value V when some engine's reading matches V at least
   MATCH of V's characters (difflib's matching blocks), the best-matching value winning; lines no
   engine reads near any value (labels, places, titles) are not counted. Each engine then reads
   V verbatim when V (look-alike letters folded, spaces normalised) is in its reading; a date
   line is one whose reading by some engine matches a printed form of the date (date_forms) to
   85%, read verbatim when a form is in the reading or viz.yymmdd gives the date. The method
   counts only lines that at least one engine reads roughly right: a line every engine misreads
   badly is missing from every engine's count alike.
c. ../shared/eval/real-dev (measured only, never trained or tuned on): as b, the truth being the
   MRZ's fields (surname, given names, document number, birth and expiry dates; truth.jsonl).
   ``confirms`` is asked for the MRZ's value (dates in the formats documents print them) and for
   one-letter alterations of it: a confirmed alteration is a false confirmation.

ms per line: each line read alone (one call), one thread, by the crop's width scaled to a
20 px high crop (the pipeline's median line), i.e. by its number of characters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from screening import tesseract, viz, viz_ocr, viz_synth  # noqa: E402

REAL_DEV = ROOT.parent.parent / "shared" / "eval" / "real-dev"
if not REAL_DEV.exists():
    REAL_DEV = Path("/work/shared/eval/real-dev")
ENGINES = ("ours", "tess eng", "tess eng+rus")
MATCH = 0.75
_FOLD = {c: group[0] for group in viz_ocr.LOOKALIKES for c in group}


def folded(text: str) -> str:
    """Look-alike letters as one (before and after upper-casing: lower-case у is y, capital У is not Y)."""
    once = "".join(_FOLD.get(c, c) for c in text).upper()
    return " ".join("".join(_FOLD.get(c, c) for c in once).split())


def read_all(image: np.ndarray, boxes) -> dict[str, list[tuple[str, float]]]:
    """engine -> [(text, ms)] for each box, each line read alone."""
    out = {}
    started = []
    readings = []
    for box in boxes:
        t = time.perf_counter()
        (line,) = viz_ocr.read_lines(image, [box])
        started.append((time.perf_counter() - t) * 1000)
        readings.append(line)
    out["ours"] = [(r.text, ms) for r, ms in zip(readings, started)]
    out["_readings"] = readings
    for name, lang in (("tess eng", "eng"), ("tess eng+rus", "eng+rus")):
        rows = []
        for box in boxes:
            t = time.perf_counter()
            ((text, _),) = tesseract.read_text_lines(image, [box], lang)
            rows.append((text, (time.perf_counter() - t) * 1000))
        out[name] = rows
    return out




def alterations(value: str, rng, count: int = 3) -> list[str]:
    """``value`` with one letter (or digit) replaced by another of its kind, ``count`` times."""
    out: list[str] = []
    positions = [i for i, c in enumerate(value) if c.isalnum()]
    for _ in range(count * 4):
        if not positions or len(out) == count:
            break
        i = positions[int(rng.integers(len(positions)))]
        c = value[i]
        pool = "0123456789" if c.isdigit() else ("АБВГДЕЖЗИКЛМНОПРСТУФХЧШЫЭЯ" if "А" <= c.upper() <= "Я"
                                                  else "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        pool = pool.lower() if c.islower() else pool
        new = pool[int(rng.integers(len(pool)))]
        if folded(new) != folded(c):
            out.append(value[:i] + new + value[i + 1:])
    return out


# --- 0 and a: synthetic lines ----------------------------------------------------------------------

def synthetic(faces: list[str], count_per_face: int, seed: int) -> list[tuple[str, str, np.ndarray]]:
    lines = []
    kinds = [k for k in viz_synth.KINDS if k != "random"]
    for f, path in enumerate(faces):
        for i in range(count_per_face):
            rng = np.random.default_rng([seed, f, i])
            text, _, crop = viz_synth.sample(rng, [path], kind=kinds[i % len(kinds)])
            lines.append((text, Path(path).name, crop))
    return lines


def calibrate(lines) -> dict:
    """Scores of the true text and of one-letter alterations: (log P, log P - best path) each."""
    rng = np.random.default_rng(5)
    true, altered = [], []
    for text, _, crop in lines:
        (reading,) = viz_ocr.read_crops([crop])
        best = viz_ocr.best_path_score(reading)
        value = viz_ocr.score(reading, text)
        true.append((value, value - best))
        altered += [(v, v - best) for v in (viz_ocr.score(reading, a) for a in alterations(text, rng))]
    return {"true": np.array(true).reshape(-1, 2), "altered": np.array(altered).reshape(-1, 2)}


def measure_synthetic(lines) -> dict:
    # script -> engine -> [lines, exact, exact with look-alikes folded, errors (folded), chars]
    by = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0, 0]))
    times = defaultdict(list)  # engine -> [(width, ms)]
    for text, face, crop in lines:
        box = [(0, 0, crop.shape[1], crop.shape[0])]
        got = read_all(crop, box)
        script = viz_synth.script_of(text)
        for engine in ENGINES:
            read, ms = got[engine][0]
            for key in (script, "all"):
                row = by[key][engine]
                row[0] += 1
                row[1] += read == text
                row[2] += folded(read) == folded(text)
                row[3] += viz.edits(folded(read), folded(text))
                row[4] += len(folded(text))
            times[engine].append((crop.shape[1] * 20 / crop.shape[0], ms))
    return {"by": by, "times": times}


# --- b and c: pages ------------------------------------------------------------------------------

def zone_of(image: np.ndarray):
    from screening.mrz.read import read_page

    reading = read_page(image)
    if reading is None or reading.polygon is None:
        return None, None
    try:
        zone = viz.locate(image, reading.quarter_turns, reading.polygon, len(reading.lines[0]))
    except viz.NotReadable:
        return None, reading
    return zone, reading


def date_forms(yymmdd: str, today: dt.date) -> list[str]:
    """A date of the MRZ (YYMMDD) as documents print it (numeric, English months, English with a
    second language's month after a slash)."""
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    year = 2000 + yy if yy <= today.year % 100 + 20 else 1900 + yy
    months = viz_synth._MONTHS
    en = months["en"][mm - 1]
    forms = [f"{dd:02d}.{mm:02d}.{year}", f"{dd:02d}/{mm:02d}/{year}", f"{dd:02d}-{mm:02d}-{year}",
             f"{year}-{mm:02d}-{dd:02d}", f"{dd:02d} {en} {year}", f"{dd:02d} {en} {yy:02d}"]
    for other in ("fr", "ru"):
        for y in (f"{yy:02d}", str(year)):
            forms += [f"{dd:02d} {en}/{months[other][mm - 1]} {y}", f"{dd:02d} {months[other][mm - 1]}/{en} {y}"]
    return forms


def match_share(value: str, text: str) -> float:
    a, b = folded(value), folded(text)
    if not a:
        return 0.0
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) / len(a)


def page_lines(zone, values: dict[str, str], dates: dict[str, str], today: dt.date):
    """Each counted line: (field, value, {engine: text}, our LineReading, crop width, {engine: ms})."""
    boxes = [viz.padded(b, zone.clean.shape) for b in zone.boxes]
    got = read_all(zone.clean, boxes)
    out = []
    for i, box in enumerate(boxes):
        texts = {e: got[e][i][0] for e in ENGINES}
        ms = {e: got[e][i][1] for e in ENGINES}
        best = None
        for key, value in values.items():
            if len(folded(value)) < 3:
                continue
            share = max(match_share(value, t) for t in texts.values())
            if share >= MATCH and (best is None or share > best[0]):
                best = (share, key, value)
        for key, value in dates.items():
            if any(verbatim(key, value, t, today) or max(match_share(f, t) for f in date_forms(value, today)) >= 0.85
                   for t in texts.values()):
                best = (1.0, key, value)
        if best is not None:
            out.append((best[1], best[2], texts, got["_readings"][i], box[2] * 20 / max(1, box[3]), ms))
    return out


def _real_day(yymmdd: str) -> bool:
    try:
        dt.date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return False
    return True


def verbatim(key: str, value: str, text: str, today: dt.date) -> bool:
    if key.endswith("date"):
        return viz.yymmdd(text) == value or any(folded(form) in folded(text) for form in date_forms(value, today))
    return folded(value) in folded(text)


def candidates(key: str, value: str, today: dt.date) -> list[str]:
    return date_forms(value, today) if key.endswith("date") else [value]


def confirmed(reading, key, value, today) -> bool:
    return any(viz_ocr.confirms(reading, c, within=True) for c in candidates(key, value, today))


def measure_pages(pages, today: dt.date) -> dict:
    """pages: [(image, values, dates)] -> counts."""
    rng = np.random.default_rng(11)
    counts = defaultdict(lambda: defaultdict(int))
    times = defaultdict(list)
    for image, values, dates in pages:
        zone, _ = zone_of(image)
        if zone is None:
            counts["pages"]["no zone"] += 1
            continue
        counts["pages"]["zones"] += 1
        for key, value, texts, reading, width, ms in page_lines(zone, values, dates, today):
            group = "date" if key.endswith("date") else "number" if key == "document_number" else "name"
            # A date altered in its day or month (the year's two digits stay: a changed century
            # would print another year that no form lists).
            altered_values = ([value[:2] + a for a in alterations(value[2:], rng)] if key.endswith("date")
                              else alterations(value, rng))
            altered_values = [a for a in altered_values if not key.endswith("date") or _real_day(a)]
            true_ok = confirmed(reading, key, value, today)
            false_ok = sum(confirmed(reading, key, a, today) for a in altered_values)
            for g in (group, "all"):
                counts[g]["lines"] += 1
                for engine in ENGINES:
                    counts[g][engine] += verbatim(key, value, texts[engine], today)
                counts[g]["confirmed"] += true_ok
                counts[g]["altered"] += len(altered_values)
                counts[g]["false confirmed"] += false_ok
            for engine in ENGINES:
                times[engine].append((width, ms[engine]))
    return {"counts": counts, "times": times}


def mrz_dates(fields: dict) -> dict[str, str]:
    """The MRZ's birth and expiry dates (contract fields, YYYY-MM-DD) as YYMMDD."""
    return {k: fields[k][2:4] + fields[k][5:7] + fields[k][8:10] for k in ("birth_date", "expiry_date")
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields.get(k) or "")}


def generated_pages(count: int, seed: int, today: dt.date):
    from screening.samples.generate import Options, generate

    out = []
    with tempfile.TemporaryDirectory() as folder:
        entries = generate(Options(out=Path(folder), count=count, seed=seed, today=today,
                                   layouts=("national_bilingual",), defects=(), clean_share=1.0, course=False))
        for entry in entries:
            image = cv2.imread(str(Path(folder) / entry["file"]), cv2.IMREAD_GRAYSCALE)
            printed = entry["viz"]
            values = {k: printed[k] for k in ("surname", "given_names", "surname_latin", "given_names_latin",
                                              "document_number") if printed.get(k)}
            fields = entry["fields"]
            out.append((image, values, mrz_dates(fields)))
    return out


def real_pages(today: dt.date, limit: int | None = None):
    from screening.errors import ScreeningError
    from screening.imageio import load_pages
    from screening.mrz.parse import parse

    out = []
    rows = (REAL_DEV / "truth.jsonl").read_text(encoding="utf-8").splitlines()[:limit]
    for row in map(json.loads, rows):
        try:
            parsed = parse(row["mrz_lines"], today=today)
        except ScreeningError:  # a truth row no MRZ layout fits: nothing to compare with
            continue
        fields = parsed.contract_fields()
        values = {k: (fields.get(k) or "").replace("<", " ").strip() for k in ("surname", "given_names",
                                                                             "document_number")}
        values = {k: v for k, v in values.items() if v}
        dates = mrz_dates(fields)
        image = load_pages(REAL_DEV / row["file"])[0].image
        out.append((image, values, dates))
    return out


# --- Report ---------------------------------------------------------------------------------------

def speed_table(times) -> list[str]:
    bands = ((0, 100), (100, 200), (200, 400), (400, 10_000))
    rows = ["| crop width at 20 px high (px) | lines | " + " | ".join(f"{e} ms/line" for e in ENGINES) + " |",
            "|---|---|" + "---|" * len(ENGINES)]
    for low, high in bands:
        cells = []
        n = 0
        for engine in ENGINES:
            ms = [m for w, m in times[engine] if low <= w < high]
            n = len(ms)
            cells.append(f"{np.median(ms):.2f}" if ms else "—")
        rows.append(f"| {low}–{high if high < 10_000 else '…'} | {n} | " + " | ".join(cells) + " |")
    return rows


def speed_probe(repeats: int = 40) -> list[str]:
    """ms per line for crops of exactly 20x65 and 20x300 px (a short value, a long label line):
    held-out-face lines scaled to those sizes, each engine's median over ``repeats`` calls."""
    path = viz_synth.available(viz_synth.HELD_OUT_FACES)[0]
    rows = ["| crop (h × w px) | " + " | ".join(f"{e} ms/line" for e in ENGINES) + " |", "|---|" + "---|" * len(ENGINES)]
    for text, width in (("ERIKSSON", 65), ("Фамилиясы / Surname ERIKSSON ANNA", 300)):
        crop = viz_synth.render_line(text, path, np.random.default_rng(1), grey=False, height_px=14)
        crop = cv2.resize(crop, (width, 20), interpolation=cv2.INTER_AREA)
        box = [(0, 0, width, 20)]
        cells = []
        for engine in ENGINES:
            times = []
            for _ in range(repeats):
                t = time.perf_counter()
                if engine == "ours":
                    viz_ocr.read_lines(crop, box)
                else:
                    tesseract.read_text_lines(crop, box, engine.split()[1])
                times.append((time.perf_counter() - t) * 1000)
            cells.append(f"{np.median(times):.2f}")
        rows.append(f"| 20 × {width} | " + " | ".join(cells) + " |")
    return rows


def report(calibration, synth, generated, real, speed) -> str:
    out = ["### Speed", ""] + speed + [""]
    true, altered = calibration["true"], calibration["altered"]

    def passes(rows):
        return (rows[:, 0] >= viz_ocr.CONFIRM_LEAST) & (rows[:, 1] >= viz_ocr.CONFIRM_MARGIN)

    def spread(rows, column):
        finite = rows[np.isfinite(rows[:, column]), column]
        return " / ".join(f"{np.percentile(finite, q):.2f}" for q in (1, 5, 50, 95, 99)) if finite.size else "—"

    out += ["### 0. Calibration (training faces, other seeds)", "",
            "Percentiles 1 / 5 / 50 / 95 / 99 of log P(candidate) and of log P(candidate) − log P(best path), nats:", "",
            "| candidates | n | log P | margin to best path | confirmed |", "|---|---|---|---|---|",
            f"| true text | {len(true)} | {spread(true, 0)} | {spread(true, 1)} | {100 * passes(true).mean():.1f}% |",
            f"| one letter altered | {len(altered)} | {spread(altered, 0)} | {spread(altered, 1)} | "
            f"{100 * passes(altered).mean():.2f}% |", "",
            f"CONFIRM_LEAST = {viz_ocr.CONFIRM_LEAST}, CONFIRM_MARGIN = {viz_ocr.CONFIRM_MARGIN}.", ""]
    out += ["### a. Synthetic lines in held-out faces (known truth)", "",
            "Exact: the line's text as printed; folded: look-alike Latin and Cyrillic letters taken for one "
            "another and case ignored (what `score` and viz.fold do); CER on the folded text.", "",
            "| script | lines | " + " | ".join(f"{e} exact / folded / CER" for e in ENGINES) + " |",
            "|---|---|" + "---|" * len(ENGINES)]
    for script in ("latin", "cyrillic", "mixed", "digits", "all"):
        rows = synth["by"].get(script)
        if not rows:
            continue
        n = rows["ours"][0]
        cells = [f"{100 * rows[e][1] / n:.0f}% / {100 * rows[e][2] / n:.0f}% / {100 * rows[e][3] / max(1, rows[e][4]):.1f}%"
                 for e in ENGINES]
        out.append(f"| {script} | {n} | " + " | ".join(cells) + " |")
    out += [""] + speed_table(synth["times"]) + [""]
    for title, result in (("b. Held-out layout family pages (national_bilingual), lines cut by viz.locate", generated),
                          ("c. real-dev pages (measured only)", real)):
        counts = result["counts"]
        out += [f"### {title}", "",
                f"zones located on {counts['pages']['zones']} pages ({counts['pages']['no zone']} without one).", "",
                "| value | lines | " + " | ".join(f"{e} verbatim" for e in ENGINES)
                + " | ours `confirms` | false confirmations |", "|---|---|" + "---|" * (len(ENGINES) + 2)]
        for group in ("name", "number", "date", "all"):
            c = counts.get(group)
            if not c or not c["lines"]:
                continue
            n = c["lines"]
            cells = [f"{100 * c[e] / n:.0f}%" for e in ENGINES]
            out.append(f"| {group} | {n} | " + " | ".join(cells) + f" | {100 * c['confirmed'] / n:.0f}% | "
                       f"{c['false confirmed']}/{c['altered']} |")
        out += [""] + speed_table(result["times"]) + [""]
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=40, help="synthetic lines per held-out face")
    parser.add_argument("--pages", type=int, default=12, help="generated pages of the held-out layout family")
    parser.add_argument("--real", type=int, help="only the first REAL pages of real-dev (a quick look)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--write", action="store_true", help="write the section of docs/benchmarks.md")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    tesseract.set_threads(1)
    today = dt.date(2026, 11, 23)
    started = time.time()
    training = viz_synth.available(viz_synth.TRAINING_FACES)
    calibration = calibrate(synthetic(training[::3], 15, args.seed + 100))
    synth = measure_synthetic(synthetic(viz_synth.available(viz_synth.HELD_OUT_FACES), args.lines, args.seed))
    generated = measure_pages(generated_pages(args.pages, args.seed, today), today)
    real = measure_pages(real_pages(today, args.real), today) if (REAL_DEV / "truth.jsonl").exists() else {
        "counts": defaultdict(lambda: defaultdict(int)), "times": defaultdict(list)}
    text = report(calibration, synth, generated, real, speed_probe())
    size = viz_ocr.MODEL_PATH.stat().st_size / 1024
    head = (f"`benchmarks/viz_ocr.py --lines {args.lines} --pages {args.pages}` ({time.time() - started:.0f} s; "
            f"model {viz_ocr.MODEL_PATH.name}, {size:.0f} KB; one thread; on the shared 2-core machine, so times "
            f"are indicative). Method: see the script's docstring.\n\n")
    print(head + text)
    if args.write:
        from benchmarks.report import write_section

        write_section(ROOT / "docs" / "benchmarks.md", "VIZ recogniser", head + text)


if __name__ == "__main__":
    main()
