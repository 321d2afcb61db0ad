"""Loading every supported input, and refusing bad ones with a clear error code."""

import io

import numpy as np
import pytest
from PIL import Image

from screening import imageio
from screening.imageio import load_pages

from pages import mrz_page

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


@pytest.fixture(scope="module")
def page():
    return mrz_page(TD3, dpi=150)


@pytest.mark.parametrize("fmt, suffix", [("JPEG", ".jpg"), ("PNG", ".png"), ("BMP", ".bmp"), ("WEBP", ".webp"),
                                         ("TIFF", ".tif")])
def test_each_raster_format_loads_as_grey(tmp_path, page, fmt, suffix):
    path = tmp_path / f"page{suffix}"
    Image.fromarray(page).convert("RGB").save(path, fmt)
    [loaded] = load_pages(path)
    assert loaded.image.dtype == np.uint8 and loaded.image.shape == page.shape
    assert abs(float(loaded.image.mean()) - float(page.mean())) < 3


def test_multi_page_tiff_gives_every_page(tmp_path, page):
    path = tmp_path / "two.tif"
    first, second = Image.fromarray(page), Image.fromarray(255 - page)
    first.save(path, save_all=True, append_images=[second])
    pages = load_pages(path)
    assert [p.index for p in pages] == [0, 1]
    assert pages[0].image.mean() > pages[1].image.mean()


def test_exif_orientation_is_applied(tmp_path, page):
    path = tmp_path / "turned.jpg"
    image = Image.fromarray(page).rotate(90, expand=True)  # stored on its side...
    exif = Image.Exif()
    exif[0x0112] = 8  # ...with the tag saying "rotate 90 CW to display"
    image.save(path, exif=exif)
    [loaded] = load_pages(path)
    assert loaded.image.shape == page.shape


def test_sixteen_bit_grey_is_scaled_to_eight_bits(tmp_path, page):
    path = tmp_path / "deep.png"
    Image.fromarray(page.astype(np.uint16) * 257).save(path)
    [loaded] = load_pages(path)
    assert np.abs(loaded.image.astype(int) - page.astype(int)).max() <= 1


def test_transparent_png_is_composited_on_white(tmp_path):
    rgba = np.zeros((20, 20, 4), np.uint8)
    path = tmp_path / "clear.png"
    Image.fromarray(rgba, "RGBA").save(path)
    [loaded] = load_pages(path)
    assert loaded.image.min() == 255


def test_pdf_pages_are_rendered(tmp_path, page):
    path = tmp_path / "doc.pdf"
    Image.fromarray(page).convert("RGB").save(path, "PDF", resolution=150, save_all=True,
                                              append_images=[Image.fromarray(page).convert("RGB")])
    pages = load_pages(path)
    assert len(pages) == 2
    assert pages[0].image.shape[1] > 500


def test_encrypted_pdf_is_reported(tmp_path):
    pypdf = pytest.importorskip("pypdfium2")
    del pypdf
    # A minimal PDF whose trailer declares encryption pdfium cannot open without a password.
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pytest.raises(imageio.PdfError) as error:
        load_pages(path)
    assert error.value.code in ("pdf_encrypted", "pdf_unreadable")


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    return bytes(pdf.output())


@pytest.mark.parametrize(
    "content, error",
    [
        (b"", imageio.EmptyFileError),
        (b"this is a text file, not an image", imageio.NotAnImageError),
        (b"%PDF-1.4 broken", imageio.PdfError),
    ],
)
def test_bad_files_raise_typed_errors(tmp_path, content, error):
    path = tmp_path / "bad.jpg"
    path.write_bytes(content)
    with pytest.raises(error):
        load_pages(path)


def test_a_broken_pdf_names_the_problem_in_one_sentence(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(b"%PDF-1.4 broken")
    with pytest.raises(imageio.PdfError) as error:
        load_pages(path)
    # pdfium's own text ends with a full stop; the sentence around it has one already.
    assert error.value.message.startswith("scan.pdf is not a readable PDF: ") and not error.value.message.endswith("..")


def test_truncated_jpeg_is_reported(tmp_path, page):
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, "JPEG", quality=90)
    path = tmp_path / "cut.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(imageio.TruncatedImageError) as error:
        load_pages(path)
    assert error.value.code == "image_truncated" and "cut.jpg" in error.value.message


def test_decompression_bomb_is_refused_without_decoding(tmp_path, monkeypatch):
    # A 30000 x 30000 PNG compresses to a few hundred kilobytes; it must not be decoded.
    path = tmp_path / "bomb.png"
    Image.new("1", (30000, 30000), 1).save(path)
    with pytest.raises(imageio.ImageTooLargeError) as error:
        load_pages(path)
    assert "30000 x 30000" in error.value.message or "too large" in error.value.message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(imageio.ImageLoadError):
        load_pages(tmp_path / "nope.jpg")
    with pytest.raises(imageio.ImageLoadError):
        load_pages(tmp_path)


@pytest.mark.parametrize("fmt", ["ICO", "PCX", "PPM", "TGA", "XBM"])
def test_formats_we_do_not_document_are_refused_whatever_their_name(tmp_path, fmt):
    path = tmp_path / "scan.jpg"
    Image.new("1" if fmt == "XBM" else "RGB" if fmt != "PPM" else "L", (64, 64)).save(path, format=fmt)
    with pytest.raises(imageio.NotAnImageError):
        load_pages(path)


def test_a_camera_jpeg_with_a_second_picture_still_loads(tmp_path, page):
    path = tmp_path / "phone.jpg"
    first = Image.fromarray(page).convert("RGB")
    first.save(path, format="MPO", save_all=True, append_images=[first.resize((64, 48))])
    with Image.open(path) as written:
        assert written.format == "MPO"
    assert load_pages(path)[0].image.shape == page.shape


def test_pixels_are_counted_over_all_the_pages_of_a_file(tmp_path, monkeypatch):
    monkeypatch.setattr(imageio, "MAX_FILE_PIXELS", 3 * 400 * 300)
    pages = [Image.new("L", (400, 300), 255) for _ in range(4)]
    path = tmp_path / "many.tif"
    pages[0].save(path, save_all=True, append_images=pages[1:])
    with pytest.raises(imageio.ImageTooLargeError, match="in all"):
        load_pages(path)
    pdf = tmp_path / "many.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:], resolution=200)
    with pytest.raises(imageio.ImageTooLargeError, match="in all"):
        load_pages(pdf)


def test_a_pdf_without_pages_says_so_not_pdfium_success(tmp_path):
    import subprocess
    import sys

    import pypdfium2 as pdfium

    path = tmp_path / "empty.pdf"
    document = pdfium.PdfDocument.new()
    document.save(str(path))
    document.close()
    # In a fresh process, as PDFium's stale error is then "Success".
    script = ("import sys\nfrom screening.imageio import load_pages, PdfError\n"
              "try:\n    load_pages(sys.argv[1])\nexcept PdfError as error:\n    print(error.message)\n")
    message = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True,
                             check=True, timeout=60).stdout
    assert "no pages" in message and "Success" not in message, message


def test_a_tiff_with_a_damaged_strip_is_an_error_not_a_page(tmp_path):
    path = tmp_path / "broken.tif"
    Image.fromarray((np.random.default_rng(1).random((400, 300)) * 255).astype(np.uint8)).save(
        path, compression="tiff_lzw")
    data = bytearray(path.read_bytes())
    data[2000:4000] = b"\xab" * 2000
    path.write_bytes(bytes(data))
    with pytest.raises(imageio.TruncatedImageError, match="damaged"):
        load_pages(path)


def test_a_file_the_user_may_not_read_is_an_error_naming_it(tmp_path, page, monkeypatch):
    path = tmp_path / "locked.jpg"
    Image.fromarray(page).save(path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # The tests run as root, whom file modes do not stop: refuse as the OS would for another user.
    monkeypatch.setattr(imageio, "open", refuse, raising=False)
    with pytest.raises(imageio.ImageLoadError) as error:
        load_pages(path)
    assert error.value.message == "Cannot open locked.jpg: Permission denied."


def test_an_animated_gif_is_one_picture(tmp_path):
    frames = [Image.new("P", (80, 60), i) for i in range(5)]
    path = tmp_path / "moving.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    assert len(load_pages(path)) == 1


def test_a_file_of_many_pages_is_decoded_and_screened_one_page_at_a_time(tmp_path, monkeypatch):
    import tracemalloc

    from screening import pipeline

    side, count = 1200, 10
    path = tmp_path / "ten.tif"
    frames = [Image.new("L", (side, side), 255 - index) for index in range(count)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_deflate")
    monkeypatch.setattr(pipeline, "read_page", lambda image, engine: None)  # no MRZ: only the pages' memory counts
    tracemalloc.start()
    try:
        results = pipeline.screen_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r.file for r in results] == [f"{path}#page={n}" for n in range(1, count + 1)]
    assert all(r.verdict == "unreadable" and r.error is None for r in results)  # "No MRZ was found"
    # All ten decoded at once would be ten pages (14 MB); one at a time, a page and its decoder's copies.
    assert peak < 4 * side * side, f"{peak / 2**20:.1f} MB at the peak"


def test_a_damaged_page_is_its_own_result_and_the_pages_after_it_are_screened(tmp_path, monkeypatch):
    from screening import pipeline

    path = tmp_path / "three.tif"
    noise = np.random.default_rng(2)
    frames = [Image.fromarray((noise.random((300, 200)) * 255).astype(np.uint8)) for _ in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="tiff_lzw")
    with Image.open(path) as image:
        image.seek(1)
        (strip,) = image.tag_v2[273]  # the second page's one strip
    data = bytearray(path.read_bytes())
    data[strip + 100:strip + 2100] = b"\xab" * 2000
    path.write_bytes(bytes(data))
    assert len(imageio.open_pages(path)) == 3  # measured from the headers: nothing decoded yet
    monkeypatch.setattr(pipeline, "read_page", lambda image, engine: None)
    results = pipeline.screen_file(path)
    assert [r.error.code if r.error else None for r in results] == [None, "image_truncated", None]
    assert results[1].file == f"{path}#page=2"
