"""Forgetting a field is impossible: every declared field reaches its pages, every reference field is checked.

Cases are generated from the models and the field table, never listed by hand:

- each field of each kind, at any depth, is given its table example (with the ids it names replaced
  by entities that exist) in a copy of the mini project; its page (a role's page with its checklist, and
  PDF) must then show every text, number and name the example holds, unless the kind's table entry
  hides the field;
- each reference field (``RefTo`` in the models) is given an id that names nothing; validation must
  report it, at its own line, with its own field path.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from pydantic import BaseModel

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import Result, validate
from generator.model import fields, paths, registry
from generator.model.declare import ANY_KIND, Shape, iter_models, shapes
from generator.pdf.render import PdfRenderer
from generator.render import formatting
from generator.render.pages import Renderer

from .conftest import FIXTURES

ZH = load_locale("zh")
EXTENSIONS = ["tables", "attr_list", "md_in_html", "generator.site.mdabbr", "admonition", "pymdownx.tasklist"]
#: Fields no page shows: identity and notes for HR (the completeness page lists notes).
BOOKKEEPING = {"kind", "id", "aliases", "editor_note", "not_applicable", "lint_exempt"}

#: Kinds the mini project lacks, written beside it so every kind has an entity to vary.
EXTRA_FILES = {
    "ladder/sales.yaml": {"kind": "family", "name": "销售序列", "description": "一线销售岗位。"},
    "ladder/p1.yaml": {"kind": "grade", "name": "P1 专员", "rank": 1, "description": "入门级。"},
    "reviews/quality.yaml": {
        "kind": "assessment", "title": "质量考核", "applies_to": {"units": ["phone-team"]},
        "items": [{"name": "录音质检", "weight": 100}],
        "rules": [{"below": 60, "consequences": [{"effect": "penalty", "type": "warning"}]}],
    },
    "skills/listening.yaml": {
        "kind": "competency", "name": "倾听", "definition": "听懂客户。",
        "levels": [{"name": f"{n} 级", "indicators": [f"第 {n} 级的表现"]} for n in range(1, 6)],
    },
}


def _base(tmp: Path) -> Path:
    roles = tmp / "roles"
    shutil.copytree(FIXTURES / "mini" / "roles", roles)
    for rel, data in EXTRA_FILES.items():
        (roles / rel).parent.mkdir(parents=True, exist_ok=True)
        (roles / rel).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return roles


@functools.cache
def _mini() -> Handbook:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        result = validate(_base(Path(tmp)), locale=ZH, display_base=Path(tmp))
    assert not [p for p in result.problems if p.severity.name == "ERROR"], result.problems
    return result.handbook


def _pick(kind: str) -> str:
    """An id of ``kind`` that exists in the mini project."""
    return sorted(_mini().table(kind))[0]


# ---- examples with real ids ----

def _with_ids(shape: Shape, value: Any) -> Any:
    """``value`` (a table example) with every id it names replaced by one that exists."""
    if value is None:
        return None
    if shape.ref is not None:
        if shape.ref.kind == ANY_KIND:
            return f"policy:{_pick('policy')}"
        if shape.ref.clause:
            policy = _mini().policies[_pick("policy")]
            return f"{policy.id}#{policy.clauses[0].id}" if "#" in str(value) else policy.id
        return _pick(shape.ref.kind)
    if shape.item is not None and isinstance(value, list):
        return [_with_ids(shape.item, v) for v in value]
    if shape.key is not None and shape.value is not None and isinstance(value, dict):
        return {_with_ids(shape.key, k): _with_ids(shape.value, v) for k, v in value.items()}
    if shape.model is not None and isinstance(value, dict):
        return _model_with_ids(shape.model, value)
    return value


def _model_with_ids(model: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    kinds = shapes(model)
    return {k: _with_ids(kinds[k], v) if k in kinds else v for k, v in data.items()}


def _example(model: type[BaseModel], name: str) -> Any:
    return _with_ids(shapes(model)[name], fields.declared(model, name).help.example)


def _minimal(model: type[BaseModel]) -> dict[str, Any]:
    """The model's required fields, each its example (ids replaced): the least that validates."""
    return {name: _example(model, name) for name, info in model.model_fields.items()
            if info.is_required() and name != "kind"}


def _holding(model: type[BaseModel], path: tuple[str, ...], leaf: Any = None) -> Any:
    """A value for ``model``'s field ``path[0]`` that carries the example of the field at ``path``
    (or ``leaf`` in its place): the nested models on the way get their required fields, lists hold one item."""
    name, rest = path[0], path[1:]
    if not rest:
        return _example(model, name) if leaf is None else leaf
    shape = shapes(model)[name]
    inner = shape.item or shape
    assert inner.model is not None, (model, path)
    # The least that validates, plus the fields the one at the end of the path needs to say anything.
    data = _minimal(inner.model)
    for needed in fields.declared(inner.model, rest[0]).needs if len(rest) == 1 else ():
        data[needed] = _example(inner.model, needed)
    data[rest[0]] = _holding(inner.model, rest, leaf)
    return [data] if shape.item is not None else data


def _paths(model: type[BaseModel], prefix: tuple[str, ...] = (), seen: frozenset[type] = frozenset()) -> Iterator[
        tuple[str, ...]]:
    """Every field path below ``model`` (through nested models and lists of them), top level first."""
    for name, shape in shapes(model).items():
        yield (*prefix, name)
        inner = shape.item or shape
        if inner.model is not None and inner.model not in seen:
            yield from _paths(inner.model, (*prefix, name), seen | {model})


# ---- what a page must show of a value ----

def _expected(shape: Shape, value: Any) -> Iterator[str]:
    """The texts, numbers and names a page shows for ``value``; fixed choices are worded, so skipped."""
    if value is None or isinstance(value, bool):
        return
    if shape.ref is not None:
        if shape.ref.kind != ANY_KIND:
            entity = _mini().get(shape.ref.kind, str(value).partition("#")[0])
            yield registry.display_name(entity) if entity else str(value)
    elif shape.item is not None:
        for v in value:
            yield from _expected(shape.item, v)
    elif shape.key is not None and shape.value is not None:
        for k, v in value.items():
            yield from _expected(shape.key, k)
            yield from _expected(shape.value, v)
    elif shape.model is not None and isinstance(value, dict):
        kinds = shapes(shape.model)
        for k, v in value.items():
            if k in kinds and k not in ("id", "aliases"):  # ids are anchors and URLs, not text
                yield from _expected(kinds[k], v)
    elif shape.model is not None:
        yield str(value)  # a model written as plain text (a duty item)
    elif shape.scalar in ("int", "number"):
        yield formatting.number(value)
    elif shape.scalar in ("text", "date") and str(value).strip():
        yield str(value)


def seen(markup: str) -> str:
    """What a reader sees of HTML: no tags, entities decoded, no whitespace."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S)
    text = re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)))
    return text.replace("–", "-")  # a range is printed with an en dash (11–12 月)


def _web(pages: dict[str, str], page: str) -> str:
    source = re.sub(r"\A---\n.*?\n---\n", "", pages[page], flags=re.S)
    return seen(markdown.markdown(source, extensions=EXTENSIONS))


def _cases() -> list[tuple[str, tuple[str, ...]]]:
    out: list[tuple[str, tuple[str, ...]]] = []
    for kind in registry.KINDS.values():
        skip = BOOKKEEPING | fields.hidden(kind.model) | {kind.display}
        out += [(kind.name, path) for path in _paths(kind.model) if path[0] not in skip]
    return out


CASES = _cases()


def _entity_file(roles: Path, kind: str) -> tuple[Path, str]:
    hb = _mini()
    ident = _pick(kind)
    return roles / hb.source_of(kind, ident).rel.removeprefix("roles/"), ident


def _vary(tmp: Path, kind: str, path: tuple[str, ...], leaf: Any = None) -> tuple[Result, str, Any]:
    """The mini project with the first entity of ``kind`` given the example of ``path`` (or ``leaf``
    in its place); its id and the value."""
    tmp.mkdir(parents=True, exist_ok=True)
    roles = _base(tmp)
    file, ident = _entity_file(roles, kind)
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    model = registry.kind(kind).model
    value = _holding(model, path, leaf)
    data[path[0]] = value
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return validate(roles, locale=ZH, display_base=tmp), ident, value


def _leaf(model: type[BaseModel], path: tuple[str, ...]) -> tuple[type[BaseModel], Shape]:
    """The model holding the field at the end of ``path``, and that field's shape."""
    holder, shape = model, shapes(model)[path[0]]
    for name in path[1:]:
        inner = shape.item or shape
        assert inner.model is not None
        holder, shape = inner.model, shapes(inner.model)[name]
    return holder, shape


def _web_of(result: Result, kind: str, ident: str) -> str:
    """What a reader sees of an entity on the site: its page, and for a unit the pages of its
    roles (a unit's onboarding steps are on their checklists)."""
    hb = result.handbook
    pages = Renderer(hb, ZH).pages()
    shown = _web(pages, paths.page(kind, ident).partition("#")[0])
    units = [ident, *hb.descendants(ident)] if kind == "unit" else []
    roles = [rid for uid in units for rid in hb.unit_roles.get(uid, [])]
    return shown + "".join(_web(pages, paths.page("role", rid)) for rid in roles)


@pytest.mark.parametrize(("kind", "path"), CASES, ids=[f"{k}.{'.'.join(p)}" for k, p in CASES])
def test_every_field_reaches_its_pages(kind: str, path: tuple[str, ...], tmp_path: Path) -> None:
    result, ident, value = _vary(tmp_path / "a", kind, path)
    entity = result.handbook.get(kind, ident)
    assert entity is not None, [(p.code, p.field) for p in result.problems]
    model = registry.kind(kind).model
    shown = _web_of(result, kind, ident)
    paper = seen(PdfRenderer(result.handbook, ZH).role_html(ident)) if kind == "role" else None
    holder, field_shape = _leaf(model, path)
    leaf = field_shape.item or field_shape
    if leaf.scalar in ("choice", "bool"):
        # A fixed choice is shown in words: another choice must change what the page says.
        current = fields.declared(holder, path[-1]).help.example
        first = current[0] if isinstance(current, list) else current
        other: Any = next(c for c in leaf.choices if c != str(first)) if leaf.choices else not first
        changed, _, _ = _vary(tmp_path / "b", kind, path, [other] if field_shape.item else other)
        assert changed.handbook.get(kind, ident) is not None
        assert _web_of(changed, kind, ident) != shown, f"{'.'.join(path)}: the page does not change with it"
        return
    wanted = [w for w in _expected(shapes(model)[path[0]], value) if w]
    assert wanted, f"the example of {'.'.join(path)} holds nothing a page could show; give it a text or number"
    lost = [w for w in wanted if seen(html.escape(w)) not in shown]
    assert not lost, f"{kind} {ident}: {'.'.join(path)} = {value!r} is not on its page: {lost}"
    if paper is not None:
        assert not [w for w in wanted if seen(html.escape(w)) not in paper], f"{'.'.join(path)} is not in the PDF"


def test_the_reach_check_can_fail() -> None:
    """A text the page lacks is reported: the check compares, it does not just run."""
    shown = seen(markdown.markdown("- **学历**：大专"))
    assert [w for w in ("大专", "本科") if seen(w) not in shown] == ["本科"]


def test_laid_out_kinds_place_every_field() -> None:
    """Roles (and any kind with declared sections but no template of its own) put every field in a
    section or in hidden: a field in neither would reach no page."""
    for kind in registry.KINDS.values():
        declared = fields.sections(kind.model)
        if not declared or (kind.template != "entity.md.j2" and kind.name != "role"):
            continue
        placed = {f for s in declared for f in s.fields} | fields.hidden(kind.model) | {kind.display}
        assert sorted(set(kind.model.model_fields) - placed) == [], kind.name


# ---- references ----

def _ref_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], Shape]]:
    for name, shape in shapes(model).items():
        inner = shape.item or shape
        if shape.ref is not None or (shape.item is not None and shape.item.ref is not None) or (
                shape.key is not None and shape.key.ref is not None):
            yield (*prefix, name), shape
        elif inner.model is not None:
            yield from _ref_paths(inner.model, (*prefix, name))


REF_CASES = [(kind.name, path, shape) for kind in registry.KINDS.values() for path, shape in _ref_paths(kind.model)]


def _dangling(shape: Shape) -> Any:
    """A value for a reference field naming nothing."""
    if shape.key is not None:
        return {"no-such-thing": 3}
    ref = (shape.item or shape).ref
    assert ref is not None
    one = "role:no-such-thing" if ref.kind == ANY_KIND else "no-such-thing"
    return [one] if shape.item is not None else one


def test_reference_cases_cover_every_reference_field() -> None:
    found = {(cls.__name__, name) for kind in registry.KINDS.values() for cls in iter_models(kind.model)
             for name, s in shapes(cls).items() if (s.item or s.key or s).ref is not None}
    assert len(found) >= 15  # unit, parent, reports_to, owner, participants' roles … (model/entities)
    covered = {(path[-2] if len(path) > 1 else kind, path[-1]) for kind, path, _ in REF_CASES}
    assert {name for _, name in found} <= {name for _, name in covered}


@pytest.mark.parametrize(("kind", "path", "shape"), REF_CASES, ids=[f"{k}.{'.'.join(p)}" for k, p, _ in REF_CASES])
def test_every_reference_field_is_checked_at_its_line(
    kind: str, path: tuple[str, ...], shape: Shape, tmp_path: Path
) -> None:
    roles = _base(tmp_path)
    file, _ = _entity_file(roles, kind)
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    model = registry.kind(kind).model
    data[path[0]] = _holding(model, path)
    leaf = data[path[0]]
    holder: Any = data
    for part in path[:-1]:
        holder = holder[part][0] if isinstance(holder[part], list) else holder[part]
    holder[path[-1]] = _dangling(shape)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    file.write_text(text, encoding="utf-8")
    del leaf
    result = validate(roles, locale=ZH, display_base=tmp_path)
    rel = file.relative_to(tmp_path).as_posix()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "no-such-thing" in row)
    found = [p for p in result.problems if p.file == rel and "no-such-thing" in str(p.args)]
    assert found, (path, [(p.code, p.field) for p in result.problems])
    assert found[0].line == line, (found[0], line)
    dotted = ".".join(path)
    assert re.sub(r"\[\d+\]", "", found[0].field).replace(".no-such-thing", "").startswith(dotted), found[0].field
