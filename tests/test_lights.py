"""Pages under white, infrared and ultraviolet light: grouping, arrival, registration, the light
checks' outcomes, the result's ``lights`` block, and the generator's --lights sets."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from screening import lights
from screening.checks import SPECS
from screening.cli import main
from screening.imageio import load_bytes
from screening.lights import IR, UV, WHITE, LightSet, PageRef, SetTracker, arrivals, group, register
from screening.pipeline import screen_light_set
from screening.samples import families
from screening.samples.defects import DEFECTS, LIGHT_DEFECTS
from screening.samples.generate import Options, Plan, make_document

TODAY = dt.date(2026, 11, 23)
LIGHT_CHECKS = ("light.ir_mrz", "light.uv_paper", "light.consistency", "light.uv_features")


def touch(folder: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
        paths.append(path)
    return paths


# ------------------------------------------------------------------ grouping


def test_a_shared_stem_with_light_suffixes_is_one_complete_set(tmp_path):
    paths = touch(tmp_path, "0001_white.jpg", "0001_IR.jpg", "0001_uv.png")
    (found,) = group(paths)
    assert found.stem == "0001" and found.complete and not found.single
    assert (found.white, found.ir, found.uv) == tuple(str(p) for p in paths)
    assert found.name == str(paths[0])


@pytest.mark.parametrize("names", [("0001_Vis.jpg", "0001_IR.jpg", "0001_UV.jpg"),
                                   ("0001Vis.bmp", "0001IR.bmp", "0001UV.bmp"),
                                   ("scan-7-w.jpg", "scan-7-ir870.jpg", "scan-7-uv365.jpg")])
def test_reader_naming_conventions_are_recognised(tmp_path, names):
    (found,) = group(touch(tmp_path, *names))
    assert found.complete and found.supplied == (WHITE, IR, UV)


def test_an_incomplete_set_says_what_is_missing(tmp_path):
    (found,) = group(touch(tmp_path, "0002_white.jpg", "0002_uv.jpg"))
    assert found.missing == (IR,) and found.supplied == (WHITE, UV)


def test_ordinary_files_stay_single_white_pages(tmp_path):
    paths = touch(tmp_path, "passport.jpg", "chair.jpg", "0003.png", "notes.txt")
    found = group(paths)
    assert [s.single for s in found] == [True] * 4
    assert [s.white for s in found] == [str(p) for p in paths] and all(s.missing == () for s in found)


def test_a_second_file_for_one_light_is_kept_as_its_own_set(tmp_path):
    found = group(touch(tmp_path, "0004_white.jpg", "0004_vis.jpg", "0004_ir.jpg", "0004_uv.jpg"))
    assert len(found) == 2 and found[0].complete and found[1].white.endswith("0004_vis.jpg")


def test_patterns_are_configurable(tmp_path):
    paths = touch(tmp_path, "A17-front-daylight.jpg", "A17-front-infra.jpg")
    assert all(s.single for s in group(paths))
    custom = (lights.NamePattern(r"(?P<stem>.+)-(?P<light>daylight|infra)", "custom"),)
    (found,) = group(paths, custom, aliases={"daylight": WHITE, "infra": IR}, expect=(WHITE, IR))
    assert found.complete and found.stem == "A17-front"


def test_a_folder_per_document_is_one_set(tmp_path):
    touch(tmp_path / "doc1", "white.jpg", "ir.jpg", "uv.jpg")
    touch(tmp_path / "doc2", "0001_Vis.jpg", "0001_IR.jpg")
    touch(tmp_path / "scans", "a.jpg", "b_white.jpg", "b_ir.jpg", "b_uv.jpg")
    found = group([tmp_path / "doc1", tmp_path / "doc2", tmp_path / "scans"])
    assert [s.stem for s in found] == ["doc1", "doc2", "a", "b"]
    assert found[0].complete and found[1].missing == (UV,) and found[2].single and found[3].complete


def _tiff(path: Path, pages: int) -> Path:
    frames = [Image.fromarray(np.full((60, 80), 40 * (i + 1), np.uint8)) for i in range(pages)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    return path


def test_a_multi_page_tiff_is_a_set_of_lights_only_when_asked(tmp_path):
    tiff = _tiff(tmp_path / "0005.tif", 3)
    (plain,) = group([tiff])
    assert plain.single  # a document's pages, screened one by one as before
    (found,) = group([tiff], tiff_order=lights.TIFF_ORDER)
    assert found.complete and found.ir == PageRef(str(tiff), 1)
    assert int(lights.load(found.uv).mean()) == 120  # page 3, decoded by imageio
    (reordered,) = group([tiff], tiff_order=(IR, WHITE, UV))
    assert reordered.white == PageRef(str(tiff), 1)
    (two,) = group([_tiff(tmp_path / "0006.tif", 2)], tiff_order=lights.TIFF_ORDER)
    assert two.missing == (UV,)


# ------------------------------------------------------------------ arrival


def test_arrivals_screen_complete_sets_and_single_files_at_once(tmp_path):
    a = [str(p) for p in touch(tmp_path, "1_white.jpg", "1_ir.jpg", "1_uv.jpg")]
    plain = str(touch(tmp_path, "photo.jpg")[0])
    state = arrivals({a[0]: 0.0, a[1]: 0.1, a[2]: 0.2, plain: 0.3}, now=0.3)
    assert [s.stem for s in state.ready] == ["1", "photo"] and not state.waiting and not state.timed_out


def test_an_incomplete_set_waits_then_times_out_saying_what_is_missing(tmp_path):
    white, uv = (str(p) for p in touch(tmp_path, "2_white.jpg", "2_uv.jpg"))
    seen = {white: 10.0, uv: 10.5}
    assert [s.stem for s in arrivals(seen, now=12.0, timeout=4.0).waiting] == ["2"]
    state = arrivals(seen, now=14.6, timeout=4.0)  # 4 s after the last file of the set
    assert not state.ready and [s.missing for s in state.timed_out] == [(IR,)]


def test_a_late_file_within_the_timeout_completes_the_set(tmp_path):
    clock = [100.0]
    tracker = SetTracker(timeout=3.0, clock=lambda: clock[0])
    white, ir, uv = touch(tmp_path, "3_white.jpg", "3_ir.jpg", "3_uv.jpg")
    tracker.seen(white)
    clock[0] = 101.0
    tracker.seen(uv)
    clock[0] = 103.5  # 2.5 s after the UV image: still waiting for IR
    assert tracker.due() == [] and [s.stem for s in tracker.waiting()] == ["3"]
    tracker.seen(ir)
    (due,) = tracker.due()
    assert due.complete and tracker.due() == []  # handed out once


def test_the_tracker_hands_out_a_timed_out_set_once(tmp_path):
    clock = [0.0]
    tracker = SetTracker(timeout=2.0, clock=lambda: clock[0])
    tracker.seen(touch(tmp_path, "4_white.jpg")[0])
    clock[0] = 1.9
    assert tracker.due() == []
    clock[0] = 2.0
    (due,) = tracker.due()
    assert due.missing == (IR, UV) and tracker.due() == [] and tracker.waiting() == ()


# ------------------------------------------------------------------ generated sets


def _document(fmt="TD3", reader="reader_desk", defects=(), index=0, layout="icao_en"):
    options = Options(out=Path("."), seed=15, today=TODAY, lights=True, course=False)
    document = make_document(Plan(index, fmt, reader, tuple(defects), layout), options)
    return {light: load_bytes(data, f"{light}.jpg")[0].image for light, data in document.images.items()}


@pytest.fixture(scope="module")
def clean():
    return _document()


@pytest.fixture(scope="module")
def defective():
    return {defect: _document(defects=(defect,), reader="reader_border", index=i + 1)
            for i, defect in enumerate(LIGHT_DEFECTS)}


def _light_findings(result):
    return {f.id: f for f in result.checks if f.id.startswith("light.")}


# ------------------------------------------------------------------ registration


def test_registration_recovers_a_known_shift(clean):
    white = clean[WHITE]
    for light, (dx, dy) in ((IR, (5.0, -3.0)), (UV, (-2.5, 4.0))):
        moved = cv2.warpAffine(clean[light], np.float32([[1, 0, dx], [0, 1, dy]]), white.shape[::-1],
                               borderMode=cv2.BORDER_REPLICATE)
        base, _ = register(white, clean[light], light)
        found, registered = register(white, moved, light)
        assert found.accepted and registered.shape == white.shape
        # The shift that moves the image back: the reader's own offset plus the one added here.
        assert found.shift == pytest.approx((base.shift[0] - dx, base.shift[1] - dy), abs=0.5)


def test_registration_refuses_images_that_do_not_correspond(clean):
    white = clean[WHITE]
    noise = np.random.default_rng(0).integers(0, 256, white.shape).astype(np.uint8)
    refused, image = register(white, noise, IR)
    assert not refused.accepted and refused.reason == "low_response" and image is None
    assert refused.response < lights.MIN_RESPONSE[IR]
    small, _ = register(white, white[: white.shape[0] // 2], UV)
    assert small.reason == "size_mismatch"
    far = cv2.warpAffine(clean[IR], np.float32([[1, 0, 60], [0, 1, 0]]), white.shape[::-1],
                         borderMode=cv2.BORDER_REPLICATE)
    beyond, _ = register(white, far, IR)
    assert beyond.reason == "shift_too_large" and abs(beyond.shift[0]) > beyond.max_shift


# ------------------------------------------------------------------ the checks


def test_a_clean_set_passes_every_light_check(clean, result_validator):
    result = screen_light_set(LightSet("clean", **clean), today=TODAY)
    found = _light_findings(result)
    assert set(found) == set(LIGHT_CHECKS)
    assert {f.status for f in found.values()} == {"pass"}, {k: f.message for k, f in found.items()}
    assert result.verdict == "clear"
    out = result.to_dict()
    result_validator.validate(out)
    assert out["lights"]["supplied"] == ["white", "ir", "uv"] and out["lights"]["missing"] == []
    assert out["lights"]["registration"]["ir"]["accepted"] and out["lights"]["uv_signature"]["fluorescent_share"] > 0
    assert "%" in found["light.ir_mrz"].message and "UV brightness" in found["light.uv_paper"].message
    assert result.lights.ir is None  # results stay light unless asked
    assert screen_light_set(LightSet("clean", **clean), today=TODAY, keep_images=True).lights.ir.shape == \
        clean[WHITE].shape


@pytest.mark.parametrize("defect", list(LIGHT_DEFECTS))
def test_each_light_defect_fails_the_check_it_declares(defect, defective, result_validator):
    result = screen_light_set(LightSet(defect, **defective[defect]), today=TODAY)
    result_validator.validate(result.to_dict())
    found = _light_findings(result)
    failed = [i for i in LIGHT_DEFECTS[defect].checks if found[i].status == "fail"]
    assert failed, {k: f.message for k, f in found.items()}
    assert result.verdict == "alert" and all(found[i].severity == "alert" for i in failed)
    others = {i for i, f in found.items() if f.status == "fail"} - set(LIGHT_DEFECTS[defect].checks)
    assert not others, {i: found[i].message for i in others}


def test_white_only_is_not_checked_and_never_passes(clean, result_validator):
    result = screen_light_set(LightSet("white", white=clean[WHITE]), today=TODAY)
    result_validator.validate(result.to_dict())
    found = _light_findings(result)
    assert set(found) == set(LIGHT_CHECKS)
    assert all(f.status == "skip" and f.severity is None for f in found.values())
    assert "no infrared image was supplied" in found["light.ir_mrz"].message
    assert "no ultraviolet image was supplied" in found["light.uv_paper"].message
    assert result.verdict == "clear"  # never offered under those lights: docs/checks.md


def test_an_incomplete_set_is_a_review_naming_the_missing_light(clean):
    result = screen_light_set(LightSet("half", white=clean[WHITE], uv=clean[UV], missing=(IR,)), today=TODAY)
    found = _light_findings(result)
    assert found["light.ir_mrz"].status == "skip" and found["light.ir_mrz"].severity == "review"
    assert "infrared image of this set is missing" in found["light.ir_mrz"].message
    assert found["light.uv_paper"].status == "pass"
    assert found["light.consistency"].status == "skip" and "Partly checked" in found["light.consistency"].message
    assert result.verdict == "review"
    assert result.to_dict()["lights"]["missing"] == ["ir"]


def test_an_image_of_another_page_is_refused_with_its_figures(clean):
    noise = np.random.default_rng(1).integers(0, 256, clean[WHITE].shape).astype(np.uint8)
    result = screen_light_set(LightSet("bad", white=clean[WHITE], ir=noise, uv=clean[UV]), today=TODAY)
    skip = _light_findings(result)["light.ir_mrz"]
    assert skip.status == "skip" and skip.severity == "review"
    assert "does not correspond" in skip.message and "edge correlation" in skip.message
    assert result.to_dict()["lights"]["registration"]["ir"]["reason"] == "low_response"


def test_a_set_whose_white_page_gives_no_mrz_still_lists_every_light_check_as_not_checked(clean, result_validator):
    blank = np.full_like(clean[WHITE], 235)  # the reader's lid, no page: no MRZ to place the lights by
    result = screen_light_set(LightSet("blank", white=blank, ir=clean[IR], uv=clean[UV]), today=TODAY)
    result_validator.validate(result.to_dict())
    assert result.verdict == "unreadable" and result.mrz is None  # the page's own verdict and reasons stand
    assert result.reasons[0].startswith("No MRZ was found")
    found = _light_findings(result)
    assert set(found) == set(LIGHT_CHECKS) and {f.status for f in found.values()} == {"skip"}
    assert all("no MRZ was read on the white-light image" in f.message for f in found.values())
    assert {i: f.severity for i, f in found.items()} == {"light.ir_mrz": "review", "light.uv_paper": "review",
                                                         "light.consistency": "review", "light.uv_features": None}
    assert result.to_dict()["lights"]["supplied"] == ["white", "ir", "uv"]
    # Never offered under IR or UV: the same skips, of no severity.
    alone = _light_findings(screen_light_set(LightSet("blank", white=blank), today=TODAY))
    assert set(alone) == set(LIGHT_CHECKS) and all(f.status == "skip" and f.severity is None for f in alone.values())


def test_a_set_whose_white_image_cannot_be_read_says_so_in_every_light_check(tmp_path, clean, result_validator):
    white = tmp_path / "0003_white.jpg"
    white.write_bytes(b"not an image at all")
    result = screen_light_set(LightSet("0003", white=str(white), ir=clean[IR], uv=clean[UV]), today=TODAY)
    result_validator.validate(result.to_dict())
    assert result.verdict == "unreadable" and result.error is not None
    found = _light_findings(result)
    assert set(found) == set(LIGHT_CHECKS) and {f.status for f in found.values()} == {"skip"}
    assert all("white-light image could not be read (0003_white.jpg" in f.message for f in found.values())


@pytest.mark.parametrize("index, side", [(0, "right"), (1, "left")])  # two_column's draws: photo right, left
def test_a_substituted_photo_is_placed_on_the_side_the_page_prints_it(index, side):
    from screening.checks.light import places

    images = _document(defects=("substituted_photo",), index=index, layout="two_column")
    result = screen_light_set(LightSet("photo", **images), today=TODAY)
    finding = _light_findings(result)["light.consistency"]
    assert finding.status == "fail", finding.message
    (place,) = places(finding.to_dict())
    assert (place.light, place.area, place.side) == (UV, "portrait", side)


def test_a_single_image_or_typed_mrz_has_no_light_findings(clean):
    from screening import check_mrz_text, screen_file

    (result,) = screen_file(clean[WHITE], today=TODAY)
    assert not _light_findings(result) and "lights" not in result.to_dict()
    typed = check_mrz_text(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"], today=dt.date(2010, 1, 1))
    assert not _light_findings(typed)


def test_light_checks_are_registered_with_the_family_light():
    assert all(SPECS[i].family == "light" for i in LIGHT_CHECKS)
    assert SPECS["light.uv_features"].severity is None  # a notice: no template to compare with


# ------------------------------------------------------------------ the generator


def test_light_defects_stay_out_of_the_white_light_registry():
    assert not set(LIGHT_DEFECTS) & set(DEFECTS)
    assert set(LIGHT_DEFECTS) == {"mrz_non_ir_ink", "brightened_paper", "ir_patched_field", "substituted_photo"}
    for defect in LIGHT_DEFECTS.values():
        assert defect.lights and set(defect.checks) <= set(SPECS)
        assert all(defect.id in LIGHT_DEFECTS[other].conflicts for other in defect.conflicts)


def test_reader_families_have_one_held_out():
    assert families.names("reader", held_out=True) == ("reader_kiosk",)
    assert len(families.names("reader", held_out=False)) >= 3


def test_generate_lights_writes_the_three_images_per_document(tmp_path, capsys):
    out = tmp_path / "set"
    code = main(["samples", "generate", "--out", str(out), "--count", "2", "--seed", "4", "--lights", "--no-course",
                 "--today", "2026-11-23", "--defects", "mrz_non_ir_ink"])
    assert code == 0
    entries = [json.loads(line) for line in (out / "answer_key.jsonl").read_text().splitlines()]
    names = sorted(p.name for p in out.glob("*.jpg"))
    assert len(names) == 6
    for entry in entries:
        stem = entry["file"].removesuffix("_white.jpg")
        assert entry["lights"] == {light: f"{stem}_{light}.jpg" for light in ("white", "ir", "uv")}
        assert entry["condition"] in families.names("reader", held_out=False)
        assert {f"{stem}_white.jpg", f"{stem}_ir.jpg", f"{stem}_uv.jpg"} <= set(names)
    # The files group into complete sets as a hot folder would see them.
    assert all(s.complete for s in group(sorted(out.glob("*.jpg"))))


def test_without_lights_the_white_light_plan_is_untouched():
    from screening.samples.generate import plan

    options = Options(out=Path("."), count=30, seed=7, today=TODAY)
    assert not {d for p in plan(options) for d in p.defects} & set(LIGHT_DEFECTS)
    assert dataclasses.replace(options, lights=False) == options


@pytest.mark.parametrize("regex", [r"(?P<stem>.+)_(?P<light", r"(?P<stem>.+)_(ir|uv)"])
def test_a_configured_name_pattern_that_cannot_work_is_refused_with_its_reason(regex):
    from screening.errors import UsageError

    with pytest.raises(UsageError, match="light-set name pattern"):
        lights.NamePattern(regex, "configured")


def test_the_kiosk_refuses_a_configuration_with_a_broken_name_pattern():
    from kiosk.config import KioskConfig
    from screening.errors import UsageError

    with pytest.raises(UsageError):
        KioskConfig.from_mapping({"light_name_patterns": [r"(?P<stem>.+)_(?P<light>"]})
    assert KioskConfig.from_mapping({"light_name_patterns": [r"(?P<stem>.+)-(?P<light>ir|uv|white)"]})
