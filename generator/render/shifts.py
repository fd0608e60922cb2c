"""Shifts and rotas in words: a shift's time (across midnight as 次日), a role's shifts and working
hours, and a unit's shifts and rotas as the unit page and its book show them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import Locale
from ..link.handbook import Handbook
from ..link.shifts import day_runs, shifts_for
from ..model.entities import Role, Unit
from ..model.entities.shift import Rota, RotaStaff, Shift
from .formatting import clock_span
from .writer import NOT_TEXT, Named, display_name


def shift_line(shift: Shift, locale: Locale) -> str:
    """``大夜 00:00–08:00（夜班）``: the name and time, and the kind when the shift is not worked by day."""
    line = locale.label("shift_line").format(name=shift.name, start=shift.start,
                                             end=clock_span(shift.start, shift.end, locale).partition("–")[2])
    if shift.kind != "day":
        line += f"{locale.label('paren_open')}{locale.label(f'shift_kind_{shift.kind}')}{locale.label('paren_close')}"
    return line


def role_shifts(hb: Handbook, locale: Locale, role: Role) -> tuple[str, ...]:
    """The shifts a role works, each with its time; an id no unit defines as typed (validation names it)."""
    known = shifts_for(hb, role.unit)
    return tuple(shift_line(known[s], locale) if s in known else s for s in role.shifts)


def shift_hours(hb: Handbook, locale: Locale, role: Role) -> str | None:
    """The role's working hours from its shifts (``按班次轮班：白班、小夜、大夜``), not its unit's whole day."""
    if not role.shifts:
        return None
    known = shifts_for(hb, role.unit)
    names = [known[s].name if s in known else s for s in role.shifts]
    return locale.label("jd_hours_shifts").format(shifts=locale.label("list_sep").join(names))


@dataclass(frozen=True)
class ShiftRow:
    """One shift of a unit's table: name, time in words, kind."""

    name: str
    time: str
    kind: str
    note: str | None


@dataclass(frozen=True)
class RotaRow:
    """One slot of a rota: the shift, the days (or weeks) of the cycle, who works it."""

    shift: str
    when: str
    staff: tuple[str, ...]


@dataclass(frozen=True)
class RotaView:
    """A rota as its unit's page shows it."""

    id: str = field(metadata=NOT_TEXT)
    name: str
    cycle: str
    roles: tuple[Named, ...]
    rows: tuple[RotaRow, ...]
    rules: tuple[str, ...]
    note: str | None


def unit_shifts(locale: Locale, unit: Unit) -> tuple[ShiftRow, ...]:
    """A unit's own shifts, in the order HR wrote them."""
    return tuple(ShiftRow(s.name, clock_span(s.start, s.end, locale), locale.label(f"shift_kind_{s.kind}"), s.note)
                 for s in unit.shifts)


def unit_rotas(hb: Handbook, locale: Locale, unit: Unit) -> tuple[RotaView, ...]:
    """A unit's rotas: cycle, roles, each slot and each rule in words."""
    known = shifts_for(hb, unit.id)
    return tuple(_rota(hb, locale, rota, known) for rota in unit.rotas)


def _rota(hb: Handbook, locale: Locale, rota: Rota, known: dict[str, Shift]) -> RotaView:
    sep = locale.label("list_sep")
    rows = []
    for slot in rota.pattern:
        shift = known.get(slot.shift)
        when = (locale.label(f"rota_at_{rota.cycle_unit}").format(days=day_runs(slot.at, sep))
                if slot.at else locale.label(f"rota_every_{rota.cycle_unit}"))
        rows.append(RotaRow(shift_line(shift, locale) if shift else slot.shift, when,
                            tuple(_staff(hb, locale, s) for s in slot.staff)))
    rules = []
    for rule in rota.rules:
        if rule.shift:
            target = known[rule.shift].name if rule.shift in known else rule.shift
        else:
            kind = locale.label(f"shift_kind_{rule.kind or 'day'}")
            target = locale.label("rota_rule_kind").format(kind=kind)
        rules.append(locale.label("rota_rule_value").format(
            text=rule.text, shifts=target, n=rule.count, grade=_name(hb, "grade", rule.min_grade)))
    return RotaView(
        id=rota.id,
        name=rota.name,
        cycle=locale.label(f"rota_cycle_{rota.cycle_unit}").format(n=rota.cycle),
        roles=tuple(Named("role", r, _name(hb, "role", r)) for r in rota.roles),
        rows=tuple(rows),
        rules=tuple(rules),
        note=rota.note,
    )


def _name(hb: Handbook, kind: str, ident: str) -> str:
    entity = hb.get(kind, ident)
    return display_name(entity) if entity else ident


def _staff(hb: Handbook, locale: Locale, staff: RotaStaff) -> str:
    # A space between grade and role in every language: N1 病区护士.
    who = " ".join(
        _name(hb, kind, ident) for kind, ident in (("grade", staff.grade), ("role", staff.role)) if ident
    )
    return locale.label("rota_staff_value").format(who=who, n=staff.count)


def role_rotas(hb: Handbook, locale: Locale, role_id: str) -> tuple[str, ...]:
    """The rotas a role is on (named in a rota's roles or a slot's staff), each a link to it on its
    unit's page with its cycle: ``[[unit:ward-a#rota-nurse-rota|病区护士排班]]（7 天一循环）``."""
    out = []
    for unit in hb.units.values():
        for rota in unit.rotas:
            if role_id in rota.roles or any(s.role == role_id for slot in rota.pattern for s in slot.staff):
                cycle = locale.label(f"rota_cycle_{rota.cycle_unit}").format(n=rota.cycle)
                # The name is the link's label: the reference syntax's own brackets and bar cannot be in it.
                label = rota.name.replace("]", "").replace("|", "")
                out.append(f"[[unit:{unit.id}#rota-{rota.id}|{label}]]"
                           f"{locale.label('paren_open')}{cycle}{locale.label('paren_close')}")
    return tuple(out)
