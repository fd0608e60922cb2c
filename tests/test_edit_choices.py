"""Fixed choices in ``handbook edit``'s forms speak the site's language: each option of a select shows
the words ``choices.yaml`` gives that language (an English site: ``week``, ``quarter``; a zh-Hant
site: Traditional), its value stays the canonical choice, and a save writes that canonical value, while
a choice the file spells its own way (``period: quarterly``) shows as that choice and stays as written.

Cases come from the fixtures' and the sample's own files: every select of every file's form."""

from __future__ import annotations

import difflib
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.editor import roundtrip
from generator.editor.formdata import display, plain
from generator.editor.formhtml import form_html
from generator.editor.forms import FormField, kind_form
from generator.editor.workspace import Workspace
from generator.i18n import load_locale
from generator.model import registry
from generator.model.choices import choice_set
from generator.project import Project

from .conftest import FIXTURES, REPO

#: Project → the language of its site.
SITES = {"english": (FIXTURES / "english" / "roles", "en"), "hant": (FIXTURES / "hant" / "roles", "zh-Hant"),
         "sample": (REPO / "roles", "zh")}
_SELECT = re.compile(r'<div class="f[^"]*" data-name="[^"]*" data-w="choice">.*?<select ([^>]*)>(.*?)</select>', re.S)
_OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')
_CJK = re.compile(r"[\u3400-\u9fff]")


def _choices(form: FormField) -> Iterator[FormField]:
    stack = [form]
    while stack:
        f = stack.pop()
        if f.widget == "choice" and f.chosen:
            yield f
        stack += [*f.fields, *(x for x in (f.item, f.key) if x is not None)]


def _files(roles: Path) -> Iterator[tuple[str, dict[str, Any], Path]]:
    for path in sorted(roles.rglob("*.yaml")):
        raw = plain(roundtrip.load(path.read_text(encoding="utf-8")))
        if isinstance(raw, dict) and registry.is_kind(raw.get("kind")):
            yield str(raw["kind"]), raw, path


@pytest.mark.parametrize("site", sorted(SITES))
def test_each_option_shows_the_sites_words_for_its_canonical_value(site: str) -> None:
    roles, lang = SITES[site]
    locale = load_locale(lang)
    selected = 0
    for kind, raw, path in _files(roles):
        fields = list(_choices(kind_form(kind, lang)))
        words = {f.choices: f.shown for f in fields}
        page = form_html(kind, raw, locale)
        for attrs, inner in _SELECT.findall(page):
            options = [(html.unescape(v), bool(s), html.unescape(t)) for v, s, t in _OPTION.findall(inner)]
            values = tuple(v for v, _, _ in options if v)
            if values not in words:
                continue  # a value the file holds that is no choice: shown as typed, beside the choices
            shown = words[values]
            assert tuple(t for v, _, t in options if v) == shown, (path.name, attrs)
            field = next(f for f in fields if f.choices == values)
            assert shown == tuple(choice_set(str(field.chosen)).shown(v, lang) for v in values)
            if lang == "en":
                assert not any(_CJK.search(t) for t in shown), (path.name, shown)
            selected += sum(1 for v, s, _ in options if s and v)
    assert selected > 0, f"no file of {site} has a fixed choice filled in"


def test_a_spelling_of_the_file_shows_as_its_choice_and_stays_unless_changed(tmp_path: Path) -> None:
    """The English fixture writes ``period: quarterly``: the select shows ``quarter`` picked; saved
    untouched the line stays; another choice picked is written canonically (``月``), never as the word shown."""
    shutil.copytree(FIXTURES / "english" / "roles", tmp_path / "roles")
    ws = Workspace(Project(tmp_path), load_locale("en"))
    changed = 0
    for kind, raw, path in _files(tmp_path / "roles"):
        form = kind_form(kind, "en")
        sent = display(form, raw)
        for field, holder, name in _filled_choices(form, sent):
            rel = ws.rel(path)
            assert holder[name] in field.choices  # an English spelling in the file shows as its choice
            assert not ws.check(rel, sent).changed  # nothing picked: the file as it was, byte for byte
            other = next(c for c in field.choices if c != holder[name])
            before = holder[name]
            holder[name] = other
            checked = ws.check(rel, sent)
            holder[name] = before
            added = _diff(path.read_text(encoding="utf-8"), checked.text)
            written = re.compile(rf"""{name}:\s*["']?{re.escape(other)}["']?(,|}}|\s*$|\s+#)""")
            assert len(added) == 1 and written.search(added[0]), (path.name, name, added)
            assert field.shown[field.choices.index(other)] not in added[0] or other.isascii()
            changed += 1
    assert changed >= 3


def _filled_choices(form: FormField, value: Any) -> Iterator[tuple[FormField, dict[str, Any], str]]:
    """(field, the dict holding its value, its name) for each fixed choice filled in, at any depth."""
    if form.widget == "group" and isinstance(value, dict):
        for f in form.fields:
            if f.name not in value:
                continue
            if f.widget == "choice" and f.chosen and value[f.name]:
                yield f, value, f.name
            else:
                yield from _filled_choices(f, value[f.name])
    elif form.widget == "list" and isinstance(value, list) and form.item is not None:
        for v in value:
            yield from _filled_choices(form.item, v)


def _diff(old: str, new: str) -> list[str]:
    """The lines ``new`` has in place of ``old``'s."""
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
    return [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
