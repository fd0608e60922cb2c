"""``make bench``, history part: ``handbook diff`` of two releases of a synthetic handbook beside ``git diff --stat``.

Two releases are made in a temporary git repository: the synthetic handbook as written, then
with a share of its roles edited (a KPI target raised, a duty added, the duty areas reordered,
which is no change). Times are wall-clock seconds, since most of the floor's work, and part of
ours, is a ``git`` child process; medians over the repeats, ratios pair by pair.
"""

from __future__ import annotations

import argparse
import os
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


def measure(n_roles: int = 1000, repeat: int = 5, shares: tuple[float, ...] = (0.1, 1.0)) -> list[dict[str, Any]]:
    """One result per share of edited roles: our times, the floor's, the ratios, and the entities found."""
    from generator.history import diff_revs
    from generator.i18n import load_locale

    locale = load_locale("zh")
    out = []
    for share in shares:
        with tempfile.TemporaryDirectory(prefix="handbook-bench-history-") as tmp:
            roles, edited = make_releases(Path(tmp) / "p", n_roles, share)
            diff_revs(roles.parent / "roles", "r1", "r1", locale=locale)  # imports, not the files
            cache = roles.parent / ".handbook-cache" / "history"
            start = time.perf_counter()
            found = diff_revs(roles, "r1", "r2", locale=locale, cache=cache)[2]
            cold = time.perf_counter() - start
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
                "cold_s": cold, "ours_s": statistics.median(ours), "floor_s": statistics.median(floors),
                "ratio": statistics.median(o / f for o, f in zip(ours, floors, strict=True)),
            })
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m tests.bench_history``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    from generator.cli import process_settings

    with process_settings():  # what the `handbook` command sets for its process
        rows = measure(args.roles, args.repeat)
    for row in rows:
        print(f"diff r1..r2, {row['roles']} roles, {row['edited']} edited ({row['entities']} entities changed): "
              f"{row['ours_s']:.2f} s (first run, parsing: {row['cold_s']:.2f} s); git diff --stat {row['floor_s']:.3f} s; ratio {row['ratio']:.0f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
