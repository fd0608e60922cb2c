"""Render the handbook into Markdown pages: Python gathers the data, Jinja lays it out."""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import formatting, onboarding, orgchart, paths
from .handbook import Handbook
from .headcount import unit_totals
from .i18n import Locale
from .markup import NO_ABBREVIATIONS, Abbreviations, escape_plain, relative, render_text
from .models import Entity, Policy, Process, Role, Term, Unit
from .refs import Ref

TEMPLATES_DIR = Path(__file__).parent / "templates"


def make_env() -> jinja2.Environment:
    """The one Jinja environment. Autoescape is on, so a value that skips the Markdown
    filters is still HTML-escaped: no YAML text reaches the page raw."""
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
        return Markup(f"[{escape_plain(label or display_name(entity))}]({_relative(target, self.page)})")

    def to(self, target: str, label: str) -> Markup:
        """A Markdown link to a generated page that is not an entity (indexes, checklists)."""
        return Markup(f"[{escape_plain(label)}]({_relative(target, self.page)})")

    def href(self, target: str) -> str:
        """Relative link from this page to a docs path."""
        return _relative(target, self.page)

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


@functools.lru_cache(maxsize=4096)
def _relative_dir(target_dir: str, page_dir: str) -> str:
    return posixpath.relpath(target_dir or ".", page_dir or ".")


def _relative(target: str, page: str) -> str:
    """Same as :func:`markup.relative`, with the folder part cached: posixpath.relpath calls
    getcwd and abspath, and a 1,000-role handbook links the same few folders 70,000 times."""
    path, _, anchor = target.partition("#")
    folder, _, name = path.rpartition("/")
    if not name or name in (".", ".."):
        return relative(target, page)
    up = _relative_dir(folder, posixpath.dirname(page))
    rel = name if up == "." else f"{up}/{name}"
    return f"{rel}#{anchor}" if anchor else rel


def display_name(entity: Entity) -> str:
    """What a reader calls an entity: its title, name or term."""
    if isinstance(entity, (Role, Process, Policy)):
        return entity.title
    if isinstance(entity, Unit):
        return entity.name
    if isinstance(entity, Term):
        return f"{entity.term}（{entity.abbreviation}）" if entity.abbreviation else entity.term
    return entity.id


class Renderer:
    """Renders every page of a handbook to Markdown text, keyed by docs-relative path."""

    def __init__(self, hb: Handbook, locale: Locale) -> None:
        self.hb = hb
        self.locale = locale
        self.env = make_env()
        self.labels = Labels(locale)
        self.abbreviations = Abbreviations(abbreviation_titles(hb))

    def _render(self, template: str, page: str, **context: Any) -> str:
        helper = PageHelper(self.hb, self.locale, page, self.abbreviations)
        return self.env.get_template(template).render(
            hb=self.hb, L=self.labels, r=helper, f=formatting, loc=self.locale, paths=paths, **context
        )

    def pages(self) -> dict[str, str]:
        """Every generated page."""
        hb = self.hb
        out: dict[str, str] = {}
        for role in hb.roles.values():
            out[paths.page("role", role.id)] = self.role(role)
        for process in hb.processes.values():
            out[paths.page("process", process.id)] = self._render(
                "process.md.j2", paths.page("process", process.id), p=process
            )
        for unit in hb.units.values():
            out[paths.page("unit", unit.id)] = self._render(
                "unit.md.j2", paths.page("unit", unit.id), u=unit, totals=unit_totals(hb, unit.id),
                chart=orgchart.unit_chart(hb, self.locale, unit.id),
            )
        for policy in hb.policies.values():
            out[paths.page("policy", policy.id)] = self._render(
                "policy.md.j2", paths.page("policy", policy.id), p=policy
            )
        out[paths.GLOSSARY] = self._render("glossary.md.j2", paths.GLOSSARY, terms=sorted_terms(hb))
        out[paths.ORG_INDEX] = self._render(
            "org_index.md.j2", paths.ORG_INDEX, units=units_in_order(hb), totals=lambda u: unit_totals(hb, u),
            chart=orgchart.company_chart(hb, self.locale),
        )
        out[paths.POLICIES_INDEX] = self._render("policies_index.md.j2", paths.POLICIES_INDEX)
        out[paths.ROLES_INDEX] = self._render("roles_index.md.j2", paths.ROLES_INDEX, units=units_in_order(hb))
        out[paths.PROCESSES_INDEX] = self._render(
            "processes_index.md.j2", paths.PROCESSES_INDEX, units=units_in_order(hb)
        )
        kpi_roles = {rid for rid, role in hb.roles.items() if role.kpis}
        out[paths.KPIS_INDEX] = self._render(
            "kpis.md.j2", paths.KPIS_INDEX, units=units_in_order(hb), kpi_roles=kpi_roles
        )
        for role in hb.roles.values():
            out[paths.onboarding(role.id)] = self._render(
                "onboarding.md.j2", paths.onboarding(role.id), role=role, groups=onboarding.plan(hb, role.id)
            )
        out[paths.RACI] = self._render("raci.md.j2", paths.RACI, units=units_in_order(hb), matrix=raci_matrix)
        out[paths.CHANGES] = self._render("changes.md.j2", paths.CHANGES, rows=changes(hb))
        return out

    def role(self, role: Role) -> str:
        """One role page."""
        chart = orgchart.role_chart(self.hb, self.locale, role.id)
        return self._render("role.md.j2", paths.page("role", role.id), role=role, chart=chart)


def abbreviation_titles(hb: Handbook) -> dict[str, str]:
    """Abbreviation → what it stands for, from the glossary."""
    out = {}
    for term in hb.terms.values():
        if term.abbreviation:
            out[term.abbreviation] = f"{term.term}（{term.english}）" if term.english else term.term
    return out


def sorted_terms(hb: Handbook) -> list[Term]:
    """Glossary order: abbreviations first by letter, then terms by their text."""
    return sorted(hb.terms.values(), key=lambda t: (t.abbreviation is None, (t.abbreviation or t.term).upper()))


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


#: RACI letter for each part; the owner is accountable unless the participants say otherwise.
RACI_LETTERS = {"responsible": "R", "accountable": "A", "consulted": "C", "informed": "I", "owner": "A"}


def raci_matrix(hb: Handbook, process_ids: list[str]) -> tuple[list[str], dict[tuple[str, str], str]]:
    """Roles (columns) and ``(process, role) → letters`` for the given processes."""
    cells: dict[tuple[str, str], str] = {}
    columns: list[str] = []
    for pid in process_ids:
        process = hb.processes[pid]
        parts: list[tuple[str, str]] = [(p.role, p.part) for p in process.participants]
        if all(role != process.owner for role, _ in parts):
            parts.insert(0, (process.owner, "owner"))
        for role_id, part in parts:
            if role_id not in hb.roles:
                continue
            if role_id not in columns:
                columns.append(role_id)
            letter = RACI_LETTERS[part]
            old = cells.get((pid, role_id), "")
            if letter not in old:
                cells[(pid, role_id)] = old + letter
    return columns, cells


def changes(hb: Handbook) -> list[tuple[str, Entity]]:
    """``(kind, entity)`` with a version or effective date, newest first, then by kind and id."""
    rows = [(kind, e) for kind, e in hb.all_entities() if e.version or e.effective_date]
    rows.sort(key=lambda row: (row[0], row[1].id))
    rows.sort(key=lambda row: (row[1].effective_date.isoformat() if row[1].effective_date else ""), reverse=True)
    return rows
