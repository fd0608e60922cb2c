"""``handbook fmt``: fix the safe, mechanical mistakes in YAML files, never what they mean.

Each fix is a rewrite of characters an editor's input method or another program put there:
a byte-order mark, Windows line ends, tabs and full-width spaces in indentation, a Chinese
colon or comma where YAML needs its own, curly quotes around an id, a key glued to its value,
and ASCII punctuation inside Chinese text.

fmt proves each rewrite kept the meaning before it writes: it reads the file before and after
and compares the two documents (the same keys, values and list lengths, up to the punctuation it
means to change). Where the file does not read before, the line it re-indents or re-keys must
stand on its own in the result (a key or a list item, never joined to the line above), and a tab
must read the same at each tab width an editor may show (2, 4 or 8 columns). Anything else is
left exactly as it was, and the line it could not fix is named.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ..load import punctuation
from ..load.loader import PLAIN_LOADER, QUICK_LOADER
from ..model import registry
from ..model.entities.base import ID_WORDS

_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
#: ``title：坐席`` / ``- area：销售``: an ASCII key followed by the Chinese colon.
_KEY_COLON = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*)\s*：\s*")
#: ``title:坐席``: an ASCII key glued to its value (never a URL: the value starts with no ``/``).
_KEY_GLUED = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s/:\"'])")
#: ``unit: “team”``: an id in curly quotes (text in curly quotes is left alone: Chinese uses them).
_CURLY_ID = re.compile(r"^(\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*: )[“‘「『](" + ID_WORDS + r")[”’」』]\s*$")
_CURLY_VALUE = re.compile(r"[“‘「『](" + ID_WORDS + r")[”’」』]")
#: ``[a，b]`` unquoted on one line: the Chinese comma was meant as YAML's.
_FLOW = re.compile(r"^(\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*: )\[([^\]\"'\n]*)\]\s*$")
_LIST_COMMA = re.compile(r"\s*[，、]\s*")
#: A line that is a list item or a key, by its look.
_LOOKS_LIKE_NODE = re.compile(r"^\s*(?:-(?:\s|$)|(?:- )?[A-Za-z_][A-Za-z0-9_]*:(?:\s|$))")
#: Characters of indentation that look like spaces, and how many columns an editor shows for each.
_FAKE_SPACES = {"\u3000": 2, "\u00a0": 1}
#: The widths an editor may show a tab as (4 is the commonest); a tab must read the same at each.
TAB_WIDTHS = (4, 2, 8)

Reason = Literal["", "ambiguous", "joins", "unreadable", "changes", "encoding"]


@dataclass
class Outcome:
    """What formatting one file gives."""

    text: str
    """The formatted text (the original when nothing changed or nothing could be changed safely)."""
    changed: bool
    safe: bool = True
    """False when fixes were found but none could be proved to keep the data; nothing is written."""
    line: int = 0
    """When not safe: the (1-based) line fmt could not fix."""
    reason: Reason = ""
    """When not safe, why: a tab that reads differently at different widths (``ambiguous``), a line
    that would join another (``joins``), a file that still would not read (``unreadable``), a
    rewrite that would change the data (``changes``), bytes that are not UTF-8 (``encoding``)."""
    invisible: list[str] = field(default_factory=list)
    """Changes a diff does not show: ``bom`` (a byte-order mark taken off), ``crlf`` (Windows line ends)."""


# ---------------------------------------------------------------- reading a text as YAML


@dataclass
class _Reading:
    data: Any
    """Scalars as text (tagged when not a string), mappings as pairs: equal when the documents are."""
    starts: set[int]
    """0-based lines where a key or a value starts."""
    text_lines: set[int]
    """0-based lines inside a ``|`` or ``>`` block (its text, never a key)."""


def _read(text: str) -> _Reading | None:
    """The document ``text`` holds, or None when YAML cannot read it."""
    try:
        node = yaml.compose(text, Loader=QUICK_LOADER or PLAIN_LOADER)
    except yaml.YAMLError:
        return None
    reading = _Reading(None, set(), set())
    try:
        reading.data = _walk(node, reading, {}, 0) if node is not None else None
    except RecursionError:
        return None
    return reading


def _walk(node: yaml.Node, reading: _Reading, seen: dict[int, int], depth: int) -> Any:
    if id(node) in seen:
        return ("*", seen[id(node)])  # an alias: the node once, however often it is named (no billion laughs)
    seen[id(node)] = len(seen)
    if depth > 200:
        raise RecursionError
    reading.starts.add(node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        return tuple((_walk(k, reading, seen, depth + 1), _walk(v, reading, seen, depth + 1)) for k, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, reading, seen, depth + 1) for item in node.value]
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        end = node.end_mark
        reading.text_lines.update(range(node.start_mark.line + 1, end.line + (1 if end.column else 0)))
    value = str(node.value)
    return value if node.tag == "tag:yaml.org,2002:str" else (node.tag, value)


def _scalar(text: str) -> Any:
    """A plain scalar's value as :func:`_walk` gives it."""
    tag = (QUICK_LOADER or PLAIN_LOADER)("").resolve(yaml.ScalarNode, text, (True, False))
    return text if tag == "tag:yaml.org,2002:str" else (tag, text)


def _normal(data: Any) -> Any:
    """Data as fmt may change it without changing its meaning: punctuation full-width, ids
    unquoted, a list's items split at Chinese commas."""
    if isinstance(data, str):
        unquoted = _CURLY_VALUE.fullmatch(data)
        return punctuation.to_full_width(unquoted.group(1) if unquoted else data)
    if isinstance(data, list):
        items: list[Any] = []
        for item in data:
            if isinstance(item, str) and _LIST_COMMA.search(item):
                # Each part as YAML reads it once the comma is YAML's: "3，4" is two numbers.
                items += [_normal(_scalar(part)) for part in _LIST_COMMA.split(item) if part != ""]
            else:
                items.append(_normal(item))
        return items
    if isinstance(data, tuple) and data and isinstance(data[0], tuple):
        return tuple((_normal(k), _normal(v)) for k, v in data)
    if isinstance(data, dict):  # plain data from elsewhere (tests compare loaded files)
        return {k: _normal(v) for k, v in data.items()}
    return data


# ---------------------------------------------------------------- the fixes, line by line


def _expand(line: str, width: int | None) -> str:
    """``line`` with the look-alike spaces of its indentation made spaces, a tab reaching the next
    multiple of ``width`` (None: left as it is)."""
    indent = _INDENT.match(line)
    if width is None or indent is None or indent.group() == " " * len(indent.group()):
        return line
    column = 0
    for ch in indent.group():
        column = (column // width + 1) * width if ch == "\t" else column + _FAKE_SPACES.get(ch, 1)
    return " " * column + line[indent.end() :]


@functools.cache
def _field_names() -> frozenset[str]:
    """Every field name of every kind: ``a:0`` may be text, ``area:销售`` is a key missing its space."""
    from ..load.parse import iter_models

    return frozenset(name for kind in registry.KINDS.values() for cls in iter_models(kind.model)
                     for name in cls.model_fields)


def _rekey(line: str) -> str:
    """The fixes that make a line a key: the Chinese colon after a key, a field name glued to its value."""
    line = _KEY_COLON.sub(lambda m: f"{m.group(1)}{m.group(2)}: ", line, count=1)
    return _KEY_GLUED.sub(lambda m: f"{m.group(1)}{m.group(2)}: " if m.group(2) in _field_names() else m.group(), line,
                          count=1)


def _tidy(line: str) -> str:
    """The fixes that keep the data (up to :func:`_normal`): curly quotes off an id, commas, punctuation."""
    line = _CURLY_ID.sub(lambda m: m.group(1) + m.group(2), line)
    flow = _FLOW.match(line)
    if flow and ("，" in flow.group(2) or "、" in flow.group(2)):
        items = re.split(r"\s*[，、,]\s*", flow.group(2).strip())
        line = f"{flow.group(1)}[{', '.join(items)}]"
    return punctuation.to_full_width(line)


def _each(lines: list[str], fix: Callable[[str], str], skip: set[int]) -> list[str]:
    return [line if i in skip or line.lstrip().startswith("#") else fix(line) for i, line in enumerate(lines)]


def _lines(text: str) -> list[str]:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


# ---------------------------------------------------------------- proving a rewrite


@dataclass
class _Trial:
    text: str = ""
    data: Any = None
    line: int = 0
    """0-based line that failed the proof (with ``reason``), when ``text`` is empty."""
    reason: Reason = ""


def _first(lines: set[int], reading: _Reading) -> int | None:
    return min((i for i in lines if i not in reading.starts), default=None)


def _trial(lines: list[str], width: int | None) -> _Trial:
    """The file's lines fixed with a tab read as ``width`` columns (None: indentation left alone), with its proof."""
    moved = [_expand(line, width) for line in lines]
    expanded = {i for i, (a, b) in enumerate(zip(lines, moved, strict=True)) if a != b}
    fake = {i for i, line in enumerate(lines) if (m := _INDENT.match(line)) and m.group().strip(" ")}
    # Lines inside a | block are text: what looks like a key or a comma there is the text itself.
    shown = _read("\n".join(moved)) or _read("\n".join(_each(_each(moved, _rekey, set()), _tidy, set())))
    text_lines = shown.text_lines if shown else set()
    keyed = _each(moved, _rekey, text_lines)
    rekeyed = {i for i, (a, b) in enumerate(zip(moved, keyed, strict=True)) if a != b}
    fixed = _each(keyed, _tidy, text_lines)
    before, after = _read("\n".join(keyed)), _read("\n".join(fixed))
    if before is not None and (after is None or _normal(after.data) != _normal(before.data)):
        # Punctuation that is YAML's own (a flow mapping's comma): that line's tidying is left out.
        kept = _keep_meaning(keyed, fixed, before)
        if kept is None:
            return _Trial(line=_changed_line(keyed, fixed), reason="changes")
        fixed, after = kept
    if after is None:
        return _Trial(line=_read_error_line("\n".join(fixed)), reason="unreadable")
    structure = before or after
    # The raw text may read only by taking a look-alike space as part of a key or value.
    if width is None and (stray := min((i for i in fake if i in structure.starts), default=None)) is not None:
        return _Trial(line=stray, reason="unreadable")
    # A line moved or made a key must be a key or an item of its own, never joined to the one above.
    joined = _first(expanded | rekeyed, structure)
    if joined is not None:
        return _Trial(line=joined, reason="joins")
    if width is not None:
        # Re-indenting reads the whole file anew: no line that is a key or an item may become text.
        looks = {i for i, line in enumerate(fixed) if _LOOKS_LIKE_NODE.match(line) and i not in after.text_lines}
        joined = _first(looks, after)
        if joined is not None:
            return _Trial(line=joined, reason="joins")
    if before is None:
        changed = {i for i, (a, b) in enumerate(zip(lines, fixed, strict=True)) if a != b}
        joined = _first(changed, after)
        if joined is not None:
            return _Trial(line=joined, reason="joins")
    return _Trial("\n".join(fixed), after.data)


def _read_error_line(text: str) -> int:
    try:
        yaml.compose(text, Loader=PLAIN_LOADER)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return mark.line if mark else 0
    except yaml.YAMLError:
        return 0
    return 0


def _keep_meaning(before: list[str], fixed: list[str], reference: _Reading) -> tuple[list[str], _Reading] | None:
    """``fixed`` with the tidying of each line that changes the data taken back, one line at a time."""
    fixed = list(fixed)
    for _ in range(len(fixed)):
        i = _changed_line(before, fixed)
        if before[i] == fixed[i]:
            return None
        fixed[i] = before[i]
        after = _read("\n".join(fixed))
        if after is not None and _normal(after.data) == _normal(reference.data):
            return fixed, after
    return None


def _changed_line(before: list[str], after: list[str]) -> int:
    """The first line whose fix alone changes the data."""
    reference = _read("\n".join(before))
    for i, (a, b) in enumerate(zip(before, after, strict=True)):
        if a != b:
            one = _read("\n".join([*before[:i], b, *before[i + 1 :]]))
            if reference is None or one is None or _normal(one.data) != _normal(reference.data):
                return i
    return next((i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b), 0)


def format_file_bytes(path: Path, raw: bytes) -> Outcome:
    """Format one file's bytes; written only when proved to hold the same data (see the module docstring)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Outcome(raw.decode("utf-8", errors="replace"), changed=False, safe=False, line=1, reason="encoding")
    invisible = [name for name, found in (("bom", raw.startswith(b"\xef\xbb\xbf")), ("crlf", "\r" in text)) if found]
    lines = _lines(text)
    has_tab = any((m := _INDENT.match(line)) and "\t" in m.group() for line in lines)
    raw_reads = _read("\n".join(lines)) is not None
    widths: list[int | None] = [None] if raw_reads else []
    widths += list(TAB_WIDTHS if has_tab else TAB_WIDTHS[:1])
    trials = [_trial(lines, width) for width in dict.fromkeys(widths)]
    proved = [t for t in trials if t.text]
    if raw_reads and proved and proved[0] is trials[0]:
        best = proved[0]  # it reads as it is: the reading YAML (and validate) already gives it
    elif proved and all(_normal(t.data) == _normal(proved[0].data) for t in proved):
        best = min(proved, key=lambda t: len(t.text))  # the same data at every width: the shallowest indentation
    elif proved:
        texts = zip(*(t.text.split("\n") for t in proved), strict=True)
        differ = next((i for i, parts in enumerate(texts) if len(set(parts)) > 1), 0)
        return Outcome(text, changed=False, safe=False, line=differ + 1, reason="ambiguous")
    else:
        # Name what went wrong in the reading YAML gives, else in the commonest tab width's.
        failed = trials[0] if not raw_reads or trials[0].reason != "unreadable" or len(trials) == 1 else trials[1]
        return Outcome(text, changed=False, safe=False, line=failed.line + 1, reason=failed.reason)
    if best.text.encode() == raw:
        return Outcome(text, changed=False)
    return Outcome(best.text, changed=True, invisible=invisible)


def diff(path: str, old: str, new: str) -> str:
    """A unified diff of one file's change, as ``git diff`` shows it; line ends and a byte-order mark
    are left out (:attr:`Outcome.invisible` names them), so every line does not show as changed."""
    old = "\n".join(_lines(old))
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}")
    return "".join(lines)


def targets(path: Path) -> list[Path]:
    """The YAML files ``handbook fmt`` looks at: ``path`` itself, or every ``.yaml``/``.yml`` below it."""
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                  and not any(part.startswith(".") for part in p.relative_to(path).parts))


def write(path: Path, text: str) -> Path:
    """Write ``text`` over ``path``, keeping the original next to it as ``<name>.bak``; returns the backup."""
    backup = path.with_name(path.name + ".bak")
    backup.write_bytes(path.read_bytes())
    path.write_text(text, encoding="utf-8", newline="\n")
    return backup
