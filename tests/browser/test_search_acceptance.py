"""Search acceptance computed from the data: every title, its near misses, its other spellings, and
the questions new hires ask, typed into each engine's real search box.

Cases come from the sample under ``roles/`` (titles, abbreviations, synonyms) and from
``search_questions.yaml`` (questions written by a person, with the pages that answer them).
Each category's hit rate is written to ``test-output/search-acceptance.txt`` and compared with
each engine's floor: the goal on Zensical, what MkDocs measured on MkDocs (README has the numbers).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generator.link.handbook import Handbook
from generator.model.registry import KINDS, display_name
from generator.site.engine import DEFAULT_ENGINE
from generator.site.searchindex import ZWSP, script_variants

from ..conftest import OUTPUT
from .conftest import Site, page_url, screenshot
from .searchbox import Result, SearchBox, Target

QUESTIONS = Path(__file__).with_name("search_questions.yaml")
REPORT = OUTPUT / "search-acceptance.txt"


@dataclass(frozen=True)
class Case:
    """A query and the pages any of which is a right answer."""

    query: str
    targets: tuple[Target, ...]


def _target(kind: str, ident: str, anchor: str | None = None) -> Target:
    page, _, own_anchor = page_url(kind, ident).partition("#")
    return Target(page, anchor or own_anchor or None)


def _by_title(hb: Handbook) -> dict[str, tuple[Target, ...]]:
    """Each title → the entities that carry it, as a reader types it: 大早会 is a process and a
    glossary term, and 销售领导小组(SLT) and 销售领导小组（SLT） differ only in the width of the
    brackets an input method gives."""
    found: dict[str, list[Target]] = {}
    for kind in KINDS:
        for entity in hb.table(kind).values():
            found.setdefault(display_name(entity), []).append(_target(kind, entity.id))
    same: dict[str, list[Target]] = {}
    for title, targets in found.items():
        same.setdefault(unicodedata.normalize("NFKC", title), []).extend(targets)
    return {title: tuple(same[unicodedata.normalize("NFKC", title)]) for title in found}


def _drop_middle(title: str) -> str:
    middle = len(title) // 2
    return title[:middle] + title[middle + 1 :]


def titles(hb: Handbook) -> list[Case]:
    """Every entity's title (each kind in the registry), as typed."""
    return [Case(title, targets) for title, targets in _by_title(hb).items()]


def near_misses(hb: Handbook) -> list[Case]:
    """Every title of three or more characters with its middle character dropped (a typing slip)."""
    return [Case(_drop_middle(t), targets) for t, targets in _by_title(hb).items() if len(t) >= 3]


def abbreviations(hb: Handbook) -> list[Case]:
    """Every glossary abbreviation (TSR, KPI …) → its term."""
    return [Case(t.abbreviation, (_target("term", t.id),)) for t in hb.terms.values() if t.abbreviation]


def other_script(hb: Handbook) -> list[Case]:
    """Every title in the other script (Traditional for the sample's Simplified, by OpenCC)."""
    return [Case(v, targets) for t, targets in _by_title(hb).items() for v in sorted(script_variants(t))]


def synonyms(hb: Handbook) -> list[Case]:
    """Every glossary synonym → its term."""
    return [Case(s, (_target("term", t.id),)) for t in hb.terms.values() for s in t.synonyms]


def questions(hb: Handbook) -> list[Case]:
    """The questions in search_questions.yaml with their expected pages (checked against the data)."""
    cases = []
    for item in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8")):
        targets = []
        for ref in item["expect"]:
            kind, _, rest = ref.partition(":")
            ident, _, anchor = rest.partition("#")
            assert hb.get(kind, ident) is not None, f"{QUESTIONS.name}: {ref} is not in the sample"
            targets.append(_target(kind, ident, anchor or None))
        cases.append(Case(item["q"], tuple(targets)))
    return cases


@dataclass(frozen=True)
class Category:
    """A family of cases, how far down the answer may be, and the share that must pass."""

    name: str
    make: object
    top: int
    goal: float
    """What the issue asks for (README lists which engine meets it)."""
    floor: dict[str, float]
    """Per engine, what must pass: the goal where the engine meets it (Zensical, the default, meets
    every goal), else what it measured on the sample less a case or two, so a regression fails."""


CATEGORIES = [
    Category("titles", titles, 1, 1.0, {"zensical": 1.0, "mkdocs": 0.70}),
    Category("near-misses", near_misses, 3, 1.0, {"zensical": 1.0, "mkdocs": 0.66}),
    Category("abbreviations", abbreviations, 3, 1.0, {"zensical": 1.0, "mkdocs": 0.96}),
    Category("other-script", other_script, 3, 1.0, {"zensical": 1.0, "mkdocs": 0.93}),
    Category("synonyms", synonyms, 3, 1.0, {"zensical": 1.0, "mkdocs": 1.0}),
    Category("questions", questions, 3, 0.95, {"zensical": 0.95, "mkdocs": 0.80}),
]


def hit(results: list[Result], case: Case, top: int) -> bool:
    return any(r.offers(t) for r in results[:top] for t in case.targets)


@pytest.mark.parametrize("category", CATEGORIES, ids=[c.name for c in CATEGORIES])
def test_search_finds_what_people_type(category: Category, search_box: SearchBox, site: Site) -> None:
    make = category.make
    assert callable(make)
    cases: list[Case] = make(site.hb)
    assert cases, f"the sample gives no {category.name} cases"
    misses, hidden = [], 0
    for case in cases:
        results = search_box.search(case.query)
        hidden += sum(ZWSP in r.title + r.snippet for r in results[: category.top])
        if not hit(results, case, category.top):
            top = " | ".join(str(r) for r in results[:3]) or "(nothing)"
            misses.append(f"{case.query} → want {', '.join(map(str, case.targets))}; got {top}")
    rate = 1 - len(misses) / len(cases)
    need = category.floor[site.engine]
    line = (
        f"{site.engine}\t{category.name}\t{len(cases) - len(misses)}/{len(cases)}\t{rate:.1%}\t(top {category.top}; "
        f"goal {category.goal:.0%})\tresults showing U+200B: {hidden}"
    )
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    with REPORT.open("a", encoding="utf-8") as out:
        out.write(line + "\n" + "".join(f"\t  miss: {m}\n" for m in misses))
    shot = screenshot(search_box.page, f"acceptance-{site.engine}-{category.name}")
    if site.engine == DEFAULT_ENGINE:
        assert hidden == 0, f"{site.engine} {category.name}: {hidden} results show U+200B; screenshot: {shot}"
    assert rate >= need, (
        f"{site.engine} {category.name}: {rate:.1%} in the top {category.top}, need {need:.0%}; misses:\n  "
        + "\n  ".join(misses)
        + f"\nscreenshot: {shot}"
    )


def test_the_offline_search_counts_what_the_browser_counts(site: Site) -> None:
    """``tests/search_offline.py`` (Zensical's worker in node, for quick tries at the index) meets the
    floors the browser run meets, on the same built site."""
    import shutil

    if site.engine != "zensical":
        pytest.skip("the offline search is Zensical's worker; Material's search has no node twin")
    if shutil.which("node") is None:
        pytest.skip("the offline search runs Zensical's worker in node")
    from ..search_offline import report

    floors = {c.name: c.floor["zensical"] for c in CATEGORIES}
    counted = report(site.root)
    assert [name for name, _, _ in counted] == list(floors)
    for name, total, misses in counted:
        assert total and 1 - len(misses) / total >= floors[name], f"{name}: {len(misses)} of {total} missed: {misses}"
