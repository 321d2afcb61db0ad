"""The kiosk's languages: a plain message catalogue per language, English text as the key.

A catalogue is a module ``kiosk/locales/<code>.py`` holding ``MESSAGES = {english: translation}``;
a message missing from it shows in English. To add Tajik, Kazakh, Kyrgyz or Uzbek: copy
``ru.py`` to ``tg.py`` (``kk``, ``ky``, ``uz``), translate the values, and add the language to
``LANGUAGES`` below. ``tests/kiosk/test_i18n.py`` lists any message left untranslated.

The screening library's own sentences (reasons, check messages) are English for now.
"""

from __future__ import annotations

import importlib

from flask import g, has_request_context, request, session

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


def init_app(app) -> None:
    from kiosk.auth import can

    app.jinja_env.globals.update(_=gettext, current_language=current_language, languages=LANGUAGES, can=can)
