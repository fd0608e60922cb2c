"""A role's variants on its page and PDF: for each, the sections it gives its own, laid out as the role's.

The lines are read off the variant's own view (``views.role_view`` with the variant), handed in
as ``view`` so that this module needs nothing of ``views``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model.entities import Role
from .sections import SectionView
from .writer import NOT_TEXT

#: ``views.role_view``: the view of a role as one of its variants reads it.
ViewOf = Callable[[Handbook, Locale, str, str], Any]


@dataclass(frozen=True)
class VariantView:
    """A role's variant on the role's page and PDF: the sections it gives its own, and its own PDF."""

    id: str = field(metadata=NOT_TEXT)
    name: str
    sections: tuple[SectionView, ...]
    """The sections of the variant's own view, holding only the parts it gives its own (as the role lays them out)."""
    pdf: str = field(metadata=NOT_TEXT)
    """File name of the variant's own job description, beside the role's (``<role>.<variant>.pdf``)."""


def variant_view(hb: Handbook, locale: Locale, role: Role, variant_id: str, view: ViewOf) -> VariantView:
    """What ``variant_id`` changes, section by section, read off the variant's own view."""
    chosen = role.variant(variant_id)
    assert chosen is not None
    own = view(hb, locale, role.id, variant_id)
    parts = set(chosen.parts())
    sections = []
    for section in own.sections:
        kept = tuple(p for p in section.parts if p.name in parts)
        if kept:
            several = sum(1 for p in section.parts if p.label) > 1
            sections.append(dataclasses.replace(section, parts=kept, keep_labels=several))
    return VariantView(chosen.id, chosen.name, tuple(sections), f"{role.id}.{chosen.id}.pdf")
