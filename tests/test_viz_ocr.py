"""The visual zone's own line recogniser (screening/viz_ocr.py): loads from the package, reads a
clean line in a face it was never trained on, scores candidates, refuses bad input plainly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from screening import viz, viz_ocr, viz_synth


def printed_line(text: str, face: str, cap_px: float = 15.0) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """``text`` drawn clean in the font file ``face`` at the zone's scale, as the pipeline cuts it:
    viz.text_lines' black-on-white image and its line box with viz.padded's margin."""
    path = viz_synth.face_file(face)
    if path is None:
        pytest.skip(f"font {face} not installed (make setup)")
    _, top, _, bottom = ImageFont.truetype(path, 100).getbbox("H")
    font = ImageFont.truetype(path, round(cap_px * 100 / (bottom - top)))
    width = int(font.getlength(text)) + 60
    image = Image.new("L", (width, 80), 255)
    ImageDraw.Draw(image).text((30, 25), text, font=font, fill=20)
    clean, boxes = viz.text_lines(np.asarray(image))
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
    return clean, viz.padded((x0, y0, x1 - x0, y1 - y0), clean.shape)


def test_the_model_loads_from_the_package():
    assert viz_ocr.MODEL_PATH.is_file() and viz_ocr.MODEL_PATH.parent.parent == Path(viz.__file__).parent
    viz_ocr.check_model()


@pytest.mark.parametrize("text, face", [("ERIKSSON", "DejaVuSerif.ttf"), ("ҚАСЫМОВ", "NotoSerif-Regular.ttf"),
                                        ("12.08.1974", "LiberationSerif-Regular.ttf")])
def test_reads_a_line_in_a_held_out_face(text, face):
    assert face in viz_synth.HELD_OUT_FACES  # never trained on
    clean, box = printed_line(text, face)
    (line,) = viz_ocr.read_lines(clean, [box])
    assert line.text == text
    assert len(line.confidences) == len(text) and min(line.confidences) > 0.5


def test_score_prefers_the_printed_text_over_one_letter_changed():
    clean, box = printed_line("ERIKSSON", "FreeSerif.ttf")
    (line,) = viz_ocr.read_lines(clean, [box])
    true = viz_ocr.score(line, "ERIKSSON")
    for altered in ("ERIKSSAN", "EPIKSSON", "ERIKSON", "ERIKSSONA"):
        assert viz_ocr.score(line, altered) < true - 3
        assert not viz_ocr.confirms(line, altered)
    assert viz_ocr.confirms(line, "ERIKSSON")
    assert viz_ocr.confirms(line, "ЕRIКSSОN")  # Cyrillic look-alikes print the same
    assert viz_ocr.score(line, "ERIKSSON<") == float("-inf")  # '<' is no class


def test_a_value_beside_its_label_is_confirmed_within_the_line():
    clean, box = printed_line("Surname ERIKSSON", "DejaVuSerif.ttf")
    (line,) = viz_ocr.read_lines(clean, [box])
    assert viz_ocr.score(line, "ERIKSSON", within=True) > viz_ocr.score(line, "ERIKSSON")
    assert viz_ocr.confirms(line, "ERIKSSON", within=True)
    assert not viz_ocr.confirms(line, "ERICSSON", within=True)


def test_bad_boxes_read_as_nothing_and_do_not_stop_the_others():
    clean, box = printed_line("ANNA", "DejaVuSerif.ttf")
    x, y, w, h = box
    lines = viz_ocr.read_lines(clean, [(x, y, 0, h), (x, y, w, 1), (x, y, 1, h), (10_000, 10_000, 20, 20), box])
    assert [line.text for line in lines[:4]] == ["", "", "", ""]
    assert lines[0] is viz_ocr.EMPTY and lines[0].confidence == 1.0
    assert lines[4].text == "ANNA"
    assert viz_ocr.score(viz_ocr.EMPTY, "ANNA") == float("-inf") and not viz_ocr.confirms(viz_ocr.EMPTY, "ANNA")
    with pytest.raises(ValueError, match="grey image"):
        viz_ocr.read_lines(np.zeros((20, 20, 3), np.uint8), [(0, 0, 20, 20)])


def test_a_missing_model_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(viz_ocr, "MODEL_PATH", tmp_path / "absent.onnx")
    monkeypatch.setattr(viz_ocr._local, "net", None, raising=False)
    with pytest.raises(viz_ocr.ModelMissingError, match="tools/train_viz.py"):
        viz_ocr.read_lines(np.full((20, 60), 255, np.uint8), [(0, 0, 60, 20)])


def test_a_damaged_model_is_named(tmp_path, monkeypatch):
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not an onnx file")
    monkeypatch.setattr(viz_ocr, "MODEL_PATH", broken)
    monkeypatch.setattr(viz_ocr._local, "net", None, raising=False)
    with pytest.raises(viz_ocr.ModelMissingError, match="damaged"):
        viz_ocr.check_model()


def test_training_never_draws_a_held_out_face():
    held = set(viz_synth.HELD_OUT_FACES) | set(viz_synth.SAME_DESIGN_AS_HELD_OUT)
    assert not held & set(viz_synth.TRAINING_FACES)
    # The held-out layout family's faces (samples/layouts.py national_bilingual) are all held out.
    from screening.fonts import FACES

    for face in ("dejavu_serif", "dejavu_serif_condensed", "liberation_serif", "free_serif", "noto_serif"):
        assert FACES[face][0][0] in held
