"""Property tests: mutated valid files are accepted or reported, never crash the validator or the renderer."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.load.problems import Severity, format_text
from generator.render.pages import Renderer

from .conftest import FIXTURES

ZH = load_locale("zh")
ROLES = FIXTURES / "mini" / "roles"
NAMES = sorted(p.name for p in ROLES.glob("*.yaml"))
ORIGINAL = {name: (ROLES / name).read_text(encoding="utf-8") for name in NAMES}
#: The active profile (fixed seed or random, see conftest.py) with nothing overridden here.
SETTINGS = settings()

#: Characters editors and pastes bring in: YAML syntax, Chinese punctuation, invisible and control characters.
JUNK = [
    *":#[]{}&*!|>'\"-?,%@`\\\t\n\r ",
    "\u3000", "：", "，", "、", "\ufeff", "\u200b", "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85",
    "\u2028", "\ud7ff", "\U0001f600", "[[", "]]", "[[role:", "{{", "{%", "---", "...", "<<: *a", "&a ", "!!python/x ",
]
VALUES: list[Any] = [
    None, 0, -1, 2.5, 10**30, True, "", "文字", "../x", "<script>", [], {}, ["a"], {"a": 1}, [[1]],
    "2024-13-01", "9:45", "1e999", "[[role:nobody]]", "x" * 5000,
]


@pytest.fixture(scope="module")
def roles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("props") / "roles"
    shutil.copytree(ROLES, folder)
    return folder


def _check(roles: Path, name: str, data: bytes, *, render: bool = False) -> None:
    """Write ``data`` as ``name``, validate; every problem must be well-formed; restore the file."""
    path = roles / name
    path.write_bytes(data)
    try:
        result = validate(roles, display_base=roles.parent)
        lines = {f"roles/{n}": ORIGINAL[n].count("\n") + 1 for n in NAMES}
        lines[f"roles/{name}"] = data.count(b"\n") + 1
        for problem in result.problems:
            assert problem.code in ZH.problems, problem
            assert 1 <= problem.line <= lines[problem.file] + 1 and problem.col >= 1, problem
            text = format_text(problem, ZH)
            assert "\n" not in text, f"a problem must print as one line: {text!r}"
        if render and not any(p.severity is Severity.ERROR for p in result.problems):
            Renderer(result.handbook, ZH).pages()  # what validation accepts, rendering must handle
    finally:
        path.write_text(ORIGINAL[name], encoding="utf-8")


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside ``data``."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield (*prefix, i)
            yield from _paths(value, (*prefix, i))


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def text_mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file with one to three of: junk inserted, truncated, a line duplicated, indentation changed."""
    name = draw(st.sampled_from(NAMES))
    text = ORIGINAL[name]
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["junk", "truncate", "duplicate", "indent", "delete-line", "swap-lines"]))
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        if kind == "junk":
            pos = draw(st.integers(0, len(text)))
            junk = draw(st.sampled_from(JUNK) | st.text(min_size=1, max_size=3))
            text = text[:pos] + junk + text[pos:]
        elif kind == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif kind == "duplicate":
            lines.insert(at, lines[at])  # a key line repeated: a duplicate key, or a doubled list item
            text = "\n".join(lines)
        elif kind == "indent":
            indent = draw(st.sampled_from([" ", "  ", "   ", "\t", "\u3000", ""]))
            lines[at] = indent + lines[at] if draw(st.booleans()) else lines[at].lstrip()
            text = "\n".join(lines)
        elif kind == "delete-line":
            del lines[at]
            text = "\n".join(lines)
        else:
            other = draw(st.integers(0, max(0, len(lines) - 1)))
            lines[at], lines[other] = lines[other], lines[at]
            text = "\n".join(lines)
    return name, text.encode("utf-8", errors="surrogatepass")


@st.composite
def data_mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file whose parsed data had a key deleted or a value replaced by another type, dumped again."""
    name = draw(st.sampled_from(NAMES))
    data = yaml.safe_load(ORIGINAL[name])
    for _ in range(draw(st.integers(1, 2))):
        paths = list(_paths(data))
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        if draw(st.booleans()):
            del parent[path[-1]]
        else:
            # A copy: VALUES holds lists and dicts, and putting the same object in twice would
            # let a later mutation nest it inside itself (and leak it into the next example).
            value = draw(st.sampled_from(VALUES) | st.text(max_size=20) | st.integers() | st.floats())
            parent[path[-1]] = copy.deepcopy(value)
    return name, yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


@st.composite
def byte_mutation(draw: st.DrawFn) -> tuple[str, bytes]:
    """A file with a few raw bytes replaced: broken UTF-8, GBK fragments, NULs."""
    name = draw(st.sampled_from(NAMES))
    raw = bytearray(ORIGINAL[name].encode("utf-8"))
    for _ in range(draw(st.integers(1, 4))):
        raw[draw(st.integers(0, len(raw) - 1))] = draw(st.integers(0, 255))
    return name, bytes(raw)


@settings(SETTINGS, max_examples=1200)
@given(case=text_mutation())
def test_text_mutations_never_crash(roles: Path, case: tuple[str, bytes]) -> None:
    _check(roles, *case)


@settings(SETTINGS, max_examples=700)
@given(case=data_mutation())
def test_data_mutations_never_crash(roles: Path, case: tuple[str, bytes]) -> None:
    _check(roles, *case)


@settings(SETTINGS, max_examples=300)
@given(case=byte_mutation())
def test_byte_mutations_never_crash(roles: Path, case: tuple[str, bytes]) -> None:
    _check(roles, *case)


@settings(SETTINGS, max_examples=60)
@given(case=data_mutation())
def test_accepted_mutations_render(roles: Path, case: tuple[str, bytes]) -> None:
    # Rendering takes ~0.1 s per handbook, so fewer examples here than for validation alone.
    _check(roles, *case, render=True)


def test_unmutated_files_are_clean(roles: Path) -> None:
    assert validate(roles, display_base=roles.parent).problems == []


_DIRS = st.lists(st.sampled_from(["a", "b", "roles", "org"]), max_size=4).map("/".join)


@SETTINGS
@given(path=_DIRS, from_dir=_DIRS)
def test_cached_relative_path_equals_relpath(path: str, from_dir: str) -> None:
    import posixpath

    from generator.render.markup import relative_path

    assert relative_path(path, from_dir) == posixpath.relpath(path or ".", from_dir or ".")


@SETTINGS
@given(st.text(alphabet=st.sampled_from([*"电销组长 AbZ09-.:;,()（）、·/%'\"+=~^$@", "\u3000", "\t", "\u00a0", "\x0c", "\u2028"]), max_size=30))
def test_heading_fast_path_reads_like_the_markdown_parser(body: str) -> None:
    import html as html_module

    from generator.site.output import _HEADING, _TAG, _heading_text

    line = "# " + body
    slow = html_module.unescape(_TAG.sub("", _HEADING.reset().convert(line))).strip()
    assert _heading_text(line) == slow


@SETTINGS
@given(st.text(max_size=60) | st.text(alphabet=st.sampled_from([*"&<>\"'\\`*_{}[]()#+-.!|;x电 "]), max_size=40))
def test_escape_plain_is_html_escape_then_markdown_escape(text: str) -> None:
    import html as html_module
    import re

    from generator.render.markup import escape_plain

    expected = re.sub(r"([\\`*_{}\[\]()#+\-.!|])", r"\\\1", html_module.escape(text, quote=True))
    assert escape_plain(text) == expected
