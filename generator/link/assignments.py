"""Who answers for what: one A per process (its owner), a due day inside its period for every
checklist item, each item once in a new hire's checklist (an owner that does not exist is a
reference problem, see ``check``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

from ..load.codes import ProblemCode
from ..load.problems import Problem, Severity
from ..load.source import FieldPath, Source, dotted
from ..memo import ByIdentities
from ..model.entities import Process, Role, Unit
from ..model.entities.base import OnboardingStep
from . import raci
from .handbook import Handbook

#: First and last day (counted from the first day = 1) each ``when`` unit covers: 第2周 = days 8–14.
_SPAN = {"天": 1, "周": 7, "月": 30}


def _at(source: Source, path: FieldPath, code: ProblemCode, args: dict[str, str]) -> Problem:
    pos = source.pos(path)
    return Problem(source.rel, pos.line, pos.col, dotted(path), code, args, Severity.ERROR)


def window(when: str) -> tuple[int, int]:
    """The days ``when`` (第N天 / 第N周 / 第N月) covers, e.g. 第1周 → (1, 7), 第2周 → (8, 14)."""
    number, unit = int(when[1:-1]), when[-1]
    span = _SPAN[unit]
    return (number - 1) * span + 1, number * span


def check(hb: Handbook) -> list[Problem]:
    """Processes with a second A or an owner who only looks on; checklist items due outside their
    ``when`` (an owner that does not exist is a reference problem, see ``check``).

    Kept per entity by the objects each answer reads (:class:`~..memo.ByIdentities`): the
    process and its file; a role or unit, its file and the units above it.
    """
    _PROCESS.new_run()
    _ONBOARDING.new_run()
    problems: list[Problem] = []
    for process in hb.processes.values():
        problems += _PROCESS(process, hb.source_of("process", process.id))
    for kind, table in (("role", hb.roles), ("unit", hb.units)):
        for entity in table.values():
            assert isinstance(entity, (Role, Unit))
            unit = entity.unit if isinstance(entity, Role) else entity.parent
            problems += _ONBOARDING(entity, hb.source_of(kind, entity.id), hb.above(unit or ""))
    return problems


def _process(process: Process, source: Source) -> list[Problem]:
    problems: list[Problem] = []
    for i, role in raci.second_accountable(process):
        args = {"role": role, "owner": process.owner}
        problems.append(_at(source, ("participants", i, "part"), "raci_second_a", args))
    for i, part in raci.owner_demoted(process):
        args = {"owner": process.owner, "part": part}
        problems.append(_at(source, ("participants", i, "part"), "raci_owner_part", args))
    return problems


def _onboarding(entity: Role | Unit, source: Source, above: tuple[object, ...]) -> list[Problem]:
    """``above``: the entity's unit (a unit's parent) and the units above that, nearest first, each
    followed by its file (:meth:`Handbook.above`)."""
    return [*_steps(source, entity.onboarding), *_repeated(source, entity, cast(tuple[Unit, ...], above[::2]))]


_PROCESS: ByIdentities[list[Problem]] = ByIdentities(_process)
_ONBOARDING: ByIdentities[list[Problem]] = ByIdentities(_onboarding)


def _same(step: OnboardingStep) -> str:
    """What makes two steps one task: the clause or page they link to, else their text."""
    return step.ref or step.text


def _repeated(source: Source, entity: Role | Unit, above: tuple[Unit, ...]) -> Iterator[Problem]:
    """A step that the new hire's checklist already has: an earlier step of the same entry, or a
    step of a unit above it (the checklist gathers the role's, its unit's and every unit's above)."""
    known: dict[str, str] = {}
    for unit in reversed(above):
        for step in unit.onboarding:
            known.setdefault(_same(step), unit.name)
    for i, step in enumerate(entity.onboarding):
        where = known.get(_same(step))
        if where is not None:
            args = {"where": where, "what": step.ref or step.text}
            yield Problem(*_place(source, i), "onboarding_duplicate", args, Severity.WARNING)
        known.setdefault(_same(step), entity.name if isinstance(entity, Unit) else entity.title)


def _place(source: Source, i: int) -> tuple[str, int, int, str]:
    path: FieldPath = ("onboarding", i)
    pos = source.pos(path)
    return source.rel, pos.line, pos.col, dotted(path)


def _steps(source: Source, steps: list[OnboardingStep]) -> Iterator[Problem]:
    for i, step in enumerate(steps):
        if step.day is not None:
            first, last = window(step.when)
            if not first <= step.day <= last:
                args = {"day": str(step.day), "when": step.when, "first": str(first), "last": str(last)}
                yield _at(source, ("onboarding", i, "day"), "onboarding_day_outside", args)
