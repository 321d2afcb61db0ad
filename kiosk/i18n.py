"""The kiosk's languages: a plain message catalogue per language, English text as the key.

A catalogue is a module ``kiosk/locales/<code>.py`` holding ``MESSAGES = {english: translation}``
and, for counted words, ``plural(n)``: the index of the form ``{n:plural:one|few|many}`` uses;
a message missing from it shows in English. To add Tajik, Kazakh, Kyrgyz or Uzbek: copy
``ru.py`` to ``tg.py`` (``kk``, ``ky``, ``uz``), translate the values, and add the language to
``LANGUAGES`` below. ``tests/kiosk_tests/test_i18n.py`` lists any message left untranslated.

The screening library's own sentences (check messages, reasons, error messages) come with
their English template and values (``screening.text``); ``translate_text`` and the helpers
below show them in the officer's language. A screening stored before templates existed
shows its English sentences (those without values are looked up as they are).
"""

from __future__ import annotations

import importlib
from typing import Any, Mapping

from flask import g, has_request_context, request, session

from screening.text import Text, english_plural, render

DEFAULT_LANGUAGE = "en"
# Code -> the language's own name, as shown on the switch.
LANGUAGES = {"en": "English", "ru": "Русский"}
# Ready to be added once translated (the names as the switch will show them).
PLANNED_LANGUAGES = {"tg": "Тоҷикӣ", "kk": "Қазақша", "ky": "Кыргызча", "uz": "Oʻzbekcha"}

_catalogues: dict[str, dict[str, str]] = {}


def catalogue(language: str) -> dict[str, str]:
    if language not in _catalogues:
        _catalogues[language] = importlib.import_module(f"kiosk.locales.{language}").MESSAGES
    return _catalogues[language]


def plural_rule(language: str):
    return getattr(importlib.import_module(f"kiosk.locales.{language}"), "plural", english_plural)


def current_language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    user = g.get("user")
    if user is not None and user.language in LANGUAGES:
        return user.language
    chosen = session.get("language")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def gettext(message: str, **values) -> str:
    text = catalogue(current_language()).get(message, message)
    return text.format(**values) if values else text


# --- the screening library's sentences ----------------------------------------------------

_MISFIT = (KeyError, IndexError, ValueError, TypeError, AttributeError)


def translate_text(template: str, params: Mapping[str, Any] | None = None, fallback: str | None = None,
                   language: str | None = None) -> str:
    """A template and its values (``screening.text``, either form) in the officer's language.

    Words the catalogue lacks stay English. A translation that does not fit its values (a
    placeholder the English template does not have) falls back to English, and a template
    that does not render at all to ``fallback``: a screen never fails on a sentence.
    """
    language = language or current_language()
    messages = catalogue(language)
    try:
        return render(template, params or {}, lambda english: messages.get(english, english), plural_rule(language))
    except _MISFIT:
        pass
    try:
        return render(template, params or {})
    except _MISFIT:
        return fallback if fallback is not None else template


def translate(value: Text | Mapping[str, Any] | str | None, fallback: str | None = None) -> str:
    """A ``Text``, its serialised form (a dict with "template"), or a plain sentence, translated."""
    if isinstance(value, Text):
        return translate_text(value.template, dict(value.params), fallback)
    if isinstance(value, Mapping) and "template" in value:
        return translate_text(value["template"], value.get("params"), fallback or value.get("message"))
    if isinstance(value, Mapping):  # a stored error or check from before templates existed
        return gettext(value.get("message", "")) if value.get("message") else (fallback or "")
    return gettext(value) if value else (fallback or "")


def translate_finding(check: Mapping[str, Any]) -> str:
    """A check's message (``result["checks"][i]``) in the officer's language."""
    return translate(check, check.get("message"))


def translate_error(error: Mapping[str, Any] | None) -> str:
    return translate(error, (error or {}).get("message")) if error else ""


def translate_reasons(result: Mapping[str, Any]) -> list[str]:
    """A result's reasons in the officer's language, most serious first."""
    reasons = list(result.get("reasons") or [])
    texts = result.get("reason_templates")
    if texts and len(texts) == len(reasons):
        return [translate(text, reason) for text, reason in zip(texts, reasons)]
    # Stored before reason_templates: a reason is the message of one of the checks.
    checks = {check.get("message"): check for check in result.get("checks") or []}
    return [translate_finding(checks[reason]) if reason in checks else gettext(reason) for reason in reasons]


def init_app(app) -> None:
    from kiosk.auth import can
    from kiosk.views import chip_not_read

    app.jinja_env.globals.update(_=gettext, current_language=current_language, languages=LANGUAGES, can=can,
                                 translate=translate, translate_finding=translate_finding,
                                 translate_error=translate_error, translate_reasons=translate_reasons,
                                 chip_not_read=chip_not_read)
