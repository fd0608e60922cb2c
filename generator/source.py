"""Read one YAML file safely into plain data, remembering where every key and value stands."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

#: Largest file we read. A role file is a few KB; anything bigger is a mistake.
MAX_FILE_BYTES = 512 * 1024
#: Deepest nesting we follow; the schema itself never goes past about 6.
MAX_DEPTH = 24
#: Most nodes one file may hold; a generous bound that stops expansion tricks.
MAX_NODES = 50_000

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in a source file."""

    line: int
    col: int


@dataclass
class Source:
    """One YAML file: its data, and the position of each key and value by field path."""

    path: Path
    """Absolute path of the file."""
    rel: str
    """Path as shown to the user (relative to the project when possible)."""
    data: Any = None
    values: dict[FieldPath, Pos] = field(default_factory=dict)
    keys: dict[FieldPath, Pos] = field(default_factory=dict)
    block_scalars: set[FieldPath] = field(default_factory=set)
    """Paths of ``|`` / ``>`` scalars, whose text starts on the line after the indicator."""
    lines: list[str] = field(default_factory=list)
    """The file's text by line, to place positions inside block text."""

    def pos(self, path: FieldPath, *, key: bool = False) -> Pos:
        """Position of ``path``'s key (or value), falling back to the nearest known ancestor."""
        table = self.keys if key else self.values
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if not key and probe in self.keys:
                return self.keys[probe]
            probe = probe[:-1]
        return self.values.get((), Pos(1, 1))

    def text_pos(self, path: FieldPath, offset: int) -> Pos:
        """Position of character ``offset`` inside the string value at ``path`` (line accurate)."""
        start = self.pos(path)
        value = _get(self.data, path)
        if not isinstance(value, str):
            return start
        lines_before = value.count("\n", 0, offset)
        in_line = offset - (value.rfind("\n", 0, offset) + 1)
        if path in self.block_scalars:
            line = start.line + 1 + lines_before
            text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
            indent = len(text) - len(text.lstrip(" "))
            return Pos(line, indent + in_line + 1)
        if lines_before == 0:
            return Pos(start.line, start.col + in_line + (1 if self._quoted(start) else 0))
        return Pos(start.line + lines_before, 1)

    def _quoted(self, start: Pos) -> bool:
        text = self.lines[start.line - 1] if 0 < start.line <= len(self.lines) else ""
        return text[start.col - 1 : start.col] in ("'", '"')


def _get(data: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


class _Reject(Exception):
    """Raised inside the walk to stop reading a file with one located problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


def _mark(mark: yaml.Mark | None) -> Pos:
    return Pos(mark.line + 1, mark.column + 1) if mark else Pos(1, 1)


_FULLWIDTH_COLON = re.compile(r"^\s*[^\s#:：][^:：]*：")


def _explain_syntax_error(rel: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """Turn a parser error into the problem an editor most likely made on that line."""
    mark = err.problem_mark or err.context_mark
    pos = _mark(mark)
    lines = text.splitlines()
    # The parser often notices a mistake a line or two after it was made; look back.
    for lineno in range(pos.line, max(0, pos.line - 3), -1):
        if lineno - 1 >= len(lines):
            continue
        line = lines[lineno - 1]
        indent = line[: len(line) - len(line.lstrip(" \t\u3000"))]
        if "\t" in indent:
            return Problem(rel, lineno, indent.index("\t") + 1, "", "tab_indent")
        if "\u3000" in indent:
            return Problem(rel, lineno, indent.index("\u3000") + 1, "", "fullwidth_space")
        if _FULLWIDTH_COLON.match(line) and ":" not in line.split("#")[0]:
            return Problem(rel, lineno, line.index("：") + 1, "", "fullwidth_colon")
        stripped = line.split("#")[0]
        if "[" in stripped and ("，" in stripped or "、" in stripped) and "," not in stripped:
            col = min(i for i in (stripped.find("，"), stripped.find("、")) if i >= 0) + 1
            return Problem(rel, lineno, col, "", "fullwidth_comma")
    detail = (err.problem or err.context or "").strip()
    return Problem(rel, pos.line, pos.col, "", "yaml_syntax", {"detail": detail})


def _decode(rel: str, raw: bytes) -> str | Problem:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            return Problem(rel, line, 1, "", "not_utf8")
        return Problem(rel, line, 1, "", "gbk_encoding")
    for lineno, line in enumerate(text.splitlines(), start=1):
        for col, char in enumerate(line, start=1):
            if (ord(char) < 32 and char != "\t") or ord(char) == 127:
                return Problem(rel, lineno, col, "", "control_char", {"code": f"U+{ord(char):04X}"})
    return text


def read_source(path: Path, rel: str) -> tuple[Source, list[Problem]]:
    """Read ``path`` into a :class:`Source`; problems say why it could not be read."""
    source = Source(path=path, rel=rel)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = f"{MAX_FILE_BYTES // 1024} KB"
            return source, [Problem(rel, 1, 1, "", "file_too_large", {"limit": limit})]
        raw = path.read_bytes()
    except OSError as exc:
        return source, [Problem(rel, 1, 1, "", "unreadable", {"detail": exc.strerror or str(exc)})]
    text = _decode(rel, raw)
    if isinstance(text, Problem):
        return source, [text]
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        return source, [_explain_syntax_error(rel, text, err)]
    except yaml.YAMLError as err:
        return source, [Problem(rel, 1, 1, "", "yaml_syntax", {"detail": str(err)})]
    if root is None:
        return source, [Problem(rel, 1, 1, "", "empty_file")]
    source.lines = text.splitlines()
    walker = _Walker(source)
    try:
        source.data = walker.build(root, ())
    except _Reject as stop:
        return source, [stop.problem]
    return source, []


class _Walker:
    """Builds plain data from composed nodes, recording positions and refusing tricks."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()
        self.count = 0

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        pos = _mark(node.start_mark)
        self.count += 1
        if id(node) in self.seen:
            # The composer hands back the same node object for every *alias.
            raise _Reject(Problem(self.source.rel, pos.line, pos.col, _dotted(path), "yaml_alias"))
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH or self.count > MAX_NODES:
            raise _Reject(Problem(self.source.rel, pos.line, pos.col, _dotted(path), "too_deep"))
        self.source.values[path] = pos
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
            self.source.block_scalars.add(path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            detail = getattr(err, "problem", None) or str(err)
            raise _Reject(
                Problem(self.source.rel, pos.line, pos.col, _dotted(path), "yaml_value", {"detail": detail})
            ) from err

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kpos = _mark(key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Reject(Problem(self.source.rel, kpos.line, kpos.col, _dotted(path), "yaml_alias"))
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(Problem(self.source.rel, kpos.line, kpos.col, _dotted(path), "bad_key"))
            key = str(key_node.value)
            child = (*path, key)
            if key in result:
                first = self.source.keys[child]
                raise _Reject(
                    Problem(
                        self.source.rel, kpos.line, kpos.col, _dotted(child), "duplicate_key",
                        {"key": key, "first": str(first.line)},
                    )
                )
            self.source.keys[child] = kpos
            result[key] = self.build(value_node, child)
        return result


def _dotted(path: FieldPath) -> str:
    """``('duties', 0, 'items')`` → ``duties[0].items``: how the user finds the field."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


dotted = _dotted
