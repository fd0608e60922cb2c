"""Render the handbook into Markdown pages: Python gathers the data, Jinja lays it out."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..i18n import Locale
from ..link import raci
from ..link.handbook import Handbook
from ..link.headcount import unit_totals
from ..model import paths
from ..model.entities import Entity, Policy, Process, Role, Term, Unit
from ..model.refs import Ref
from . import collation, formatting, onboarding, orgchart
from .indexes import role_rows
from .markup import NO_ABBREVIATIONS, Abbreviations, escape_plain, relative, render_text

TEMPLATES_DIR = Path(__file__).parent / "templates"


@functools.cache
def make_env() -> jinja2.Environment:
    """The one Jinja environment, made once per process so templates compile once.

    Autoescape is on, so a value that skips the Markdown filters is still HTML-escaped:
    no YAML text reaches the page raw."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # Markdown heading ids are written "{#id}", which is Jinja's comment syntax by default.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.tests["match_months"] = lambda value: bool(re.fullmatch(r"[0-9]+(?:\s*[-–~]\s*[0-9]+)?", str(value)))
    return env


class Labels:
    """Locale labels as attributes (``L.duties``) for templates; a missing one fails the build."""

    def __init__(self, locale: Locale) -> None:
        self._locale = locale
        # Plain attributes, so ``L.colon`` (70,000 lookups in a 1,000-role build) skips __getattr__.
        self.__dict__.update({key: locale.label(key) for key in locale.labels if key.isidentifier()})

    def __getattr__(self, key: str) -> str:
        if key not in self._locale.labels:
            raise AttributeError(key)  # StrictUndefined then fails the render, naming the key
        return self._locale.label(key)

    def __call__(self, key: str, **args: Any) -> str:
        return self._locale.label(key).format(**args)


@dataclass
class PageHelper:
    """What a template needs to write links and text from the page it is on."""

    hb: Handbook
    locale: Locale
    page: str
    abbreviations: Abbreviations = NO_ABBREVIATIONS

    def md(self, text: str | None) -> Markup:
        """Inline free text, escaped, references linked, abbreviations explained on hover."""
        return render_text(text, self.page, self._resolve, abbreviations=self.abbreviations)

    def block(self, text: str | None) -> Markup:
        """Free text keeping its line breaks as paragraphs."""
        return render_text(text, self.page, self._resolve, block=True, abbreviations=self.abbreviations)

    def esc(self, text: str | None) -> Markup:
        """Plain text with no reference handling."""
        return Markup(escape_plain(text or ""))

    def name(self, kind: str, ident: str) -> str:
        """The display name of an entity, or its id when it does not exist."""
        entity = self.hb.get(kind, ident)
        return display_name(entity) if entity else ident

    def link(self, kind: str, ident: str, label: str | None = None, anchor: str | None = None) -> Markup:
        """A Markdown link to an entity's page."""
        entity = self.hb.get(kind, ident)
        if entity is None:
            return self.esc(label or ident)
        target = paths.page(kind, entity.id) + (f"#{anchor}" if anchor else "")
        return Markup(f"[{escape_plain(label or display_name(entity))}]({relative(target, self.page)})")

    def to(self, target: str, label: str) -> Markup:
        """A Markdown link to a generated page that is not an entity (indexes, checklists)."""
        return Markup(f"[{escape_plain(label)}]({relative(target, self.page)})")

    def tree(self, root: orgchart.Node) -> Markup:
        """A chart's tree as a nested Markdown list of links, the chart's text for readers
        and search. Python rather than a recursive Jinja macro: a macro call per node was
        a fifth of rendering a 1,000-role handbook."""
        label = self.locale.label
        this_role = escape_plain(label("paren_open") + label("chart_this_role") + label("paren_close"))
        colon, sep = escape_plain(label("colon")), escape_plain(label("list_sep"))
        out: list[str] = []
        stack = [(child, 0) for child in reversed(root.children)] if root.kind == "root" else [(root, 0)]
        while stack:
            node, depth = stack.pop()
            name = f"**{self.esc(node.label)}**{this_role}" if node.marked else self.link(node.kind, node.ident)
            line = f"{'    ' * depth}- {name}"
            if node.count:
                line += f"{colon}{self.esc(node.count)}"
                if node.open_positions:
                    line += sep + escape_plain(label("chart_open").format(n=node.open_positions))
            out.append(line + "\n")
            stack.extend((child, depth + 1) for child in reversed(node.children))
        return Markup("".join(out))

    def href(self, target: str) -> str:
        """Relative link from this page to a docs path."""
        return relative(target, self.page)

    def _resolve(self, ref: Ref) -> tuple[str, str] | None:
        entity = self.hb.get(ref.kind, ref.id)
        if entity is None:
            return None
        label = display_name(entity)
        target = paths.page(ref.kind, entity.id)
        if ref.kind != "policy" and ref.kind != "term" and ref.anchor:
            target += f"#{ref.anchor}"
        if ref.kind == "policy" and ref.anchor:
            assert isinstance(entity, Policy)
            clause_id = self.hb.resolve_clause(entity.id, ref.anchor)
            if clause_id is None:
                return None
            number = [c.id for c in entity.clauses].index(clause_id) + 1
            label = f"{label} {self.locale.label('clause_number').format(n=number)}"
            target += f"#{clause_id}"
        return target, label


def display_name(entity: Entity) -> str:
    """What a reader calls an entity: its title, name or term."""
    if isinstance(entity, (Role, Process, Policy)):
        return entity.title
    if isinstance(entity, Unit):
        return entity.name
    if isinstance(entity, Term):
        # "PRP 时间" already shows its abbreviation: no "PRP 时间（PRP）".
        shown = entity.abbreviation and entity.abbreviation not in entity.term
        return f"{entity.term}（{entity.abbreviation}）" if shown else entity.term
    return entity.id


Fragment = Callable[[str, Callable[[], str]], str]
"""``fragment(key, render)``: part of a page, rendered by ``render`` or kept from the last run."""


def _render_now(key: str, render: Callable[[], str]) -> str:
    return render()


class Renderer:
    """Renders every page of a handbook to Markdown text, keyed by docs-relative path.

    ``view`` is what the pages read (by default ``hb`` itself): a recording view lets
    :mod:`incremental` learn which entries each page used. The list of pages comes from ``hb``.
    """

    def __init__(
        self, hb: Handbook, locale: Locale, view: Handbook | None = None, fragment: Fragment | None = None
    ) -> None:
        self.base = hb
        self.hb = view or hb
        self.fragment: Fragment = fragment or _render_now
        self.locale = locale
        self.env = make_env()
        self.labels = Labels(locale)
        self.abbreviations = Abbreviations(abbreviation_titles(hb))

    def _render(self, template: str, page: str, **context: Any) -> str:
        helper = PageHelper(self.hb, self.locale, page, self.abbreviations)
        return self.env.get_template(template).render(
            hb=self.hb, L=self.labels, r=helper, f=formatting, loc=self.locale, paths=paths, raci=raci,
            **context
        )

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
        out[paths.GLOSSARY] = self._glossary
        out[paths.ORG_INDEX] = self._org_index
        out[paths.POLICIES_INDEX] = lambda: self._render("policies_index.md.j2", paths.POLICIES_INDEX)
        out[paths.ROLES_INDEX] = lambda: self._render(
            "roles_index.md.j2", paths.ROLES_INDEX, rows=role_rows(self.hb, units_in_order(self.hb))
        )
        out[paths.PROCESSES_INDEX] = lambda: self._render(
            "processes_index.md.j2", paths.PROCESSES_INDEX, units=units_in_order(self.hb)
        )
        out[paths.KPIS_INDEX] = self._kpis
        for rid in base.roles:
            out[paths.onboarding(rid)] = functools.partial(self._onboarding_page, rid)
        out[paths.RACI] = lambda: self._render(
            "raci.md.j2", paths.RACI, units=units_in_order(self.hb), matrix=raci_matrix
        )
        out[paths.CHANGES] = lambda: self._render("changes.md.j2", paths.CHANGES, rows=changes(self.hb))
        return out

    def role(self, role: Role) -> str:
        """One role page."""
        chart = orgchart.role_chart(self.hb, self.locale, role.id)
        return self._render("role.md.j2", paths.page("role", role.id), role=role, chart=chart)

    def _role_page(self, rid: str) -> str:
        return self.role(self.hb.roles[rid])

    def _process_page(self, pid: str) -> str:
        return self._render("process.md.j2", paths.page("process", pid), p=self.hb.processes[pid])

    def _unit_page(self, uid: str) -> str:
        hb = self.hb
        return self._render(
            "unit.md.j2", paths.page("unit", uid), u=hb.units[uid], totals=unit_totals(hb, uid),
            chart=orgchart.unit_chart(hb, self.locale, uid),
        )

    def _policy_page(self, pid: str) -> str:
        return self._render("policy.md.j2", paths.page("policy", pid), p=self.hb.policies[pid])

    def _glossary(self) -> str:
        return self._render("glossary.md.j2", paths.GLOSSARY, letters=sorted_terms(self.hb))

    def _org_index(self) -> str:
        hb = self.hb
        return self._render(
            "org_index.md.j2", paths.ORG_INDEX, units=units_in_order(hb), totals=lambda u: unit_totals(hb, u),
            chart=orgchart.company_chart(hb, self.locale),
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

    def _onboarding_page(self, rid: str) -> str:
        role = self.hb.roles[rid]
        return self._render(
            "onboarding.md.j2", paths.onboarding(rid), role=role, groups=onboarding.plan(self.hb, rid)
        )


def abbreviation_titles(hb: Handbook) -> dict[str, str]:
    """Abbreviation → what it stands for, from the glossary."""
    out = {}
    for term in hb.terms.values():
        if term.abbreviation:
            out[term.abbreviation] = f"{term.term}（{term.english}）" if term.english else term.term
    return out


def sorted_terms(hb: Handbook) -> list[tuple[str, list[Term]]]:
    """Glossary order: by the pinyin of each term (Latin letters as read), filed under its initial."""
    letters: dict[str, list[Term]] = {}
    for term in sorted(hb.terms.values(), key=lambda t: collation.pinyin_key(t.term)):
        letters.setdefault(collation.initial(term.term), []).append(term)
    return sorted(letters.items(), key=lambda item: (item[0] == "#", item[0]))


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
