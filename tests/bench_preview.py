"""Live preview as an editor sees it: a real ``handbook serve``, a role's page open in headless Chromium.

For each size (42 = the repo's sample, other numbers = ``tests/synthetic.py``) this starts
``handbook serve`` on a free port and measures start-up (command started → the role's page
served), then edits one duty item of that role's YAML ``--edits`` times and measures each
save → the new words visible in the open page (the server's live reload reloads it). Wall
time, since waiting is what the editor feels; medians. ``python -m tests.bench_preview
--roles 42,1000 --edits 10``; ``make bench`` prints the same rows.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ROLES = 42
HANDBOOK = Path(sys.executable).with_name("handbook")
STARTUP_TIMEOUT = 900.0
EDIT_TIMEOUT = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0


def write_project(dest: Path, n_roles: int) -> Path:
    """The sample (42 roles) or a synthetic handbook of ``n_roles`` in ``dest``; the role file to edit."""
    from tests.synthetic import write_project as synthetic

    if n_roles == SAMPLE_ROLES:
        dest.mkdir(parents=True)
        shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
        shutil.copytree(REPO / "handbook", dest / "handbook", ignore=shutil.ignore_patterns("generated"))
        shutil.copytree(REPO / "roles", dest / "roles")
    else:
        synthetic(dest, n_roles)
    roles = sorted(p for p in (dest / "roles").rglob("*.yaml") if p.read_text(encoding="utf-8").startswith("kind: role"))
    return roles[len(roles) // 2]


def edit_duty(path: Path, marker: str) -> None:
    """Put ``marker`` at the end of the role's first duty item (replacing an earlier marker)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.lstrip().startswith("- ") and lines[n - 1].strip() == "items:")
    text = lines[at].rstrip("\n").split("（修订", 1)[0]
    lines[at] = f"{text}（修订{marker}）\n"
    path.write_text("".join(lines), encoding="utf-8")


@contextmanager
def serving(root: Path, port: int, engine: str) -> Iterator[subprocess.Popen[str]]:
    """``handbook serve`` in its own process group, stopped with Ctrl-C (then killed) afterwards."""
    log = open(root / "serve.log", "w", encoding="utf-8")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        [str(HANDBOOK), "--project", str(root), "serve", "--dev-addr", f"127.0.0.1:{port}", "--engine", engine],
        stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _visible(page: Any, marker: str, timeout: float) -> float:
    """Seconds until ``marker`` is in the page's text; reloads in between are expected."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if page.evaluate("m => !!document.body && document.body.innerText.includes(m)", marker):
                return time.perf_counter()
        except Exception:  # the page is reloading: its context went away
            pass
        time.sleep(0.02)
    raise TimeoutError(f"{marker} not visible after {timeout:.0f} s")


def measure(n_roles: int, edits: int = 10, engine: str = "mkdocs") -> dict[str, Any]:
    """Start-up and save-to-visible times of one ``handbook serve`` at ``n_roles`` roles."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, REQUIRED_ARGS

    with tempfile.TemporaryDirectory(prefix="handbook-bench-preview-") as tmp:
        root = Path(tmp) / f"n{n_roles}"
        role = write_project(root, n_roles)
        port = _free_port()
        url = f"http://127.0.0.1:{port}/roles/{role.stem}/"
        started = time.perf_counter()
        with serving(root, port, engine) as proc:
            while _status(url) != 200:
                if proc.poll() is not None or time.perf_counter() - started > STARTUP_TIMEOUT:
                    raise RuntimeError(f"serve did not start:\n{(root / 'serve.log').read_text(encoding='utf-8')[-3000:]}")
                time.sleep(0.05)
            startup = time.perf_counter() - started
            print(f"{n_roles} roles: serve started in {startup:.1f} s", file=sys.stderr, flush=True)
            times = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=REQUIRED_ARGS)
                page = browser.new_page()
                page.goto(url)
                for i in range(edits):
                    time.sleep(1.0)  # an editor does not save twice within a second
                    marker = f"{os.getpid()}x{i}"
                    saved = time.perf_counter()
                    edit_duty(role, marker)
                    times.append(_visible(page, marker, EDIT_TIMEOUT) - saved)
                browser.close()
    return {
        "roles": n_roles, "engine": engine, "startup_s": startup,
        "median_s": statistics.median(times), "max_s": max(times), "edits_s": times,
    }


def rows(notes: list[str], show: Callable[[str, str, str, bool | None], str]) -> list[tuple[str, str, str, bool | None]]:
    """``make bench``'s rows ``(what, measured, goal, met)``: the sample and 1,000 roles; each printed by ``show``."""
    out: list[tuple[str, str, str, bool | None]] = []
    for n, goal in ((SAMPLE_ROLES, 1.0), (1000, 2.0)):
        r = measure(n, edits=10)
        what = "the sample (42 roles)" if n == SAMPLE_ROLES else f"{n:,} roles"
        new = [
            (f"live preview, {what}: save → visible in Chromium (median of 10)",
             f"{r['median_s']:.2f} s (max {r['max_s']:.2f} s)", f"≤ {goal:g} s", r["median_s"] <= goal),
            (f"live preview, {what}: start-up → first page served", f"{r['startup_s']:.1f} s",
             "≤ 20 s at 1,000" if n == 1000 else "", r["startup_s"] <= 20 if n == 1000 else None),
        ]
        for row in new:
            print(show(*row), flush=True)
        out += new
    notes.append("live preview: wall-clock seconds of a real `handbook serve` (MkDocs) and headless Chromium; "
                 "each save appends words to one duty item of one role")
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m tests.bench_preview --roles 42,1000 --edits 10``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roles", default="42,1000", help="role counts (42 = the sample; comma separated)")
    parser.add_argument("--edits", type=int, default=10, help="saves per size (the median is reported)")
    parser.add_argument("--engine", default="mkdocs", choices=("mkdocs", "zensical"))
    args = parser.parse_args(argv)
    for n in (int(s) for s in args.roles.split(",")):
        print(json.dumps(measure(n, args.edits, args.engine)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
