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
    assert zh == ["roles/a.yaml:4:9  duties  这里应是列表（每项以 “- ” 开头），而不是整数 → 按字段说明改写此处"]
    assert en == [
        "roles/a.yaml:4:9  duties  This should be a list (each item on its own line, starting with “- ”), "
        "not a whole number → rewrite it as the field guide shows"
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


def test_format_github_prints_workflow_annotations(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _broken_project(tmp_path)
    os.chdir(root)
    assert main(["--project", str(root), "validate", "--format", "github"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "::error file=roles/a.yaml,line=2,col=6::字段名后面用了中文冒号 “：” → 换成英文冒号 “:” 并在后面加一个空格，例如 “title: 理财经理”",
        "::error file=roles/b.yaml,line=4,col=1::sumary: 未知字段 “sumary” → 是否想写 “summary”？",
    ]


def test_format_json_prints_machine_readable_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _broken_project(tmp_path)
    os.chdir(root)
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
        before = _get(page)[1]
        assert "preview-problems" not in before

        role.write_text(good.replace("title:", "title：", 1), encoding="utf-8")
        _wait_for(lambda: _get(f"{base}/preview-problems/")[0] == 200)
        _wait_for(lambda: "preview-problems/" in _get(page)[1])
        status, banner = _get(f"{base}/preview-problems/")
        assert "预览没有更新：资料有误" in banner and f"roles/{role.name}:" in banner
        assert "字段名后面用了中文冒号" in banner
        status, kept = _get(page)
        assert status == 200 and 'class="handbook-preview-problems"' in kept
        assert (project.docs / "roles" / f"{role.stem}.md").is_file()  # last good page kept

        role.write_text(good, encoding="utf-8")
        _wait_for(lambda: _get(f"{base}/preview-problems/")[0] == 404)
        _wait_for(lambda: "handbook-preview-problems" not in _get(page)[1])
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
    assert f"roles/{role.name}:" in output and "字段名后面用了中文冒号" in output  # printed too
