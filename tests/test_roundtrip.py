"""The YAML writer behind forms and the workbook import: every file HR wrote, sample and fixtures,
changed one value at a time; what changes is that value's line and nothing else."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.editor.roundtrip import Edit, EditError, edit, splice

from .conftest import REPO

FILES = sorted([*(REPO / "roles").rglob("*.yaml"), *(REPO / "tests" / "fixtures").rglob("*.yaml")])


def _leaves(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _leaves(value, (*path, index))
    else:
        yield path, data


def _put(data: Any, path: tuple[str | int, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _single_line_strings(text: str) -> list[tuple[str | int, ...]]:
    data = yaml.safe_load(text)
    lines = text.splitlines()
    found = []
    for path, value in _leaves(data):
        # a value on one line of its own file, written once: its change must be that line only
        if isinstance(value, str) and value and "\n" not in value and sum(value in line for line in lines) == 1:
            found.append(path)
    return found


def test_every_file_is_read() -> None:
    assert len(FILES) > 60
    assert sum(len(_single_line_strings(f.read_text(encoding="utf-8"))) for f in FILES) > 500


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_setting_every_value_to_itself_changes_no_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    same = [Edit("set", leaf, value) for leaf, value in _leaves(yaml.safe_load(text)) if leaf]
    assert edit(text, same) == text


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_changing_one_value_changes_its_line_only(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for leaf in _single_line_strings(text)[:10]:
        data = yaml.safe_load(text)
        old = data
        for key in leaf:
            old = old[key]
        changed = edit(text, [Edit("set", leaf, old + "（改）")])
        _put(data, leaf, old + "（改）")
        assert yaml.safe_load(changed) == data, leaf
        diff = [d for d in difflib.ndiff(text.splitlines(), changed.splitlines()) if d[:1] in "+-"]
        assert len(diff) == 2 and old in diff[0] and old + "（改）" in diff[1], (leaf, diff)


def test_a_new_list_item_and_a_new_key_land_in_block_style_and_comments_stay() -> None:
    text = "# 岗位\nkind: role\ntitle: 甲  # 名称\nduties:\n  - 一\n  # 第二条\n  - 二\n"
    changed = edit(text, [Edit("insert", ("duties", 2), "三"), Edit("set", ("summary",), "概要")])
    assert changed == "# 岗位\nkind: role\ntitle: 甲  # 名称\nduties:\n  - 一\n  # 第二条\n  - 二\n  - 三\nsummary: 概要\n"
    removed = edit(text, [Edit("delete", ("duties", 0))])
    assert yaml.safe_load(removed)["duties"] == ["二"] and "# 岗位" in removed and "# 名称" in removed


def test_quotes_and_windows_line_ends_are_kept() -> None:
    text = 'version: "2024.1"\r\ntitle: 甲\r\n'
    assert edit(text, [Edit("set", ("version",), "2024.2")]) == 'version: "2024.2"\r\ntitle: 甲\r\n'


def test_lines_ruamel_would_rewrite_stay_as_written() -> None:
    # A list indented the other way (dash at the key's column): ruamel re-indents it when dumping,
    # but only the changed line may differ from what the person wrote.
    text = "kind: role\nduties:\n- 一\n- 二\ntitle: 甲\n"
    assert edit(text, [Edit("set", ("title",), "乙")]) == "kind: role\nduties:\n- 一\n- 二\ntitle: 乙\n"


def test_a_path_that_is_not_in_the_file_is_refused() -> None:
    with pytest.raises(EditError, match=r"duties\.5"):
        edit("duties:\n  - 一\n", [Edit("set", ("duties", 5, "area"), "x")])
    with pytest.raises(EditError):
        edit("title: 甲\n", [Edit("delete", ("summary",))])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ab\n", max_size=6), max_size=8),
       st.lists(st.text(alphabet="ab\n", max_size=6), max_size=8))
def test_splice_of_identical_dumps_is_the_dump_after(before: list[str], after: list[str]) -> None:
    b, a = "".join(f"{x}\n" for x in before), "".join(f"{x}\n" for x in after)
    assert splice(b, b, a) == a


def test_a_longer_value_keeps_the_space_its_author_left_before_a_comment() -> None:
    text = "kind: role\ntitle: 收银员  # 注\nunit: store\n"
    assert edit(text, [Edit("set", ("title",), "收银员 X")]) == "kind: role\ntitle: 收银员 X  # 注\nunit: store\n"
