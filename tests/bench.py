"""``make bench``: our pipeline side by side with its floors on synthetic handbooks; writes docs/BENCHMARKS.md.

Each comparison is measured as pairs in one run (ours, then the floor, repeated), the ratio
is taken pair by pair and the table shows medians. Times are CPU seconds of the process
doing the work: the machine is shared, and CPU time is what another job's load disturbs least.
Builds run in child processes (``--child``) so that every build starts cold, as a user's does.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.cli import process_settings
from tests import bench_engines, bench_history, bench_office
from tests.bench_rows import Row, corpus_row, edit_rows, history_rows, pdf_rows, preview_rows, search_rows
from tests.bench_rows import mb as _mb
from tests.bench_rows import table as _table

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "BENCHMARKS.md"
PACKAGES = ("mkdocs", "mkdocs-material", "pydantic", "PyYAML", "Jinja2", "Markdown", "jieba", "weasyprint")


# ---------------------------------------------------------------- child processes


def _child_edit(root: Path, repeat: int) -> dict[str, Any]:
    """Full generate vs regenerate after editing one role file, as ``handbook serve`` does on save
    (its cache was warmed by the run before the edit)."""
    from generator.i18n import load_locale
    from generator.project import Project
    from generator.site.generate import generate
    from generator.site.incremental import Cache

    project = Project(root)
    locale = load_locale("zh")
    full, warm, regen, written, rendered, renamed = [], [], [], [], [], []
    roles = sorted(project.roles.rglob("role-*.yaml"))
    for i in range(repeat):
        shutil.rmtree(project.generated, ignore_errors=True)
        t0 = time.process_time()
        generate(project, locale)  # what `handbook generate` does: no cache
        full.append(time.process_time() - t0)
        cache = Cache()
        t0 = time.process_time()
        generate(project, locale, cache=cache)  # serve's first run fills the cache
        warm.append(time.process_time() - t0)
        # Edit one duty item of one role (the everyday edit), then regenerate.
        path = roles[(i * 97 + 13) % len(roles)]
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        at = next(n for n, line in enumerate(lines) if line.startswith("  - ") and "items" in lines[n - 1])
        lines[at] = lines[at].rstrip("\n") + f"（修订{i}）\n"
        path.write_text("".join(lines), encoding="utf-8")
        t0 = time.process_time()
        outcome = generate(project, locale, cache=cache)
        regen.append(time.process_time() - t0)
        assert outcome.report is not None
        written.append(len(outcome.report.written))
        rendered.append(cache.stats.rendered)
        # Rename the same role (a title shows on many pages): count what that rewrites.
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", f"title: 改名{i}", 1), encoding="utf-8")
        outcome = generate(project, locale, cache=cache)
        assert outcome.report is not None
        renamed.append(len(outcome.report.written))
        path.write_text(text, encoding="utf-8")
    return {"full": full, "warm": warm, "regen": regen, "written": written, "rendered": rendered, "renamed": renamed}


# ---------------------------------------------------------------- measurements


def _validate_pairs(roles: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Our validation vs merely parsing the same files with PyYAML's C loader, in pairs."""
    from generator.i18n import load_locale
    from generator.link.pipeline import validate

    locale = load_locale("zh")
    files = sorted(roles.rglob("*.yaml"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def floor() -> None:
        for path in files:
            yaml.load(path.read_bytes(), Loader=loader)  # the C *safe* loader

    result = validate(roles, locale=locale)  # warm caches and imports, and check it is clean
    if result.problems:
        raise SystemExit(f"synthetic handbook has problems: {result.problems[:3]}")
    ours, floors = [], []
    for _ in range(repeat):
        ours.append(_cpu(lambda: validate(roles, locale=locale)))
        floors.append(_cpu(floor))
    return ours, floors


def _cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def _ratios(ours: list[float], floors: list[float]) -> float:
    return statistics.median(o / f for o, f in zip(ours, floors, strict=True))


def _search_index(site: Path) -> dict[str, Any]:
    from generator.site.searchindex import INDEX_FILE

    raw = (site / INDEX_FILE).read_bytes()  # the site's own search index, the same for both engines
    pages = sum(1 for p in json.loads(raw)["pages"] if "#" not in p["url"])
    out: dict[str, Any] = {"bytes": len(raw), "pages": pages, "gzip": len(gzip.compress(raw, 9))}
    try:
        import brotli

        out["brotli"] = len(brotli.compress(raw, quality=11))
    except ImportError:
        out["brotli"] = None
    return out


def _machine() -> list[str]:
    mem = next((line.split(":")[1].strip() for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), "?") if Path("/proc/meminfo").exists() else "?"
    cpu = "?"
    if Path("/proc/cpuinfo").exists():
        cpu = next((line.split(":")[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "?")
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- CPU: {cpu}; nproc: {os.cpu_count()}; memory: {mem}; load average at start: {load}",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- {', '.join(versions)}",
    ]


def run(
    sizes: list[int], repeat: int, edit_size: int, index_size: int, pdf: bool, history: bool = True,
    preview: bool = True, forms: bool = True,
) -> str:
    """Every measurement; returns the Markdown report (also printed as it goes)."""
    from tests.synthetic import write_project

    started = time.perf_counter()
    machine = _machine()
    rows: list[Row] = []
    kept: dict[int, Path] = {}
    growth: dict[str, list[tuple[float, float]]] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp:
        for n in sizes:
            project, synthetic = write_project(Path(tmp) / f"n{n}", n)
            counts = ", ".join(f"{k}: {v}" for k, v in sorted(synthetic.counts.items()))
            print(f"[{time.perf_counter() - started:6.0f}s] {n} roles: {counts}", flush=True)
            first = len(rows)
            ours, floors = _validate_pairs(project.roles, max(repeat, 3))
            rows.append(Row(f"validate {n} roles ({len(synthetic.files)} files)", f"{statistics.median(ours):.2f} s",
                            f"{statistics.median(floors):.2f} s (C loader parse)", _ratios(ours, floors), "≤ 3×",
                            _ratios(ours, floors) <= 3))
            # Both engines' full builds against their one-page-nav floors, peak memory, the PDFs (bench_engines).
            res = bench_engines.measure(project.root, n, repeat if n <= 1000 else 1, pdf)
            if n == 2000 and 1000 in kept:
                # Growth pairs each 2,000-role build with a 1,000-role build of the same engine run right after
                # it, so both see the same machine (its speed drifts by a third over 20 minutes).
                for engine in bench_engines.ENGINES:
                    for ours, _ in res[engine]:
                        other = bench_engines.run_child("site", kept[1000], engine)
                        growth.setdefault(engine, []).append((ours["cpu"], other["cpu"]))
            rows += bench_engines.rows([res], {})
            print(_table(rows[first:]), flush=True)
            if n == index_size:
                index = _search_index(project.site)
                per_page = index["bytes"] / max(1, index["pages"])
                compressed = index["brotli"] or index["gzip"]
                rows.append(Row(
                    f"search index {n} roles ({index['pages']} pages)",
                    f"{_mb(index['bytes'])} raw, {per_page / 1000:.1f} kB/page; gzip {_mb(index['gzip'])}"
                    + (f"; brotli {_mb(index['brotli'])}" if index["brotli"] else ""),
                    "", None, "< 5 MB compressed", compressed < 5e6,
                ))
            if n == edit_size:
                edit = bench_engines.run_child("edit", project.root, str(max(repeat, 3)), module="tests.bench")
                ratio = _ratios(edit["regen"], edit["full"])
                rows.append(Row(
                    f"edit one role in {n}: regenerate",
                    f"{statistics.median(edit['regen']):.2f} s; rendered {statistics.median(edit['rendered']):.0f} "
                    f"page(s), wrote {statistics.median(edit['written']):.0f} file(s) "
                    f"(a rename rewrites {statistics.median(edit['renamed']):.0f})",
                    f"{statistics.median(edit['full']):.2f} s (full generate)", ratio, "≤ 0.2×", ratio <= 0.2,
                ))
                notes.append(f"edit: serve's first run, which also fills the cache, took "
                             f"{statistics.median(edit['warm']):.2f} s (median) against {statistics.median(edit['full']):.2f} s "
                             "without a cache")
                print(_table(rows[-1:]), flush=True)
            if n == 1000:
                kept[n] = project.root  # the partner of the 2,000-role builds (growth)
            else:
                shutil.rmtree(project.root, ignore_errors=True)
        rows += bench_engines.rows([], growth)
    if index_size in sizes:
        rows += search_rows(index_size)
    if history:
        rows += history_rows(notes, repeat)
    if pdf:
        rows += pdf_rows(notes)
    if preview:
        rows += preview_rows(notes)
    if forms:
        rows += edit_rows(notes)
    rows += bench_office.measure(1000, repeat=min(repeat, 3))  # export and import xlsx, side by side
    rows.append(corpus_row())
    elapsed = time.perf_counter() - started
    table = _table(rows)
    print(table)
    sizes_arg = ",".join(map(str, sizes))
    report = "\n".join([
        "# Benchmarks",
        "",
        "Written by `make bench` (`.venv/bin/python -m tests.bench`); do not edit by hand.",
        f"Synthetic handbooks from `tests/synthetic.py` ({sizes_arg} roles across 40–80 units, with processes,",
        "policies, terms and cross references) are written to a temporary folder and measured side by side",
        "with their floors in one run. Ratios are taken pair by pair (ours, then the floor, alternating) and",
        "the medians are shown; times are CPU seconds (the machine is shared) of the build's process and",
        "the processes it waited for, peak memory the largest of them (`resource.getrusage`), each step a",
        f"process of its own. Repeats: {repeat} build pairs per engine (1 above 1,000 roles).",
        "Growth pairs each 2,000-role build with a 1,000-role build of the same engine run right after it.",
        "",
        table,
        "",
        *[f"- {note}" for note in notes],
        "",
        "Floors: *validate* is parsing the same files with `yaml.load(..., Loader=yaml.CSafeLoader)`;",
        "*site* is `handbook build --engine E` without PDFs (validate, generate, the engine, the search index)",
        "from nothing generated and no engine cache; its floor is the same engine building the Markdown our",
        "build generated with the same settings (the generated nav file merged in) but `nav: [index.md]`",
        f"(`{bench_engines.FLOOR_YML}`). *site + PDFs* adds the cold PDF run (every role, variant and book,",
        "one worker per core; the PDFs do not depend on the engine). The regenerate row edits",
        "one duty item of one role and regenerates with the cache the previous run filled (as `handbook serve`",
        "does on save); *full generate* is `handbook generate` from an empty generated folder, without a cache.",
        "",
        "## Machine",
        "",
        *machine,
        f"- total bench time: {elapsed / 60:.1f} min",
        "",
        "## Reproduce",
        "",
        "```sh",
        "make bench                                   # everything, about an hour on 2 cores",
        "make bench-5000                              # both engines at 5,000 roles (bench_engines), printed",
        f"{'.venv/bin/python -m tests.bench'} --sizes 250,1000 --repeat 2 --no-pdf   # quicker",
        ".venv/bin/python -m tests.bench_pdf         # the PDF part alone",
        ".venv/bin/python -m tests.bench_search      # the search part alone (both engines, 2,000 roles)",
        bench_history.REPRODUCE,
        ".venv/bin/python -m tests.bench_preview --roles 42,1000 --edits 10   # the live preview alone",
        ".venv/bin/python -m tests.bench_edit --roles 1000   # handbook edit alone (forms, checks in Chromium)",
        "```",
        "",
    ])
    return report


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m tests.bench``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="250,1000,2000", help="role counts (comma separated)")
    parser.add_argument("--repeat", type=int, default=5, help="pairs per build measurement (1 above 1,000 roles)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF measurement")
    parser.add_argument("--no-history", action="store_true", help="skip the handbook diff measurement")
    parser.add_argument("--no-preview", action="store_true", help="skip the live preview measurement")
    parser.add_argument("--no-edit", action="store_true", help="skip the handbook edit measurement")
    parser.add_argument("--output", type=Path, default=OUT, help="where to write the report")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, root, *extra = args.child
        children: dict[str, Callable[..., dict[str, Any]]] = {
            "edit": _child_edit,
        }
        fn = children[kind]
        with process_settings():  # what the `handbook` command sets for its process
            result = fn(Path(root), *map(int, extra))
        print(json.dumps(result))
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    with process_settings():
        report = run(
            sizes, args.repeat, edit_size=1000, index_size=max(sizes), pdf=not args.no_pdf,
            history=not args.no_history, preview=not args.no_preview, forms=not args.no_edit,
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(f"written: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
