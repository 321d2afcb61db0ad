"""The page under infrared and ultraviolet light: the first-line checks of a full-page reader.

Only for a page screened as a set of lights (``pipeline.screen_light_set``: ``CheckContext.lights``
holds the registered IR and UV images, screening.lights.LightEvidence); a single image or a typed
MRZ yields nothing here, and its result has no ``lights``. A set without an IR or UV image
yields a skip for each check that needs it: of no severity when the light was never offered (the
white image alone), a review when the set should have had it (an incomplete set, an image that
could not be read or does not correspond to the white one). A set whose white page gives no MRZ
lists every check as a skip too (``not_screened``, called by the pipeline). docs/checks.md says why.

Every measurement is made on the white page's pixels and the registered IR/UV pixels at the same
places: the MRZ's character cells from the reader's outline (screening.zones), the visual zone
above it, the portrait area placed from the MRZ. Contrasts are relative to each image's own paper
(1 - ink / paper), so a reader's exposure does not move them.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from screening import zones
from screening.checks.registry import SPECS, CheckContext, CheckSpec, check
from screening.lights import IR, LIGHT_WORDS, UV, WHITE
from screening.models import REVIEW, SKIP, Finding
from screening.mrz.formats import LAYOUTS
from screening.text import Join, Text

# Every threshold below was set from the spread of clean generated sets over the tuning families
# only: `benchmarks/light.py --calibrate --seed 15` (2026-12-03), 300 clean sets and 60 of each light
# defect, every tuning reader (screening/samples/illumination.py) x tuning layout x tuning printer in
# turn, every format. The held-out reader, layout and printer were never drawn there; each comment
# names the measurement and its figures.

# light.ir_mrz: the median over the MRZ's characters of (IR contrast / white contrast), each the
# character cell's darkest 3 % against the MRZ band's paper. Clean sets: 0.80 at the lowest
# (reader_compact, whose IR gamma below 1 lifts the ink), about 1.0 typically; an MRZ in non-IR ink:
# 0.35 at the highest. The limit keeps 0.25 (a third of the genuine minimum) below the genuine
# minimum and 0.2 above the fakes' maximum.
IR_MRZ_MIN = 0.55
# light.consistency, the MRZ: a run of at least PATCH_RUN characters on one line whose retention
# is below PATCH_SHARE of the MRZ's median. Clean sets: no character below 0.89 of its MRZ's
# median, no run of three below 0.93; a patched field (residual 5-30 %) stays below 0.36.
PATCH_SHARE = 0.5
PATCH_RUN = 3
# light.uv_paper: the median UV brightness (0-255 grey) of the paper between the visual zone's
# print. Clean sets: 48 at the highest (reader_compact's bright UV exposure); brightened paper: 109
# at the lowest. The limit sits about half again above the genuine maximum.
UV_PAPER_MAX = 75
# light.consistency, the portrait: the portrait area's lighter half under UV against the page's
# paper (median / median). Clean sets: 1.10 at the most (an emblem or fibres crossing the area); a
# substituted photo: 3.04 at the least. The limit sits 60 % above the genuine maximum.
PHOTO_UV_RATIO_MAX = 1.8
# light.uv_features: fluorescent pixels are at least FLUORESCENT_STEP grey levels and
# FLUORESCENT_FACTOR times brighter than the paper's median. Bare paper's 95th percentile lies at
# most 17 levels above its median (reader_compact's noise, on papers of median 30-48, where the
# factor asks 24-38 levels) and at most 8 on the other readers (medians 16-43, where the step's 20
# levels is the stricter below a median of 25): either way noise alone stays below both. Clean sets
# show 1.5 % of the visual zone at the least (fibres, and the series' emblem where it is not under
# print), brightened paper 0.0 %; a page with less than a fifth of the genuine minimum is
# reported (a notice only: series differ, and only an audit compares documents of one series).
FLUORESCENT_STEP = 20
FLUORESCENT_FACTOR = 1.8
UV_FEATURES_MIN = 0.3  # % of the visual zone

# The scales the measurements are cut at: the MRZ's strokes (0.3 mm) need a dozen pixels a mm;
# the visual zone's paper and fluorescence are read coarser.
MRZ_PX_PER_MM = 12.0
VIZ_PX_PER_MM = 6.0
# Cells whose darkest pixels are within this relative contrast of the paper hold no character.
MIN_CELL_CONTRAST = 0.25
# Pixels of the visual zone counted as its dark print (relative contrast in white light), and as paper.
PRINT_CONTRAST = 0.45
PAPER_CONTRAST = 0.12
# The signature the audit compares: the fluorescent share per cell of a grid over the visual zone.
SIGNATURE_GRID = (4, 8)  # rows, columns


def _white_page(ctx: CheckContext):
    """The white page the MRZ was read from and its quarter turns (the one place that knows where
    the page is kept; None for a typed MRZ)."""
    read = ctx.read
    if read is None or ctx.page is None:
        return None
    return ctx.page, read.quarter_turns


@dataclass(frozen=True)
class _Views:
    """The white page and the registered IR/UV images turned upright, and the MRZ's frame."""

    white: np.ndarray
    ir: np.ndarray | None
    uv: np.ndarray | None
    frame: zones.Frame
    # Upright masks (uint8) of the portrait's places, one per side (zones.PORTRAIT_SIDES): where
    # Doc 9303 puts it, and mirrored along the MRZ for pages that print it on the right.
    portraits: tuple[tuple[str, np.ndarray], ...]
    lines: int
    length: int


def _views(ctx: CheckContext) -> _Views | None:
    found = _white_page(ctx)
    read = ctx.read
    layout = LAYOUTS.get(ctx.parsed.format)
    if found is None or read is None or read.region is None or layout is None:
        return None
    page, turns = found
    polygon = read.region
    white, points = zones.upright(page, turns, polygon)
    fr = zones.frame(points, layout.length)
    if fr is None:
        return None
    evidence = ctx.lights

    def turned(image):
        return None if image is None else zones.upright(image, turns, polygon)[0]

    masks = []
    for side in zones.PORTRAIT_SIDES:
        corners = zones.portrait_corners(polygon, ctx.parsed.format, inset=0.15, side=side)
        if corners is None:
            continue
        mask = np.zeros(page.shape[:2], np.uint8)
        cv2.fillPoly(mask, [np.round(corners).astype(np.int32)], 255)
        masks.append((side, turned(mask)))
    return _Views(white, turned(evidence.ir), turned(evidence.uv), fr, tuple(masks), layout.lines, layout.length)


# ------------------------------------------------------------------ measurements


@dataclass(frozen=True)
class MRZCells:
    """Per MRZ character: (line, position, white contrast, IR contrast), both relative to the band's paper."""

    cells: tuple[tuple[int, int, float, float], ...]

    def retention(self) -> list[tuple[int, int, float]]:
        return [(line, pos, ir / white) for line, pos, white, ir in self.cells if white >= MIN_CELL_CONTRAST]

    def median(self) -> float | None:
        values = [r for _, _, r in self.retention()]
        return float(np.median(values)) if values else None


def mrz_cells(views: _Views) -> MRZCells | None:
    fr, margin = views.frame, 1.5
    box = (-fr.width_mm / 2 - margin, -fr.height_mm / 2 - margin, fr.width_mm / 2 + margin, fr.height_mm / 2 + margin)
    band_w = zones.cut(views.white, fr, MRZ_PX_PER_MM, box).astype(np.float32)
    band_ir = zones.cut(views.ir, fr, MRZ_PX_PER_MM, box).astype(np.float32)
    paper_w, paper_ir = float(np.percentile(band_w, 90)), float(np.percentile(band_ir, 90))
    if paper_w < 1 or paper_ir < 1:
        return None
    pitch = fr.width_mm / (views.length - 1 + zones.GLYPH_WIDTH)
    line_pitch = fr.height_mm / (views.lines - 1 + zones.GLYPH_HEIGHT)
    cells = []
    for line in range(views.lines):
        top = (margin + (line - 0.25) * line_pitch) * MRZ_PX_PER_MM
        rows = slice(max(int(top), 0), int(top + line_pitch * MRZ_PX_PER_MM))
        for pos in range(views.length):
            left = (margin + (pos - 0.15) * pitch) * MRZ_PX_PER_MM
            cols = slice(max(int(left), 0), int(left + pitch * MRZ_PX_PER_MM))
            cell_w, cell_ir = band_w[rows, cols], band_ir[rows, cols]
            if cell_w.size == 0:
                continue
            white = 1 - float(np.percentile(cell_w, 3)) / paper_w
            ir = 1 - float(np.percentile(cell_ir, 3)) / paper_ir
            cells.append((line, pos, white, ir))
    return MRZCells(tuple(cells))


@dataclass(frozen=True)
class VizMeasure:
    print_retention: float | None  # the visual zone's dark print: IR contrast / white contrast (median)
    paper_uv: float | None  # median UV grey of the paper between the print
    photo_uv: float | None  # median UV grey of the portrait area's light pixels
    photo_side: str | None  # where that area is (zones.PORTRAIT_SIDES): the brighter of the two under UV
    fluorescent_share: float | None  # % of the visual zone
    grid: tuple[tuple[int, ...], ...] | None  # fluorescent % per cell of SIGNATURE_GRID


def viz_measure(views: _Views) -> VizMeasure | None:
    fr = views.frame
    box = zones.above_mrz(fr)
    if box is None:
        return None
    inside = zones.inside(views.white.shape, fr, VIZ_PX_PER_MM, box)
    white = zones.cut(views.white, fr, VIZ_PX_PER_MM, box).astype(np.float32)
    sides = [side for side, _mask in views.portraits]
    areas = [zones.cut(mask, fr, VIZ_PX_PER_MM, box) > 127 for _side, mask in views.portraits]
    portrait = np.logical_or.reduce(areas) if areas else np.zeros_like(inside)
    if inside.sum() < 100:
        return None
    paper_w = float(np.percentile(white[inside], 90))
    contrast_w = 1 - white / max(paper_w, 1.0)
    retention = paper_uv = photo_uv = photo_side = share = grid = None
    if views.ir is not None:
        ir = zones.cut(views.ir, fr, VIZ_PX_PER_MM, box).astype(np.float32)
        paper_ir = float(np.percentile(ir[inside], 90))
        darkest_ir = cv2.erode(ir, np.ones((3, 3), np.uint8))  # a pixel or two of registration error
        contrast_ir = 1 - darkest_ir / max(paper_ir, 1.0)
        printed = inside & ~portrait & (contrast_w >= PRINT_CONTRAST)
        if printed.sum() >= 50:
            retention = float(np.median(contrast_ir[printed] / contrast_w[printed]))
    if views.uv is not None:
        uv = zones.cut(views.uv, fr, VIZ_PX_PER_MM, box).astype(np.float32)
        paper = inside & ~portrait & (contrast_w <= PAPER_CONTRAST)
        if paper.sum() >= 100:
            paper_uv = float(np.median(uv[paper]))
            for side, area in zip(sides, areas):  # the brighter of the two places under UV
                area = inside & area
                if area.sum() >= 100:  # the area's lighter half: a photo's ground, not the print on it
                    photo = area & (contrast_w <= np.percentile(contrast_w[area], 50))
                    level = float(np.median(uv[photo]))
                    if photo_uv is None or level > photo_uv:
                        photo_uv, photo_side = level, side
            glowing = inside & (uv >= paper_uv + max(FLUORESCENT_STEP, (FLUORESCENT_FACTOR - 1) * paper_uv))
            share = 100 * float(glowing.sum()) / float(inside.sum())
            grid = _grid(glowing, inside)
    return VizMeasure(retention, paper_uv, photo_uv, photo_side, share, grid)


def _grid(glowing: np.ndarray, inside: np.ndarray) -> tuple[tuple[int, ...], ...]:
    rows, cols = SIGNATURE_GRID
    h, w = glowing.shape
    out = []
    for r in range(rows):
        row = []
        for c in range(cols):
            cell = (slice(r * h // rows, (r + 1) * h // rows), slice(c * w // cols, (c + 1) * w // cols))
            area = int(inside[cell].sum())
            row.append(round(100 * float(glowing[cell].sum()) / area) if area else 0)
        out.append(tuple(row))
    return tuple(out)


def uv_signature(ctx: CheckContext) -> dict | None:
    """The page's UV feature signature, for comparing documents of one series (audits): the
    fluorescent share of the visual zone and per cell of a grid over it, and the paper's UV level."""
    if ctx.lights is None or ctx.lights.uv is None:
        return None
    views = _views(ctx)
    measure = viz_measure(views) if views is not None else None
    if measure is None or measure.fluorescent_share is None:
        return None
    return {"fluorescent_share": round(measure.fluorescent_share, 2), "paper_uv": round(measure.paper_uv, 1),
            "grid": [list(row) for row in measure.grid], "grid_shape": list(SIGNATURE_GRID)}


# ------------------------------------------------------------------ why a light cannot be used

def _unavailable(ctx: CheckContext, check_id: str, light: str):
    """A skip for ``check_id`` when ``light``'s image cannot be used, or None when it can."""
    evidence = ctx.lights
    supplied = Join(", ", [LIGHT_WORDS[x] for x in evidence.supplied])
    if WHITE not in evidence.supplied:
        return ctx.skipped(check_id, "Not checked: the set has no white-light image to compare with "
                                     "(it has {supplied}).", (), REVIEW, supplied=supplied)
    if light in evidence.missing:
        # The reader was meant to give it (an incomplete set): the officer looks under that light.
        return ctx.skipped(check_id, "Not checked: the {light} image of this set is missing (it has {supplied}).",
                           (), REVIEW, light=LIGHT_WORDS[light], supplied=supplied)
    unreadable = dict(evidence.unreadable)
    if light in unreadable:
        return ctx.skipped(check_id, "Not checked: the {light} image could not be read: {why}", (), REVIEW,
                           light=LIGHT_WORDS[light], why=unreadable[light])
    if light not in evidence.supplied:
        # Never offered under that light (a white image alone): nothing to check, nothing missed.
        if light == IR:
            return ctx.skipped(check_id, "Not checked: no infrared image was supplied (the page was screened under "
                                         "white light only).", (), None)
        return ctx.skipped(check_id, "Not checked: no ultraviolet image was supplied (the page was screened under "
                                     "white light only).", (), None)
    registration = evidence.registration(light)
    if registration is not None and not registration.accepted:
        if registration.reason == "size_mismatch":
            return ctx.skipped(check_id, "Not checked: the {light} image is {detail} pixels: not the same capture "
                                         "as the white image.", (), REVIEW, light=LIGHT_WORDS[light],
                               detail=registration.detail)
        return ctx.skipped(check_id, "Not checked: the {light} image does not correspond to the white one "
                                     "(edge correlation {response}, shift {shift} px; a capture of the same page "
                                     "correlates at {min_response} or more within {max_shift} px).", (), REVIEW,
                           light=LIGHT_WORDS[light], response=f"{registration.response:.3f}",
                           shift=f"{np.hypot(*registration.shift):.1f}",
                           min_response=f"{registration.min_response:.3f}",
                           max_shift=f"{registration.max_shift:.0f}")
    return None


def _percent(value: float) -> str:
    return f"{100 * value:.0f}"


# ------------------------------------------------------------------ the checks


@check(
    CheckSpec("light.ir_mrz", "alert", "The MRZ stays black under infrared (B900-absorbing ink, Doc 9303 Part 3)",
              misread_can_fail=False),
    CheckSpec("light.uv_paper", "alert", "The paper is dull under ultraviolet (no optical brighteners)",
              misread_can_fail=False),
    CheckSpec("light.consistency", "alert",
              "The MRZ's characters and the portrait look alike under every light (no patched field, no "
              "substituted photo)", misread_can_fail=False),
    CheckSpec("light.uv_features", None,
              "UV-fluorescent features (fibres, printed patterns) are present; audits compare them within a series",
              misread_can_fail=False),
)
def lights(ctx: CheckContext):
    evidence = ctx.lights
    if evidence is None:
        return  # not screened as a set of lights (a single image, a typed MRZ)
    skips = {check_id: _unavailable(ctx, check_id, light) for check_id, light in
             (("light.ir_mrz", IR), ("light.uv_paper", UV), ("light.uv_features", UV))}
    consistency_ir, consistency_uv = _unavailable(ctx, "light.consistency", IR), _unavailable(ctx, "light.consistency", UV)
    views = None
    if not all(skips.values()) or consistency_ir is None or consistency_uv is None:
        views = _views(ctx)
        if views is None:
            for check_id in ("light.ir_mrz", "light.uv_paper", "light.consistency", "light.uv_features"):
                yield ctx.skipped(check_id, "Not checked: the MRZ's outline could not be placed on the page, so the "
                                            "lights cannot be compared there.", (), REVIEW)
            return
    cells = mrz_cells(views) if views is not None and views.ir is not None else None
    measure = viz_measure(views) if views is not None else None
    yield skips["light.ir_mrz"] or _ir_mrz(ctx, cells, measure)
    yield skips["light.uv_paper"] or _uv_paper(ctx, measure)
    yield from _consistency(ctx, cells, measure, consistency_ir, consistency_uv)
    yield skips["light.uv_features"] or _uv_features(ctx, measure)


def _ir_mrz(ctx: CheckContext, cells: MRZCells | None, measure: VizMeasure | None):
    median = cells.median() if cells is not None else None
    if median is None:
        return ctx.skipped("light.ir_mrz", "Not checked: no MRZ character could be measured in the white image.", (),
                           REVIEW)
    counted = len(cells.retention())
    viz = measure.print_retention if measure is not None else None
    viz_text = (Text("the visual zone's dark print keeps {viz} %", viz=_percent(viz)) if viz is not None
                else Text("the visual zone's print could not be measured"))
    if median < IR_MRZ_MIN:
        return ctx.failed("light.ir_mrz", "The MRZ fades under infrared: its characters keep {mrz} % of their "
                                          "white-light contrast (median of {count}; ink that absorbs in the B900 band, "
                                          "as Doc 9303 requires, keeps at least {limit} %), while {viz}. It was printed "
                                          "in another ink.", mrz=_percent(median), count=counted,
                          limit=_percent(IR_MRZ_MIN), viz=viz_text)
    return ctx.passed("light.ir_mrz", "The MRZ stays black under infrared: its characters keep {mrz} % of their "
                                      "white-light contrast (median of {count}; at least {limit} % expected); {viz}.",
                      mrz=_percent(median), count=counted, limit=_percent(IR_MRZ_MIN), viz=viz_text)


def _uv_paper(ctx: CheckContext, measure: VizMeasure | None):
    if measure is None or measure.paper_uv is None:
        return ctx.skipped("light.uv_paper", "Not checked: too little bare paper was found beside the print to "
                                             "measure its UV response.", (), REVIEW)
    if measure.paper_uv > UV_PAPER_MAX:
        return ctx.failed("light.uv_paper", "The paper glows under ultraviolet: its UV brightness is {level} (of 255; "
                                            "security paper stays below {limit}). Optically brightened office paper: "
                                            "not a security substrate.", level=f"{measure.paper_uv:.0f}",
                          limit=UV_PAPER_MAX)
    return ctx.passed("light.uv_paper", "The paper is dull under ultraviolet: UV brightness {level} (of 255; "
                                        "brightened paper exceeds {limit}).", level=f"{measure.paper_uv:.0f}",
                      limit=UV_PAPER_MAX)


def _patched_run(cells: MRZCells, median: float) -> tuple[int, int, int, float] | None:
    """The longest run (line, first, last position, its median retention) of characters fading
    below PATCH_SHARE of the MRZ's median; None when no run of PATCH_RUN exists."""
    faded = {(line, pos): r for line, pos, r in cells.retention() if r < PATCH_SHARE * median}
    best = None
    for line, pos in sorted(faded):
        if (line, pos - 1) in faded:
            continue
        end = pos
        while (line, end + 1) in faded:
            end += 1
        if end - pos + 1 >= PATCH_RUN and (best is None or end - pos > best[2] - best[1]):
            run = float(np.median([faded[(line, p)] for p in range(pos, end + 1)]))
            best = (line, pos, end, run)
    return best


def _consistency(ctx: CheckContext, cells: MRZCells | None, measure: VizMeasure | None, skip_ir, skip_uv):
    check_id = "light.consistency"
    parts, failures, missing = [], [], []
    if skip_ir is None:
        median = cells.median() if cells is not None else None
        if median is None:
            missing.append(Text("the MRZ (no character measured)"))
        elif median < IR_MRZ_MIN:  # a whole MRZ that fades is light.ir_mrz's finding
            parts.append(Text("the MRZ fades under infrared as a whole (light.ir_mrz), so its characters are not "
                              "compared with each other"))
        else:
            run = _patched_run(cells, median)
            if run is not None:
                line, first, last, share = run
                failures.append(Text("characters {first}-{last} of MRZ line {line} keep {run} % of their contrast "
                                     "under infrared against {rest} % for the rest of the MRZ: they were re-printed "
                                     "in other ink (a patched field)", first=first + 1, last=last + 1, line=line + 1,
                                     run=_percent(share), rest=_percent(median)))
            else:
                lowest = min(r for _, _, r in cells.retention())
                parts.append(Text("every MRZ character keeps its contrast under infrared alike (the faintest {low} "
                                  "%, the median {median} %)", low=_percent(lowest), median=_percent(median)))
    if skip_uv is None:
        if measure is None or measure.photo_uv is None or measure.paper_uv is None:
            missing.append(Text("the portrait (its area could not be measured)"))
        else:
            ratio = measure.photo_uv / max(measure.paper_uv, 1.0)
            if ratio > PHOTO_UV_RATIO_MAX:
                # ``side`` is for a display that marks the area (places()), not part of the sentence.
                failures.append(Text("the portrait's area glows under ultraviolet at {ratio} times the page's paper "
                                     "({photo} against {paper}; genuine pages at most {limit} times): the photo was "
                                     "substituted or pasted over", ratio=f"{ratio:.1f}", photo=f"{measure.photo_uv:.0f}",
                                     paper=f"{measure.paper_uv:.0f}", limit=f"{PHOTO_UV_RATIO_MAX:.1f}",
                                     side=measure.photo_side))
            else:
                parts.append(Text("the portrait's area responds to ultraviolet like the page ({ratio} times its "
                                  "paper)", ratio=f"{ratio:.1f}"))
    if failures:
        yield ctx.failed(check_id, "Differs between lights: {what}.", what=Join("; ", failures))
        return
    if not parts:
        # Nothing compared: the lights' own skips say why (the IR one first).
        yield skip_ir or skip_uv or ctx.skipped(check_id, "Not checked: {what}.", (), REVIEW,
                                                what=Join("; ", missing))
        return
    unchecked = [skip for skip in (skip_ir, skip_uv) if skip is not None]
    if unchecked or missing:
        # Half compared: not a pass; as severe as the part that could not run.
        severity = REVIEW if missing or any(s.severity == REVIEW for s in unchecked) else None
        not_done = Join("; ", missing + [s.text for s in unchecked])
        yield ctx.skipped(check_id, "Partly checked: {done}; not checked: {not_done}", (), severity,
                          done=Join("; ", parts), not_done=not_done)
        return
    yield ctx.passed(check_id, "Alike under every light: {what}.", what=Join("; ", parts))


def _uv_features(ctx: CheckContext, measure: VizMeasure | None):
    if measure is None or measure.fluorescent_share is None:
        return ctx.skipped("light.uv_features", "Not checked: the visual zone could not be measured under "
                                                "ultraviolet.", (), None)
    share = f"{measure.fluorescent_share:.1f}"
    if measure.fluorescent_share < UV_FEATURES_MIN:
        return ctx.warned("light.uv_features", "No UV-fluorescent features were found ({share} % of the visual zone "
                                               "glows): genuine pages of most series show fibres or a printed "
                                               "pattern under UV. Compare with another document of the series.",
                          share=share)
    return ctx.passed("light.uv_features", "UV-fluorescent features cover {share} % of the visual zone (fibres, "
                                           "printed patterns); their places are compared between documents of a "
                                           "series in audits, not against a template.", share=share)


# ------------------------------------------------------------------ a set whose white page gave no MRZ

# The lights each check compares with the white image.
NEEDS = {"light.ir_mrz": (IR,), "light.uv_paper": (UV,), "light.consistency": (IR, UV), "light.uv_features": (UV,)}


def not_screened(evidence, error=None) -> tuple[Finding, ...]:
    """The light checks of a set whose white page gave no MRZ: none was found on it, or (``error``,
    a screening.text.Text) the white image could not be read. Each check is then a skip that says
    why, never a pass and never left out: every light check is made at the MRZ's places, against
    the white image. As severe as the other skips (``_unavailable``): a review where the set offered
    (or should have had) the light the check needs, none where it never did; the page's verdict is
    its own (unreadable)."""
    if error is None:
        text = Text("Not checked: no MRZ was read on the white-light image, and the light checks are made at the "
                    "MRZ's places (its characters, the visual zone and the portrait placed from it).")
    else:
        text = Text("Not checked: the white-light image could not be read ({error}), and the light checks compare "
                    "the other lights with it.", error=error)
    out = []
    for check_id, needs in NEEDS.items():
        expected = any(light in evidence.supplied or light in evidence.missing for light in needs)
        severity = REVIEW if expected and SPECS[check_id].severity is not None else None
        out.append(Finding.of(check_id, SKIP, severity, text))
    return tuple(out)


# ------------------------------------------------------------------ where a finding is seen

# The templates of light.consistency's failing parts (written out in _consistency, where the
# translation collector finds them): how ``places`` tells a patched field from a substituted photo.
_PATCH_PART = "characters {first}-{last} of MRZ line {line}"
_PHOTO_PART = "the portrait's area glows under ultraviolet"


@dataclass(frozen=True)
class Place:
    """Where a light finding is seen, for a display that marks it on its light's image (the
    kiosk): ``area`` is "mrz" (the MRZ as a whole), "mrz_chars" (characters ``first``..``last``,
    0-based and inclusive, of MRZ line ``line``), "portrait" (the portrait's place from the MRZ, on
    ``side``: zones.PORTRAIT_SIDES, for zones.portrait_corners) or "page" (the paper itself)."""

    light: str
    area: str
    line: int | None = None
    first: int | None = None
    last: int | None = None
    side: str | None = None


def places(finding: dict) -> tuple[Place, ...]:
    """The places a failed or warned light finding (a result's contract JSON, ``Finding.to_dict``)
    points at, each under its light; () for a pass, a skip or another check's finding."""
    if finding.get("status") not in ("fail", "warn"):
        return ()
    check_id = finding.get("id")
    if check_id == "light.ir_mrz":
        return (Place(IR, "mrz"),)
    if check_id in ("light.uv_paper", "light.uv_features"):
        return (Place(UV, "page"),)
    if check_id != "light.consistency":
        return ()
    what = (finding.get("params") or {}).get("what")
    parts = what.get("parts", []) if isinstance(what, dict) else []
    found = []
    for part in parts:
        template = part.get("template", "") if isinstance(part, dict) else ""
        values = part.get("params", {}) if isinstance(part, dict) else {}
        if template.startswith(_PATCH_PART):
            try:
                found.append(Place(IR, "mrz_chars", int(values["line"]) - 1, int(values["first"]) - 1,
                                   int(values["last"]) - 1))
            except (KeyError, TypeError, ValueError):
                found.append(Place(IR, "mrz"))
        elif template.startswith(_PHOTO_PART):
            # Where the area that glowed is; a finding stored before it was said: Doc 9303's place.
            side = values.get("side")
            found.append(Place(UV, "portrait", side=side if side in zones.PORTRAIT_SIDES else "left"))
    # A finding stored by another version, whose parts are not known here: both lights' usual places.
    return tuple(found) or (Place(IR, "mrz"), Place(UV, "portrait", side="left"))
