"""Any input file -> its pages as uint8 arrays, decoded one at a time, or a typed error.

Images are decoded by Pillow (JPEG, PNG, TIFF with all its pages, BMP, WebP; EXIF
orientation applied; 16-bit and palette images converted) and PDF pages are rendered
by pdfium (pypdfium2, self-contained). Limits guard against decompression bombs: a file
or an image larger than the limits gives ``ImageTooLargeError``, never a crash.

Arrays follow one convention everywhere in the toolkit: ``(H, W)`` uint8 grey, 0 black
and 255 white (the reader works on grey; colour is not needed to read an MRZ).
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from screening.errors import ScreeningError
from screening.text import Text

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_PIXELS = 80_000_000  # about 9000 x 9000: an A4 page at 1000 dpi
# All the pages of one file together (grey, one byte a pixel): 50 A4 pages at 200 dpi are 194
# million; a small PDF or TIFF of many huge pages (a bomb) stops here instead of filling memory.
MAX_FILE_PIXELS = 240_000_000
MAX_PAGES = 50
PDF_DPI = 200
# The formats decoded, sniffed from the bytes whatever the name says (Pillow would also open
# ICO, PCX, PPM, TGA, XBM and more named .jpg). "JPEG" also opens cameras' MPO files.
IMAGE_FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "WEBP", "GIF")

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".jpe", ".png", ".tif", ".tiff", ".bmp", ".webp", ".gif"}
PDF_SUFFIXES = {".pdf"}
SUPPORTED_SUFFIXES = IMAGE_SUFFIXES | PDF_SUFFIXES


class ImageLoadError(ScreeningError):
    code = "image_unreadable"


class NotAnImageError(ImageLoadError):
    code = "not_an_image"


class TruncatedImageError(ImageLoadError):
    code = "image_truncated"


class ImageTooLargeError(ImageLoadError):
    code = "image_too_large"


class ImageArrayError(ImageLoadError):
    code = "image_array_unsupported"


class EmptyFileError(ImageLoadError):
    code = "empty_file"


class PdfError(ImageLoadError):
    code = "pdf_unreadable"


class PdfEncryptedError(PdfError):
    code = "pdf_encrypted"


@dataclass(frozen=True)
class Page:
    """One page of an input file, as a grey image."""

    image: np.ndarray  # (H, W) uint8
    source: str
    index: int = 0  # page number within the file, 0-based


@dataclass(frozen=True)
class PageFile:
    """A file's pages measured but not decoded: iterating decodes one page at a time.

    Opening a file checks everything its header tells (type, page count, each page's size and
    the file's pixel budget across all its pages) before any page is decoded; a page's pixels
    then exist only while its caller screens it, so a file of many pages never holds them all.
    Each page is decoded from a fresh open of the file: nothing is held open between pages,
    however long the caller takes over one, or if it stops early.
    """

    path: Path
    pdf: bool
    # PDF pages: the render scale of each page; images: the frames' sizes (only their number counts).
    scales: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.scales)

    def __iter__(self) -> Iterator[Page]:
        return self.decode()

    def decode(self, start: int = 0) -> Iterator[Page]:
        """The pages from ``start`` on, each decoded when asked for; a page that cannot be decoded raises."""
        for index in range(start, len(self)):
            if self.pdf:
                yield _render_pdf_page(self.path, index, self.scales[index])
            else:
                yield _decode_image_page(self.path, index)


def load_pages(path: str | Path) -> list[Page]:
    """Every page of an image or PDF file, grey, upright as the EXIF data says (all decoded at once:
    for a first page or a small file; screening uses ``open_pages``)."""
    return list(open_pages(path))


def open_pages(path: str | Path) -> PageFile:
    """An image or PDF file's pages, measured and checked against the limits, not yet decoded."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ImageLoadError(Text("Cannot open {file}: {error}.", file=path.name, error=error.strerror)) from None
    if path.is_dir():
        raise ImageLoadError(Text("{file} is a folder, not a file: to screen every document in a folder, "
                                   "run `screening audit FOLDER --out REPORT_DIR`.", file=path.name))
    if size == 0:
        raise EmptyFileError(Text("{file} is empty (0 bytes).", file=path.name))
    if size > MAX_FILE_BYTES:
        raise ImageTooLargeError(Text("{file} is {size} MB; the limit is {limit} MB.", file=path.name,
                                      size=f"{size / 2**20:.0f}", limit=MAX_FILE_BYTES // 2**20))
    handle = _open(path)
    with handle:
        if handle.read(8).startswith(b"%PDF"):
            return PageFile(path, True, _measure_pdf(path))
        handle.seek(0)
        return PageFile(path, False, _measure_image(path, handle))


def _open(path: Path):
    try:
        return open(path, "rb")
    except OSError as error:  # no permission, or gone since the walk saw it
        raise ImageLoadError(Text("Cannot open {file}: {error}.", file=path.name, error=error.strerror)) from None


@contextmanager
def _pillow(path: Path):
    """Pillow with the toolkit's pixel limit, its errors as the toolkit's typed errors."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLargeError(
            Text("{file} is too large to open safely (over {limit} million pixels).", file=path.name,
                 limit=MAX_PIXELS // 1_000_000)
        ) from None
    except UnidentifiedImageError:
        raise NotAnImageError(Text("{file} is not an image this toolkit can read (JPEG, PNG, TIFF, BMP, WebP or PDF).",
                                   file=path.name)) from None
    except OSError as error:
        if any(sign in str(error).lower() for sign in ("truncated", "broken data stream", "decoder error")):
            raise TruncatedImageError(Text("{file} is truncated or damaged: {error}.", file=path.name, error=_detail(error))) from None
        raise ImageLoadError(Text("{file} could not be decoded: {error}.", file=path.name, error=_detail(error))) from None
    except (ValueError, SyntaxError) as error:  # Pillow's plugins raise these on corrupt headers
        raise ImageLoadError(Text("{file} could not be decoded: {error}.", file=path.name, error=_detail(error))) from None
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _measure_image(path: Path, handle) -> tuple[float, ...]:
    """One entry per page to screen, each page's size checked and counted into the file's budget."""
    with _pillow(path), Image.open(handle, formats=IMAGE_FORMATS) as image:
        budget = MAX_FILE_PIXELS
        # A GIF's frames are an animation, not a document's pages: its first frame is the picture.
        last_page = 1 if image.format == "GIF" else MAX_PAGES
        pages = 0
        for index, frame in enumerate(ImageSequence.Iterator(image)):  # seeking reads headers, not pixels
            if index >= last_page:
                break
            _check_pixels(frame.size, path)
            budget = _spend(budget, frame.size[0] * frame.size[1], path)
            pages += 1
        return (1.0,) * pages


def _decode_image_page(path: Path, index: int) -> Page:
    with _open(path) as handle, _pillow(path), Image.open(handle, formats=IMAGE_FORMATS) as image:
        image.seek(index)
        _check_pixels(image.size, path)  # the file may have changed since it was measured
        if image.format == "JPEG" and image.mode in ("RGB", "YCbCr"):
            # Decode the brightness channel only: the grey page without converting to
            # colour and back (the same pixels to within 3 grey levels; 9 -> 4 ms a page).
            image.draft("L", image.size)
        image.load()
        return Page(to_grey(ImageOps.exif_transpose(image)), str(path), index)


def _spend(budget: int, pixels: int, path: Path) -> int:
    """What is left of the file's pixel budget after one more page; refused past it."""
    if pixels > budget:
        raise ImageTooLargeError(
            Text("{file}'s pages hold more than {limit} million pixels in all: too large to open safely.",
                 file=path.name, limit=MAX_FILE_PIXELS // 1_000_000))
    return budget - pixels


def _check_pixels(size: tuple[int, int], path: Path) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise ImageTooLargeError(
            Text("{file} is {width} x {height} pixels; the limit is {limit} million pixels.", file=path.name,
                 width=width, height=height, limit=MAX_PIXELS // 1_000_000)
        )


def to_grey(image: Image.Image) -> np.ndarray:
    """A Pillow image of any mode -> (H, W) uint8, 0 black, 255 white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        top = array.max() if array.size else 1
        scale = 255.0 / (65535.0 if top > 255 else max(top, 1.0))
        return np.clip(array * scale, 0, 255).astype(np.uint8)
    if image.mode == "F":
        array = np.asarray(image, dtype=np.float64)
        span = max(array.max() - array.min(), 1e-9)
        return ((array - array.min()) / span * 255).astype(np.uint8)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels are paper, not ink.
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return np.asarray(image.convert("L"), dtype=np.uint8).copy()


# PDFium is not thread-safe, not even across documents (pypdfium2's documentation), and the kiosk
# screens uploads in several request threads: one PDFium call at a time in this process.
_PDFIUM = threading.Lock()


@contextmanager
def _pdf_document(path: Path):
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise PdfEncryptedError(Text("{file} is a password-protected PDF; open it and save it without a password.",
                                         file=path.name)) from None
        if "success" in str(error).lower():
            # PDFium refuses a document with no pages, and reports its last error: "Success".
            raise PdfError(Text("{file} is not a readable PDF (it may have no pages).", file=path.name)) from None
        raise PdfError(Text("{file} is not a readable PDF: {error}.", file=path.name, error=_detail(error))) from None
    try:
        yield document
    except pdfium.PdfiumError as error:
        raise PdfError(Text("{file}: a page could not be rendered: {error}.", file=path.name, error=_detail(error))) from None
    finally:
        document.close()


def _measure_pdf(path: Path) -> tuple[float, ...]:
    """Each page's render scale, every page counted into the file's pixel budget before any is rendered."""
    with _PDFIUM, _pdf_document(path) as document:
        scales = []
        budget = MAX_FILE_PIXELS
        for index in range(min(len(document), MAX_PAGES)):
            width, height = document[index].get_size()
            scale = PDF_DPI / 72.0
            if width * scale * height * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / (width * height)) ** 0.5
            budget = _spend(budget, int(width * scale) * int(height * scale), path)
            scales.append(scale)
        if not scales:
            raise PdfError(Text("{file} is a PDF with no pages.", file=path.name))
        return tuple(scales)


def _render_pdf_page(path: Path, index: int, scale: float) -> Page:
    with _PDFIUM, _pdf_document(path) as document:
        page = document[index]
        width, height = page.get_size()
        # The file may have changed since it was measured: never render past the page limit.
        scale = min(scale, (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
        bitmap = page.render(scale=scale, grayscale=True)
        return Page(to_grey(bitmap.to_pil()), str(path), index)


def _detail(error: BaseException) -> str:
    """A library's error text for "...: {error}." sentences, without its own closing full stop."""
    return str(error).strip().rstrip(".").rstrip()


def load_bytes(data: bytes | bytearray | memoryview, name: str = "<bytes>") -> list[Page]:
    """The pages of a file's content held in memory (an upload, a scanner's buffer, a database
    blob): the same formats and limits as ``load_pages``; ``name`` stands for the file in messages."""
    data = bytes(data)
    if not data:
        raise EmptyFileError(Text("{file} is empty (0 bytes).", file=name))
    # Decoded through the files' own path (one set of decoders, limits and messages): the content
    # goes to a private folder under the name it stands for, and its pages are decoded at once.
    with tempfile.TemporaryDirectory(prefix="screening-") as folder:
        path = Path(folder) / (re.sub(r"[^\w.-]", "_", Path(name).name) or "upload")
        path.write_bytes(data)
        return [dataclasses.replace(page, source=name) for page in open_pages(path)]


def load_stream(stream: BinaryIO, name: str = "<stream>") -> list[Page]:
    """The pages of a binary file object (``open(path, "rb")``, ``io.BytesIO``, an upload's
    stream), read from where it stands to its end, at most the file size limit."""
    try:
        data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImageLoadError(Text("Cannot read {file}: {error}.", file=name,
                                  error=error.strerror or _detail(error))) from None
    if isinstance(data, str):
        raise TypeError(f"{name} was opened in text mode: open it with 'rb' to screen it")
    return load_bytes(data, name)


def load_array(array: np.ndarray, name: str = "<array>") -> list[Page]:
    """One page from an image array: ``(H, W)`` grey, ``(H, W, 1)``, ``(H, W, 3)`` RGB or
    ``(H, W, 4)`` RGBA, as uint8, uint16 or bool. Colour is taken in RGB order (Pillow,
    imageio); OpenCV's BGR order weighs red and blue the other way round, which leaves black
    print on light paper as readable (or convert it with ``cv2.cvtColor`` first)."""
    shape = array.shape
    if array.dtype not in (np.uint8, np.uint16, np.bool_) or not (
            array.ndim == 2 or (array.ndim == 3 and shape[2] in (1, 3, 4))):
        raise ImageArrayError(Text("{file} is an array of {dtype} with shape {shape}; an image array is uint8, "
                                   "uint16 or bool, shaped (height, width) or (height, width, 1, 3 or 4 channels).",
                                   file=name, dtype=str(array.dtype), shape=str(tuple(shape))))
    if array.size == 0:
        raise EmptyFileError(Text("{file} is an empty image array (shape {shape}).", file=name,
                                  shape=str(tuple(shape))))
    _check_pixels((shape[1], shape[0]), Path(name))
    if array.ndim == 3 and shape[2] == 1:
        array = array[:, :, 0]
    if array.dtype == np.bool_:  # a binarised page: True is paper
        return [Page(np.where(array, 255, 0).astype(np.uint8), name, 0)]
    if array.dtype == np.uint8 and array.ndim == 2:
        return [Page(np.ascontiguousarray(array).copy(), name, 0)]
    if array.dtype == np.uint16:
        if array.ndim == 2:
            return [Page(to_grey(Image.fromarray(np.ascontiguousarray(array))), name, 0)]  # Pillow's "I;16"
        array = (array >> 8).astype(np.uint8)  # colour at 16 bits: the high byte is the picture
    return [Page(to_grey(Image.fromarray(np.ascontiguousarray(array))), name, 0)]  # "RGB" or "RGBA"
