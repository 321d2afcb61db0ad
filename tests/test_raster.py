"""The faster connected-components labelling gives OpenCV's default answer exactly."""

import cv2
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.raster import components


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 120), st.integers(1, 160), st.floats(0.05, 0.7))
def test_same_labels_and_stats_as_opencvs_default(seed, height, width, density):
    rng = np.random.default_rng(seed)
    binary = (rng.random((height, width)) < density).astype(np.uint8) * 255
    binary = cv2.dilate(binary, np.ones((2, 3), np.uint8))  # blobs and strokes, not only speckle
    expected = cv2.connectedComponentsWithStats(binary, connectivity=8)
    got = components(binary)
    assert got[0] == expected[0]
    assert np.array_equal(got[1], expected[1]) and np.array_equal(got[2], expected[2])
    assert np.allclose(got[3], expected[3], equal_nan=True)  # an empty background has no centroid


def test_byte_percentile_is_numpys_percentile_of_the_same_pixels():
    from screening.raster import byte_percentile

    rng = np.random.default_rng(5)
    for trial in range(300):
        shape = (int(rng.integers(1, 60)), int(rng.integers(1, 400)))
        pixels = [rng.integers(0, 256, shape), np.clip(rng.normal(10, 30, shape), 0, 255),
                  (rng.random(shape) < 0.02) * rng.integers(0, 256, shape)][trial % 3].astype(np.uint8)
        for q in (0, 5, 50, 95, 99, 99.5, 100):
            expected = np.percentile(pixels.astype(np.float32), q)
            got = byte_percentile(pixels, q)
            assert got == expected and got.dtype == expected.dtype, (shape, q)
