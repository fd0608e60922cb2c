"""The live preview in Chromium: a real ``handbook serve`` of the mini fixture, saves made to its YAML.

The page shown after a save is the page a fresh full build writes; an invalid save shows a
banner that stays in view while scrolling, with text at 4.5:1 or more; once the data is
fixed, the problems page goes back to the page that was being edited.
"""

from __future__ import annotations

import re
import time
import urllib.request
from pathlib import Path
from typing import Any

from mkdocs.commands import build as mkbuild

from generator.site.serve import preview_config

from .bench_preview import _free_port, _status, edit_duty, serving
from .browser.conftest import CHROMIUM, REQUIRED_ARGS, TIMEOUT_MS
from .conftest import FIXTURES, copy_project

LIVERELOAD = re.compile(rb"<script>\s*var livereload = .*?</script>", re.S)

#: The contrast of an element's text against the first opaque background behind it (WCAG 2).
CONTRAST_JS = """el => {
  const rgb = s => s.match(/[\\d.]+/g).map(Number);
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = null;
  for (let n = el; n && !bg; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length < 4 || c[3] > 0.99) bg = c;
  }
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg || [255, 255, 255]);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _served(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        data: bytes = response.read()
    return LIVERELOAD.sub(b"", data)


def _wait(check: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the preview")


def test_live_preview_in_chromium(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    role = project.roles / "agent.yaml"
    good = role.read_text(encoding="utf-8")
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    url = f"{base}roles/agent/"
    with serving(project.root, port, "mkdocs"), sync_playwright() as pw:
        _wait(lambda: _status(url) == 200)
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=REQUIRED_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 500})
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        banner = page.locator("a.handbook-preview-problems")
        assert banner.is_hidden()

        # A good save: the open page reloads with the new words, and is what a full build writes.
        edit_duty(role, "甲")
        # Polled across the reload: between two documents there is a moment without a body.
        page.wait_for_function("() => !!document.body && document.body.innerText.includes('修订甲')")
        mkbuild.build(preview_config(project, tmp_path / "fresh", base), serve_url=base)
        assert _served(url) == (tmp_path / "fresh" / "roles" / "agent" / "index.html").read_bytes()

        # An invalid save: the banner shows, and stays in view when the page is scrolled to the end.
        role.write_text(good.replace("title:", "title：", 1), encoding="utf-8")
        banner.wait_for(state="visible")
        page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        assert page.evaluate("() => window.scrollY") > 200  # the page did scroll
        box = banner.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 500, box
        contrast = page.evaluate(CONTRAST_JS, banner.element_handle())
        assert contrast >= 4.5, contrast

        # The problems page, once fixed, returns to the page that was being edited (not a 404).
        banner.click()
        page.wait_for_url("**/preview-problems/")
        role.write_text(good, encoding="utf-8")
        page.wait_for_url(url)
        page.wait_for_function("() => !!document.body && !document.body.innerText.includes('修订甲')")
        assert page.locator("h1").first.inner_text().strip() != ""
        assert page.locator("a.handbook-preview-problems").is_hidden()
        browser.close()
