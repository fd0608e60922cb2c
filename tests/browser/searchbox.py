"""The search box of each engine as a reader uses it: open it, type a query, read the result list.

Material draws its box and results in the page; Zensical draws a dialog inside a shadow root
(Playwright's CSS locators pierce open shadow roots). Both are driven the same way: the text
arrives in one piece, as from an input method, and a key press follows it, as for a person.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .conftest import material_config, site_path


@dataclass(frozen=True)
class Target:
    """A page (site-relative URL) and, optionally, the section anchor the result must offer."""

    page: str
    anchor: str | None = None

    def __str__(self) -> str:
        return self.page + (f"#{self.anchor}" if self.anchor else "")


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
        """The site-relative page the result opens."""
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


class MaterialSearch(SearchBox):
    """Material for MkDocs: ``input.md-search__input`` and ``li.md-search-result__item``."""

    index_file = "search/search_index.json"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        translations = material_config(page)["translations"]
        self.placeholder = translations["search.result.placeholder"]
        done = [
            re.escape(translations[k]).replace("\\#", "#").replace("#", r"\d+")
            for k in ("search.result.none", "search.result.one", "search.result.other")
        ]
        self.done = re.compile("|".join(done))
        self.input = page.locator("input.md-search__input")
        self.meta = page.locator(".md-search-result__meta")

    def search(self, query: str) -> list[Result]:
        """Clear the box, type ``query`` and return the results once Material has shown them."""
        self.input.click()
        self.input.press("Control+a")
        self.input.press("Backspace")
        # Waiting inside the page: one round trip, not one per poll.
        self.page.wait_for_function(
            "p => (document.querySelector('.md-search-result__meta') || {}).textContent.trim() === p",
            arg=self.placeholder,
            polling=20,
        )
        self.page.keyboard.insert_text(query)
        start = time.perf_counter()
        self.input.press("End")  # Material listens to keyup
        self.page.wait_for_function(
            "re => new RegExp('^(' + re + ')$').test("
            "(document.querySelector('.md-search-result__meta') || {}).textContent.trim())",
            arg=self.done.pattern,
            polling=20,
        )
        self.seconds = time.perf_counter() - start
        items = self.page.locator("li.md-search-result__item")
        data = items.evaluate_all(
            """els => els.map(e => ({
                links: [...e.querySelectorAll('a.md-search-result__link')].map(a => a.href),
                title: (e.querySelector('h1, h2') || {}).textContent || '',
                snippet: [...e.querySelectorAll('.md-search-result__article p')].map(p => p.textContent).join(' '),
            }))"""
        )
        return [Result(d["title"].strip(), [_site_path(h) for h in d["links"]], d["snippet"]) for d in data]


class ZensicalSearch(SearchBox):
    """Zensical: a dialog opened by ``.md-search__button``, results as ``a[role=option]``."""

    index_file = "search.json"

    def __init__(self, page: Any) -> None:
        super().__init__(page)
        page.locator(".md-search__button").click()
        self.input = page.locator("dialog input[role=combobox]")
        self.input.wait_for()

    def search(self, query: str) -> list[Result]:
        """Clear the box, type ``query`` and return the results once Zensical has shown them."""
        self.input.fill("")
        self.page.wait_for_function(f"() => {_STATUS} === ''", polling=20)
        self.page.evaluate("() => { window.__searchHeld = null; }")  # no stillness carried over from the last query
        self.page.keyboard.insert_text(query)
        start = time.perf_counter()
        self.input.press("End")
        # "No results" or "N results", N with a thousands separator from 1,000 on (1,102 results);
        # Zensical's status line is not translated (README).
        self.page.wait_for_function(f"() => {_DONE}.test({_STATUS})", polling=20)
        self.seconds = time.perf_counter() - start
        # The status line can change a moment before the list is drawn, or pass through an
        # interim answer: read the list once status and list have held still for _QUIET_MS.
        self.page.wait_for_function(_HELD_STILL, polling=25)
        # innerText: what a reader sees (the index's hidden search words are in textContent too).
        data = self.page.locator("dialog a[role=option]").evaluate_all(
            """els => els.map(a => ({
                href: a.href,
                title: (a.querySelector('h2') || {}).innerText || '',
                snippet: (a.querySelector('.p') || {}).innerText || '',
            }))"""
        )
        return [Result(d["title"].strip(), [_site_path(d["href"])], d["snippet"].strip()) for d in data]


#: The element whose shadow root holds the dialog, found once per page (a walk over every
#: element of the page on each 20 ms poll cost more than the search itself).
_HOST = (
    "(window.__searchHost && window.__searchHost.isConnected ? window.__searchHost : (window.__searchHost ="
    " [...document.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector('dialog'))))"
)
#: Zensical's status line, read inside the page (its dialog lives in an open shadow root).
_STATUS = f"(({_HOST} || {{}}).shadowRoot?.querySelector('dialog [role=status]')?.textContent || '').trim()"
#: Zensical's status line once it has answered: "No results", "1 result", "12 results", "1,102 results".
_DONE = r"/^(No results|\d{1,3}(,\d{3})* results?)$/"
#: How long status and list must hold still before the list is read. Over 335 title, near-miss
#: and question searches, the list or status changed after the final status in 14, always within
#: 17-95 ms of it; never later.
_QUIET_MS = 120
#: True once the status and the number of results have not changed for _QUIET_MS.
_HELD_STILL = f"""() => {{
    const host = {_HOST};
    const now = {_STATUS} + '|' + (host ? host.shadowRoot.querySelectorAll('dialog a[role=option]').length : 0);
    const w = window.__searchHeld || (window.__searchHeld = {{last: null, since: 0}});
    if (now !== w.last) {{ w.last = now; w.since = performance.now(); }}
    return performance.now() - w.since >= {_QUIET_MS};
}}"""


def open_search(page: Any, engine: str) -> SearchBox:
    """The search box of the site ``page`` shows, for the engine that built it."""
    return ZensicalSearch(page) if engine == "zensical" else MaterialSearch(page)
