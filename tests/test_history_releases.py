"""Releases from git tags: 修订记录 on role pages and PDFs, versions defaulting to the last change, shallow clones."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator.cli import main
from generator.history import read_record
from generator.i18n import load_locale
from generator.load.problems import format_text
from generator.model.fingerprint import content_hash
from generator.pdf.render import CACHE_DIR
from generator.pdf.run import write_pdfs
from generator.project import Project
from generator.site.generate import generate

from .conftest import OUTPUT
from .history_fixture import STEPS, git, make_history

ZH = load_locale("zh")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample with three releases, generated once."""
    project = make_history(tmp_path_factory.mktemp("releases"))
    assert generate(project, ZH).ok
    return project


def _page(project: Project, rid: str) -> str:
    return (project.docs / "roles" / f"{rid}.md").read_text(encoding="utf-8")


def _hashes(project: Project, rid: str) -> list[str]:
    """The content hash each release published of role ``rid`` (the 修订记录's 内容指纹 column)."""
    return [content_hash(r.entity) for r in read_record(project.roles, ZH).revisions[("role", rid)]]


def test_revision_table_of_an_edited_role(history: Project) -> None:
    page = _page(history, "call-center-lead")
    first, second = _hashes(history, "call-center-lead")
    assert first != second
    assert (
        "## 修订记录 {#revisions}\n\n| 版本 | 发布日期 | 内容指纹 | 修改内容 |\n| --- | --- | --- | --- |\n"
        f"| 2024\\.1 | 2024-01-01 | `{first}` | 首次发布 |\n"
        f"| 2024\\.2 | 2024-04-01 | `{second}` | 考核指标 早会时长 目标：≤ 10 分钟/日 → ≤ 8 分钟/日 |\n"
    ) in page


def test_renamed_role_keeps_its_record(history: Project) -> None:
    page = _page(history, "visual-designer")
    first, renamed = _hashes(history, "visual-designer")
    assert f"| 2024\\.1 | 2024-01-01 | `{first}` | 首次发布 |\n" in page
    assert (f"| 2024\\.3 | 2024-06-20 | `{renamed}` | 改名 art\\-designer → visual\\-designer<br>名称：美工设计 → 视觉设计 |\n"
            in page)


def test_every_role_of_the_first_release_has_a_record(history: Project) -> None:
    """Generated from the data: every role now in roles/ was in the first release (one under its old id)."""
    roles = generate(history, ZH).result.handbook.roles
    record = read_record(history.roles, ZH)
    assert sorted(k[1] for k in record.revisions if k[0] == "role") == sorted(roles)
    for rid in roles:
        assert record.revisions[("role", rid)][0].release == STEPS[0].tag
        first = content_hash(record.revisions[("role", rid)][0].entity)
        assert f"| {STEPS[0].tag.replace('.', chr(92) + '.')} | {STEPS[0].date} | `{first}` | 首次发布 |" in _page(history, rid)


def test_process_and_policy_pages_have_their_revision_table(history: Project) -> None:
    """Generated from the record: every process and policy page lists the releases that changed it."""
    from generator.model import paths
    from generator.render.markup import escape_plain

    record = read_record(history.roles, ZH)
    kinds = {"process": 0, "policy": 0}
    for (kind, ident), revisions in record.revisions.items():
        if kind not in kinds:
            continue
        kinds[kind] += 1
        page = (history.docs / paths.page(kind, ident)).read_text(encoding="utf-8")
        assert "## 修订记录 {#revisions}\n" in page, ident
        for rev in revisions:
            said = "<br>".join(escape_plain(c.text) for c in rev.changes) or "首次发布"
            assert f"| {escape_plain(rev.release)} | {rev.date.isoformat()} | {said} |\n" in page, (ident, rev)
    assert kinds["process"] > 0 and kinds["policy"] > 0
    page = (history.docs / paths.page("policy", "attendance")).read_text(encoding="utf-8")
    assert "| 2024\\.3 | 2024-06-20 | 删除条款 第 3 条：休假与请假 |\n" in page


def test_missing_version_comes_from_the_last_release_that_changed_it(history: Project) -> None:
    page = _page(history, "sales-rep")
    assert "- **版本**：2024\\.2\n" in page and "- **生效日期**：2024-04-01\n" in page
    # A role nobody edited keeps its typed values, which are not older than its only release.
    kept = _page(history, "telesales-rep")
    assert "- **版本**：2024\\.1\n" in kept and "- **生效日期**：2024-01-01\n" in kept


def test_typed_version_older_than_the_last_change_is_a_warning(history: Project) -> None:
    outcome = generate(history, ZH)
    lines = [format_text(p, ZH) for p in outcome.problems]
    # At the typed value: the line of `version:` in that file, the column after the key.
    text = (history.roles / "call-center" / "call-center-lead.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(text, 1) if row.startswith("version:"))
    assert (
        f"roles/call-center/call-center-lead.yaml:{line}:10  version  警告: 版本 2024.1 早于本资料最近一次修改的发布 "
        "2024.2（2024-04-01） → 删掉 version，让它取自发布记录；或改成 2024.2"
    ) in lines
    assert not any("sales-rep.yaml" in line for line in lines)  # its values are not typed any more
    assert len(lines) == 6  # call-center-lead, visual-designer, attendance: version and date each


def test_pdf_has_the_revision_record_and_the_signed_version(history: Project, tmp_path: Path) -> None:
    outcome = generate(history, ZH)
    write_pdfs(outcome.result.handbook, ZH, tmp_path, history.root / CACHE_DIR, ["call-center-lead"], combined=False)
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "call-center-lead.pdf").pages)
    squashed = "".join(text.split())
    assert "修订记录" in squashed
    assert "考核指标早会时长目标：≤10分钟/日→≤8分钟/日" in squashed
    assert "本说明书签字确认的版本：2024.2（2024-04-01发布）" in squashed
    OUTPUT.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(tmp_path / "call-center-lead.pdf"),
                    str(OUTPUT / "history-call-center-lead")], check=True)


def test_shallow_clone_says_so_and_keeps_typed_values(
    history: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{history.root}", str(clone))
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    code = main(["--project", str(clone), "generate"])
    err = capsys.readouterr().err
    assert code == 0
    assert "handbook: 这是浅克隆（没有完整历史）" in err
    page = (clone / "handbook" / "generated" / "docs" / "roles" / "call-center-lead.md").read_text(encoding="utf-8")
    assert "修订记录" not in page and "- **版本**：2024\\.1\n" in page
    # handbook diff says why a release is missing, and what it compares with instead of the last release.
    code = main(["--project", str(clone), "diff", "2024.1"])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.startswith("handbook: 找不到版本 “2024.1”：这是浅克隆（没有完整历史）")
    code = main(["--project", str(clone), "diff"])
    out, err = capsys.readouterr()
    assert (code, out) == (0, "HEAD → 当前文件（含未提交的修改）：没有内容变化\n")
    assert err.startswith("handbook: 这是浅克隆（没有完整历史）：找不到发布标签，改为与 HEAD 比较")


def test_without_tags_pages_have_no_record(tmp_path: Path) -> None:
    project = make_history(tmp_path / "p", steps=[])
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "初版")
    assert generate(project, ZH).ok
    assert "修订记录" not in _page(project, "call-center-lead")


def test_atom_feed_has_one_entry_per_release_with_escaped_html(history: Project) -> None:
    import xml.etree.ElementTree as ET

    from generator.render.changelog import by_release

    hb = generate(history, ZH).result.handbook
    releases = by_release(hb)
    root = ET.parse(history.docs / "changes" / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == [
        f"{r.name} · {r.date.isoformat()}" for r in releases
    ]
    newest = entries[0].findtext("a:content", namespaces=ns) or ""
    for entry in releases[0].entries:
        for change in entry.changes:
            assert change.text in newest
    assert '<a href="../policies/attendance/#clauses">删除条款 第 3 条：休假与请假</a>' in newest
    assert root.findtext("a:updated", namespaces=ns) == f"{releases[0].date.isoformat()}T00:00:00Z"


def test_pdf_since_writes_and_lists_only_changed_roles(
    history: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--project", str(history.root), "pdf", "--since", "2024.1", "--out", str(tmp_path / "pdf")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith(
        "自 2024.1 以来内容有变化的岗位 3 个（这些岗位说明书需要重新签字）：\n"
        "  call-center-lead  电销团队长\n  sales-rep  销售代表\n  visual-designer  视觉设计\n"
    )
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [
        "call-center-lead.pdf", "sales-rep.pdf", "visual-designer.pdf"
    ]
    code = main(["--project", str(history.root), "pdf", "--since", "2024.3", "--out", str(tmp_path / "none")])
    assert (code, capsys.readouterr().out) == (0, "自 2024.3 以来没有岗位的内容变化，无需重新签字\n")
    assert not (tmp_path / "none").exists()


def test_versions_files_hold_each_role_now_and_as_each_release_published_it(history: Project) -> None:
    """Generated from the record and the YAML: the picker's data for a role's versions, duties worded as written."""
    import json

    from generator.render import compare
    from generator.render.compare import plain

    hb = generate(history, ZH).result.handbook
    record = read_record(history.roles, ZH)
    for rid, role in hb.roles.items():
        data = json.loads((history.docs / "compare" / "versions" / f"{rid}.json").read_text(encoding="utf-8"))
        revisions = record.revisions.get(("role", rid), [])
        assert [v["name"] for v in data["versions"]] == ["", *(r.release for r in reversed(revisions))], rid
        for version, entity in zip(data["versions"], [role, *(r.entity for r in reversed(revisions))], strict=True):
            assert version["title"] == entity.title
            duties = [plain(f"{area.area}：{item.text}", hb) for area in entity.duties for item in area.items
                      if not item.deadlines and not item.response_times]
            assert set(duties) <= set(version["items"]["duties"]), (rid, version["name"])
    sales = json.loads((history.docs / "compare" / "versions" / "sales-rep.json").read_text(encoding="utf-8"))
    now, then = (set(v["items"]["duties"]) for v in (sales["versions"][0], sales["versions"][-1]))
    assert now - then == {"生意发展：每月向客户经理提交分销商拜访记录"} and not then - now
    path_page = (history.docs / compare.page(hb.roles["sales-rep"].unit)).read_text(encoding="utf-8")
    assert "生意发展：不折不扣地完成上级制定的销售拓展计划" in path_page and "text=" not in path_page
