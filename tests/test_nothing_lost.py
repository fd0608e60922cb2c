"""Nothing is lost: hand-written pages are never overwritten, a failed build keeps the old site, builds repeat."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.i18n import load_locale
from generator.project import Project
from generator.render.pages import Renderer
from generator.site.build import swap_in
from generator.site.engine import build_site

from .conftest import FIXTURES, REPO, build_project, copy_project

ZH = load_locale("zh")
MINI = FIXTURES / "mini"


def _tree(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` by relative path → SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _leftovers(project: Project) -> list[str]:
    return sorted(p.name for p in project.root.iterdir() if p.name.startswith((".site-staging-", ".site-old-")))


@pytest.fixture
def built(tmp_path: Path) -> Project:
    """The mini fixture, copied and built once (site only: PDFs take longer and are not the point here)."""
    project = copy_project(MINI, tmp_path / "mini")
    build_project(project)
    return project


def _break_a_role(project: Project) -> None:
    path = project.roles / "agent.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: phone-team", "unit: nowhere"), encoding="utf-8")


# --- hand-written pages -------------------------------------------------------------


def test_hand_written_page_that_collides_is_an_error_and_stays_untouched(
    built: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = built.handbook / "roles" / "agent.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# 我手写的坐席页\n\n不要覆盖我。\n", encoding="utf-8")
    before_mine, before_generated, before_site = mine.read_bytes(), _tree(built.generated), _tree(built.site)
    capsys.readouterr()

    assert main(["--project", str(built.root), "build", "--engine", "mkdocs"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("handbook/roles/agent.md:1:1  手写页面 “roles/agent.md” 与生成的页面同名")
    assert mine.read_bytes() == before_mine
    assert _tree(built.generated) == before_generated, "nothing was written when the pages clash"
    assert _tree(built.site) == before_site


def test_a_build_never_touches_hand_written_files_or_roles(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    (project.handbook / "guide.md").write_text("# 指南\n\n见[首页](index.md)。\n", encoding="utf-8")
    outside_generated = {k: v for k, v in _tree(project.handbook).items() if not k.startswith("generated/")}
    roles = _tree(project.roles)
    build_project(project)
    build_project(project)
    after = {k: v for k, v in _tree(project.handbook).items() if not k.startswith("generated/")}
    assert after == outside_generated
    assert _tree(project.roles) == roles


# --- failed builds keep the previous site ---------------------------------------------


def test_bad_data_leaves_previous_site_byte_identical(built: Project) -> None:
    site, generated = _tree(built.site), _tree(built.generated)
    _break_a_role(built)
    assert main(["--project", str(built.root), "build", "--engine", "mkdocs"]) == 1
    assert _tree(built.site) == site
    assert _tree(built.generated) == generated, "validation failed, so not one page was rewritten"
    assert _leftovers(built) == []


def test_mkdocs_refusal_leaves_previous_site_byte_identical(built: Project, capsys: pytest.CaptureFixture[str]) -> None:
    site = _tree(built.site)
    (built.handbook / "guide.md").write_text("# 指南\n\n见[不存在的页](missing.md)。\n", encoding="utf-8")
    assert main(["--project", str(built.root), "build", "--engine", "mkdocs"]) == 1
    assert "is unchanged" in capsys.readouterr().err
    assert _tree(built.site) == site
    assert _leftovers(built) == []


def test_crash_midway_through_mkdocs_leaves_site_and_no_staging(
    built: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import mkdocs.commands.build

    site = _tree(built.site)
    real_build = mkdocs.commands.build.build

    def crash_after_some_pages(config: Any, **kwargs: Any) -> None:
        staging = Path(config["site_dir"])
        (staging / "index.html").write_text("half a site", encoding="utf-8")
        raise RuntimeError("simulated crash in the middle of the build")

    monkeypatch.setattr(mkdocs.commands.build, "build", crash_after_some_pages)
    assert main(["--project", str(built.root), "build", "--engine", "mkdocs"]) == 3
    assert "internal error" in capsys.readouterr().err
    assert _tree(built.site) == site
    assert _leftovers(built) == []
    monkeypatch.setattr(mkdocs.commands.build, "build", real_build)


def test_crash_while_rendering_pages_leaves_site(built: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _tree(built.site)

    def boom(self: object) -> dict[str, str]:
        raise RuntimeError("simulated renderer bug")

    monkeypatch.setattr(Renderer, "pages", boom)
    assert main(["--project", str(built.root), "build", "--engine", "mkdocs"]) == 3
    assert _tree(built.site) == site


def test_failed_swap_puts_the_previous_site_back(built: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _tree(built.site)
    staging = build_site(built)
    real_rename = Path.rename

    def rename(self: Path, target: Any) -> Any:
        if self == staging:
            raise OSError("simulated: disk full while swapping")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(OSError):
        swap_in(staging, built.site)
    monkeypatch.undo()
    assert _tree(built.site) == site
    shutil.rmtree(staging)
    assert _leftovers(built) == []


# --- reproducible output ----------------------------------------------------------------

#: Files allowed to differ between two builds of the same input: MkDocs stamps the build date.
DECLARED_TIMESTAMPS = {"sitemap.xml", "sitemap.xml.gz"}


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path: Path) -> None:
    # The same project built twice, a second apart: time may leak only where declared.
    # (The same input in another folder differs more: the theme's "edit" links hold the absolute
    # path of the project. PDFs are not part of this comparison.)
    project = copy_project(REPO, tmp_path / "project")
    first, first_generated = _tree(build_project(project)), _tree(project.generated)
    shutil.copy(project.site / "sitemap.xml", tmp_path / "first-sitemap.xml")
    second = _tree(build_project(project))
    assert sorted(first) == sorted(second), "the same pages exist"
    differ = sorted(rel for rel in first if first[rel] != second[rel])
    assert set(differ) <= DECLARED_TIMESTAMPS, f"undeclared differences: {sorted(set(differ) - DECLARED_TIMESTAMPS)}"
    assert _tree(project.generated) == first_generated
    lastmod = re.compile(r"<lastmod>[^<]*</lastmod>")
    maps = [lastmod.sub("", p.read_text(encoding="utf-8")) for p in (tmp_path / "first-sitemap.xml", project.site / "sitemap.xml")]
    assert maps[0] == maps[1], "the sitemap differs in its dates only"

