"""A role's onboarding checklist is a section of its page, and its old address leads there.

Read back from the sites both engines built (the default first) of the sample and of the English
and Traditional-Chinese fixtures: every role's page holds the section under its anchor, with its
heading in the site's language and every item of the role's plan (text, owner, due day, a box
to tick) in its group; every old checklist address (``roles/<id>/onboarding/``, an old id's too)
is a static redirect to that anchor, and a real Chromium following one lands on the section.
Cases come from each handbook's data.
"""

from __future__ import annotations

import functools
import html
import http.server
import posixpath
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import lxml.html
import pytest

from generator.i18n import Locale, load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.model import paths
from generator.project import Project, company_locale
from generator.render import onboarding
from generator.render.views import role_view
from generator.render.writer import Writer
from generator.site.engine import DEFAULT_ENGINE, ENGINES, Engine
from generator.site.linkcheck import target

#: The default engine first: it is the one readers get.
ORDERED: tuple[Engine, ...] = (DEFAULT_ENGINE, *(e for e in ENGINES if e != DEFAULT_ENGINE))
HANDBOOKS = ("sample", "english", "hant")
_REFRESH = re.compile(r'http-equiv="refresh" content="0; url=([^"]+)"')


def _handbook(project: Project) -> tuple[Handbook, Locale]:
    locale = load_locale(company_locale(project.roles) or "zh")
    result = validate(project.roles, locale=locale)
    return result.handbook, locale


def seen(markup: str) -> str:
    """What a reader sees of HTML: no tags, entities decoded, no whitespace."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S)
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)))


def section(page: str, anchor: str) -> str:
    """The HTML of the section under ``<h2 id=anchor>``, its heading included, up to the next h2."""
    found = re.search(rf'<h2\b[^>]*\bid="{anchor}"[^>]*>.*?(?=<h2\b|</article>)', page, flags=re.S)
    assert found, f"no section #{anchor}"
    return found.group(0)


def _heading(part: str, tag: str, anchor: str) -> str:
    found = re.search(rf'<{tag}\b[^>]*\bid="{anchor}"[^>]*>(.*?)</{tag}>', part, flags=re.S)
    assert found, f"no {tag}#{anchor}"
    return seen(found.group(1)).rstrip("¶")


@pytest.mark.parametrize("name", HANDBOOKS)
@pytest.mark.parametrize("engine", ORDERED)
def test_every_roles_checklist_is_a_section_of_its_page(
    built: Callable[[str, Engine], Project], name: str, engine: Engine
) -> None:
    project = built(name, engine)
    hb, locale = _handbook(project)
    plain = Writer(hb, locale, output="html")
    with_steps = 0
    for rid in hb.roles:
        page = (project.site / paths.url("role", rid) / "index.html").read_text(encoding="utf-8")
        part = section(page, paths.ONBOARDING)
        assert _heading(part, "h2", paths.ONBOARDING) == seen(locale.label("onboarding")), rid
        top = re.search(rf'<a class="handbook-to-checklist" href="#{paths.ONBOARDING}">', page.split("<h2", 1)[0])
        assert top, f"{rid}: no way to the checklist from the top of the page"
        checklists = role_view(hb, locale, rid).value("onboarding").checklists
        groups = onboarding.plan(hb, rid)
        assert [c.when for c in checklists] == [locale.label(g.label) for g in groups]
        if not groups:
            assert seen(locale.label("onboarding_empty")) in seen(part), rid
            continue
        with_steps += 1
        assert part.count('type="checkbox"') == sum(len(g.items) for g in groups), f"{rid}: a box per item"
        for number, checklist in enumerate(checklists, 1):
            anchor = f"{paths.ONBOARDING}-due-{number}"
            assert _heading(part, "h3", anchor) == seen(checklist.when), (rid, anchor)
            after = part.split(f'id="{anchor}"', 1)[1]
            group = after.split(f'id="{paths.ONBOARDING}-due-{number + 1}"', 1)[0]
            shown = seen(group)
            for task in checklist.items:
                assert seen(plain.text(task.text)) in shown, (rid, task.text)
                assert seen(html.escape(task.due)) in shown, (rid, task.due)
                if task.owner is not None:
                    assert seen(html.escape(task.owner.name)) in shown, (rid, task.owner.name)
    assert with_steps, f"{name}: some role has onboarding steps (else this test checks little)"


def _old_addresses(hb: Handbook) -> dict[str, str]:
    """Every old checklist page's docs path → the id of the role it now is a section of."""
    ids = {rid: rid for rid in hb.roles} | {a: cur for (kind, a), cur in hb.aliases.items() if kind == "role"}
    return {paths.onboarding_redirect(old): current for old, current in ids.items()}


@pytest.mark.parametrize("name", HANDBOOKS)
@pytest.mark.parametrize("engine", ORDERED)
def test_every_old_checklist_address_is_a_redirect_to_the_section(
    built: Callable[[str, Engine], Project], name: str, engine: Engine
) -> None:
    project = built(name, engine)
    hb, _locale = _handbook(project)
    expected = _old_addresses(hb)
    found = {p.relative_to(project.site).as_posix() for p in project.site.glob("roles/*/onboarding/index.html")}
    assert found == set(expected), "an old checklist address without its redirect, or one too many"
    for old, rid in expected.items():
        text = (project.site / old).read_text(encoding="utf-8")
        assert "<article" not in text, f"{old}: a page of its own again"
        # What the reader sees for a moment is the one line saying where the page went, nothing else
        # (no template text: a stray line in <head> is shown in the body).
        shown = lxml.html.fromstring(text)
        line = shown.body.find("p")
        assert line is not None and "{#" not in text, f"{old}: {text}"
        assert " ".join(shown.body.text_content().split()) == " ".join(line.text_content().split()), old
        refresh = _REFRESH.search(text)
        assert refresh, f"{old}: not a redirect"
        lands, anchor = target(project.site, old, html.unescape(refresh.group(1)))
        assert lands is not None, (old, anchor)
        assert (lands, anchor) == (posixpath.join(paths.url("role", rid), "index.html"), paths.ONBOARDING), old
        assert f'id="{paths.ONBOARDING}"' in (project.site / lands).read_text(encoding="utf-8"), old


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _served(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_chromium_following_an_old_checklist_address_lands_on_the_section(
    built: Callable[[str, Engine], Project],
) -> None:
    """For each handbook and engine, the role with the longest checklist: its old address, opened
    in headless Chromium, ends on the role page scrolled to the checklist's heading."""
    from playwright.sync_api import sync_playwright

    cases: list[tuple[str, Engine, Path, str]] = []
    for name in HANDBOOKS:
        for engine in ORDERED:
            project = built(name, engine)
            hb, _locale = _handbook(project)
            rid = max(hb.roles, key=lambda r: sum(len(g.items) for g in onboarding.plan(hb, r)))
            cases.append((name, engine, project.site, rid))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        tab: Any = browser.new_page(viewport={"width": 1280, "height": 800})
        try:
            for name, engine, site, rid in cases:
                with _served(site) as base:
                    old = paths.onboarding_redirect(rid).removesuffix("index.html")
                    tab.goto(base + old, wait_until="load")
                    tab.wait_for_url(f"**/{paths.url('role', rid)}#{paths.ONBOARDING}")
                    heading = tab.locator(f"article h2#{paths.ONBOARDING}")
                    heading.wait_for()
                    top = heading.evaluate("h => h.getBoundingClientRect().top")
                    assert 0 <= top < 400, (name, engine, rid, top, "the checklist's heading is not in view")
                    assert tab.evaluate("window.scrollY") > 0, (name, engine, rid, "the page did not scroll to it")
        finally:
            browser.close()
