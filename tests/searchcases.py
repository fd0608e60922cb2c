"""The search acceptance's cases: generated from a handbook's data, plus the questions people wrote.

Shared by the browser test (``tests/browser/test_search_acceptance.py``, the acceptance, on both
engines) and the node runner (``tests/search_offline.py``, for quick tries). Generated cases come
from the entities of whatever handbook is given (the sample, the Traditional or English fixture),
with question templates in that handbook's language; the written questions are the sample's, in two
halves (see the YAML files): the tuning half, and the held-out half that only the final check runs.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.link.handbook import Handbook
from generator.model import paths
from generator.model.registry import KINDS, display_name
from generator.site.searchindex import script_variants

HERE = Path(__file__).parent / "browser"
TUNING = HERE / "search_questions_tuning.yaml"
HELD_OUT = HERE / "search_questions_heldout.yaml"


@dataclass(frozen=True)
class Target:
    """A page (site-relative URL) and, optionally, the section anchor the result must offer."""

    page: str
    anchor: str | None = None

    def __str__(self) -> str:
        return self.page + (f"#{self.anchor}" if self.anchor else "")


@dataclass(frozen=True)
class Case:
    """A query and the pages any of which is a right answer."""

    query: str
    targets: tuple[Target, ...]


def target(kind: str, ident: str, anchor: str | None = None) -> Target:
    """The page of an entity (a glossary term: the glossary and the term's anchor)."""
    page, _, own_anchor = paths.url(kind, ident).partition("#")
    return Target(page, anchor or own_anchor or None)


#: How a new hire asks, per language: {what}. The templates of issue #33.
TEMPLATES: dict[str, dict[str, list[str]]] = {
    "zh": {
        "kpi": ["{}要求多少"], "meeting": ["{}什么时候开", "{}开多久"], "clause": ["{}怎么处罚"],
        "role": ["{}做什么"], "boss": ["{}的上级是谁"], "term": ["{}是什么"],
    },
    "zh-Hant": {
        "kpi": ["{}要求多少"], "meeting": ["{}什麼時候開", "{}開多久"], "clause": ["{}怎麼處罰"],
        "role": ["{}做什麼"], "boss": ["{}的上級是誰"], "term": ["{}是什麼"],
    },
    "en": {
        "kpi": ["what is the target for {}"], "meeting": ["when is the {}", "how long is the {}"],
        "clause": ["what is the penalty for {}"], "role": ["what does the {} do"],
        "boss": ["who is the {}'s manager"], "term": ["what is {}"],
    },
}
#: The category of a process that is a meeting (stored in Simplified script whatever the locale).
MEETING = "会议"


def _by_title(hb: Handbook) -> dict[str, tuple[Target, ...]]:
    """Each title → the entities that carry it, as a reader types it: 大早会 is a process and a
    glossary term, and 销售领导小组(SLT) and 销售领导小组（SLT） differ only in the width of the
    brackets an input method gives."""
    found: dict[str, list[Target]] = {}
    for kind in KINDS:
        for entity in hb.table(kind).values():
            found.setdefault(display_name(entity), []).append(target(kind, entity.id))
    same: dict[str, list[Target]] = {}
    for title, targets in found.items():
        same.setdefault(unicodedata.normalize("NFKC", title), []).extend(targets)
    return {title: tuple(same[unicodedata.normalize("NFKC", title)]) for title in found}


def _drop_middle(title: str) -> str:
    middle = len(title) // 2
    return title[:middle] + title[middle + 1 :]


def titles(hb: Handbook, lang: str) -> list[Case]:
    """Every entity's title (each kind in the registry), as typed."""
    return [Case(title, targets) for title, targets in _by_title(hb).items()]


def near_misses(hb: Handbook, lang: str) -> list[Case]:
    """Every Chinese title of three or more characters with its middle character dropped (a slip)."""
    return [Case(_drop_middle(t), targets) for t, targets in _by_title(hb).items()
            if len(t) >= 3 and not t.isascii()]


def abbreviations(hb: Handbook, lang: str) -> list[Case]:
    """Every glossary abbreviation (TSR, KPI …) → its term."""
    return [Case(t.abbreviation, (target("term", t.id),)) for t in hb.terms.values() if t.abbreviation]


def other_script(hb: Handbook, lang: str) -> list[Case]:
    """Every title in the other Chinese script (Traditional for Simplified and back, by OpenCC)."""
    return [Case(v, targets) for t, targets in _by_title(hb).items() for v in sorted(script_variants(t))]


def synonyms(hb: Handbook, lang: str) -> list[Case]:
    """Every glossary synonym → its term."""
    return [Case(s, (target("term", t.id),)) for t in hb.terms.values() for s in t.synonyms]


def _ask(lang: str, what: str, subject: str, targets: tuple[Target, ...]) -> list[Case]:
    return [Case(template.format(subject), targets) for template in TEMPLATES[lang][what]]


def kpi_questions(hb: Handbook, lang: str) -> list[Case]:
    """Each KPI's metric: "<指标>要求多少" → any role with that KPI."""
    holders: dict[str, list[Target]] = {}
    for role in hb.roles.values():
        for kpi in role.kpis:
            holders.setdefault(kpi.metric, []).append(target("role", role.id))
    return [c for metric, roles in holders.items() for c in _ask(lang, "kpi", metric, tuple(roles))]


def meeting_questions(hb: Handbook, lang: str) -> list[Case]:
    """Each meeting: "<会议>什么时候开" and "<会议>开多久" → its page."""
    return [c for p in hb.processes.values() if p.category == MEETING
            for c in _ask(lang, "meeting", p.title, (target("process", p.id),))]


def clause_questions(hb: Handbook, lang: str) -> list[Case]:
    """Each policy clause's subject: "<主题>怎么处罚" → the clause."""
    return [c for p in hb.policies.values() for clause in p.clauses if clause.title
            for c in _ask(lang, "clause", clause.title, (target("policy", p.id, clause.id),))]


def role_questions(hb: Handbook, lang: str) -> list[Case]:
    """Each role: "<岗位>做什么" → its page; "<岗位>的上级是谁" → its page or its boss's."""
    cases: list[Case] = []
    for role in hb.roles.values():
        own = target("role", role.id)
        cases += _ask(lang, "role", role.title, (own,))
        boss = (target("role", role.reports_to),) if role.reports_to else ()
        cases += _ask(lang, "boss", role.title, (own, *boss))
    return cases


def term_questions(hb: Handbook, lang: str) -> list[Case]:
    """Each glossary term: "<术语>是什么" → its entry."""
    return [c for t in hb.terms.values() for c in _ask(lang, "term", t.term, (target("term", t.id),))]


def _written(path: Path, hb: Handbook) -> list[Case]:
    cases = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        targets = []
        for ref in item["expect"]:
            kind, _, rest = ref.partition(":")
            ident, _, anchor = rest.partition("#")
            assert hb.get(kind, ident) is not None, f"{path.name}: {ref} is not in the sample"
            targets.append(target(kind, ident, anchor or None))
        cases.append(Case(item["q"], tuple(targets)))
    return cases


def tuning(hb: Handbook, lang: str) -> list[Case]:
    """The tuning half of the written questions (the sample's only)."""
    return _written(TUNING, hb)


def held_out(hb: Handbook, lang: str) -> list[Case]:
    """The held-out half of the written questions: the final check, never tuned on."""
    return _written(HELD_OUT, hb)


@dataclass(frozen=True)
class Category:
    """A family of cases, how far down the answer may be, and the share that must pass."""

    name: str
    make: Callable[[Handbook, str], list[Case]]
    top: int
    goal: float
    written: bool = False
    """The sample's written questions (not generated from whatever handbook is searched)."""


GENERATED = 0.95
CATEGORIES = [
    Category("titles", titles, 1, 1.0),
    Category("near-misses", near_misses, 3, GENERATED),
    Category("abbreviations", abbreviations, 3, 1.0),
    Category("other-script", other_script, 3, GENERATED),
    Category("synonyms", synonyms, 3, 1.0),
    Category("kpi-questions", kpi_questions, 3, GENERATED),
    Category("meeting-questions", meeting_questions, 3, GENERATED),
    Category("clause-questions", clause_questions, 3, GENERATED),
    Category("role-questions", role_questions, 3, GENERATED),
    Category("term-questions", term_questions, 3, GENERATED),
    Category("tuning", tuning, 3, 0.90, written=True),
    Category("held-out", held_out, 3, 0.90, written=True),
]


def hit(results: list[tuple[str, list[str]]], case: Case, top: int) -> bool:
    """True when one of the first ``top`` results (page, its links) offers one of the case's targets."""
    for page, links in results[:top]:
        for t in case.targets:
            if page.split("#")[0] == t.page and (t.anchor is None or f"{t.page}#{t.anchor}" in links):
                return True
    return False
