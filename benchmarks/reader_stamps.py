"""Reader benchmark for print beside and over the MRZ: stamps, a busy background, a mark or
text left of a line. Pages are drawn here (tests/pages.py's plain data page, with random MRZs
of every format) and the effect added on top; the reader must read every line exactly.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/reader_stamps.py [--count 40] [--seed 7]

The stamp is a capture effect of this benchmark only (the generator's families do not make
it): a rotated frame with a word in it, in a stamp ink's grey (red or blue ink seen as grey:
luminance 80-150), over the start, the middle or the end of the MRZ.
"""

from __future__ import annotations

import argparse
import datetime as dt
import string
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pages import DEJAVU, mrz_page  # noqa: E402
from screening.mrz.generate import MRZData, build_lines  # noqa: E402
from screening.mrz.read import read_page  # noqa: E402

DPI = 200
EFFECTS = ("stamp", "background", "mark")
STATES = ("UTO", "AZE", "KAZ", "UZB", "DEU", "FRA", "GBR", "RUS", "UKR", "MDA", "GEO", "ARM")


def px(mm: float) -> int:
    return int(round(mm / 25.4 * DPI))


def random_lines(rng: np.random.Generator) -> list[str]:
    fmt = str(rng.choice(["TD3", "TD2", "TD1"]))
    letters = lambda n: "".join(rng.choice(list(string.ascii_uppercase), n))  # noqa: E731
    number = "".join(rng.choice(list(string.ascii_uppercase + string.digits), 9))
    state = str(rng.choice(STATES))
    code = {"TD3": "P", "TD2": "I", "TD1": "I"}[fmt]
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=int(rng.integers(0, 20000)))
    expiry = dt.date(2027, 1, 1) + dt.timedelta(days=int(rng.integers(0, 3000)))
    data = MRZData(fmt, code, state, letters(int(rng.integers(3, 11))), letters(int(rng.integers(3, 9))), number,
                   state, birth, str(rng.choice(["M", "F"])), expiry)
    return build_lines(data)


def _mrz_box(lines: list[str]) -> tuple[int, int, int, int]:
    """Where mrz_page prints the MRZ: left, top, right, bottom."""
    bottom = px(88 - 5)
    top = bottom - len(lines) * px(4.2)
    return px(6), top, px(6) + len(lines[0]) * px(2.54), bottom


def add_stamp(page: np.ndarray, lines: list[str], rng: np.random.Generator) -> np.ndarray:
    left, top, right, bottom = _mrz_box(lines)
    width, height = px(rng.uniform(30, 45)), px(rng.uniform(12, 18))
    stamp = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(stamp)
    border = max(2, px(0.5))
    draw.rectangle([border, border, width - border, height - border], outline=255, width=border)
    word = str(rng.choice(["SPECIMEN", "CANCELLED", "VOID", "SAMPLE"]))
    font = ImageFont.truetype(DEJAVU, int(height * 0.45))
    draw.text((width / 2, height / 2), word, fill=255, font=font, anchor="mm")
    stamp = stamp.rotate(float(rng.uniform(-15, 15)), expand=True, resample=Image.BILINEAR)
    mask = np.asarray(stamp, np.float32) / 255.0
    level = float(rng.uniform(80, 150))
    where = rng.choice(["start", "middle", "end"])
    cx = {"start": left + px(8), "middle": (left + right) / 2, "end": right - px(8)}[where]
    cy = rng.uniform(top - px(4), bottom - px(2))
    x0, y0 = int(cx - mask.shape[1] / 2), int(cy - mask.shape[0] / 2)
    out = page.astype(np.float32)
    ys, xs = slice(max(0, y0), min(page.shape[0], y0 + mask.shape[0])), slice(max(0, x0), min(page.shape[1], x0 + mask.shape[1]))
    part = mask[ys.start - y0 : ys.stop - y0, xs.start - x0 : xs.stop - x0]
    # Stamp ink multiplies the paper's light; print under it stays darker still.
    out[ys, xs] = out[ys, xs] * (1 - part * (1 - level / 235.0))
    return np.clip(out, 0, 255).astype(np.uint8)


def add_background(page: np.ndarray, lines: list[str], rng: np.random.Generator) -> np.ndarray:
    """A guilloche-like pattern of fine wavy lines over the whole lower page."""
    h, w = page.shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    period = rng.uniform(6, 14)
    wave = np.sin((y + 6 * np.sin(x / rng.uniform(20, 50))) * 2 * np.pi / period)
    wave2 = np.sin((x * 0.7 + y + 5 * np.cos(y / rng.uniform(15, 40))) * 2 * np.pi / (period * 1.3))
    lines_mask = np.maximum(np.abs(wave) > 0.9, np.abs(wave2) > 0.93)
    depth = rng.uniform(40, 90)
    out = page.astype(np.float32) - lines_mask * depth
    return np.clip(out, 0, 255).astype(np.uint8)


def add_mark(page: np.ndarray, lines: list[str], rng: np.random.Generator) -> np.ndarray:
    image = Image.fromarray(page)
    draw = ImageDraw.Draw(image)
    left, top, _, _ = _mrz_box(lines)
    for index in range(len(lines)):
        if rng.random() < 0.5 and index:
            continue
        y = top + index * px(4.2)
        x = left - px(rng.uniform(0.7, 2.0))
        if rng.random() < 0.5:
            draw.rectangle([x - 3, y + 5, x, y + px(3.0)], fill=30)
        else:
            draw.text((x - px(2.0), y), str(rng.choice(list("TIJ1|"))), fill=20, font=ImageFont.truetype(DEJAVU, px(3.4)))
    return np.asarray(image).copy()


def shifted(got: str, want: str) -> bool:
    """Does the reading match the printed line better one or two positions along (a character
    gained or lost at the start) than in place?"""
    def mismatch(k: int) -> float:
        pairs = [(got[i], want[i - k]) for i in range(len(got)) if 0 <= i - k < len(want)]
        return sum(a != b for a, b in pairs) / max(len(pairs), 1)
    return min(mismatch(k) for k in (-2, -1, 1, 2)) < mismatch(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40, help="pages per effect")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    effects = {"stamp": add_stamp, "background": add_background, "mark": add_mark}
    for effect in EFFECTS:
        rng = np.random.default_rng([args.seed, EFFECTS.index(effect)])
        exact = length_kept = 0  # length_kept: read, and no line shifted
        for _ in range(args.count):
            lines = random_lines(rng)
            page = effects[effect](mrz_page(lines, dpi=DPI), lines, rng)
            reading = read_page(page)
            got = list(reading.lines) if reading else []
            exact += got == lines
            length_kept += bool(got) and not any(shifted(g, w) for g, w in zip(got, lines))
            if got != lines and args.show_misses:
                print(effect, got, lines)
        print(f"{effect}: {exact}/{args.count} exact, {length_kept}/{args.count} read with no line shifted")


if __name__ == "__main__":
    main()
