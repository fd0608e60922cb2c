"""Search at scale, per engine: index size and the time from the last key press to the first result.

A synthetic handbook (``tests/synthetic.py``, 2,000 roles by default) is built once with each
engine; Debian's Chromium then types role titles into the real search box. *Cold* opens a fresh
tab with an empty cache for every query, so it includes downloading the index and building it in
the worker; *warm* types one title after another into one tab. Medians of 20 queries each.
Run alone with ``.venv/bin/python -m tests.bench_search``; ``make bench`` includes it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import statistics
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.site.build import build
from generator.site.engine import ENGINES, Engine
from generator.site.searchindex import INDEX_FILE

CHROMIUM = "/usr/bin/chromium"
QUERIES = 20
#: How long a wait may last: Material builds its lunr index of a 2,000-role site (about 29 MB) in
#: the browser before the first search, which took over a minute on 2 busy cores.
TIMEOUT_MS = 300_000


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def index_size(site: Path, engine: Engine) -> dict[str, int]:
    """The search index's bytes: raw, gzip (level 9) and brotli (quality 11), as a server would send it."""
    import brotli

    raw = (site / INDEX_FILE).read_bytes()
    return {"raw": len(raw), "gzip": len(gzip.compress(raw, 9)), "brotli": len(brotli.compress(raw, quality=11))}


def _timed(page: Any, engine: Engine, query: str) -> float:
    """Seconds from the key press after ``query`` to the first result drawn."""
    from tests.browser.searchbox import open_search

    box = open_search(page, engine)
    box.search(query)
    return box.seconds


def key_to_result(site: Path, engine: Engine, titles: list[str]) -> dict[str, float]:
    """Median milliseconds from the last key press to the first result, cold and warm."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    cold: list[float] = []
    warm: list[float] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for title in titles:
                context = browser.new_context()  # empty cache: the index is fetched and built again
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(base)
                cold.append(_timed(page, engine, title))
                context.close()
            context = browser.new_context()
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(base)
            from tests.browser.searchbox import open_search

            box = open_search(page, engine)
            box.search(titles[-1])  # the index is loaded before the first timed query
            for title in titles:
                box.search(title)
                warm.append(box.seconds)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"cold_ms": statistics.median(cold) * 1000, "warm_ms": statistics.median(warm) * 1000}


def measure(n_roles: int = 2000, engines: tuple[Engine, ...] = ENGINES) -> list[dict[str, Any]]:
    """One row per engine: build time, index sizes and key-to-result times at ``n_roles`` roles."""
    from tests.synthetic import write_project

    rows = []
    with tempfile.TemporaryDirectory(prefix="handbook-bench-search-") as tmp:
        project, _synthetic = write_project(Path(tmp) / f"n{n_roles}", n_roles)
        hb = validate(project.roles, locale=load_locale("zh")).handbook
        roles = sorted(hb.roles.values(), key=lambda r: r.id)
        step = max(1, len(roles) // QUERIES)
        titles = [r.title for r in roles[::step]][:QUERIES]
        for engine in engines:
            started = time.perf_counter()
            outcome = build(project, load_locale("zh"), pdfs=False, engine=engine)
            if not outcome.ok:
                raise SystemExit(f"{engine} build failed: {outcome.site_errors[:5]}")
            row: dict[str, Any] = {"engine": engine, "roles": n_roles, "build_s": time.perf_counter() - started}
            row |= index_size(project.site, engine)
            row |= key_to_result(project.site, engine, titles)
            print(json.dumps(row), flush=True)
            rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The measurements as a Markdown table, one line per engine, with the issue's goals."""
    lines = [
        "| engine | roles | build | index raw | gzip | brotli | warm (median) | cold (median) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(
            f"| {r['engine']} | {r['roles']:,} | {r['build_s']:.0f} s | {r['raw'] / 1e6:.2f} MB "
            f"| {r['gzip'] / 1e6:.2f} MB | {r['brotli'] / 1e6:.2f} MB | {r['warm_ms']:.0f} ms | {r['cold_ms']:.0f} ms |"
        )
    lines.append(f"goals: ≤ 5 MB compressed, ≤ 300 ms warm; times from the last key press to the first "
                 f"result in Chromium, {QUERIES} role titles")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m tests.bench_search [--roles N] [--engine E]``; prints the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roles", type=int, default=2000)
    parser.add_argument("--engine", choices=ENGINES, action="append", help="only this engine (repeatable)")
    args = parser.parse_args(argv)
    print(table(measure(args.roles, tuple(args.engine or ENGINES))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
