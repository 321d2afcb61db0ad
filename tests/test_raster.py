"""Pixel operations: the faster connected-components labelling gives OpenCV's default answer exactly;
a motion blur is measured on the MRZ's print and undone."""

import cv2
import pytest
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


def _print_page():
    from pages import icao_rows, td3, viz_page

    return viz_page(icao_rows({"document_number": "K52816473", "expiry_date": "31.12.2030"}), lines=td3(), dpi=300)


def _mrz_rows(page):
    return page[int(page.shape[0] * 0.7):, :]  # the MRZ's two lines and the margin around them


@pytest.mark.parametrize("length, angle", [(6, 0.0), (9, 35.0), (12, 120.0), (8, 160.0), (10, 90.0)])
def test_a_motion_blur_is_measured_on_the_mrzs_print(length, angle):
    from screening.raster import SHAKEN, measured_motion_blur, motion_kernel

    blurred = cv2.filter2D(_mrz_rows(_print_page()), -1, motion_kernel(length, angle))
    blur = measured_motion_blur(blurred)
    assert abs(blur.length - length) <= 1
    assert min(abs(blur.angle_deg - angle), 180 - abs(blur.angle_deg - angle)) <= 5
    assert blur.anisotropy >= SHAKEN


def test_still_print_is_not_taken_for_a_shaken_page():
    from screening.raster import SHAKEN, measured_motion_blur, shaken

    page = _print_page()
    assert measured_motion_blur(_mrz_rows(page)).anisotropy < SHAKEN
    height, width = page.shape
    polygon = ((0, height * 0.75), (width, height * 0.75), (width, height - 20), (0, height - 20))
    assert shaken(page, polygon) is None
    assert shaken(cv2.filter2D(page, -1, np.ones((1, 9), np.float32) / 9), polygon) is not None


@pytest.mark.parametrize("length, angle", [(9, 35.0), (12, 120.0)])
def test_deblurring_brings_a_shaken_page_back_towards_its_print(length, angle):
    from screening.raster import MotionBlur, deblurred, motion_kernel

    page = _print_page()
    blurred = cv2.filter2D(page, -1, motion_kernel(length, angle))
    restored = deblurred(blurred, MotionBlur(length, angle, 2.0))
    assert restored.shape == page.shape and restored.dtype == np.uint8
    likeness = lambda image: np.corrcoef(image.ravel().astype(float), page.ravel().astype(float))[0, 1]  # noqa: E731
    assert likeness(restored) > likeness(blurred) + 0.05
    assert abs(float(restored.mean()) - float(page.mean())) < 1.0  # the paper stays the paper's grey


def test_a_large_page_is_deblurred_within_bounded_memory():
    import tracemalloc

    from screening.raster import DEBLUR_MAX_PIXELS, MotionBlur, deblurred, motion_kernel

    page = cv2.resize(_print_page(), None, fx=2.2, fy=2.2, interpolation=cv2.INTER_CUBIC)  # a 7-megapixel photo
    assert page.size > DEBLUR_MAX_PIXELS
    blurred = cv2.filter2D(page, -1, motion_kernel(20, 35.0))
    tracemalloc.start()
    restored = deblurred(blurred, MotionBlur(20, 35.0, 2.0))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert restored.shape == page.shape
    assert peak < 60 * DEBLUR_MAX_PIXELS  # the transforms at the bounded size (measured 45 bytes a pixel)
    likeness = lambda image: np.corrcoef(image.ravel().astype(float), page.ravel().astype(float))[0, 1]  # noqa: E731
    assert likeness(restored) > likeness(blurred) + 0.03


def _wiener_reference(grey, length, angle, signal_to_noise):
    """The Wiener filter written out with numpy's complex transforms (no packing, nothing kept), on
    the same mirrored page: what ``deblurred``'s packed spectra and kept arrays must reproduce."""
    from screening.raster import motion_kernel

    kernel = motion_kernel(length, angle)
    pad = 2 * kernel.shape[0]
    height, width = (cv2.getOptimalDFTSize(n + 2 * pad) for n in grey.shape)
    padded = cv2.copyMakeBorder(grey, pad, height - grey.shape[0] - pad, pad, width - grey.shape[1] - pad,
                                cv2.BORDER_REFLECT).astype(np.float64)
    spread = np.zeros(padded.shape)
    offsets = np.arange(kernel.shape[0]) - kernel.shape[0] // 2
    spread[np.ix_(offsets % padded.shape[0], offsets % padded.shape[1])] = kernel
    response = np.fft.fft2(spread)
    epsilon = 1.0 / signal_to_noise
    gain = np.conj(response) * (1 + epsilon) / (np.abs(response) ** 2 + epsilon)
    out = np.real(np.fft.ifft2(np.fft.fft2(padded) * gain))[pad:pad + grey.shape[0], pad:pad + grey.shape[1]]
    return np.clip(out, 0, 255)


@pytest.mark.parametrize("shape, length, angle", [((301, 433), 9, 35.0), ((280, 640), 12, 120.0),
                                                  ((155, 157), 4, 90.0), ((200, 300), 1, 0.0)])
def test_deblurring_is_the_wiener_filter(shape, length, angle):
    from screening.raster import SHAKEN_SNR, MotionBlur, deblurred, motion_kernel

    page = cv2.resize(_print_page(), (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    blurred = cv2.filter2D(page, -1, motion_kernel(length, angle))
    restored = deblurred(blurred, MotionBlur(length, angle, 2.0))
    # Within the rounding to whole grey levels.
    assert np.abs(restored.astype(float) - _wiener_reference(blurred, length, angle, SHAKEN_SNR)).max() <= 1.01


def test_arrays_kept_from_a_larger_page_leave_a_smaller_one_unchanged():
    from screening.raster import MotionBlur, deblurred, motion_kernel

    page = _print_page()
    small = cv2.filter2D(page[:300, :500], -1, motion_kernel(9, 35.0))
    alone = deblurred(small, MotionBlur(9, 35.0, 2.0)).copy()
    deblurred(cv2.filter2D(page, -1, motion_kernel(14, 80.0)), MotionBlur(14, 80.0, 2.0))
    assert np.array_equal(deblurred(small, MotionBlur(9, 35.0, 2.0)), alone)
