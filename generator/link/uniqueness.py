"""What must be one of its kind: an id across every kind, a file named after its id, a grade's rank.

Duplicate ids within one kind are ``check.py``'s; these are the silent ones: a process and a
policy both called ``quality-assessment`` (which one does a person mean, and which file holds
it?), ``quality-policy.yaml`` holding ``id: quality-assessment`` (nobody finds it by its name),
two grades of the same rank (which one is senior?).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from ..load.codes import ProblemCode
from ..load.problems import Problem, Severity
from ..load.source import FieldPath, Pos, Source, dotted
from ..memo import ByIdentities
from ..model import registry
from ..model.entities import Entity
from .handbook import Handbook


def check_uniqueness(hb: Handbook, flagged: Collection[tuple[str, str]] = ()) -> Iterator[Problem]:
    """Ids used by two kinds, files named other than their id, grades sharing a rank; ``flagged``
    holds the (file, field) places already reported (a reserved id is no name to rename a file to)."""
    yield from _across_kinds(hb)
    yield from _file_names(hb, flagged)
    yield from _ranks(hb)


def _at(source: Source, path: FieldPath, code: ProblemCode, args: dict[str, str],
        severity: Severity = Severity.ERROR, *, key: bool = False) -> Problem:
    pos = source.pos(path, key=key)
    return Problem(source.rel, pos.line, pos.col, dotted(path), code, args, severity)


def _across_kinds(hb: Handbook) -> Iterator[Problem]:
    # Terms are anchors on the glossary page, named after their abbreviation: the term FSF may
    # share its id with the unit FSF. Every kind with pages of its own takes an id once.
    tables = [(kind, table) for kind, table in hb.tables.items() if not registry.kind(kind).shared_page]
    # The ids two kinds hold, by set operations first: most handbooks have none, and then
    # nothing is gathered per entity (2,000 of them at 1,000 roles, on every edit's check).
    seen: set[str] = set()
    twice: set[str] = set()
    for _kind, table in tables:
        twice |= seen.intersection(table)
        seen.update(table)
    holders: dict[str, list[tuple[str, Source]]] = {}
    for kind, table in tables if twice else []:
        for ident in table:
            if ident in twice:
                holders.setdefault(ident, []).append((kind, hb.source_of(kind, ident)))
    for ident, held in holders.items():
        if len({kind for kind, _ in held}) < 2:
            continue  # one kind twice is a duplicate id, reported as such
        for kind, source in held:
            # Each file names another: either may be the one to rename.
            other_kind, other = next((k, s) for k, s in held if k != kind)
            args = {"id": ident, "kind": other_kind, "other": other.rel}
            # At the id line when the file has one, else at the top (the id is the file name).
            yield _at(source, ("id",) if ("id",) in source.keys else (), "id_in_two_kinds", args)


def _file_names(hb: Handbook, flagged: Collection[tuple[str, str]]) -> Iterator[Problem]:
    _MISNAMED.new_run()
    for kind, entity in hb.all_entities():
        source = hb.source_of(kind, entity.id)
        found = _MISNAMED(entity, source)
        if found is None or (source.rel, "id") in flagged:
            continue
        args, at = found
        # A file of that name next to it already: the id is what can change, not the name.
        taken = (source.path.parent / f"{entity.id}.yaml").exists()
        code: ProblemCode = "id_not_file_name_taken" if taken else "id_not_file_name"
        yield Problem(source.rel, at.line, at.col, "id", code, args, Severity.WARNING)


def _misnamed(entity: Entity, source: Source) -> tuple[dict[str, str], Pos] | None:
    """The warning's words and place when the file is named other than its id (read from the two alone)."""
    stem = source.path.stem
    # An all-digit id has its own warning (use a word): no file should be renamed to it.
    if stem == entity.id or ("id",) not in source.keys or entity.id.isdigit():
        return None
    folder = source.rel.rpartition("/")[0]
    new = f"{folder}/{entity.id}.yaml" if folder else f"{entity.id}.yaml"
    return {"id": entity.id, "name": source.path.name, "old": source.rel, "new": new, "stem": stem}, source.pos(("id",))


#: Kept by (entity, file); whether the other name is taken is asked of the disk each time.
_MISNAMED: ByIdentities[tuple[dict[str, str], Pos] | None] = ByIdentities(_misnamed)


def _ranks(hb: Handbook) -> Iterator[Problem]:
    by_rank: dict[int, list[Entity]] = {}
    for grade in hb.table("grade").values():
        by_rank.setdefault(int(getattr(grade, "rank", 0)), []).append(grade)
    for rank, grades in by_rank.items():
        for grade in grades if len(grades) > 1 else []:
            # Each grade names another: either may be the one whose rank is wrong.
            other = next(g for g in grades if g is not grade)
            args = {"rank": str(rank), "name": _name(grade), "other": _name(other)}
            yield _at(hb.source_of("grade", grade.id), ("rank",), "grade_rank_taken", args)


def _name(entity: Entity) -> str:
    return str(getattr(entity, "name", entity.id))
