"""Site pages as chapters of a printed book: processes, policies, the glossary and the RACI matrix.

A chapter is the page's own generated Markdown turned into HTML with the site's Markdown
extensions, so the book says exactly what the site says and no second template can drift.
Two things change on the way into one document: every id gets the chapter's prefix (each
page has its own ``#facts``), and every link points inside the book (a page the book holds
becomes its anchor; a page it does not hold keeps its words and loses the link, since a
relative ``.md`` link means nothing on paper).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

import markdown
from markupsafe import Markup, escape

from ..i18n import Locale
from ..link.handbook import Handbook
from ..model import paths, registry
from ..render.pages import Renderer

#: The Markdown extensions of mkdocs.yml that the chapters use; ``toc`` without permalinks (no ¶ on paper).
EXTENSIONS = ["tables", "attr_list", "generator.site.mdabbr", "admonition", "md_in_html", "pymdownx.tasklist", "toc"]

#: The kinds whose site pages become chapters, with the word that heads their pages.
CHAPTER_KINDS = {"process": "nav_group_processes", "policy": "nav_group_policies"}

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>\s*", re.S)
_ID = re.compile(r'\bid="([^"]*)"')
_LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.S)
_TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Chapter:
    """One site page laid out for the book: its anchor, its title, its body as HTML, and the
    kind of page it is in the reader's words (the running header of its pages)."""

    anchor: str
    title: str
    body: Markup
    kind: str


def anchor(kind: str, ident: str) -> str:
    """The id an entity's part of a book starts at (``role-x``, ``unit-x``, ``process-x`` …)."""
    return f"{kind}-{ident}"


class Chapters:
    """Turns one handbook's site pages into chapters for any of its books."""

    def __init__(self, hb: Handbook, locale: Locale) -> None:
        self.pages = Renderer(hb, locale).page_list()
        #: docs-relative page path → the anchor its part of a book starts at (a book holds some of them).
        self.anchors = {
            paths.page(kind, ident): anchor(kind, ident)
            for kind in registry.KINDS for ident in hb.table(kind) if "#" not in paths.page(kind, ident)
        }
        self.anchors[paths.GLOSSARY] = "glossary"
        self.anchors[paths.RACI] = "raci"
        #: chapter page → the running header of its pages. Chapters keep their section ids (behind
        #: the prefix); role and unit parts come from the print templates, whose ids differ.
        self.kinds = {paths.page(kind, ident): locale.label(word) for kind, word in CHAPTER_KINDS.items()
                      for ident in hb.table(kind)}
        self.kinds[paths.GLOSSARY] = locale.label("glossary")
        self.kinds[paths.RACI] = locale.label("raci")

    def chapter(self, page: str, inside: Callable[[str], bool]) -> Chapter:
        """The chapter of ``page`` (a docs-relative path the site renders)."""
        prefix = self.anchors[page]
        html = markdown.markdown(_FRONT_MATTER.sub("", self.pages[page]()), extensions=EXTENSIONS,
                                 extension_configs={"toc": {"permalink": False}})
        found = _H1.search(html)
        title = unescape(_TAGS.sub("", found.group(1))).strip() if found else prefix
        if found:
            html = html[: found.start()] + html[found.end() :]
        html = _ID.sub(lambda m: f'id="{prefix}--{m.group(1)}"', html)
        html = _LINK.sub(lambda m: self._link(page, m, inside), html)
        return Chapter(prefix, title, Markup(html), self.kinds.get(page, ""))

    def _link(self, page: str, m: re.Match[str], inside: Callable[[str], bool]) -> str:
        before, href, after, text = m.groups()
        target, _, fragment = unescape(href).partition("#")
        if not target:
            dest = page
        elif "://" in target or target.startswith(("/", "mailto:")):
            return m.group(0)  # an address outside the handbook prints as it is
        else:
            dest = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
        key = self.anchors.get(dest)
        if key is None or not inside(key):
            return f"<span{before}{after}>{text}</span>"
        if fragment and dest in self.kinds:
            key = f"{key}--{fragment}"
        return f'<a{before}href="#{escape(key)}"{after}>{text}</a>'
