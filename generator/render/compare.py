"""Roles side by side: a career path's levels section by section, what each level adds marked; the picker's data.

The career paths starting in one unit share one page (``compare/units/<unit>.md``), each path a
section anchored at its entry role's id: at 1,000 roles some 900 paths were a page each, a third
of the site's pages, and both engines pay per page (its nav, its template). Each path's old page
URL (``compare/<start>/``) is a redirect to its section (:func:`redirects`).
"""

from __future__ import annotations

import functools
import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from markupsafe import Markup

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import registry
from ..model.entities import DutyItem, Role
from ..model.refs import split_text
from . import formatting
from .sections import Part, facts, part_text

INDEX = "compare/index.md"
#: The sections compared, in page order (locale keys of their headings).
SECTIONS = ("duties", "qualifications", "kpi_table")


def page(unit: str) -> str:
    """Docs path of the comparison page of the career paths whose entry role is in ``unit``."""
    return f"compare/units/{unit}.md"


def location(hb: Handbook, start: str) -> tuple[str, str]:
    """Docs path and anchor of the section of the career path starting at role ``start``."""
    return page(hb.roles[start].unit), start


def old_page(start: str) -> str:
    """Docs path of the redirect left where the path's page of its own was (``compare/<start>/``)."""
    return f"compare/{start}/index.html"


def by_unit(hb: Handbook) -> dict[str, list[str]]:
    """The entry roles of the career paths, by their unit's id, in path order."""
    out: dict[str, list[str]] = {}
    for start in paths_by_start(hb):
        out.setdefault(hb.roles[start].unit, []).append(start)
    return out


@dataclass(frozen=True)
class Row:
    """One section across the compared roles: per role, its items and whether each is new."""

    section: str
    cells: list[list[tuple[str, bool]]]


def items(hb: Handbook, role: Role, locale: Locale) -> dict[str, list[str]]:
    """A role's comparable items per section, as text (references still in ``[[…]]`` form)."""
    colon = locale.label("colon")
    quals: list[str] = []
    if role.qualifications is not None:
        # Every qualification the role gives, one item each, in the words its page uses.
        for part in facts(hb, locale, role.qualifications):
            values = part.value if isinstance(part.value, tuple) else (part.value,)
            for value in values:
                text = part_text(Part(part.name, part.label, value))
                quals.append(text if part.layout == "bullets" else f"{part.label}{colon}{text}")
    return {
        "duties": [f"{area.area}{colon}{_duty(item, locale)}" for area in role.duties for item in area.items],
        "qualifications": quals,
        "kpi_table": [f"{k.metric} {formatting.target(k, locale)}" for k in role.kpis],
    }


def _duty(item: DutyItem, locale: Locale) -> str:
    """A duty's text, with its deadlines and response limits in brackets when it has any."""
    timing = formatting.timing(item.deadlines, item.response_times, locale)
    return f"{item.text}{locale.label('paren_open')}{timing}{locale.label('paren_close')}" if timing else item.text


def side_by_side(hb: Handbook, role_ids: list[str], locale: Locale) -> list[Row]:
    """Each section across ``role_ids`` as plain text; an item is new when the role before it lacks it."""
    per_role = [{k: [plain(t, hb) for t in v] for k, v in items(hb, hb.roles[rid], locale).items()} for rid in role_ids]
    rows = []
    for section in SECTIONS:
        cells, before = [], None
        for found in per_role:
            texts = found[section]
            cells.append([(t, before is not None and t not in before) for t in texts])
            before = set(texts)
        rows.append(Row(section, cells))
    return rows


def paths_by_start(hb: Handbook) -> dict[str, list[str]]:
    """Every career path once, by the id of its entry-level role, in role order."""
    out: dict[str, list[str]] = {}
    for path in hb.career_paths.values():
        out.setdefault(path[0], path)
    return out


def plain(text: str, hb: Handbook) -> str:
    """Text with references replaced by the names they point at (for the picker's data)."""
    out = []
    for part in split_text(text):
        if isinstance(part, str):
            out.append(part)
        else:
            entity = hb.get(part.kind, part.id)
            out.append(part.label or (registry.display_name(entity) if entity is not None else part.id))
    return "".join(out)


def picker_data(hb: Handbook) -> Markup:
    """Role id → title as JSON for the page's picker, and whether roles have versions, safe inside ``<script>``.

    Only titles: the picker reads the two roles' sections from their own pages (or, with
    releases, from their :data:`VERSIONS` files) when a reader picks them, so editing a duty
    rewrites that role's page and not this one as well."""
    titles = {rid: role.title for rid, role in hb.roles.items()}
    text = json.dumps({"titles": titles, "versions": versioned(hb)}, ensure_ascii=False, sort_keys=True)
    # "</script>" or "<!--" in YAML text must not end the script element: "<" is written as \u003c.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


#: Section → the id of its heading on a role page, where the picker reads it.
ANCHORS = {"duties": "duties", "qualifications": "qualifications", "kpi_table": "kpis"}


#: Where a role's versions are, for the picker: now, and as each release that changed it published it.
VERSIONS = "compare/versions/{id}.json"


def versioned(hb: Handbook) -> bool:
    """True when releases kept roles' versions (a git history with tags), so that the picker offers them."""
    return any(rev.entity is not None for (kind, _), revs in hb.revisions.items() if kind == "role" for rev in revs)


def _sections(role: Role, hb: Handbook, locale: Locale) -> dict[str, list[str]]:
    return {ANCHORS[k]: [plain(t, hb) for t in v] for k, v in items(hb, role, locale).items()}


def version_files(hb: Handbook, locale: Locale) -> dict[str, str]:
    """Every role's :data:`VERSIONS` file as JSON, newest first; none without releases.

    Both sides of a comparison read their items from these files, so a role now and as a
    release published it are worded alike (an item's text, never the page's HTML)."""
    if not versioned(hb):
        return {}
    out = {}
    po, pc = locale.label("paren_open"), locale.label("paren_close")
    for rid, role in hb.roles.items():
        shown = [{"name": "", "label": locale.label("compare_now"), "title": role.title,
                  "items": _sections(role, hb, locale)}]
        for rev in reversed(hb.revisions.get(("role", rid), [])):
            if isinstance(rev.entity, Role):
                shown.append({"name": rev.release, "label": f"{rev.release}{po}{rev.date.isoformat()}{pc}",
                              "title": rev.entity.title, "items": _sections(rev.entity, hb, locale)})
        out[VERSIONS.format(id=rid)] = json.dumps({"versions": shown}, ensure_ascii=False, sort_keys=True) + "\n"
    return out


class _Renders(Protocol):
    hb: Handbook
    locale: Locale

    def _render(self, template: str, page: str, **context: Any) -> str: ...


def pages(renderer: _Renders, hb: Handbook) -> dict[str, Callable[[], str]]:
    """The comparison pages of ``hb``'s career paths and the picker page; none without a path."""
    starts = paths_by_start(hb)
    if not starts and not versioned(hb):
        return {}

    def unit_page(unit: str) -> str:
        view = renderer.hb
        found = view.units.get(unit)
        shown = [(start, view.career_paths[start]) for start in by_unit(view).get(unit, [])]
        return renderer._render(
            "compare.md.j2", page(unit), unit=found.name if found is not None else unit, index=INDEX,
            career=[(start, path, side_by_side(view, path, renderer.locale)) for start, path in shown],
        )

    def index() -> str:
        view = renderer.hb
        names = [
            (location(view, start), " → ".join(view.roles[rid].title for rid in path))
            for start, path in paths_by_start(view).items()
        ]
        return renderer._render(
            "compare_index.md.j2", INDEX, starts=names, sections=SECTIONS,
            data=picker_data(view), anchors=ANCHORS,
        )

    out: dict[str, Callable[[], str]] = {INDEX: index}
    out.update({page(unit): functools.partial(unit_page, unit) for unit in by_unit(hb)})
    return out


def redirects(hb: Handbook) -> dict[str, str]:
    """``{docs path of a path's old page: href of its section}``, relative to the old page."""
    out = {}
    for start in paths_by_start(hb):
        target, anchor = location(hb, start)
        href = posixpath.relpath(target.removesuffix(".md"), posixpath.dirname(old_page(start)))
        out[old_page(start)] = f"{href}/#{anchor}"
    return out
