"""Specimen documents for trainers: data pages with planted defects, answer keys, course sheets.

Stages (one module each, plain frozen dataclasses between them):
``specimen`` (content and defects) -> ``render`` (the page at true size) ->
``conditions`` (scan or phone photo) -> ``generate`` (files and answer key) -> ``course`` (PDF).
Layouts, printers and captures are registered families (``families``: layouts.py,
printers.py, conditions.py), some of them held out; the defects are registered in defects.py
and listed with the conditions in ``catalogue``; docs/samples.md explains them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from screening.samples import families
from screening.samples.catalogue import CONDITIONS, CURATED_CONDITIONS, DEFECTS, FORMATS, LIGHT_DEFECTS
from screening.samples.generate import Options, generate, image_hashes, plan

__all__ = ["CONDITIONS", "DEFECTS", "FORMATS", "Options", "generate", "image_hashes", "options_from_args", "plan"]


def _choices(text: str | None, known, what: str) -> tuple[str, ...] | None:
    if text is None:
        return None
    if text.strip().lower() == "none":
        return ()
    if text.strip().lower() == "all":
        return tuple(known)
    values = tuple(v.strip() for v in text.split(",") if v.strip())
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ValueError(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(known)})")
    return values


def options_from_args(args: argparse.Namespace) -> Options:
    """Options from the command line of ``screening samples generate``; ValueError names a bad value."""
    if args.count < 1:
        raise ValueError("--count must be at least 1")
    if not 0 <= args.clean_share <= 1:
        raise ValueError("--clean-share must be between 0 and 1")
    formats = _choices(args.formats, FORMATS, "format")
    if formats == ():
        raise ValueError("--formats needs at least one format")
    lights = bool(getattr(args, "lights", False))
    if lights:  # full-page readers capture these sets; the held-out one only when named
        conditions = _choices(args.conditions, families.names("reader"), "reader family")
        known_defects = (*DEFECTS, *LIGHT_DEFECTS)
        default_conditions = families.names("reader", held_out=False)
    else:
        conditions = _choices(args.conditions, tuple(CONDITIONS), "condition")
        known_defects = tuple(DEFECTS)
        default_conditions = CURATED_CONDITIONS
    if conditions == ():
        raise ValueError("--conditions needs at least one condition")
    if args.preset and lights:
        raise ValueError("--preset curated is a white-light set: it cannot be combined with --lights")
    defects = _choices(args.defects, known_defects, "defect")
    layouts = _choices(getattr(args, "layouts", None), families.names("layout"), "layout")
    printers = _choices(getattr(args, "printers", None), families.names("printer"), "printer")
    if layouts == () or printers == ():
        raise ValueError("--layouts and --printers need at least one family")
    return Options(
        out=Path(args.out), count=args.count, seed=args.seed, today=args.today or dt.date.today(),
        formats=formats or FORMATS, conditions=conditions or default_conditions,
        layouts=layouts or ("icao_en",), printers=printers or ("laser",),
        defects=known_defects if defects is None else defects, clean_share=args.clean_share,
        max_defects=args.max_defects, overprint=args.overprint, preset=args.preset, course=not args.no_course,
        lights=lights,
    )
