"""``make bench``, history part: ``handbook diff`` of two releases of a synthetic handbook beside ``git diff --stat``.

Two releases are made in a temporary git repository: the synthetic handbook as written, then
with a share of its roles edited (a KPI target raised, a duty added, the duty areas reordered,
which is no change). Times are wall-clock seconds, since most of the floor's work, and part of
ours, is a ``git`` child process; medians over the repeats. The cold run (an empty cache) and
the warm one are both checked against the issue's goal of 2 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com", "GIT_COMMITTER_NAME": "b",
           "GIT_COMMITTER_EMAIL": "b@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _edit(path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if data.get("kpis"):
        data["kpis"][0]["target"] = float(data["kpis"][0]["target"]) + 5
    if data.get("duties"):
        data["duties"][0]["items"].append("每周向上级提交工作小结")
        data["duties"].reverse()
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_releases(dest: Path, n_roles: int, share: float) -> tuple[Path, int]:
    """A repository with tags ``r1`` and ``r2``; ``share`` of the roles edited in between."""
    from tests.synthetic import write_project

    project, synthetic = write_project(dest, n_roles)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "r1")
    _git(dest, "tag", "r1")
    roles = [p for p in synthetic.files if p.parent.name and p.stem.startswith("role-")]
    step = max(1, round(1 / share))
    edited = roles[::step]
    for path in edited:
        _edit(path)
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "r2")
    _git(dest, "tag", "r2")
    return project.roles, len(edited)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (worker processes, git)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


#: The issue's goal (#18): the diff of two releases of a 1,000-role handbook, cold or warm.
GOAL_S = 2.0


def measure(n_roles: int = 1000, repeat: int = 5, shares: tuple[float, ...] = (0.1, 1.0)) -> list[dict[str, Any]]:
    """One result per share of edited roles: our times cold and warm, the floor's, the ratios, the entities found.

    *Cold* starts from an empty cache folder (every differing file parsed, on every CPU);
    *warm* reads the entities the cold run kept. Each is a median over ``repeat`` runs.
    """
    from generator.history import diff_revs
    from generator.i18n import load_locale

    locale = load_locale("zh")
    out = []
    for share in shares:
        with tempfile.TemporaryDirectory(prefix="handbook-bench-history-") as tmp:
            roles, edited = make_releases(Path(tmp) / "p", n_roles, share)
            diff_revs(roles.parent / "roles", "r1", "r1", locale=locale)  # imports, not the files
            colds, cpus, cache = [], [], roles.parent
            found: list[Any] = []
            for i in range(repeat):
                cache = roles.parent / ".handbook-cache" / f"history-{i}"
                cpu, start = _cpu(), time.perf_counter()
                found = diff_revs(roles, "r1", "r2", locale=locale, cache=cache)[2]
                colds.append(time.perf_counter() - start)
                cpus.append(_cpu() - cpu)
            ours, floors = [], []
            for _ in range(repeat):
                start = time.perf_counter()
                diff_revs(roles, "r1", "r2", locale=locale, cache=cache)
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                subprocess.run(["git", "diff", "--stat", "r1", "r2"], cwd=roles, check=True, capture_output=True)
                floors.append(time.perf_counter() - start)
            out.append({
                "roles": n_roles, "edited": edited, "entities": len(found),
                "cold_s": statistics.median(colds), "cold_cpu_s": statistics.median(cpus), "ours_s": statistics.median(ours),
                "floor_s": statistics.median(floors),
                "ratio": statistics.median(o / f for o, f in zip(ours, floors, strict=True)),
            })
    return out


def table_rows(results: list[dict[str, Any]]) -> list[tuple[str, str, str, float, str, bool]]:
    """The rows of docs/BENCHMARKS.md's table for ``results``: cold and warm, each checked against the goal."""
    rows = []
    for r in results:
        for run, key, what in (("cold", "cold_s", "empty cache, parsing"), ("warm", "ours_s", "cached entities")):
            cpu = f"; {r['cold_cpu_s']:.2f} s CPU in all processes" if run == "cold" else ""
            rows.append((
                f"handbook diff of two releases, {r['roles']:,} roles, {r['edited']} edited, {run} ({what})",
                f"{r[key]:.2f} s ({r['entities']} entities{cpu})", f"{r['floor_s']:.3f} s (git diff --stat)",
                r[key] / r["floor_s"], f"≤ {GOAL_S:g} s", r[key] <= GOAL_S,
            ))
    return rows


NOTE = ("- diff: wall-clock seconds, medians; cold runs start from an empty cache and parse the differing "
        "files in one worker process per CPU; warm runs read old revisions' entities from the cache keyed by "
        "git blob id (`.handbook-cache/history/`)")


#: The line of the report's "Reproduce" block for this part (tests/bench.py writes the same).
REPRODUCE = ".venv/bin/python -m tests.bench_history --write docs/BENCHMARKS.md   # the diff part alone, its rows replaced"


def write(report: Path, results: list[dict[str, Any]], load: str = "") -> None:
    """Replace the history rows and note of an existing report (written by ``tests.bench``) with ``results``;
    ``load`` says how busy the machine was (its load average), since the times are wall-clock."""
    lines = report.read_text(encoding="utf-8").splitlines()
    rows = [f"| {what} | {ours} | {floor} | {ratio:.2f}× | {goal} | {'yes' if met else '**no**'} |"
            for what, ours, floor, ratio, goal, met in table_rows(results)]
    old = [i for i, line in enumerate(lines) if line.startswith("| handbook diff of two releases")]
    table = [i for i, line in enumerate(lines) if line.startswith("| ")]
    at = old[0] if old else table[-1] + 1
    lines = [line for i, line in enumerate(lines) if i not in old]
    lines[at:at] = rows
    lines = [line for line in lines if not line.startswith("- diff: ")]
    notes = [i for i, line in enumerate(lines) if line.startswith("- ")]
    lines.insert(notes[-1] + 1 if notes else len(lines), NOTE + (f"; load average during this part: {load}" if load else ""))
    if REPRODUCE not in lines and "## Reproduce" in lines:
        end = next(i for i in range(lines.index("## Reproduce"), len(lines)) if lines[i] == "```" and i > lines.index("## Reproduce") + 2)
        lines.insert(end, REPRODUCE)
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m tests.bench_history``; exit status 1 when a run misses the goal."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", type=Path, metavar="REPORT",
                        help="replace the history rows of this report (docs/BENCHMARKS.md) with this run's")
    args = parser.parse_args(argv)
    from generator.cli import process_settings

    before = os.getloadavg()[0]
    with process_settings():  # what the `handbook` command sets for its process
        results = measure(args.roles, args.repeat)
    load = f"{before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (2 cores, shared)"
    print(f"load average: {load}")
    met = True
    for r in results:
        cold, warm = r["cold_s"] <= GOAL_S, r["ours_s"] <= GOAL_S
        met = met and cold and warm
        print(f"diff r1..r2, {r['roles']} roles, {r['edited']} edited ({r['entities']} entities changed): "
              f"cold {r['cold_s']:.2f} s ({'meets' if cold else 'MISSES'} ≤ {GOAL_S:g} s; {r['cold_cpu_s']:.2f} s CPU), "
              f"warm {r['ours_s']:.2f} s ({'meets' if warm else 'MISSES'} ≤ {GOAL_S:g} s); "
              f"git diff --stat {r['floor_s']:.3f} s; warm ratio {r['ratio']:.0f}×")
    if args.write:
        write(args.write, results, load)
        print(f"written: {args.write}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
