"""Intranet-readiness: across every browser test, nothing is requested from any host but 127.0.0.1."""

from __future__ import annotations

import warnings
from typing import Any
from urllib.parse import urlsplit

from .conftest import LOCAL_HOST, Chrome, Site, page_url, screenshot
from .searchbox import open_search

#: Schemes that never leave the browser.
_LOCAL_SCHEMES = {"data", "blob", "about", "chrome", "chrome-extension", "devtools"}


def _foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme not in _LOCAL_SCHEMES and parts.hostname != LOCAL_HOST


def test_nothing_is_requested_from_any_other_host(chrome: Chrome, site: Site) -> None:
    # Run alone, the test still opens one page of each kind and searches once.
    tab: Any = chrome.new_page()
    for path in ("", page_url("role", site.pdf_role), page_url("unit", next(iter(site.hb.units))), "glossary/"):
        tab.goto(site.url(path))
        tab.wait_for_load_state("networkidle")
    box = open_search(tab, site.engine)
    box.search("KPI")
    tab.wait_for_load_state("networkidle")
    shot = screenshot(tab, f"intranet-{site.engine}-last-page")
    tab.close()
    seen = list(chrome.requests)
    assert any(url.endswith(box.index_file) for url in seen), (
        "the request log missed the search index: it does not see what workers load"
    )
    chrome.close()  # Chromium completes its net log on exit
    started = chrome.netlog_requests()
    assert any(urlsplit(url).hostname == LOCAL_HOST for url, _ in started), "the net log missed the site's requests"
    by_pages = sorted({url for url in seen if _foreign(url)})
    by_site = sorted({url for url, initiator in started if _foreign(url) and LOCAL_HOST in initiator})
    by_chromium = sorted(
        {url.split("?")[0] for url, initiator in started if _foreign(url)} - {u.split("?")[0] for u in by_site}
    )
    if by_chromium:
        # Debian's Chromium asking Google for updates and accounts: the browser's doing, not the site's.
        warnings.warn("Chromium itself requested: " + ", ".join(by_chromium), stacklevel=1)
    listing = "\n  ".join(by_pages + by_site)
    assert not (by_pages or by_site), (
        f"{len(seen)} requests from the site's pages; these went to other hosts:\n  {listing}\n"
        f"net log: {chrome.netlog}; screenshot: {shot}"
    )
