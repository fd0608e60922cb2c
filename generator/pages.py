"""Render the handbook into Markdown pages: Python gathers the data, Jinja lays it out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import formatting, paths
from .handbook import Handbook
from .i18n import Locale
from .markup import escape_plain, relative, render_text
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

    def md(self, text: str | None) -> Markup:
        """Inline free text, escaped, references linked."""
        return render_text(text, self.page, self._resolve)

    def block(self, text: str | None) -> Markup:
        """Free text keeping its line breaks as paragraphs."""
        return render_text(text, self.page, self._resolve, block=True)

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

    def href(self, target: str) -> str:
        """Relative link from this page to a docs path."""
        return relative(target, self.page)

    def _resolve(self, ref: Ref) -> tuple[str, str] | None:
        entity = self.hb.get(ref.kind, ref.id)
        if entity is None:
            return None
        label = display_name(entity)
        target = paths.page(ref.kind, entity.id)
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
        return f"{entity.term}（{entity.abbreviation}）" if entity.abbreviation else entity.term
    return entity.id


class Renderer:
    """Renders every page of a handbook to Markdown text, keyed by docs-relative path."""

    def __init__(self, hb: Handbook, locale: Locale) -> None:
        self.hb = hb
        self.locale = locale
        self.env = make_env()
        self.labels = Labels(locale)

    def _render(self, template: str, page: str, **context: Any) -> str:
        helper = PageHelper(self.hb, self.locale, page)
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
                "unit.md.j2", paths.page("unit", unit.id), u=unit, totals=unit_totals(hb, unit.id)
            )
        for policy in hb.policies.values():
            out[paths.page("policy", policy.id)] = self._render(
                "policy.md.j2", paths.page("policy", policy.id), p=policy
            )
        out[paths.GLOSSARY] = self._render("glossary.md.j2", paths.GLOSSARY, terms=sorted_terms(hb))
        out[paths.ORG_INDEX] = self._render(
            "org_index.md.j2", paths.ORG_INDEX, units=units_in_order(hb), totals=lambda u: unit_totals(hb, u)
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
        return out

    def role(self, role: Role) -> str:
        """One role page."""
        return self._render("role.md.j2", paths.page("role", role.id), role=role)


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


def unit_totals(hb: Handbook, unit_id: str) -> Mapping[str, int | None]:
    """Headcount of a unit and everything below it: computed, never typed."""
    current = planned = 0
    known_current = known_planned = False
    for uid in [unit_id, *hb.descendants(unit_id)]:
        for rid in hb.unit_roles.get(uid, []):
            count = role_headcount(hb, rid)
            if count[0] is not None:
                current += count[0]
                known_current = True
            if count[1] is not None:
                planned += count[1]
                known_planned = True
            elif count[0] is not None:
                planned += count[0]
    return {"current": current if known_current else None, "planned": planned if known_planned else None}


def role_headcount(hb: Handbook, role_id: str) -> tuple[int | None, int | None]:
    """``(current, planned)`` for a role; a ratio rule is applied to the counted role."""
    role = hb.roles[role_id]
    hc = role.headcount
    if hc is None:
        return None, None
    if hc.current is not None or hc.planned is not None:
        return hc.current, hc.planned
    if hc.ratio and hc.ratio.of in hb.roles and hc.ratio.of != role_id:
        base = hb.roles[hc.ratio.of].headcount
        if base and base.current is not None:
            return base.current * hc.ratio.count // hc.ratio.per, None
    return None, None
