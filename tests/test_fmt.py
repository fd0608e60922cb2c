"""``handbook fmt``: fixes the mechanical mistakes, keeps a backup, and never changes what a file means."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.editor import fmt
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.load.parse import parse_source
from generator.load.source import parse_bytes

from . import corpus
from .conftest import REPO

HANDBOOK = Path(sys.executable).with_name("handbook")
HEAD = "kind: role\ntitle: 坐席\nunit: team\n"
TAIL = "duties:\n  - area: 销售\n    items: [每日通话]\n"


def _corpus_files() -> list[Path]:
    files = []
    for case in corpus.cases():
        path = corpus.BROKEN / case
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [corpus.BROKEN / f"{case}.yaml"]
    return [p for p in files if p.exists()]


def _reads(path: Path, raw: bytes) -> tuple[bool, bool, object]:
    """Reads as YAML; reads as a valid entry; the data. Written apart from fmt's own check, on purpose."""
    source, problems = parse_bytes(path, path.name, raw)
    if problems:
        return False, False, source.data
    entity, _ = parse_source(source, load_locale())
    return True, entity is not None, source.data


def test_every_corpus_file_fmt_touches_keeps_its_data_or_now_reads() -> None:
    touched = 0
    for path in _corpus_files():
        raw = path.read_bytes()
        outcome = fmt.format_file_bytes(path, raw)
        if not outcome.changed:
            continue
        touched += 1
        before_yaml, before_valid, before = _reads(path, raw)
        after_yaml, after_valid, after = _reads(path, outcome.text.encode())
        assert after_yaml, path.name
        if before_yaml and not (after_valid and not before_valid):
            assert fmt._normal(after) == fmt._normal(before), path.name
    # The corpus holds a few dozen mistakes fmt is meant for; touching none would mean it fixes nothing.
    assert touched >= 15


def test_the_sample_is_unchanged_by_fmt() -> None:
    for path in fmt.targets(REPO / "roles"):
        outcome = fmt.format_file_bytes(path, path.read_bytes())
        assert (outcome.changed, outcome.safe) == (False, True), path


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("\ufeff" + (HEAD + TAIL).replace("\n", "\r\n"), HEAD + TAIL),
        (HEAD + "headcount:\n\tcurrent: 3\n" + TAIL, HEAD + "headcount:\n  current: 3\n" + TAIL),
        (HEAD + "headcount:\n\u3000current: 3\n" + TAIL, HEAD + "headcount:\n  current: 3\n" + TAIL),
        (HEAD + "headcount:\n\u00a0\u00a0current: 3\n" + TAIL, HEAD + "headcount:\n  current: 3\n" + TAIL),
        ("kind: role\ntitle：坐席\nunit: team\n" + TAIL, HEAD + TAIL),
        ("kind: role\ntitle:坐席\nunit: team\n" + TAIL, HEAD + TAIL),
        ("kind: role\ntitle: 坐席\nunit: “team”\n" + TAIL, HEAD + TAIL),
        (HEAD + TAIL + "policies: [rules，rules]\n", HEAD + TAIL + "policies: [rules, rules]\n"),
        (HEAD + TAIL + "summary: 协作,开发(每日)。\n", HEAD + TAIL + "summary: 协作，开发（每日）。\n"),
    ],
    ids=["bom-crlf", "tab", "u3000", "nbsp", "colon", "glued", "curly-id", "comma", "punctuation"],
)
def test_fmt_fixes_the_mechanical_mistakes(tmp_path: Path, broken: str, fixed: str) -> None:
    roles = corpus.project(tmp_path, None) / "roles"
    path = roles / "agent.yaml"
    path.write_bytes(broken.encode())
    outcome = fmt.format_file_bytes(path, path.read_bytes())
    assert (outcome.changed, outcome.text) == (True, fixed)
    path.write_text(outcome.text, encoding="utf-8")
    assert [p.code for p in validate(roles, display_base=tmp_path).problems] == []


@pytest.mark.parametrize(
    "text",
    [
        HEAD + TAIL + "summary: 他说“好”。\n",  # curly quotes around text are Chinese, not YAML's
        HEAD + TAIL + "summary: |\n  第一行\n  note:备注\n",  # inside a block: changing it would change the text
        HEAD + TAIL + "summary: 08:45 开会, then call\n",  # ASCII next to ASCII is left alone
    ],
    ids=["curly-text", "block-text", "ascii-text"],
)
def test_fmt_leaves_what_it_cannot_fix_without_changing_meaning(tmp_path: Path, text: str) -> None:
    path = tmp_path / "agent.yaml"
    path.write_text(text, encoding="utf-8")
    outcome = fmt.format_file_bytes(path, path.read_bytes())
    assert outcome.changed is False
    assert outcome.text == text


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([str(HANDBOOK), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)


def test_cli_check_writes_nothing_and_fmt_keeps_a_backup(tmp_path: Path) -> None:
    root = corpus.project(tmp_path, None)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    broken = corpus.BROKEN / "fullwidth-colon.yaml"
    target = root / "roles" / "fullwidth-colon.yaml"
    shutil.copy(broken, target)

    check = _run("fmt", "--check", "roles", cwd=root)
    assert check.returncode == 1
    assert "+title: 坐席" in check.stdout and "-title： 坐席" in check.stdout
    assert target.read_bytes() == broken.read_bytes()

    write = _run("fmt", "roles", cwd=root)
    assert write.returncode == 0, write.stderr
    assert (root / "roles" / "fullwidth-colon.yaml.bak").read_bytes() == broken.read_bytes()
    assert _run("validate", "roles", cwd=root).returncode == 0
    again = _run("fmt", "--check", "roles", cwd=root)
    assert (again.returncode, again.stdout) == (0, "")
    assert "Traceback" not in check.stderr + write.stderr + again.stderr
