"""``handbook diff``: the semantic diff read from a real git history of the sample handbook."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.history import diff_revs
from generator.history.semantic import diff_entities
from generator.history.wording import line
from generator.i18n import load_locale
from generator.model.entities import Role
from generator.project import Project

from .conftest import REPO
from .history_fixture import git, make_history

REPO_ROLES = REPO / "roles"

ZH, EN = load_locale("zh"), load_locale("en")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample with three releases and a commit after the last."""
    return make_history(tmp_path_factory.mktemp("history"))


def _cli(project: Project, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_first_release_to_second_in_hr_words(history: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(history, "diff", "2024.1", "2024.2", capsys=capsys)
    assert code == 0
    assert out == (
        "2024.1 → 2024.2：2 项资料有变化\n"
        "\n"
        "岗位 电销团队长（call-center-lead）  roles/call-center/call-center-lead.yaml\n"
        "  - 考核指标 早会时长 目标：≤ 10 分钟/日 → ≤ 8 分钟/日\n"
        "\n"
        "岗位 销售代表（sales-rep）  roles/sales-dept/sales-rep.yaml\n"
        "  - 新增职责 生意发展：每月向客户经理提交分销商拜访记录\n"
    )


def test_rename_through_aliases_and_removed_clause(history: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(history, "diff", "2024.2", "2024.3", capsys=capsys)
    assert code == 0
    assert out == (
        "2024.2 → 2024.3：2 项资料有变化\n"
        "\n"
        "岗位 视觉设计（visual-designer）  roles/ecommerce/visual-designer.yaml\n"
        "  - 改名 art-designer → visual-designer\n"
        "  - 名称：美工设计 → 视觉设计\n"
        "\n"
        "制度 考勤与工作纪律（attendance）  roles/renewal/attendance.yaml\n"
        "  - 删除条款 第 3 条：休假与请假\n"
    )


def test_english(history: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(history, "--lang", "en", "diff", "2024.2", "2024.3", capsys=capsys)
    assert code == 0
    assert "  - Renamed art-designer → visual-designer\n  - title: 美工设计 → 视觉设计\n" in out
    assert "  - Removed clause 3: 休假与请假\n" in out
    assert out.startswith("2024.2 → 2024.3: 2 entries changed\n")


def test_reordering_and_reformatting_are_no_change(history: Project, capsys: pytest.CaptureFixture[str]) -> None:
    # 2024.3 → HEAD only reorders two duties; the comment added to kpi.yaml in 2024.2 is not listed there either.
    code, out, _ = _cli(history, "diff", "2024.3", "HEAD", capsys=capsys)
    assert (code, out) == (0, "2024.3 → HEAD：没有内容变化\n")
    names = git(history.root, "diff", "--name-only", "2024.3", "HEAD").split()
    assert names == ["roles/sales-dept/sales-rep.yaml"]  # git does see a change


def test_default_is_last_release_to_the_files_now(history: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = history.roles / "call-center" / "telesales-rep.yaml"
    before = path.read_text(encoding="utf-8")
    path.write_text(before.replace("title: 电销人员\n", "title: 电话销售专员\n"), encoding="utf-8")
    try:
        code, out, _ = _cli(history, "diff", capsys=capsys)
    finally:
        path.write_text(before, encoding="utf-8")
    assert code == 0
    assert out == (
        "2024.3 → 当前文件（含未提交的修改）：1 项资料有变化\n"
        "\n"
        "岗位 电话销售专员（telesales-rep）  roles/call-center/telesales-rep.yaml\n"
        "  - 名称：电销人员 → 电话销售专员\n"
    )


def test_json_and_markdown(history: Project, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(history, "diff", "2024.1", "2024.3", "--format", "json", capsys=capsys)
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    assert (data["from"], data["to"]) == ("2024.1", "2024.3")
    by_id = {e["id"]: e for e in data["entities"]}
    assert sorted(by_id) == ["attendance", "call-center-lead", "sales-rep", "visual-designer"]
    assert by_id["visual-designer"]["op"] == "renamed" and by_id["visual-designer"]["old_id"] == "art-designer"
    kpi = by_id["call-center-lead"]["changes"][0]
    assert (kpi["field"], kpi["old"], kpi["new"]) == ("kpis.早会时长.target", "≤ 10 分钟/日", "≤ 8 分钟/日")
    assert by_id["attendance"]["changes"][0]["field"] == "clauses.3"
    code, out, _ = _cli(history, "diff", "2024.2", "2024.3", "--format", "markdown", capsys=capsys)
    assert "### 岗位 视觉设计（visual\\-designer）\n\n- 改名 art\\-designer → visual\\-designer\n" in out


def test_unknown_revision_and_no_repository(
    history: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(history, "diff", "2099.1", capsys=capsys)
    assert (code, out) == (2, "")
    assert err == "handbook: 找不到版本 “2099.1”：用 git tag 查看已发布的版本，或写提交号、分支名\n"
    (tmp_path / "roles").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    code = main(["--project", str(tmp_path), "diff"])
    err = capsys.readouterr().err
    assert code == 2 and "不在 git 仓库里" in err and "Traceback" not in err


def _restyle(value: Any) -> Any:
    """The same data written differently: every list reversed, keys in another order."""
    if isinstance(value, dict):
        return {k: _restyle(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_restyle(v) for v in reversed(value)]
    return value


def test_every_sample_file_rewritten_and_reordered_is_no_change(tmp_path: Path) -> None:
    """Generated from roles/: each file re-dumped in another YAML style with every list reversed."""
    project = make_history(tmp_path / "p", steps=[])
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "初版")
    files = sorted(project.roles.rglob("*.yaml"))
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(
            yaml.safe_dump(_restyle(data), allow_unicode=True, sort_keys=False, width=40, indent=4), encoding="utf-8"
        )
    changed = git(project.root, "status", "--porcelain", "--", "roles").splitlines()
    assert len(changed) == len(files)  # every file's bytes did change
    _, _, found = diff_revs(project.roles, "HEAD", locale=ZH)
    assert found == []


def test_every_sample_role_title_change_is_one_line(tmp_path: Path) -> None:
    """Generated from roles/: retitling every role gives one change per role, worded from its own data."""
    project = make_history(tmp_path / "p", steps=[])
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "初版")
    titles: dict[str, str] = {}
    for path in sorted(project.roles.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("kind") == "role":
            titles[data.get("id", path.stem)] = data["title"]
            data["title"] = data["title"] + "（新）"
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, _, found = diff_revs(project.roles, "HEAD", locale=ZH)
    assert {d.id: [line(c, ZH) for c in d.changes] for d in found} == {
        rid: [f"名称：{title} → {title}（新）"] for rid, title in titles.items()
    }


def _role(**fields: Any) -> Role:
    return Role.model_validate({"kind": "role", "id": "r", "title": "T", "unit": "u", **fields})


def test_reworded_duty_is_one_change_and_new_area_is_added() -> None:
    old = _role(duties=[{"area": "渠道", "items": ["每日拜访三家网点并做好记录", "维护客户"]}])
    new = _role(
        duties=[
            {"area": "渠道", "items": ["维护客户", "每日拜访五家网点并做好记录"]},
            {"area": "培训", "items": ["带教新人"]},
        ]
    )
    assert [line(c, ZH) for c in diff_entities(old, new)] == [
        "职责 渠道：每日拜访三家网点并做好记录 → 每日拜访五家网点并做好记录",
        "新增职责：培训：带教新人",
    ]


def test_kpi_consequence_and_headcount_changes() -> None:
    kpi = {"metric": "通话次数", "comparator": ">=", "target": 30, "unit": "次", "period": "日"}
    old = _role(
        kpis=[{**kpi, "consequences": [{"type": "penalty", "amount": 50, "per": "日"}]}], headcount={"current": 9}
    )
    new = _role(
        kpis=[{**kpi, "target": 35, "consequences": [{"type": "penalty", "amount": 80, "per": "日"}]}],
        headcount={"current": 9, "planned": 16},
    )
    assert [line(c, ZH) for c in diff_entities(old, new)] == [
        "新增人员编制 编制人数：16",
        "考核指标 通话次数 目标：≥ 30 次/日 → ≥ 35 次/日",
        "考核指标 通话次数 奖惩：未达标时扣罚 50 元/日 → 未达标时扣罚 80 元/日",
    ]


def test_no_git_installed_is_a_message(
    history: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    code, _, err = _cli(history, "diff", capsys=capsys)
    assert code == 2 and err.startswith("handbook: 找不到 git 命令")


def test_git_sees_the_fixture_history(history: Project) -> None:
    tags = subprocess.run(["git", "tag"], cwd=history.root, capture_output=True, text=True, check=True).stdout
    assert tags.split() == ["2024.1", "2024.2", "2024.3"]


def test_cached_entities_are_the_parsed_ones(tmp_path: Path) -> None:
    """Every sample entity read back from the history cache equals the one parsed from YAML."""
    from generator.history.cache import EntityCache
    from generator.history.snapshot import on_disk, parse

    snap = on_disk(REPO_ROLES)
    paths = sorted(snap.files)
    parsed = parse(snap, paths, ZH, cache=EntityCache(tmp_path))
    cached = EntityCache(tmp_path).get_many(snap.files)
    assert len(cached) == len(paths) == len(parsed.entities)
    for entity in parsed.entities.values():
        assert cached[parsed.files[(entity.kind, entity.id)].removeprefix("roles/")] == entity  # type: ignore[attr-defined]


def test_diff_with_cache_matches_without(history: Project, tmp_path: Path) -> None:
    plain = diff_revs(history.roles, "2024.1", "HEAD", locale=ZH)[2]
    first = diff_revs(history.roles, "2024.1", "HEAD", locale=ZH, cache=tmp_path)[2]
    again = diff_revs(history.roles, "2024.1", "HEAD", locale=ZH, cache=tmp_path)[2]
    assert plain == first == again and len(plain) == 4


def test_worker_processes_give_the_single_process_result(history: Project) -> None:
    """Every pair of the fixture's revisions, and the files on disk with an id in two files: the same diff."""
    from generator.history import Repo, snapshot_of
    from generator.history.parts import diff, shares, workers_for
    from generator.history.snapshot import differing

    if workers_for(1, 2) < 2:
        pytest.skip("forking is not safe in this process (other threads run)")
    repo = Repo(history.roles)
    revs = ["2024.1", "2024.2", "2024.3", "HEAD"]
    snaps = {rev: snapshot_of(repo, history.roles, rev) for rev in revs}
    # The rename art-designer → visual-designer changes the file name: its two ends fall in two shares.
    gone, came = differing(snaps["2024.2"], snaps["2024.3"])
    split = shares(gone, came, 4)
    assert not any("ecommerce/art-designer.yaml" in g and "ecommerce/visual-designer.yaml" in c for g, c in split)
    # Forward and back across the rename and the removed clause, and the whole history at once.
    for old, new, renamed in [
        ("2024.1", "2024.2", False), ("2024.2", "2024.3", True), ("2024.3", "2024.1", False), ("2024.1", "HEAD", True)
    ]:
        one = diff(snaps[old], snaps[new], ZH, jobs=1)
        assert diff(snaps[old], snaps[new], ZH, jobs=2) == one, (old, new)
        assert any(d.op == "renamed" for d in one) == renamed, (old, new)
    # One id in two files, the two in different shares: the first file in path order wins, as in one process.
    rep = history.roles / "sales-dept" / "sales-rep.yaml"
    text = rep.read_text(encoding="utf-8")
    copy = history.roles / "zz-copies" / "another-rep.yaml"
    copy.parent.mkdir()
    try:
        copy.write_text(text.replace("title: 销售代表\n", "title: 副本\nid: sales-rep\n"), encoding="utf-8")
        rep.write_text(text.replace("title: 销售代表\n", "title: 销售代表（新）\n"), encoding="utf-8")
        worktree = snapshot_of(repo, history.roles, "")
        for old in ("2024.1", "HEAD"):
            one = diff(snaps[old], worktree, ZH, jobs=1)
            assert diff(snaps[old], worktree, ZH, jobs=2) == one, old
        assert [d.title for d in one if d.id == "sales-rep"] == ["销售代表（新）"]
    finally:
        rep.write_text(text, encoding="utf-8")
        copy.unlink()
        copy.parent.rmdir()


def test_reading_without_positions_gives_the_same_entities(tmp_path: Path) -> None:
    """Every sample file and every broken-input case: parse_data refuses what parse_bytes does, reads the same data,
    and parse_source makes the same entity of it (old revisions in a diff are read this quicker way)."""
    from generator.load.parse import parse_source
    from generator.load.source import parse_bytes, parse_data

    from .corpus import BROKEN

    files = sorted(REPO_ROLES.rglob("*.yaml")) + sorted(BROKEN.rglob("*.y*ml"))
    refused = 0
    for path in files:
        raw = path.read_bytes()
        full, problems = parse_bytes(path, path.name, raw)
        quick = parse_data(path, path.name, raw)
        assert (quick is None) == bool(problems), path
        if quick is None:
            refused += 1
            continue
        assert quick.data == full.data, path
        assert parse_source(quick, ZH)[0] == parse_source(full, ZH)[0], path
    assert len(files) > 300 and refused > 30  # the corpus does reach the refusals


def test_quick_resolver_composes_the_same_nodes() -> None:
    """Every sample file and broken-input case composes to the same nodes, tags and marks as with PyYAML's loader."""
    import yaml

    from generator.load.loader import PLAIN_LOADER, QUICK_LOADER

    from .corpus import BROKEN

    if QUICK_LOADER is None:
        pytest.skip("PyYAML without libyaml")

    def shape(node: yaml.Node, seen: dict[int, int] | None = None) -> object:
        seen = {} if seen is None else seen
        if id(node) in seen:  # an alias: the same node again (a "billion laughs" case must not expand)
            return ("again", seen[id(node)])
        seen[id(node)] = len(seen)
        inner = node.value
        if isinstance(node, yaml.MappingNode):
            inner = [(shape(k, seen), shape(v, seen)) for k, v in inner]
        elif isinstance(node, yaml.SequenceNode):
            inner = [shape(v, seen) for v in inner]
        marks = [(m.line, m.column, m.index) for m in (node.start_mark, node.end_mark)]
        return (type(node).__name__, node.tag, inner, marks)

    composed = 0
    for path in sorted(REPO_ROLES.rglob("*.yaml")) + sorted(BROKEN.rglob("*.y*ml")):
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        try:
            plain = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            with pytest.raises(yaml.YAMLError):
                yaml.compose(text, Loader=QUICK_LOADER)
            continue
        quick = yaml.compose(text, Loader=QUICK_LOADER)
        assert (plain is None) == (quick is None), path
        if plain is not None and quick is not None:
            assert shape(quick) == shape(plain), path
            composed += 1
    assert composed > 300
    # Every implicit type YAML 1.1 resolves, and text that only looks like one.
    sample = "[1, 1.5, .inf, ~, null, true, yes, 2024-01-01, 0x1F, 1_000, '1', \"x\", -1, +2, 9:45, <<]"
    quick, plain = yaml.compose(sample, Loader=QUICK_LOADER), yaml.compose(sample, Loader=yaml.CSafeLoader)
    assert quick is not None and plain is not None and shape(quick) == shape(plain)
    # But one: YAML 1.1's "value key" =, which ours read as the text "=" (comparator: =, #31).
    for loader in (QUICK_LOADER, PLAIN_LOADER):
        node = yaml.compose("=", Loader=loader)
        assert node is not None and (node.tag, node.value) == ("tag:yaml.org,2002:str", "=")
