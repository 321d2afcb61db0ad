"""Sentences for people, kept translatable: an English template with named values.

gettext-style, the English format string is the message id. ``Text("Sex {sex}.", sex="M")``
renders to English with ``str()``; an interface in another language looks the template up in
its catalogue and fills in the same values (``render`` with a ``translate`` function). A value
that is itself a ``Text`` is a word or phrase of the toolkit's own (a field's name, a kind of
document, why something could not be run) and is translated the same way, recursively. Any
other value was taken from the document or measured (names, numbers, dates, codes) and is
shown as it is. ``Join`` puts several texts together, e.g. the problems one finding lists.

Values are strings or integers; figures with decimals are formatted to strings by the check
(``f"{x:.2f}"``) so that every language shows the same figure. A count may choose its word by
number: ``{years:plural:year|years}`` renders "1 year", "5 years"; a catalogue gives its
language's forms in the same place (Russian has three: ``{years:plural:год|года|лет}``).

Results carry the serialised form next to each rendered sentence (``to_dict``):
``{"template": "...", "params": {"name": value}}``, where a value is a string, a number,
another such object, or ``{"join": separator, "parts": [...]}``. ``render`` takes either form.
"""

from __future__ import annotations

import string
from typing import Any, Callable, Iterable, Mapping

Translate = Callable[[str], str]
PluralRule = Callable[[int], int]


def english_plural(n: int) -> int:
    """Index of the plural form for ``n``: 0 "year", 1 "years"."""
    return 0 if n == 1 else 1


class Text:
    """An English template with named values; immutable and hashable."""

    __slots__ = ("template", "params")
    template: str
    params: tuple[tuple[str, Any], ...]

    def __init__(self, template: str, /, **params: Any):
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "params", tuple(params.items()))

    @classmethod
    def of(cls, template: str, params: Iterable[tuple[str, Any]] | Mapping[str, Any] = ()) -> Text:
        return cls(template, **dict(params))

    @classmethod
    def verbatim(cls, message: str) -> Text:
        """A sentence that has no template (made by code that does not use one): shown as it is."""
        return cls(message.replace("{", "{{").replace("}", "}}"))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Text is immutable")

    def __reduce__(self):  # pickle and copy (results cross processes in the batch audit)
        return _text, (self.template, self.params)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.template, self.params) == (other.template, other.params)

    def __hash__(self) -> int:
        return hash((self.template, self.params))

    def __repr__(self) -> str:
        values = "".join(f", {name}={value!r}" for name, value in self.params)
        return f"Text({self.template!r}{values})"

    def __str__(self) -> str:
        return self.render()

    def render(self, translate: Translate | None = None, plural: PluralRule = english_plural) -> str:
        return render(self.template, dict(self.params), translate, plural)

    def to_dict(self) -> dict[str, Any]:
        return {"template": self.template, "params": {name: _encode(value) for name, value in self.params}}


class Join:
    """Several texts (or values) shown one after the other, with a separator ("; ", " ")."""

    __slots__ = ("separator", "parts")
    separator: str
    parts: tuple[Any, ...]

    def __init__(self, separator: str, parts: Iterable[Any]):
        object.__setattr__(self, "separator", separator)
        object.__setattr__(self, "parts", tuple(parts))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Join is immutable")

    def __reduce__(self):
        return Join, (self.separator, self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Join) and (self.separator, self.parts) == (other.separator, other.parts)

    def __hash__(self) -> int:
        return hash((self.separator, self.parts))

    def __repr__(self) -> str:
        return f"Join({self.separator!r}, {list(self.parts)!r})"

    def __str__(self) -> str:
        return _value(self, None, english_plural)

    def to_dict(self) -> dict[str, Any]:
        return {"join": self.separator, "parts": [_encode(part) for part in self.parts]}


def _text(template: str, params: tuple[tuple[str, Any], ...]) -> Text:
    return Text.of(template, params)


def _encode(value: Any) -> Any:
    if isinstance(value, (Text, Join)):
        return value.to_dict()
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return value
    return str(value)


def render(
    template: str,
    params: Mapping[str, Any] | None = None,
    translate: Translate | None = None,
    plural: PluralRule = english_plural,
) -> str:
    """Fill in a template (``Text`` values or their serialised form alike).

    ``translate`` maps an English template to the language's (None: English); ``plural``
    is the language's rule for choosing among the forms of ``{n:plural:...}``. Raises
    ``KeyError``/``ValueError``/``IndexError`` when a template and its values do not fit.
    """
    values = {name: _value(value, translate, plural) for name, value in (params or {}).items()}
    pattern = translate(template) if translate is not None else template
    return _Formatter(plural).vformat(pattern, (), values)


def _value(value: Any, translate: Translate | None, plural: PluralRule) -> Any:
    if isinstance(value, Text):
        return value.render(translate, plural)
    if isinstance(value, Join):
        return value.separator.join(str(_value(part, translate, plural)) for part in value.parts)
    if isinstance(value, Mapping):
        if "template" in value:
            return render(value["template"], value.get("params") or {}, translate, plural)
        if "join" in value:
            return value["join"].join(str(_value(part, translate, plural)) for part in value.get("parts", []))
    return value


class _Formatter(string.Formatter):
    """``str.format`` plus ``{n:plural:one|other}``: the form for ``n`` by the language's rule."""

    def __init__(self, plural: PluralRule):
        self.plural = plural

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith("plural:"):
            forms = format_spec.removeprefix("plural:").split("|")
            index = min(self.plural(int(value)), len(forms) - 1)
            return f"{value} {forms[index]}"
        return super().format_field(value, format_spec)


def text_of(error: BaseException) -> Any:
    """An exception's message as a template value: its ``Text`` when it carries one, else the words."""
    if error.args and isinstance(error.args[0], Text):
        return error.args[0]
    text = getattr(error, "text", None)
    return text if isinstance(text, Text) else str(error)


def placeholders(template: str) -> set[str]:
    """The names a template fills in (``ValueError`` for a malformed template)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def templates_in(value: Any) -> Iterable[str]:
    """Every template in a text or its serialised form, nested ones included."""
    if isinstance(value, Text):
        yield value.template
        for _, inner in value.params:
            yield from templates_in(inner)
    elif isinstance(value, Join):
        for part in value.parts:
            yield from templates_in(part)
    elif isinstance(value, Mapping):
        if "template" in value:
            yield value["template"]
            for inner in (value.get("params") or {}).values():
                yield from templates_in(inner)
        elif "join" in value:
            for part in value.get("parts", []):
                yield from templates_in(part)
