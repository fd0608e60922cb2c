"""Static redirect pages at renamed entities' old URLs, so links in old material keep working."""

from __future__ import annotations

import posixpath

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths, registry
from ..render.env import make_env
from ..render.writer import display_name


def redirect_pages(hb: Handbook, locale: Locale) -> dict[str, str]:
    """``{docs path of old URL's index.html: html}`` for every alias of a role, process, unit or policy."""
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
    return out
