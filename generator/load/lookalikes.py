"""Characters that look like YAML's or a field's own but are not, named as such: curly quotes, ＝, ＞, －.

An input method types “ ” where " was meant, ＝ for =, ≧ for ≥. YAML reads them as text, so
they stay in the value: a time in curly quotes is no time, a comparator ＝ no comparator, and
``version: “2024.1”`` is published with its quotes. A value the schema refuses is explained here
(the look-alike named, the value as meant); a text it accepts whole in curly quotes is a warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..i18n import listed
from .codes import ProblemCode
from .problems import Problem, Severity
from .source import FieldPath, Pos, Source, dotted

#: Curly (and full-width) quotes, each opening one with the closing one that ends the pair.
PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "＂": "＂", "＇": "＇"}
_QUOTES = frozenset(PAIRS) | frozenset(PAIRS.values())
#: Look-alikes an input method types → the character meant.
LOOKALIKES = {"＝": "=", "＞": ">", "＜": "<", "≧": "≥", "≦": "≤", "－": "-", "—": "-", "–": "-", "＋": "+",
              "：": ":", "，": ",", "［": "[", "］": "]", "｛": "{", "｝": "}", "＃": "#", "～": "~"}
_TRANSLATE = str.maketrans(LOOKALIKES)
#: Two-character comparisons typed for the one-character symbol a field takes.
_TYPED = {">=": "≥", "=>": "≥", "<=": "≤", "=<": "≤", "==": "="}
#: The first characters YAML gives a meaning of its own: a value starting with one needs quotes.
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"


def inner(value: Any) -> str | None:
    """The text inside one pair of curly quotes that ``value`` wholly is, else None."""
    if not isinstance(value, str) or len(value) < 3 or PAIRS.get(value[0]) != value[-1]:
        return None
    core = value[1:-1]
    return core if core.strip() and not _QUOTES & set(core) else None


def _typed_plain(source: Source, pos: Pos) -> bool:
    """True when the value at ``pos`` was typed without YAML quotes (its first character is the curly one)."""
    line = source.lines[pos.line - 1] if 0 < pos.line <= len(source.lines) else ""
    return 0 < pos.col <= len(line) and line[pos.col - 1] in PAIRS


def _write(loc: FieldPath, value: str, *, quote: bool = False) -> str:
    if quote or ":" in value or "#" in value or value[:1] in _INDICATORS:
        value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"- {value}" if loc and isinstance(loc[-1], int) else f"{loc[-1]}: {value}" if loc else value


def rejected(value: Any, source: Source, loc: FieldPath, options: Sequence[str] = ()) -> (
        tuple[ProblemCode, dict[str, str], Pos] | None):
    """Why the schema refused ``value`` when a look-alike is the cause: curly quotes around it, or
    (for a field with ``options``) a full-width sign where the ASCII one was meant."""
    pos = source.pos(loc)
    core = inner(value)
    if core is not None and _typed_plain(source, pos):
        return "value_curly_quotes", {"value": str(value), "inner": core, "write": _write(loc, core)}, pos
    if not options or not isinstance(value, str):
        return None
    plain = value.strip().translate(_TRANSLATE)
    meant = _TYPED.get(plain, plain)
    found = [ch for ch in value if ch in LOOKALIKES]
    if meant in options and found:
        chars = listed(dict.fromkeys(f"“{ch}”" for ch in found))
        like = listed(dict.fromkeys(f"“{LOOKALIKES[ch]}”" for ch in found))
        return "value_lookalike", {"value": value, "chars": chars, "like": like, "write": _write(loc, meant)}, pos
    return None


def accepted(source: Source) -> Iterator[Problem]:
    """Texts the schema took whole in curly quotes: published with the quotes, which were meant as YAML's."""
    for path, pos in source.values.items():
        value = _at(source.data, path)
        core = inner(value)
        if core is not None and _typed_plain(source, pos):
            # English quotes keep a text a text: version: "2024.10" would otherwise read as a number.
            args = {"value": str(value), "inner": core, "write": _write(path, core, quote=True)}
            yield Problem(source.rel, pos.line, pos.col, dotted(path), "text_curly_quotes", args, Severity.WARNING)


def _at(data: Any, path: FieldPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
