"""The site's nav (grouped by unit) and the jieba user dictionary for Chinese search."""

from __future__ import annotations

import html
import re
from typing import Any

import yaml

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths, registry
from ..render import compare
from ..render.collation import pinyin_key, process_key

NavItem = dict[str, Any] | str

#: Above this many pages the nav lists units and index pages only (see :func:`build_nav`).
NAV_FULL_MAX_PAGES = 300

#: One unbroken word: letters and digits of any script, no spaces or punctuation.
_WORD = re.compile(r"^\w+$")


def _title(text: str) -> str:
    # MkDocs themes print nav titles without escaping; YAML text must not become markup.
    return html.escape(text, quote=False)


def _unit_pages(hb: Handbook, locale: Locale, unit_id: str) -> list[NavItem]:
    """A unit's own pages in three groups, 岗位 / 流程与会议 / 制度: processes by time of day, then
    how often they run; roles and policies by pinyin (an id or file order means nothing to a reader)."""
    roles = sorted(hb.unit_roles.get(unit_id, []), key=lambda rid: pinyin_key(hb.roles[rid].title))
    processes = sorted(hb.unit_processes.get(unit_id, []), key=lambda pid: process_key(hb.processes[pid]))
    policies = sorted(hb.unit_policies.get(unit_id, []), key=lambda pid: pinyin_key(hb.policies[pid].title))
    groups: list[tuple[str, list[NavItem]]] = [
        ("nav_group_roles", [{_title(hb.roles[rid].title): paths.page("role", rid)} for rid in roles]),
        ("nav_group_processes", [{_title(hb.processes[pid].title): paths.page("process", pid)} for pid in processes]),
        ("nav_group_policies", [{_title(hb.policies[pid].title): paths.page("policy", pid)} for pid in policies]),
    ]
    return [{_title(locale.label(key)): items} for key, items in groups if items]


def _unit_section(hb: Handbook, locale: Locale, unit_id: str, seen: set[str], short: bool = False) -> NavItem:
    seen.add(unit_id)
    unit = hb.units[unit_id]
    own = [] if short else _unit_pages(hb, locale, unit_id)
    children = hb.unit_children.get(unit_id, [])
    below = [_unit_section(hb, locale, child, seen, short) for child in children if child not in seen]
    items: list[NavItem] = [paths.page("unit", unit_id)]
    if short and not below:
        return {_title(unit.name): paths.page("unit", unit_id)}
    if own and below:
        # A unit with sub-units keeps its own pages in one folded group, so its sub-units show
        # at once instead of below every role; a page in a sub-unit then draws one line for
        # them, not one per role, which keeps a 1,000-role site's nav small on every page.
        items.append({_title(locale.label("nav_own_pages").format(name=unit.name)): own})
    else:
        items += own
    return {_title(unit.name): items + below}


def compare_nav(hb: Handbook, locale: Locale, compact: bool = False) -> list[NavItem]:
    """The side-by-side pages: the picker, then one per unit where career paths start; nothing
    without a path or versions."""
    units = compare.by_unit(hb)
    if not units and not compare.versioned(hb):
        return []
    if compact:
        return [{_title(locale.label("compare")): compare.INDEX}]
    pages: list[NavItem] = [compare.INDEX]
    for uid in units:
        # Keyed by id: two branches may each have a unit of the same name.
        unit = hb.units.get(uid)
        pages.append({_title(unit.name if unit is not None else uid): compare.page(uid)})
    return [{_title(locale.label("compare")): pages}]


def compact(page_count: int) -> bool:
    """True when a handbook of ``page_count`` generated pages gets the short nav (:func:`build_nav`)."""
    return page_count > NAV_FULL_MAX_PAGES


def build_nav(
    hb: Handbook, locale: Locale, extra_pages: list[tuple[str, str]], *, short: bool = False
) -> list[NavItem]:
    """The nav tree: home, org by unit, company policies, indexes, hand-written guides.

    ``short`` (a large handbook, :func:`compact`): units and index pages only. Both engines
    render the whole nav into every page, so a nav that lists every role costs pages × roles
    (Zensical's build grew 2.5× for twice the roles); a reader reaches a role through its
    unit's page, the home page's role picker, the role index or the search.
    """
    seen: set[str] = set()
    org: list[NavItem] = [paths.ORG_INDEX]
    for root in hb.root_units():
        org.append(_unit_section(hb, locale, root, seen, short))
    for uid in hb.units:  # units in a cycle have no root; list them so no page is lost
        if uid not in seen:
            org.append(_unit_section(hb, locale, uid, seen, short))
    placed = {pid for pids in hb.unit_policies.values() for pid in pids}
    policies: list[NavItem] = [paths.POLICIES_INDEX]
    for policy in hb.policies.values():
        if not short and (policy.id not in placed or policy.unit not in hb.units):
            policies.append({_title(policy.title): paths.page("policy", policy.id)})
    orphan_roles = [r for r in hb.roles.values() if r.unit not in hb.units]
    indexes: list[NavItem] = [
        {_title(locale.label("nav_roles")): paths.ROLES_INDEX},
        {_title(locale.label("processes_of_unit")): paths.PROCESSES_INDEX},
        {_title(locale.label("kpi_index")): paths.KPIS_INDEX},
        {_title(locale.label("raci")): paths.RACI},
        {_title(locale.label("changes")): paths.CHANGES},
        {_title(locale.label("completeness")): paths.COMPLETENESS},
        {_title(locale.label("glossary")): paths.GLOSSARY},
    ]
    indexes += compare_nav(hb, locale, short)
    # A role of no unit has no unit page to be found from: listed even in the short nav.
    indexes += [{_title(r.title): paths.page("role", r.id)} for r in orphan_roles]
    nav: list[NavItem] = [{_title(locale.label("home")): "index.md"}]
    nav.append({_title(locale.label("org")): org})
    nav.append({_title(locale.label("policies")): policies})
    nav += indexes
    nav += _kind_sections(hb, locale, short)
    nav += [{_title(title): page} for page, title in extra_pages]
    return nav


def _kind_sections(hb: Handbook, locale: Locale, short: bool = False) -> list[NavItem]:
    """A section per kind the registry places in its own section: its index, then each entity (if not ``short``)."""
    out: list[NavItem] = []
    for kind in registry.KINDS.values():
        if kind.nav is registry.Nav.SECTION:
            if short:
                out.append({_title(locale.label(kind.nav_label)): kind.index})
                continue
            items: list[NavItem] = [kind.index]
            for entity in hb.table(kind.name).values():
                items.append({_title(registry.display_name(entity)): paths.page(kind.name, entity.id)})
            out.append({_title(locale.label(kind.nav_label)): items})
    return out


#: Pages every nav leaves out: the live preview's problem page, linked from its banner.
_NOT_IN_NAV = ("/preview-problems.md",)


def _nav_pages(items: list[NavItem]) -> set[str]:
    out: set[str] = set()
    for item in items:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            if isinstance(value, list):
                out |= _nav_pages(value)
            else:
                out.add(value)
    return out


def not_in_nav(nav: list[NavItem], pages: list[str], short: bool) -> str:
    """The ``not_in_nav`` patterns: pages left out of the nav on purpose, so the strict build does not warn.

    The short nav leaves out whole folders of pages (roles, processes …): a pattern per folder,
    not per page, so the engines match a few patterns against each file, not thousands.
    """
    listed = _nav_pages(nav) if short else set()
    folders = sorted({page.split("/", 1)[0] for page in pages if short and page not in listed and "/" in page})
    patterns = [*_NOT_IN_NAV, *(f"/{folder}/*" for folder in folders)]
    return "".join(f"{line}\n" for line in patterns)


def nav_yaml(nav: list[NavItem], settings: dict[str, Any] | None = None) -> str:
    """The file mkdocs.yml inherits (``INHERIT``) to get the generated nav (and ``settings``, the theme's data)."""
    header = "# Generated by `handbook generate`; do not edit. mkdocs.yml inherits this file.\n"
    # libyaml's dumper when present: the Python one took a fifth of a one-file regenerate.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    data = {"nav": nav, **(settings or {})}
    return header + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000)


#: Role titles up to this many characters join the search dictionary (see jieba_words).
_SHORT_TITLE = 4


def jieba_words(hb: Handbook) -> list[str]:
    """Domain words that must stay single search tokens: glossary terms and short role titles.

    Long titles are left to jieba on purpose. A dictionary word becomes one opaque token, and
    the search box only matches the start of a token: with 理财经理营业前工作流程 as one token,
    营业 never finds that process, and such rare long tokens outranked the role pages people
    look for. Short role titles (续保专员, 理财经理) must be whole, or Material's query splitter
    searches only their first word (measured in tests/browser/test_search.py).
    """
    words = {term.term for term in hb.terms.values()}
    words |= {role.title for role in hb.roles.values() if len(role.title) <= _SHORT_TITLE}
    # jieba's dictionary format is "word [freq] [tag]" split on spaces, so a word must
    # be one unbroken token; long phrases would only hurt segmentation.
    return sorted(w for w in words if _WORD.match(w) and 2 <= len(w) <= 12)


def jieba_dict(hb: Handbook) -> str:
    """The jieba user dictionary file's text (no frequency: jieba derives one that wins)."""
    return "".join(f"{w}\n" for w in jieba_words(hb))
