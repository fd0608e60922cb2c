"""A real MkDocs build of the sample handbook: strict, KPI targets on the page, Chinese search index."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.i18n import load_locale
from generator.model.refs import find_refs
from generator.project import Project
from generator.render import formatting
from generator.site.engine import ENGINES, Engine
from generator.site.searchindex import INDEX_FILE, UNLISTED

ZH = load_locale("zh")


def _html_text(path: Path) -> str:
    html = path.read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", html).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")


def test_every_entity_has_its_page_at_its_url(sample_project: Project) -> None:
    from generator.link.pipeline import validate

    hb = validate(sample_project.roles).handbook
    site = sample_project.site
    for rid in hb.roles:
        assert (site / "roles" / rid / "index.html").is_file(), rid
    for pid in hb.processes:
        assert (site / "processes" / pid / "index.html").is_file(), pid
    for uid in hb.units:
        assert (site / "org" / uid / "index.html").is_file(), uid
    for pid, policy in hb.policies.items():
        page = (site / "policies" / pid / "index.html").read_text(encoding="utf-8")
        for clause in policy.clauses:
            assert f'id="{clause.id}"' in page, f"{pid}#{clause.id}"
    for name in ("glossary", "kpis", "org"):
        assert (site / name / "index.html").is_file()


def test_call_center_lead_page_shows_its_kpi_targets(sample_project: Project) -> None:
    from generator.link.pipeline import validate

    role = validate(sample_project.roles).handbook.roles["call-center-lead"]
    assert role.kpis, "the 电销团队长 has KPIs in the sample"
    text = _html_text(sample_project.site / "roles" / "call-center-lead" / "index.html")
    for kpi in role.kpis:
        assert kpi.metric in text
        assert formatting.target(kpi, ZH) in text, kpi.metric


@pytest.mark.parametrize("engine", ENGINES)
def test_search_index_leaves_out_the_change_log_and_editing_pages(
    sample_projects: Callable[[Engine], Project], engine: Engine
) -> None:
    site = sample_projects(engine).site
    built = [p for p in UNLISTED if (site / p / "index.html").is_file()]
    assert "changes/" in built, "the sample site has a change log page (else this test checks nothing)"
    index = json.loads((site / INDEX_FILE).read_text(encoding="utf-8"))
    locations = [p["url"] for p in index["pages"]]
    assert any(loc.startswith("roles/") for loc in locations), "the index lists the role pages"
    assert not [loc for loc in locations if loc.startswith(UNLISTED)], f"{engine} indexes a page readers do not search"
    assert not [loc for loc in locations if loc.endswith("/onboarding/")], "old checklist addresses are redirects"
    on_roles = {s[1] for s in index["sections"] if index["pages"][s[0]]["url"].startswith("roles/")}
    assert "duties" in on_roles, "the index holds role pages' sections (else the next line checks nothing)"
    assert not on_roles & {"onboarding", "onboarding-due-1"}, "a role page's checklist stays out of search"


@pytest.mark.parametrize("engine", ENGINES)
def test_search_index_holds_only_what_the_pages_show(
    sample_projects: Callable[[Engine], Project], engine: Engine
) -> None:
    """No padding: every section's text is text of its page as a reader sees it, and the engines'
    own search is off (no index of theirs, no search box of theirs)."""
    site = sample_projects(engine).site
    index = json.loads((site / INDEX_FILE).read_text(encoding="utf-8"))
    pages = index["pages"]
    assert len(index["sections"]) > len(pages) / 2
    for page, anchor, heading, text, _parent in index["sections"]:
        url = pages[page]["url"].split("#")[0]
        shown = _html_text(site / url / "index.html")
        squeezed = re.sub(r"\s+", "", shown)
        assert re.sub(r"\s+", "", text) in squeezed or all(
            re.sub(r"\s+", "", part) in squeezed for part in text.split(" ") if part
        ), f"{url}#{anchor}: the index holds text the page does not show"
        assert "\u200b" not in text + heading
    assert not (site / "search" / "search_index.json").exists(), "Material's own index is built"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'for="__search"' not in home, "the engine's own search box is on the page"
    assert "assets/search/ui.js" in home


def test_search_index_words_weigh_by_part_of_speech() -> None:
    from generator.site.searchindex import function_words

    found = function_words("迟到一次扣多少钱？什么时候开会，谁主持吗")
    assert {"多少", "什么", "谁", "吗"} <= set(found)
    assert not {"迟到", "开会", "主持", "扣", "钱", "时候"} & set(found)
    assert "月" not in function_words("月例会"), "a single character counts only for the kinds that never name"


def test_no_unescaped_reference_syntax_or_raw_yaml_left(sample_site: Path) -> None:
    for page in sample_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not list(find_refs(text)), f"unresolved [[…]] in {page}"


def test_site_requests_nothing_from_other_hosts(sample_site: Path) -> None:
    pattern = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")
    for page in sample_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        hits = [m.group(0) for m in pattern.finditer(text)]
        external_assets = [h for h in hits if h.startswith("src")]
        assert not external_assets, f"{page} loads {external_assets}"
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_abbreviations_explain_themselves_on_hand_written_and_generated_pages(
    sample_project: Project, make_project: Callable[..., Project]
) -> None:
    from generator.link.pipeline import validate

    from .conftest import build_project

    terms = [t for t in validate(sample_project.roles).handbook.terms.values() if t.abbreviation == "TSR"]
    assert terms, "the sample glossary defines TSR"
    role = (sample_project.site / "roles" / "telesales-rep" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="' in role and ">TSR</abbr>" in role
    # A hand-written page gets the glossary's definitions appended to its mirrored copy, not to itself.
    project = make_project({
        "team.yaml": "kind: unit\nname: 电话组\n",
        "tsr.yaml": "kind: term\nterm: 电话销售代表\nabbreviation: TSR\ndefinition: 打电话的坐席。\n",
    })
    (project.handbook / "guide.md").write_text("# 指南\n\n新人 TSR 先读这一页。\n", encoding="utf-8")
    build_project(project)
    guide = (project.site / "guide" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="[^"]*电话销售代表[^"]*">TSR</abbr>', guide)
    source = (project.handbook / "guide.md").read_text(encoding="utf-8")
    assert "*[TSR]" not in source, "the hand-written original is never changed"


def test_hand_written_abbreviations_are_explained_inside_chinese_text(tmp_path: Path) -> None:
    from .conftest import build_project, copy_project

    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "team.yaml").write_text("kind: unit\nname: 电话组\n", encoding="utf-8")
    (roles / "tsr.yaml").write_text(
        "kind: term\nterm: 电话销售代表\nabbreviation: TSR\ndefinition: 打电话销售保险的人。\n", encoding="utf-8"
    )
    project = copy_project(tmp_path, tmp_path / "project", roles=roles)
    (project.handbook / "guide.md").write_text(
        "# 指南\n\n新人TSR培训三天；`TSR` 在代码里不变；TSRX 与 xTSR 不是缩写。\n", encoding="utf-8"
    )
    site = build_project(project)
    html = (site / "guide" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<abbr title="电话销售代表">TSR</abbr>', html) == ['<abbr title="电话销售代表">TSR</abbr>'], html
    assert "新人<abbr" in html and "<code>TSR</code>" in html and "TSRX" in html and "xTSR" in html
