"""Character patches -> probabilities over the 37 MRZ characters (the `ocrb` engine).

A small convolutional network trained by ``tools/train_ocrb.py`` on synthetic OCR-B
(and other monospaced faces), shipped as ``models/ocrb.onnx`` and run by OpenCV's dnn
module (no deep-learning runtime on the checkpoint PC).
"""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from screening.errors import ScreeningError
from screening.text import Text

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
MODEL_PATH = Path(__file__).parent / "models" / "ocrb.onnx"

_local = threading.local()  # a cv2.dnn network is not safe to share between threads

# OpenCV 5's new dnn engine runs this network's convolutions a third slower than the
# classic one (12.5 against 8 ms for 88 patches, one thread; logits the same to 2e-5);
# OpenCV 4 has only the classic engine and no choice to make.
_ENGINE = {"engine": cv2.dnn.ENGINE_CLASSIC} if hasattr(cv2.dnn, "ENGINE_CLASSIC") else {}


class ModelMissingError(ScreeningError):
    """The recogniser's model file is not installed with the package."""

    code = "model_missing"


def _network():
    net = getattr(_local, "net", None)
    if net is None:
        if not MODEL_PATH.exists():
            raise ModelMissingError(Text("The recogniser model {path} is missing: run tools/train_ocrb.py.",
                                          path=str(MODEL_PATH)))
        try:
            net = cv2.dnn.readNetFromONNX(str(MODEL_PATH), **_ENGINE)
        except cv2.error:
            raise ModelMissingError(Text("The recogniser model {path} is damaged: reinstall the package.",
                                          path=str(MODEL_PATH))) from None
        _local.net = net
    return net


def check_model() -> None:
    """Load the model once, so that a service can refuse to start without it (ModelMissingError)."""
    _network()


def probabilities(patches: np.ndarray) -> np.ndarray:
    """(N, 32, 24) float patches, ink 1 -> (N, 37) probabilities in ALPHABET order."""
    if len(patches) == 0:
        return np.zeros((0, len(ALPHABET)), np.float32)
    net = _network()
    net.setInput(np.ascontiguousarray(patches[:, None], dtype=np.float32))
    logits = net.forward()
    logits = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)
