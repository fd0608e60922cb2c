"""Assessments as pages show them: the score sheet as a table, the rules on the total in words, and
which assessments a role takes part in (named for it, for its unit or a unit above, its processes or policies)."""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model.entities import Assessment, ScoreRule
from . import formatting
from .sections import Special
from .writer import Named, named


@dataclass(frozen=True)
class ScoreRow:
    """One scored item: name, weight or points, who scores it, how, how often, and its standard."""

    name: str
    share: str | None
    scorer: Named | None
    method: str | None
    period: str | None
    standard: str | None


@dataclass(frozen=True)
class ScoreSheet:
    """An assessment's items, and its full score in words."""

    rows: tuple[ScoreRow, ...]
    total: str

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns some item fills (a sheet with no methods has no method column)."""
        names = ("share", "scorer", "method", "period", "standard")
        return tuple(n for n in names if any(getattr(row, n) is not None for row in self.rows))

    def __bool__(self) -> bool:
        return bool(self.rows)


def score_sheet(hb: Handbook, locale: Locale, a: Assessment) -> ScoreSheet:
    rows = []
    for item in a.items:
        share = f"{formatting.number(item.weight)}%" if item.weight is not None else None
        if item.points is not None:
            share = locale.label("score_points").format(n=formatting.number(item.points))
        rows.append(ScoreRow(
            name=item.name,
            share=share,
            scorer=named(hb, "role", item.scorer) if item.scorer else None,
            method=item.method,
            period=locale.label(f"every_{item.period}") if item.period else None,
            standard=item.standard,
        ))
    return ScoreSheet(tuple(rows), locale.label("score_total").format(n=formatting.number(a.total)))


def score_rule(rule: ScoreRule, locale: Locale) -> str:
    """``总分低于 85 分：取消当月评优资格``."""
    if rule.below is not None:
        bound = locale.label("score_below").format(n=formatting.number(rule.below))
    else:
        bound = locale.label("score_at_least").format(n=formatting.number(rule.at_least or 0))
    outcomes = locale.label("item_sep").join(formatting.consequence(c, locale) for c in rule.consequences)
    return f"{bound}{locale.label('colon')}{outcomes}"


def specials(hb: Handbook, locale: Locale, a: Assessment) -> dict[str, Special]:
    """The assessment page's fields with a layout of their own."""
    return {
        "items": lambda: score_sheet(hb, locale, a),
        "rules": lambda: tuple(score_rule(r, locale) for r in a.rules),
    }


def of_role(hb: Handbook, role_id: str) -> tuple[Named, ...]:
    """The assessments a role takes part in, in file order: named for it, for its unit or one above,
    for a process it takes part in or a policy it follows."""
    role = hb.roles[role_id]
    units = {role.unit, *hb.ancestors(role.unit)}
    processes = {pid for pid, _ in hb.role_processes.get(role_id, [])}
    policies = {p.partition("#")[0] for p in role.policies}
    out = []
    for a in hb.table("assessment").values():
        if not isinstance(a, Assessment):
            continue
        if (role_id in a.applies_to.roles or units & set(a.applies_to.units) or processes & set(a.processes)
                or policies & {p.partition("#")[0] for p in a.policies}):
            out.append(named(hb, "assessment", a.id))
    return tuple(out)
