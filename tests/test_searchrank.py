"""The closeness rank put into Zensical's search worker: patched once, left alone when unknown, and
in node the order it gives on a small index (the acceptance on the whole sample is the browser test)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.project import Project
from generator.site import searchrank
from generator.site.engine import Engine
from generator.site.searchindex import slips
from generator.site.searchrank import ANCHOR, MARK, WORKER_GLOB, add_closeness_rank

from .search_offline import search


def _stock_worker() -> Path:
    """The search worker as the installed Zensical ships it."""
    import zensical

    templates = Path(zensical.__file__).parent / "templates"
    return next(templates.glob(WORKER_GLOB))


def _site_with(worker: Path, dest: Path) -> Path:
    site = dest / "site"
    target = site / worker.relative_to(worker.parents[3])
    target.parent.mkdir(parents=True)
    shutil.copy2(worker, target)
    return site


def _worker_of(site: Path) -> Path:
    return next(site.glob(WORKER_GLOB))


def test_the_installed_zensical_worker_is_patched_once(tmp_path: Path) -> None:
    site = _site_with(_stock_worker(), tmp_path)
    stock = _worker_of(site).read_text(encoding="utf-8")
    assert add_closeness_rank(site)
    once = _worker_of(site).read_text(encoding="utf-8")
    assert once.count(MARK) == 1 and once.count(searchrank.HOOK) == 1
    assert once.startswith(stock[: stock.index(ANCHOR)]), "the worker's code before the comparator changed"
    assert add_closeness_rank(site)
    assert _worker_of(site).read_text(encoding="utf-8") == once, "a second patch changed the worker again"


def test_an_unknown_worker_or_none_is_left_as_it_is(tmp_path: Path) -> None:
    site = _site_with(_stock_worker(), tmp_path)
    worker = _worker_of(site)
    other = worker.read_text(encoding="utf-8").replace(ANCHOR, ANCHOR.replace("let i", "let j"))
    worker.write_text(other, encoding="utf-8")
    assert not add_closeness_rank(site), "a worker without the known comparator was reported patched"
    assert worker.read_text(encoding="utf-8") == other
    assert not add_closeness_rank(tmp_path / "empty"), "a site without a worker was reported patched"


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory, sample_projects: Callable[[Engine], Project]) -> Path:
    """Seven pages through the real worker, with the sample index's config (its separator and language)
    and, as the build adds them, each title's slips in a hidden span."""
    if shutil.which("node") is None:
        pytest.skip("the ranking runs Zensical's worker in node")
    config = json.loads((sample_projects("zensical").site / "search.json").read_text(encoding="utf-8"))["config"]
    pages = {
        "a/": ("理财经理", "面向客户的理财经理负责资产配置。"),
        "b/": ("理财经理助理", "协助理财经理整理客户资料。"),
        "c/": ("经理助理", "协助经理处理日常事务。"),
        "d/": ("理财经理晨会", "理财经理每日的晨会。"),
        "e/": ("晨会（早会）", "上班前召开的团队例会。"),
        "f/": ("夕会", "下班前的团队例会。"),
        "g/": ("团训", "每周一次的业务培训，讲师来自各个团队。"),
    }
    index = {
        "config": config,
        "items": [
            {
                "location": loc,
                "level": 1,
                "title": title,
                "text": f'<p>{text}</p> <span hidden="hidden">{" ".join(slips(title))}</span>',
                "path": [title],
                "tags": [],
            }
            for loc, (title, text) in pages.items()
        ],
    }
    site = _site_with(_stock_worker(), tmp_path_factory.mktemp("rank"))
    (site / "search.json").write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
    return site


def test_the_rank_puts_a_title_one_character_off_first(small_site: Path) -> None:
    queries = ["经理理", "理财经理", "晨会", "早会", "夕会", "团队"]
    stock = search(small_site, queries)
    assert stock["经理理"][0] != "c/", "Zensical alone already ranks 经理助理 first: this test proves nothing"
    patched = small_site.parent / "patched"
    shutil.copytree(small_site, patched)
    assert add_closeness_rank(patched)
    found = search(patched, queries)
    assert found["经理理"][0] == "c/", f"经理助理 (助 dropped) is not first: {found['经理理']}"
    assert found["理财经理"][0] == "a/", "the exact title is not first"
    assert found["晨会"][0] == "e/" and found["早会"][0] == "e/", "a bracketed part of a title is not a title"
    assert found["夕会"][0] == "f/"
    # Two characters one apart are other words, not slips: 团队 is one from 团训 and keeps Zensical's order.
    assert stock["团队"][0] != "g/", "Zensical alone ranks 团训 first for 团队: the case proves nothing"
    assert found["团队"] == stock["团队"]
    assert sorted(found["经理理"]) == sorted(stock["经理理"]), "the rank dropped or added results"
