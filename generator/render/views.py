"""Each page's data gathered once into a typed view that the site and the print templates both render.

A view holds text as the YAML wrote it (references still ``[[kind:id]]``, so each output
can turn them into links or names), values already put into words (headcounts, targets,
schedules), and other entities as :class:`Named`. Templates lay a view out; they do not
look anything up in the handbook, so a field gathered here cannot be forgotten by one
output: ``tests/test_views.py`` checks every field's text appears on the web and in print.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..i18n import Locale
from ..link import approvals
from ..link.handbook import Handbook
from ..model import entities
from ..model.entities import Role
from ..model.fingerprint import content_hash
from . import assessments, compare, formatting, onboarding, orgchart, orgtree, shifts
from .roleprocesses import role_processes
from .sections import Computed, Part, SectionView, Special, build
from .variants import variant_view
from .writer import NOT_TEXT, Named, named


@dataclass(frozen=True)
class Chart:
    """An org chart: the boxes the SVG draws, and the whole tree the site lists under it."""

    title: str
    folded: orgchart.Node
    tree: orgchart.Node = field(metadata=NOT_TEXT)


@dataclass(frozen=True)
class DutyArea:
    """Duties under one area, in the order HR wrote them."""

    area: str
    weight: str | None
    """The area's share (``40%``) when HR gave one."""
    items: tuple[str, ...]
    timing: tuple[str, ...]
    """Each item's deadlines and response limits in words, in the order of ``items`` ("" for none)."""
    item_weights: tuple[str, ...]
    """Each item's share within the area (``50%``), in the order of ``items`` ("" for none)."""
    essential: tuple[bool, ...] = field(metadata=NOT_TEXT)
    """Whether each item is an essential duty (marked 核心 by both outputs)."""


@dataclass(frozen=True)
class CompetencyNeed:
    """A competency the role needs: the level in words (``3 级 · 熟练``) and that level's indicators."""

    competency: Named
    level: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class KpiRow:
    """One target: ``通话次数``, ``≥ 30 次/日``, what follows from missing or beating it."""

    metric: str
    note: str | None
    target: str
    weight: str | None
    consequences: tuple[str, ...]
    target_values: tuple[str, ...] = field(default=(), metadata=NOT_TEXT)
    """The values inside ``target`` that print keeps whole (``≥ 130 通/日``)."""


@dataclass(frozen=True)
class Contact:
    """A working relationship: a role or unit (linked) or a party outside (text), and about what."""

    who: Named | str
    about: str | None


@dataclass(frozen=True)
class Relationships:
    """工作关系 inside and outside the company, as HR listed them."""

    internal: tuple[Contact, ...]
    external: tuple[Contact, ...]


@dataclass(frozen=True)
class Signature:
    """One line of the approval block: 编制 / 审核 / 批准, by whom, on which date."""

    step: str
    by: str
    date: str | None


@dataclass(frozen=True)
class Career:
    """Where the role leads."""

    next: tuple[Named, ...]
    note: str | None


@dataclass(frozen=True)
class Task:
    """One checklist item: what to do, who sees it done, by which day (in words)."""

    text: str
    owner: Named | None
    due: str
    ref: str | None = field(default=None, metadata=NOT_TEXT)
    """The clause or entry it points to (``policy:attendance#leave``), linked after the text on the site."""


@dataclass(frozen=True)
class Checklist:
    """Onboarding items due by one point (第1周), a group of the role page's checklist section."""

    when: str
    items: tuple[Task, ...]


@dataclass(frozen=True)
class KpiTable:
    """A role's KPIs: one row each, and the weighted score as a formula when any KPI has a weight."""

    rows: tuple[KpiRow, ...]
    scorecard: str
    """综合得分 = 出勤率 × 20% + …; empty when no KPI has a weight."""

    def __bool__(self) -> bool:
        return bool(self.rows)


@dataclass(frozen=True)
class PageLink:
    """A link to a generated page; the page says what it is, so no text of its own."""

    page: str = field(metadata=NOT_TEXT)
    anchor: str = field(default="", metadata=NOT_TEXT)
    """The section of the page it leads to (a career path on its unit's comparison page)."""


@dataclass(frozen=True)
class Onboarding:
    """A new hire's checklist: a section of the role's page on the site (anchor ``#onboarding``,
    always there: the old checklist address leads to it), an appendix in print; its unit's and the
    company's steps are on it too."""

    role: str = field(metadata=NOT_TEXT)
    """The role's id: the site keeps its ticks under it (the same key the checklist's page used)."""
    checklists: tuple[Checklist, ...]


@dataclass(frozen=True)
class RoleView:
    """Everything a role's page and its 岗位说明书 show: the header, then the sections of
    ``model/fields.yaml`` in order (the page and the PDF lay out the same sections)."""

    id: str = field(metadata=NOT_TEXT)
    title: str
    unit: Named = field(metadata=NOT_TEXT)
    """The role's unit (also a part of the facts section), for the PDF's logo and header."""
    sections: tuple[SectionView, ...]
    effective_date: str | None = field(metadata=NOT_TEXT)
    version: str | None = field(metadata=NOT_TEXT)
    company: str = field(metadata=NOT_TEXT)
    """The company the PDF's running header names (the role's own, in a group of several)."""
    approver_roles: tuple[tuple[str, str], ...] = field(default=(), metadata=NOT_TEXT)
    """(step label, title of the role that does it): who prepares, reviews, approves (link/approvals.py)."""
    awaiting_approval: str | None = field(default=None, metadata=NOT_TEXT)
    """The approval date the content changed after (待重新审批), from the release history; None when current."""
    content_hash: str = field(default="", metadata=NOT_TEXT)
    """The short hash of what this role (or variant) publishes (model/fingerprint.py), in the PDF's footer."""

    def part(self, name: str) -> Part | None:
        """The part that shows field (or computed fact) ``name``, wherever its section is."""
        return next((p for s in self.sections for p in s.parts if p.name == name), None)

    def value(self, name: str) -> Any:
        """The value of part ``name`` as the page shows it (None when the role has no such part)."""
        found = self.part(name)
        return found.value if found else None


def pdf_name(role_id: str, variant_id: str | None = None) -> str:
    """``<role>.pdf``, or ``<role>.<variant>.pdf``: a dot never appears in an id, so no two clash."""
    return f"{role_id}.{variant_id}.pdf" if variant_id else f"{role_id}.pdf"


#: Facts computed for a role's page (``=name`` in its sections): the locale key of the label, what
#: shows when there is none (无 for no direct reports, nothing for no processes) and the layout.
COMPUTED: dict[str, Computed] = {
    "direct_reports": Computed("direct_reports", "none"),
    "chart": Computed("", "skip", "chart"),
    "processes": Computed("processes_of_role", "skip", "processes"),
    "compare": Computed("", "skip", "compare"),
    "assessments": Computed("assessments_of_role", "skip"),
    "rotas": Computed("rotas_of_role", "skip", "bullets"),
}


def role_view(hb: Handbook, locale: Locale, role_id: str, variant: str | None = None) -> RoleView:
    """Gather one role's page data from ``hb`` (which may be a recording view); with ``variant``,
    the role as that variant reads it (its own PDF)."""
    role: Role = hb.roles[role_id]
    base = role
    if variant is not None:
        role = role.as_variant(variant)
    special: dict[str, Special] = {
        "direct_reports": lambda: tuple(
            named(hb, "role", rid) for rid in hb.direct_reports.get(role_id, []) if rid != role_id
        ),
        "chart": lambda: _role_chart(hb, locale, role_id, variant),
        "processes": lambda: role_processes(hb, locale, role_id),
        # The ready side-by-side page of the career path this role is on.
        "compare": lambda: _compare_page(hb, role_id),
        "assessments": lambda: assessments.of_role(hb, role_id),
        "headcount": lambda: _headcount(hb, locale, role),
        "duties": lambda: tuple(_duty_area(area, locale) for area in role.duties),
        "relationships": lambda: _relationships(hb, role),
        "competencies": lambda: tuple(_competency(hb, locale, cid, level) for cid, level in role.competencies.items()),
        "kpis": lambda: kpi_table(role.kpis, locale),
        "career": lambda: _career(hb, role),
        # A role on shifts works those, not its unit's whole day (a ward's runs round the clock).
        "hours": lambda: role.hours or shifts.shift_hours(hb, locale, role) or _hours(hb, locale, role.unit),
        "shifts": lambda: shifts.role_shifts(hb, locale, role),
        "rotas": lambda: shifts.role_rotas(hb, locale, role_id),
        "approval": lambda: _approval(role, locale),
        "onboarding": lambda: Onboarding(
            role_id,
            tuple(Checklist(locale.label(g.label), tuple(_task(hb, locale, i) for i in g.items))
                  for g in onboarding.plan(hb, role_id)),
        ),
        "variants": lambda: () if variant else tuple(
            variant_view(hb, locale, base, v.id, role_view) for v in base.variants
        ),
    }
    return RoleView(
        id=role.id,
        title=_variant_title(base, variant, locale),
        unit=named(hb, "unit", role.unit),
        sections=build(hb, locale, role, special, COMPUTED, frozenset(role.not_applicable)),
        effective_date=role.effective_date.isoformat() if role.effective_date else None,
        version=role.version,
        company=hb.company_label(role.unit),
        content_hash=content_hash(role),
        awaiting_approval=_stale(hb, base, variant),
        approver_roles=tuple(
            (locale.label(f"jd_{step}"), hb.roles[who].title)
            for step, who in approvals.approver_ids(hb, base).items() if who in hb.roles
        ),
    )


def _stale(hb: Handbook, role: Role, variant: str | None) -> str | None:
    """The approval date ``role`` changed after, for its own page and PDF (a variant shares the role's approval)."""
    approved_on = approvals.changed_since_approval(hb, role)
    return approved_on.isoformat() if approved_on is not None else None


def _compare_page(hb: Handbook, role_id: str) -> PageLink | None:
    path = hb.career_paths.get(role_id)
    return PageLink(*compare.location(hb, path[0])) if path else None


def _task(hb: Handbook, locale: Locale, item: onboarding.Item) -> Task:
    owner = named(hb, "role", item.owner) if item.owner else None
    return Task(item.text, owner, locale.label("onboarding_due").format(day=item.day), item.ref)


def _headcount(hb: Handbook, locale: Locale, role: Role) -> str:
    if not role.headcount:
        return ""
    ratio_of = named(hb, "role", role.headcount.ratio.of).name if role.headcount.ratio else ""
    return formatting.headcount(role.headcount, locale, ratio_of)


def kpi_table(kpis: list[entities.KPI], locale: Locale) -> KpiTable:
    """KPIs as a table: a role's, a variant's or a unit's."""
    rows = tuple(
        KpiRow(
            metric=k.metric,
            note=k.note,
            target=formatting.target(k, locale),
            target_values=formatting.target_values(k, locale),
            weight=f"{formatting.number(k.weight)}%" if k.weight else None,
            consequences=tuple(formatting.consequence(c, locale) for c in k.consequences),
        )
        for k in kpis
    )
    return KpiTable(rows, formatting.scorecard(kpis, locale))


def _career(hb: Handbook, role: Role) -> Career | None:
    career = role.career
    if not career or not (career.next or career.note):
        return None
    return Career(tuple(named(hb, "role", n) for n in career.next), career.note)


def _variant_title(role: Role, variant: str | None, locale: Locale) -> str:
    chosen = role.variant(variant) if variant else None
    if chosen is None:
        return role.title
    return f"{role.title}{locale.label('paren_open')}{chosen.name}{locale.label('paren_close')}"




def _percent(value: float | None) -> str:
    return f"{formatting.number(value)}%" if value is not None else ""


def _duty_area(area: entities.DutyArea, locale: Locale) -> DutyArea:
    return DutyArea(
        area=area.area,
        weight=_percent(area.weight) or None,
        items=tuple(item.text for item in area.items),
        timing=tuple(formatting.timing(item.deadlines, item.response_times, locale) for item in area.items),
        item_weights=tuple(_percent(item.weight) for item in area.items),
        essential=tuple(item.essential for item in area.items),
    )


def _competency(hb: Handbook, locale: Locale, cid: str, level: int) -> CompetencyNeed:
    comp = hb.get("competency", cid)
    levels = comp.levels if isinstance(comp, entities.Competency) else []
    chosen = levels[level - 1] if level <= len(levels) else None
    name = chosen.name if chosen else ""
    return CompetencyNeed(
        named(hb, "competency", cid),
        locale.label("competency_level_value").format(n=level, name=name).rstrip(" ·"),
        tuple(chosen.indicators) if chosen else (),
    )


def _relationships(hb: Handbook, role: Role) -> Relationships | None:
    rel = role.relationships
    if rel is None or not (rel.internal or rel.external):
        return None
    internal = tuple(
        Contact(named(hb, "role", c.role) if c.role else named(hb, "unit", c.unit or ""), c.about)
        for c in rel.internal
    )
    return Relationships(internal, tuple(Contact(c.party, c.about) for c in rel.external))


def _approval(role: Role, locale: Locale) -> tuple[Signature, ...]:
    if role.approval is None:
        return ()
    steps = (("jd_prepared", role.approval.prepared), ("jd_reviewed", role.approval.reviewed),
             ("jd_approved", role.approval.approved))
    return tuple(
        Signature(locale.label(key), sig.by, sig.date.isoformat() if sig.date else None)
        for key, sig in steps
        if sig is not None
    )


def _hours(hb: Handbook, locale: Locale, unit_id: str) -> str | None:
    """``08:45–18:30（电销中心作息）``: the first start and last end of the unit's day."""
    if unit_id not in hb.units:
        return None
    for uid in (unit_id, *hb.ancestors(unit_id)):
        unit = hb.units[uid]
        # A block past midnight (or to 24:00) has no place in "first start to last end".
        day = [b for b in unit.schedule if not b.end or b.start < b.end < "24:00"]
        if day:
            # "HH:MM" strings sort as times.
            start = min(b.start for b in day)
            end = max(b.end or b.start for b in day)
            return locale.label("jd_hours_value").format(start=start, end=end, unit=unit.name)
    return None


def _role_chart(hb: Handbook, locale: Locale, role_id: str, variant: str | None = None) -> Chart:
    title = locale.label("chart_of_role").format(title=hb.roles[role_id].title)
    folded = orgtree.fold(orgtree.role_tree(hb, locale, role_id, variant=variant), locale)
    return Chart(title, folded, orgtree.role_tree(hb, locale, role_id, limit=False, variant=variant))


def holds_roles(hb: Handbook, unit_id: str) -> bool:
    """True when the unit or a unit below it has a role: it then has a book of job descriptions."""
    return any(hb.unit_roles.get(uid) for uid in (unit_id, *hb.descendants(unit_id)))


def texts(view: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Every text a view holds, as ``(field path, text)``: what both outputs must show."""
    if isinstance(view, str):
        if view.strip():
            yield path, view
    elif isinstance(view, Named):
        yield path, view.name
    elif isinstance(view, SectionView):
        for part in view.parts:
            yield from texts(part.value, f"{path}.{part.name}" if path else part.name)
    elif isinstance(view, orgchart.Node):
        if view.kind != "root":
            yield path, view.label
        for i, child in enumerate(view.children):
            yield from texts(child, f"{path}.{i}")
    elif isinstance(view, tuple):
        for i, item in enumerate(view):
            yield from texts(item, f"{path}[{i}]")
    elif dataclasses.is_dataclass(view) and not isinstance(view, type):
        for f in dataclasses.fields(view):
            value = getattr(view, f.name)
            if isinstance(value, tuple) and value and isinstance(value[0], SectionView):
                # Sections only group fields: a text's path names its field (kpis.rows[0].target).
                for section in value:
                    yield from texts(section, path)
            elif f.metadata.get("text", True):
                yield from texts(value, f"{path}.{f.name}" if path else f.name)
