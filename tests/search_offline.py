"""The search acceptance's cases through the built site's search worker in node, without a browser.

``python -m tests.search_offline [SITE]`` (default ``site/``, built by ``make build``) prints each
category's hits as the browser test would count them (entries, best first; the browser groups
an entry's sections under its page, which changes no top-three verdict on the sample). A try
at the index or the ranking then takes seconds instead of the minutes of the browser run: change
``refine`` in ``generator/site/searchindex.py`` or ``generator/site/searchrank.js``, ``make build``,
run this. The browser test,
``tests/browser/test_search_acceptance.py``, stays the acceptance. Needs node (18 or later).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.link.pipeline import validate
from generator.site.searchrank import WORKER_GLOB

from .browser.searchbox import Result
from .browser.test_search_acceptance import CATEGORIES, Case, hit
from .conftest import REPO

WORKER = Path(__file__).with_name("search_worker.js")


def site_worker(site: Path) -> Path:
    """The search worker the built site serves (Zensical's, with the closeness rank put in)."""
    return next(site.glob(WORKER_GLOB))


def search(site: Path, queries: list[str]) -> dict[str, list[str]]:
    """Each query's result locations (site-relative, with anchors), best first."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("search_offline needs node (apt-get install nodejs)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as out:
        json.dump(queries, out, ensure_ascii=False)
    try:
        run = subprocess.run([node, str(WORKER), str(site_worker(site)), str(site / "search.json"), out.name],
                             capture_output=True, text=True, check=True)
    finally:
        Path(out.name).unlink()
    found: dict[str, list[str]] = json.loads(run.stdout)
    return found


def report(site: Path) -> list[tuple[str, int, list[str]]]:
    """Per category: its name, how many cases it has, and each miss (query and what came first)."""
    hb = validate(REPO / "roles").handbook
    made: list[tuple[str, int, list[Case]]] = []
    for category in CATEGORIES:
        make = category.make
        assert callable(make)
        made.append((category.name, category.top, make(hb)))
    found = search(site, sorted({c.query for _, _, cases in made for c in cases}))
    return [
        (name, len(cases), [f"{c.query} → got {' | '.join(found[c.query][:3]) or '(nothing)'}"
                            for c in cases if not hit([Result('', [loc]) for loc in found[c.query]], c, top)])
        for name, top, cases in made
    ]


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.search_offline", description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPO / "site", help="a site built with Zensical")
    args = parser.parse_args(argv)
    for name, total, misses in report(args.site):
        print(f"{name}\t{total - len(misses)}/{total}", *(f"\tmiss: {m}" for m in misses), sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
