"""Static redirect pages at old URLs (renamed entities, career paths' and onboarding checklists' pages),
so old links keep working."""

from __future__ import annotations

import posixpath

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths, registry
from ..render import compare, onboarding
from ..render.env import make_env
from ..render.writer import display_name


def redirect_pages(hb: Handbook, locale: Locale) -> dict[str, str]:
    """``{docs path of old URL's index.html: html}`` for every alias of a role, process, unit or policy,
    for every career path's page of its own, now a section of its unit's comparison page, and for every
    role's onboarding checklist page, now a section of the role's page."""
    env = make_env()
    template = env.get_template("redirect.html.j2")
    out: dict[str, str] = {}
    for (kind, alias), current in sorted(hb.aliases.items()):
        if registry.kind(kind).shared_page:
            continue  # terms share the glossary page; their anchors are not URLs of their own
        source = paths.redirect(kind, alias)
        target_dir = posixpath.dirname(paths.redirect(kind, current))
        href = posixpath.relpath(target_dir, posixpath.dirname(source)) + "/"
        entity = hb.table(kind)[current]
        out[source] = template.render(
            href=href, title=display_name(entity), lang=locale.lang, moved=locale.label("moved_to")
        )
    for source, href in compare.redirects(hb).items():
        start = source.split("/")[1]
        title = " → ".join(hb.roles[rid].title for rid in hb.career_paths[start])
        html = template.render(href=href, title=title, lang=locale.lang, moved=locale.label("moved_to"))
        out.setdefault(source, html)
    checklist = locale.label("onboarding") + locale.label("colon")
    for source, (href, rid) in onboarding.redirects(hb).items():
        title = checklist + hb.roles[rid].title
        html = template.render(href=href, title=title, lang=locale.lang, moved=locale.label("moved_to"))
        out.setdefault(source, html)
    return out
