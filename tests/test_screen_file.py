"""The Python API ``screen_file``: a path, the file's bytes, a binary file object or an image
array give the same reading, and input that is no image is a result, never an exception."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from screening import screen_file
from screening.imageio import load_array, load_bytes, load_stream

from mrz_cases import TODAY
from pages import mrz_page

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return mrz_page(TD3, dpi=200)


@pytest.fixture(scope="module")
def png(tmp_path_factory, page) -> Path:
    path = tmp_path_factory.mktemp("api") / "page.png"
    Image.fromarray(page).save(path)
    return path


def _lines(results) -> list[tuple[str, ...]]:
    return [r.mrz.parsed.lines if r.mrz else None for r in results]


def _screen(source, result_validator, **kwargs):
    results = screen_file(source, today=TODAY, **kwargs)
    for result in results:
        result_validator.validate(result.to_dict())
    return results


def test_a_path_bytes_a_file_object_and_an_array_read_the_same_mrz(png, page, result_validator):
    by_path = _screen(png, result_validator)
    assert _lines(by_path) == [tuple(TD3)] and by_path[0].file == str(png)
    by_str = _screen(str(png), result_validator)
    by_bytes = _screen(png.read_bytes(), result_validator)
    by_bytearray = _screen(bytearray(png.read_bytes()), result_validator)
    by_memory = _screen(io.BytesIO(png.read_bytes()), result_validator)
    with open(png, "rb") as handle:
        by_handle = _screen(handle, result_validator)
    by_grey = _screen(page, result_validator)
    by_rgb = _screen(np.stack([page] * 3, axis=2), result_validator)
    for results in (by_str, by_bytes, by_bytearray, by_memory, by_handle, by_grey, by_rgb):
        assert _lines(results) == [tuple(TD3)]
        assert results[0].verdict == by_path[0].verdict
    assert [by_bytes[0].file, by_memory[0].file, by_handle[0].file, by_grey[0].file] == [
        "<bytes>", "<stream>", str(png), "<array>"]


def test_the_name_given_is_the_file_the_results_report(png, page, result_validator):
    assert _screen(png.read_bytes(), result_validator, name="upload 7.png")[0].file == "upload 7.png"
    assert _screen(page, result_validator, name="camera frame")[0].file == "camera frame"


def test_pdf_bytes_give_one_result_per_page(page, result_validator):
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, "PDF", resolution=200, save_all=True, append_images=[Image.fromarray(page)])
    results = _screen(buffer.getvalue(), result_validator, name="two.pdf")
    assert [r.file for r in results] == ["two.pdf#page=1", "two.pdf#page=2"]
    assert _lines(results) == [tuple(TD3)] * 2


@pytest.mark.parametrize("source, code", [
    (b"", "empty_file"),
    (b"plain text, not a picture", "not_an_image"),
    (b"%PDF-1.4 broken", "pdf_unreadable"),
    (io.BytesIO(b"GIF89a"), "not_an_image"),
    (np.zeros((40, 60), np.float64), "image_array_unsupported"),
    (np.zeros((40, 60, 2), np.uint8), "image_array_unsupported"),
    (np.zeros((0, 60), np.uint8), "empty_file"),
])
def test_content_that_is_no_image_is_an_unreadable_result(source, code, result_validator):
    [result] = _screen(source, result_validator)
    assert result.verdict == "unreadable" and result.error is not None
    assert result.error.code == code


def test_a_source_of_another_type_is_a_programming_error():
    with pytest.raises(TypeError, match="not int"):
        screen_file(42)
    with pytest.raises(TypeError, match="text mode"):
        screen_file(io.StringIO("P<UTO..."))


def test_arrays_of_every_documented_kind_become_the_same_grey_page(page):
    rgba = np.dstack([page, page, page, np.full_like(page, 255)])
    deep = page.astype(np.uint16) * 257
    for array in (page, page[:, :, None], np.stack([page] * 3, axis=2), rgba, deep):
        [loaded] = load_array(array)
        assert loaded.image.dtype == np.uint8 and loaded.image.shape == page.shape
        assert np.abs(loaded.image.astype(int) - page.astype(int)).max() <= 1
    [binary] = load_array(page > 128)
    assert set(np.unique(binary.image)) <= {0, 255}
    # The caller's array is not kept: changing it afterwards does not change the page.
    mine = page.copy()
    [kept] = load_array(mine)
    mine[:] = 0
    assert kept.image.mean() > 100


def test_bytes_and_streams_keep_the_file_limits(monkeypatch, png):
    from screening import imageio

    monkeypatch.setattr(imageio, "MAX_FILE_BYTES", 100)
    with pytest.raises(imageio.ImageTooLargeError):
        load_bytes(png.read_bytes(), "big.png")
    with pytest.raises(imageio.ImageTooLargeError):
        load_stream(io.BytesIO(png.read_bytes()), "big.png")
    monkeypatch.setattr(imageio, "MAX_PIXELS", 1000)
    with pytest.raises(imageio.ImageTooLargeError):
        load_array(np.zeros((100, 100), np.uint8))


def test_a_result_holds_no_pixels_the_checks_saw_the_page_beside_it(page, monkeypatch):
    from screening.checks import registry

    seen = []
    original = registry.run_checks

    def recording(context, families=None, exclude=()):
        seen.append(context.page)
        return original(context, families, exclude)

    monkeypatch.setattr("screening.pipeline.run_checks", recording)
    (result,) = screen_file(page, today=TODAY)
    assert seen and seen[0] is not None and seen[0].shape == page.shape  # the checks looked at the page
    stack = [result]
    while stack:  # nothing the result keeps (its read, its findings) is an image
        item = stack.pop()
        assert not isinstance(item, np.ndarray)
        if hasattr(item, "__dataclass_fields__"):
            stack.extend(getattr(item, name) for name in item.__dataclass_fields__)
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())


def test_the_checks_run_beside_the_visual_zone_stage_find_what_one_run_finds(monkeypatch):
    """With cores of its own (two Tesseract threads) the checks that need no visual zone run while
    the stage reads; in an audit worker's share (one) all run after it: the same findings, in the
    same order, and the checks' own time is kept."""
    from screening import tesseract
    from screening.checks import registry
    import pages

    image = pages.viz_page(pages.icao_rows(), pages.td3())
    runs = {}
    for threads in (2, 1):
        monkeypatch.setattr(tesseract, "_threads", threads)
        (result,) = screen_file(image, today=TODAY)
        runs[threads] = result
    beside, after = runs[2], runs[1]
    assert "viz" in beside.timings_ms and beside.timings_ms["checks"] > 0
    assert [(f.id, f.status, f.severity, str(f.message)) for f in beside.checks] == \
           [(f.id, f.status, f.severity, str(f.message)) for f in after.checks]
    order = [check_id for _, ids in registry._FUNCTIONS for check_id in ids]
    positions = [order.index(f.id) for f in beside.checks]
    assert positions == sorted(positions) and any(f.id.startswith("viz.") for f in beside.checks)


def test_warming_up_loads_on_every_thread_that_reads_lines():
    import threading

    from screening import pipeline, raster, tesseract

    pipeline.warm_up()
    # Each of Tesseract's line threads (and this one) has the common languages' engines already.
    loaded = []
    gate = threading.Barrier(tesseract.threads())

    def engines_here():
        gate.wait(timeout=30)
        return set(getattr(tesseract._apis, "engines", {}))

    for done in [tesseract._line_pool().submit(engines_here) for _ in range(tesseract.threads())]:
        loaded.append(done.result())
    loaded.append(set(getattr(tesseract._apis, "engines", {})))
    from screening.viz import COMMON_LANGUAGES

    assert all(set(COMMON_LANGUAGES) <= engines for engines in loaded)
    # The deblurring's arrays hold the largest page already: a photo's deblurring grows none.
    kept = {name: array.size for name, array in raster._work.buffers.items()}
    assert min(kept.values()) >= raster.DEBLUR_MAX_PIXELS
    raster.deblurred(np.full((1200, 1600), 200, np.uint8), raster.MotionBlur(7, 0.0, 2.0))
    assert {name: array.size for name, array in raster._work.buffers.items()} == kept
