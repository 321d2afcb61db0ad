"""The generator's fonts: found by ``screening.fonts`` (fontconfig, the system's font folders,
and the OCR-B shipped with the package), kept here under the name the generator imports."""

from screening.fonts import FACES, FontMissing, font_path, forget, missing_faces

__all__ = ["FACES", "FontMissing", "font_path", "forget", "missing_faces"]
