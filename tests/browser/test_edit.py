"""``handbook edit`` as an HR editor uses it, keyboard only, in a real Chromium: open 电销团队长, add a duty
and a KPI with a penalty, mistype a reference and read the message beside the field, put the right role,
save, see the preview update, rename the role and find the old URL still working; axe-core finds no
serious violation; the page works at 1,280 px and on a tablet (1,024 × 768).

One editor (with its live preview) for the module, on a git copy of the sample; one browser.
"""

from __future__ import annotations

import re
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.editor import roundtrip
from generator.editor.formdata import plain
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.model import paths
from generator.project import Project
from generator.site.editserver import EditServer, start

from ..conftest import REPO, copy_project
from .conftest import CHROMIUM, REQUIRED_ARGS, SCREENSHOTS, TIMEOUT_MS

TITLE = "电销团队长"
DUTY = "每周挑选三通优秀录音，在录音分享会上讲评"
METRIC = "每日有效通话"
NEW_ID = "telesales-team-lead"
BLOCKING = {"serious", "critical"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EditServer, Project]]:
    project = copy_project(REPO, tmp_path_factory.mktemp("edit-browser") / "p")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q"], cwd=project.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project.root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=project.root, check=True)
    running = start(project, load_locale("zh"), "127.0.0.1", 0, preview=True, preview_port=_free_port())
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running, project
    running.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=REQUIRED_ARGS)
        yield launched
        launched.close()


def _page(browser: Any, width: int, height: int) -> Any:
    # Playwright's waits evaluate strings, which the editor's Content-Security-Policy forbids its own page.
    page = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    return page


def _shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    out = SCREENSHOTS / f"edit-{name}.png"
    page.screenshot(path=str(out))
    return out


def _tab_to(page: Any, test: str, *, back: bool = False, limit: int = 600) -> None:
    """Press Tab (or Shift+Tab) until the focused element passes ``test`` (JS, the element as ``el``)."""
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!(el && el.id !== undefined && ({test})); }})()"):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"keyboard never reached: {test}")


def _choose(page: Any, value: str) -> None:
    """Pick ``value`` in the focused select with the arrow keys."""
    for _ in range(20):
        if page.evaluate("document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value}")


def _checked(page: Any, before: int) -> None:
    page.wait_for_function(f"Number(document.body.dataset.checked || 0) > {before}")


def _role_file(project: Project) -> str:
    result = validate(project.roles, locale=load_locale("zh"), display_base=project.root)
    ident = next(i for i, r in result.handbook.roles.items() if r.title == TITLE)
    return result.handbook.source_of("role", ident).rel


def test_an_hr_editor_edits_a_role_with_the_keyboard(editor: tuple[EditServer, Project], browser: Any) -> None:
    running, project = editor
    rel = _role_file(project)
    old_id = Path(rel).stem
    page = _page(browser, 1280, 900)
    page.goto(running.url)
    _tab_to(page, f"el.textContent === {TITLE!r}")  # the index lists every role by title
    page.keyboard.press("Enter")
    page.wait_for_selector("#entity")
    page.wait_for_function("document.body.dataset.checked")
    assert page.inner_text("#problems-heading") == load_locale("zh").label("edit_no_problems")

    # A duty: the first duty area's add button, then type it.
    _tab_to(page, "el.classList.contains('add') && el.closest('fieldset').dataset.path === 'duties[0].items'")
    page.keyboard.press("Enter")
    page.keyboard.type(DUTY)

    # A KPI with a penalty: metric, ≥ 30 次 a day, 50 元 off each time it is missed.
    _tab_to(page, "el.classList.contains('add') && el.closest('fieldset').dataset.path === 'kpis'")
    page.keyboard.press("Enter")
    _tab_to(page, "el.id.endsWith('-metric')")
    page.keyboard.type(METRIC)
    _tab_to(page, "el.id.endsWith('-comparator')")
    _choose(page, "≥")
    _tab_to(page, "el.id.endsWith('-target')")
    page.keyboard.type("30")
    _tab_to(page, "/kpis-\\d+-unit$/.test(el.id)")
    page.keyboard.type("次")
    _tab_to(page, "el.id.endsWith('-period')")
    _choose(page, "日")
    _tab_to(page, "el.classList.contains('add') && /^kpis\\[\\d+\\]\\.consequences$/.test(el.closest('fieldset').dataset.path)")
    page.keyboard.press("Enter")
    _tab_to(page, "el.id.endsWith('-effect')")
    _choose(page, "penalty")
    _tab_to(page, "el.id.endsWith('-amount')")
    page.keyboard.type("50")

    # A typo in a reference: the validator's message appears beside the field.
    _tab_to(page, "el.id === 'f-reports_to'", back=True)
    page.keyboard.press("Control+A")
    page.keyboard.type("call-center-manger")
    message = page.locator("#m-f-reports_to")
    # The page checks after each pause in typing: wait for the check of the whole word, not of a part.
    page.wait_for_function("document.getElementById('m-f-reports_to').innerText.includes('call-center-manger')")
    assert "call-center-manger" in message.inner_text() and "call-center-manager" in message.inner_text()
    assert page.get_attribute("#f-reports_to", "aria-invalid") == "true"
    assert "reports_to" in page.inner_text("#problem-list")
    _shot(page, "typo")
    # The right role, found by its name in the picker and picked with the arrow key and Enter.
    manager = validate(project.roles, locale=load_locale("zh")).handbook.roles["call-center-manager"].title
    page.keyboard.press("Control+A")
    page.keyboard.type(manager)
    page.locator("#picker li").first.wait_for()
    assert page.get_attribute("#f-reports_to", "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#f-reports_to", "aria-activedescendant") == "pick-0"
    page.keyboard.press("Enter")
    assert page.input_value("#f-reports_to") == "call-center-manager"
    page.wait_for_function("document.getElementById('m-f-reports_to').textContent === ''")

    # Save: the file changes by the new lines only, and the preview shows them.
    before = (project.root / rel).read_text(encoding="utf-8")
    page.keyboard.press("Control+S")
    page.wait_for_function("document.body.dataset.saved === '1'")
    after = (project.root / rel).read_text(encoding="utf-8")
    data = plain(roundtrip.load(after))
    assert DUTY in data["duties"][0]["items"]
    kpi = data["kpis"][-1]
    assert kpi["metric"] == METRIC and kpi["target"] == 30 and kpi["period"] == "日"
    assert kpi["consequences"] == [{"effect": "penalty", "amount": 50}]
    kept = [line for line in before.splitlines() if line not in after.splitlines()]
    assert kept == [], kept  # every line of the file as it was is still there, byte for byte
    frame = page.frame_locator("#preview")
    frame.locator(f"text={DUTY}").wait_for()
    frame.locator(f"text={METRIC}").first.wait_for()
    _shot(page, "saved")

    # Rename: the alias is added, the file renamed, and the old URL still leads to the page.
    _tab_to(page, "el.id === 'f-id'", back=True)
    page.keyboard.type(NEW_ID)
    page.keyboard.press("Control+S")
    page.wait_for_url(re.compile(rf"/edit/.*{NEW_ID}\.yaml"))
    moved = project.root / Path(rel).with_name(f"{NEW_ID}.yaml")
    assert moved.is_file() and not (project.root / rel).exists()
    assert old_id in plain(roundtrip.load(moved.read_text(encoding="utf-8")))["aliases"]
    assert running.preview_url
    old_url = running.preview_url + paths.url("role", old_id)
    for _ in range(60):  # the preview writes the redirect page once it has taken in the rename
        page.goto(old_url)
        if NEW_ID in page.url:
            break
        page.wait_for_timeout(500)
    assert page.url.rstrip("/").endswith(f"roles/{NEW_ID}"), page.url
    assert TITLE in page.title()
    assert not page.errors, page.errors


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (1024, 768)])
def test_the_form_fits_and_has_no_serious_accessibility_violation(
    editor: tuple[EditServer, Project], browser: Any, width: int, height: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    running, project = editor
    rel = next(p for p in sorted(project.roles.rglob("*.yaml")) if "kind: role" in p.read_text(encoding="utf-8"))
    page = _page(browser, width, height)
    page.goto(running.url + "edit/" + rel.relative_to(project.root).as_posix())
    page.wait_for_function("document.body.dataset.checked")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("#save").is_visible() and page.locator("#f-title").is_visible()
    box = page.locator("#f-title").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    _shot(page, f"{width}x{height}")
    found = []
    # axe at one width (its rules do not depend on it; each run costs seconds), the layout at both.
    for path in ["", "edit/" + rel.relative_to(project.root).as_posix(), "changes"] if width == 1280 else []:
        page.goto(running.url + path)
        results = Axe().run(page, options={"exclude": [["#preview"]]} if path.startswith("edit/") else None)
        found += [f"/{path}: {v['id']} ({v['impact']})" for v in results.response["violations"]
                  if v["impact"] in BLOCKING]
    assert not found, found
    assert not page.errors, page.errors
    # No other host: every script, style and frame from the editor or its preview on this machine.
    assert page.requests and all(u.startswith(("http://127.0.0.1:", "data:", "blob:")) for u in page.requests), [
        u for u in page.requests if not u.startswith("http://127.0.0.1:")]


def test_a_check_the_server_did_not_answer_is_sent_again(editor: tuple[EditServer, Project], browser: Any) -> None:
    running, _project = editor
    page = _page(browser, 1280, 900)
    page.goto(running.url + "edit/roles/call-center/qa-specialist.yaml")
    page.wait_for_function("document.body.dataset.checked")
    dropped: list[str] = []

    def first_lost(route: Any) -> None:  # the first check after the edit never reaches the server
        if dropped:
            route.continue_()
        else:
            dropped.append(route.request.url)
            route.abort()

    page.route("**/api/check", first_lost)
    page.fill("#f-reports_to", "call-center-manger")
    page.wait_for_function("document.getElementById('m-f-reports_to').innerText.includes('call-center-manger')")
    assert dropped and page.inner_text("#status") != load_locale("zh").label("edit_unreachable")


def test_two_tabs_on_one_file_get_a_conflict_not_a_lost_edit(editor: tuple[EditServer, Project], browser: Any) -> None:
    running, project = editor
    rel = "roles/call-center/qa-specialist.yaml"
    first, second = _page(browser, 1280, 900), _page(browser, 1280, 900)
    for page in (first, second):
        page.goto(running.url + "edit/" + rel)
        page.wait_for_function("document.body.dataset.checked")
    first.fill("#f-summary", "第一个标签页写的岗位目的")
    first.keyboard.press("Control+S")
    first.wait_for_function("document.body.dataset.saved === '1'")
    second.fill("#f-summary", "第二个标签页写的岗位目的")
    second.keyboard.press("Control+S")
    second.wait_for_function("document.getElementById('status').classList.contains('error')")
    assert second.inner_text("#status") == load_locale("zh").label("edit_conflict")
    assert second.input_value("#f-summary") == "第二个标签页写的岗位目的"  # still on the page
    text = (project.root / rel).read_text(encoding="utf-8")
    assert "第一个标签页写的岗位目的" in text and "第二个标签页写的岗位目的" not in text
    second.reload()  # and kept as a draft, offered when the file is opened again
    second.wait_for_selector("#draft-banner")
    assert second.input_value("#f-summary") == "第二个标签页写的岗位目的"


def test_opening_and_saving_the_largest_file_of_each_kind_changes_no_byte(
    editor: tuple[EditServer, Project], browser: Any
) -> None:
    """What the browser's own inputs do to the values (selects, dates, times) must not change a file."""
    running, project = editor
    largest: dict[str, tuple[int, Path]] = {}
    for path in sorted(project.roles.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        kind = re.search(r"(?m)^kind: (\w+)", text)
        if kind and len(text) > largest.get(kind.group(1), (0, path))[0]:
            largest[kind.group(1)] = (len(text), path)
    page = _page(browser, 1280, 900)
    unchanged = load_locale("zh").label("edit_unchanged")
    for _, path in sorted(largest.values()):
        before = path.read_bytes()
        page.goto(running.url + "edit/" + path.relative_to(project.root).as_posix())
        page.wait_for_function("document.body.dataset.checked")
        page.keyboard.press("Control+S")
        page.wait_for_function("document.getElementById('status').textContent !== ''")
        assert page.inner_text("#status") == unchanged, path
        assert path.read_bytes() == before, path
    assert len(largest) >= 6


def test_entries_are_moved_and_removed_with_the_keyboard(editor: tuple[EditServer, Project], browser: Any) -> None:
    running, project = editor
    rel = "roles/call-center/telesales-rep.yaml"
    path = project.root / rel
    before = plain(roundtrip.load(path.read_text(encoding="utf-8")))
    items = before["duties"][0]["items"]
    assert len(items) >= 3
    page = _page(browser, 1280, 900)
    page.goto(running.url + "edit/" + rel)
    page.wait_for_function("document.body.dataset.checked")
    first_down = "el.classList.contains('down') && el.closest('li').parentElement.closest('fieldset').dataset.path === 'duties[0].items' && !el.closest('li').previousElementSibling"
    _tab_to(page, first_down)
    page.keyboard.press("Enter")  # the first duty goes one down
    last_remove = "el.classList.contains('rm') && el.closest('li').parentElement.closest('fieldset').dataset.path === 'duties[0].items' && !el.closest('li').nextElementSibling"
    _tab_to(page, last_remove)
    page.keyboard.press("Enter")  # the last duty goes
    page.keyboard.press("Control+S")
    page.wait_for_function("document.body.dataset.saved === '1'")
    after = plain(roundtrip.load(path.read_text(encoding="utf-8")))
    assert after["duties"][0]["items"] == [items[1], items[0], *items[2:-1]]
    assert {k: v for k, v in after.items() if k != "duties"} == {k: v for k, v in before.items() if k != "duties"}
