"""Read one YAML file safely into plain data, remembering where every key and value stands."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .codes import ProblemCode
from .loader import PLAIN_LOADER, QUICK_LOADER
from .problems import Problem, Severity
from .syntax import explain_syntax_error

#: Largest file we read. A role file is a few KB; anything bigger is a mistake.
MAX_FILE_BYTES = 512 * 1024
#: Deepest nesting we follow; the schema itself never goes past about 6.
MAX_DEPTH = 24
#: Most nodes one file may hold; a generous bound that stops expansion tricks.
MAX_NODES = 50_000

FieldPath = tuple[str | int, ...]


class Pos(NamedTuple):
    """A 1-based line and column in a source file (a tuple: one is made per YAML node)."""

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
    numbers: dict[FieldPath, str] = field(default_factory=dict)
    """Plain numbers as typed (``2024.10``), to warn where a text field silently got the number."""
    warnings: list[Problem] = field(default_factory=list)
    """Silent traps met while reading (valid YAML that is surely not what the editor meant)."""
    notable: list[FieldPath] = field(default_factory=list)
    """Paths of texts holding ``←`` (a template's placeholder) or ASCII punctuation next to Chinese."""

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


#: libyaml's parser (13x faster than the pure-Python one, the same nodes and marks), quicker resolver.
_FAST_LOADER = QUICK_LOADER or PLAIN_LOADER


def _compose(text: str) -> yaml.Node | None:
    """Compose with libyaml; any trouble is re-read by the pure-Python parser, whose errors
    (and reader checks) the syntax hints were written for."""
    if _FAST_LOADER is not PLAIN_LOADER and yaml.reader.Reader.NON_PRINTABLE.search(text) is None:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=PLAIN_LOADER)


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
    # Every character the YAML reader refuses (NUL, BEL, vertical tab from Word, U+FFFE …), located
    # by offset: splitlines() would treat \x0b and \x1c-\x1e as line breaks and miscount.
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is None:
        return text
    start = bad.start()
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    return Problem(rel, line, col, "", "control_char", {"code": f"U+{ord(bad.group()):04X}"})


def read_bytes(path: Path, rel: str) -> bytes | Problem:
    """The file's bytes, or why they could not be read (missing, unreadable, too large)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = f"{MAX_FILE_BYTES // 1024} KB"
            return Problem(rel, 1, 1, "", "file_too_large", {"limit": limit})
        return path.read_bytes()
    except OSError as exc:
        return Problem(rel, 1, 1, "", "unreadable", {"detail": exc.strerror or str(exc)})


def parse_bytes(path: Path, rel: str, raw: bytes) -> tuple[Source, list[Problem]]:
    """A file's bytes (already read) into a :class:`Source`; problems say why they are not usable YAML."""
    source = Source(path=path, rel=rel)
    text = _decode(rel, raw)
    if isinstance(text, Problem):
        return source, [text]
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as err:
        return source, [explain_syntax_error(rel, text, err)]
    except yaml.YAMLError as err:
        return source, [Problem(rel, 1, 1, "", "yaml_syntax", {"detail": str(err)})]
    if root is None:
        return source, [Problem(rel, 1, 1, "", "empty_file")]
    source.lines = text.splitlines()
    walker = _Walker(source)
    try:
        source.data = walker.build(root, ())
    except _Reject as stop:
        return source, [_in_editor_lines(source, text, [stop.problem])[0]]
    source.warnings = _in_editor_lines(source, text, source.warnings)
    return source, []


def parse_data(path: Path, rel: str, raw: bytes) -> Source | None:
    """:func:`parse_bytes`'s data without positions, None where it finds a problem: for files whose
    problems nobody reads (old revisions in a diff), the same refusals at about half the cost. Only
    texts that may hold a template's placeholder are noted (parse_source refuses them); no warnings."""
    text = _decode(rel, raw)
    if isinstance(text, Problem):
        return None
    try:
        root = _compose(text)
    except yaml.YAMLError:
        return None
    if root is None:
        return None
    source = Source(path=path, rel=rel)
    try:
        source.data = _DataWalker(source).build(root, ())
    except _Reject:
        return None
    return source


#: Line breaks YAML counts that an editor does not show as new lines.
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")


def _in_editor_lines(source: Source, text: str, problems: list[Problem]) -> list[Problem]:
    """Positions moved from YAML's lines to the ``\n`` lines an editor counts, when they differ (rarely).

    YAML also breaks lines at U+0085, U+2028 and U+2029 (pasted from web pages); every mark
    after one would otherwise point one line too far down.
    """
    if _ODD_BREAKS.search(text) is None:
        return problems
    starts = [0, *(m.end() for m in re.finditer("\r\n|[\r\n\x85\u2028\u2029]", text))]

    def move(pos: Pos) -> Pos:
        offset = starts[min(pos.line, len(starts)) - 1] + pos.col - 1
        return Pos(text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1)

    source.values = {path: move(pos) for path, pos in source.values.items()}
    source.keys = {path: move(pos) for path, pos in source.keys.items()}
    source.block_scalars = set()  # their text positions assume YAML's lines; fall back to the value's
    source.lines = [line.removesuffix("\r") for line in text.split("\n")]
    return [dataclasses.replace(p, line=move(Pos(p.line, p.col)).line, col=move(Pos(p.line, p.col)).col)
            for p in problems]


_STR_TAG = "tag:yaml.org,2002:str"
#: Constructors of the scalar tags SafeConstructor knows (none of them is a generator).
_SCALAR_CONSTRUCTORS: dict[str, Any] = {
    f"tag:yaml.org,2002:{name}": yaml.constructor.SafeConstructor.yaml_constructors[f"tag:yaml.org,2002:{name}"]
    for name in ("null", "bool", "int", "float", "timestamp", "str")
}
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})
#: The tags plain YAML resolves to; anything else was written explicitly and is refused.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
)


#: Texts worth a closer look: a template placeholder (``← 填写``) or ASCII punctuation after a Chinese character.
_NOTABLE = re.compile("←|[\u2018-\u201d\u3000-\u9fff\uff00-\uffef][,:;?!()]|[(][^)]*[\u3400-\u9fff]")

#: A value that starts like "current：" — an ASCII field name followed by the Chinese colon.
_KEY_WITH_FULLWIDTH_COLON = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*：")


class _Walker:
    """Builds plain data from composed nodes, recording positions and refusing tricks."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.constructor = yaml.constructor.SafeConstructor()
        self._scalar_constructors = _SCALAR_CONSTRUCTORS
        self.seen: set[int] = set()
        self.count = 0

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        # Runs once per YAML node (150+ per role file): kept lean on purpose.
        mark = node.start_mark
        pos = Pos(mark.line + 1, mark.column + 1)
        self.count += 1
        if id(node) in self.seen:
            # The composer hands back the same node object for every *alias.
            raise _Reject(Problem(self.source.rel, pos.line, pos.col, _dotted(path), "yaml_alias"))
        self.seen.add(id(node))
        if len(path) > MAX_DEPTH or self.count > MAX_NODES:
            raise _Reject(Problem(self.source.rel, pos.line, pos.col, _dotted(path), "too_deep"))
        if node.tag not in _PLAIN_TAGS:
            # !!python/…, !!set, !custom: nothing HR writes; refused before anything is constructed.
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise _Reject(Problem(self.source.rel, pos.line, pos.col, _dotted(path), "yaml_tag", {"tag": tag}))
        self.source.values[path] = pos
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                self.source.block_scalars.add(path)
            if node.tag == _STR_TAG:
                value = node.value
                if not node.style:  # plain style: None, or "" from libyaml
                    if "：" in value:
                        self._fullwidth_colon(node, path, pos)
                    end = node.end_mark.line
                    if end < len(self.source.lines) and "#" in self.source.lines[end]:
                        self._hash_comment(node, path, pos)
                if "\t" in value and node.style not in ("|", ">"):
                    self._tab_in_text(node, path)
                if _NOTABLE.search(value) is not None:
                    # One C-level scan per text: the few with a placeholder or ASCII punctuation are
                    # looked at closely in parse, without walking every file's values again.
                    self.source.notable.append(path)
                return value  # what SafeConstructor returns for a str, minus its dispatch
            if node.tag in _NUMBER_TAGS:
                if ":" in node.value:
                    return node.value  # YAML 1.1 reads 9:45 as 585 (base 60); keep the text the editor typed
                self.source.numbers[path] = node.value
        elif isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            if node.flow_style:
                self._fullwidth_commas(node, path)
            build = self.build
            return [build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            scalar = self._scalar_constructors.get(node.tag) if isinstance(node, yaml.ScalarNode) else None
            if scalar is not None:
                # Ints, dates, bools: the tag's constructor directly, skipping construct_object's
                # bookkeeping for recursive structures a scalar cannot have.
                return scalar(self.constructor, node)
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            detail = getattr(err, "problem", None) or str(err)
            raise _Reject(
                Problem(self.source.rel, pos.line, pos.col, _dotted(path), "yaml_value", {"detail": detail})
            ) from err
        except (ValueError, OverflowError):
            # 2024-13-01 looks like a timestamp but is no date: pass the text on, so the
            # schema reports it as a bad date instead of the loader crashing.
            return node.value

    def _tab_in_text(self, node: yaml.ScalarNode, path: FieldPath) -> None:
        # A tab inside one-line text shows as a gap of any width, and an id or a number with it fails.
        start = node.start_mark
        line = self.source.lines[start.line] if start.line < len(self.source.lines) else ""
        col = line.find("\t", start.column) + 1 if start.line == node.end_mark.line else start.column + 1
        where = Pos(start.line + 1, col or start.column + 1)
        self.source.warnings.append(
            Problem(self.source.rel, where.line, where.col, _dotted(path), "text_tab", {}, Severity.WARNING)
        )

    def _hash_comment(self, node: yaml.ScalarNode, path: FieldPath, pos: Pos) -> None:
        # "电销团队长 #1": YAML drops " #1" as a comment. A comment the editor meant has a space
        # after "#" (as every template writes it); "#1", "#A组" glued to the text is part of it.
        end = node.end_mark
        if end.line != node.start_mark.line or end.line >= len(self.source.lines):
            return
        rest = self.source.lines[end.line][end.column :]
        match = re.match(r"\s+#(\S.*)$", rest)
        if match is None or match.group(1).startswith(("#", "!")):
            return
        key = next((str(p) for p in reversed(path) if isinstance(p, str)), "")
        args = {"key": key, "value": node.value, "comment": "#" + match.group(1).rstrip()}
        self.source.warnings.append(
            Problem(self.source.rel, pos.line, pos.col, _dotted(path), "text_hash_comment", args, Severity.WARNING)
        )

    def _fullwidth_colon(self, node: yaml.ScalarNode, path: FieldPath, pos: Pos) -> None:
        # "current：3" under "headcount:" is valid YAML (one text value), but an ASCII field
        # name glued to "：" is always a key typed with the Chinese colon, never real text.
        match = _KEY_WITH_FULLWIDTH_COLON.match(node.value)
        if match is not None:
            col = pos.col + match.end() - 1
            raise _Reject(Problem(self.source.rel, pos.line, col, _dotted(path), "fullwidth_colon"))

    def _fullwidth_commas(self, node: yaml.SequenceNode, path: FieldPath) -> None:
        # [a，b] is valid YAML: one item "a，b". Unquoted, a Chinese comma there is a typo for ",".
        for i, item in enumerate(node.value):
            if not isinstance(item, yaml.ScalarNode) or item.style:  # quoted: the editor meant it
                continue
            hits = [k for k in (item.value.find("，"), item.value.find("、")) if k >= 0]
            if hits and "\n" not in item.value[: min(hits)]:
                line, col = item.start_mark.line + 1, item.start_mark.column + 1 + min(hits)
                raise _Reject(Problem(self.source.rel, line, col, _dotted((*path, i)), "fullwidth_comma"))

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kpos = _mark(key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Reject(Problem(self.source.rel, kpos.line, kpos.col, _dotted(path), "yaml_alias"))
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(Problem(self.source.rel, kpos.line, kpos.col, _dotted(path), "bad_key"))
            key = str(key_node.value)
            if key.startswith(("\u3000", "\u00a0")):
                code: ProblemCode = "fullwidth_space" if key.startswith("\u3000") else "nbsp_indent"
                raise _Reject(Problem(self.source.rel, kpos.line, kpos.col, "", code))
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


class _DataWalker(_Walker):
    """:class:`_Walker`'s data and refusals without its positions and warnings (see :func:`parse_data`)."""

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.count += 1
        if id(node) in self.seen or len(path) > MAX_DEPTH or self.count > MAX_NODES or node.tag not in _PLAIN_TAGS:
            raise _Reject(Problem(self.source.rel, 1, 1, "", "yaml_alias"))  # which refusal does not matter here
        self.seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR_TAG:
                value = node.value
                if not node.style and "：" in value:
                    self._fullwidth_colon(node, path, Pos(1, 1))
                if "←" in value:  # every language's placeholder starts with it
                    self.source.notable.append(path)
                return value
            if node.tag in _NUMBER_TAGS and ":" in node.value:
                return node.value
        elif isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        elif isinstance(node, yaml.SequenceNode):
            if node.flow_style:
                self._fullwidth_commas(node, path)
            build = self.build
            return [build(item, (*path, i)) for i, item in enumerate(node.value)]
        try:
            scalar = self._scalar_constructors.get(node.tag) if isinstance(node, yaml.ScalarNode) else None
            if scalar is not None:
                return scalar(self.constructor, node)
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise _Reject(Problem(self.source.rel, 1, 1, "", "yaml_value")) from err
        except (ValueError, OverflowError):
            return node.value

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(Problem(self.source.rel, 1, 1, "", "bad_key"))
            key = str(key_node.value)
            if key.startswith(("\u3000", "\u00a0")) or key in result:
                raise _Reject(Problem(self.source.rel, 1, 1, "", "duplicate_key"))
            result[key] = self.build(value_node, (*path, key))
        return result
