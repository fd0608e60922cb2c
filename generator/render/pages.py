"""Render the handbook into Markdown pages: Python gathers the data, Jinja lays it out."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ..i18n import Locale, load_locale
from ..link import approvals, completeness, duedates, lint, raci
from ..link.handbook import Handbook, company_locales
from ..link.headcount import company_totals, unit_totals
from ..model import fields, paths, registry
from ..model.entities import Assessment, Entity, Role, Term
from ..model.entities.term import aside
from ..model.lintrules import INFO as LINT_INFO
from . import assessments, changelog, collation, compare, formatting, home, orgchart, sections
from .env import Labels, make_env
from .indexes import role_rows
from .markup import Abbreviations
from .matrix import matrix
from .shifts import unit_rotas, unit_shifts
from .views import holds_roles, kpi_table, role_view
from .writer import Writer

Fragment = Callable[[str, Callable[[], str]], str]
"""``fragment(key, render)``: part of a page, rendered by ``render`` or kept from the last run."""


def _render_now(key: str, render: Callable[[], str]) -> str:
    return render()


def company_lang(hb: Handbook, langs: dict[str, str], kind: str, ident: str) -> str | None:
    """The language of the company an entity belongs to, when that company (in a group) sets its own."""
    entity = hb.get(kind, ident)
    home = hb.home_unit(entity) if entity is not None else None
    return langs.get(home) if home else None


def page_languages(hb: Handbook, site_lang: str) -> dict[str, str]:
    """Markdown page → its language, for the pages of a group's company whose language is not the
    site's: the build marks them ``<html lang>`` (site/pagelang.py), as the renderer writes them."""
    langs = company_locales(hb)
    out: dict[str, str] = {}
    if not langs:
        return out
    # Every kind: those whose entries belong to no unit (terms, grades …) have no company language.
    for kind in registry.KINDS:
        for ident in hb.table(kind):
            lang = company_lang(hb, langs, kind, ident)
            if lang is not None and lang != site_lang:
                out[paths.page(kind, ident).partition("#")[0]] = lang
    return out


class Renderer:
    """Renders every page of a handbook to Markdown text, keyed by docs-relative path.

    ``view`` is what the pages read (by default ``hb`` itself): a recording view lets
    :mod:`incremental` learn which entries each page used. The list of pages comes from ``hb``.
    """

    def __init__(
        self, hb: Handbook, locale: Locale, view: Handbook | None = None, fragment: Fragment | None = None,
        *, home: bool = True,
    ) -> None:
        self.base = hb
        self.hb = view or hb
        self.fragment: Fragment = fragment or _render_now
        self.locale = locale
        self.env = make_env()
        self.labels = Labels(locale)
        self.abbreviations = Abbreviations(abbreviation_titles(hb))
        #: Whether the home page is made here: not when the project has written its own.
        self.home = home
        #: This renderer in the other languages a group's companies use, by language.
        self._others: dict[str, Renderer] = {}
        #: Units whose company writes in another language, read once from the whole handbook (not
        #: through the recording view: a change to them renders every page again, see generate).
        self._langs = company_locales(hb)

    def _local(self, kind: str, ident: str) -> Renderer:
        """This renderer in the language of the company ``ident`` belongs to: a company of a group
        that sets a locale of its own has its pages in it; the rest of the site is in the site's."""
        lang = company_lang(self.base, self._langs, kind, ident)
        if lang is None or lang == self.locale.lang:
            return self
        if lang not in self._others:
            other = copy.copy(self)
            other.locale, other.labels = load_locale(lang), Labels(load_locale(lang))
            self._others[lang] = other
        return self._others[lang]

    def _render(self, template: str, page: str, **context: Any) -> str:
        helper = Writer(self.hb, self.locale, page, abbreviations=self.abbreviations)
        return self.env.get_template(template).render(
            hb=self.hb, L=self.labels, r=helper, f=formatting, loc=self.locale, paths=paths, raci=raci,
            fl=self.field_label, **context
        )

    def field_label(self, kind: str, name: str) -> str:
        """A field's label in this locale, as the field table declares it for ``kind``'s model."""
        return fields.declared(registry.kind(kind).model, name).label_in(self.locale.lang)

    def pages(self) -> dict[str, str]:
        """Every generated page."""
        return {path: render() for path, render in self.page_list().items()}

    def page_list(self) -> dict[str, Callable[[], str]]:
        """Every generated page's path, with a function that renders it (reading only ``self.hb``)."""
        base = self.base
        out: dict[str, Callable[[], str]] = {}
        for rid in base.roles:
            out[paths.page("role", rid)] = functools.partial(self._role_page, rid)
        for pid in base.processes:
            out[paths.page("process", pid)] = functools.partial(self._process_page, pid)
        for uid in base.units:
            out[paths.page("unit", uid)] = functools.partial(self._unit_page, uid)
        for pid in base.policies:
            out[paths.page("policy", pid)] = functools.partial(self._policy_page, pid)
        if self.home:
            out[paths.HOME] = self._home
        out[paths.GLOSSARY] = self._glossary
        out[paths.ORG_INDEX] = self._org_index
        out[paths.POLICIES_INDEX] = lambda: self._render(registry.kind("policy").index_template, paths.POLICIES_INDEX)
        out[paths.ROLES_INDEX] = lambda: self._render(
            registry.kind("role").index_template, paths.ROLES_INDEX, rows=role_rows(self.hb, units_in_order(self.hb)),
            total=company_totals(self.hb)
        )
        out[paths.PROCESSES_INDEX] = lambda: self._render(
            registry.kind("process").index_template, paths.PROCESSES_INDEX, units=units_in_order(self.hb)
        )
        out[paths.KPIS_INDEX] = self._kpis
        out[paths.RACI] = lambda: self._render(
            "raci.md.j2", paths.RACI, units=units_in_order(self.hb), matrix=raci_matrix
        )
        out[paths.COMPLETENESS] = self._completeness
        out[paths.CHANGES] = lambda: self._render(
            "changes.md.j2", paths.CHANGES, rows=changes(self.hb), releases=changelog.by_release(self.hb)
        )
        out.update(compare.pages(self, base))
        # Families and grades: their pages and indexes all read the families × grades matrix.
        for name in ("family", "grade"):
            kind = registry.kind(name)
            for ident in base.table(name):
                out[paths.page(name, ident)] = functools.partial(self._ladder_page, kind, ident)
            out[kind.index] = functools.partial(self._ladder_index, kind)
        # Competencies: each page lists the roles that need it, level by level.
        kind = registry.kind("competency")
        for ident in base.table("competency"):
            out[paths.page("competency", ident)] = functools.partial(self._competency_page, ident)
        out[kind.index] = lambda: self._render(
            kind.index_template, kind.index, entities=list(self.hb.table("competency").values()), kind=kind,
            needs=lambda cid: competency_needs(self.hb, cid),
        )
        # The kinds above have pages gathered by hand (charts, totals, unit order); any other
        # registered kind gets its two templates, given the entity (``e``) or the whole list.
        for kind in registry.KINDS.values():
            if kind.index not in out:
                for ident in base.table(kind.name):
                    out[paths.page(kind.name, ident)] = functools.partial(self._entity_page, kind, ident)
                out[kind.index] = functools.partial(self._kind_index, kind)
        return out

    def role(self, role: Role) -> str:
        """One role page."""
        view = role_view(self.hb, self.locale, role.id)
        # For HR, on the page itself: an approval about to lapse, a review overdue (dated today).
        notices = [self.locale.problem(d.code, d.args(self.hb))[0] for d in duedates.role_due(role.id, role)]
        if view.awaiting_approval:
            notices.insert(0, self.locale.problem("approval_stale", {"date": view.awaiting_approval})[0])
        return self._render(registry.kind("role").template, paths.page("role", role.id), v=view, notices=notices)

    def _role_page(self, rid: str) -> str:
        return self._local("role", rid).role(self.hb.roles[rid])

    def _process_page(self, pid: str) -> str:
        here = self._local("process", pid)
        return here._render(registry.kind("process").template, paths.page("process", pid), p=self.hb.processes[pid])

    def _unit_page(self, uid: str) -> str:
        here = self._local("unit", uid)
        if here is not self:
            return here._unit_page(uid)
        hb = self.hb
        return self._render(
            registry.kind("unit").template, paths.page("unit", uid), u=hb.units[uid], totals=unit_totals(hb, uid),
            chart=orgchart.unit_chart(hb, self.locale, uid), book=holds_roles(hb, uid),
            shifts=unit_shifts(self.locale, hb.units[uid]), rotas=unit_rotas(hb, self.locale, hb.units[uid]),
            kpis=kpi_table(hb.units[uid].kpis, self.locale),
        )

    def _policy_page(self, pid: str) -> str:
        here = self._local("policy", pid)
        return here._render(registry.kind("policy").template, paths.page("policy", pid), p=self.hb.policies[pid])

    def _entity_page(self, kind: registry.Kind, ident: str) -> str:
        """The page of an entity of a kind with no page code of its own: its template, given ``e``,
        its ``title`` and its ``sections`` as the field table lays them out."""
        entity = self.hb.table(kind.name)[ident]
        special = assessments.specials(self.hb, self.locale, entity) if isinstance(entity, Assessment) else {}
        laid_out = sections.build(self.hb, self.locale, entity, special, {}, frozenset(entity.not_applicable),
                                  skip=frozenset({kind.display}))
        return self._render(kind.template, paths.page(kind.name, ident), e=entity, kind=kind,
                            title=registry.display_name(entity), sections=laid_out)

    def _ladder_page(self, kind: registry.Kind, ident: str) -> str:
        m = matrix(self.hb, family=ident) if kind.name == "family" else matrix(self.hb, grade=ident)
        return self._render(kind.template, paths.page(kind.name, ident), e=self.hb.table(kind.name)[ident], kind=kind,
                            m=m)

    def _ladder_index(self, kind: registry.Kind) -> str:
        entities = list(self.hb.table(kind.name).values())
        return self._render(kind.index_template, kind.index, entities=entities, kind=kind, m=matrix(self.hb))

    def _competency_page(self, ident: str) -> str:
        kind = registry.kind("competency")
        return self._render(kind.template, paths.page("competency", ident), e=self.hb.table("competency")[ident],
                            kind=kind, needs=competency_needs(self.hb, ident))

    def _kind_index(self, kind: registry.Kind) -> str:
        entities = list(self.hb.table(kind.name).values())
        return self._render(kind.index_template, kind.index, entities=entities, kind=kind)

    def _home(self) -> str:
        return self._render("home.md.j2", paths.HOME, **home.page(self.hb, self.locale))

    def _glossary(self) -> str:
        return self._render(registry.kind("term").template, paths.GLOSSARY, letters=sorted_terms(self.hb))

    def _org_index(self) -> str:
        hb = self.hb
        return self._render(
            registry.kind("unit").index_template, paths.ORG_INDEX, units=units_in_order(hb),
            totals=lambda u: unit_totals(hb, u),
            chart=orgchart.company_chart(hb, self.locale),
        )

    def _completeness(self) -> str:
        units = completeness.by_unit(self.hb, [uid for _depth, uid in units_in_order(self.hb)])
        complete = sum(1 for unit in units for gaps in unit.roles if not gaps.missing)
        return self._render(
            "completeness.md.j2", paths.COMPLETENESS, units=units, sums=completeness.totals(units),
            labels=completeness.labels(self.locale), notes=completeness.editor_notes(self.hb), complete=complete,
            exempt=lint.exemptions(self.hb), lint_sources=LINT_INFO, due=duedates.due(self.hb),
            due_text=lambda d: self.locale.problem(d.code, d.args(self.hb))[0],
            stale=[(rid, d) for rid, r in self.hb.roles.items() if (d := approvals.changed_since_approval(self.hb, r))],
        )

    def _kpis(self) -> str:
        def section(uid: str) -> Markup:
            # A fragment of its own: one role's edit re-renders its unit's table, not all of them.
            return Markup(self.fragment(f"{paths.KPIS_INDEX}#{uid}", functools.partial(self._kpis_section, uid)))

        return self._render("kpis.md.j2", paths.KPIS_INDEX, units=units_in_order(self.hb), section=section)

    def _kpis_section(self, uid: str) -> str:
        hb = self.hb
        rids = [rid for rid in hb.unit_roles.get(uid, []) if hb.roles[rid].kpis]
        return self._render("_kpis_unit.md.j2", paths.KPIS_INDEX, uid=uid, rids=rids)


def competency_needs(hb: Handbook, cid: str) -> dict[int, list[tuple[str, str]]]:
    """Level → ``(role id, title)`` of the roles that need competency ``cid`` there, by pinyin of their titles."""
    out: dict[int, list[tuple[str, str]]] = {}
    for need in sorted(hb.competency_roles.get(cid, []), key=lambda n: (collation.pinyin_key(n.title), n.role)):
        out.setdefault(need.level, []).append((need.role, need.title))
    return out


def abbreviation_titles(hb: Handbook) -> dict[str, str]:
    """Abbreviation → what it stands for, from the glossary."""
    out = {}
    for term in hb.terms.values():
        if term.abbreviation:
            out[term.abbreviation] = aside(term.term, term.english) if term.english else term.term
    return out


def sorted_terms(hb: Handbook) -> list[tuple[str, list[Term], list[Term]]]:
    """Glossary order: by the pinyin of each term (Latin letters as read), filed under its initial;
    with each letter, the terms whose abbreviation starts with it but whose name does not (TSR under
    T for 电话销售代表, filed under D), where a reader scanning for the abbreviation looks."""
    letters: dict[str, tuple[list[Term], list[Term]]] = {}
    for term in sorted(hb.terms.values(), key=lambda t: collation.pinyin_key(t.term)):
        letters.setdefault(collation.initial(term.term), ([], []))[0].append(term)
    by_abbreviation = sorted((t for t in hb.terms.values() if t.abbreviation),
                             key=lambda t: collation.pinyin_key(t.abbreviation or ""))
    for term in by_abbreviation:
        letter = collation.initial(term.abbreviation or "")
        if letter != "#" and letter != collation.initial(term.term):
            letters.setdefault(letter, ([], []))[1].append(term)
    ordered = sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))
    return [(letter, terms, refs) for letter, (terms, refs) in ordered]


def units_in_order(hb: Handbook) -> list[tuple[int, str]]:
    """``(depth, unit id)`` in tree order, roots first, children in file order."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()

    def visit(uid: str, depth: int) -> None:
        if uid in seen:
            return
        seen.add(uid)
        out.append((depth, uid))
        for child in hb.unit_children.get(uid, []):
            visit(child, depth + 1)

    for root in hb.root_units():
        visit(root, 0)
    for uid in hb.units:  # units caught in a cycle still get listed
        visit(uid, 0)
    return out


def raci_matrix(
    hb: Handbook, process_ids: list[str]
) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    """Processes (rows, by time of day then frequency), roles (columns, as they first take part)
    and ``(process, role) → part key`` (see link.raci)."""
    cells: dict[tuple[str, str], str] = {}
    columns: list[str] = []
    rows = sorted(process_ids, key=lambda pid: collation.process_key(hb.processes[pid]))
    for pid in rows:
        for role_id, part in raci.people(hb.processes[pid]):
            if role_id not in hb.roles:
                continue
            if role_id not in columns:
                columns.append(role_id)
            cells[(pid, role_id)] = part
    return rows, columns, cells


def changes(hb: Handbook) -> list[tuple[str, Entity]]:
    """``(kind, entity)`` with a version or effective date, newest first, then by kind and id."""
    rows = [(kind, e) for kind, e in hb.all_entities() if e.version or e.effective_date]
    rows.sort(key=lambda row: (row[0], row[1].id))
    rows.sort(key=lambda row: (row[1].effective_date.isoformat() if row[1].effective_date else ""), reverse=True)
    return rows
