"""What the theme shows around every page: its fixed words, dates, versions and the home page's role picker.

The generator writes what is the same on every page into ``extra`` (and the palette toggle into
``theme``) of the nav file mkdocs.yml inherits, and what belongs to one page (its stamp, the
role picker) into that page's front matter (:func:`add_page_meta`), so the templates under
``handbook/.theme/`` take every word from the locale file and every date from the YAML, and plain
``mkdocs build`` builds the same site. Per-page data stays out of ``extra`` on purpose: an engine
hands the whole config to every page it renders, so a map of every page's stamp there cost
pages × roles (at 1,000 roles the stamps and the picker were 240 kB of config on each of 3,080 pages).
"""

from __future__ import annotations

import html
import json
import posixpath
from pathlib import Path
from typing import Any

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths
from ..model.entities import Entity
from ..render.home import site_company, site_name
from ..render.pages import units_in_order

#: Labels the theme's templates and script read (``extra.handbook.labels``).
THEME_LABELS = (
    "effective_date", "version", "theme_updated", "theme_handbook_version", "theme_scroll_hint",
    "theme_chart_full", "theme_chart_close", "theme_404_title", "theme_404_text", "theme_404_search",
    "theme_404_home", "picker_title", "picker_unit", "picker_role", "picker_choose", "picker_role_page",
    "picker_onboarding", "picker_pdf", "picker_all", "onboarding_reset", "onboarding_print",
    "onboarding_saved", "onboarding_done", "theme_search", "theme_sections", "preview_broken_title",
    "search_title", "search_placeholder", "search_close", "search_loading", "search_none", "search_one",
    "search_many", "search_failed", "search_results",
)


def _stamp(entity: Entity) -> list[str]:
    return [entity.effective_date.isoformat() if entity.effective_date else "", entity.version or ""]


def page_stamps(hb: Handbook) -> dict[str, list[str]]:
    """Docs path → ``[effective date, version]`` for every page made from one entry that has either."""
    out: dict[str, list[str]] = {}
    for kind, entity in hb.all_entities():
        if kind == "term" or not (entity.effective_date or entity.version):
            continue
        out[paths.page(kind, entity.id)] = _stamp(entity)
    return dict(sorted(out.items()))


#: Where a page (hand-written, or the generated home page) asks for the role picker.
PICKER_PLACE = b'<div class="handbook-role-picker"></div>'
#: Front matter key the theme's stamp partial reads.
STAMP_KEY = "handbook_stamp"


def picker_html(hb: Handbook, locale: Locale, page: str) -> str:
    """The home page's "find my role" for the page at docs path ``page``: each unit opens (a tap) to its
    roles, each role's page a tap away, with its checklist (a section of that page) and PDF beside it.

    Plain links in ``<details>``, no script: three taps from the home page to a role's KPIs. Written
    into the page itself, links relative to its Markdown file (raw HTML links, see rawlinks.py): in
    ``extra`` or the front matter it cost every page of the site its size (both engines hand each
    page the config, and Zensical the nav pages' front matter too).
    """
    folder = posixpath.dirname(page)

    def href(path: str) -> str:
        return html.escape(posixpath.relpath(path, folder or "."))

    more = html.escape(locale.label("picker_onboarding")), html.escape(locale.label("picker_pdf"))
    out = ['<div class="handbook-picker" data-picker>']
    for _depth, uid in units_in_order(hb):
        rids = hb.unit_roles.get(uid, [])
        if not rids:
            continue
        out.append(f'<details class="handbook-picker__unit" data-picker-unit="{html.escape(uid)}">')
        out.append(f'<summary><span class="handbook-picker__name">{html.escape(hb.units[uid].name)}</span> '
                   f'<span class="handbook-picker__count">{len(rids)}</span></summary>')
        out.append('<ul class="handbook-picker__roles">')
        for rid in rids:
            page_href = href(paths.page("role", rid))
            out.append(
                f'<li><a class="handbook-picker__role" href="{page_href}">'
                f'{html.escape(hb.roles[rid].title)}</a><span class="handbook-picker__more">'
                f'<a href="{page_href}#{paths.ONBOARDING}" data-picker-link="onboarding">{more[0]}</a> '
                f'<a href="{href(f"pdf/{rid}.pdf")}" data-picker-link="pdf">{more[1]}</a></span></li>'
            )
        out.append("</ul>")
        out.append("</details>")
    out.append(f'<p class="handbook-picker__all"><a href="{href(paths.ROLES_INDEX)}">'
               f'{html.escape(locale.label("picker_all"))}</a></p>')
    out.append("</div>")
    return "\n".join(out)


def with_front_matter(text: bytes, entries: dict[str, Any]) -> bytes:
    """The page with ``entries`` (each a line of JSON, which YAML reads as it is) first in its front matter."""
    lines = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in entries.items()).encode()
    if text.startswith(b"---\n"):
        return b"---\n" + lines + text[4:]
    return b"---\n" + lines + b"---\n\n" + text


def add_page_meta(files: dict[str, bytes], hb: Handbook, locale: Locale, docs: str) -> None:
    """Each page's own stamp into its front matter; the role picker into the pages that place it."""
    stamps = page_stamps(hb)
    for key, text in files.items():
        rel = key.removeprefix(f"{docs}/")
        if not key.startswith(f"{docs}/") or not rel.endswith(".md"):
            continue
        if PICKER_PLACE in text:
            text = text.replace(PICKER_PLACE, picker_html(hb, locale, rel).encode())
        if rel in stamps:
            text = with_front_matter(text, {STAMP_KEY: stamps[rel]})
        files[key] = text


def last_updated(hb: Handbook) -> str:
    """The newest effective date of any entry: the handbook's 最后更新, the same on every build."""
    dates = [e.effective_date for _, e in hb.all_entities() if e.effective_date]
    return max(dates).isoformat() if dates else ""


def handbook_version(hb: Handbook) -> str:
    """The company's version label (the one root unit's ``version``), when it states one."""
    roots = hb.root_units()
    return (hb.units[roots[0]].version or "") if len(roots) == 1 else ""


def palette(locale: Locale) -> list[dict[str, Any]]:
    """Light and dark schemes with a toggle; the first follows the reader's system setting."""
    return [
        {"media": "(prefers-color-scheme: light)", "scheme": "default", "primary": "indigo", "accent": "indigo",
         "toggle": {"icon": "material/weather-night", "name": locale.label("theme_to_dark")}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", "primary": "indigo", "accent": "indigo",
         "toggle": {"icon": "material/weather-sunny", "name": locale.label("theme_to_light")}},
    ]


def company_logo(hb: Handbook) -> Path | None:
    """The site's logo: the top company's, when there is one top unit and its logo file exists."""
    roots = hb.root_units()
    path = hb.logo_file(roots[0]) if len(roots) == 1 else None
    return path if path is not None and path.is_file() else None


#: Markdown extensions every company's site uses, in ``mkdocs.yml``'s place: a list cannot be split
#: between two files the two engines merge differently (MkDocs replaces it, Zensical appends), and the
#: heading links' title is in the site's language.
def markdown_extensions(locale: Locale) -> list[Any]:
    """The Markdown extensions of the site, their words in ``locale``."""
    return [
        "tables",
        "attr_list",
        "generator.site.mdabbr",  # abbr, with boundaries that work in Chinese text
        # Links in raw HTML (org charts, PDF links) read from the Markdown file on MkDocs too, as on Zensical.
        "generator.site.rawlinks",
        "admonition",
        "md_in_html",
        {"pymdownx.tasklist": {"custom_checkbox": True}},
        {"toc": {"permalink": "¶", "permalink_title": locale.label("permalink_title")}},
    ]


def site_settings(hb: Handbook, locale: Locale) -> dict[str, Any]:
    """What is the company's own in the site's config: its title, description, language and Markdown words."""
    _, settings = site_company(hb, locale)
    description = settings.description if settings is not None and settings.description else None
    # HTML-escaped here: both engines' templates print site_name and site_description raw, in
    # text and in attributes, and they now come from HR's YAML (a name may hold & or quotes).
    return {
        "site_name": html.escape(site_name(hb, locale)),
        "site_description": html.escape(description or locale.label("site_description")),
        "markdown_extensions": markdown_extensions(locale),
    }


def theme_config(hb: Handbook, locale: Locale) -> dict[str, Any]:
    """The site's own settings (title, language …) and the ``extra`` and ``theme`` settings the nav
    file carries for the theme."""
    handbook = {
        "labels": {key: locale.label(key) for key in THEME_LABELS},
        "company": site_company(hb, locale)[0],
        "version": handbook_version(hb),
        "updated": last_updated(hb),
    }
    theme = {"language": locale.lang, "palette": palette(locale)}
    return {**site_settings(hb, locale), "extra": {"handbook": handbook}, "theme": theme}
