"""The one registry of the generator's families: page layouts, printers and captures.

A family is a function registered with ``@layout(...)``, ``@printer(...)`` or
``@capture(...)``, naming itself and whether it is **held out**: held-out families are only
ever measured (benchmarks/trust.py reports them first); no threshold, rule or model is set or
trained on them. The held-out names are fixed for everyone working on issue 12 (see
``HELD_OUT``); a test checks the registry against them.

    layout  (spec, dpi, seed, line_jitter) -> pieces   (layouts.py; render.render calls it)
    printer (piece RGBA, dpi, rng) -> piece            (how the personalisation printer inks it;
                                                        params: its line-to-line spread)
    capture (pieces, rng) -> Captured                  (conditions.py: a scanner, camera or copier)
    reader  (lit pieces, rng) -> {light: Captured}      (illumination.py: a full-page reader's white,
                                                        IR and UV images, for ``--lights`` sets)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

KINDS = ("layout", "printer", "capture", "reader")

# Fixed at the start of issue 12 for every helper: measured only, never tuned on.
HELD_OUT = {
    "layout": frozenset({"national_bilingual"}),
    "printer": frozenset({"thermal"}),
    "capture": frozenset({"booklet_curve", "photocopy"}),
    # Issue 15's full-page readers (white, IR, UV): one make measured only (benchmarks/light.py).
    "reader": frozenset({"reader_kiosk"}),
}


@dataclass(frozen=True)
class Family:
    kind: str
    name: str
    title: str
    held_out: bool
    make: Callable
    # Per-family parameters (a printer's line-to-line spread, a capture's dpi and image format).
    params: dict = field(default_factory=dict, hash=False, compare=False)


REGISTRY: dict[str, dict[str, Family]] = {kind: {} for kind in KINDS}


def _register(kind: str, name: str, title: str, held_out: bool, params: dict):
    def decorate(function: Callable) -> Callable:
        if name in REGISTRY[kind]:
            raise ValueError(f"{kind} family {name!r} registered twice")
        if held_out != (name in HELD_OUT[kind]):
            raise ValueError(f"{kind} family {name!r}: held_out={held_out} contradicts HELD_OUT")
        REGISTRY[kind][name] = Family(kind, name, title, held_out, function, dict(params))
        return function

    return decorate


def layout(name: str, title: str, *, held_out: bool = False, **params):
    return _register("layout", name, title, held_out, params)


def printer(name: str, title: str, *, held_out: bool = False, **params):
    return _register("printer", name, title, held_out, params)


def capture(name: str, title: str, *, held_out: bool = False, **params):
    return _register("capture", name, title, held_out, params)


def reader(name: str, title: str, *, held_out: bool = False, **params):
    return _register("reader", name, title, held_out, params)


def _load() -> None:
    # The modules that register families (imported here so that the registry is complete
    # whichever of them a caller imported first).
    from screening.samples import conditions, illumination, layouts, printers  # noqa: F401


def families(kind: str) -> dict[str, Family]:
    _load()
    return REGISTRY[kind]


def get(kind: str, name: str) -> Family:
    known = families(kind)
    if name not in known:
        raise KeyError(f"unknown {kind} {name!r}; known: {', '.join(known)}")
    return known[name]


def names(kind: str, held_out: bool | None = None) -> tuple[str, ...]:
    """The family names of ``kind`` in registration order (only held-out or tuning ones if asked)."""
    return tuple(n for n, f in families(kind).items() if held_out is None or f.held_out == held_out)


__all__ = ["Family", "HELD_OUT", "KINDS", "capture", "families", "get", "layout", "names", "printer", "reader"]
