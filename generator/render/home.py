"""The site's company, title and home page: what a handbook says about itself, from its company settings.

The top unit's ``company`` settings name the site (``site_name``, else its name and the words
for a role handbook) and open the home page (``welcome``, else a general sentence); the home
page lists the indexes this handbook has, with examples taken from its own data, so no
company's words appear in another's site.
"""

from __future__ import annotations

from typing import Any

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths
from ..model.entities import CompanySettings, Entity, Policy, Process, Term

#: How many examples a line of the home page gives.
EXAMPLES = 3


def site_company(hb: Handbook, locale: Locale) -> tuple[str, CompanySettings | None]:
    """The company the site is about, by name, with its settings: the one top unit's (a group's
    holding, when the companies sit under one); several top units are named together."""
    roots = hb.root_units()
    if len(roots) == 1:
        settings = hb.units[roots[0]].company
        return (settings.name if settings else hb.units[roots[0]].name), settings
    names = []
    for root in roots:
        unit = hb.units[root]
        names.append(unit.company.name if unit.company else unit.name)
    return locale.label("list_sep").join(dict.fromkeys(names)), None


def site_name(hb: Handbook, locale: Locale) -> str:
    """The site's title: the settings' ``site_name``, else the company's name and the words for a role handbook."""
    name, settings = site_company(hb, locale)
    if settings is not None and settings.site_name:
        return settings.site_name
    return locale.label("site_title").format(name=name).strip()


def _examples(texts: list[str], locale: Locale) -> str:
    quoted = [locale.label("home_example").format(text=t) for t in dict.fromkeys(texts) if t][:EXAMPLES]
    return locale.label("home_example_sep").join(quoted) if locale.label("home_example_sep") else "".join(quoted)


def _listed(texts: list[str], locale: Locale) -> str:
    return locale.label("list_sep").join(list(dict.fromkeys(t for t in texts if t))[:EXAMPLES])


def _cited(hb: Handbook, kind: str) -> list[Entity]:
    """The entities of ``kind``, the most referred to first (what readers meet most), then in file order."""
    table = list(hb.table(kind).values())
    return sorted(table, key=lambda e: -len(hb.referenced_by.get((kind, e.id), [])))


def page(hb: Handbook, locale: Locale) -> dict[str, Any]:
    """What the home page shows: the site's title, the welcome, the indexes there are, what to search."""
    name, settings = site_company(hb, locale)
    welcome = settings.welcome if settings is not None and settings.welcome else None
    processes = [p.title for p in _cited(hb, "process") if isinstance(p, Process)]
    policies = [p.title for p in _cited(hb, "policy") if isinstance(p, Policy)]
    terms = [t.abbreviation or t.term for t in _cited(hb, "term") if isinstance(t, Term)]
    label = locale.label
    start: list[tuple[str, str, str]] = [(paths.ORG_INDEX, label("org"), label("home_org"))]
    if hb.roles:
        start.append((paths.ROLES_INDEX, label("nav_roles"), label("home_roles")))
    if processes:
        start.append((paths.PROCESSES_INDEX, label("processes_of_unit"),
                      label("home_processes").format(examples=_listed(processes, locale))))
    if policies:
        start.append((paths.POLICIES_INDEX, label("policies"),
                      label("home_policies").format(examples=_listed(policies, locale))))
    if any(r.kpis for r in hb.roles.values()):
        start.append((paths.KPIS_INDEX, label("kpi_index"), label("home_kpis")))
    if processes:
        start.append((paths.RACI, label("raci"), label("home_raci")))
    if terms:
        glossary = label("home_glossary").format(examples=_listed(terms, locale))
        start.append((paths.GLOSSARY, label("glossary"), glossary))
    # What to try in the search box: the most cited meeting or process, term and rule, short ones first.
    clauses = sorted((c.title for p in _cited(hb, "policy")[:1] if isinstance(p, Policy) for c in p.clauses
                      if c.title), key=len)
    search = _examples([*processes[:1], *terms[:1], *clauses[:1]], locale)
    return {
        "site_name": site_name(hb, locale),
        "welcome": welcome or label("home_welcome").format(name=name),
        "start": start,
        "book": bool(hb.roles),
        "search": search,
    }
