"""The site's search box as a reader uses it: open it, type a query, read the result list.

Both engines serve the site's own search (generator/site/searchjs/): a header button opens a
dialog; the text arrives in one piece, as from an input method.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..searchcases import Target
from .conftest import site_path


@dataclass
class Result:
    """One entry of the result list: the page and the section links under it."""

    title: str
    links: list[str]
    """Site-relative URLs (``page#anchor``), the page itself first."""
    snippet: str = ""
    """The text the engine shows under the title."""

    @property
    def page(self) -> str:
        """The site-relative page the result opens (a glossary entry: the glossary)."""
        return self.links[0].split("#")[0]

    def offers(self, target: Target) -> bool:
        """True when this result is the target's page (and offers the target's section, if it names one)."""
        if self.page != target.page:
            return False
        return target.anchor is None or f"{target.page}#{target.anchor}" in self.links

    def __str__(self) -> str:
        return f"{self.title} ({', '.join(self.links[:3])})"


def _site_path(href: str) -> str:
    # Zensical adds ?h=<query> for highlighting; site_path drops the query, keeps the fragment.
    return site_path(href) if urlsplit(href).scheme else href


class SearchBox:
    """The engine's search box on one open tab."""

    index_file = ""
    """The search index the browser downloads, site-relative."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.seconds = 0.0
        """How long the last search took from the key press to the first result shown."""

    def search(self, query: str) -> list[Result]:
        """Clear the box, type ``query`` and return the results once the engine has shown them."""
        raise NotImplementedError


class HandbookSearch(SearchBox):
    """The site's own search (both engines): ``.hb-search-button`` opens ``dialog.hb-search``."""

    index_file = "search/index.json"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        page.locator(".hb-search-button").click()
        self.dialog = page.locator("dialog.hb-search")
        self.input = self.dialog.locator("input")
        self.input.wait_for()

    def search(self, query: str) -> list[Result]:
        """Clear the box, type ``query`` and return the results once the dialog says it has answered."""
        self.input.fill("")
        self.page.keyboard.insert_text(query)  # in one piece, as from an input method
        start = time.perf_counter()
        # The dialog marks the query it last answered and that it is done (ui.js).
        self.page.wait_for_function(
            "q => { const d = document.querySelector('dialog.hb-search');"
            " return d && d.dataset.state === 'done' && d.dataset.query === q; }",
            arg=query,
            polling=20,
        )
        self.seconds = time.perf_counter() - start
        data = self.dialog.locator("li.hb-search__result").evaluate_all(
            """els => els.map(e => ({
                links: [...e.querySelectorAll('a.hb-search__page, a.hb-search__section')].map(a => a.href),
                title: (e.querySelector('.hb-search__title') || {}).innerText || '',
                snippet: [...e.querySelectorAll('.hb-search__snippet')].map(s => s.innerText).join(' '),
            }))"""
        )
        return [Result(d["title"].strip(), [_site_path(h) for h in d["links"]], d["snippet"].strip()) for d in data]


def open_search(page: Any, engine: str) -> SearchBox:
    """The search box of the site ``page`` shows (the same on both engines)."""
    return HandbookSearch(page)
