"""Approval in order: who prepares, reviews and approves each job description (roles, resolved from the
role, its units and the company settings), the checks on the recorded approval, and whether a role
changed after it was approved (待重新审批, read from the release history)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import cast

from ..load.codes import ProblemCode
from ..load.problems import Problem, Severity
from ..load.source import FieldPath, Source
from ..memo import ByIdentities
from ..model.entities import Role, Unit
from ..model.fingerprint import content_hash
from .handbook import Handbook

STEPS = ("prepared", "reviewed", "approved")


def approvers(hb: Handbook, role: Role) -> dict[str, tuple[str, Source, FieldPath]]:
    """Step → (approver role id, the file that names it, the path there), nearest place first: the
    role, its unit and the units above, the company settings of the nearest company."""
    units: list[tuple[Unit, Source]] = []
    if role.unit in hb.units:
        units = [(hb.units[uid], hb.source_of("unit", uid)) for uid in (role.unit, *hb.ancestors(role.unit))]
    return _resolve(role, hb.source_of("role", role.id), units)


def _resolve(role: Role, source: Source, units: list[tuple[Unit, Source]]) -> dict[str, tuple[str, Source, FieldPath]]:
    out: dict[str, tuple[str, Source, FieldPath]] = {}
    places: list[tuple[object, Source, FieldPath]] = [(role.approvers, source, ("approvers",))]
    for unit, src in units:
        places.append((unit.approvers, src, ("approvers",)))
        if unit.company is not None:
            places.append((unit.company.approvers, src, ("company", "approvers")))
    for given, src, path in places:
        for step in STEPS:
            who = getattr(given, step, None) if given is not None else None
            if who and step not in out:
                out[step] = (who, src, (*path, step))
    return out


def approver_ids(hb: Handbook, role: Role) -> dict[str, str]:
    """Step → the approver's role id, as :func:`approvers` resolves it, without reading any file's
    positions (a page built from it then depends on the data only, not on comments in the YAML)."""
    out: dict[str, str] = {}
    places: list[object] = [role.approvers]
    if role.unit in hb.units:
        for uid in (role.unit, *hb.ancestors(role.unit)):
            unit = hb.units[uid]
            places += [unit.approvers, unit.company.approvers if unit.company is not None else None]
    for given in places:
        for step in STEPS:
            who = getattr(given, step, None) if given is not None else None
            if who and step not in out:
                out[step] = who
    return out


def check(hb: Handbook) -> Iterator[Problem]:
    """Dates in order, a reviewer who is not the preparer, an approver above the role.

    Each role's findings are kept by the objects they read (:class:`~..memo.ByIdentities`): the
    role and its file, the units above it with theirs, the roles above it.
    """
    _ROLE.new_run()
    said: set[tuple[str, FieldPath, str]] = set()  # a unit's setting is wrong once, not once per role
    roles = hb.roles
    for rid, role in roles.items():
        bosses = [roles[boss] for boss in hb.chain(rid)]
        for problem, once in _ROLE(role, hb.source_of("role", rid), hb.above(role.unit), *bosses):
            if once is not None:
                if once in said:
                    continue
                said.add(once)
            yield problem


Finding = tuple[Problem, tuple[str, FieldPath, str] | None]
"""A problem, with what makes it once-only when it is about a unit's setting (else None)."""


def _role_findings(role: Role, source: Source, places: tuple[object, ...], *bosses: Role) -> list[Finding]:
    """One role's findings from the objects :func:`check` gathers: the role, its file, its units up
    the tree each with its file (:meth:`Handbook.above`), the roles above it."""
    chain = [boss.id for boss in bosses]
    out: list[Finding] = []

    def at(path: FieldPath, code: ProblemCode, args: dict[str, str], src: Source = source) -> Problem:
        pos = src.pos(path)
        return Problem(src.rel, pos.line, pos.col, ".".join(str(p) for p in path), code, args, Severity.WARNING)

    signed = role.approval
    if signed is not None:
        dated = [(s, getattr(signed, s).date) for s in STEPS if getattr(signed, s) and getattr(signed, s).date]
        for (s1, d1), (s2, d2) in itertools.pairwise(dated):
            if d2 < d1:
                args = {"step": s2, "date": d2.isoformat(), "before": s1, "before_date": d1.isoformat()}
                out.append((at(("approval", s2, "date"), "approval_dates_order", args), None))
        if signed.prepared and signed.reviewed and signed.prepared.by == signed.reviewed.by:
            out.append((at(("approval", "reviewed", "by"), "approval_same_person", {"who": signed.reviewed.by}), None))
    units = [(cast(Unit, places[i]), cast(Source, places[i + 1])) for i in range(0, len(places), 2)]
    who = _resolve(role, source, units)
    if "prepared" in who and "reviewed" in who and who["prepared"][0] == who["reviewed"][0]:
        _rid, src, path = who["reviewed"]
        out.append((at(path, "approval_same_person", {"who": who["reviewed"][0]}, src), (src.rel, path, "same")))
    if "approved" in who and chain and who["approved"][0] not in chain:
        boss, src, path = who["approved"]
        out.append((at(path, "approver_not_above", {"approver": boss, "role": role.id}, src), None))
    return out


_ROLE: ByIdentities[list[Finding]] = ByIdentities(_role_findings)


def changed_since_approval(hb: Handbook, role: Role) -> dt.date | None:
    """The approval date of a role whose content now differs from what the last release on or before
    that date published (待重新审批); None when it is current, unapproved, or there is no history."""
    if role.approval is None or role.approval.approved is None or role.approval.approved.date is None:
        return None
    approved_on = role.approval.approved.date
    revisions = hb.revisions.get(("role", role.id), [])
    if not revisions:
        return None
    before = [r for r in revisions if r.date <= approved_on] or revisions[:1]
    entity = before[-1].entity
    if not isinstance(entity, Role):
        return None
    return approved_on if content_hash(entity) != content_hash(role) else None


def stale_problems(hb: Handbook) -> Iterator[Problem]:
    """``approval_stale`` warnings, for roles whose company settings say ``stale_approval: warn``."""
    for rid, role in hb.roles.items():
        settings = hb.company_of(role.unit) if role.unit in hb.units else None
        if settings is None or settings.stale_approval != "warn":
            continue
        approved_on = changed_since_approval(hb, role)
        if approved_on is not None:
            source = hb.source_of("role", rid)
            pos = source.pos(("approval", "approved", "date"))
            yield Problem(source.rel, pos.line, pos.col, "approval.approved.date", "approval_stale",
                          {"date": approved_on.isoformat()}, Severity.WARNING)
