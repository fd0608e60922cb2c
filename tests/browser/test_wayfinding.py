"""Finding one's way in the real browser: the role picker, checklists that remember, the 404, the footer."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from generator.i18n import load_locale
from generator.model import paths
from generator.render.onboarding import plan
from generator.site.theme import handbook_version, last_updated

from .conftest import Site, screenshot, site_path

ZH = load_locale("zh")


def _goto(page: Any, site: Site, path: str) -> None:
    page.goto(site.url(path), wait_until="load")


def test_the_role_picker_leads_to_each_roles_page_checklist_and_pdf(page: Any, site: Site) -> None:
    _goto(page, site, "")
    picker = page.locator("[data-picker]")
    assert picker.is_visible(), f"no role picker on the home page: {screenshot(page, 'picker-missing')}"
    units = [uid for uid in site.hb.units if site.hb.unit_roles.get(uid)]
    for uid in units:
        unit = page.locator(f'details[data-picker-unit="{uid}"]')
        assert not unit.locator("a.handbook-picker__role").first.is_visible(), "a unit's roles show before a tap"
        unit.locator("summary").click()
        titles = sorted(unit.locator("a.handbook-picker__role").all_inner_texts())
        assert titles == sorted(site.hb.roles[rid].title for rid in site.hb.unit_roles[uid]), uid
    rid = site.pdf_role  # the role whose PDF the served site holds
    role = site.hb.roles[rid]
    row = page.locator(f'details[data-picker-unit="{role.unit}"] li', has_text=role.title).first
    links = {
        "page": row.locator("a.handbook-picker__role").get_attribute("href"),
        **{kind: row.locator(f'[data-picker-link="{kind}"]').get_attribute("href") for kind in ("onboarding", "pdf")},
    }
    assert all(links.values()), links
    assert site_path(urljoin(site.base, links["page"] or "")) == paths.url("role", rid)
    checklist = f"{paths.url('role', rid)}#{paths.ONBOARDING}"  # a section of the role page
    assert site_path(urljoin(site.base, links["onboarding"] or "")) == checklist
    response = page.request.get(urljoin(site.base, links["pdf"] or ""))
    assert response.ok and response.body()[:5] == b"%PDF-"
    row.locator('[data-picker-link="onboarding"]').click()
    page.wait_for_load_state("load")
    assert site_path(page.url) == checklist


def test_a_checklist_remembers_ticks_across_reloads_and_resets(page: Any, site: Site) -> None:
    rid = next(r for r in site.hb.roles if sum(len(g.items) for g in plan(site.hb, r)) >= 2)
    _goto(page, site, paths.url("role", rid))
    page.evaluate("localStorage.clear()")
    page.reload(wait_until="load")
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    total = sum(len(g.items) for g in plan(site.hb, rid))
    assert boxes.count() == total
    headings = page.locator(f"article h2#{paths.ONBOARDING} ~ h3[id^=\"onboarding-due-\"]").all_text_contents()
    groups = [ZH.label(g.label) for g in plan(site.hb, rid)]
    assert [h.rstrip("¶").strip() for h in headings] == groups
    assert all(h in {ZH.label(k) for k in ("onboarding_day1", "onboarding_week1", "onboarding_month1")} for h in groups)
    assert all(boxes.nth(i).is_enabled() for i in range(total))
    boxes.nth(0).check(force=True)  # the styled indicator covers the input, as Material draws it
    boxes.nth(total - 1).check(force=True)
    page.reload(wait_until="load")
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    ticked = [boxes.nth(i).is_checked() for i in range(total)]
    assert ticked == [i in (0, total - 1) for i in range(total)], f"after reload: {ticked}"
    count = page.locator("[data-checklist-count]").text_content() or ""
    assert count == ZH.label("onboarding_done").format(done=2, total=total)
    assert page.locator("[data-checklist-print]").is_visible()
    # The checklist's print button prints the checklist alone, not the role page around it.
    page.evaluate("window.print = () => {}")
    page.locator("[data-checklist-print]").click()
    page.emulate_media(media="print")
    assert page.locator(f"article h2#{paths.ONBOARDING}").is_visible()
    assert not page.locator("article h2#duties").is_visible(), "the role's duties print with the checklist"
    assert page.locator("article li.task-list-item").first.is_visible(), "the checklist's items print"
    page.emulate_media(media="screen")
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("article h2#duties").is_visible()
    page.locator("[data-checklist-reset]").click()
    assert not any(boxes.nth(i).is_checked() for i in range(total))
    page.reload(wait_until="load")
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    assert not any(boxes.nth(i).is_checked() for i in range(total)), "reset did not clear the saved ticks"
    screenshot(page, "checklist-after-reset")


def test_a_missing_page_answers_in_chinese_with_search_and_the_way_home(page: Any, site: Site) -> None:
    _goto(page, site, "404.html")
    text = page.locator("article").inner_text()
    assert ZH.label("theme_404_title") in text and "Not found" not in text
    page.locator("article a.md-button").click()
    page.wait_for_load_state("load")
    assert site_path(page.url) == ""
    _goto(page, site, "404.html")
    search = page.locator("article [data-handbook-search]")
    assert search.is_visible()
    search.click()
    # The site's search dialog opens (the same on both engines), ready to type in.
    box = page.locator("dialog.hb-search input")
    box.wait_for(state="visible")
    assert box.is_visible() and box.evaluate("e => e === document.activeElement")


def test_every_page_has_the_chinese_footer_and_no_theme_credit(page: Any, site: Site) -> None:
    for path in ("", paths.url("role", site.pdf_role), "glossary/", "404.html"):
        _goto(page, site, path)
        footer = page.locator(".md-footer").inner_text()
        assert "Made with" not in footer and "Material for MkDocs" not in footer, path
        assert last_updated(site.hb) in footer and handbook_version(site.hb) in footer, footer
        assert ZH.label("theme_updated") in footer


def test_entity_pages_show_their_date_and_version_under_the_title(page: Any, site: Site) -> None:
    dated = [(kind, e) for kind, e in site.hb.all_entities() if kind != "term" and e.effective_date]
    assert dated
    for kind, entity in dated[:: max(1, len(dated) // 8)]:
        _goto(page, site, paths.url(kind, entity.id))
        stamp = page.locator("article h1 + .handbook-stamp")
        assert stamp.is_visible(), f"{kind}:{entity.id}"
        text = stamp.inner_text()
        assert entity.effective_date and entity.effective_date.isoformat() in text
        assert ZH.label("effective_date") in text
        if entity.version:
            assert entity.version in text
