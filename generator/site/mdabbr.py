"""Python-Markdown's ``abbr`` extension with word boundaries that work in Chinese text.

The stock extension matches ``\\bTSR\\b``. Python's ``\\b`` treats Chinese characters as word
characters, so in “新人TSR培训” there is no boundary and TSR is never explained. Here an
abbreviation only has to stand apart from ASCII letters and digits, the rule generated pages
follow too (``markup.Abbreviations``). Used by mkdocs.yml in place of ``abbr``.
"""

from __future__ import annotations

import re
from typing import Any

from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    """Wraps known abbreviations in ``<abbr>``, with ASCII-only boundaries."""

    def run(self, root: Any) -> None:
        if not self.abbrs:
            return
        words = sorted(self.abbrs, key=len, reverse=True)
        self.RE = re.compile("(?<![A-Za-z0-9])(?:" + "|".join(re.escape(w) for w in words) + ")(?![A-Za-z0-9])")
        self.iter_element(root)


class CjkAbbrExtension(AbbrExtension):
    """``abbr`` with :class:`CjkAbbrTreeprocessor` registered in place of the stock one."""

    abbrs: dict[str, str]
    """Set by ``AbbrExtension`` since Markdown 3.7; the published type stubs predate it."""

    def extendMarkdown(self, md: Any) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs: Any) -> CjkAbbrExtension:
    """Entry point Markdown calls for ``generator.site.mdabbr``."""
    return CjkAbbrExtension(**kwargs)
