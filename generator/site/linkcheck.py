"""Every link and anchor of a built site, read back from its HTML: each lands on a file there, its #fragment on an id.

The engines check the links they resolve themselves (Markdown links, and on Zensical the
``.md`` links of raw HTML); a link to a file they do not know (a PDF written after them), an
``href`` in SVG, a redirect or a link a template got wrong is seen only in what they wrote.
And the two engines once read a relative URL in raw HTML differently (``site/rawlinks.py``),
so the check runs over each engine's own output.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: The attributes that name another resource, by tag (SVG's ``xlink:href`` as well as ``href``).
_LINK_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href", "xlink:href"),
    "area": ("href",),
    "link": ("href",),
    "img": ("src",),
    "script": ("src",),
    "source": ("src",),
    "iframe": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
_REFRESH_URL = re.compile(r"^\s*\d+\s*;\s*url\s*=\s*(.+?)\s*$", re.I)


@dataclass(frozen=True)
class BrokenLink:
    """One link that does not land."""

    page: str
    """The page holding it, relative to the site folder."""
    href: str
    """The URL as written in the page."""
    reason: str
    """``missing`` (no such file), ``anchor`` (no such id there), ``outside`` (above the site root)
    or ``absolute`` (a path from the server root, which breaks when the site is not at the root)."""

    def __str__(self) -> str:
        return f"{self.page} → {self.href} ({self.reason})"


@dataclass
class LinkReport:
    """What :func:`check_site` followed and what did not land."""

    pages: int = 0
    links: int = 0
    """Links inside the site that were followed (external ones are not counted)."""
    broken: list[BrokenLink] = field(default_factory=list)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for attr in _LINK_ATTRS.get(tag, ()):
            if attr in values:
                self.links.append(values[attr])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            # A redirect page (a renamed id's old URL) links by its refresh.
            found = _REFRESH_URL.match(values.get("content", ""))
            if found:
                self.links.append(found[1].strip("'\""))

    handle_startendtag = handle_starttag


def _external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc) or href.startswith(("mailto:", "javascript:", "data:", "tel:"))


def target(site: Path, page: str, href: str) -> tuple[str | None, str]:
    """The site-relative file a link on ``page`` leads to (a folder's ``index.html``) and its
    anchor; None for the file, with the reason in place of the anchor, when it leads nowhere in the site."""
    parts = urlsplit(href)
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    if not path:
        return page, anchor
    if path.startswith("/"):
        return None, "absolute"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined == ".." or joined.startswith("../"):
        return None, "outside"
    file = "" if joined == "." else joined
    if path.endswith("/") or file == "" or (site / file).is_dir():
        file = posixpath.join(file, "index.html") if file else "index.html"
    return file, anchor


def page_links(path: Path) -> list[str]:
    """Every URL one HTML file links to, as written (``href``, ``src``, SVG's ``xlink:href``, a refresh)."""
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page.links


def check_site(site: Path, *, later: Collection[str] = ()) -> LinkReport:
    """Follow every link of every HTML page under ``site``; ``later`` names site-relative files a
    later step writes (the PDFs), which count as present."""
    report = LinkReport()
    parsed: dict[str, _Page] = {}

    def parse(rel: str) -> _Page:
        # Each page once: one page is the target of hundreds of anchored links.
        if rel not in parsed:
            page = _Page()
            page.feed((site / rel).read_text(encoding="utf-8"))
            page.close()
            parsed[rel] = page
        return parsed[rel]

    for rel in _pages(site):
        report.pages += 1
        for href in parse(rel).links:
            if _external(href):
                continue
            report.links += 1
            file, anchor = target(site, rel, href)
            if file is None:
                report.broken.append(BrokenLink(rel, href, anchor))
            elif not (site / file).is_file():
                if file not in later:
                    report.broken.append(BrokenLink(rel, href, "missing"))
            elif anchor and file.endswith(".html") and anchor not in parse(file).ids:
                report.broken.append(BrokenLink(rel, href, "anchor"))
    return report


def _pages(site: Path) -> Iterator[str]:
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        # The root 404 page is served at any URL, so the engines write its links from the site root.
        if rel != "404.html":
            yield rel
