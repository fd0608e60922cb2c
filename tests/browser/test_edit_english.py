"""``handbook edit`` of an English company (tests/fixtures/english) in a real Chromium: each KPI's period
select shows English words (the file's ``period: quarterly`` as ``quarter``); picking another period
and saving writes the canonical choice (``月``) on that line only, at once (no preview to wait for).
"""

from __future__ import annotations

import difflib
import shutil
import threading
from pathlib import Path

from generator.i18n import load_locale
from generator.model.choices import choice_set
from generator.project import Project
from generator.site.editserver import start

from ..conftest import FIXTURES
from .conftest import CHROMIUM, REQUIRED_ARGS, TIMEOUT_MS

ROLE = "roles/team-lead.yaml"


def test_an_english_site_shows_choices_in_english_and_saves_the_canonical_value(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    shutil.copytree(FIXTURES / "english" / "roles", tmp_path / "roles")
    project = Project(tmp_path)
    running = start(project, load_locale("en"), "127.0.0.1", 0, preview=False)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    periods = choice_set("period")
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=REQUIRED_ARGS)
            page = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True).new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(running.url + "edit/" + ROLE)
            page.wait_for_function("document.body.dataset.checked === '1'")
            selects = page.locator("select[id$='-period']")
            assert selects.count() >= 2
            for i in range(selects.count()):
                options = selects.nth(i).locator("option")
                for j in range(1, options.count()):  # the first is "none"
                    value = options.nth(j).get_attribute("value") or ""
                    assert options.nth(j).inner_text() == periods.shown(value, "en"), value
            first = selects.first
            # The file writes "quarterly": shown as that choice, by its English word.
            assert first.input_value() == "季"
            assert first.evaluate("s => s.options[s.selectedIndex].text") == "quarter"
            before = (tmp_path / ROLE).read_text(encoding="utf-8")
            first.select_option("月")  # shown as "month"
            page.click("#save")
            # Saved at once (no preview to wait for: ``--no-preview``).
            page.wait_for_function("document.body.dataset.saved === '1'", timeout=15_000)
            browser.close()
    finally:
        running.shutdown()
    after = (tmp_path / ROLE).read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-    period: quarterly", "+    period: 月"], changed
