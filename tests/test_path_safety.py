"""No id, alias or path from YAML makes the generator write outside handbook/generated or read outside roles/."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from generator.cli import main
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.model import paths
from generator.project import Project
from generator.render.pages import Renderer
from generator.site.generate import generate
from generator.site.output import OnDisk, write_tree

ZH = load_locale("zh")
UNIT = "kind: unit\nname: 电话组\n"
ROLE = "kind: role\ntitle: 坐席\nunit: team\nduties: [{area: 销售, items: [通话]}]\n"
POLICY = "kind: policy\ntitle: 考勤\nclauses:\n  - id: late\n    text: 迟到扣款。\n"

HOSTILE_IDS = [
    "../x", "..", "../../../../tmp/pwned", "a/b", "/etc/passwd", "a\\\\b", "x y", "坐席", "Agent",
    "a--b", "-a", "a-", "a.b", "%2e%2e", "~root", "a\\tb", "x" * 65, "",
]


def _codes(tmp_path: Path, files: dict[str, str]) -> list[str]:
    roles = tmp_path / "roles"
    for rel, text in files.items():
        (roles / rel).parent.mkdir(parents=True, exist_ok=True)
        (roles / rel).write_text(text, encoding="utf-8")
    return [p.code for p in validate(roles, display_base=tmp_path).problems]


@pytest.mark.parametrize("ident", HOSTILE_IDS)
def test_hostile_ids_and_aliases_are_refused(ident: str, tmp_path: Path) -> None:
    quoted = '"' + ident + '"'
    as_id = _codes(tmp_path / "id", {"team.yaml": UNIT, "agent.yaml": f"{ROLE}id: {quoted}\n"})
    as_alias = _codes(tmp_path / "alias", {"team.yaml": UNIT, "agent.yaml": f"{ROLE}aliases: [{quoted}]\n"})
    as_clause = _codes(tmp_path / "clause", {"rules.yaml": POLICY.replace("id: late", f"id: {quoted}")})
    as_ref = _codes(tmp_path / "ref", {"team.yaml": UNIT, "agent.yaml": ROLE.replace("unit: team", f"unit: {quoted}")})
    for codes in (as_id, as_alias, as_clause, as_ref):
        assert codes, f"{ident!r} was accepted"
        # Refused as an id, whichever way the message names the cause (invisible character, capitals,
        # curly quotes, a title or Chinese words typed for an id).
        refusals = {"bad_id", "bad_ref_id", "too_long", "empty_value", "id_invisible_char", "id_uppercase",
                    "ref_curly_quotes", "ref_is_title", "ref_is_title_near", "ref_is_words"}
        assert set(codes) <= refusals, codes


def test_every_generated_path_stays_inside_docs(sample_project: Project) -> None:
    hb = validate(sample_project.roles).handbook
    pages = Renderer(hb, ZH).pages()
    for kind, entity in hb.all_entities():
        pages.setdefault(paths.page(kind, entity.id).partition("#")[0], "")
        for alias in entity.aliases:
            pages.setdefault(paths.redirect(kind, alias), "")
    for rel in pages:
        pure = PurePosixPath(rel)
        assert not pure.is_absolute() and ".." not in pure.parts and "" not in pure.parts, rel


@pytest.mark.parametrize("rel", ["../escape.md", "docs/../../escape.md", "/tmp/escape.md"])
def test_write_tree_refuses_paths_outside_its_folder(rel: str, tmp_path: Path) -> None:
    root = tmp_path / "generated"
    with pytest.raises(ValueError):
        write_tree(root, {rel: b"x"})
    assert not (tmp_path / "escape.md").exists()


def test_symlinked_file_out_of_roles_is_refused_and_never_read(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: term\nterm: 机密-7f3a\ndefinition: 不该出现在手册里。\n", encoding="utf-8")
    project = make_project({"team.yaml": UNIT, "agent.yaml": ROLE})
    os.symlink(secret, project.roles / "secret.yaml")
    result = validate(project.roles, display_base=project.root)
    assert [(p.file, p.code) for p in result.problems] == [("roles/secret.yaml", "outside_link")]
    assert "机密-7f3a" not in repr(result.handbook.terms)
    assert not generate(project, ZH).ok


def test_symlinked_folder_out_of_roles_is_not_read(tmp_path: Path, make_project: Callable[..., Project]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "spy.yaml").write_text("kind: term\nterm: 机密-9c1d\ndefinition: 不该出现。\n", encoding="utf-8")
    project = make_project({"team.yaml": UNIT, "agent.yaml": ROLE})
    os.symlink(outside, project.roles / "linked")
    os.symlink(outside, project.roles / "linked.yaml")  # a folder link named like a file
    result = validate(project.roles, display_base=project.root)
    assert "spy" not in result.handbook.terms
    assert [(p.file, p.code) for p in result.problems] == [("roles/linked.yaml", "outside_link")]


def test_symlink_inside_roles_is_fine(make_project: Callable[..., Project]) -> None:
    project = make_project({"team.yaml": UNIT, "real/agent.yaml": ROLE})
    os.symlink(project.roles / "real", project.roles / "alias-folder")
    os.symlink(project.roles / "team.yaml", project.roles / "team-link.yml")
    result = validate(project.roles, display_base=project.root)
    assert result.problems == []
    assert "team-link" in result.handbook.units, "a file link inside roles/ is read like the file itself"


def test_generated_folder_linked_outside_is_not_written_through(
    tmp_path: Path, make_project: Callable[..., Project], capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({"team.yaml": UNIT, "agent.yaml": ROLE})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("mine", encoding="utf-8")
    project.generated.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(elsewhere, project.generated)
    assert main(["--project", str(project.root), "generate"]) == 1
    assert "handbook/generated:1:1  生成目录是指向别处的链接" in capsys.readouterr().out
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]
    assert (elsewhere / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_links_inside_the_generated_folder_are_removed_not_written_through(tmp_path: Path) -> None:
    root = tmp_path / "generated"
    (root / "docs").mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.md").write_text("mine", encoding="utf-8")
    os.symlink(elsewhere, root / "docs" / "roles")  # a folder link where pages go
    os.symlink(elsewhere / "index.md", root / "docs" / "index.md")  # a file link where a page goes
    report = write_tree(root, {"docs/index.md": b"home", "docs/roles/a/index.md": b"a"})
    assert (elsewhere / "index.md").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in elsewhere.iterdir()) == ["index.md"]
    assert not (root / "docs" / "roles").is_symlink() and not (root / "docs" / "index.md").is_symlink()
    assert (root / "docs" / "roles" / "a" / "index.md").read_bytes() == b"a"
    assert sorted(report.written) == ["docs/index.md", "docs/roles/a/index.md"]


def test_write_tree_keeps_unchanged_files_and_removes_stale_ones(tmp_path: Path) -> None:
    root = tmp_path / "generated"
    write_tree(root, {"docs/a/index.md": b"a", "docs/b/index.md": b"b", "nav.yml": b"n"})
    before = (root / "docs" / "a" / "index.md").stat().st_mtime_ns
    report = write_tree(root, {"docs/a/index.md": b"a", "nav.yml": b"n2"})
    assert (report.written, report.removed, report.unchanged) == (["nav.yml"], ["docs/b/index.md"], 1)
    assert (root / "docs" / "a" / "index.md").stat().st_mtime_ns == before
    assert not (root / "docs" / "b").exists(), "an emptied folder is removed too"


def test_write_tree_trusts_what_it_left_on_disk_but_not_a_file_changed_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "generated"
    on_disk: OnDisk = {}
    files = {"docs/a/index.md": b"a", "docs/b/index.md": b"b"}
    write_tree(root, files, on_disk)
    assert set(on_disk) == set(files)
    changed = root / "docs" / "b" / "index.md"
    changed.write_bytes(b"B")  # the same size, changed behind its back: its time tells
    os.utime(changed, ns=(1, 1))
    report = write_tree(root, files, on_disk)
    assert (report.written, report.unchanged) == (["docs/b/index.md"], 1)
    assert changed.read_bytes() == b"b"

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"read back although nothing changed: {self}")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    report = write_tree(root, files, on_disk)
    assert (report.written, report.unchanged) == ([], 2)
    report = write_tree(root, {"docs/a/index.md": b"a2"}, on_disk)
    assert (report.written, report.removed) == (["docs/a/index.md"], ["docs/b/index.md"])
    assert set(on_disk) == {"docs/a/index.md"}


def test_hand_written_link_out_of_handbook_is_refused_and_never_published(
    tmp_path: Path, make_project: Callable[..., Project]
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# 机密-5e2b\n", encoding="utf-8")
    project = make_project({"team.yaml": UNIT, "agent.yaml": ROLE})
    os.symlink(secret, project.handbook / "leak.md")
    (project.handbook / "guide.md").write_text("# 指南\n", encoding="utf-8")
    os.symlink(project.handbook / "guide.md", project.handbook / "home-again.md")  # a link inside is fine
    outcome = generate(project, ZH)
    assert [(p.file, p.code) for p in outcome.problems] == [("handbook/leak.md", "handbook_outside_link")]
    assert not outcome.ok
    published = [p for p in project.generated.rglob("*") if p.is_file()] if project.generated.exists() else []
    assert all("机密-5e2b" not in p.read_text(encoding="utf-8", errors="replace") for p in published)
    (project.handbook / "leak.md").unlink()
    assert generate(project, ZH).ok
    assert (project.docs / "home-again.md").is_file()
