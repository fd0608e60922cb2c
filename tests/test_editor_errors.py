"""The mistakes HR editors actually make: each gets its own message, file:line:col, in zh and en."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.load.problems import format_text

from .conftest import FIXTURES, copy_project

MINI = FIXTURES / "mini"
HANDBOOK = Path(sys.executable).with_name("handbook")
HEAD = "kind: role\ntitle: 坐席\nunit: phone-team\n"
"""A valid start of a role in the mini fixture; each case adds its mistake below it."""


def _problems(tmp_path: Path, name: str, data: bytes, lang: str = "zh") -> list[str]:
    """Every problem line of ``name`` when it is added to the mini fixture's roles."""
    roles = tmp_path / "roles"
    shutil.copytree(MINI / "roles", roles)
    (roles / name).write_bytes(data)
    locale = load_locale(lang)
    result = validate(roles, locale=locale, display_base=tmp_path)
    return [format_text(p, locale) for p in result.problems if p.file == f"roles/{name}" and p.severity.value == "error"]


def _both(tmp_path: Path, name: str, data: bytes) -> tuple[list[str], list[str]]:
    zh = _problems(tmp_path / "zh", name, data)
    en = _problems(tmp_path / "en", name, data, "en")
    return zh, en


def test_fullwidth_colon_after_a_key(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", "kind: role\ntitle：坐席\nunit: phone-team\n".encode())
    assert zh == ["roles/a.yaml:2:6  字段名后面用了中文冒号 “：” → 换成英文冒号 “:” 并在后面加一个空格，例如 “title: 理财经理”"]
    assert en == [
        "roles/a.yaml:2:6  The key is followed by a Chinese colon “：” → "
        "use an English colon “:” followed by a space, e.g. “title: Wealth manager”"
    ]


def test_fullwidth_colon_after_a_nested_key(tmp_path: Path) -> None:
    # Valid YAML (one text "current：3"), so only the walker can tell it was meant as a key.
    zh, _ = _both(tmp_path, "a.yaml", (HEAD + "headcount:\n  current：3\n").encode())
    assert zh == ["roles/a.yaml:5:10  headcount  字段名后面用了中文冒号 “：” → 换成英文冒号 “:” 并在后面加一个空格，例如 “title: 理财经理”"]


@pytest.mark.parametrize("comma", ["，", "、"])
def test_chinese_comma_in_a_flow_list(tmp_path: Path, comma: str) -> None:
    zh, en = _both(tmp_path, "a.yaml", (HEAD + f"policies: [rules{comma}rules]\n").encode())
    assert zh == [
        "roles/a.yaml:4:17  policies[0]  方括号列表里用了中文逗号 “，” 或顿号 “、” → "
        "列表项之间用英文逗号 “,” 分隔，或每项单独一行以 “- ” 开头"
    ]
    assert en == [
        "roles/a.yaml:4:17  policies[0]  The bracketed list uses a Chinese comma “，” or enumeration comma “、” → "
        "separate the items with an English comma “,”, or put each item on its own line starting with “- ”"
    ]


def test_quoted_chinese_comma_in_a_flow_list_is_text(tmp_path: Path) -> None:
    text = HEAD + 'duties:\n  - area: 日常\n    items: ["沟通、表达"]\n'
    assert _problems(tmp_path, "a.yaml", text.encode()) == []


def test_ideographic_space_in_indentation(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", (HEAD + "headcount:\n\u3000\u3000current: 3\n").encode())
    assert zh == ["roles/a.yaml:5:1  缩进里有全角空格 → 把全角空格换成半角空格（关闭输入法后按空格键）"]
    assert en == [
        "roles/a.yaml:5:1  The indentation contains a full-width space (U+3000) → "
        "replace it with ordinary spaces (switch the input method to English, then press space)"
    ]


def test_tab_in_indentation(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", (HEAD + "headcount:\n  \tcurrent: 3\n").encode())
    assert zh == ["roles/a.yaml:5:3  缩进里有制表符（Tab） → YAML 只能用空格缩进，请把 Tab 换成两个空格"]
    assert en == [
        "roles/a.yaml:5:3  The indentation contains a tab character → "
        "YAML indents with spaces only; replace the tab with two spaces"
    ]


def test_file_saved_as_gbk(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", (HEAD + "summary: 负责电话销售\n").encode("gbk"))
    assert zh == ["roles/a.yaml:2:1  文件是 GBK/GB18030 编码保存的，不是 UTF-8 → 在编辑器中选择 “另存为 → 编码：UTF-8” 后保存"]
    assert en == [
        "roles/a.yaml:2:1  The file was saved as GBK/GB18030, not UTF-8 → "
        "in your editor choose “Save as → Encoding: UTF-8” and save"
    ]


def test_bom_and_crlf_are_simply_accepted(tmp_path: Path) -> None:
    text = HEAD + "summary: 负责电话销售\nduties:\n  - area: 日常\n    items: [打电话]\n"
    data = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    assert _problems(tmp_path, "a.yaml", data) == []


def test_chinese_key_suggests_the_english_key(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", (HEAD + "职责:\n  - area: 日常\n").encode())
    assert zh == ["roles/a.yaml:4:1  职责  未知字段 “职责” → 是否想写 “duties”？"]
    assert en == ["roles/a.yaml:4:1  职责  Unknown field “职责” → did you mean “duties”?"]


def test_misspelt_key_suggests_the_nearest(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", (HEAD + "sumary: 负责电话销售\n").encode())
    assert zh == ["roles/a.yaml:4:1  sumary  未知字段 “sumary” → 是否想写 “summary”？"]
    assert en == ["roles/a.yaml:4:1  sumary  Unknown field “sumary” → did you mean “summary”?"]


def test_number_where_a_list_is_needed(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", (HEAD + "duties: 3\n").encode())
    assert zh == ["roles/a.yaml:4:9  duties  “duties” 应是列表，这里只写了一个值 “3” → 换行后缩进两格写成 “- 3”，或写成 [3]"]
    assert en == [
        "roles/a.yaml:4:9  duties  “duties” is a list, but only one value “3” was written → "
        "on a new line indented two spaces write “- 3”, or write [3]"
    ]


@pytest.mark.parametrize("ident", ["tele sales", "坐席"])
def test_id_with_spaces_or_chinese(tmp_path: Path, ident: str) -> None:
    zh, en = _both(tmp_path, "a.yaml", f"kind: role\nid: {ident}\ntitle: 坐席\nunit: phone-team\n".encode())
    assert zh == [
        f"roles/a.yaml:2:5  id  id “{ident}” 不合规：只能用小写英文字母、数字和连字符 → "
        "例如 “call-center-lead”；不要用空格、中文、“/” 或 “..”"
    ]
    assert en == [
        f"roles/a.yaml:2:5  id  The id “{ident}” is not valid: use only lower-case letters, digits and hyphens → "
        "e.g. “call-center-lead”; no spaces, Chinese characters, “/” or “..”"
    ]


def test_reference_to_a_missing_entity_names_the_nearest(tmp_path: Path) -> None:
    zh, en = _both(tmp_path, "a.yaml", b"kind: role\ntitle: x\nunit: phone-tem\n")
    assert zh == ["roles/a.yaml:3:7  unit  找不到部门 “phone-tem” → 是否想写 “phone-team”？"]
    assert en == ["roles/a.yaml:3:7  unit  There is no unit “phone-tem” → did you mean “phone-team”?"]


def _broken_project(tmp_path: Path) -> Path:
    roles = tmp_path / "roles"
    shutil.copytree(MINI / "roles", roles)
    (roles / "a.yaml").write_text("kind: role\ntitle：坐席\n", encoding="utf-8")
    (roles / "b.yaml").write_text(HEAD + "sumary: x\n", encoding="utf-8")
    return tmp_path


def test_format_github_prints_workflow_annotations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _broken_project(tmp_path)
    monkeypatch.chdir(root)  # restored afterwards: later tests (and mypy's search path) see the same folder
    assert main(["--project", str(root), "validate", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "::error file=roles/a.yaml,line=2,col=6::字段名后面用了中文冒号 “：” → 换成英文冒号 “:” 并在后面加一个空格，例如 “title: 理财经理”",
        "::error file=roles/b.yaml,line=4,col=1::sumary: 未知字段 “sumary” → 是否想写 “summary”？",
    ]


def test_format_json_prints_machine_readable_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _broken_project(tmp_path)
    monkeypatch.chdir(root)
    assert main(["--lang", "en", "--project", str(root), "validate", "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [(r["file"], r["line"], r["col"], r["field"], r["code"], r["severity"]) for r in rows] == [
        ("roles/a.yaml", 2, 6, "", "fullwidth_colon", "error"),
        ("roles/b.yaml", 4, 1, "sumary", "unknown_key_suggest", "error"),
    ]
    assert rows[1]["message"] == "Unknown field “sumary”" and rows[1]["fix"] == "did you mean “summary”?"


# Live preview: a real `handbook serve`, a real browser-less HTTP client.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(check: Callable[[], object], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError("timed out waiting for the preview")


def test_invalid_save_keeps_last_good_pages_and_shows_the_problems(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "p")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    role = sorted(p for p in project.roles.glob("*.yaml") if p.read_text(encoding="utf-8").startswith("kind: role"))[0]
    good = role.read_text(encoding="utf-8")
    page = f"{base}/roles/{role.stem}/"
    proc = subprocess.Popen(
        [str(HANDBOOK), "--project", str(project.root), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        _wait_for(lambda: _get(page)[0] == 200)
        assert _get(f"{base}/preview-problems/")[0] == 404  # no problems page: the banner's script keeps it hidden

        role.write_text(good.replace("title:", "title：", 1), encoding="utf-8")
        _wait_for(lambda: _get(f"{base}/preview-problems/")[0] == 200)
        status, banner = _get(f"{base}/preview-problems/")
        assert "预览没有更新：资料有误" in banner and f"roles/{role.name}:" in banner
        assert "字段名后面用了中文冒号" in banner
        status, kept = _get(page)
        assert status == 200 and 'class="handbook-preview-problems"' in kept
        assert (project.docs / "roles" / f"{role.stem}.md").is_file()  # last good page kept

        role.write_text(good, encoding="utf-8")
        _wait_for(lambda: _get(f"{base}/preview-problems/")[0] == 404)
        # (the banner's script shows it only while that page exists: tests/test_preview.py, in Chromium)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
    assert f"roles/{role.name}:" in output and "字段名后面用了中文冒号" in output  # printed too


def _scaffold(tmp_path: Path, *args: str) -> tuple[int, Path]:
    project = copy_project(MINI, tmp_path / "p")
    return main(["--project", str(project.root), "new", *args]), project.root


def test_new_template_keeps_a_value_typed_after_the_marker(tmp_path: Path) -> None:
    code, root = _scaffold(tmp_path, "role", "night-agent", "--unit", "phone-team")
    assert code == 0
    path = root / "roles" / "night-agent.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    # An editor types after the marker instead of replacing it: the text is kept, not swallowed by a comment.
    lines[title] += " 夜班坐席"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    locale = load_locale()
    shown = [format_text(p, locale) for p in validate(root / "roles", locale=locale, display_base=root).problems
             if p.file.endswith("night-agent.yaml") and p.field == "title"]
    assert shown == [f"roles/night-agent.yaml:{title + 1}:8  title  “title” 里还留着模板的占位 “← 填写” → "
                     "删掉 “← 填写”，只留下 “夜班坐席”"]


def test_new_refuses_a_unit_or_boss_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, root = _scaffold(tmp_path / "a", "role", "night-agent", "--unit", "phone-tem")
    assert code == 2
    assert not (root / "roles" / "phone-tem").exists()
    assert list((root / "roles").rglob("night-agent.yaml")) == []
    assert "没有 id 为 “phone-tem” 的部门，没有创建文件：是否想写 “phone-team”？" in capsys.readouterr().err

    code, root = _scaffold(tmp_path / "b", "role", "night-agent", "--unit", "phone-team", "--reports-to", "team-laed")
    assert code == 2
    assert "没有 id 为 “team-laed” 的岗位，没有创建文件：是否想写 “team-lead”？" in capsys.readouterr().err

    code, root = _scaffold(tmp_path / "c", "role", "night-agent", "--unit", "phone-team", "--reports-to", "team-lead")
    assert code == 0
    text = (root / "roles" / "night-agent.yaml").read_text(encoding="utf-8")
    assert "\nreports_to: team-lead\n" in text


def test_new_from_an_existing_role_copies_it_with_the_title_to_fill(tmp_path: Path) -> None:
    code, root = _scaffold(tmp_path, "role", "senior-agent", "--from", "agent")
    assert code == 0
    path = root / "roles" / "senior-agent.yaml"
    text = path.read_text(encoding="utf-8")
    original = (MINI / "roles" / "agent.yaml").read_text(encoding="utf-8")
    assert "\ntitle: ← 填写  # 坐席\n" in text
    assert "\nid:" not in text and "\naliases:" not in text
    # Everything else of the original is there to edit.
    body = [line for line in original.splitlines() if not line.startswith("title:")]
    assert all(line in text.splitlines() for line in body)
    locale = load_locale()

    def own(result_root: Path) -> list[str]:
        found = validate(result_root / "roles", locale=locale, display_base=result_root).problems
        return [p.code for p in found if p.file.endswith("senior-agent.yaml")]

    assert own(root) == ["placeholder_unfilled"]
    path.write_text(text.replace("title: ← 填写  # 坐席", "title: 资深坐席"), encoding="utf-8")
    assert own(root) == []
