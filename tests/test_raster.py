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
