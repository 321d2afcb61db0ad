"""The kiosk in Russian: its own screens, and the screening library's sentences (check messages,
reasons, error messages), whose English templates the Russian catalogue translates."""

from __future__ import annotations

import ast
import io
import re

from kiosk_helpers import REPO, SAMPLES, TD3_BAD_BIRTH_CHECK, post, records

# What a Russian officer reads for TD3_BAD_BIRTH_CHECK (printed 5, computed 8), and the English.
RUSSIAN_REASON = "Контрольная цифра поля «Дата рождения» не совпадает (напечатана 5, вычислена 8)."
ENGLISH_REASON = "Date of birth check digit does not match (printed 5, computed 8)."

# Where the library makes a Text from a template that is not written out in the call: the check
# helpers (their callers' templates are collected) and the field-name words, which
# test_every_library_template_has_a_russian_translation enumerates from the layouts.
DYNAMIC_SITES = {
    ("screening/checks/registry.py", "passed"), ("screening/checks/registry.py", "failed"),
    ("screening/checks/registry.py", "warned"), ("screening/checks/registry.py", "skipped"),
    ("screening/mrz/formats.py", "label_text"), ("screening/mrz/formats.py", "name_text"),
}
CHECK_HELPERS = ("passed", "failed", "warned", "skipped")


def _sources():
    return sorted((REPO / "screening").rglob("*.py")) + sorted((REPO / "kiosk").glob("*.py"))


def templates_in_code() -> tuple[dict[str, str], set[tuple[str, str]]]:
    """Every template written in the library and the kiosk: the first argument of ``Text(...)``
    and the message argument of ``ctx.passed/failed/warned/skipped(...)``; and the (file,
    function) of every such call whose template is not a string literal."""
    found: dict[str, str] = {}
    dynamic: set[tuple[str, str]] = set()
    for path in _sources():
        relative = path.relative_to(REPO).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "Text" and node.args:
                    argument = node.args[0]
                elif name in CHECK_HELPERS and len(node.args) >= 2:
                    argument = node.args[1]
                else:
                    continue
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    found.setdefault(argument.value, f"{relative}:{node.lineno}")
                elif function is not tree:
                    dynamic.add((relative, function.name))
    return found, dynamic


def field_words() -> set[str]:
    """The field names the library fills into sentences, for every field of every layout."""
    from screening.mrz.formats import LAYOUTS, check_digit_text, label_text, name_text
    from screening.text import templates_in

    names = {spec.name for layout in LAYOUTS.values() for spec in layout.fields}
    names |= {spec.name for layout in LAYOUTS.values() for spec in layout.check_digits}
    names |= {"surname", "given_names"}  # the visual zone's names for the parts of the name field
    words = set()
    for name in names:
        words |= set(templates_in(label_text(name)))
        if not name.endswith("_check"):  # check digits have phrases of their own, below
            for text in (name_text(name), check_digit_text(name), check_digit_text(name, inside=True)):
                words |= set(templates_in(text))
    return words


def needs_words(template: str) -> bool:
    """A template with words of its own (not only placeholders and punctuation) needs translating."""
    return bool(re.search(r"[A-Za-z]", re.sub(r"\{[^{}]*\}", "", template)))


def library_templates() -> set[str]:
    found, _ = templates_in_code()
    return {t for t in set(found) | field_words() if needs_words(t)}


def test_every_message_has_a_russian_translation():
    from kiosk.locales import en, ru

    used = set()
    for path in list((REPO / "kiosk").rglob("*.html")) + list((REPO / "kiosk").glob("*.py")):
        # _("text") and _("text {value}", value=...)
        used |= set(re.findall(r'_\(\s*"([^"]+)"\s*[,)]', path.read_text(encoding="utf-8")))
        used |= set(re.findall(r"_\(\s*'([^']+)'\s*[,)]", path.read_text(encoding="utf-8")))
    used |= set(en.MESSAGES)
    missing = sorted(used - set(ru.MESSAGES))
    assert not missing, missing


def test_every_library_template_has_a_russian_translation():
    from kiosk.locales import ru

    found, _ = templates_in_code()
    templates = library_templates()
    assert len(templates) > 150, "the collector found too few templates: has the code changed shape?"
    missing = sorted(templates - set(ru.MESSAGES))
    assert not missing, "\n".join(f"{t!r}  ({found.get(t, 'a field name')})" for t in missing)


def test_only_known_places_make_templates_that_are_not_literals():
    # A template made at run time (Text(some_variable)) escapes the collection above: write it
    # out where it is used, or teach field_words() about the words it can take.
    _, dynamic = templates_in_code()
    assert dynamic <= DYNAMIC_SITES, sorted(dynamic - DYNAMIC_SITES)


def test_every_translation_fits_its_english_template():
    # A placeholder the English template lacks would make str.format fail on the screen.
    from kiosk.locales import ru
    from screening.text import english_plural, placeholders, render

    for english, russian in ru.MESSAGES.items():
        english_names = placeholders(english) if "{" in english else set()
        assert placeholders(russian) <= english_names, (english, russian)
        values = {name: 1 for name in english_names}
        for n in (1, 3, 5, 11, 22):  # every plural form, where the template has one
            render(english, {k: n for k in values}, plural=english_plural)
            render(english, {k: n for k in values}, translate=ru.MESSAGES.get, plural=ru.plural)


def test_templates_the_checks_emit_were_collected_and_translated():
    from kiosk.locales import ru
    from screening import check_mrz_text
    from screening.pipeline import screen_file
    from screening.text import templates_in

    from mrz_cases import TODAY, mutated_mrzs

    results = [check_mrz_text(lines, today=TODAY) for lines in mutated_mrzs()]
    for name in ("011_td2_uzb_jpeg_low.jpg", "013_td1_tjk_scan300.jpg", "019_td1_aze_phone.jpg"):
        results += screen_file(SAMPLES / name, today=TODAY)
    emitted = set()
    for result in results:
        data = result.to_dict()
        for part in [*data["checks"], *data["reason_templates"], *([data["error"]] if data["error"] else [])]:
            emitted |= set(templates_in(part))
    emitted = {t for t in emitted if needs_words(t)}
    assert emitted <= library_templates(), sorted(emitted - library_templates())
    assert emitted <= set(ru.MESSAGES), sorted(emitted - set(ru.MESSAGES))
    assert any(t.startswith("The MRZ lines are not printed alike") for t in emitted)  # the images were read


def _reasons(page: str) -> str:
    section = re.search(r'<section class="reasons">(.*?)</section>', page, re.S)
    return section.group(1) if section else ""


def _as_russian(client):
    post(client, "/language", {"language": "ru", "next": "/screen/"})
    return client


def test_russian_officer_reads_reasons_and_checks_in_russian(app, as_role):
    client = _as_russian(as_role("officer"))
    response = post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert RUSSIAN_REASON in _reasons(page)
    assert "Итоговая контрольная цифра не совпадает (напечатана 4, вычислена 5)." in _reasons(page)
    assert ENGLISH_REASON not in page
    checks = page[page.index('id="checks"'):]
    assert RUSSIAN_REASON in checks
    assert "Контрольная цифра поля «Номер документа» верна (6)." in checks
    assert "Код документа P&lt; (паспорт)." in checks and "Владельцу 38 лет." in checks
    assert "Стоп-лист на этот компьютер не загружен" in checks or "Номера документа нет в стоп-листе." in checks
    # The stored result stays the contract's English: only the screen is translated.
    assert records(app, "screening")[-1].payload["result"]["reasons"][0] == ENGLISH_REASON
    # The live panel (fetched by the page's script when a new scan arrives) is Russian too.
    panel = client.get(f"/screen/{records(app, 'screening')[-1].id}/panel")
    assert panel.status_code == 200 and RUSSIAN_REASON in panel.get_data(as_text=True)


def test_english_officer_still_reads_english(app, as_role):
    client = as_role("officer")
    response = post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ENGLISH_REASON in _reasons(page)
    assert "Document number check digit is correct (6)." in page
    assert "Контрольная" not in page


def test_russian_officer_reads_why_a_file_or_text_could_not_be_screened(app, as_role):
    client = _as_russian(as_role("officer"))
    post(client, "/screen/upload", {"image": (io.BytesIO(b"\xff\xd8\xff not really a jpeg"), "junk.jpg")},
         content_type="multipart/form-data")
    page = client.get("/screen/").get_data(as_text=True)
    assert "verdict-unreadable" in page
    assert "— не изображение, которое можно прочитать (JPEG, PNG, TIFF, BMP, WebP или PDF)." in _reasons(page)
    post(client, "/screen/typed", {"mrz_text": "hello"})
    page = client.get("/screen/").get_data(as_text=True)
    assert "В МСЗ 2 или 3 строки, а в этом тексте 1 строка." in _reasons(page)
    response = post(client, "/screen/upload", {"image": (io.BytesIO(b"x"), "notes.txt")},
                    content_type="multipart/form-data", follow_redirects=True)
    assert "Файлы этого типа проверить нельзя. Допустимые:" in response.get_data(as_text=True)


def test_screenings_stored_before_templates_show_their_english(app, as_role):
    from kiosk import db

    client = as_role("officer")
    post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    payload = records(app, "screening")[-1].payload
    old = dict(payload["result"])
    old.pop("reason_templates")
    old["checks"] = [{k: v for k, v in check.items() if k not in ("template", "params")} for check in old["checks"]]
    connection = db.connect(app.config["DATABASE"])
    try:
        record_id = db.append(connection, db.SCREENING, {**payload, "result": old}, actor="officer", verdict="alert",
                              head_path=app.extensions["kiosk"].intake.head)
    finally:
        connection.close()
    _as_russian(client)
    page = client.get(f"/screen/{record_id}").get_data(as_text=True)
    assert page.count(ENGLISH_REASON) == 2  # the reason, and the check's message
    assert "Почему" in page and "Контрольная цифра поля" not in page


def test_a_translation_that_does_not_fit_falls_back_to_english(app, as_role, monkeypatch):
    from kiosk.locales import ru

    broken = "{what} не совпадает ({nonsense})."
    monkeypatch.setitem(ru.MESSAGES, "{what} does not match (printed {printed}, computed {computed}).", broken)
    client = _as_russian(as_role("officer"))
    response = post(client, "/screen/typed", {"mrz_text": TD3_BAD_BIRTH_CHECK})
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and ENGLISH_REASON in _reasons(page.get_data(as_text=True))


def test_plural_forms_follow_russian_rules():
    from kiosk.locales import ru
    from screening.text import Text

    def say(n):
        return Text("The document expires in {days:plural:day|days}.", days=n).render(ru.MESSAGES.get, ru.plural)

    assert [say(n) for n in (1, 2, 5, 11, 21, 24, 90)] == [
        f"Срок действия документа истекает через {n} {w}." for n, w in
        ((1, "день"), (2, "дня"), (5, "дней"), (11, "дней"), (21, "день"), (24, "дня"), (90, "дней"))]



def test_training_shows_the_kiosks_reasons_in_russian(app, as_role):
    client = as_role("trainer")
    post(client, "/training/open", {"folder": str(SAMPLES), "title": "Course 1", "assisted": "on"})
    session_id = records(app, "training_opened")[-1].id
    _as_russian(client)
    page = client.get(f"/training/{session_id}/18").get_data(as_text=True)  # an expired passport
    assisted = page[page.index('class="assisted"'):]
    assert "Срок действия документа истёк" in assisted and "назад)." in assisted
