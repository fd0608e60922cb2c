"""YAML parser errors explained: the mistake an editor most likely made, on the line where it was made."""

from __future__ import annotations

import re

import yaml

from .codes import ProblemCode
from .problems import Problem

_FULLWIDTH_COLON = re.compile(r"^\s*[^\s#:：][^:：]*：")
#: ``title:质检组长``: an ASCII key glued to its value (YAML then reads one word, not a field).
_NO_SPACE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s:/])")
#: Characters that look like indentation but are none, by the code that names them.
_FAKE_SPACES: dict[str, ProblemCode] = {"\t": "tab_indent", "\u3000": "fullwidth_space", "\u00a0": "nbsp_indent"}
#: How far back from the parser's mark a mistake is looked for: it notices most a line or two late.
_LOOK_BACK = 3


def _line_problem(rel: str, lineno: int, line: str) -> Problem | None:
    """The mistake on one line that makes YAML fail further down, if the line shows one."""
    body = line.split("#")[0]
    if _FULLWIDTH_COLON.match(line) and ":" not in body:
        return Problem(rel, lineno, line.index("：") + 1, "", "fullwidth_colon")
    if "[" in body and ("，" in body or "、" in body) and "," not in body:
        col = min(i for i in (body.find("，"), body.find("、")) if i >= 0) + 1
        return Problem(rel, lineno, col, "", "fullwidth_comma")
    odd = re.match(r"^(\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*:)([\u3000\u00a0])", line)
    if odd:
        code: ProblemCode = "fullwidth_space_after_colon" if odd.group(2) == "\u3000" else "nbsp_in_line"
        return Problem(rel, lineno, odd.end(), "", code)
    if "\u00a0" in body.strip(" "):
        return Problem(rel, lineno, line.index("\u00a0") + 1, "", "nbsp_in_line")
    match = _NO_SPACE.match(line)
    if match and ": " not in body:
        key = match.group(2)
        value = line[match.end() :].strip()
        return Problem(rel, lineno, match.end() + 1, key, "no_space_after_colon", {"key": key, "value": value})
    return None


#: ``－ 回访`` or ``-回访``: a list item begun with an input method's dash, or with no space after "-".
_DASH_ITEM = re.compile(r"^(\s*)(?:([－—–])\s*|-(?=[^\s-]))(\S.*)$")


def _dash_item(rel: str, lines: list[str], lineno: int) -> Problem | None:
    """A list item whose dash YAML does not take as one: named on its own line, before anything after it."""
    found = _DASH_ITEM.match(lines[lineno - 1])
    if found is None:
        return None
    value = found.group(3).split(" #")[0].strip()
    if found.group(2):
        args = {"char": found.group(2), "value": value}
        return Problem(rel, lineno, len(found.group(1)) + 1, "", "list_ime_dash", args)
    above = next((s.split(" #")[0].rstrip() for s in reversed(lines[: lineno - 1]) if s.strip()), "")
    if above.lstrip().startswith("- ") or above.endswith(":"):  # where a list item belongs
        return Problem(rel, lineno, len(found.group(1)) + 2, "", "list_dash_no_space", {"value": value})
    return None


def _fake_indent(rel: str, lines: list[str], last: int) -> Problem | None:
    """The first line up to ``last`` indented with a tab, U+3000 or NBSP (never valid indentation)."""
    for lineno, line in enumerate(lines[:last], start=1):
        stripped = line.lstrip(" \t\u3000\u00a0")
        indent = line[: len(line) - len(stripped)]
        for char, code in _FAKE_SPACES.items():
            if char in indent and stripped and not stripped.startswith("#"):
                return Problem(rel, lineno, indent.index(char) + 1, "", code)
    return None


def _extra_indent(rel: str, lines: list[str], lineno: int) -> Problem | None:
    """``title: 坐席`` followed by a more indented ``  unit: team``: the second line's spaces are the mistake."""
    if not 1 < lineno <= len(lines):
        return None
    line, above = lines[lineno - 1], lines[lineno - 2]
    indent = len(line) - len(line.lstrip(" "))
    above_indent = len(above) - len(above.lstrip(" "))
    above_value = above.split("#")[0].partition(": ")[2].strip()
    if indent > above_indent and above_value and not above_value.startswith(("|", ">")) and ": " in line:
        key = line.strip().split(":")[0]
        return Problem(rel, lineno, 1, "", "syntax_extra_indent", {"spaces": str(indent - above_indent), "key": key})
    return None


_QUOTED_START = re.compile(r"""^(\s*(?:- )?[^:#"'\[{]+:\s+)(["'\[{])""")


def _text_after_value(rel: str, lines: list[str], line: int, col: int) -> Problem | None:
    """``summary: "重要" 每日通话``: YAML read the quoted or bracketed part as the value, then found more."""
    if not 0 < line <= len(lines):
        return None
    text = lines[line - 1]
    match = _QUOTED_START.match(text)
    if match is None or col <= match.end():
        return None
    key = match.group(1).strip().removeprefix("- ").rstrip(":").strip()
    value = text[match.end() - 1 :].split(" #")[0].strip().replace("'", "''")
    return Problem(rel, line, match.end(), key, "syntax_text_after_value", {"key": key, "typed": value})


def _stray_line(rel: str, lines: list[str], line: int, col: int) -> Problem:
    """A line that is no ``key: value``: the continuation of an empty ``key:`` above, or a stray line."""
    above = lines[line - 2].split(" #")[0].rstrip() if 1 < line <= len(lines) + 1 else ""
    if above.endswith(":") and not above.lstrip().startswith("#"):
        indent = len(above) - len(above.lstrip(" "))
        key = above.strip().removeprefix("- ").rstrip(":")
        return Problem(rel, line, col, key, "syntax_value_not_indented", {"key": key, "spaces": str(indent + 2)})
    return Problem(rel, line, col, "", "syntax_missing_colon", {})


def explain_syntax_error(rel: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """Turn a parser error into the problem an editor most likely made, placed where the fix goes."""
    mark = err.problem_mark or err.context_mark
    line, col = _mark(mark)
    # The lines an editor counts (marks are converted to them, see _mark); a CRLF file ends each in "\r".
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    first = _mark(err.context_mark)[0] if err.context_mark else line
    faked = _fake_indent(rel, lines, max(line, first))
    if faked is not None:
        return faked
    window = [n for n in range(line, max(0, min(first, line) - _LOOK_BACK), -1) if 0 < n <= len(lines)]
    # A dash that is no list item breaks the lines after it: the earliest one is the mistake.
    for lineno in reversed(window):
        dash = _dash_item(rel, lines, lineno)
        if dash is not None:
            return dash
    for lineno in window:
        found = _line_problem(rel, lineno, lines[lineno - 1])
        if found is not None:
            return found
    if "mapping values are not allowed" in (err.problem or ""):
        extra = _extra_indent(rel, lines, line)
        if extra is not None:
            return extra
    if "expected a single document" in (err.context or "") or "another document" in (err.problem or ""):
        return Problem(rel, line, col, "", "syntax_two_documents")
    after = _text_after_value(rel, lines, line, col) if "expected <block end>" in (err.problem or "") else None
    if after is not None:
        return after
    if "could not find expected ':'" in (err.problem or "") and err.context_mark is not None:
        return _stray_line(rel, lines, *_mark(err.context_mark))
    explained = _explain_common(rel, err)
    if explained is not None:
        return explained
    return Problem(rel, line, col, "", "syntax_unexplained", {"line": str(line)})


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    """1-based line and column counted in ``\n`` lines, as editors count (YAML also breaks at U+0085, U+2028)."""
    if mark is None:
        return (1, 1)
    if mark.buffer is not None and 0 <= mark.pointer <= len(mark.buffer):
        text = mark.buffer
        return text.count("\n", 0, mark.pointer) + 1, mark.pointer - (text.rfind("\n", 0, mark.pointer) + 1) + 1
    return (mark.line + 1, mark.column + 1)


#: PyYAML's English complaints an HR editor meets most → (code, report where the construct opened).
_COMMON_SYNTAX: tuple[tuple[str, str, ProblemCode, bool], ...] = (
    ("context", "while scanning a quoted scalar", "syntax_unclosed_quote", True),
    ("context", "while parsing a flow", "syntax_unclosed_bracket", True),
    ("context", "while scanning an alias", "syntax_reserved_start", True),
    ("context", "while scanning an anchor", "syntax_reserved_start", True),
    ("context", "while scanning a block scalar", "syntax_block_indicator", True),
    ("context", "while parsing a tag", "syntax_reserved_start", True),
    ("problem", "cannot start any token", "syntax_reserved_start", False),
    ("problem", "mapping values are not allowed", "syntax_colon_in_value", False),
    ("problem", "could not find expected ':'", "syntax_missing_colon", False),
    ("problem", "expected <block end>", "syntax_indent", False),
)


def _explain_common(rel: str, err: yaml.MarkedYAMLError) -> Problem | None:
    for part, fragment, code, at_context in _COMMON_SYNTAX:
        said = (err.context if part == "context" else err.problem) or ""
        if fragment not in said:
            continue
        mark = (err.context_mark if at_context else None) or err.problem_mark
        line, col = _mark(mark)
        char = rest = ""
        if mark is not None and mark.buffer is not None and 0 <= mark.pointer < len(mark.buffer):
            char = mark.buffer[mark.pointer]
            rest = mark.buffer[mark.pointer :].split("\n", 1)[0].split(" #")[0].strip().rstrip("\0")
        if code == "syntax_block_indicator" and char == ">":
            code = "syntax_block_indicator_gt"  # ">=" typed for a comparison, most likely
        return Problem(rel, line, col, "", code, {"char": char, "typed": rest})
    return None
