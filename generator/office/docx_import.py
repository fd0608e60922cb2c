"""``handbook import docx``: the usual one-table Word 岗位说明书 → a new role file.

Each row of the document's first table is a label and its value (or two pairs, in a four-column
row). A label found in the mapping (``docx_labels.yaml``, extended by the project's
``handbook/docx-labels.yaml``) puts its value into a role field; any other label is reported as not
placed. The role then goes the workbook import's way (``changes.import_reading``): a file where
``handbook new`` would put it, validated in a copy of ``roles/`` first, written only when clean.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from pypinyin import lazy_pinyin

from ..errors import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, UsageError
from ..i18n import Locale, listed
from ..link.handbook import Handbook
from ..load.problems import Problem
from ..model.entities.base import ID_PATTERN
from ..model.entities.role import Role
from ..model.script import simplified
from ..project import Project
from . import changes
from .output import finish
from .xlsx_import import Place, Reading

LABELS_FILE = Path(__file__).parent / "docx_labels.yaml"
#: The project's own labels, added to (and overriding) the shipped ones.
PROJECT_LABELS = "docx-labels.yaml"
#: How a line of a cell is numbered: 1. 1、 (1) （一） 一、 or a bullet.
_NUMBERING = re.compile(
    r"^\s*(?:[0-9０-９]+[.、．)）]|[（(][0-9一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|[-•·●▪])\s*"
)


@dataclass(frozen=True)
class Target:
    """Where a label's value goes in a role, and how its cell is read."""

    path: tuple[str, ...]
    read: str = "text"


def _key(label: str) -> str:
    """A label as compared: no spaces or colons, Simplified script, lower case."""
    return simplified(re.sub(r"[\s:：]+", "", label)).lower()


@cache
def _shipped() -> dict[str, Target]:
    return _targets(yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8")))


def _targets(data: Any) -> dict[str, Target]:
    out = {}
    for label, spec in (data or {}).items():
        spec = spec if isinstance(spec, dict) else {"field": spec}
        out[_key(str(label))] = Target(tuple(str(spec["field"]).split(".")), str(spec.get("as", "text")))
    return out


#: How a cell can be read (the ``as`` of a label).
READS = ("text", "lines", "int", "unit", "role", "duties")


class LabelsError(UsageError):
    """The project's label file cannot be used: the message says where and how to mend it."""


def labels(project: Project) -> dict[str, Target]:
    """The shipped mapping with the project's own labels over it; :class:`LabelsError` when those are bad."""
    own = project.root / "handbook" / PROJECT_LABELS
    return {**_shipped(), **(_own_labels(own) if own.is_file() else {})}


def _own_labels(path: Path) -> dict[str, Target]:
    """An HR editor writes this file by hand: every mistake is named with its line, never a traceback."""
    file = f"handbook/{PROJECT_LABELS}"
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as err:
        raise LabelsError("office_labels_syntax", file=file, line="1", error=str(err)) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = str(mark.line + 1 if mark is not None else 1)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise LabelsError("office_labels_syntax", file=file, line=line, error=problem) from None
    if root is None:
        return {}
    fields = set(Role.model_fields)
    reads = listed(READS)
    if not isinstance(root, yaml.MappingNode):
        raise LabelsError("office_labels_entry", file=file, line=str(root.start_mark.line + 1), label="…", reads=reads)
    out: dict[str, Target] = {}
    for key, value in root.value:
        line, label = str(key.start_mark.line + 1), str(key.value)
        spec = _plain(value)
        if isinstance(spec, str):
            spec = {"field": spec}
        read = spec.get("as", "text") if isinstance(spec, dict) else None
        if not isinstance(spec, dict) or not isinstance(spec.get("field"), str) or read not in READS \
                or set(spec) - {"field", "as"}:
            raise LabelsError("office_labels_entry", file=file, line=line, label=label, reads=reads)
        path_ = tuple(spec["field"].split("."))
        if path_[0] not in fields:
            used = sorted({t.path[0] for t in _shipped().values()})
            raise LabelsError("office_labels_field", file=file, line=line, label=label, field=spec["field"],
                              examples=listed(used))
        out[_key(label)] = Target(path_, str(read))
    return out


def _plain(node: yaml.Node) -> Any:
    """A composed node as plain data; dates and tags stay text (the entry is checked next)."""
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    return node.value


@dataclass
class Found:
    """What one Word file gave: its values by target, the labels that had no place."""

    file: str
    values: dict[Target, tuple[str, str]] = field(default_factory=dict)
    """Target → (the label as written, the cell's text)."""
    unplaced: list[str] = field(default_factory=list)
    problem: str | None = None


def _cells(row: Any) -> list[str]:
    """A row's cell texts, each merged cell once."""
    out: list[str] = []
    last = None
    for cell in row.cells:
        if cell._tc is last:
            continue
        last = cell._tc
        out.append("\n".join(p.text for p in cell.paragraphs).strip())
    return out


def read_docx(path: Path, mapping: dict[str, Target]) -> Found:
    """The label/value pairs of the first table of a Word file."""
    found = Found(path.name)
    doc = Document(str(path))
    if not doc.tables:
        found.problem = "office_docx_no_table"
        return found
    for row in doc.tables[0].rows:
        cells = _cells(row)
        i = 0
        while i < len(cells):
            label = cells[i]
            value = cells[i + 1] if i + 1 < len(cells) else ""
            target = mapping.get(_key(label))
            if target is not None:
                found.values.setdefault(target, (label, value))
            elif label and value:
                found.unplaced.append(label)
            i += 2
    if not any(t.path == ("title",) for t in found.values):
        found.problem = "office_docx_no_title"
    return found


def _lines(text: str) -> list[str]:
    return [_NUMBERING.sub("", line).strip() for line in text.split("\n") if _NUMBERING.sub("", line).strip()]


def _id_of(hb: Handbook, kind: str, text: str) -> str:
    """An id given as itself or by its name (a unit's name, a role's title)."""
    table = hb.table(kind)
    if text in table:
        return text
    by_name = {_key(str(getattr(e, "name", None) or getattr(e, "title", ""))): i for i, e in table.items()}
    return by_name.get(_key(text), text)


def _value(target: Target, text: str, hb: Handbook) -> Any:
    if target.read == "lines":
        return _lines(text)
    if target.read == "duties":
        return None  # made with the label as the area's name, below
    if target.read == "int":
        digits = re.sub(r"[^0-9]", "", text)
        return int(digits) if digits else text
    if target.read in ("unit", "role"):
        return _id_of(hb, target.read, text.strip())
    return text.strip()


def role_id(path: Path, title: str) -> str:
    """The new role's id: the file's name when it is one, else the title in pinyin."""
    if re.fullmatch(ID_PATTERN, path.stem):
        return path.stem
    words = "-".join(lazy_pinyin(title))
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", words.lower())).strip("-")[:64] or "role"


def reading_of(found: list[tuple[Path, Found]], hb: Handbook, default_unit: str | None) -> Reading:
    """The roles the Word files give, as the workbook import reads new rows."""
    reading = Reading()
    for path, one in found:
        title = next(v for t, (_, v) in one.values.items() if t.path == ("title",)).strip()
        ident = role_id(path, title)
        change = reading.change("role", ident, new=True)
        reading.places[("role", ident)][()] = Place(one.file, "", "")
        if default_unit and not any(t.path == ("unit",) for t in one.values):
            change.sets.append((("unit",), default_unit, Place(one.file, "", "unit")))
        for target, (label, text) in one.values.items():
            place = Place(one.file, "", label)
            if target.read == "duties":
                value: Any = [{"area": label, "items": _lines(text)}] if _lines(text) else None
            else:
                value = _value(target, text, hb)
            if value in (None, "", []):
                continue
            change.sets.append((target.path, value, place))
            reading.places[("role", ident)][target.path] = place
    return reading


def import_docx_command(args: argparse.Namespace, hb: Handbook, project: Project, before: list[Problem],
                        locale: Locale, parses: changes.SharedParses | None = None) -> int:
    """Read the files, print what has no place, then what would be written (``--apply``: write it)."""
    mapping = labels(project)  # a LabelsError is a usage error: cli prints it in the reader's words
    found: list[tuple[Path, Found]] = []
    failed = False
    for path in args.files:
        if not path.is_file():
            print(f"handbook: no such file: {path}", file=sys.stderr)
            return EXIT_USAGE
        try:
            one = read_docx(path, mapping)
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
            print("handbook: " + locale.label("office_not_a_document").format(path=path), file=sys.stderr)
            return EXIT_USAGE
        for label in one.unplaced:
            config = f"handbook/{PROJECT_LABELS}"
            print(locale.label("office_docx_unplaced").format(file=one.file, label=label, config=config),
                  file=sys.stderr)
        if one.problem:
            print(locale.label(one.problem).format(file=one.file), file=sys.stderr)
            failed = True
            continue
        found.append((path, one))
    if failed:
        return EXIT_PROBLEMS
    reading = reading_of(found, hb, args.unit)
    outcome = changes.import_reading(reading, hb, project.roles, before, locale, parses)
    return finish(outcome, args.apply, locale) if found else EXIT_OK
