"""Full builds of both site engines side by side with their one-page-nav floors, peak memory, and PDFs.

Used by ``make bench`` (tests/bench.py) at 250, 1,000 and 2,000 roles, and alone by
``make bench-5000`` (``python -m tests.bench_engines --sizes 5000``). Every step runs in a process
of its own, so each starts cold as a user's build does; it reports the CPU seconds of itself and
of the processes it waited for (Zensical builds in a child process) and the peak resident memory
of the biggest of them (``resource.getrusage``). The floor is the same engine building the same
generated Markdown with the same settings (the generated nav file merged in, as INHERIT does)
but ``nav: [index.md]``: what the engine costs before any nav.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from tests.bench_rows import Row
from tests.bench_rows import table as _table

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("zensical", "mkdocs")
FLOOR_YML = "floor.yml"
#: Goals of issue #38.
FLOOR_GOAL, GROWTH_GOAL, MEMORY_GOAL_MB, PDF_GOAL_S = 1.2, 2.1, 1000, 0.15


def usage() -> dict[str, float]:
    """CPU seconds of this process and the children it waited for; peak memory (MB) of the biggest."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "peak_mb": max(me.ru_maxrss, kids.ru_maxrss) / 1024,
    }


def _clean(root: Path) -> None:
    for name in ("site", "site-floor", ".cache", "handbook/generated"):
        shutil.rmtree(root / name, ignore_errors=True)


def child_site(root: Path, engine: str) -> dict[str, Any]:
    """``handbook build --engine ENGINE`` without PDFs, from nothing generated and no engine cache."""
    from generator.i18n import load_locale
    from generator.project import Project
    from generator.site.build import build

    _clean(root)
    project = Project(root)
    wall = time.perf_counter()
    outcome = build(project, load_locale("zh"), pdfs=False, engine=engine)  # type: ignore[arg-type]
    wall = time.perf_counter() - wall
    if not outcome.ok:
        raise SystemExit(f"build failed: {outcome.generated.problems[:5]} {outcome.site_errors[:5]}")
    pages = sum(1 for _ in project.docs.rglob("*.md"))
    return {**usage(), "wall": wall, "generate": outcome.seconds["generate"], "pages": pages}


def floor_config(root: Path) -> Path:
    """mkdocs.yml with the generated nav file merged in (INHERIT), but a nav of the home page only."""
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    inherited = yaml.safe_load((root / config.pop("INHERIT")).read_text(encoding="utf-8"))
    for key, value in inherited.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            config[key] = {**value, **config[key]}
        else:
            config.setdefault(key, value)
    config["nav"] = ["index.md"]
    config["site_dir"] = "site-floor"
    # Every other page is left out of the nav on purpose; that must not fail a strict build.
    config.setdefault("validation", {})["omitted_files"] = "info"
    path = root / FLOOR_YML
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def child_floor(root: Path, engine: str) -> dict[str, Any]:
    """The engine alone on the Markdown the last ``child_site`` generated, with a one-page nav."""
    config = floor_config(root)
    shutil.rmtree(root / "site-floor", ignore_errors=True)
    shutil.rmtree(root / ".cache", ignore_errors=True)
    wall = time.perf_counter()
    if engine == "mkdocs":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        from generator.site.engine import anchor_search_paths

        loaded = load_config(str(config))
        anchor_search_paths(loaded, root)
        build(loaded)
    else:
        from generator.site.engine import zensical_command

        subprocess.run(zensical_command("build", "-f", str(config)), cwd=root, check=True, capture_output=True)
    return {**usage(), "wall": time.perf_counter() - wall}


def child_pdfs(root: Path) -> dict[str, Any]:
    """Every role's PDF and the books from an empty cache, again unchanged, and after one role's edit."""
    from generator.i18n import load_locale
    from generator.pdf.book import COMBINED
    from generator.pdf.pool import workers
    from generator.pdf.render import CACHE_DIR
    from generator.project import Project
    from generator.site.build import make_pdfs

    project = Project(root)
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    locale = load_locale("zh")
    out: dict[str, Any] = {"workers": workers()}
    with tempfile.TemporaryDirectory() as tmp:
        for step in ("cold", "unchanged", "one_edit"):
            if step == "one_edit":
                path = sorted(project.roles.rglob("role-*.yaml"))[7]
                path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: 改", 1), encoding="utf-8")
            wall, cpu = time.perf_counter(), usage()["cpu"]
            outcome = make_pdfs(project, locale, Path(tmp) / step)
            if outcome.report is None:
                raise SystemExit(f"PDFs failed: {outcome.error} {outcome.problems[:3]}")
            report = outcome.report
            out[step] = {"wall": time.perf_counter() - wall, "cpu": usage()["cpu"] - cpu,
                         "rendered": len(report.rendered), "reused": len(report.reused),
                         "laid_out": len(report.laid_out),
                         "role_pdfs": sum(1 for name in [*report.rendered, *report.reused] if "/" not in name
                                          and name != COMBINED)}
    out["roles"] = sum(1 for _ in project.roles.rglob("role-*.yaml"))
    out["peak_mb"] = usage()["peak_mb"]
    return out


def run_child(kind: str, root: Path, *extra: str, module: str = "tests.bench_engines") -> dict[str, Any]:
    """Step ``kind`` of ``module``'s ``--child`` runner in a process of its own (cold, as a user's run);
    its result is the JSON on the last line it prints."""
    proc = subprocess.run(
        [sys.executable, "-m", module, "--child", kind, str(root), *extra],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {kind} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def measure(root: Path, n: int, repeat: int, pdf: bool, engines: tuple[str, ...] = ENGINES) -> dict[str, Any]:
    """Each engine's build and its floor, as pairs (ours, then the floor), ``repeat`` times; then the PDFs."""
    result: dict[str, Any] = {"n": n}
    for engine in engines:
        pairs = []
        for _ in range(repeat):
            ours = run_child("site", root, engine)
            pairs.append((ours, run_child("floor", root, engine)))
            print(f"  {n} roles {engine}: {ours['cpu']:.1f} s / floor {pairs[-1][1]['cpu']:.1f} s, "
                  f"peak {ours['peak_mb']:.0f} MB", flush=True)
        result[engine] = pairs
    if pdf:
        result["pdfs"] = run_child("pdfs", root)
    return result


def _med(values: list[float]) -> float:
    return statistics.median(values)


def rows(results: list[dict[str, Any]], growth: dict[str, list[tuple[float, float]]]) -> list[Row]:
    """The table rows: per size and engine the build against its floor and its peak memory; PDFs; growth."""
    out: list[Row] = []
    for res in results:
        n = res["n"]
        pdfs = res.get("pdfs")
        for engine in (e for e in ENGINES if e in res):  # those measured
            pairs = res[engine]
            ours, floor = [p[0] for p in pairs], [p[1] for p in pairs]
            ratio = _med([o["cpu"] / f["cpu"] for o, f in pairs])
            peak = max(o["peak_mb"] for o in ours)
            goal = engine == "zensical" and n in (1000, 2000)
            # Without validate + generate: the engine and the search index, against the engine alone.
            engine_only = _med([(o["cpu"] - o["generate"]) / f["cpu"] for o, f in pairs])
            out.append(Row(
                f"{engine} site, {n} roles ({ours[0]['pages']} pages)",
                f"{_med([o['cpu'] for o in ours]):.1f} s (generate {_med([o['generate'] for o in ours]):.1f}; "
                f"the rest {engine_only:.2f}× the floor); peak {peak:.0f} MB",
                f"{_med([f['cpu'] for f in floor]):.1f} s (one-page nav); peak {max(f['peak_mb'] for f in floor):.0f} MB",
                ratio, f"≤ {FLOOR_GOAL}×" if goal else "", (ratio <= FLOOR_GOAL) if goal else None,
            ))
            if n >= 5000 and engine == "zensical":
                out.append(Row(f"zensical peak memory, {n} roles", f"{peak:.0f} MB", "", None,
                               f"≤ {MEMORY_GOAL_MB} MB", peak <= MEMORY_GOAL_MB))
            if pdfs:
                site = _med([o["cpu"] for o in ours])
                out.append(Row(
                    f"{engine} site + PDFs, {n} roles", f"{site + pdfs['cold']['cpu']:.1f} s CPU",
                    "", None, "", None,
                ))
        if pdfs:
            cold = pdfs["cold"]
            # The goal is per role PDF: the whole run (roles, variants and every book) over the role PDFs.
            per = cold["wall"] / max(1, cold["role_pdfs"])
            out.append(Row(
                f"PDFs {n} roles, cold: {cold['role_pdfs']} role PDFs + {cold['rendered'] - cold['role_pdfs']} books "
                f"in {pdfs['workers']} workers",
                f"{cold['wall']:.1f} s wall, {cold['cpu']:.1f} s CPU; {per:.3f} s wall, "
                f"{cold['cpu'] / max(1, cold['role_pdfs']):.3f} s CPU per role PDF amortized",
                "", None, f"≤ {PDF_GOAL_S} s", per <= PDF_GOAL_S,
            ))
            for step, label in (("unchanged", "nothing changed"), ("one_edit", "one role renamed")):
                s = pdfs[step]
                out.append(Row(f"PDFs {n} roles, again, {label}",
                               f"{s['wall']:.1f} s wall; made {s['rendered']} (laid out {s['laid_out']}), "
                               f"reused {s['reused']}", "", None, "", None))
    for engine, pairs in growth.items():
        ratio = _med([a / b for a, b in pairs])
        out.append(Row(f"growth: {engine} site 2,000 vs 1,000 roles", f"{_med([a for a, _ in pairs]):.1f} s",
                       f"{_med([b for _, b in pairs]):.1f} s", ratio, f"≤ {GROWTH_GOAL}×", ratio <= GROWTH_GOAL))
    return out


def run(sizes: list[int], repeat: int, pdf: bool, tmp: Path, engines: tuple[str, ...] = ENGINES) -> list[Row]:
    """Write each synthetic handbook, measure it; the 2,000-role builds each paired with a 1,000-role one."""
    from tests.synthetic import write_project

    results: list[dict[str, Any]] = []
    kept: dict[int, Path] = {}
    growth: dict[str, list[tuple[float, float]]] = {}
    for n in sizes:
        project, _ = write_project(tmp / f"n{n}", n)
        # A 2,000-role build pair takes minutes here: one pair above 1,000 roles.
        res = measure(project.root, n, repeat if n <= 1000 else 1, pdf, engines)
        results.append(res)
        if n == 2000 and 1000 in kept:
            # Growth is a ratio of two builds of one engine: the 1,000-role one runs right after,
            # so both see the same machine (a shared machine's speed drifts over a long run).
            for engine in engines:
                for ours, _ in res[engine]:
                    growth.setdefault(engine, []).append((ours["cpu"], run_child("site", kept[1000], engine)["cpu"]))
        if n == 1000:
            kept[n] = project.root
        print(_table(rows([res], {})), flush=True)
    return rows(results, growth)


def main(argv: list[str] | None = None) -> int:
    """``python -m tests.bench_engines --sizes 5000``: the rows printed (``make bench-5000``)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5000", help="role counts (comma separated)")
    parser.add_argument("--repeat", type=int, default=1, help="build pairs per engine (1 above 1,000 roles)")
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDFs")
    parser.add_argument("--engines", default=",".join(ENGINES), help="engines to measure (comma separated)")
    parser.add_argument("--pdf-only", action="store_true",
                        help="the PDFs alone (cold, unchanged, one edit), no site: e.g. --sizes 300,1000 --pdf-only")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    from generator.cli import process_settings

    if args.child:
        kind, root, *extra = args.child
        with process_settings():
            if kind == "site":
                result = child_site(Path(root), extra[0])
            elif kind == "floor":
                result = child_floor(Path(root), extra[0])
            else:
                result = child_pdfs(Path(root))
        print(json.dumps(result))
        return 0
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as tmp, process_settings():
        engines = () if args.pdf_only else tuple(e for e in args.engines.split(",") if e)
        if args.pdf_only and args.no_pdf:
            parser.error("--pdf-only and --no-pdf: nothing to measure")
        if (not engines and not args.pdf_only) or set(engines) - set(ENGINES):
            parser.error(f"--engines: choose among {', '.join(ENGINES)}")
        table = _table(run([int(s) for s in args.sizes.split(",")], args.repeat, not args.no_pdf, Path(tmp), engines))
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
