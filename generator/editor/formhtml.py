"""The edit pages' HTML: Jinja lays out the forms (editor/forms.py) and the pages around them."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from ..i18n import Locale
from .formdata import display
from .forms import FormField, kind_form

TEMPLATES = Path(__file__).with_name("templates")
#: The words the edit pages show (every one from the locale file).
WORD_KEYS = ("value_yes", "value_no")


def _fid(path: object) -> str:
    """A path such as ``duties[0].items`` as an HTML id part: ``duties-0-items``."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(path)).strip("-")


_NATIVE = {
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "time": re.compile(r"([01]\d|2[0-3]):[0-5]\d"),
    "bool": re.compile(r"true|false"),
}


def shows_in(value: str, widget: str) -> bool:
    """Whether the browser's input for ``widget`` keeps ``value`` as it is (a date input drops ``2024/1/5``)."""
    pattern = _NATIVE.get(widget)
    return pattern is None or bool(pattern.fullmatch(value))


@cache
def env() -> jinja2.Environment:
    """The edit pages' templates, HTML-escaped everywhere (YAML text never reaches HTML unescaped)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    environment.filters["fid"] = _fid
    environment.filters["shows_in"] = shows_in
    return environment


def words(locale: Locale) -> dict[str, str]:
    """Every ``edit_*`` word of the locale, and the few shared ones the forms use."""
    keys = [k for k in locale.labels if k.startswith("edit_")] + list(WORD_KEYS)
    return {k: locale.label(k) for k in keys}


def _lists(form: FormField) -> list[FormField]:
    """Every list and mapping of the form, each once, in the form's order."""
    out: list[FormField] = []
    stack = [form]
    while stack:
        f = stack.pop(0)
        if f.widget in ("list", "map"):
            out.append(f)
        stack[:0] = [*f.fields, *(x for x in (f.item,) if x is not None)]
    return out


def form_html(kind: str, raw: dict[str, Any], locale: Locale, shown: Any = None) -> str:
    """The form of a file of ``kind`` holding ``raw`` (its YAML data), in the locale's language.

    ``shown``: values to show instead (a draft, as the browser sent it). Each list's empty entry,
    which the add button copies, is written once per list field at the end, not in every list.
    """
    form = kind_form(kind, locale.lang)
    lists = _lists(form)
    index = {id(f): n for n, f in enumerate(lists)}
    module = env().get_template("form.html.j2").make_module({"tid": lambda f: index[id(f)]})
    said = words(locale)
    value = shown if shown is not None else display(form, raw)
    parts = [str(module.field(form, value, "", said))]  # type: ignore[attr-defined]
    for n, f in enumerate(lists):
        parts.append(f'<template id="t-{n}">{module.entry(f, None, "new", said)}</template>')  # type: ignore[attr-defined]
    return "\n".join(parts)


def page(name: str, **data: Any) -> str:
    """One of the edit pages (``edit.html.j2`` …) with ``data``."""
    return env().get_template(name).render(**data)


def field_of(form: FormField, name: str) -> FormField | None:
    """A top-level field of a form, by name."""
    return form.child(name)
