"""What HR has not written yet: the sections each role lacks, unit by unit, and the editorial notes.

A section is missing where the role's page and PDF show 待补充: it is empty and not marked
``n/a``. The completeness page and ``handbook validate --completeness`` both read this.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..i18n import Locale
from ..model.entities import Role
from .handbook import Handbook

#: A role field → the locale key of the label its section or fact shows under (page, PDF, reports).
SECTION_LABELS: dict[str, str] = {
    "summary": "jd_purpose",
    "duties": "duties",
    "authority": "jd_authority",
    "relationships": "jd_relationships",
    "qualifications": "qualifications",
    "competencies": "jd_competencies",
    "kpis": "kpi_table",
    "environment": "jd_environment_field",
    "hours": "jd_hours",
    "career": "career",
    "code": "code",
    "family": "family",
    "grade": "grade",
    "headcount": "headcount",
    "approval": "jd_approval",
}
#: The job description's sections HR is expected to fill, in page order (hours come from the
#: unit's schedule when omitted, so they are never missing), with their labels.
ROLE_SECTIONS: dict[str, str] = {k: v for k, v in SECTION_LABELS.items() if k != "hours"}


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


def _filled(hb: Handbook, role: Role, section: str) -> bool:
    if section == "relationships":
        # The page fills this section from the processes the role takes part in too.
        rel = role.relationships
        return bool((rel and (rel.internal or rel.external)) or hb.role_processes.get(role.id))
    if section == "career":
        return bool(role.career and (role.career.next or role.career.note))
    return bool(getattr(role, section))


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
    label = locale.label
    sep = label("list_sep")
    complete = sum(1 for unit in units for gaps in unit.roles if not gaps.missing)
    lines = [label("completeness_cli_summary").format(roles=len(hb.roles), complete=complete)]
    lines += [
        label("completeness_cli_section").format(section=label(ROLE_SECTIONS[s]), n=n) for s, n in totals(units).items()
    ]
    for unit in units:
        gaps = [g for g in unit.roles if g.missing]
        if not gaps:
            continue
        name = hb.units[unit.unit].name if unit.unit else label("completeness_no_unit")
        summary = label("completeness_unit_summary").format(n=len(gaps), total=len(unit.roles))
        lines += ["", f"{name}{label('paren_open')}{summary}{label('paren_close')}"]
        for g in gaps:
            where = hb.source_of("role", g.role).rel
            missing = sep.join(label(ROLE_SECTIONS[s]) for s in g.missing)
            lines.append(f"  {where}  {hb.roles[g.role].title}{label('colon')}{missing}")
    notes = editor_notes(hb)
    if notes:
        lines += ["", label("completeness_cli_notes").format(n=len(notes))]
        lines += [f"  {hb.source_of(n.kind, n.ident).rel}  {n.note}" for n in notes]
    return "\n".join(lines)
