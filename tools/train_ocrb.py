"""Train the OCR-B character recogniser shipped in screening/mrz/models/ocrb.onnx.

    make train-deps    # the faces the training lines are drawn in (apt), torch and onnx (training only;
                       # the reader runs the model with OpenCV)
    .venv/bin/python -u tools/train_ocrb.py --lines 9000 --epochs 8 --width 16 --other-fonts 0.2 --threads 2 --seed 7
                                                  # the shipped model (~40 min on 2 busy cores)

Training data are synthetic MRZ lines (screening.mrz.synth) cut into character patches
by the same code the reader uses (screening.mrz.segment), so the model sees the cells
it will see at run time, including imperfect cuts. Most lines are OCR-B; a share
(--other-fonts) are drawn in other monospaced faces at sizes of their own, as re-printed
lines and pages made by other means are: the model learns the characters, not one font.
DejaVu Sans Mono is deliberately not among them (the benchmark's generator re-prints
lines in it: the benchmark then measures a face the model never saw). Deterministic for
a seed and thread count (up to floating-point summation order in PyTorch's CPU kernels).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from screening.mrz.recognize import ALPHABET, MODEL_PATH
from screening.mrz.segment import split_cells
from screening.mrz.synth import random_line, render_strip


def make_dataset(lines: int, seed: int, other_fonts: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    patches, labels = [], []
    dropped = 0
    for i in range(lines):
        length = (30, 36, 44)[i % 3]
        text = random_line(rng, length)
        strip, pitch, offset = render_strip(text, rng, other_fonts)
        cells = split_cells(strip, length)
        if abs(cells.offset - offset) > 0.3 * pitch or abs(cells.pitch - pitch) > 0.02 * pitch:
            dropped += 1  # the fit failed on this render: its labels would be shifted
            continue
        if rng.random() < 0.4:  # cuts a little off, as on hard inputs
            cells = split_cells(strip, length, grid=(cells.pitch * rng.uniform(0.99, 1.01),
                                                     cells.offset + rng.normal(0, 0.08) * cells.pitch))
        patches.append(cells.patches)
        labels += [ALPHABET.index(c) for c in text]
    print(f"{lines} lines, {dropped} dropped by a failed grid fit, {len(labels)} patches")
    return np.concatenate(patches), np.array(labels, np.int64)


def build_model(torch, width: int = 16):
    """Three convolution stages (batch-normalised, folded into the convolutions on export)
    and a small classifier; ``width`` channels in the first stage, doubling in each."""
    nn = torch.nn

    def stage(cin, cout):
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2)]

    w = width
    return nn.Sequential(
        *stage(1, w), *stage(w, 2 * w), *stage(2 * w, 4 * w),
        nn.Flatten(),
        nn.Linear(4 * w * 4 * 3, 8 * w), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(8 * w, len(ALPHABET)),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=9000)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--width", type=int, default=16, help="channels of the first convolution stage")
    parser.add_argument("--other-fonts", type=float, default=0.2,
                        help="share of training lines drawn in other monospaced faces than OCR-B")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--from-weights", type=Path, help="skip training: export these saved weights (.npz)")
    args = parser.parse_args()

    import torch

    if args.from_weights:
        model = build_model(torch, args.width)
        with np.load(args.from_weights) as saved:
            model.load_state_dict({name: torch.from_numpy(saved[name]) for name in saved.files})
        export(torch, model, args.out)
        return

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    started = time.time()
    x, y = make_dataset(args.lines, args.seed, args.other_fonts)
    # Validation on OCR-B (what MRZs are printed in), and on the other faces if any.
    xv, yv = make_dataset(max(300, args.lines // 20), args.seed + 1)
    other = make_dataset(max(150, args.lines // 40), args.seed + 2, 1.0) if args.other_fonts else None
    print(f"data in {time.time() - started:.0f} s")
    x_t, y_t = torch.from_numpy(x[:, None]), torch.from_numpy(y)
    xv_t, yv_t = torch.from_numpy(xv[:, None]), torch.from_numpy(yv)
    model = build_model(torch, args.width)
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = args.epochs * ((len(y) + 255) // 256)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps)
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.05)
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(y), generator=generator)
        total = 0.0
        for start in range(0, len(y), 256):
            batch = order[start : start + 256]
            xb = x_t[batch]
            # Small shifts and contrast changes on top of the rendered variety.
            shift = torch.randint(-1, 2, (2,), generator=generator)
            xb = torch.roll(xb, shifts=(int(shift[0]), int(shift[1])), dims=(2, 3))
            xb = xb * (0.7 + 0.6 * torch.rand(len(batch), 1, 1, 1, generator=generator))
            loss = loss_fn(model(xb), y_t[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(batch)
        model.eval()
        with torch.no_grad():
            predicted = torch.cat([model(xv_t[i : i + 2048]).argmax(1) for i in range(0, len(yv), 2048)])
            errors = int((predicted != yv_t).sum())
            report = f"OCR-B validation errors {errors}/{len(yv)} ({100 * errors / len(yv):.3f}%)"
            if other is not None:
                xo, yo = torch.from_numpy(other[0][:, None]), torch.from_numpy(other[1])
                wrong = sum(int((model(xo[i : i + 2048]).argmax(1) != yo[i : i + 2048]).sum())
                            for i in range(0, len(yo), 2048))
                report += f", other faces {wrong}/{len(yo)} ({100 * wrong / len(yo):.3f}%)"
        print(f"epoch {epoch + 1}: loss {total / len(y):.4f}, {report}, {time.time() - started:.0f} s")

    weights = {name: value.detach().numpy() for name, value in model.state_dict().items()}
    np.savez_compressed(args.out.with_suffix(".weights.npz"), **weights)  # kept out of git: for re-export
    export(torch, model, args.out)


def export(torch, model, out: Path) -> None:
    """ONNX for OpenCV's dnn module: batch size free, input (N, 1, 32, 24), output logits."""
    model.eval()
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, 1, 32, 24), str(out), input_names=["patches"], output_names=["logits"],
                      dynamic_axes={"patches": {0: "n"}, "logits": {0: "n"}}, dynamo=False)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")

if __name__ == "__main__":
    main()
