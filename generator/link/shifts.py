"""Checks of shifts and rotas: times that cross midnight the right way, shifts that do not overlap,
shift ids that exist where they are named, and rotas that keep their own rules by grade."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

from ..i18n import listed
from ..load.codes import ProblemCode
from ..load.hints import nearest
from ..load.problems import Problem, Severity
from ..load.source import FieldPath, Source, dotted
from ..memo import ByIdentities
from ..model.entities import Role, Unit
from ..model.entities.shift import Rota, RotaRule, RotaSlot, Shift
from .handbook import Handbook

DAY = 24 * 60
NOON = 12 * 60


def minutes(clock: str) -> int:
    """``"08:45"`` → 525; ``"24:00"`` → 1440."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def span(start: str, end: str) -> tuple[int, int] | None:
    """The minutes a block covers from the start of its first day (an end past 1440 is the next day), or
    None when the times cannot be meant: an end not after the start, unless the block crosses midnight,
    which a block does only from the afternoon or evening into the morning (22:00–06:00). A slip such
    as 09:00–08:00 is then still caught."""
    s, e = minutes(start), minutes(end)
    if e > s:
        return s, e
    if s >= NOON and e <= NOON and e != s:
        return s, e + DAY
    return None


def shifts_for(hb: Handbook, unit_id: str) -> dict[str, Shift]:
    """The shifts a role of ``unit_id`` may work: its unit's, then those of the units above it."""
    found: dict[str, Shift] = {}
    for uid in (unit_id, *hb.ancestors(unit_id)):
        unit = hb.units.get(uid)
        for shift in unit.shifts if unit else []:
            found.setdefault(shift.id, shift)
    return found


def clock_range(start: str, end: str) -> str:
    """``22:00–06:00`` as typed, for messages."""
    return f"{start}–{end}"


def check_shifts(hb: Handbook) -> Iterator[Problem]:
    """Every problem of shifts, rotas and the shifts roles name."""
    for unit in hb.units.values():
        source = hb.source_of("unit", unit.id)
        yield from _unit_shifts(source, unit)
        known = shifts_for(hb, unit.id)
        for r, rota in enumerate(unit.rotas):
            yield from _rota(hb, source, ("rotas", r), rota, known, unit.name)
    _ROLE.new_run()
    for role in hb.roles.values():
        # Kept by the objects read: the role, its file, its unit and the units above (their shifts).
        yield from _ROLE(role, hb.source_of("role", role.id), hb.above(role.unit))


def _role(role: Role, source: Source, places: tuple[object, ...]) -> list[Problem]:
    """A role's shift ids against the shifts of its unit (if known) and the units above it, each
    followed by its file in ``places`` (:meth:`Handbook.above`)."""
    above = cast(tuple[Unit, ...], places[::2])
    known: dict[str, Shift] = {}
    for unit in above:
        for shift in unit.shifts:
            known.setdefault(shift.id, shift)
    home = above[0] if above and above[0].id == role.unit else None
    name = home.name if home else role.unit
    out = list(_named(source, ("shifts",), role.shifts, known, name))
    for v, variant in enumerate(role.variants):
        # The fields a variant may give come from fields.yaml, so they are read by name.
        out += _named(source, ("variants", v, "shifts"), getattr(variant, "shifts", None) or [], known, name)
    return out


_ROLE: ByIdentities[list[Problem]] = ByIdentities(_role)


def _at(source: Source, path: FieldPath, code: ProblemCode, args: dict[str, str] | None = None,
        severity: Severity = Severity.ERROR) -> Problem:
    pos = source.pos(path)
    return Problem(source.rel, pos.line, pos.col, dotted(path), code, args or {}, severity)


def _unit_shifts(source: Source, unit: Unit) -> Iterator[Problem]:
    seen: set[str] = set()
    placed: list[tuple[Shift, tuple[int, int]]] = []
    for i, shift in enumerate(unit.shifts):
        if shift.id in seen:
            yield _at(source, ("shifts", i, "id"), "shift_duplicate", {"id": shift.id})
        seen.add(shift.id)
        covered = span(shift.start, shift.end)
        if covered is None:
            yield _at(source, ("shifts", i, "end"), "end_before_start", {"start": shift.start, "end": shift.end})
            continue
        if shift.kind == "on-call":  # on call beside a shift worked on site is the point of it
            continue
        for other, other_span in placed:
            if _overlap(covered, other_span):
                args = {"a": shift.name, "a_time": clock_range(shift.start, shift.end),
                        "b": other.name, "b_time": clock_range(other.start, other.end)}
                yield _at(source, ("shifts", i, "start"), "shift_overlap", args)
                break
        placed.append((shift, covered))


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # A shift past midnight meets the next day's early ones: compare each a day apart as well.
    return any(max(a[0], b[0] + d) < min(a[1], b[1] + d) for d in (-DAY, 0, DAY))


def _named(source: Source, path: FieldPath, ids: list[str], known: dict[str, Shift], unit: str) -> Iterator[Problem]:
    for k, ident in enumerate(ids):
        if ident not in known:
            yield _unknown(source, (*path, k), ident, known, unit)


def _unknown(source: Source, path: FieldPath, ident: str, known: dict[str, Shift], unit: str) -> Problem:
    if not known:
        return _at(source, path, "shift_unknown_none", {"value": ident, "unit": unit})
    shown = listed(known)
    suggestion = nearest(ident, known) or next(iter(known))
    return _at(source, path, "shift_unknown", {"value": ident, "known": shown, "suggestion": suggestion})


def _rota(hb: Handbook, source: Source, at: FieldPath, rota: Rota, known: dict[str, Shift],
          unit: str) -> Iterator[Problem]:
    for i, slot in enumerate(rota.pattern):
        here: FieldPath = (*at, "pattern", i)
        if slot.shift not in known:
            yield _unknown(source, (*here, "shift"), slot.shift, known, unit)
        for k, day in enumerate(slot.at):
            if not 1 <= day <= rota.cycle:
                yield _at(source, (*here, "at", k), "rota_at_outside",
                          {"at": str(day), "cycle": str(rota.cycle)})
        for s, staff in enumerate(slot.staff):
            if staff.role is None and staff.grade is None:
                yield _at(source, (*here, "staff", s), "rota_staff_who")
            elif staff.role and rota.roles and staff.role not in rota.roles:
                yield _at(source, (*here, "staff", s, "role"), "rota_staff_not_on_rota",
                          {"role": staff.role, "rota": rota.name})
            elif staff.role and slot.shift in known and not _works(hb.roles.get(staff.role), slot.shift):
                yield _at(source, (*here, "staff", s, "role"), "rota_shift_not_worked",
                          {"role": staff.role, "shift": known[slot.shift].name, "id": slot.shift})
    for j, rule in enumerate(rota.rules):
        if (rule.kind is None) == (rule.shift is None):
            yield _at(source, (*at, "rules", j), "rota_rule_target", {"rule": rule.text})
            continue
        if rule.shift is not None and rule.shift not in known:
            yield _unknown(source, (*at, "rules", j, "shift"), rule.shift, known, unit)
            continue
        yield from _kept(hb, source, at, rota, rule, known)


def _works(role: Role | None, shift: str) -> bool:
    """Whether the role (or one of its variants) works ``shift``; a role that names no shifts may work any."""
    if role is None or not role.shifts:
        return True
    # The fields a variant may give come from fields.yaml, so they are read by name.
    return shift in role.shifts or any(shift in (getattr(v, "shifts", None) or []) for v in role.variants)


def _kept(hb: Handbook, source: Source, at: FieldPath, rota: Rota, rule: RotaRule,
          known: dict[str, Shift]) -> Iterator[Problem]:
    """Each slot of the shifts ``rule`` covers holds enough people of its lowest grade or above."""
    floor = _rank(hb, rule.min_grade)
    if floor is None:
        return  # an unknown grade is reported where it is named, by the reference check
    for i, slot in enumerate(rota.pattern):
        shift = known.get(slot.shift)
        if shift is None or not (rule.shift == shift.id or rule.kind == shift.kind):
            continue
        senior = sum(s.count for s in slot.staff if (_staff_rank(hb, s.grade, s.role) or 0) >= floor)
        if senior < rule.count:
            grade = hb.get("grade", rule.min_grade)
            args = {"rota": rota.name, "shift": shift.name, "days": _days(slot, rota.cycle), "count": str(rule.count),
                    "grade": getattr(grade, "name", rule.min_grade), "grade_id": rule.min_grade, "rule": rule.text}
            path: FieldPath = (*at, "pattern", i, "staff") if slot.staff else (*at, "pattern", i)
            yield _at(source, path, "rota_rule_broken", args)


def _days(slot: RotaSlot, cycle: int) -> str:
    return day_runs(slot.at or range(1, cycle + 1), ", ")


def day_runs(days: Iterable[int], sep: str) -> str:
    """``1–5``, ``1–3, 6``: days of a cycle as runs."""
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return sep.join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _rank(hb: Handbook, grade_id: str | None) -> int | None:
    grade = hb.get("grade", grade_id) if grade_id else None
    rank = getattr(grade, "rank", None)
    return rank if isinstance(rank, int) else None


def _staff_rank(hb: Handbook, grade_id: str | None, role_id: str | None) -> int | None:
    """A slot's people's grade: the one written, else their role's."""
    if grade_id:
        return _rank(hb, grade_id)
    role = hb.roles.get(role_id or "")
    return _rank(hb, role.grade) if isinstance(role, Role) else None
