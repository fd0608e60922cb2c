"""Write a change into a YAML file HR wrote, leaving every line the change does not touch as it was.

Forms in the browser and the workbook import both change a value or two in a file that a person
wrote, with comments, key order, quoting and blank lines of their own. ruamel.yaml keeps most of
that, but not all (it may re-indent a list or re-flow a long line it did not change). So the
change is made on ruamel's round-trip tree and dumped twice, without and with the change; only
the lines that differ between those two dumps are carried into the original text, at the place
the unchanged dump's lines line up with the original's. Lines the change does not touch are
therefore byte-identical by construction, whatever ruamel would have done to them.

Paths name a value the way the problems do: ``("duties", 0, "items", 2)``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

Key = str | int
YamlPath = tuple[Key, ...]


class EditError(ValueError):
    """A path that does not lead to a value of the file, or a value that cannot go there."""


@dataclass(frozen=True)
class Edit:
    """One change: set (or add) the value at ``path``, delete it, or insert into a list at it."""

    op: Literal["set", "delete", "insert"]
    path: YamlPath
    value: Any = None


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never re-flow a long line: a person broke it where they chose
    # The style `handbook fmt` and `handbook new` write: lists indented under their key.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.allow_duplicate_keys = False
    return yaml


def load(text: str) -> Any:
    """The round-trip tree of ``text`` (ruamel keeps comments and order in it)."""
    return _yaml().load(text)


def dump(tree: Any) -> str:
    out = io.StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def _like(old: Any, new: Any) -> Any:
    """``new`` quoted the way ``old`` was, so a changed string keeps its author's quotes."""
    if type(new) in (str, int, float, bool) and isinstance(old, type(new)) and old == new:
        return old  # the same value: keep its node, with its style (folded, quoted) and line breaks
    if isinstance(new, str) and isinstance(old, (LiteralScalarString, FoldedScalarString)):
        return type(old)(new)
    if isinstance(new, str) and not isinstance(new, (DoubleQuotedScalarString, SingleQuotedScalarString)):
        if isinstance(old, DoubleQuotedScalarString):
            return DoubleQuotedScalarString(new)
        if isinstance(old, SingleQuotedScalarString):
            return SingleQuotedScalarString(new)
    return _tree(new)


def _tree(value: Any) -> Any:
    """Plain dicts and lists as ruamel's commented ones, so they dump in block style."""
    if isinstance(value, dict) and not isinstance(value, CommentedMap):
        return CommentedMap((k, _tree(v)) for k, v in value.items())
    if isinstance(value, list) and not isinstance(value, CommentedSeq):
        return CommentedSeq(_tree(v) for v in value)
    return value


def _parent(tree: Any, path: YamlPath) -> Any:
    node = tree
    for depth, key in enumerate(path[:-1]):
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            where = ".".join(str(k) for k in path[: depth + 1])
            raise EditError(f"{where}: not in the file") from None
    return node


def apply(tree: Any, edit: Edit) -> None:
    """Make one change on a round-trip tree, in place."""
    if not edit.path:
        raise EditError("an edit needs a path")
    parent, key = _parent(tree, edit.path), edit.path[-1]
    if edit.op == "set":
        if isinstance(parent, dict):
            parent[key] = _like(parent.get(key), edit.value)
        elif isinstance(parent, list) and isinstance(key, int) and -len(parent) <= key < len(parent):
            parent[key] = _like(parent[key], edit.value)
        elif isinstance(parent, list) and key == len(parent):
            parent.append(_tree(edit.value))
        else:
            raise EditError(f"{'.'.join(map(str, edit.path))}: no such place to set")
    elif edit.op == "delete":
        try:
            del parent[key]
        except (KeyError, IndexError, TypeError):
            raise EditError(f"{'.'.join(map(str, edit.path))}: not in the file") from None
    else:
        if not (isinstance(parent, list) and isinstance(key, int) and 0 <= key <= len(parent)):
            raise EditError(f"{'.'.join(map(str, edit.path))}: not a place in a list")
        parent.insert(key, _tree(edit.value))


def _anchors(original: list[str], dumped: list[str]) -> dict[int, int]:
    """Line of the unchanged dump → the same line in the original, where the two are equal."""
    matcher = SequenceMatcher(None, original, dumped, autojunk=False)
    return {b + k: a + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}


_COMMENT = re.compile(r"(\s+)(#[^\n]*)(\n?)$")


def _comment_gap(old: str, new: str) -> str:
    """``new`` with the space before its end-of-line comment as ``old`` had it: ruamel keeps a comment
    at its column, so a longer value squeezes the gap the author chose (``收银员  # 注``)."""
    was, now = _COMMENT.search(old), _COMMENT.search(new)
    if was is None or now is None or was.group(2) != now.group(2) or was.group(1) == now.group(1):
        return new
    return new[: now.start()] + was.group(1) + now.group(2) + now.group(3)


def splice(original: str, before: str, after: str) -> str:
    """``original`` with the lines that differ between ``before`` and ``after`` carried into it."""
    if before == after:
        return original
    o, b, a = (s.splitlines(keepends=True) for s in (original, before, after))
    anchor = _anchors(o, b)

    def start(i: int) -> int:  # where B's line i begins in O (after the last anchored line before it)
        if i in anchor:
            return anchor[i]
        prior = [anchor[p] for p in range(i - 1, -1, -1) if p in anchor][:1]
        return prior[0] + 1 if prior else 0

    def end(i: int) -> int:  # where B's lines up to i end in O (before the next anchored line)
        if i - 1 in anchor:
            return anchor[i - 1] + 1
        following = [anchor[q] for q in range(i, len(b)) if q in anchor][:1]
        return following[0] if following else len(o)

    out: list[str] = []
    at = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, b, a, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        o1 = start(i1)
        o2 = end(i2) if i2 > i1 else o1
        out.extend(o[at:o1])
        new = a[j1:j2]
        if o2 - o1 == len(new):
            new = [_comment_gap(old, line) for old, line in zip(o[o1:o2], new, strict=True)]
        out.extend(new)
        at = max(at, o2)
    out.extend(o[at:])
    return "".join(out)


_DUMPED: dict[str, str] = {}


def _dumped(plain: str, tree: Any) -> str:
    """``dump(tree)`` of the tree just loaded from ``plain``, kept for the last few texts: a form's
    every check edits the same file's text (dumping is a third of it)."""
    hit = _DUMPED.get(plain)
    if hit is None:
        hit = dump(tree)
        if len(_DUMPED) >= 8:
            _DUMPED.clear()  # a few files' texts at most (one per open form); never a growing store
        _DUMPED[plain] = hit
    return hit


def rewrite(text: str, change: Callable[[Any], None]) -> str:
    """``text`` after ``change`` has been made to its round-trip tree; untouched lines as they were."""
    newline = "\r\n" if "\r\n" in text else "\n"
    plain = text.replace("\r\n", "\n")
    tree = load(plain)
    before = _dumped(plain, tree)
    change(tree)
    result = splice(plain, before, dump(tree))
    return result.replace("\n", newline) if newline != "\n" else result


def edit(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` made in order; lines they do not touch stay byte-identical."""

    def change(tree: Any) -> None:
        for one in edits:
            apply(tree, one)

    return rewrite(text, change)
