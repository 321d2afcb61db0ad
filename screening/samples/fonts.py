"""Finding the generator's fonts by file name in the standard font folders.

Each logical face lists the file names it may have (one per Debian package that ships it)
and the package to install. ``font_path`` searches the folders fontconfig uses on Debian
(``/usr/share/fonts``, ``/usr/local/share/fonts``, ``~/.fonts``, ``~/.local/share/fonts``),
so a font moved between packages or installed by hand is still found, and a missing one
raises ``FontMissing`` naming the package rather than silently falling back to another face
(``fc-match`` always answers, with whatever it has, which would change the page's look).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts")

# logical name -> (file names, first found wins; the Debian package that ships them)
FACES: dict[str, tuple[tuple[str, ...], str]] = {
    "ocrb": (("OCRB.otf",), "fonts-ocr-b"),
    "dejavu_sans": (("DejaVuSans.ttf",), "fonts-dejavu-core"),
    "dejavu_sans_bold": (("DejaVuSans-Bold.ttf",), "fonts-dejavu-core"),
    "dejavu_condensed": (("DejaVuSansCondensed.ttf",), "fonts-dejavu-core (or fonts-dejavu-extra)"),
    "dejavu_mono": (("DejaVuSansMono.ttf",), "fonts-dejavu-core"),
    "dejavu_serif": (("DejaVuSerif.ttf",), "fonts-dejavu-core"),
    "dejavu_serif_condensed": (("DejaVuSerifCondensed.ttf", "DejaVuSerif.ttf"), "fonts-dejavu-core"),
    "liberation_sans": (("LiberationSans-Regular.ttf",), "fonts-liberation or fonts-liberation2"),
    "liberation_sans_narrow": (("LiberationSansNarrow-Regular.ttf", "LiberationSans-Regular.ttf"),
                               "fonts-liberation"),
    "liberation_serif": (("LiberationSerif-Regular.ttf",), "fonts-liberation or fonts-liberation2"),
    "free_sans": (("FreeSans.ttf",), "fonts-freefont-ttf"),
    "free_serif": (("FreeSerif.ttf",), "fonts-freefont-ttf"),
    "noto_sans": (("NotoSans-Regular.ttf",), "fonts-noto-core"),
    "noto_serif": (("NotoSerif-Regular.ttf",), "fonts-noto-core"),
}


class FontMissing(LookupError):
    pass


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """File name -> path of every font file under the standard folders (first folder wins)."""
    found: dict[str, str] = {}
    for folder in FONT_DIRS:
        root = Path(os.path.expanduser(folder))
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() in (".ttf", ".otf") and path.name not in found:
                found[path.name] = str(path)
    return found


@lru_cache(maxsize=None)
def font_path(face: str) -> str:
    """The file of logical face ``face`` (a key of ``FACES``); FontMissing says which package to install."""
    names, package = FACES[face]
    index = _index()
    for name in names:
        if name in index:
            return index[name]
    raise FontMissing(f"font {face!r} ({' or '.join(names)}) not found under {', '.join(FONT_DIRS)}: "
                      f"install the Debian package {package} (make system-packages)")


__all__ = ["FACES", "FontMissing", "font_path"]
