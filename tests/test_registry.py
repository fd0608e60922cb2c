"""The kind registry is the only list of kinds, and each entry is complete."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest

from generator.editor import scaffold
from generator.editor.schema import schemas
from generator.errors import ScaffoldError
from generator.i18n import available, load_locale
from generator.link.handbook import Handbook, kind_of
from generator.model import paths, registry
from generator.model.entities import ID_PATTERN, Term
from generator.render.env import TEMPLATES_DIR

from .conftest import REPO

KINDS = list(registry.KINDS.values())


def test_the_closed_set_is_the_registry() -> None:
    assert list(typing.get_args(registry.KindName)) == list(registry.KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_entry_is_complete(kind: registry.Kind) -> None:
    kind_field = kind.model.model_fields["kind"].annotation
    assert typing.get_args(kind_field) == (kind.name,), "the model's kind: must be the registry name"
    assert kind.display in kind.model.model_fields or isinstance(getattr(kind.model, kind.display, None), property)
    assert "{id}" in kind.page and kind.page.partition("#")[0].endswith(".md")
    assert (TEMPLATES_DIR / kind.template).is_file()
    assert (TEMPLATES_DIR / kind.index_template).is_file()
    assert kind.scaffold in scaffold.TEMPLATES
    for lang in available():
        locale = load_locale(lang)
        assert locale.label(kind.label)
        if kind.nav is registry.Nav.SECTION:
            assert locale.label(kind.nav_label)
    assert registry.by_ref(kind.ref) is kind
    assert registry.of_model(kind.model) is kind


def test_handbook_has_exactly_the_registered_tables() -> None:
    hb = Handbook()
    assert list(hb.tables) == list(registry.KINDS)
    with pytest.raises(KeyError):
        hb.table("gadget")  # unregistered: a bug, not a silently empty table
    assert hb.get("person", "x") is None  # [[person:x]] in text resolves to nothing (check reports it)


def test_entity_of_unregistered_kind_is_a_bug() -> None:
    class Stray(Term):
        pass

    with pytest.raises(KeyError):
        kind_of(Stray(kind="term", id="x", term="x", definition="x"))


def test_unknown_kind_has_no_scaffold() -> None:
    with pytest.raises(KeyError):
        scaffold.render("gadget", "x", None, load_locale(), "x.json")
    with pytest.raises(ScaffoldError):
        scaffold.new_file(REPO, "gadget", "x", None, load_locale())


def test_every_kind_has_a_schema_and_pages() -> None:
    assert sorted(schemas()) == sorted(f"{k}.schema.json" for k in registry.KINDS)
    assert paths.index_pages() == list(dict.fromkeys(k.index for k in KINDS))
    for kind in KINDS:
        assert paths.page(kind.name, "x-1").startswith(kind.page.split("{")[0])


def _string_constants(path: Path) -> list[set[str]]:
    """For each tuple, list, set or dict literal in ``path``: the kind names it holds as strings."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        items: list[ast.expr | None] = []
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = list(node.keys)
        names = {i.value for i in items if isinstance(i, ast.Constant) and i.value in registry.KINDS}
        found.append(names)
    return found


def test_no_module_keeps_its_own_list_of_kinds() -> None:
    """A literal naming three or more kinds outside the registry is a second list that can drift."""
    lists = {}
    for path in sorted((REPO / "generator").rglob("*.py")):
        if path.name == "registry.py":
            continue
        for names in _string_constants(path):
            if len(names) >= 3:
                lists[path.relative_to(REPO).as_posix()] = sorted(names)
    assert lists == {}


def test_id_pattern_is_written_once() -> None:
    words = ID_PATTERN.strip("^$")
    places = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "generator").rglob("*.py")
        if "[a-z0-9]+(?:-[a-z0-9]+)*" in path.read_text(encoding="utf-8")
    ]
    assert words == "[a-z0-9]+(?:-[a-z0-9]+)*"
    assert places == ["generator/model/entities/base.py"]
