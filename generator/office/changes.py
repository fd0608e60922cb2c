"""Turn what an import read into new file texts, check them, word them, and write them.

Every change goes through ``editor/roundtrip.edit`` (untouched lines stay byte-identical); new
entities get a file where ``handbook new`` would put it. The result is validated in a copy of
``roles/`` before anything is written to HR's files, and written only when it adds no problem.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..editor.roundtrip import Edit, EditError, edit
from ..editor.scaffold import unit_folder
from ..history import WORKTREE
from ..history.parts import diff
from ..history.semantic import EntityDiff
from ..history.snapshot import Snapshot
from ..history.wording import heading, lines
from ..i18n import Locale
from ..link.handbook import Handbook
from ..link.pipeline import validate
from ..load.cache import ParsedFile, Stamp
from ..load.problems import Problem, Severity, format_text
from ..model.declare import shapes
from ..model.registry import kind as kind_entry
from .columns import get
from .xlsx_import import CellProblem, EntityChange, Place, Reading, problem


class SharedParses:
    """The files the first validation parsed, found again by name and bytes when the copy is validated.

    Validating the copy then parses only the files the import changes or adds (at 1,000 roles that
    halves an import). A :class:`~generator.load.cache.ParseCache`; pass the same one to both runs.
    """

    def __init__(self) -> None:
        self.by_rel: dict[str, ParsedFile] = {}

    def use(self, lang: str) -> None:
        """One import runs in one language: nothing to forget."""

    def unchanged(self, path: Path, rel: str, stamp: Stamp) -> ParsedFile | None:
        """Never by stamp: the copy's files have stamps of their own."""
        return None

    def parsed(self, path: Path, rel: str, raw: bytes) -> ParsedFile | None:
        """The same name (relative to its project) holding the same bytes."""
        hit = self.by_rel.get(rel)
        return hit if hit is not None and hit.raw == raw else None

    def keep(self, path: Path, parsed: ParsedFile) -> None:
        """Remember a file of the first run."""
        self.by_rel[parsed.source.rel] = parsed

    def forget_other_files(self, paths: set[Path]) -> None:
        """Kept: the copy lists other paths for the same names."""


@dataclass
class Outcome:
    """The files an import would write (path → text), worded, and every problem."""

    texts: dict[Path, str] = field(default_factory=dict)
    diffs: list[EntityDiff] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def _edits(change: EntityChange, data: Any) -> list[tuple[Edit, Place]]:
    """The round-trip edits of one entity's changes, in order: values, then items added or removed."""
    out: list[tuple[Edit, Place]] = []
    grouped: dict[tuple[str | int, ...], tuple[dict[str, Any], Place]] = {}
    for path, value, place in change.sets:
        gap = next((n for n in range(1, len(path)) if not isinstance(get(data, path[:n]), (dict, list))), None)
        if gap is None:
            if value is None:
                if get(data, path) is not None:
                    out.append((Edit("delete", path), place))
            else:
                out.append((Edit("set", path, value), place))
            continue
        if value is None:
            continue  # an emptied cell under a level that is not there: nothing to remove
        top = path[:gap]
        nested, _ = grouped.setdefault(top, ({}, place))
        target = nested
        for key in path[gap:-1]:
            target = target.setdefault(str(key), {})
        target[str(path[-1])] = value
    out += [(Edit("set", top, nested), place) for top, (nested, place) in grouped.items()]
    for name, items, place in change.lists:
        before = get(data, (name,))
        if not isinstance(before, list):
            out.append((Edit("set", (name,), items) if items else Edit("delete", (name,)), place))
            continue
        items = items or []
        out += [(Edit("set", (name, i), items[i]), place) for i in range(len(before), len(items))]
        out += [(Edit("delete", (name, i)), place) for i in range(len(before) - 1, len(items) - 1, -1)]
    return out


def _new_text(change: EntityChange, edits: list[tuple[Edit, Place]]) -> str:
    """A new entity's file: ``kind:`` first, then its fields in the model's order."""
    model = kind_entry(change.kind).model
    order = {name: i for i, name in enumerate(shapes(model))}
    ordered = sorted(edits, key=lambda e: order.get(str(e[0].path[0]), len(order)))
    return edit(f"kind: {change.kind}\n", [e for e, _ in ordered if e.op == "set"])


def import_reading(reading: Reading, hb: Handbook, roles: Path, before: Iterable[Problem], locale: Locale,
                   parses: SharedParses | None = None) -> Outcome:
    """Texts, problems and wording of what ``reading`` changes; nothing written. ``parses``: the cache the
    handbook was validated with (``roles`` relative to its display base as ``roles/``), to parse less."""
    if reading.problems:
        return Outcome(problems=list(reading.problems))
    outcome = plan(reading, hb, roles, locale)
    if not outcome.problems:
        check(outcome, reading, hb, roles, before, locale, parses)
    if not outcome.problems:
        word(outcome, roles, locale)
    return outcome


def plan(reading: Reading, hb: Handbook, roles: Path, locale: Locale) -> Outcome:
    """The texts the workbook's changes give HR's files (nothing is written here)."""
    out = Outcome(problems=list(reading.problems))
    for (kind, ident), change in reading.changes.items():
        where = reading.places[(kind, ident)]
        place = where.get(()) or next(iter(where.values()), Place("", "A1", ""))
        if change.new:
            data: dict[str, Any] = {}
            edits = _edits(change, data)
            unit = next((e.value for e, _ in edits if e.path in (("unit",), ("parent",))), None)
            folder = unit_folder(roles, unit) if isinstance(unit, str) else roles
            target = folder / f"{ident}.yaml"
            existing = sorted(roles.rglob(f"{ident}.yaml"))
            if existing or target in out.texts:
                shown = (existing[0] if existing else target).relative_to(roles.parent).as_posix()
                out.problems.append(problem(locale, place.sheet, place.cell, "id", "office_new_exists",
                                            kind=kind, value=ident, path=shown))
                continue
            out.texts[target] = _new_text(change, edits)
            continue
        source = hb.source_of(kind, ident)
        raw = source.path.read_bytes()
        bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""  # kept: the file is HR's
        text = raw.decode("utf-8-sig")
        edits = _edits(change, source.data)
        if not edits:
            continue
        try:
            new = edit(text, [e for e, _ in edits])
        except EditError as err:
            out.problems.append(problem(locale, place.sheet, place.cell, place.field, "office_cannot_place",
                                        error=str(err)))
            continue
        if new != text:
            out.texts[source.path] = bom + new
    return out


def _key(p: Problem) -> tuple[str, str, str, tuple[tuple[str, str], ...]]:
    return (p.file, p.code, p.field, tuple(sorted(p.args.items())))


def check(outcome: Outcome, reading: Reading, hb: Handbook, roles: Path, before: Iterable[Problem],
          locale: Locale, parses: SharedParses | None = None) -> None:
    """Validate ``roles/`` as it would be after the import (in a copy); new errors become cell problems."""
    if not outcome.texts:
        return
    roles = roles.resolve()
    known = {_key(p) for p in before}
    with tempfile.TemporaryDirectory(prefix="handbook-import-") as tmp:
        copy = Path(tmp) / roles.name
        shutil.copytree(roles, copy, symlinks=True)
        for path, text in outcome.texts.items():
            target = copy / path.resolve().relative_to(roles)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        result = validate(copy, locale=locale, display_base=copy.parent, cache=parses)
    owners: dict[str, tuple[str, str]] = {}
    for key, source in hb.sources.items():
        with contextlib.suppress(ValueError):
            owners[f"{roles.name}/{source.path.resolve().relative_to(roles).as_posix()}"] = key
    for path in outcome.texts:
        rel = f"{roles.name}/{path.resolve().relative_to(roles).as_posix()}"
        new = [(k, i) for (k, i), c in reading.changes.items() if c.new and path.stem == i]
        if new:
            owners.setdefault(rel, new[0])
    for p in result.problems:
        if p.severity is not Severity.ERROR or _key(p) in known:
            continue
        place = _place(reading, owners.get(p.file), p.field)
        message, fix = p.texts(locale)
        if place is None:
            outcome.problems.append(CellProblem("", "", p.field, format_text(p, locale), ""))
        else:
            outcome.problems.append(CellProblem(place.sheet, place.cell, place.field or p.field, message, fix))


def _place(reading: Reading, owner: tuple[str, str] | None, dotted: str) -> Place | None:
    """The cell that wrote the value at ``dotted`` (the nearest one above it), else the entity's row."""
    if owner is None:
        return None
    where = reading.places.get(owner, {})
    best: tuple[int, Place] | None = None
    for path, place in where.items():
        text = _dotted(path)
        above = dotted == text or dotted.startswith((text + ".", text + "["))
        if above and (best is None or len(text) > best[0]):
            best = (len(text), place)
    if best is not None:
        return best[1]
    return where.get(()) or next(iter(where.values()), None)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def word(outcome: Outcome, roles: Path, locale: Locale) -> None:
    """What the import changes, in ``handbook diff``'s words."""
    roles = roles.resolve()
    old: dict[str, bytes] = {}
    new: dict[str, bytes] = {}
    for path, text in outcome.texts.items():
        rel = path.resolve().relative_to(roles).as_posix()
        if path.exists():
            old[rel] = path.read_bytes()
        new[rel] = text.encode("utf-8")
    outcome.diffs = diff(_snapshot("old", old), _snapshot(WORKTREE, new), locale, roles.name, None, jobs=1)


def _snapshot(rev: str, files: dict[str, bytes]) -> Snapshot:
    ids = {rel: f"{rev}:{rel}" for rel in files}
    data = {ids[rel]: raw for rel, raw in files.items()}
    read: Callable[[list[str]], dict[str, bytes]] = lambda wanted: {i: data[i] for i in wanted if i in data}  # noqa: E731
    return Snapshot(rev, ids, read)


def report(outcome: Outcome, locale: Locale) -> list[str]:
    """The changes as ``handbook diff`` prints them: a heading per entity, a line per change."""
    out: list[str] = []
    for found in outcome.diffs:
        out.append(f"{heading(found, locale)}  {found.file}")
        out += [f"  - {text}" for text in lines(found, locale)]
    return out


def write(outcome: Outcome) -> list[Path]:
    """Write the files (each whole, through a temporary file beside it)."""
    for path, text in outcome.texts.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.import")
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        tmp.replace(path)
    return sorted(outcome.texts)
