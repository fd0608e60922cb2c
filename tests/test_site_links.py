"""Every built page, on both engines, of the sample and of every fixture handbook: each link and
anchor lands, and each site is its own company's, in its own language.

The pages are read back from each engine's built site (``generator.site.linkcheck``), links in
raw HTML and inline SVG (the org charts) included, so a link neither engine checks is checked
here; and the two engines' pages must lead to the same places. No page (nor the search index)
holds a name of another handbook's company, unit or role, and an English site holds no Chinese
character: words and languages come from each handbook's own company settings, none from
``mkdocs.yml``.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import SiteBuildError
from generator.i18n import load_locale
from generator.link.handbook import company_locale as hb_company_locale
from generator.link.pipeline import validate
from generator.model import paths
from generator.pdf.render import pdf_files
from generator.project import Project, company_locale
from generator.render.home import site_name
from generator.render.pages import page_languages
from generator.site.engine import DEFAULT_ENGINE, ENGINES, Engine, build_site
from generator.site.generate import generate
from generator.site.linkcheck import BrokenLink, check_site, page_links, target
from generator.site.pagelang import html_file

from .conftest import FIXTURES, REPO, build_project

#: The default engine first: it is the one readers get.
ORDERED: tuple[Engine, ...] = (DEFAULT_ENGINE, *(e for e in ENGINES if e != DEFAULT_ENGINE))
#: Every full handbook: the sample and each fixture with a roles/ folder.
HANDBOOKS = ["sample", *sorted(p.parent.name for p in FIXTURES.glob("*/roles"))]


def _later(project: Project) -> set[str]:
    """The PDFs `handbook build` writes after the site (these sites were built without them)."""
    hb = validate(project.roles).handbook
    return {f"pdf/{name}" for name in pdf_files(hb)}


@pytest.mark.parametrize("name", HANDBOOKS)
@pytest.mark.parametrize("engine", ORDERED)
def test_every_link_and_anchor_of_every_page_lands(built: Callable[[str, Engine], Project], name: str, engine: Engine) -> None:
    project = built(name, engine)
    report = check_site(project.site, later=_later(project))
    pages = sum(1 for p in project.site.rglob("*.html") if p != project.site / "404.html")
    assert report.pages == pages > 10
    assert report.links > 30 * pages, "the crawl followed the links of every page, nav included"
    assert [str(b) for b in report.broken] == []


def _content_targets(site: Path, page: str) -> set[str]:
    """Where the links of one page lead (file#anchor); the theme's own files and anchors (``#__skip``), which differ by engine, left out."""
    out = set()
    for href in page_links(site / page):
        if "://" in href or href.startswith(("mailto:", "#__")) or "assets/" in href:
            continue
        file, anchor = target(site, page, href)
        out.add(f"{file}#{anchor}" if anchor and file else str(file or anchor))
    return out


@pytest.mark.parametrize("name", HANDBOOKS)
def test_both_engines_link_each_page_to_the_same_places(built: Callable[[str, Engine], Project], name: str) -> None:
    zensical, mkdocs = (built(name, e).site for e in ("zensical", "mkdocs"))
    pages = sorted(p.relative_to(mkdocs).as_posix() for p in mkdocs.rglob("*.html"))
    assert pages == sorted(p.relative_to(zensical).as_posix() for p in zensical.rglob("*.html"))
    differ = {}
    for page in pages:
        a, b = _content_targets(mkdocs, page), _content_targets(zensical, page)
        if a != b:
            differ[page] = (sorted(a - b)[:3], sorted(b - a)[:3])
    assert differ == {}


# ---------------------------------------------------------------- the check itself


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for rel, body in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"<!doctype html><html><body>{body}</body></html>", encoding="utf-8")
    return tmp_path


def test_the_check_names_each_kind_of_broken_link(tmp_path: Path) -> None:
    svg = '<svg><a xlink:href="../gone/"><rect/></a><a href="../b/"><rect/></a><a href="../b/#nope"><text>x</text></a></svg>'
    site = _site(tmp_path, {
        "index.html": '<a href="a/">a</a> <a href="a/#top">top</a> <a href="https://example.com/">out</a>',
        "a/index.html": f'<h1 id="top">A</h1>{svg}<a href="../../up/">up</a><a href="/a/">root</a>'
                        '<img src="../img/x.png"><a href="../pdf/a.pdf">pdf</a><a href="#top">self</a>',
        "b/index.html": '<meta http-equiv="refresh" content="0; url=../c/"><p id="here">b</p>',
    })
    report = check_site(site, later={"pdf/a.pdf"})
    assert report.pages == 3
    assert report.links == 11, "the external link is not followed"
    assert report.broken == [
        BrokenLink("a/index.html", "../gone/", "missing"),
        BrokenLink("a/index.html", "../b/#nope", "anchor"),
        BrokenLink("a/index.html", "../../up/", "outside"),
        BrokenLink("a/index.html", "/a/", "absolute"),
        BrokenLink("a/index.html", "../img/x.png", "missing"),
        BrokenLink("b/index.html", "../c/", "missing"),
    ]
    assert check_site(site).broken[-2:] == [
        BrokenLink("a/index.html", "../pdf/a.pdf", "missing"),
        BrokenLink("b/index.html", "../c/", "missing"),
    ], "a PDF is present only when a later step writes it"


# ---------------------------------------------------------------- raw HTML read the same way by both engines


GUIDE = """# 指南

<div class="x"><svg xmlns="http://www.w3.org/2000/svg"><a href="roles/lead.md" aria-label="组长"><rect width="9" height="9"/></a></svg></div>

<p><a href="roles/lead.md#duties" id="raw-anchor">组长的职责</a> <a href="roles/index.md">岗位</a></p>
"""
UNIT = "kind: unit\nname: 组\n"
ROLE = "kind: role\ntitle: 组长\nunit: team\nduties:\n  - area: 管理\n    items: [带队]\n"


def _raw_targets(project: Project) -> list[str]:
    page = "guide/index.html"
    return sorted(t for t in _content_targets(project.site, page) if t.startswith("roles/"))


@pytest.mark.parametrize("engine", ORDERED)
def test_raw_html_in_a_hand_written_page_links_from_its_markdown_file(
    make_project: Callable[..., Project], engine: Engine
) -> None:
    project = make_project({"team.yaml": UNIT, "lead.yaml": ROLE})
    (project.handbook / "guide").mkdir()
    (project.handbook / "guide" / "extra.md").write_text("# 附\n", encoding="utf-8")
    # A page that is not an index page: its URL (guide/) is one folder below its file (guide.md).
    (project.handbook / "guide.md").write_text(GUIDE, encoding="utf-8")
    build_project(project, engine=engine)
    assert _raw_targets(project) == ["roles/index.html", "roles/lead/index.html", "roles/lead/index.html#duties"]
    assert check_site(project.site, later=_later(project)).broken == []


@pytest.mark.parametrize("engine", ORDERED)
def test_a_raw_html_link_to_a_missing_page_fails_the_build(make_project: Callable[..., Project], engine: Engine) -> None:
    project = make_project({"team.yaml": UNIT})
    (project.handbook / "guide.md").write_text('# 指南\n\n<p><a href="roles/nobody.md">谁</a></p>\n', encoding="utf-8")
    assert generate(project, load_locale("zh")).ok
    with pytest.raises(SiteBuildError) as err:
        build_site(project, engine=engine)
    assert any("nobody" in m or "does not exist" in m for m in err.value.messages), err.value.messages



# ---------------------------------------------------------------- each site is its company's own


def _roles_dir(name: str) -> Path:
    return REPO / "roles" if name == "sample" else FIXTURES / name / "roles"


@functools.cache
def _own_text(name: str) -> str:
    """Everything a handbook's data says, as written (a word it uses is its own, whoever else uses it)."""
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(_roles_dir(name).rglob("*.yaml")))


@functools.cache
def _names(name: str) -> frozenset[str]:
    """What names a handbook's company: its companies, units and roles, as a reader would spot them."""
    hb = validate(_roles_dir(name)).handbook
    found = {u.name for u in hb.units.values()} | {r.title for r in hb.roles.values()}
    for unit in hb.units.values():
        if unit.company is not None:
            found |= {unit.company.name, *(w for w in (unit.company.short_name, unit.company.site_name) if w)}
    # Short words (组长, QA) are too common to say whose they are.
    return frozenset(w for w in found if len(w) >= (3 if re.search(r"[^\x00-\x7f]", w) else 6))


def _published(site: Path) -> str:
    """Every page of a built site and its search index, as served (tags, attributes and scripts included)."""
    files = [*sorted(site.rglob("*.html")), *sorted(site.rglob("*.json"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def _chrome_words(lang: str) -> str:
    return json.dumps(load_locale(lang).labels, ensure_ascii=False)


@pytest.mark.parametrize("name", HANDBOOKS)
@pytest.mark.parametrize("engine", ORDERED)
def test_no_page_holds_another_companys_words(built: Callable[[str, Engine], Project], name: str, engine: Engine) -> None:
    project = built(name, engine)
    published = _published(project.site)
    own = _own_text(name) + _chrome_words(company_locale(project.roles) or "zh")
    foreign = {w for other in HANDBOOKS if other != name for w in _names(other) if w not in own}
    assert len(foreign) > 20, "the other handbooks have names to look for"
    assert sorted(w for w in foreign if w in published) == []


@pytest.mark.parametrize("name", HANDBOOKS)
@pytest.mark.parametrize("engine", ORDERED)
def test_the_site_takes_its_title_and_language_from_the_company(
    built: Callable[[str, Engine], Project], name: str, engine: Engine
) -> None:
    project = built(name, engine)
    lang = company_locale(project.roles) or "zh"
    hb = validate(project.roles).handbook
    title = site_name(hb, load_locale(lang))
    home = (project.site / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in home
    assert re.search(rf"<title>[^<]*{re.escape(html.escape(title, quote=False))}", home), title
    assert re.search(rf"<h1[^>]*>{re.escape(html.escape(title, quote=False))}", home), "the home page is the company's own"


@pytest.mark.parametrize("name", HANDBOOKS)
@pytest.mark.parametrize("engine", ORDERED)
def test_each_page_says_its_own_language(built: Callable[[str, Engine], Project], name: str, engine: Engine) -> None:
    """``<html lang>`` of every page: the site's language, but a group's company that writes in its
    own (the group's Traditional company) has its pages marked so, on both engines; each role page
    is checked against its own unit's company, apart from the mapping the build uses."""
    project = built(name, engine)
    site_lang = company_locale(project.roles) or "zh"
    hb = validate(project.roles).handbook
    own = {html_file(project.site, md): lang for md, lang in page_languages(hb, site_lang).items()}
    for rid, role in hb.roles.items():
        lang = hb_company_locale(hb, role.unit) or site_lang
        assert own.get(html_file(project.site, paths.page("role", rid)), site_lang) == lang, rid
    found = {}
    for page in project.site.rglob("*.html"):
        match = re.search(r'<html lang="([^"]*)"', page.read_text(encoding="utf-8"))
        assert match is not None, page
        found[page] = match[1]
    assert {p: lang for p, lang in found.items() if lang != own.get(p, site_lang)} == {}
    if name == "group":
        assert "zh-Hant" in found.values() and site_lang in found.values()
