"""Hostile text in YAML shows literally on the built site and runs nowhere: HTML, links, attr_list, Jinja."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from generator.project import Project

from .conftest import build_project

#: Each payload carries a marker so a hit can be traced back to it.
PAYLOADS = [
    '<script>alert("xss-1")</script>',
    '<img src=x onerror=alert("xss-2")>',
    '[点我](javascript:alert("xss-3"))',
    "<a href=\"javascript:alert('xss-4')\">链接</a>",
    "xss-5 {: onclick=\"alert('xss-5')\" }",
    "{{ 7*191 }} {% if true %}xss-6{% endif %}",
    "![图](x\" onerror=\"alert('xss-7'))",
    "<javascript:alert('xss-8')>",
    "&lt;b&gt;xss-9&lt;/b&gt; `<code>` **xss-10** <!-- xss-11 -->",
]
#: A payload on a line of its own: Markdown reads ``[x]: url`` there as a link definition.
BLOCK = "第一行\n\n[x]: javascript:alert('xss-12')\n\n[x]\n\n--8<-- \"/etc/passwd\""
TITLE = '</title><svg onload=alert("xss-13")>组长'


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _files() -> dict[str, str]:
    p = PAYLOADS
    items = "\n".join(f"      - {_quoted(x)}" for x in p)
    return {
        "team.yaml": f"kind: unit\nname: {_quoted('电话组 ' + p[0])}\ndescription: {_quoted(p[1])}\n",
        "lead.yaml": (
            f"kind: role\ntitle: {_quoted(TITLE)}\nunit: team\nsummary: {_quoted(' '.join(p))}\n"
            f"duties:\n  - area: {_quoted(p[2])}\n    items:\n{items}\n"
            f"qualifications:\n  education: {_quoted(p[3])}\n  abilities: [{_quoted(p[4])}]\n"
            f"kpis:\n  - metric: {_quoted(p[5])}\n    comparator: '>='\n    target: 30\n"
            f"    unit: {_quoted(p[6])}\n    period: 日\n    note: {_quoted(p[7])}\n"
            f"career:\n  note: {_quoted(BLOCK)}\n"
        ),
        "rules.yaml": (
            f"kind: policy\ntitle: {_quoted('考勤 ' + p[1])}\nsummary: {_quoted(BLOCK)}\n"
            f"clauses:\n  - id: late\n    title: {_quoted(p[4])}\n    text: {_quoted(p[8])}\n"
        ),
        "standup.yaml": (
            f"kind: process\ntitle: {_quoted('晨会 ' + p[5])}\nowner: lead\nunit: team\n"
            f"purpose: {_quoted(p[3])}\nsteps:\n  - title: {_quoted(p[2])}\n    detail: {_quoted(p[0])}\n"
        ),
        "tsr.yaml": f"kind: term\nterm: {_quoted('坐席 ' + p[6])}\nabbreviation: TSR\ndefinition: {_quoted(p[7])}\n",
    }


class _Page(HTMLParser):
    """Elements, attributes and visible text of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs += [(tag, name, value or "") for name, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)

    def handle_comment(self, data: str) -> None:
        self.attrs.append(("!--", "comment", data))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import REPO, copy_project

    roles = tmp_path_factory.mktemp("hostile-roles")
    for rel, text in _files().items():
        (roles / rel).write_text(text, encoding="utf-8")
    project: Project = copy_project(REPO, tmp_path_factory.mktemp("hostile"), roles=roles)
    return build_project(project)


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.parts)


def test_no_payload_becomes_an_element_attribute_or_script(hostile_site: Path) -> None:
    marker = re.compile(r"xss-\d+")
    for path in _pages(hostile_site):
        page = _parse(path)
        for tag, name, value in page.attrs:
            where = f"{path.relative_to(hostile_site)} <{tag} {name}={value!r}>"
            assert not (name.startswith("on") and marker.search(value)), where
            assert not value.strip().lower().startswith("javascript:"), where
            assert not (tag == "img" and name == "src" and value == "x"), where
            assert not (tag == "!--" and marker.search(value)), f"{where}: a comment hid YAML text"
        assert not [s for s in page.scripts if marker.search(s)], path


def _visible(path: Path) -> str:
    return re.sub(r"\s+", " ", "".join(_parse(path).text))


@pytest.mark.parametrize(
    "page",
    ["roles/lead/index.html", "processes/standup/index.html", "policies/rules/index.html", "org/team/index.html"],
)
def test_payloads_show_literally(hostile_site: Path, page: str) -> None:
    text = _visible(hostile_site / page)
    files = _files()
    source = {"roles": "lead.yaml", "processes": "standup.yaml", "policies": "rules.yaml", "org": "team.yaml"}
    yaml_text = files[source[page.split("/")[0]]]
    shown = [p for p in PAYLOADS if _quoted(p) in yaml_text]
    assert shown, "each page carries some payloads"
    for payload in shown:
        assert re.sub(r"\s+", " ", payload) in text, f"{payload!r} not shown literally on {page}"


def test_jinja_is_not_evaluated(hostile_site: Path) -> None:
    for path in _pages(hostile_site):
        raw = path.read_text(encoding="utf-8")
        assert "1337" not in raw, f"{{{{ 7*191 }}}} was evaluated in {path}"
    assert "{{ 7*191 }}" in _visible(hostile_site / "roles" / "lead" / "index.html")


def test_link_definition_and_include_lines_stay_text(hostile_site: Path) -> None:
    for page in ("roles/lead/index.html", "policies/rules/index.html"):
        text = _visible(hostile_site / page)
        assert "[x]: javascript:alert('xss-12')" in text, page
        assert '--8<-- "/etc/passwd"' in text, f"{page}: a snippet include line must stay text"
    for path in _pages(hostile_site):
        assert "root:x:0:0" not in path.read_text(encoding="utf-8"), f"{path} shows a file from outside roles/"


def test_nav_and_head_titles_are_text(hostile_site: Path) -> None:
    # On its own page the role title shows in <title>, the header, the nav and the heading.
    text = _visible(hostile_site / "roles" / "lead" / "index.html")
    assert text.count(TITLE) >= 3, "the role title shows literally in <title>, nav and heading"
    text = _visible(hostile_site / "org" / "team" / "index.html")
    assert text.count("电话组 " + PAYLOADS[0]) >= 3, "the unit name shows literally in <title>, nav and heading"


def test_search_index_holds_text_and_the_dialog_shows_it_as_text(hostile_site: Path) -> None:
    """The site's search index holds each page's text as the reader sees it (a payload is shown
    literally, so it is there literally), and the dialog only ever inserts it as text."""
    from generator.site.searchassets import SOURCE

    index = json.loads((hostile_site / "search" / "index.json").read_text(encoding="utf-8"))
    texts = [p["title"] for p in index["pages"]] + [t for s in index["sections"] for t in (s[2], s[3])]
    assert any("<script>" in t for t in texts), "the payload shown on the page is in the index as text"
    ui = (SOURCE / "ui.js").read_text(encoding="utf-8")
    assert ui.count("innerHTML") == 1 and "innerHTML = ICON" in ui, "only the fixed icon is inserted as HTML"
    assert "insertAdjacentHTML" not in ui and "outerHTML" not in ui


def _dialogs(url: str, actions: Callable[..., None]) -> list[str]:
    from playwright.sync_api import sync_playwright

    seen: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()

        def dismiss(dialog: Any) -> None:
            seen.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        page.goto(url)
        actions(page)
        browser.close()
    return seen


def test_nothing_runs_in_a_real_browser_even_in_search_results(hostile_site: Path) -> None:
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(hostile_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"

    def search(page: Any) -> None:
        page.locator(".hb-search-button").click()
        for query in ("xss", "alert", "script", "组长"):
            page.fill("dialog.hb-search input", query)
            # The dialog says when it has answered this query (ui.js).
            page.wait_for_function(
                "q => { const d = document.querySelector('dialog.hb-search');"
                " return d && d.dataset.state === 'done' && d.dataset.query === q; }", arg=query)
        assert page.locator("dialog.hb-search li.hb-search__result").count(), "search showed no results for 组长"
        found = page.locator("dialog.hb-search script, dialog.hb-search img, dialog.hb-search svg:not(.hb-search-button svg)")
        assert found.count() == 0, "a payload became an element in the results"
        page.wait_for_timeout(500)

    try:
        fired = _dialogs(base + "roles/lead/", search)
        fired += _dialogs(base + "policies/rules/", lambda page: page.wait_for_timeout(300))
    finally:
        server.shutdown()
    assert fired == [], f"YAML text ran as script: {fired}"



def test_hostile_text_prints_literally_in_the_pdf_and_loads_nothing(
    hostile_site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pypdf import PdfReader

    from generator.i18n import load_locale
    from generator.link.pipeline import validate
    from generator.pdf.run import write_pdfs

    roles = hostile_site.parent / "roles"
    hb = validate(roles, locale=load_locale("zh")).handbook
    caplog.set_level("WARNING", logger="weasyprint")
    write_pdfs(hb, load_locale("zh"), tmp_path / "pdf", tmp_path / "cache", ["lead"], combined=False)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "pdf" / "lead.pdf").pages)
    squashed = re.sub(r"\s+", "", text)
    for payload in (TITLE, PAYLOADS[0], PAYLOADS[1], PAYLOADS[3]):
        assert re.sub(r"\s+", "", payload) in squashed, f"{payload!r} is not printed as text"
    fetched = [r.getMessage() for r in caplog.records if "load" in r.getMessage() or "fetch" in r.getMessage()]
    assert fetched == [], f"the PDF asked for resources: {fetched}"


def test_the_pdf_fetcher_refuses_anything_but_its_own_files(tmp_path: Path) -> None:
    from generator.pdf.engine import _local_fetcher

    mine = tmp_path / "mine.css"
    mine.write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "other.txt").write_text("secret", encoding="utf-8")
    fetcher = _local_fetcher([mine])
    assert fetcher.fetch(mine.as_uri()).read() == b"p { color: red }"
    assert fetcher.fetch("data:image/png;base64,iVBORw0K").read() == b"\x89PNG\r\n", "a company logo, inlined"
    for url in ((tmp_path / "other.txt").as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/x.png",
                f"{mine.as_uri()}/../other.txt", "data:text/plain,x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
