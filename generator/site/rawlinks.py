"""Links in raw HTML read from the Markdown file, as Markdown links do, on both site engines.

Zensical reads a relative ``href`` or ``src`` in raw HTML (an org chart's inline SVG, a PDF
link) from the Markdown file's folder, as it reads a Markdown link, and turns ``x.md`` into
the page's URL; MkDocs leaves raw HTML exactly as written, so the same link lands one folder
off on a page like ``roles/x.md`` (served at ``roles/x/``). This extension, named in
mkdocs.yml, gives MkDocs Zensical's reading: while MkDocs renders a page (its ``relpath`` link
rewriter is registered), each relative URL in raw HTML is rewritten the way MkDocs rewrites a
Markdown link — a ``.md`` target through MkDocs itself, so it is checked like any link — and
any other file from the Markdown file's folder. Under Zensical it does nothing.
"""

from __future__ import annotations

import posixpath
import re
from html import escape, unescape
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from markdown import Extension
from markdown.postprocessors import Postprocessor

_TAG = re.compile(r"<[A-Za-z][^<>]*>")
# Zensical rewrites these two; SVG's xlink:href it leaves as written, and so does this.
_ATTR = re.compile(r"""(?<=\s)(href|src)(\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.I)


def _rewrite(url: str, relpath: Any) -> str:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or url.startswith(("/", "\\")):
        return url
    if parts.path.endswith(".md"):
        # MkDocs' own rewriter: page URL, and the link (and its anchor) validated like a Markdown link.
        return str(relpath.path_to_url(url))
    from mkdocs.utils import get_relative_url

    source = relpath.file.src_uri
    target = posixpath.normpath(posixpath.join(posixpath.dirname(source), parts.path))
    if parts.path.endswith("/"):
        target += "/"
    found = relpath.files.get_file_from_path(target)
    path = get_relative_url(found.url if found else target, relpath.file.url)
    return urlunsplit(("", "", path, parts.query, parts.fragment))


class RawLinksPostprocessor(Postprocessor):
    """Rewrites relative URLs in the stashed raw HTML before it is put back into the page."""

    _blocks: list[Any] | None = None
    """The stash rewritten so far (a new list for each page) and how many of its blocks."""
    _done = 0

    def run(self, text: str) -> str:
        if "relpath" not in self.md.treeprocessors:
            return text  # not MkDocs rendering a page: Zensical reads raw HTML this way itself
        relpath = self.md.treeprocessors["relpath"]
        blocks = self.md.htmlStash.rawHtmlBlocks
        if blocks is not self._blocks:
            self._blocks, self._done = blocks, 0
        # Each block once: `toc` runs every postprocessor over each heading's text as well.
        start, self._done = self._done, len(blocks)

        def attr(m: re.Match[str]) -> str:
            quoted = m[3] if m[3] is not None else m[4]
            return f'{m[1]}{m[2]}"{escape(_rewrite(unescape(quoted), relpath))}"'

        def tag(m: re.Match[str]) -> str:
            return _ATTR.sub(attr, m[0])

        for i in range(start, len(blocks)):
            block = blocks[i]
            if isinstance(block, str):
                blocks[i] = _TAG.sub(tag, block)
        return text


class RawLinksExtension(Extension):
    """Registers :class:`RawLinksPostprocessor` ahead of Markdown's raw HTML postprocessor."""

    def extendMarkdown(self, md: Any) -> None:
        # Above 30 ("raw_html"), so it runs while the raw HTML is still in the stash.
        md.postprocessors.register(RawLinksPostprocessor(md), "handbook_raw_links", 35)


def makeExtension(**kwargs: Any) -> RawLinksExtension:
    """Entry point Markdown calls for ``generator.site.rawlinks``."""
    return RawLinksExtension(**kwargs)
