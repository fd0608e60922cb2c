"""The search acceptance's cases through the site's own search in node, without a browser.

``python -m tests.search_offline [SITE] [--roles ROLES] [--lang LANG] [--held-out]`` (default
``site/`` as ``make build`` writes it, the sample's ``roles/``, zh) prints each category's hits as
the browser test counts them, with the misses. It runs the built site's own script
(``assets/search/core.js``) over its ``search/index.json``, so a try
at the index or the ranking takes seconds: change ``generator/site/searchindex.py`` or
``generator/site/searchjs/core.js``, ``make build``, run this. The held-out questions are left out
unless ``--held-out`` is given: they are the final check, not something to tune on. Node's
``Intl.Segmenter`` may cut a few words differently from Chromium's; the browser test,
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

from .conftest import REPO
from .searchcases import CATEGORIES, Case, Category, hit

RUNNER = Path(__file__).with_name("search_node.js")


def search(site: Path, queries: list[str], settings: str = "") -> dict[str, list[tuple[str, list[str]]]]:
    """Each query's results, best first: (page URL, [page URL, section URLs …]); ``settings`` (JSON)
    replaces some of core.js's ranking settings."""
    node = shutil.which("node")
    if node is None:
        raise SystemExit("search_offline needs node (apt-get install nodejs)")
    files = []
    for data in (queries, json.loads(settings) if settings else None):
        with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as out:
            json.dump(data, out, ensure_ascii=False)
        files.append(out.name)
    try:
        command = [node, str(RUNNER), str(site), files[0], *([files[1]] if settings else [])]
        run = subprocess.run(command, capture_output=True, text=True, check=True)
    finally:
        for name in files:
            Path(name).unlink()
    found: dict[str, list[list[str]]] = json.loads(run.stdout)
    return {q: [(links[0], links) for links in results] for q, results in found.items()}


def report(
    site: Path, roles: Path = REPO / "roles", lang: str = "zh", *, held_out: bool = False, written: bool = True,
    settings: str = "",
) -> list[tuple[Category, int, list[str]]]:
    """Per category: the category, how many cases it has, and each miss (query and what came first)."""
    hb = validate(roles).handbook
    made: list[tuple[Category, list[Case]]] = [
        (c, c.make(hb, lang)) for c in CATEGORIES
        if (held_out or c.name != "held-out") and (written or not c.written)
    ]
    found = search(site, sorted({case.query for _, cases in made for case in cases}), settings)
    out = []
    for category, cases in made:
        misses = [
            f"{c.query} → want {', '.join(map(str, c.targets))}; got {' | '.join(p for p, _ in found[c.query][:3]) or '(nothing)'}"
            for c in cases if not hit(found[c.query], c, category.top)
        ]
        out.append((category, len(cases), misses))
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m tests.search_offline", description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=REPO / "site", help="a site built by handbook build")
    parser.add_argument("--roles", type=Path, default=REPO / "roles", help="the roles/ the site was built from")
    parser.add_argument("--lang", default="zh", help="the site's language (zh, zh-Hant, en)")
    parser.add_argument("--held-out", action="store_true", help="also run the held-out questions (the final check)")
    parser.add_argument("--try", dest="settings", default="", metavar="JSON",
                        help='other ranking settings, e.g. \'{"boost": {"title": 3}, "fit": 2}\'')
    args = parser.parse_args(argv)
    written = args.roles.resolve() == (REPO / "roles").resolve()
    for category, total, misses in report(args.site, args.roles, args.lang, held_out=args.held_out, written=written,
                                            settings=args.settings):
        rate = (total - len(misses)) / total if total else 1.0
        print(f"{category.name}\t{total - len(misses)}/{total}\t{rate:.1%}\t(top {category.top}, goal {category.goal:.0%})",
              *(f"\tmiss: {m}" for m in misses), sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
