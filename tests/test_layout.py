"""The layout rules docs/ARCHITECTURE.md promises, read from the code: imports go down the data flow,
no module imports itself round a circle, and no module grows past 450 lines.

Imports are read with ``ast`` from every module of ``generator/``, wherever they stand (inside a
function or under ``TYPE_CHECKING`` too: a circle hidden in a function is still a circle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "generator"
#: The packages and top modules from the bottom of the data flow up: each may import only from the
#: layers below it (docs/ARCHITECTURE.md, "Packages and modules").
LAYERS: list[set[str]] = [
    {"model", "memo", "project"},
    {"i18n"},
    {"errors", "load"},
    {"link"},
    {"render"},
    {"history", "editor", "pdf"},
    {"office"},  # workbooks and Word files: writes back through editor/roundtrip, words changes as history/ does
    {"site"},
    {"compliance"},
    {"cli", "__init__"},
    {"__main__"},
]
MAX_LINES = 450


def _module(path: Path) -> str:
    rel = path.relative_to(PACKAGE).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts) or "__init__"


def _imports(path: Path) -> Iterator[str]:
    """The modules of ours that ``path`` imports, as dotted names under ``generator``."""
    package = list(path.relative_to(PACKAGE).parts[:-1])
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
            target = [*base, *(node.module.split(".") if node.module else [])]
            for alias in node.names:
                module = ".".join([*target, alias.name])
                yield module if (PACKAGE / Path(*module.split("."))).with_suffix(".py").is_file() or (
                    PACKAGE / Path(*module.split("."))).is_dir() else ".".join(target)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator."):
            yield node.module.removeprefix("generator.")


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, layer in enumerate(LAYERS) if top in layer)


def test_every_package_has_a_layer_and_the_imports_are_read() -> None:
    graph = _graph()
    for module in graph:
        assert _layer(module) >= 0, module
    assert sum(len(targets) for targets in graph.values()) > 200  # the reader finds the imports
    assert "link.handbook" in graph["link.check"] and "model.declare" in graph["link.check"]


def test_imports_go_down_the_data_flow_only() -> None:
    upward = [(m, t) for m, targets in _graph().items() for t in targets
              if m.split(".")[0] != t.split(".")[0] and _layer(t) >= _layer(m)]
    assert upward == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import circle once (Tarjan's strongly connected components of two modules or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles() -> None:
    assert _cycles(_graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_the_line_limit(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
