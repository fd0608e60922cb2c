"""What HR has not written yet: the sections each role lacks, unit by unit, and the editorial notes.

A section is missing where the role's page and PDF show 待补充: it is empty and not marked
``n/a``. The completeness page and ``handbook validate --completeness`` both read this.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from ..i18n import Locale
from ..model import fields
from ..model.entities import Role
from .handbook import Handbook


def _counted() -> tuple[str, ...]:
    """The role fields ``fields.yaml`` marks ``complete``, in page order."""
    return tuple(
        name
        for section in fields.sections(Role)
        for name in section.fields
        if not name.startswith(fields.COMPUTED) and fields.declared(Role, name).complete
    )


#: The job description's fields HR is expected to fill, in page order.
ROLE_SECTIONS: tuple[str, ...] = _counted()

#: How to tell whether a computed fact of the page is there, for fields it stands in for
#: (``filled_by`` in fields.yaml): the processes a role takes part in fill 工作关系.
_COMPUTED_FILLS: dict[str, Callable[[Handbook, Role], bool]] = {
    "processes": lambda hb, role: bool(hb.role_processes.get(role.id)),
}


def label(field: str, locale: Locale) -> str:
    """The label a section's field shows under, in ``locale`` (page, PDF, reports)."""
    return fields.declared(Role, field).label_in(locale.lang)


def labels(locale: Locale) -> dict[str, str]:
    """Every counted field's label, for the completeness page."""
    return {name: label(name, locale) for name in ROLE_SECTIONS}


@dataclass(frozen=True)
class RoleGaps:
    """One role and the sections it lacks (not written, not ``n/a``)."""

    role: str
    missing: tuple[str, ...]
    not_applicable: tuple[str, ...]


@dataclass(frozen=True)
class UnitGaps:
    """The roles of one unit (not its sub-units) and how many lack each section."""

    unit: str
    roles: tuple[RoleGaps, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Section → roles of this unit lacking it, in page order, sections no role lacks left out."""
        found = Counter(section for gaps in self.roles for section in gaps.missing)
        return {section: found[section] for section in ROLE_SECTIONS if found[section]}


@dataclass(frozen=True)
class EditorNote:
    """An ``editor_note``: for HR only, never on a published page."""

    kind: str
    ident: str
    note: str


def _given(value: object) -> bool:
    """True when a value says something: a nested model counts when any of its fields does."""
    if isinstance(value, BaseModel):
        return any(_given(getattr(value, name)) for name in type(value).model_fields)
    return bool(value)


def _filled(hb: Handbook, role: Role, field: str) -> bool:
    if _given(getattr(role, field)):
        return True
    return any(_COMPUTED_FILLS[name](hb, role) for name in fields.declared(Role, field).filled_by)


def role_gaps(hb: Handbook, role_id: str) -> RoleGaps:
    """What ``role_id``'s job description still lacks."""
    role = hb.roles[role_id]
    na = tuple(s for s in ROLE_SECTIONS if s in role.not_applicable)
    missing = tuple(s for s in ROLE_SECTIONS if s not in na and not _filled(hb, role, s))
    return RoleGaps(role_id, missing, na)


def by_unit(hb: Handbook, unit_order: list[str]) -> list[UnitGaps]:
    """Every unit in ``unit_order`` with its roles' gaps; a role whose unit is unknown comes last."""
    placed: set[str] = set()
    out = []
    for uid in unit_order:
        rids = hb.unit_roles.get(uid, [])
        placed.update(rids)
        out.append(UnitGaps(uid, tuple(role_gaps(hb, rid) for rid in rids)))
    rest = [rid for rid in hb.roles if rid not in placed]
    if rest:
        out.append(UnitGaps("", tuple(role_gaps(hb, rid) for rid in rest)))
    return out


def totals(units: list[UnitGaps]) -> dict[str, int]:
    """Section → roles lacking it, over the whole handbook, in page order."""
    found: Counter[str] = Counter()
    for unit in units:
        found.update(unit.counts)
    return {section: found[section] for section in ROLE_SECTIONS if found[section]}


def editor_notes(hb: Handbook) -> list[EditorNote]:
    """Every ``editor_note``, kind by kind.

    Files are not named here: the page reads only entities, so a comment edited in a file
    does not render it again (the CLI report looks the files up).
    """
    return [
        EditorNote(kind, entity.id, entity.editor_note) for kind, entity in hb.all_entities() if entity.editor_note
    ]


def report(hb: Handbook, locale: Locale) -> str:
    """``handbook validate --completeness``: the completeness page's facts as plain text, files named."""
    order = [u for root in hb.root_units() for u in (root, *hb.descendants(root))]
    units = by_unit(hb, order)
    word = locale.label
    sep = word("list_sep")
    complete = sum(1 for unit in units for gaps in unit.roles if not gaps.missing)
    lines = [word("completeness_cli_summary").format(roles=len(hb.roles), complete=complete)]
    lines += [
        word("completeness_cli_section").format(section=label(s, locale), n=n) for s, n in totals(units).items()
    ]
    for unit in units:
        gaps = [g for g in unit.roles if g.missing]
        if not gaps:
            continue
        name = hb.units[unit.unit].name if unit.unit else word("completeness_no_unit")
        summary = word("completeness_unit_summary").format(n=len(gaps), total=len(unit.roles))
        lines += ["", f"{name}{word('paren_open')}{summary}{word('paren_close')}"]
        for g in gaps:
            where = hb.source_of("role", g.role).rel
            missing = sep.join(label(s, locale) for s in g.missing)
            lines.append(f"  {where}  {hb.roles[g.role].title}{word('colon')}{missing}")
    notes = editor_notes(hb)
    if notes:
        lines += ["", word("completeness_cli_notes").format(n=len(notes))]
        lines += [f"  {hb.source_of(n.kind, n.ident).rel}  {n.note}" for n in notes]
    return "\n".join(lines)
