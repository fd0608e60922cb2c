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


def test_search_index_is_segmented_chinese(sample_project: Project) -> None:
    from generator.link.pipeline import validate
    from generator.site.navigation import jieba_words

    sample_site = sample_project.site
    index = json.loads((sample_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    texts = [doc["text"] for doc in index["docs"]] + [doc["title"] for doc in index["docs"]]
    joined = "\n".join(texts)
    assert "\u200b" in joined, "jieba segmentation marks word boundaries with U+200B"
    tokens = {tok for t in texts for tok in re.split(r"[\s\u200b]+", t)}
    dictionary = jieba_words(validate(sample_project.roles).handbook)
    for word in ("夕会", "通时通次", "续保", "理财经理"):
        assert word in dictionary, f"{word} is not in the generated jieba dictionary"
        assert word in tokens, f"{word} is not a single search token"


@pytest.mark.parametrize("engine", ENGINES)
def test_search_index_leaves_out_the_change_log_and_editing_pages(
    sample_projects: Callable[[Engine], Project], engine: Engine
) -> None:
    site = sample_projects(engine).site
    built = [p for p in UNLISTED if (site / p / "index.html").is_file()]
    assert "changes/" in built, "the sample site has a change log page (else this test checks nothing)"
    index = json.loads((site / INDEX_FILE[engine]).read_text(encoding="utf-8"))
    locations = [e["location"] for e in index["docs" if engine == "mkdocs" else "items"]]
    assert any(loc.startswith("roles/") for loc in locations), "the index lists the role pages"
    assert not [loc for loc in locations if loc.startswith(UNLISTED)], f"{engine} indexes a page readers do not search"


def test_zensical_index_hides_what_it_adds_for_search(sample_projects: Callable[[Engine], Project]) -> None:
    """The words added for search (question words, kinds, other script) sit in hidden spans on Zensical,
    so a snippet shows the page's own sentences; nothing shown carries U+200B."""
    index = json.loads((sample_projects("zensical").site / INDEX_FILE["zensical"]).read_text(encoding="utf-8"))
    items = index["items"]
    separator = re.compile(index["config"]["separator"])  # a JavaScript regex that Python reads alike
    for word in ZH.label("search_stop_words").split():
        assert separator.fullmatch(word), f"Zensical's query splitter keeps the stop word {word}"
    assert not separator.search("早会"), "the splitter cuts a word that is no stop word"
    hidden = re.compile(r'<span hidden="hidden">([^<]*)</span>')
    question_words = " ".join(ZH.label("search_question_words").split()[:3])
    for item in items:
        shown = hidden.sub("", item["text"])
        assert question_words not in shown, f"{item['location']} shows the added question words"
        assert any(question_words in words for words in hidden.findall(item["text"])), item["location"]
        assert "\u200b" not in hidden.sub("", item["title"]) + shown, f"{item['location']} shows U+200B"


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


def test_abbreviations_explain_themselves_on_hand_written_and_generated_pages(sample_project: Project) -> None:
    from generator.link.pipeline import validate

    terms = [t for t in validate(sample_project.roles).handbook.terms.values() if t.abbreviation == "TSR"]
    assert terms, "the sample glossary defines TSR"
    home = (sample_project.site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<abbr title="[^"]*' + re.escape(terms[0].term) + r'[^"]*">TSR</abbr>', home)
    role = (sample_project.site / "roles" / "telesales-rep" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="' in role and ">TSR</abbr>" in role
    source = (sample_project.handbook / "index.md").read_text(encoding="utf-8")
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


def test_the_zensical_site_ranks_near_titles_first(sample_projects: Callable[[Engine], Project]) -> None:
    from generator.site.searchrank import MARK, WORKER_GLOB

    (worker,) = sample_projects("zensical").site.glob(WORKER_GLOB)
    assert MARK in worker.read_text(encoding="utf-8"), "the built site's search worker has no closeness rank"


def test_an_unknown_zensical_worker_is_a_warning_not_a_failed_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.site import searchrank
    from generator.site.build import build

    from .conftest import copy_project

    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "team.yaml").write_text("kind: unit\nname: 电话组\n", encoding="utf-8")
    project = copy_project(tmp_path, tmp_path / "project", roles=roles)
    monkeypatch.setattr(searchrank, "ANCHOR", "(a,b)=>{/* a comparator no Zensical has */")
    outcome = build(project, ZH, pdfs=False, engine="zensical")
    assert outcome.ok, (outcome.generated.problems, outcome.site_errors)
    assert [w for w in outcome.warnings if "searchrank" in w], outcome.warnings
    (worker,) = project.site.glob(searchrank.WORKER_GLOB)
    assert searchrank.MARK not in worker.read_text(encoding="utf-8")
    assert (project.site / "search.json").is_file(), "the site was not built"
