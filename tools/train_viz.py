"""Train the visual zone's line recogniser shipped in screening/models/vizline.onnx.

    make train-deps    # the faces the training lines are drawn in (apt), torch and onnx (training only;
                       # the reader runs the model with OpenCV)
    .venv/bin/python -u tools/train_viz.py --lines 40000 --epochs 5 --width 16 --threads 2 --seed 11
                                                  # the shipped model: 915 s on 2 cores (the first
                                                  # epoch shared with other work); validation in the
                                                  # training faces 58.0% exact lines, CER 11.0%
                                                  # (case and look-alikes counted as errors)

Training lines are synthetic (screening.viz_synth): names, numbers, dates, labels and places as
the region's data pages print them, in the faces of viz_synth.TRAINING_FACES only (the held-out
layout family's serif faces and Roboto are never drawn here: benchmarks/viz_ocr.py measures on
them), degraded and cut from a rendered strip by the pipeline's own line finder
(viz.text_lines, viz.padded), as binary crops or as the grey re-reading's.

The network: convolutions only (batch-normalised, folded into the convolutions on export),
HEIGHT 24 px in, one output column per 4 input columns, trained with CTC. Convolutions because
OpenCV's dnn runs them fast and exactly (the export is checked against PyTorch's logits); no
LSTM. Deterministic for a seed and thread count (each line drawn from its own seed; up to
floating-point summation order in PyTorch's CPU kernels).
"""

from __future__ import annotations

import argparse
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

from screening.viz_ocr import ALPHABET, HEIGHT, MODEL_PATH, STRIDE, decode, normalise
from screening import viz_synth
from screening.viz import edits

_faces: list[str] = []


def _line(job: tuple[int, int]) -> tuple[str, np.ndarray]:
    seed, index = job
    rng = np.random.default_rng([seed, index])
    text, _, crop = viz_synth.sample(rng, _faces)
    x = normalise(crop)
    return text, (np.round(x * 255)).astype(np.uint8)


def _init(faces):
    global _faces
    _faces = faces


def make_dataset(lines: int, seed: int, workers: int) -> tuple[list[str], list[np.ndarray]]:
    faces = viz_synth.available(viz_synth.TRAINING_FACES)
    held = set(viz_synth.HELD_OUT_FACES) | set(viz_synth.SAME_DESIGN_AS_HELD_OUT)
    assert not {Path(f).name for f in faces} & held, "a held-out face among the training faces"
    missing = sorted(set(viz_synth.TRAINING_FACES) - {Path(f).name for f in faces})
    if missing:
        print(f"faces not installed (make train-deps): {', '.join(missing)}")
    jobs = [(seed, i) for i in range(lines)]
    if workers > 1:
        with Pool(workers, initializer=_init, initargs=(faces,)) as pool:
            out = pool.map(_line, jobs, chunksize=256)
    else:
        _init(faces)
        out = list(map(_line, jobs))
    texts = [t for t, _ in out]
    images = [x for _, x in out]
    return texts, images


def build_model(torch, width: int = 16):
    """Five 3x3 convolution stages (HEIGHT 24 -> 3 rows, 4x fewer columns), then convolutions along the
    line, dilated 1, 2, 4 (about 33 output columns, a word, of context: a word's other letters
    say whether its А, Е, О, Р, С are Cyrillic or Latin, which no glyph shows) and a 1x1
    classifier over blank + ALPHABET."""
    nn = torch.nn

    def stage(cin, cout, pool=None):
        layers = [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
        return layers + ([nn.MaxPool2d(pool)] if pool else [])

    def along(channels, dilation):
        return [nn.Conv2d(channels, channels, (1, 3), padding=(0, dilation), dilation=(1, dilation), bias=False),
                nn.BatchNorm2d(channels), nn.ReLU()]

    w = width
    return nn.Sequential(
        *stage(1, w, 2), *stage(w, 2 * w, 2), *stage(2 * w, 3 * w), *stage(3 * w, 3 * w, (2, 1)),
        *stage(3 * w, 4 * w),
        nn.Conv2d(4 * w, 8 * w, (HEIGHT // 8, 3), padding=(0, 1), bias=False), nn.BatchNorm2d(8 * w), nn.ReLU(),
        *along(8 * w, 1), *along(8 * w, 2), *along(8 * w, 4),
        nn.Dropout(0.1),
        nn.Conv2d(8 * w, len(ALPHABET) + 1, 1),
    )


def batches(widths: np.ndarray, size: int, generator) -> list[np.ndarray]:
    """Indices in batches of lines of similar width (little padding), the batches in random order."""
    import torch

    order = np.argsort(widths + torch.rand(len(widths), generator=generator).numpy() * 24, kind="stable")
    groups = [order[i:i + size] for i in range(0, len(order), size)]
    shuffle = torch.randperm(len(groups), generator=generator).numpy()
    return [groups[i] for i in shuffle]


def collate(torch, images, texts, index, generator):
    width = max(images[i].shape[1] for i in index)
    width = (width + STRIDE - 1) // STRIDE * STRIDE
    x = np.zeros((len(index), 1, HEIGHT, width), np.float32)
    lengths, targets, target_lengths = [], [], []
    for row, i in enumerate(index):
        image = images[i].astype(np.float32) / 255.0
        x[row, 0, :, :image.shape[1]] = image
        lengths.append(image.shape[1] // STRIDE)
        labels = [ALPHABET.index(c) + 1 for c in texts[i]]
        targets += labels
        target_lengths.append(len(labels))
    xt = torch.from_numpy(x)
    # Contrast a little off, as print and capture vary it beyond the rendered variety.
    xt = xt * (0.75 + 0.5 * torch.rand(len(index), 1, 1, 1, generator=generator))
    return (xt.clamp(0, 1), torch.tensor(lengths), torch.tensor(targets, dtype=torch.long),
            torch.tensor(target_lengths))


def evaluate(torch, model, images, texts) -> tuple[float, float]:
    """Exact-line rate and character error rate (edit distance / truth length)."""
    model.eval()
    exact = errors = chars = 0
    with torch.no_grad():
        for image, text in zip(images, texts):
            logits = model(torch.from_numpy(image[None, None].astype(np.float32) / 255.0))
            read, _ = decode(torch.log_softmax(logits[0, :, 0, :].T, 1).numpy())
            exact += read == text
            errors += edits(read, text)
            chars += len(text)
    return exact / len(texts), errors / max(1, chars)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=48000)
    parser.add_argument("--epochs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--width", type=int, default=16, help="channels of the first convolution stage")
    parser.add_argument("--batch", type=int, default=48)
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
    texts, images = make_dataset(args.lines, args.seed, args.threads)
    # Validation: other lines in the training faces (the held-out faces are for the benchmark only).
    val_texts, val_images = make_dataset(max(400, args.lines // 60), args.seed + 1, args.threads)
    print(f"{len(texts)} lines drawn in {time.time() - started:.0f} s", flush=True)
    widths = np.array([x.shape[1] for x in images])
    model = build_model(torch, args.width)
    print(f"{sum(p.numel() for p in model.parameters())} parameters", flush=True)
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = args.epochs * ((len(texts) + args.batch - 1) // args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps, pct_start=0.15)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        model.train()
        total, seen = 0.0, 0
        for index in batches(widths, args.batch, generator):
            x, lengths, targets, target_lengths = collate(torch, images, texts, index, generator)
            log_probs = torch.log_softmax(model(x)[:, :, 0, :], 1).permute(2, 0, 1)  # (T, N, C)
            loss = ctc(log_probs, targets, lengths, target_lengths)
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            schedule.step()
            total += float(loss.detach()) * len(index)
            seen += len(index)
        exact, cer = evaluate(torch, model, val_images, val_texts)
        print(f"epoch {epoch + 1}: loss {total / seen:.4f}, validation (training faces) exact lines "
              f"{100 * exact:.1f}%, CER {100 * cer:.2f}%, {time.time() - started:.0f} s", flush=True)
        # Each epoch's weights, for --from-weights when a run has to stop early.
        np.savez_compressed(args.out.with_suffix(f".epoch{epoch + 1}.weights.npz"),
                            **{name: value.detach().numpy() for name, value in model.state_dict().items()})

    weights = {name: value.detach().numpy() for name, value in model.state_dict().items()}
    np.savez_compressed(args.out.with_suffix(".weights.npz"), **weights)  # kept out of git: for re-export
    export(torch, model, args.out)
    check_export(torch, model, args.out, val_images[:50])


def export(torch, model, out: Path) -> None:
    """ONNX for OpenCV's dnn module: batch and width free, input (N, 1, HEIGHT, W), output
    (N, classes, 1, W / STRIDE) logits."""
    model.eval()
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(model, torch.zeros(1, 1, HEIGHT, 128), str(out), input_names=["lines"], output_names=["logits"],
                      dynamic_axes={"lines": {0: "n", 3: "w"}, "logits": {0: "n", 3: "t"}}, dynamo=False)
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def check_export(torch, model, out: Path, images) -> None:
    """OpenCV's dnn must give PyTorch's logits: the largest difference over some lines."""
    import cv2

    net = cv2.dnn.readNetFromONNX(str(out))
    worst = 0.0
    with torch.no_grad():
        for image in images:
            x = image[None, None].astype(np.float32) / 255.0
            net.setInput(x)
            worst = max(worst, float(np.abs(net.forward() - model(torch.from_numpy(x)).numpy()).max()))
    print(f"OpenCV dnn against PyTorch: largest logit difference {worst:.2e}")
    assert worst < 1e-3, "OpenCV's dnn does not run the exported network as PyTorch does"


if __name__ == "__main__":
    main()
