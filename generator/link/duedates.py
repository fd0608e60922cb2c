"""Dates that run out: a 特殊工时 approval near or past its expiry, a job description past its review
date. Warnings for ``validate``, and the rows the completeness page lists for HR."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..load.codes import ProblemCode
from ..load.problems import Problem, Severity
from ..model.entities import Role
from .handbook import Handbook

#: Warn this many days before a 特殊工时 approval expires (a renewal takes the labour bureau weeks).
EXPIRY_NOTICE_DAYS = 60

#: Today, read once per check; tests replace it to check the edges.
today: Callable[[], dt.date] = dt.date.today


@dataclass(frozen=True)
class Due:
    """One role with a date that has run out or soon will."""

    role: str
    what: str
    """``special_hours`` (its approval expires) or ``review_by`` (its review is overdue)."""
    date: dt.date
    days: int
    """Days from today to ``date``: negative when past."""
    owner: str | None = None


    @property
    def code(self) -> ProblemCode:
        """The problem code that words it (validate's warning, the page's notice)."""
        if self.what == "review_by":
            return "review_overdue"
        return "special_hours_expired" if self.days < 0 else "special_hours_expiring"

    def args(self, hb: Handbook) -> dict[str, str]:
        """The code's placeholders; the owner by its title (and id), as HR knows the role."""
        owner = hb.roles.get(self.owner or "")
        who = f"{owner.title} ({self.owner})" if owner is not None else self.owner or "—"
        return {"date": self.date.isoformat(), "days": str(abs(self.days)), "owner": who}


def role_due(rid: str, role: Role, on: dt.date | None = None) -> list[Due]:
    """What has run out, or soon will, for one role."""
    now = on or today()
    out = []
    hours = role.special_hours
    if hours is not None and hours.expires is not None:
        days = (hours.expires - now).days
        if days <= EXPIRY_NOTICE_DAYS:
            out.append(Due(rid, "special_hours", hours.expires, days))
    review = role.review_by
    if review is not None and review.date < now:
        out.append(Due(rid, "review_by", review.date, (review.date - now).days, review.owner))
    return out


def due(hb: Handbook, on: dt.date | None = None) -> list[Due]:
    """Every approval expiring within :data:`EXPIRY_NOTICE_DAYS` (or expired) and every overdue review."""
    now = on or today()
    return [d for rid, role in hb.roles.items() for d in role_due(rid, role, now)]


def check(hb: Handbook) -> Iterator[Problem]:
    """``validate``'s warnings for :func:`due`, at the date that ran out."""
    for d in due(hb):
        source = hb.source_of("role", d.role)
        path = ("special_hours", "expires") if d.what == "special_hours" else ("review_by", "date")
        pos = source.pos(path)
        yield Problem(source.rel, pos.line, pos.col, ".".join(path), d.code, d.args(hb), Severity.WARNING)
