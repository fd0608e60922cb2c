"""``handbook fmt``: fixes the mechanical mistakes, keeps a backup, and never changes what a file means."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

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


def _keyed(data: object) -> object:
    """``data`` with each text that is a key typed with a Chinese colon or glued to its value
    (``area:销售``, ``current：3``) read as that key: the one change fmt makes to what YAML reads."""
    if isinstance(data, str):
        found = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:：\s*|:)(\S.*)", data)
        return yaml.safe_load(f"{found[1]}: {found[2]}") if found else data
    if isinstance(data, list):
        return [_keyed(v) for v in data]
    if isinstance(data, dict):
        return {k: _keyed(v) for k, v in data.items()}
    return data


def test_every_corpus_file_fmt_touches_keeps_its_data() -> None:
    touched = 0
    for path in _corpus_files():
        raw = path.read_bytes()
        outcome = fmt.format_file_bytes(path, raw)
        if not outcome.safe:
            assert outcome.text.encode("utf-8") == raw.removeprefix(b"\xef\xbb\xbf") or outcome.reason == "encoding"
            assert 1 <= outcome.line <= raw.count(b"\n") + 1, path.name
        if not outcome.changed:
            continue
        touched += 1
        before_yaml, _, before = _reads(path, raw)
        after_yaml, _, after = _reads(path, outcome.text.encode())
        assert after_yaml, path.name
        if before_yaml:  # read before: the same data, not merely something that reads
            assert fmt._normal(after) == fmt._normal(_keyed(before)), path.name
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


#: A space-indented duty list of five with one item indented by a tab (#31): at a tab width where it
#: lines up with the others fmt keeps five items; where no width lines it up, fmt names the line.
DUTIES = HEAD + "duties:\n  - area: 销售\n    items:\n      - 一\n      - 二\n{tab}- 三\n      - 四\n      - 五\n"


@pytest.mark.parametrize("tab", ["\t", "\t  ", "\t\t", "  \t", "    \t", "\t\t\t", "\t\t\t\t"])
def test_a_tab_in_a_list_never_joins_two_items(tmp_path: Path, tab: str) -> None:
    path = tmp_path / "agent.yaml"
    path.write_text(DUTIES.format(tab=tab), encoding="utf-8")
    outcome = fmt.format_file_bytes(path, path.read_bytes())
    # Where a tab of 2, 4 or 8 columns lines the item up with its neighbours at column 6.
    lines_up = any(len(tab.expandtabs(w)) == 6 for w in fmt.TAB_WIDTHS)
    assert outcome.changed is lines_up and outcome.safe is lines_up
    if lines_up:
        data = parse_bytes(path, path.name, outcome.text.encode())[0].data
        assert data["duties"][0]["items"] == ["一", "二", "三", "四", "五"]
    else:
        assert (outcome.line, outcome.text) == (9, DUTIES.format(tab=tab))


def test_cli_names_the_line_it_cannot_fix_and_does_not_say_all_is_tidy(tmp_path: Path) -> None:
    root = corpus.project(tmp_path, None)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    target = root / "roles" / "agent.yaml"
    target.write_text(DUTIES.format(tab="\t\t"), encoding="utf-8")
    before = target.read_bytes()
    done = _run("fmt", "roles", cwd=root)
    zh = load_locale("zh")
    why = zh.label("fmt_why_joins")
    assert done.returncode == 1 and target.read_bytes() == before
    assert done.stderr.splitlines() == [
        zh.label("fmt_unsafe").format(path="roles/agent.yaml", line=9, why=why),
        zh.label("fmt_unsafe_count").format(count=1),
    ]
    assert zh.label("fmt_clean") not in done.stderr


def test_cli_check_on_windows_line_ends_shows_only_the_real_change(tmp_path: Path) -> None:
    root = corpus.project(tmp_path, None)
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    text = HEAD + TAIL + "summary: 协作,开发\n"
    (root / "roles" / "agent.yaml").write_bytes(text.replace("\n", "\r\n").encode())
    check = _run("fmt", "--check", "roles", cwd=root)
    assert check.returncode == 1
    changed = [line for line in check.stdout.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert changed == ["-summary: 协作,开发", "+summary: 协作，开发"]
    note = load_locale("zh").label("fmt_note_crlf").format(path="roles/agent.yaml")
    assert note in check.stderr.splitlines()
