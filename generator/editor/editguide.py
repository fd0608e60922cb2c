"""The page "如何编辑岗位资料" (every field of every kind, from the schema), and edit links to source YAML."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..i18n import Locale
from ..link.handbook import Handbook
from ..load.problems import Problem
from ..model import paths, registry
from ..model.entities import ID_PATTERN
from ..model.entities.base import NOT_APPLICABLE_WORDS
from ..model.fields import FieldHelp, in_lang
from ..render.env import Labels, make_env
from .scaffold import inline_yaml, marker
from .schema import kind_schema, schema_file

#: Docs path of the editing guide (URL ``/editing/``).
PAGE = "editing.md"

_CLOCK_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$"


@dataclass
class Row:
    """One field in a table: its name, type in words, whether required, meaning, example."""

    name: str
    type: str
    required: bool
    meaning: Markup
    example: Markup


@dataclass
class Table:
    """The fields of one object: a kind's top level, or the items of one of its fields."""

    heading: str
    anchor: str
    """Explicit ASCII heading id: Chinese headings never decide an anchor."""
    rows: list[Row] = field(default_factory=list)


def _cell(text: str) -> Markup:
    """Text for a Markdown table cell: HTML-escaped, pipes and line breaks neutralised."""
    return Markup(html.escape(text, quote=False).replace("|", "&#124;").replace("\n", "<br>"))


def _example(value: Any) -> Markup:
    if value is None:
        return Markup("")
    text = inline_yaml(value)
    # <code>, not backticks: entities inside a Markdown code span would show literally.
    return Markup(f"<code>{_cell(text)}</code>")


def _deref(prop: dict[str, Any]) -> dict[str, Any]:
    """The schema a property stands for, minus ``null`` alternatives and ``allOf`` wrappers."""
    if "anyOf" in prop:
        options = [p for p in prop["anyOf"] if p.get("type") != "null" and not _is_na(p)]
        if len(options) == 1:
            return _deref(options[0])
    if "allOf" in prop and len(prop["allOf"]) == 1:
        return _deref(prop["allOf"][0])
    return prop


def _ref_name(prop: dict[str, Any]) -> str | None:
    ref = _deref(prop).get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else None


def _is_na(option: dict[str, Any]) -> bool:
    """The schema's ``n/a`` alternative of an optional section (see ``schema.kind_schema``)."""
    return set(option.get("enum", [])) == NOT_APPLICABLE_WORDS


def _type_words(prop: dict[str, Any], labels: Labels) -> str:
    """How a field's type reads to an editor: 文字, 整数, 以下之一：日、周 …; ``或 n/a`` where it may not apply."""
    words = _plain_type_words(prop, labels)
    if any(_is_na(option) for option in prop.get("anyOf", [])):
        return labels("type_or_na", type=words)
    return words


def _plain_type_words(prop: dict[str, Any], labels: Labels) -> str:
    refers = prop.get("x-refers-to")
    if refers:
        # An id of another entry (its kind declared in the model): 岗位的 id, a list of them, or any entry.
        one = labels.type_ref_any if refers == "*" else labels("type_ref", kind=labels(f"kind_{refers}"))
        sub = _deref(prop)
        return labels("type_list_of", item=one) if sub.get("type") in ("array", "object") else one
    sub = _deref(prop)
    if "$ref" in sub:
        return labels.type_mapping
    if "const" in sub:
        return str(sub["const"])
    if "enum" in sub:
        # A fixed choice as the handbook's language writes it (every spelling is accepted).
        options = sub.get("x-choices", {}).get(labels.locale_lang, sub["enum"])
        return labels("type_choice", options=labels.list_sep.join(str(v) for v in options))
    kind = sub.get("type")
    if kind == "array":
        return labels("type_list_of", item=_plain_type_words(sub.get("items", {}), labels))
    if sub.get("format") == "date":
        return labels.type_date
    pattern = sub.get("pattern")
    if pattern == ID_PATTERN:
        return labels.type_id
    if pattern == _CLOCK_PATTERN:
        return labels.type_clock
    if kind == "integer":
        return labels.type_integer
    if kind == "number":
        return labels.type_number
    if kind == "boolean":
        return labels.type_bool
    return labels.type_text


def _examples(given: list[Any] | None, lang: str) -> list[Any]:
    """The schema's examples ([Chinese, English]) with the handbook's language's first."""
    if not given:
        return [None]
    if lang == "en" and len(given) > 1:
        return [given[1]]
    return [FieldHelp("", "", given[0]).example_in(lang)]


def tables(kind: str, locale: Locale) -> list[Table]:
    """The field tables of one kind: its top level first, then each nested object once."""
    labels = Labels(locale)
    schema = kind_schema(kind)
    defs: dict[str, Any] = schema.get("$defs", {})
    out: list[Table] = []
    seen: set[str] = set()

    def visit(obj: dict[str, Any], heading: str, prefix: str) -> None:
        # A field written as text or as an object (a duty) lists the object's fields.
        obj = next((o for o in obj.get("anyOf", []) if o.get("type") == "object"), obj)
        table = Table(heading, f"{kind}-{prefix.rstrip('.').replace('.', '-')}".rstrip("-"))
        out.append(table)
        nested: list[tuple[str, str, bool]] = []
        required = set(obj.get("required", []))
        for name, prop in obj.get("properties", {}).items():
            text = prop.get("description", "")
            zh, _, en = text.partition("\n\n")
            meaning = in_lang(zh, en, locale.lang)
            examples = [kind] if name == "kind" and not prefix else _examples(prop.get("examples"), locale.lang)
            table.rows.append(
                Row(name, _type_words(prop, labels), name in required, _cell(meaning), _example(examples[0]))
            )
            sub = _deref(prop)
            many = sub.get("type") == "array"
            ref = _ref_name(sub.get("items", {})) if many else _ref_name(prop)
            many = bool(many)
            if ref and ref not in seen:
                seen.add(ref)
                nested.append((ref, f"{prefix}{name}", many))
        for ref, path, many in nested:
            label = "editguide_inside" if many else "editguide_inside_map"
            visit(defs[ref], labels(label, field=path), f"{path}.")

    visit(schema, labels("editguide_fields_of", kind=labels(f"kind_{kind}")), "")
    return out


def pages(locale: Locale) -> dict[str, str]:
    """Docs path → Markdown of the editing guide, for ``build.generate`` to add to the site."""
    # Made from the models' schema and docstrings, which cannot change while the process
    # runs: ``handbook serve`` makes it once per locale, not on every save.
    if locale.lang not in _GUIDES:
        _GUIDES[locale.lang] = _pages(locale)
    return dict(_GUIDES[locale.lang])


_GUIDES: dict[str, dict[str, str]] = {}


def _pages(locale: Locale) -> dict[str, str]:
    env = make_env()
    labels = Labels(locale)
    kinds = [(kind, schema_file(kind), tables(kind, locale)) for kind in registry.KINDS]
    text = env.get_template("editguide.md.j2").render(L=labels, kinds=kinds, marker=marker(locale))
    return {PAGE: _literal_refs(text)}


def _literal_refs(text: str) -> str:
    """Show ``[[role:id]]`` as written: the guide explains the syntax, it references nothing."""
    return text.replace("[[", "&#91;&#91;")


def _sources(hb: Handbook, root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    base = root.resolve()
    for (kind, ident), source in hb.sources.items():
        if registry.kind(kind).shared_page:
            continue  # the glossary page holds every term; no single file to open
        try:
            # Sources are absolute paths under the resolved roles/; resolving each again
            # (a system call per path part) only matters for a roles/ outside the project.
            rel = source.path.relative_to(base).as_posix()
        except ValueError:
            try:
                rel = source.path.resolve().relative_to(base).as_posix()
            except ValueError:
                continue
        out[paths.page(kind, ident)] = rel
    roots = hb.root_units()
    if len(roots) == 1 and paths.page("unit", roots[0]) in out:
        # The home page is made from the top unit's company settings (its welcome): edit there.
        out[paths.HOME] = out[paths.page("unit", roots[0])]
    return out


def with_edit_source(text: bytes, source: str | None) -> bytes:
    """The page with ``edit_source`` in its front matter: its YAML's project-relative path, or
    ``false`` for a generated page made from many files (an index), which gets no edit button.

    The theme override (``partials/actions.html``) turns it into the edit button's link, so
    the button opens the YAML an editor changes, not the generated Markdown.
    """
    value = json.dumps(source, ensure_ascii=False) if source else "false"
    line = f"edit_source: {value}\n".encode()
    if text.startswith(b"---\n"):
        return b"---\n" + line + text[4:]
    return b"---\n" + line + b"---\n\n" + text


def add_edit_sources(
    files: dict[str, bytes], generated: Iterable[str], hb: Handbook, root: Path, docs: str
) -> None:
    """Mark every generated page (in ``files``, keyed ``<docs>/<path>``) with its source file.

    Hand-written pages are left alone: the theme opens their own file under ``handbook/``.
    """
    sources = _sources(hb, root)
    for page in generated:
        key = f"{docs}/{page}"
        if key in files:
            files[key] = with_edit_source(files[key], sources.get(page))


#: Docs path of the live-preview problem page, written only while the last save is invalid.
PREVIEW_PAGE = "preview-problems.md"


def preview_page(problems: Sequence[Problem], locale: Locale) -> str:
    """Markdown of the page listing the problems of an invalid save (the theme links it from a banner)."""
    labels = Labels(locale)
    title = labels.preview_broken_title
    head = f"| {labels.preview_where} | {labels.preview_field} | {labels.preview_message} | {labels.preview_fix} |"
    rows = [head, "| --- | --- | --- | --- |"]
    for problem in problems:
        message, fix = problem.texts(locale)
        where = f"{problem.file}:{problem.line}:{problem.col}"
        rows.append(f"| <code>{_cell(where)}</code> | {_cell(problem.field)} | {_cell(message)} | {_cell(fix)} |")
    shown = json.dumps(html.escape(title, quote=False), ensure_ascii=False)
    front = f"---\nedit_source: false\ntitle: {shown}\n---\n\n"
    intro = _cell(labels.preview_broken_intro)
    body = f"# {_cell(title)}\n\n!!! danger \"\"\n    {intro}\n\n" + "\n".join(rows) + "\n"
    return front + _literal_refs(body)
