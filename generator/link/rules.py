"""Checks of rules and targets: amounts that money needs, weights that add up, deadlines that say when."""

from __future__ import annotations

from collections.abc import Iterator

from ..i18n import listed
from ..load.codes import ProblemCode
from ..load.problems import Problem, Severity
from ..load.source import FieldPath, Source, dotted
from ..memo import ByIdentities
from ..model.entities import KPI, Consequence, Deadline, DutyArea, Entity, Policy, Process, Role, Unit
from ..model.entities.competency import LEVELS
from ..model.entities.consequence import COUNTED
from .handbook import Handbook


def number(value: float) -> str:
    """``20.0`` → ``20``: a number as an editor wrote it."""
    return f"{value:g}"


def check_rules(hb: Handbook) -> list[Problem]:
    """Every problem in KPIs, consequences, deadlines and response limits.

    Each entity's come from it and its file alone, so they are kept by those two objects
    (:class:`~..memo.ByIdentities`): an edit at 1,000 roles checks the one entity it changes.
    """
    for memo in _MEMOS.values():
        memo.new_run()
    sources = hb.sources
    return [p for kind, memo in _MEMOS.items() for ident, entity in hb.table(kind).items()
            for p in memo(entity, sources[(kind, ident)])]


def _role(role: Role, source: Source) -> list[Problem]:
    out: list[Problem] = []
    for i, kpi in enumerate(role.kpis):
        out += _kpi(source, ("kpis", i), kpi)
    out += _weights(source, role.kpis)
    out += _duty_weights(source, role.duties)
    out += _variants(source, role)
    for i, contact in enumerate(role.relationships.internal if role.relationships else []):
        if (contact.role is None) == (contact.unit is None):
            out.append(_at(source, ("relationships", "internal", i), "contact_role_or_unit"))
    for a, area in enumerate(role.duties):
        for j, item in enumerate(area.items):
            out += _deadlines(source, ("duties", a, "items", j, "deadlines"), item.deadlines)
    return out


def _unit(unit: Unit, source: Source) -> list[Problem]:
    out: list[Problem] = []
    for i, kpi in enumerate(unit.kpis):
        out += _kpi(source, ("kpis", i), kpi)
    out += _weights(source, unit.kpis)
    return out


def _competency(comp: Entity, source: Source) -> list[Problem]:
    levels = getattr(comp, "levels", [])
    if len(levels) == LEVELS:
        return []
    path: FieldPath = ("levels",) if levels else ()
    return [_at(source, path, "competency_levels", {"count": str(len(levels)), "levels": str(LEVELS)})]


def _policy(policy: Policy, source: Source) -> list[Problem]:
    out: list[Problem] = []
    for ci, clause in enumerate(policy.clauses):
        out += _deadlines(source, ("clauses", ci, "deadlines"), clause.deadlines)
        for k, cons in enumerate(clause.consequences):
            out += check_consequence(source, ("clauses", ci, "consequences", k), cons)
        out += _ladder(source, ("clauses", ci, "consequences"), clause.consequences)
    return out


def _process(process: Process, source: Source) -> list[Problem]:
    out = list(_deadlines(source, ("deadlines",), process.deadlines))
    for si, step in enumerate(process.steps):
        out += _deadlines(source, ("steps", si, "deadlines"), step.deadlines)
    return out


#: Kind → its entities' problems, kept by (entity, source); in the order the checks always gave them.
_MEMOS: dict[str, ByIdentities[list[Problem]]] = {
    kind: ByIdentities(compute)
    for kind, compute in (("role", _role), ("unit", _unit), ("competency", _competency), ("policy", _policy),
                          ("process", _process))
}


def _at(source: Source, path: FieldPath, code: ProblemCode, args: dict[str, str] | None = None,
        severity: Severity = Severity.ERROR) -> Problem:
    pos = source.pos(path)
    return Problem(source.rel, pos.line, pos.col, dotted(path), code, args or {}, severity)


def _kpi(source: Source, path: FieldPath, kpi: KPI) -> Iterator[Problem]:
    if kpi.target is None and not kpi.set_by and not kpi.standard:
        # Only a target that says who will set it, or a standard in words, may be left out;
        # a forgotten one is still missing.
        pos = source.pos(path)
        yield Problem(source.rel, pos.line, pos.col, dotted((*path, "target")), "missing", {"key": "target"})
    if kpi.target is not None and kpi.comparator is None:
        yield _at(source, (*path, "target"), "target_needs_comparator", {"target": number(kpi.target)})
    if kpi.target is not None and not kpi.unit:
        yield _at(source, (*path, "target"), "target_needs_unit", {"target": number(kpi.target)})
    if kpi.target is not None and kpi.set_by:
        # The page shows the target; who sets it would vanish without a word.
        yield _at(source, (*path, "set_by"), "target_and_set_by", {"target": number(kpi.target), "set_by": kpi.set_by})
    if kpi.target is None and kpi.seasons:
        yield _at(source, (*path, "seasons"), "seasons_need_target")
    taken: dict[int, int] = {}
    for s, season in enumerate(kpi.seasons):
        if not season.months and not season.name:
            yield _at(source, (*path, "seasons", s), "season_unnamed")
        months = _months(season.months)
        clash = sorted(m for m in months if m in taken)
        if clash:
            other = kpi.seasons[taken[clash[0]]].months or ""
            args = {"months": season.months or "", "other": other, "clash": listed(str(m) for m in clash)}
            yield _at(source, (*path, "seasons", s, "months"), "seasons_overlap", args)
        taken.update({m: s for m in months if m not in taken})
    for k, cons in enumerate(kpi.consequences):
        yield from check_consequence(source, (*path, "consequences", k), cons)
    yield from _ladder(source, (*path, "consequences"), kpi.consequences)


def _months(months: str | None) -> list[int]:
    """The months of ``11-12`` or ``7``; ``11-2`` runs over the new year."""
    if not months:
        return []
    first, _, last = months.partition("-")
    a, b = int(first), int(last or first)
    return list(range(a, b + 1)) if a <= b else [*range(a, 13), *range(1, b + 1)]


def _ladder(source: Source, path: FieldPath, consequences: list[Consequence]) -> Iterator[Problem]:
    """The rungs of an occurrence ladder (第 1 次, 第 2 次, 第 3 次起) in order, "onward" last; one rung
    may carry several consequences (扣 50 元 and 批评警告 from the 3rd time on), each kind once."""
    last: dict[tuple[str, str | None], tuple[int, bool, set[str]]] = {}
    for k, cons in enumerate(consequences):
        rung = cons.occurrence
        if rung is None:
            continue
        ladder = (cons.effect, rung.within)
        if ladder not in last:
            last[ladder] = (rung.nth, rung.onward, {cons.type})
            continue
        nth, onward, types = last[ladder]
        code: ProblemCode | None = None
        if rung.nth == nth and rung.onward == onward:
            code = "ladder_repeated" if cons.type in types else None
            types.add(cons.type)
        elif onward:
            code = "ladder_after_onward"
        elif rung.nth <= nth:
            code = "ladder_out_of_order" if rung.nth < nth else "ladder_repeated"
        else:
            last[ladder] = (rung.nth, rung.onward, {cons.type})
        if code is not None:
            yield _at(source, (*path, k, "occurrence", "nth"), code, {"nth": str(rung.nth), "last": str(nth)})


def _variants(source: Source, role: Role) -> Iterator[Problem]:
    """Each variant's own KPIs and duties obey the role's rules; ids are unique; a variant changes something."""
    seen: set[str] = set()
    for v, variant in enumerate(role.variants):
        at: FieldPath = ("variants", v)
        if variant.id in seen:
            yield _at(source, (*at, "id"), "variant_duplicate", {"id": variant.id})
        seen.add(variant.id)
        if not variant.parts():
            yield _at(source, at, "variant_empty", {"name": variant.name}, Severity.WARNING)
        # The fields a variant may give come from fields.yaml, so they are read by name.
        kpis: list[KPI] = getattr(variant, "kpis", None) or []
        for i, kpi in enumerate(kpis):
            yield from _kpi(source, (*at, "kpis", i), kpi)
        yield from _weights(source, kpis, at)
        yield from _duty_weights(source, getattr(variant, "duties", None) or [], at)
    yield from _variant_headcounts(source, role)


def _variant_headcounts(source: Source, role: Role) -> Iterator[Problem]:
    """A role's headcount is the total of its variants' (a headcount sheet splits the role's number by
    branch or grade): their sum may not exceed it, and must equal it when every variant gives one."""
    if role.headcount is None or not role.variants:
        return
    for name in ("current", "planned"):
        total = getattr(role.headcount, name)
        given = [(v, getattr(getattr(var, "headcount", None), name, None)) for v, var in enumerate(role.variants)]
        numbers = [(v, n) for v, n in given if n is not None]
        if total is None or not numbers:
            continue
        added = sum(n for _, n in numbers)
        args = {"sum": str(added), "total": str(total), "field": f"headcount.{name}"}
        if added > total:
            yield _at(source, ("headcount", name), "variant_headcount_over", args)
        elif len(numbers) == len(given) and added != total:
            yield _at(source, ("headcount", name), "variant_headcount_sum", args)


def _weights(source: Source, kpis: list[KPI], prefix: FieldPath = ()) -> Iterator[Problem]:
    weighted = [(i, k.weight) for i, k in enumerate(kpis) if k.weight is not None]
    if not weighted:
        return
    total = sum(w for _, w in weighted)
    if abs(total - 100) > 1e-9:
        first = weighted[0][0]
        args = {"total": number(total), "gap": number(abs(100 - total)), "count": str(len(weighted))}
        code: ProblemCode = "weights_short" if total < 100 else "weights_over"
        yield _at(source, (*prefix, "kpis", first, "weight"), code, args)


def _shares(source: Source, path: FieldPath, shares: list[float | None], code_short: ProblemCode,
            code_over: ProblemCode, args: dict[str, str]) -> Iterator[Problem]:
    """Shares that, once any is given, must add up to 100: reported at the first one given."""
    given = [(i, w) for i, w in enumerate(shares) if w is not None]
    if not given:
        return
    total = sum(w for _, w in given)
    if abs(total - 100) > 1e-9:
        first = given[0][0]
        args = {**args, "total": number(total), "gap": number(abs(100 - total)), "count": str(len(given))}
        missing = len(shares) - len(given)
        args["missing"] = str(missing)
        yield _at(source, (*path, first, "weight"), code_short if total < 100 else code_over, args)


def _duty_weights(source: Source, duties: list[DutyArea], prefix: FieldPath = ()) -> Iterator[Problem]:
    """Duty areas' shares add up to 100 when given; so do the items' shares within one area."""
    yield from _shares(source, (*prefix, "duties"), [a.weight for a in duties], "duty_weights_short",
                       "duty_weights_over", {"area": ""})
    for a, area in enumerate(duties):
        yield from _shares(source, (*prefix, "duties", a, "items"), [item.weight for item in area.items],
                           "item_weights_short", "item_weights_over", {"area": area.area})


def check_consequence(source: Source, path: FieldPath, cons: Consequence) -> Iterator[Problem]:
    if cons.type in COUNTED and not cons.amount:
        code: ProblemCode = "amount_zero" if cons.amount == 0 else "amount_required"
        yield _at(source, (*path, "amount") if cons.amount == 0 else path, code, {"type": cons.type})
    if cons.type == "other" and not cons.what:
        yield _at(source, path, "other_needs_what")
    if cons.minimum is not None and cons.maximum is not None and cons.minimum > cons.maximum:
        args = {"min": number(cons.minimum), "max": number(cons.maximum)}
        yield _at(source, (*path, "maximum"), "amount_min_over_max", args)
    if (cons.minimum is not None or cons.maximum is not None) and cons.type not in COUNTED:
        yield _at(source, (*path, "maximum" if cons.maximum is not None else "minimum"), "limit_needs_amount",
                  {"type": cons.type})
    if cons.points and cons.type != "points":
        # A warning: the page still shows the name beside the outcome, so nothing typed is lost.
        yield _at(source, (*path, "points"), "points_name_needs_points", {"points": cons.points, "type": cons.type},
                  Severity.WARNING)
    if cons.rank and cons.rank.first > cons.rank.last:
        args = {"first": str(cons.rank.first), "last": str(cons.rank.last)}
        yield _at(source, (*path, "rank"), "rank_reversed", args)


def _deadlines(source: Source, path: FieldPath, deadlines: list[Deadline]) -> Iterator[Problem]:
    for i, d in enumerate(deadlines):
        if d.before is None and d.every is None and d.weekday is None and d.day is None and d.time is None:
            yield _at(source, (*path, i), "deadline_empty")
        if d.weekday and d.day:
            yield _at(source, (*path, i, "day"), "deadline_weekday_and_day", {"weekday": d.weekday, "day": str(d.day)})
        if d.before is not None and d.before_max is not None and d.before_max < d.before:
            args = {"min": str(d.before), "max": str(d.before_max)}
            yield _at(source, (*path, i, "before_max"), "min_over_max", args)
        if d.before is not None and (d.every or d.weekday or d.day):
            yield _at(source, (*path, i, "before"), "deadline_before_and_every")
