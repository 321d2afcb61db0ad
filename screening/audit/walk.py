"""Which files an audit screens: every supported image or PDF under the given folders, and
inside zip files (a member is named ``archive.zip!inner/path.jpg``).

Images of one page under several lights (``0001_white.jpg``, ``0001_ir.jpg``, ``0001_uv.jpg``:
screening.lights' name patterns) are one item, screened as one page (``screen_light_set``).

The walk never opens images: it only lists names, so it stays fast on millions of files.
A damaged zip is still listed (as one item whose screening reports the damage), so that
nothing given to the audit silently disappears from the report.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from screening import lights
from screening.imageio import SUPPORTED_SUFFIXES

ZIP_SUFFIXES = {".zip"}
MEMBER_SEPARATOR = "!"


@dataclass(frozen=True)
class Item:
    """One file to screen: a file on disk, or a member of a zip file."""

    name: str  # how results and the report call it: "scans/a.jpg" or "scans/b.zip!inner/c.jpg"
    path: str  # the file on disk (the zip file itself for a member)
    member: str | None = None  # the member's name inside the zip
    # A page under several lights: (light, file) per image, the file a path on disk or a member of
    # the zip ``path``; ``path``/``member`` name the image the page is read from (its white one).
    lights: tuple[tuple[str, str], ...] = ()

    @property
    def suffix(self) -> str:
        return Path(self.member if self.member is not None else self.path).suffix.lower()


def walk(archives: Iterable[str | os.PathLike]) -> Iterator[Item]:
    """Every item under ``archives`` (folders, zip files, single files), in a stable order.

    A file named explicitly is screened whatever its suffix (the user asked for it);
    inside folders only supported images, PDFs and zip files are taken, so answer keys,
    spreadsheets and the audit's own output are left alone.
    """
    seen: set[str] = set()
    for archive in archives:
        for item in _walk_one(Path(archive)):
            if item.name not in seen:
                seen.add(item.name)
                yield item


def _walk_one(path: Path) -> Iterator[Item]:
    if path.is_dir():
        for folder, subfolders, files in os.walk(path):
            subfolders.sort()  # os.walk order is the filesystem's; sorted makes reruns and reports stable
            images = []
            for file_name in sorted(files):
                child = Path(folder, file_name)
                suffix = child.suffix.lower()
                if suffix in ZIP_SUFFIXES:
                    yield from _zip_members(child)
                elif suffix in SUPPORTED_SUFFIXES:
                    images.append(str(child))
            for light_set in lights.group(images, on_disk=False):  # a folder's files, by name
                yield _item(light_set, lambda file: (file, None), str)
    elif path.suffix.lower() in ZIP_SUFFIXES:
        yield from _zip_members(path)
    else:
        # Missing or odd files too: screening reports why they cannot be read.
        yield Item(str(path), str(path))


def _zip_members(path: Path) -> Iterator[Item]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(info.filename for info in archive.infolist() if not info.is_dir())
    except (OSError, zipfile.BadZipFile, ValueError):
        # Listed as itself: the screening task then reports "not a readable zip file".
        yield Item(str(path), str(path), member="")
        return
    members = [name for name in names if Path(name).suffix.lower() in SUPPORTED_SUFFIXES]
    for light_set in lights.group(members, on_disk=False):
        yield _item(light_set, lambda member: (str(path), member), lambda member: f"{path}{MEMBER_SEPARATOR}{member}")


def _item(light_set: lights.LightSet, where, named) -> Item:
    """The item for one of ``lights.group``'s sets: ``where(file)`` gives (path, member) and
    ``named(file)`` the name results carry; an ordinary file (``single``) is an item as always."""
    main = next(str(light_set.source(x)) for x in lights.LIGHTS if light_set.source(x) is not None)
    path, member = where(main)
    if light_set.single:
        return Item(named(main), path, member)
    files = tuple((light, str(light_set.source(light))) for light in light_set.supplied)
    return Item(named(main), path, member, lights=files)
