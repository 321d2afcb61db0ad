"""Finding fonts by file name, on any system.

Each logical face lists the file names it may have (one per package that ships it) and the
Debian package to install. A face is looked for, first file found wins, in:

1. the folders named by ``$SCREENING_FONTS`` (``os.pathsep``-separated): a post's own copies;
2. the fonts shipped with screening (``screening/data/fonts``: OCR-B, public domain);
3. every font file fontconfig knows (``fc-list``; Linux, and macOS or Windows where installed);
4. the usual font folders of Linux, macOS and Windows (when fontconfig is absent).

A missing face raises ``FontMissing`` naming the file and the package rather than falling back
to another face: ``fc-match`` always answers, with whatever it has, which would change the page's
look (and a rendered specimen must look the same on every machine).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from screening.errors import UsageError

SHIPPED_DIR = Path(__file__).parent / "data" / "fonts"
FONT_DIRS = (
    "/usr/share/fonts", "/usr/local/share/fonts", "~/.fonts", "~/.local/share/fonts",  # Linux
    "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts",  # macOS
    "%WINDIR%/Fonts", "%LOCALAPPDATA%/Microsoft/Windows/Fonts",  # Windows
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
FC_LIST_TIMEOUT_S = 20

# logical name -> (file names, first found wins; the Debian package that ships them)
FACES: dict[str, tuple[tuple[str, ...], str]] = {
    "ocrb": (("OCRB.otf",), "fonts-ocr-b (also shipped with screening)"),
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


class FontMissing(UsageError, LookupError):
    code = "font_missing"


def _expand(folder: str) -> Path:
    return Path(os.path.expanduser(os.path.expandvars(folder)))


def _files_under(roots) -> list[Path]:
    files = []
    for root in roots:
        if root.is_dir():
            files += sorted(p for p in root.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
    return files


def _fontconfig_files() -> list[Path]:
    """Every font file fontconfig knows, or none when fontconfig is not installed or fails."""
    program = shutil.which("fc-list")
    if program is None:
        return []
    try:
        listing = subprocess.run([program, "--format", "%{file}\n"], capture_output=True, text=True, check=True,
                                 timeout=FC_LIST_TIMEOUT_S).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(Path(line) for line in listing.splitlines() if line.lower().endswith(FONT_SUFFIXES))


def search_order() -> list[tuple[str, list[Path]]]:
    """Where fonts are looked for, in order: (what the place is, its font files)."""
    own = [_expand(f) for f in os.environ.get("SCREENING_FONTS", "").split(os.pathsep) if f]
    return [("$SCREENING_FONTS", _files_under(own)), ("screening's own fonts", _files_under([SHIPPED_DIR])),
            ("fontconfig (fc-list)", _fontconfig_files()),
            ("the system's font folders", _files_under([_expand(f) for f in FONT_DIRS]))]


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """File name -> path of every font file found (the first place in ``search_order`` wins)."""
    found: dict[str, str] = {}
    for _, files in search_order():
        for path in files:
            found.setdefault(path.name, str(path))
    return found


@lru_cache(maxsize=None)
def font_path(face: str) -> str:
    """The file of logical face ``face`` (a key of ``FACES``); ``FontMissing`` names what to install."""
    names, package = FACES[face]
    index = _index()
    for name in names:
        if name in index:
            return index[name]
    raise FontMissing(f"the font {' or '.join(names)} ({face}) was not found in $SCREENING_FONTS, screening's own "
                      f"fonts, fontconfig's list or the system's font folders: on Debian or Ubuntu install the "
                      f"package {package} (make system-packages); elsewhere copy {names[0]} into a folder and name "
                      f"it in the SCREENING_FONTS environment variable")


def file_path(name: str) -> str | None:
    """The path of the font file named ``name`` (e.g. "PTS55F.ttf") wherever found, or None: for
    faces outside ``FACES`` (the visual zone recogniser's training faces, screening.viz_synth)."""
    return _index().get(name)


def missing_faces(faces=None) -> dict[str, str]:
    """Face -> the message saying how to get it, for every face in ``faces`` (default all) not found."""
    missing = {}
    for face in faces or FACES:
        try:
            font_path(face)
        except FontMissing as error:
            missing[face] = error.message
    return missing


def forget() -> None:
    """Look again on the next call (a font installed while running, a test's own folder)."""
    _index.cache_clear()
    font_path.cache_clear()


__all__ = ["FACES", "FontMissing", "file_path", "font_path", "forget", "missing_faces", "search_order"]
