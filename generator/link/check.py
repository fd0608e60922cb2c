"""Checks across entities: duplicate ids, references, cycles, reporting lines, schedules."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..load.codes import ProblemCode
from ..load.hints import nearest
from ..load.problems import Problem, Severity
from ..load.source import FieldPath, Source, dotted
from ..memo import ByIdentities, ByIdentity, bypassing
from ..model import paths, registry
from ..model.declare import ANY_KIND, refs
from ..model.entities import Entity, Policy, Role
from ..model.refs import find_refs, parse_ref, ref_prefixes
from . import approvals, assignments, duedates
from .handbook import Handbook, kind_of
from .headcount import ratio_mismatch
from .rules import check_rules
from .scoring import check_assessments
from .shifts import check_shifts, span
from .uniqueness import check_uniqueness


def check(hb: Handbook, parsed: Iterable[tuple[Entity, Source]]) -> list[Problem]:
    """Every cross-entity problem, in no particular order (the caller sorts)."""
    problems: list[Problem] = []
    problems += _duplicates(parsed)
    problems += _reserved(hb)
    problems += _aliases(hb)
    _TEXTS.new_run()
    problems += _REFS.check(hb)
    problems += _unit_cycles(hb)
    problems += _reporting(hb)
    problems += _roles(hb)
    problems += _schedules(hb)
    problems += _headcounts(hb)
    problems += _companies(hb)
    problems += check_rules(hb)
    problems += check_shifts(hb)
    problems += check_assessments(hb)
    problems += check_uniqueness(hb, {(p.file, p.field) for p in problems})
    problems += assignments.check(hb)
    problems += duedates.check(hb)
    problems += approvals.check(hb)
    return problems


def _at(source: Source, path: FieldPath, code: ProblemCode, args: dict[str, str] | None = None,
        severity: Severity = Severity.ERROR, *, key: bool = False) -> Problem:
    pos = source.pos(path, key=key)
    return Problem(source.rel, pos.line, pos.col, dotted(path), code, args or {}, severity)


def _duplicates(parsed: Iterable[tuple[Entity, Source]]) -> Iterator[Problem]:
    first: dict[tuple[str, str], Source] = {}
    for entity, source in sorted(parsed, key=lambda pair: pair[1].rel):
        key = (kind_of(entity), entity.id)
        if key in first:
            other = first[key]
            yield _at(source, ("id",), "duplicate_id", {"id": entity.id, "other": other.rel})
        else:
            first[key] = source


#: Pages the generator writes itself; an entity whose page would land on one would silently replace it.
_FIXED_PAGES = frozenset({paths.KPIS_INDEX, paths.RACI, paths.CHANGES})


def _reserved(hb: Handbook) -> Iterator[Problem]:
    fixed = _FIXED_PAGES | set(paths.index_pages())  # read late: every registered kind's index counts
    for kind, entity in hb.all_entities():
        page = paths.page(kind, entity.id)
        if page in fixed:
            source = hb.source_of(kind, entity.id)
            yield _at(source, ("id",), "reserved_id", {"id": entity.id, "page": page})


def _aliases(hb: Handbook) -> Iterator[Problem]:
    for kind, entity in hb.all_entities():
        source = hb.source_of(kind, entity.id)
        for i, alias in enumerate(entity.aliases):
            if alias in hb.table(kind):
                yield _at(source, ("aliases", i), "alias_collides", {"alias": alias})
            elif hb.aliases.get((kind, alias)) != entity.id:
                owner = hb.aliases[(kind, alias)]
                yield _at(source, ("aliases", i), "alias_taken", {"alias": alias, "other": owner})
    for policy in hb.policies.values():
        source = hb.source_of("policy", policy.id)
        ids = [c.id for c in policy.clauses]
        for ci, clause in enumerate(policy.clauses):
            if ids.index(clause.id) != ci:
                yield _at(source, ("clauses", ci, "id"), "duplicate_clause", {"id": clause.id})
            for ai, alias in enumerate(clause.aliases):
                if alias in ids:
                    yield _at(source, ("clauses", ci, "aliases", ai), "alias_collides", {"alias": alias})


def _missing(hb: Handbook, source: Source, path: FieldPath, kind: str, ident: str, *, key: bool = False) -> Problem:
    suggestion = nearest(ident, hb.table(kind))
    args = {"kind": kind, "id": ident, "suggestion": suggestion}
    return _at(source, path, "ref_missing_suggest" if suggestion else "ref_missing", args, key=key)


def _field_refs(hb: Handbook, entity: Entity, source: Source) -> Iterator[Problem]:
    """References held in id fields: every field the model declares as one (``model/declare.py``)."""
    for found in refs(entity):
        if found.to.kind == ANY_KIND:
            yield from _bare_ref(hb, source, found.path, found.value)
        elif found.to.clause:
            policy_id, _, clause = found.value.partition("#")
            yield from _policy_ref(hb, source, found.path, policy_id, clause or None)
        elif hb.get(found.to.kind, found.value) is None:
            yield _missing(hb, source, found.path, found.to.kind, found.value, key=found.is_key)


def _policy_ref(hb: Handbook, source: Source, path: FieldPath, policy_id: str, clause: str | None) -> Iterator[Problem]:
    policy = hb.get("policy", policy_id)
    if not isinstance(policy, Policy):
        yield _missing(hb, source, path, "policy", policy_id)
        return
    if clause and hb.resolve_clause(policy.id, clause) is None:
        ids = [c.id for c in policy.clauses]
        suggestion = nearest(clause, ids)
        args = {"policy": policy.id, "clause": clause, "suggestion": suggestion, "known": ", ".join(ids)}
        yield _at(source, path, "clause_missing_suggest" if suggestion else "clause_missing", args)


def _bare_ref(hb: Handbook, source: Source, path: FieldPath, value: str) -> Iterator[Problem]:
    ref = parse_ref(value)
    if ref is None or not registry.is_kind(ref.kind):
        yield _at(source, path, "bad_ref_syntax", {"value": value})
        return
    yield from _resolve(hb, source, path, ref.kind, ref.id, ref.anchor)


def _resolve(
    hb: Handbook, source: Source, path: FieldPath, kind: str, ident: str, anchor: str | None
) -> Iterator[Problem]:
    if kind == "policy":
        yield from _policy_ref(hb, source, path, ident, anchor)
    elif hb.get(kind, ident) is None:
        yield _missing(hb, source, path, kind, ident)


def _walk(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Strings that may hold a reference (``[[``), with their paths, in document order."""
    # An explicit stack, not nested generators: this visits every value of every file.
    stack: list[tuple[FieldPath, Any]] = [(path, data)]
    while stack:
        here, value = stack.pop()
        if isinstance(value, str):
            if "[[" in value or "【" in value or "［" in value:
                yield here, value
        elif isinstance(value, dict):
            stack.extend(((*here, k), v) for k, v in reversed(value.items()) if isinstance(v, (str, dict, list)))
        elif isinstance(value, list):
            stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(value))))


#: ``【【role:x】】`` or ``［［role:x］］``: a reference typed with the input method's brackets stays plain text.
_LOOKALIKE_REF = re.compile(r"[【［]{2}\s*([a-z]+[:：][^【】［］\[\]]*?)\s*[】］]{2}")


def _texts(source: Source) -> list[tuple[FieldPath, str]]:
    return list(_walk(source.data))


#: Kept by source between runs of ``handbook serve`` (an unchanged file keeps its source object).
_TEXTS: ByIdentity[Source, list[tuple[FieldPath, str]]] = ByIdentity(_texts)


def _text_refs(hb: Handbook, source: Source) -> Iterator[Problem]:
    """``[[kind:id]]`` references inside free text, located to their line."""
    for path, text in _TEXTS(source):
        for match in _LOOKALIKE_REF.finditer(text):
            pos = source.text_pos(path, match.start())
            args = {"typed": match.group(), "fixed": f"[[{match.group(1)}]]"}
            yield Problem(source.rel, pos.line, pos.col, dotted(path), "ref_lookalike_brackets", args, Severity.WARNING)
        if "[[" not in text:
            continue
        for ref in find_refs(text):
            pos = source.text_pos(path, ref.start)
            if not registry.is_kind(ref.kind):
                args = {"value": text[ref.start : ref.end], "kinds": ", ".join(ref_prefixes())}
                yield Problem(source.rel, pos.line, pos.col, dotted(path), "bad_ref_kind", args)
                continue
            for problem in _resolve(hb, source, path, ref.kind, ref.id, ref.anchor):
                yield Problem(source.rel, pos.line, pos.col, problem.field, problem.code, problem.args)
        leftover = text
        for ref in find_refs(text):
            leftover = leftover.replace(text[ref.start : ref.end], "")
        if "[[" in leftover:
            offset = text.find("[[") if not list(find_refs(text)) else text.rfind("[[")
            pos = source.text_pos(path, offset)
            yield Problem(source.rel, pos.line, pos.col, dotted(path), "bad_ref_syntax", {"value": "[[…"})


def _targets(hb: Handbook) -> object:
    """Everything a reference check looks up: the ids of each kind, the aliases, each policy's clauses."""
    return (
        tuple((kind, frozenset(table)) for kind, table in hb.tables.items()),
        frozenset(hb.aliases.items()),
        frozenset(hb.clause_aliases.items()),
        frozenset((policy.id, tuple(c.id for c in policy.clauses)) for policy in hb.policies.values()),
    )


class _EntityRefs:
    """Each entity's reference problems (its id fields and the ``[[…]]`` in its text), kept by
    the entity's identity (its file did not change, see ``load/cache.py``) while every id a
    reference could name is as it was: checking it again would give the same problems. At
    1,000 roles this is most of a save's validation.
    """

    def __init__(self) -> None:
        self._targets: object = None
        self._hb: Handbook | None = None
        self._lock = threading.Lock()
        self._memo: ByIdentity[Entity, list[Problem]] = ByIdentity(self._compute)

    def _compute(self, entity: Entity) -> list[Problem]:
        assert self._hb is not None
        return self._fresh(self._hb, entity)

    @staticmethod
    def _fresh(hb: Handbook, entity: Entity) -> list[Problem]:
        source = hb.source_of(kind_of(entity), entity.id)  # an unchanged entity keeps its source too
        return [*_field_refs(hb, entity, source), *_text_refs(hb, source)]

    def check(self, hb: Handbook) -> list[Problem]:
        """The reference problems of every entity in ``hb``."""
        if bypassing():
            return [problem for _kind, entity in hb.all_entities() for problem in self._fresh(hb, entity)]
        targets = _targets(hb)
        # One run at a time: ``handbook edit`` checks a form in one thread while its live preview
        # validates a save in another, and a run computes against the handbook it set here.
        with self._lock:
            if targets != self._targets:
                self._memo, self._targets = ByIdentity(self._compute), targets
            self._memo.new_run()
            self._hb = hb
            return [problem for _kind, entity in hb.all_entities() for problem in self._memo(entity)]


_REFS = _EntityRefs()


def _loops(ids: Iterable[str], parent_of: Callable[[str], str | None]) -> Iterator[list[str]]:
    """Each loop once, as its members in order starting from the member met first (not repeated).

    Each id is walked once: a walk that meets an id walked before ends as that one did (at the
    top, or in a loop already given), so it has nothing new. The same loops, in the same order,
    as walking up from every id to its first repeat, without the depth times the ids.
    """
    done: set[str] = set()
    for ident in ids:
        chain: list[str] = []
        at: dict[str, int] = {}
        current: str | None = ident
        while current is not None and current not in done and current not in at:
            at[current] = len(chain)
            chain.append(current)
            current = parent_of(current)
        done.update(chain)
        if current is not None and current in at:
            yield chain[at[current] :]


def _on_every_member(loop: list[str]) -> Iterator[tuple[str, str]]:
    """(member, the loop read from that member) for each member: each file names its own way round."""
    for i, member in enumerate(loop):
        turn = [*loop[i:], *loop[:i], member]
        yield member, " → ".join(turn)


def _unit_cycles(hb: Handbook) -> Iterator[Problem]:
    def parent_of(uid: str) -> str | None:
        parent = hb.units[uid].parent
        return parent if parent in hb.units else None

    # A unit below a loop is not in it and is not reported: its own parent line is right.
    for loop in _loops(hb.units, parent_of):
        for member, cycle in _on_every_member(loop):
            yield _at(hb.source_of("unit", member), ("parent",), "unit_cycle", {"cycle": cycle})


def _reporting(hb: Handbook) -> Iterator[Problem]:
    roles = hb.roles

    def boss_of(rid: str) -> str | None:
        boss = roles[rid].reports_to
        return boss if boss in roles else None

    for loop in _loops(hb.roles, boss_of):
        for member, cycle in _on_every_member(loop):
            yield _at(hb.source_of("role", member), ("reports_to",), "reports_cycle", {"cycle": cycle})
    for role in hb.roles.values():
        source = hb.source_of("role", role.id)
        boss = hb.roles.get(role.reports_to or "")
        if boss and role.unit in hb.units and boss.unit != role.unit and boss.unit not in hb.ancestors(role.unit):
            args = {"boss": boss.id, "boss_unit": boss.unit, "unit": role.unit}
            yield _at(source, ("reports_to",), "reports_outside_unit", args, Severity.WARNING)


def _roles(hb: Handbook) -> list[Problem]:
    _ROLE_DUTIES.new_run()
    sources = hb.sources
    return [p for rid, role in hb.roles.items() for p in _ROLE_DUTIES(role, sources[("role", rid)])]


def _duties(role: Role, source: Source) -> list[Problem]:
    if not role.duties:
        return [_at(source, (), "no_duties", severity=Severity.WARNING)]
    return [_at(source, ("duties", i, "items"), "empty_duties", {"area": area.area})
            for i, area in enumerate(role.duties) if not area.items]


#: Kept by (role, file): read from those alone.
_ROLE_DUTIES: ByIdentities[list[Problem]] = ByIdentities(_duties)


def _schedules(hb: Handbook) -> Iterator[Problem]:
    for unit in hb.units.values():
        source = hb.source_of("unit", unit.id)
        for i, block in enumerate(unit.schedule):
            if block.end and span(block.start, block.end) is None:
                yield _at(source, ("schedule", i, "end"), "end_before_start", {"start": block.start, "end": block.end})
    for process in hb.processes.values():
        source = hb.source_of("process", process.id)
        duration = process.duration
        if duration and duration.min is not None and duration.max is not None and duration.min > duration.max:
            yield _at(source, ("duration",), "min_over_max", {"min": f"{duration.min:g}", "max": f"{duration.max:g}"})
        when = process.when
        if when and when.weekdays and when.every not in ("周", "日"):
            yield _at(source, ("when", "weekdays"), "weekdays_need_week", {"every": when.every})
        if when and when.minute is not None and when.every != "小时":
            yield _at(source, ("when", "minute"), "minute_needs_hour", {"every": when.every})


#: More people in one role than any branch employs: a typo (an extra digit), not a plan.
_MOST_PEOPLE = 5_000


#: A logo is printed on every PDF page and inlined: a photo-sized file would bloat each of them.
LOGO_MAX_BYTES = 512 * 1024


def _companies(hb: Handbook) -> Iterator[Problem]:
    """A company logo that is not there or too large.

    Several top units without company settings need no warning: each PDF header names its own top unit."""
    for unit in hb.units.values():
        if unit.company is None or unit.company.logo is None:
            continue
        source = hb.source_of("unit", unit.id)
        path = hb.logo_file(unit.id)
        args = {"logo": unit.company.logo, "folder": source.path.parent.name or "."}
        if path is None or not path.is_file():
            yield _at(source, ("company", "logo"), "logo_missing", args)
        elif path.stat().st_size > LOGO_MAX_BYTES:
            args["size"] = f"{path.stat().st_size // 1024} KB"
            yield _at(source, ("company", "logo"), "logo_too_large", args)


def _headcounts(hb: Handbook) -> Iterator[Problem]:
    """A ratio rule (one 经理助理 per 24 电销人员) that the stated counts contradict; fewer planned than now."""
    for role in hb.roles.values():
        counts = role.headcount
        if counts and counts.planned is not None and counts.current is not None and counts.planned < counts.current:
            args = {"planned": str(counts.planned), "current": str(counts.current)}
            source = hb.source_of("role", role.id)
            yield _at(source, ("headcount", "planned"), "planned_below_current", args, Severity.WARNING)
        for field in ("current", "planned"):
            count = getattr(counts, field, None) if counts else None
            if count is not None and count > _MOST_PEOPLE:
                args = {"count": str(count), "most": str(_MOST_PEOPLE)}
                yield _at(hb.source_of("role", role.id), ("headcount", field), "headcount_implausible", args,
                          Severity.WARNING)
        mismatch = ratio_mismatch(hb, role.id)
        if mismatch is None or role.headcount is None or role.headcount.ratio is None:
            continue
        if mismatch.base > _MOST_PEOPLE:
            continue  # the other role's count is the typo, reported in its own file
        ratio = role.headcount.ratio
        args = {
            "count": str(ratio.count), "per": str(ratio.per), "of": hb.roles[ratio.of].title,
            "base": str(mismatch.base), "expected": mismatch.expected, "field": mismatch.field,
            "actual": str(mismatch.actual),
        }
        source = hb.source_of("role", role.id)
        yield _at(source, ("headcount", mismatch.field), "headcount_ratio_mismatch", args)
