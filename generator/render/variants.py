"""A role's variants on its page and PDF: for each, the parts it gives its own, as lines of text.

The lines are read off the variant's own view (``views.role_view`` with the variant), handed in
as ``view`` so that this module needs nothing of ``views``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Locale
from ..link.completeness import SECTION_LABELS
from ..link.handbook import Handbook
from ..model.entities import Role
from .writer import NOT_TEXT, Named

#: ``views.role_view``: the view of a role as one of its variants reads it.
ViewOf = Callable[[Handbook, Locale, str, str], Any]


@dataclass(frozen=True)
class VariantPart:
    """One part a variant gives its own, as lines of text (references as ``[[kind:id]]``)."""

    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class VariantView:
    """A role's variant on the role's page and PDF: what differs, and its own PDF."""

    id: str = field(metadata=NOT_TEXT)
    name: str
    parts: tuple[VariantPart, ...]
    pdf: str = field(metadata=NOT_TEXT)
    """File name of the variant's own job description, beside the role's (``<role>.<variant>.pdf``)."""




def _named_ref(n: Named) -> str:
    return f"[[{n.kind}:{n.id}]]"


def variant_view(hb: Handbook, locale: Locale, role: Role, variant_id: str, view: ViewOf) -> VariantView:
    """What ``variant_id`` changes, part by part, read off the variant's own view."""
    chosen = role.variant(variant_id)
    assert chosen is not None
    own = view(hb, locale, role.id, variant_id)
    sep, colon = locale.label("list_sep"), locale.label("colon")
    lines: dict[str, tuple[str, ...]] = {
        "summary": (own.summary,),
        "headcount": (own.headcount,),
        "duties": tuple(
            f"{a.area}{colon}" + sep.join(f"{i} {t}".strip() for i, t in zip(a.items, a.timing, strict=True))
            for a in own.duties
        ),
        "authority": own.authority,
        "kpis": tuple(f"{k.metric}{colon}{k.target}" + (f"{sep}{k.weight}" if k.weight else "") for k in own.kpis),
        "competencies": tuple(f"{_named_ref(c.competency)}{colon}{c.level}" for c in own.competencies),
        "environment": (own.environment or "",),
        "hours": (own.hours or "",),
    }
    if own.qualifications:
        q = own.qualifications
        given = (q.education, q.major, q.experience_years, q.experience, *q.skills, *q.certificates_required)
        lines["qualifications"] = tuple(t for t in given if t)
    if own.relationships:
        contacts = (*own.relationships.internal, *own.relationships.external)
        lines["relationships"] = tuple(
            (_named_ref(c.who) if isinstance(c.who, Named) else c.who) + (f"{colon}{c.about}" if c.about else "")
            for c in contacts
        )
    parts = tuple(VariantPart(locale.label(SECTION_LABELS[p]), lines.get(p, ())) for p in chosen.parts())
    return VariantView(chosen.id, chosen.name, parts, f"{role.id}.{chosen.id}.pdf")


