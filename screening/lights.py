"""A page captured under several lights: white, infrared (about 870-950 nm) and ultraviolet (365 nm).

Full-page document readers capture each page three times in one position and save the images
side by side. This module turns file names into sets (``group``), says when a hot folder's set
has arrived or waited long enough (``arrivals``, ``SetTracker``), loads the images through
``screening.imageio`` and registers the infrared and ultraviolet images onto the white one
(``register``), and holds what the light checks (``screening.checks.light``) are given
(``LightEvidence``, carried by ``CheckContext.lights`` and ``Result.lights``).

    group(paths) -> [LightSet]            by configurable name patterns; folders; multi-page TIFFs
    arrivals(seen, now) -> Arrivals       ready / waiting / timed out, for a clock given by the caller
    load(source) -> grey page             imageio's decoders and limits (no loader of its own)
    register(white, other) -> Registration, registered image or None
    gather(light_set, white) -> LightEvidence

A file whose name follows no light pattern is a page under white light alone, screened exactly
as before (its set is ``single``).
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

import cv2
import numpy as np

from screening.errors import ScreeningError, UsageError
from screening.imageio import IMAGE_SUFFIXES, SUPPORTED_SUFFIXES, load_array, open_pages
from screening.text import Text

WHITE, IR, UV = "white", "ir", "uv"
LIGHTS = (WHITE, IR, UV)
LIGHT_WORDS = {WHITE: Text("white"), IR: Text("infrared"), UV: Text("ultraviolet")}

# What readers write after a shared stem for each light (case-insensitive). Seen in the naming
# conventions of full-page readers and their export tools: "white"/"vis"/"visible" for the white
# image, "ir"/"nir" (sometimes with the band, "ir870") for infrared, "uv" (sometimes "uv365") for
# ultraviolet; "w" alone only after a separator.
LIGHT_ALIASES: Mapping[str, str] = {
    "white": WHITE, "vis": WHITE, "visible": WHITE, "w": WHITE, "wh": WHITE,
    "ir": IR, "nir": IR, "infrared": IR,
    "uv": UV, "uva": UV, "ultraviolet": UV,
}

_TOKEN = r"white|visible|vis|wh|w|infrared|nir|ir|ultraviolet|uva|uv"


@dataclass(frozen=True)
class NamePattern:
    """A file-name convention: ``regex`` matched against the name without its suffix, with named
    groups ``stem`` (the document, shared by its lights) and ``light`` (a key of the aliases,
    digits after it ignored: "IR870", "UV365")."""

    regex: str
    title: str

    def __post_init__(self) -> None:
        # A configured pattern is checked when it is made, not at the first file it meets.
        try:
            groups = re.compile(self.regex).groupindex
        except re.error as error:
            raise UsageError(Text("The light-set name pattern {regex} is no regular expression: {error}.",
                                  regex=self.regex, error=str(error))) from None
        if not {"stem", "light"} <= set(groups):
            raise UsageError(Text("The light-set name pattern {regex} needs the named groups (?P<stem>...) and "
                                  "(?P<light>...).", regex=self.regex))

    def match(self, name: str, aliases: Mapping[str, str]) -> tuple[str, str] | None:
        found = re.fullmatch(self.regex, name, re.IGNORECASE)
        if found is None:
            return None
        token = re.sub(r"\d+$", "", found.group("light").lower())
        light = aliases.get(token)
        return None if light is None else (found.group("stem"), light)


DEFAULT_PATTERNS: tuple[NamePattern, ...] = (
    # 0001_white.jpg, 0001-IR.png, page 1.uv.bmp, 0001_Vis.jpg, 0001_IR870.tif
    NamePattern(rf"(?P<stem>.+?)[ _.\-](?P<light>(?:{_TOKEN})\d{{0,3}})", "a stem, a separator and the light"),
    # 0001UV.bmp, 0001IR.jpg, 0001Vis.jpg: the light written straight after a number
    NamePattern(r"(?P<stem>.*\d)(?P<light>(?:vis|ir|uv)\d{0,3})", "a stem ending in a digit, then Vis/IR/UV"),
    # white.jpg, IR.png, UV.bmp inside a folder per document
    NamePattern(rf"(?P<stem>)(?P<light>(?:{_TOKEN})\d{{0,3}})", "the light alone (in a folder per document)"),
)

# A multi-page TIFF whose pages are the lights, in this order (when the caller says its TIFFs are
# such: an ordinary multi-page TIFF is a document's pages, screened one by one as before).
TIFF_ORDER = (WHITE, IR, UV)


@dataclass(frozen=True)
class PageRef:
    """Page ``index`` (0-based) of a multi-page file."""

    path: str
    index: int


@dataclass(frozen=True)
class LightSet:
    """One page's images under the lights: a path, a ``PageRef`` or an image array per light (None
    where not supplied), and which of the expected lights are missing. ``single``: a file that
    follows no light naming, the white image alone as every scan before."""

    stem: str
    white: Any = None
    ir: Any = None
    uv: Any = None
    missing: tuple[str, ...] = ()
    single: bool = False
    # (light, why) for an image that was part of the set but could not be got at all (a zip member
    # that does not unpack): offered, so its checks say why they could not run, but with no source.
    unreadable: tuple[tuple[str, str], ...] = ()

    def source(self, light: str) -> Any:
        return {WHITE: self.white, IR: self.ir, UV: self.uv}[light]

    @property
    def supplied(self) -> tuple[str, ...]:
        return tuple(light for light in LIGHTS if self.source(light) is not None)

    @property
    def offered(self) -> tuple[str, ...]:
        """The lights the set came with: those supplied and those whose image could not be got."""
        broken = {light for light, _why in self.unreadable}
        return tuple(light for light in LIGHTS if self.source(light) is not None or light in broken)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def name(self) -> str:
        """What the result reports as its ``file``: the white image's path (another light's when
        the white is missing), a TIFF's page marked like screen_file's pages."""
        for light in LIGHTS:
            source = self.source(light)
            if isinstance(source, PageRef):
                return source.path
            if isinstance(source, (str, os.PathLike)):
                return os.fspath(source)
        return self.stem or "<array>"


def _light_of(name: str, patterns: Sequence[NamePattern], aliases: Mapping[str, str]) -> tuple[str, str] | None:
    for pattern in patterns:
        found = pattern.match(name, aliases)
        if found is not None:
            return found
    return None


def group(paths: Iterable[str | os.PathLike], patterns: Sequence[NamePattern] = DEFAULT_PATTERNS, *,
          aliases: Mapping[str, str] = LIGHT_ALIASES, expect: tuple[str, ...] = LIGHTS,
          tiff_order: tuple[str, ...] | None = None, on_disk: bool = True) -> list[LightSet]:
    """The light sets among ``paths``, in the order their first file comes.

    - Files of one folder whose names share a stem and carry a light (``patterns``) form one set;
      a set lacking one of ``expect`` says so in ``missing``.
    - A folder is one document when the images in it carry lights (``white.jpg``, ``0001_ir.png``);
      a folder of other files is expanded into its files, grouped the same way.
    - A multi-page TIFF is a set of lights only when ``tiff_order`` is given (e.g. ``TIFF_ORDER``):
      page i is light ``tiff_order[i]``. Otherwise it is a document's pages, as before.
    - Any other file is a ``single`` set: its white image alone, screened exactly as before.
    A second file for a light the set already has stays a set of its own (nothing is dropped).
    ``on_disk=False``: the paths are names only (an upload's, a zip's members), grouped by name
    without looking at the disk: no folder is expanded and no TIFF opened.
    """
    sets: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[tuple[str, str]] = []
    extra: list[LightSet] = []
    for raw in paths:
        path = Path(raw)
        if on_disk and path.is_dir():
            folder = _folder_set(path, patterns, aliases, expect)
            if folder is not None:
                key = ("dir", str(path))
                sets[key] = folder
                order.append(key)
                continue
            inner = sorted(p for p in path.iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
            for found in group(inner, patterns, aliases=aliases, expect=expect, tiff_order=tiff_order):
                key = ("set", f"{len(order)}")
                sets[key] = {"__set__": found}
                order.append(key)
            continue
        if on_disk and tiff_order and path.suffix.lower() in (".tif", ".tiff"):
            tiff = _tiff_set(path, tiff_order, expect)
            if tiff is not None:
                key = ("set", str(path))
                sets[key] = {"__set__": tiff}
                order.append(key)
                continue
        found = _light_of(path.stem, patterns, aliases) if path.suffix.lower() in IMAGE_SUFFIXES else None
        if found is None:
            key = ("set", str(path))
            sets[key] = {"__set__": LightSet(path.stem, white=str(path), single=True)}
            order.append(key)
            continue
        stem, light = found
        key = (str(path.parent), stem.lower())
        members = sets.get(key)
        if members is None:
            members = sets[key] = {"__stem__": stem}
            order.append(key)
        if light in members:
            extra.append(LightSet(f"{stem}", **{light: str(path)},
                                  missing=tuple(x for x in expect if x != light)))
            continue
        members[light] = str(path)
    out = []
    for key in order:
        members = sets[key]
        if "__set__" in members:
            out.append(members["__set__"])
            continue
        lights = {light: members[light] for light in LIGHTS if light in members}
        out.append(LightSet(members.get("__stem__", ""), **lights,
                            missing=tuple(x for x in expect if x not in lights)))
    return out + extra


def _folder_set(folder: Path, patterns, aliases, expect) -> dict[str, Any] | None:
    """A folder per document: every image in it carries a light (in any of the conventions)."""
    images = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    lights: dict[str, str] = {}
    for image in images:
        found = _light_of(image.stem, patterns, aliases)
        if found is None:
            return None
        lights.setdefault(found[1], str(image))
    if not lights:
        return None
    return {"__set__": LightSet(folder.name, **lights, missing=tuple(x for x in expect if x not in lights))}


def _tiff_set(path: Path, order: tuple[str, ...], expect) -> LightSet | None:
    """A TIFF of 2 to len(order) pages as lights in ``order`` (page sizes are imageio's to check)."""
    try:
        count = len(open_pages(path))
    except ScreeningError:
        return None  # not decodable: screened as an ordinary file, whose result says why
    if not 2 <= count <= len(order):
        return None
    lights = {order[i]: PageRef(str(path), i) for i in range(count)}
    return LightSet(path.stem, **lights, missing=tuple(x for x in expect if x not in lights))


# ------------------------------------------------------------------ arrival in a hot folder

# How long an incomplete set waits after its last file before it is screened as far as it goes
# (and says what is missing). Not a measurement of ours (we have no reader here): a full-page
# reader exposes the page under each light in turn and saves each image as it is taken, so a
# page's three images arrive within a second or two of each other; 4 s is twice the slower end of
# that, so a slow save does not cut a set short, and well under the several seconds an officer
# takes to lay the next page on the glass. The kiosk sets it (light_set_timeout_seconds,
# docs/kiosk.md); a reader that writes the same names for every page needs no timeout to move on
# (SetTracker: a light the set already has starts the next set).
DEFAULT_TIMEOUT_S = 4.0


@dataclass(frozen=True)
class Arrivals:
    ready: tuple[LightSet, ...]  # complete (or single files): screen now
    waiting: tuple[LightSet, ...]  # incomplete, still within the timeout
    timed_out: tuple[LightSet, ...]  # incomplete past the timeout: screen as far as it goes


def arrivals(seen: Mapping[str, float], now: float, *, timeout: float = DEFAULT_TIMEOUT_S,
             patterns: Sequence[NamePattern] = DEFAULT_PATTERNS, aliases: Mapping[str, str] = LIGHT_ALIASES,
             expect: tuple[str, ...] = LIGHTS) -> Arrivals:
    """Which of the sets formed by the files ``seen`` (path -> arrival time, on the caller's clock)
    are ready at ``now``: complete sets and single files at once; an incomplete set once no file
    of it has arrived for ``timeout`` seconds. A pure function: the caller keeps the clock."""
    seen = {str(Path(path)): when for path, when in seen.items()}
    ready, waiting, timed_out = [], [], []
    for light_set in group(sorted(seen, key=lambda p: (seen[p], p)), patterns, aliases=aliases, expect=expect):
        if light_set.single or light_set.complete:
            ready.append(light_set)
            continue
        last = max(seen[_path_of(light_set.source(light))] for light in light_set.supplied)
        (timed_out if now - last >= timeout else waiting).append(light_set)
    return Arrivals(tuple(ready), tuple(waiting), tuple(timed_out))


def _path_of(source: Any) -> str:
    return str(Path(source.path if isinstance(source, PageRef) else source))


@dataclass
class _Gathering:
    """A set the tracker is still gathering: light -> where its file is, and when the last came."""

    stem: str
    members: dict[str, str]
    last: float


class SetTracker:
    """The hot folder's memory of arrivals: ``seen(path)`` when a file appears, ``due()`` for the
    sets to screen now (complete, single, or timed out), each handed out once. ``clock`` is
    injectable (tests pass a fake one).

    ``seen(path, stored_as=...)``: ``path`` is the name the reader wrote (its set is found from
    it), ``stored_as`` where the file is now (the hot folder takes each file out of the folder as
    it arrives); the sets handed out name where the files are. A file for a light the gathering set
    already has is the next page's (readers that write ``white.jpg``, ``ir.jpg``, ``uv.jpg`` for
    every page): the set before it is due at once, as far as it goes, and the file starts a new one,
    so two pages' images are never mixed."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT_S, clock: Callable[[], float] = time.monotonic,
                 patterns: Sequence[NamePattern] = DEFAULT_PATTERNS, aliases: Mapping[str, str] = LIGHT_ALIASES,
                 expect: tuple[str, ...] = LIGHTS):
        self.timeout, self.clock, self.patterns, self.expect = timeout, clock, tuple(patterns), expect
        self.aliases = aliases
        self._open: dict[tuple[str, str], _Gathering] = {}
        self._closed: list[LightSet] = []

    def seen(self, path: str | os.PathLike, stored_as: str | os.PathLike | None = None) -> None:
        name = Path(path)
        where = str(Path(stored_as)) if stored_as is not None else str(name)
        found = _light_of(name.stem, self.patterns, self.aliases) if name.suffix.lower() in IMAGE_SUFFIXES else None
        if found is None:
            self._closed.append(LightSet(name.stem, white=where, single=True))
            return
        stem, light = found
        key = (str(name.parent), stem.lower())
        gathering = self._open.get(key)
        if gathering is not None and light in gathering.members:
            if gathering.members[light] == where:
                return  # the same file reported again
            self._closed.append(self._set(gathering))  # the reader has moved on to the next page
            gathering = None
        if gathering is None:
            gathering = self._open[key] = _Gathering(stem, {}, self.clock())
        gathering.members[light] = where
        gathering.last = self.clock()

    def waiting(self) -> tuple[LightSet, ...]:
        now = self.clock()
        return tuple(self._set(g) for g in self._open.values()
                     if not self._set(g).complete and now - g.last < self.timeout)

    def due(self) -> list[LightSet]:
        out, self._closed = self._closed, []
        now = self.clock()
        for key, gathering in list(self._open.items()):
            light_set = self._set(gathering)
            if light_set.complete or now - gathering.last >= self.timeout:
                out.append(light_set)
                del self._open[key]
        return out

    def _set(self, gathering: _Gathering) -> LightSet:
        lights = {light: gathering.members[light] for light in LIGHTS if light in gathering.members}
        return LightSet(gathering.stem, **lights, missing=tuple(x for x in self.expect if x not in lights))


# ------------------------------------------------------------------ loading and registration


def load(source: Any, name: str = "<array>") -> np.ndarray:
    """One light's image as a grey uint8 page, decoded by screening.imageio (its formats, limits
    and typed errors): a path (its first page), a ``PageRef`` (that page), or an array."""
    if isinstance(source, np.ndarray):
        return load_array(source, name)[0].image
    if isinstance(source, PageRef):
        return next(open_pages(source.path).decode(source.index)).image
    return next(open_pages(source).decode(0)).image


# The bounds registration accepts, from the sets of the tuning reader, layout and printer
# families (`benchmarks/light.py --calibrate --seed 15`: 300 clean sets and 240 with a light
# defect): their crops differ by at most 9.4 px at 300 dpi, and a genuine IR image's edges
# correlate with its white one's at a phase-correlation response of 0.543 at the least (0.627 on
# clean sets), a genuine UV image's (dim, its print quenched) at 0.063. The bound on the shift is
# three times the largest difference; the responses accepted are a little over half the genuine
# minima (0.30 of 0.543, 0.035 of 0.063). Noise, a blank frame and another layout correlate below
# 0.005; another document of the same layout laid in the same place correlates at up to 0.498 (IR)
# and 0.157 (UV), which registration cannot refuse (docs/lights.md).
MAX_SHIFT_SHARE = 0.02  # of the image's longer side (30 px on a TD3 page at 300 dpi)
MIN_RESPONSE = {"ir": 0.30, "uv": 0.035}


@dataclass(frozen=True)
class Registration:
    """How one light's image was laid onto the white one: the shift that moves it there (pixels of
    the white image, x right and y down), the phase-correlation response (0..1: how strongly the
    two images' edges agree), and whether it was accepted; if not, ``reason`` says why."""

    light: str
    shift: tuple[float, float]
    response: float
    accepted: bool
    reason: str = ""  # "", "low_response", "shift_too_large", "size_mismatch", "unreadable"
    max_shift: float = 0.0
    detail: str = ""
    min_response: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"shift": [round(self.shift[0], 2), round(self.shift[1], 2)], "response": round(self.response, 4),
                "accepted": self.accepted, "reason": self.reason or None, "max_shift": round(self.max_shift, 1)}


def _edges(image: np.ndarray) -> np.ndarray:
    """The representation both lights share: where the page's edges are, not how bright it is
    (IR drops the background print and UV darkens the paper, but the MRZ, the black print and the
    page's outline keep their edges)."""
    soft = cv2.GaussianBlur(image.astype(np.float32), (0, 0), 1.5)
    gx = cv2.Sobel(soft, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(soft, cv2.CV_32F, 0, 1, ksize=3)
    magnitude = np.sqrt(gx * gx + gy * gy)
    # Each image's edges on one scale (a dim UV image has weaker edges than the white one).
    top = float(np.percentile(magnitude, 99.5)) or 1.0
    return np.clip(magnitude / top, 0, 1)


def _fit(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``image`` cut or padded (edge pixels repeated) to ``shape``, anchored at the top left."""
    h, w = shape
    out = image[:h, :w]
    pad_y, pad_x = h - out.shape[0], w - out.shape[1]
    if pad_y or pad_x:
        out = cv2.copyMakeBorder(out, 0, pad_y, 0, pad_x, cv2.BORDER_REPLICATE)
    return out


def register(white: np.ndarray, other: np.ndarray, light: str, *, max_shift_share: float = MAX_SHIFT_SHARE,
             min_response: float | None = None) -> tuple[Registration, np.ndarray | None]:
    """``other`` (an IR or UV image of the same page) shifted onto ``white``'s pixels, by phase
    correlation of the two images' edge maps; None when they do not correspond (a response below
    ``min_response`` or a shift beyond ``max_shift_share`` of the longer side), or when their sizes
    differ by more than a crop's few pixels."""
    h, w = white.shape[:2]
    max_shift = max_shift_share * max(h, w)
    min_response = MIN_RESPONSE[light] if min_response is None else min_response
    oh, ow = other.shape[:2]
    if abs(oh - h) > max_shift or abs(ow - w) > max_shift:
        return Registration(light, (0.0, 0.0), 0.0, False, "size_mismatch", max_shift,
                            f"{ow}x{oh} against {w}x{h}", min_response), None
    other_fit = _fit(other, (h, w))
    a, b = _edges(white), _edges(other_fit)
    window = cv2.createHanningWindow((w, h), cv2.CV_32F)
    (dx, dy), response = cv2.phaseCorrelate(a, b, window)
    shift = (-float(dx), -float(dy))  # what moves ``other`` onto ``white``
    if not math.isfinite(response) or response < min_response:
        return Registration(light, shift, float(response) if math.isfinite(response) else 0.0, False,
                            "low_response", max_shift, min_response=min_response), None
    if math.hypot(*shift) > max_shift:
        return Registration(light, shift, float(response), False, "shift_too_large", max_shift,
                            min_response=min_response), None
    matrix = np.float32([[1, 0, shift[0]], [0, 1, shift[1]]])
    registered = cv2.warpAffine(other_fit, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return Registration(light, shift, float(response), True, "", max_shift, min_response=min_response), registered


# ------------------------------------------------------------------ what the checks are given


@dataclass(frozen=True)
class LightEvidence:
    """What the light stage hands to the checks (``CheckContext.lights``): which lights were
    supplied and which expected ones are missing, how each was registered, and the registered
    IR and UV images (grey, the white page's size; None when not supplied or refused). The images
    are never serialised; a result keeps the rest (``to_dict``). ``uv_signature`` is filled in
    after the checks (``screening.checks.light.uv_signature``) for the audit's comparisons."""

    supplied: tuple[str, ...]
    missing: tuple[str, ...] = ()
    registrations: tuple[Registration, ...] = ()
    ir: np.ndarray | None = field(default=None, repr=False, compare=False)
    uv: np.ndarray | None = field(default=None, repr=False, compare=False)
    unreadable: tuple[tuple[str, str], ...] = ()  # (light, why) for an image that could not be decoded
    uv_signature: Mapping[str, Any] | None = field(default=None, compare=False)

    def registration(self, light: str) -> Registration | None:
        return next((r for r in self.registrations if r.light == light), None)

    def image(self, light: str) -> np.ndarray | None:
        return {IR: self.ir, UV: self.uv}.get(light)

    def without_images(self) -> LightEvidence:
        return dataclasses.replace(self, ir=None, uv=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "supplied": list(self.supplied),
            "missing": list(self.missing),
            "registration": {r.light: r.to_dict() for r in self.registrations},
            "unreadable": {light: why for light, why in self.unreadable},
            "uv_signature": dict(self.uv_signature) if self.uv_signature is not None else None,
        }


def gather(light_set: LightSet, white: np.ndarray) -> LightEvidence:
    """The evidence for ``light_set`` whose white page is ``white``: its IR and UV images loaded
    and registered onto it. An image that cannot be decoded (or could not be got at all:
    ``LightSet.unreadable``) counts as offered but unreadable, with why."""
    registrations, images = [], {}
    unreadable = [(light, why) for light, why in light_set.unreadable if light != WHITE]
    for light in (IR, UV):
        source = light_set.source(light)
        if source is None:
            continue
        try:
            image = load(source, f"{light_set.stem}_{light}")
        except ScreeningError as error:
            unreadable.append((light, error.message))
            continue
        registration, registered = register(white, image, light)
        registrations.append(registration)
        images[light] = registered
    unreadable.sort(key=lambda pair: LIGHTS.index(pair[0]))
    return LightEvidence(light_set.offered, light_set.missing, tuple(registrations), images.get(IR),
                         images.get(UV), tuple(unreadable))


__all__ = ["Arrivals", "DEFAULT_PATTERNS", "DEFAULT_TIMEOUT_S", "IR", "LIGHTS", "LIGHT_ALIASES", "LightEvidence",
           "LightSet", "NamePattern", "PageRef", "Registration", "SetTracker", "TIFF_ORDER", "UV", "WHITE",
           "arrivals", "gather", "group", "load", "register"]
