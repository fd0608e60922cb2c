"""The site's own search: the index read back from HTML, and the ranking rules core.js keeps, run in node."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.project import Project
from generator.site.engine import ENGINES, Engine
from generator.site.searchassets import SOURCE
from generator.site.searchindex import fold_map, read_article

PAGE = """<html><body><nav>菜单 早会</nav><article class="md-content__inner md-typeset">
<h1 id="_1">早会<a class="headerlink" href="#_1">¶</a></h1>
<p class="handbook-stamp">生效日期 2024-01-01</p>
<p>每天上线前召开。</p>
<h2 id="steps">流程步骤<a class="headerlink" href="#steps">¶</a></h2>
<h3 id="step-1">1. 考勤通报</h3><p>通报<abbr title="x">TSR</abbr>出勤。</p>
<div class="org-chart" data-search-exclude><svg><text>电销团队长</text></svg><ul><li>图</li></ul></div>
<h2 data-search-exclude id="referenced-by">引用此处的内容</h2><ul><li><a href="#">电销人员</a></li></ul>
</article><footer>页脚</footer></body></html>"""


def test_an_article_splits_at_its_headings_and_leaves_out_furniture() -> None:
    title, sections = read_article(PAGE)
    assert title == "早会"
    assert [(s.anchor, s.heading, s.parent) for s in sections] == [
        ("", "", ""), ("steps", "流程步骤", ""), ("step-1", "1. 考勤通报", "流程步骤"),
    ]
    texts = ["".join(s.text).split() for s in sections]
    assert texts == [["每天上线前召开。"], [], ["通报TSR出勤。"]]


@pytest.mark.parametrize("engine", ENGINES)
def test_libxml2_reads_every_built_page_as_the_standard_library_does(
    engine: Engine, sample_projects: Callable[[Engine], Project]
) -> None:
    """The index is read back with lxml's tokenizer for speed; every page of the sample, on both
    engines, gives the same title, sections and text as with ``html.parser``."""
    site = sample_projects(engine).site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        html = path.read_text(encoding="utf-8")
        fast, slow = read_article(html), read_article(html, fast=False)
        assert (fast[0], [(s.anchor, s.heading, s.parent, " ".join("".join(s.text).split())) for s in fast[1]]) == (
            slow[0], [(s.anchor, s.heading, s.parent, " ".join("".join(s.text).split())) for s in slow[1]]
        ), path


def test_the_other_script_folds_into_the_sites_characters() -> None:
    fold = fold_map("续保专员迟到")
    assert fold["續"] == "续" and fold["專"] == "专" and fold["遲"] == "迟"
    assert "续" not in fold
    assert fold_map("續保專員")["续"] == "續", "a Traditional site folds Simplified typing the other way"


def _page(url: str, title: str, kind: str = "", names: list[str] | None = None, points: list[int] | None = None
          ) -> dict[str, Any]:
    return {"url": url, "title": title, "kind": kind, **({"names": names} if names else {}),
            **({"points": points} if points else {})}


#: A handbook of a few sections, to check the ranking's rules one by one.
INDEX = {
    "lang": "zh",
    "fold": {"遲": "迟"},
    "synonyms": [["晨会", "早会"]],
    "function": ["多少", "什么", "吗", "谁"],
    "pages": [
        _page("processes/morning/", "早会", "process"),
        _page("glossary/#chen-hui", "晨会", "term", ["早会"], points=[0]),  # 见 早会 (the process)
        _page("policies/attendance/", "考勤与纪律", "policy"),
        _page("processes/big/", "大早会", "process"),
        _page("roles/rep/", "电销人员", "role"),
        _page("policies/faq/", "常见问题", "policy"),
    ],
    "sections": [
        [0, "", "", "每天 08:45 上线前召开，不超过 10 分钟。", ""],
        [1, "", "晨会", "上班前召开的团队例会。", ""],
        [2, "late", "迟到早退", "无故迟到一次扣罚 30 元。", "条款"],
        [2, "leave", "请假", "请假须提前申请，迟到另计。", "条款"],
        [3, "", "", "每周一、周四召开的全员大会。", ""],
        [4, "", "", "通过电话销售产品，完成通话次数。", ""],
        [5, "", "", "问：工资是多少？什么时候发？答：每月十日。", ""],
    ],
}


def _run(queries: list[str], tmp_path: Path) -> dict[str, list[str]]:
    node = shutil.which("node")
    assert node, "node is needed (Debian: nodejs; make installs it)"
    site = tmp_path / "site"
    shutil.copytree(SOURCE, site / "assets" / "search")
    (site / "search").mkdir()
    (site / "search" / "index.json").write_text(json.dumps(INDEX, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "q.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    runner = Path(__file__).with_name("search_node.js")
    done = subprocess.run([node, str(runner), str(site), str(tmp_path / "q.json")], capture_output=True, text=True,
                          check=True)
    found: dict[str, list[list[str]]] = json.loads(done.stdout)
    return {q: [links[0] for links in results] for q, results in found.items()}


@pytest.fixture(scope="module")
def ranked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    queries = ["早会", "晨会", "迟到扣多少", "迟到", "遲到", "早会几点开", "大早会", "工资什么时候发", "什么", "电话"]
    return _run(queries, tmp_path_factory.mktemp("rank"))


def test_a_title_typed_as_it_is_comes_first_and_the_page_before_the_glossary(ranked: dict[str, list[str]]) -> None:
    assert ranked["早会"][:2] == ["processes/morning/", "glossary/#chen-hui"], "the describing page first"
    assert ranked["晨会"][0] == "glossary/#chen-hui" and "processes/morning/" in ranked["晨会"][:2]
    assert ranked["大早会"][0] == "processes/big/"


def test_an_entry_holding_more_of_the_query_ranks_higher(ranked: dict[str, list[str]]) -> None:
    assert ranked["迟到扣多少"][0] == "policies/attendance/"
    assert ranked["迟到"][0] == "policies/attendance/"


def test_question_words_weigh_nothing_and_never_empty_the_list(ranked: dict[str, list[str]]) -> None:
    # 什么 and 多少 are in the FAQ page only: they must not pull it above the pages about the query's words.
    assert ranked["早会几点开"][0] == "processes/morning/"
    assert ranked["迟到扣多少"][0] == "policies/attendance/"
    assert ranked["工资什么时候发"][0] == "policies/faq/", "a meaningful word (工资) still finds its page"


def test_the_other_script_and_a_body_word_are_found(ranked: dict[str, list[str]]) -> None:
    assert ranked["遲到"][0] == "policies/attendance/"
    assert ranked["电话"][0] == "roles/rep/"
