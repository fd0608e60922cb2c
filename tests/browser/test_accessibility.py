"""axe-core (shipped by axe-playwright-python) run in the real browser on one page of every page type."""

from __future__ import annotations

from typing import Any

import pytest

from generator.model import paths

from .conftest import Site, screenshot

#: No test here searches: the tab gets an empty search index (see the `page` fixture).
pytestmark = pytest.mark.without_search

#: Impacts that fail the test; axe's "minor" and "moderate" findings are reported, not failed.
BLOCKING = {"serious", "critical"}


def page_types(site: Site) -> dict[str, str]:
    """One site path per kind of page, taken from the sample's own entities."""
    hb = site.hb
    unit = next(uid for uid in hb.units if hb.unit_roles.get(uid))
    meeting = next((p for p in hb.processes.values() if p.category == "会议"), next(iter(hb.processes.values())))
    return {
        "home": "",
        "role": paths.url("role", site.pdf_role),
        "process": paths.url("process", meeting.id),
        "unit": paths.url("unit", unit),
        "policy": paths.url("policy", next(iter(hb.policies))),
        "org": "org/",
        "roles": "roles/",
        "processes": "processes/",
        "policies": "policies/",
        "kpis": "kpis/",
        "raci": "raci/",
        "glossary": "glossary/",
        "changes": "changes/",
        "404": "404.html",
    }


@pytest.fixture(scope="module")
def axe() -> Any:
    """The axe-core runner (its script is read once)."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    return Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_accessibility_violation_on_any_page_type(
    page: Any, site: Site, axe: Any, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site.url(""), wait_until="load")
    page.evaluate("localStorage.clear()")  # Material keeps a scheme it used before
    found = []
    checked = 0
    for kind, path in page_types(site).items():
        page.goto(site.url(path), wait_until="load")
        results = axe.run(page)
        checked += 1
        for violation in results.response["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
                found.append(f"{kind} /{path}: {violation['id']} ({violation['impact']}) {targets}")
        if found and found[-1].startswith(kind):
            screenshot(page, f"axe-{scheme}-{kind}")
    assert checked == len(page_types(site))
    assert not found, f"axe-core in {scheme} mode:\n" + "\n".join(found)
