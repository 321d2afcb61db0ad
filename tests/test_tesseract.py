"""screening.tesseract: lines read on Tesseract's threads come back as one thread reads them."""

import cv2
import numpy as np
import pytest

from screening import tesseract

WORDS = ["KZ", "IVANOVA", "12.08.1974", "REPUBLIC OF KAZAKHSTAN", "M", "AB1234567", "Date of birth / Туған күні"]


def _page() -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    page = np.full((40 * len(WORDS), 900), 255, np.uint8)
    boxes = []
    for row, word in enumerate(WORDS):
        text = word.encode("ascii", "replace").decode()  # Hershey faces draw ASCII only
        (width, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, 0.8, 2)
        cv2.putText(page, text, (6, 40 * row + 28), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
        boxes.append((0, 40 * row, width + 12, 40))
    return page, boxes


@pytest.fixture
def threads():
    before = tesseract.threads()
    yield tesseract.set_threads
    tesseract.set_threads(before)


def test_lines_read_on_two_threads_are_those_one_thread_reads_in_the_order_asked(threads):
    page, boxes = _page()
    threads(1)
    alone = tesseract.read_text_lines(page, boxes)
    threads(2)
    shared = tesseract.read_text_lines(page, boxes)
    assert shared == alone
    assert [text for text, _ in alone][1:3] == ["IVANOVA", "12.08.1974"]


def test_the_longest_lines_are_given_out_first(threads, monkeypatch):
    """Each thread takes the next line as it finishes one: long lines first, so that no thread is
    left with a long line when the others are done."""
    page, boxes = _page()
    threads(2)
    pool, given = tesseract._line_pool(), []

    class Recording:
        _max_workers = pool._max_workers

        def submit(self, function, image, lines, lang):
            given.append(lines[0])
            return pool.submit(function, image, lines, lang)

    monkeypatch.setattr(tesseract, "_line_pool", Recording)
    tesseract.read_text_lines(page, boxes)
    assert given == sorted(boxes, key=lambda b: -b[2] / b[3])
