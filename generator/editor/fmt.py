"""``handbook fmt``: fix the safe, mechanical mistakes in YAML files, never what they mean.

Each fix is a rewrite of characters an editor's input method or another program put there:
a byte-order mark, Windows line ends, tabs and full-width spaces in indentation, a Chinese
colon or comma where YAML needs its own, curly quotes around an id, a key glued to its value,
and ASCII punctuation inside Chinese text. A file is rewritten only when the result reads as
YAML and holds the same data as before (up to the punctuation made full-width and the quotes
taken off an id), or reads where the original did not; anything else is left as it was.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..i18n import load_locale
from ..load import punctuation
from ..load.parse import parse_source
from ..load.source import parse_bytes

_INDENT = re.compile(r"^[ \t\u3000\u00a0]+")
#: ``title：坐席`` / ``- area：销售``: an ASCII key followed by the Chinese colon.
_KEY_COLON = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*)\s*：\s*")
#: ``title:坐席``: an ASCII key glued to its value (never a URL: the value starts with no ``/``).
_KEY_GLUED = re.compile(r"^(\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):(?=[^\s/:\"'])")
#: ``unit: “team”``: an id in curly quotes (text in curly quotes is left alone: Chinese uses them).
_CURLY_ID = re.compile(r"^(\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*: )[“‘「『]([a-z0-9]+(?:-[a-z0-9]+)*)[”’」』]\s*$")
#: ``[a，b]`` unquoted on one line: the Chinese comma was meant as YAML's.
_FLOW = re.compile(r"^(\s*(?:- )?[A-Za-z_][A-Za-z0-9_]*: )\[([^\]\"'\n]*)\]\s*$")
#: Characters of indentation that look like spaces, and what each stands for.
_FAKE_SPACES = {"\t": "  ", "\u3000": "  ", "\u00a0": " "}


@dataclass
class Outcome:
    """What formatting one file gives."""

    text: str
    """The formatted text (the original when nothing changed or nothing could be changed safely)."""
    changed: bool
    safe: bool = True
    """False when fixes were found but the result would not read as the same data; nothing is written."""


def _line(line: str) -> str:
    if line.lstrip().startswith("#"):
        return line
    indent = _INDENT.match(line)
    if indent:
        spaces = "".join(_FAKE_SPACES.get(ch, ch) for ch in indent.group())
        line = spaces + line[indent.end() :]
    return _inline(line)


def _inline(line: str) -> str:
    line = _KEY_COLON.sub(lambda m: f"{m.group(1)}{m.group(2)}: ", line, count=1)
    line = _KEY_GLUED.sub(lambda m: f"{m.group(1)}{m.group(2)}: ", line, count=1)
    line = _CURLY_ID.sub(lambda m: m.group(1) + m.group(2), line)
    flow = _FLOW.match(line)
    if flow and ("，" in flow.group(2) or "、" in flow.group(2)):
        items = re.split(r"\s*[，、,]\s*", flow.group(2).strip())
        line = f"{flow.group(1)}[{', '.join(items)}]"
    return punctuation.to_full_width(line)


def fix_text(text: str) -> str:
    """Every mechanical fix applied, without checking what the result means."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(_line(line) for line in text.split("\n"))


def _widths(lines: list[str], i: int) -> list[int]:
    """Indentations a line indented with tabs or full-width spaces most likely meant, likeliest first."""
    def indent(line: str) -> int:
        return len(line) - len(line.lstrip(" "))

    above = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
    below = next((lines[j] for j in range(i + 1, len(lines)) if lines[j].strip()), "")
    item = indent(above) + 2 if above.lstrip().startswith("- ") else None
    nested = indent(above) + 2 if above.rstrip().endswith(":") else None
    fake = _INDENT.match(lines[i])
    default = len("".join(_FAKE_SPACES.get(ch, ch) for ch in fake.group())) if fake else 0
    found = [w for w in (item, nested, indent(below), indent(above), default, default * 2) if w is not None]
    return list(dict.fromkeys(found))


def _realign(original: str, fixed: str, path: Path) -> str:
    """``fixed`` with each line that had fake indentation moved to the width that makes the file read."""
    old = original.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = fixed.split("\n")
    for i, line in enumerate(old):
        fake = _INDENT.match(line)
        if fake is None or not set(fake.group()) & set(_FAKE_SPACES):
            continue
        for width in _widths(lines, i):
            trial = [*lines[:i], " " * width + lines[i].lstrip(" "), *lines[i + 1 :]]
            if _yaml_reads(path, "\n".join(trial)):
                lines = trial
                break
    return "\n".join(lines)


def _yaml_reads(path: Path, text: str) -> bool:
    return not parse_bytes(path, path.name, text.encode())[1]


def _normal(data: Any) -> Any:
    """Data as fmt may change it without changing its meaning: punctuation full-width, ids unquoted."""
    if isinstance(data, str):
        unquoted = re.fullmatch(r"[“‘「『]([a-z0-9]+(?:-[a-z0-9]+)*)[”’」』]", data)
        return punctuation.to_full_width(unquoted.group(1) if unquoted else data)
    if isinstance(data, dict):
        return {k: _normal(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_normal(v) for v in data]
    return data


def _read(path: Path, raw: bytes) -> tuple[bool, bool, Any]:
    """Whether ``raw`` reads as YAML, whether it is a valid entry too, and its data."""
    source, problems = parse_bytes(path, path.name, raw)
    if problems:
        return False, False, source.data
    entity, _ = parse_source(source, load_locale())
    return True, entity is not None, source.data


def format_file_bytes(path: Path, raw: bytes) -> Outcome:
    """Format one file's bytes; the result is checked to hold the same data (see the module docstring)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Outcome(raw.decode("utf-8", errors="replace"), changed=False, safe=False)
    new = fix_text(text)
    if not _yaml_reads(path, new):
        new = _realign(text, new, path)
    if new.encode() == raw:
        return Outcome(text, changed=False)
    before_yaml, before_valid, before = _read(path, raw)
    after_yaml, after_valid, after = _read(path, new.encode())
    # Same data, or it reads where it did not (as YAML, or as a valid entry): the fixes did what they say.
    now_reads = not before_yaml or (after_valid and not before_valid)
    if after_yaml and (now_reads or _normal(before) == _normal(after)):
        return Outcome(new, changed=True)
    return Outcome(text, changed=False, safe=False)


def diff(path: str, old: str, new: str) -> str:
    """A unified diff of one file's change, as ``git diff`` shows it."""
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
