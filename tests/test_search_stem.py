"""English search finds a word in its other forms (acknowledged / acknowledges / acknowledge): the
site's own search (generator/site/searchjs/core.js) run in node over the English fixture's built
site, with held-out queries made from the fixture's own words."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from generator.site.searchindex import INDEX_FILE

from .conftest import FIXTURES, build_project, copy_project
from .search_offline import search

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs node")

CORE = Path(__file__).resolve().parent.parent / "generator" / "site" / "searchjs" / "core.js"
#: Results looked at per query: a reader reads the first screen.
TOP = 10


def _stems(words: list[str]) -> dict[str, str]:
    """Each word's stem, by the search's own function in node."""
    script = f"const c = require({json.dumps(str(CORE))}); const w = JSON.parse(require('fs').readFileSync(0, 'utf8'));" \
             "process.stdout.write(JSON.stringify(Object.fromEntries(w.map((x) => [x, c.stem(x)]))));"
    done = subprocess.run(["node", "-e", script], input=json.dumps(words), capture_output=True, text=True, check=True)
    found: dict[str, str] = json.loads(done.stdout)
    return found


def test_inflections_share_a_stem_and_other_words_do_not() -> None:
    families = [
        ["acknowledge", "acknowledged", "acknowledges", "acknowledging"],
        ["review", "reviews", "reviewed", "reviewing"],
        ["policy", "policies"], ["apply", "applies", "applied"], ["plan", "planned", "planning", "plans"],
        ["schedule", "scheduled", "schedules", "scheduling"], ["call", "calls", "called", "calling"],
        ["process", "processes"], ["use", "uses", "used", "using"],
    ]
    apart = [["engineer", "engine"], ["agreement", "agree"], ["daily", "day"], ["status", "state"], ["pass", "pas"]]
    stems = _stems([w for group in families + apart for w in group])
    for family in families:
        assert len({stems[w] for w in family}) == 1, {w: stems[w] for w in family}
    for pair in apart:
        assert stems[pair[0]] != stems[pair[1]], pair


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(FIXTURES / "english", tmp_path_factory.mktemp("english-search"))
    return build_project(project, lang="en", engine="zensical")


def _held_out(site: Path) -> list[tuple[str, set[str]]]:
    """(query, sections it must find): for every two forms of one word in the fixture's pages
    (acknowledged here, acknowledges there), one form as the query and the sections holding only
    the other form as the answer, so the query's own words never make the hit."""
    index = json.loads((site / INDEX_FILE).read_text(encoding="utf-8"))
    holding: dict[str, set[str]] = defaultdict(set)
    for page, anchor, heading, text, _parent in index["sections"]:
        url = index["pages"][page]["url"] + (f"#{anchor}" if anchor else "")
        for word in re.findall(r"[a-z]{5,}", f"{heading} {text}".lower()):
            holding[word].add(url)
    stems = _stems(sorted(holding))
    forms: dict[str, list[str]] = defaultdict(list)
    for word, stem in stems.items():
        forms[stem].append(word)
    cases = []
    for words in forms.values():
        for query in words:
            others = set().union(*(holding[w] for w in words if w != query)) - holding[query]
            if others:
                cases.append((query, others))
    return cases


def _hits(site: Path, cases: list[tuple[str, set[str]]]) -> int:
    found = search(site, sorted({q for q, _ in cases}))
    return sum(1 for query, want in cases if want & {u for _, links in found[query][:TOP] for u in links})


def test_english_search_finds_other_forms_of_a_word(english_site: Path, tmp_path: Path) -> None:
    cases = _held_out(english_site)
    queries = {q for q, _ in cases}
    assert len(cases) >= 10 and {"acknowledged", "acknowledges"} <= queries, sorted(queries)
    assert _hits(english_site, cases) == len(cases)
    # The same index read as a language without stemming: the other forms are mostly missed, so the
    # stemmer, not the prefix or one-letter-off matches, finds them.
    plain = tmp_path / "plain"
    shutil.copytree(english_site / "assets" / "search", plain / "assets" / "search")
    data = json.loads((english_site / INDEX_FILE).read_text(encoding="utf-8"))
    (plain / "search").mkdir()
    (plain / INDEX_FILE).write_text(json.dumps({**data, "lang": "plain"}), encoding="utf-8")
    assert _hits(plain, cases) < len(cases) * 0.8
