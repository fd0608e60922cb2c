"""Each page's own language in the built site: a group's company that writes in another language
than the site (a Traditional company in a Simplified group) has its pages marked ``<html lang="zh-Hant">``.

Neither engine sets ``lang`` per page (both write the theme's one language into every page's
``<html>``), so the build sets it on the built HTML, the same way for both engines; screen readers,
fonts and the browser's hyphenation and translation offer read it."""

from __future__ import annotations

import re
from pathlib import Path

from ..link.handbook import Handbook
from ..render.pages import page_languages

_HTML_LANG = re.compile(r'<html lang="[^"]*"')


def html_file(site: Path, md: str) -> Path:
    """The built HTML file of a Markdown page: ``roles/x.md`` → ``roles/x/index.html``."""
    path = md.removesuffix("index.md").removesuffix(".md")
    return site / path / "index.html" if not md.endswith("index.md") and path else site / (path + "index.html")


def mark_languages(site: Path, hb: Handbook, site_lang: str) -> int:
    """Set ``<html lang>`` on every page of ``site`` written in another language than ``site_lang``;
    returns how many pages were marked."""
    marked = 0
    for md, lang in page_languages(hb, site_lang).items():
        html = html_file(site, md)
        if not html.is_file():
            continue
        text = html.read_text(encoding="utf-8")
        new = _HTML_LANG.sub(f'<html lang="{lang}"', text, count=1)
        if new != text:
            html.write_text(new, encoding="utf-8")
            marked += 1
    return marked
