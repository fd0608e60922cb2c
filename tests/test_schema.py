"""Help in the editor: committed JSON Schemas, `handbook new` templates, the editing guide, edit buttons."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.editor import schema
from generator.editor.editguide import PAGE
from generator.editor.scaffold import marker
from generator.i18n import load_locale
from generator.link.pipeline import discover, validate
from generator.load.parse import iter_models
from generator.model import fields, registry
from generator.project import Project

from .conftest import FIXTURES, REPO, copy_project

KINDS = {name: kind.model for name, kind in registry.KINDS.items()}

CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
MINI = FIXTURES / "mini"


def _by_kind(roles: Path) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for path in discover(roles):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.setdefault(data["kind"], []).append(path)
    return out


def _jsonschema(kind: str, files: list[Path], folder: Path = REPO / "schema") -> subprocess.CompletedProcess[str]:
    cmd = [str(CHECK_JSONSCHEMA), "--schemafile", str(folder / schema.schema_file(kind)), *map(str, files)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def test_committed_schemas_are_up_to_date() -> None:
    assert schema.stale(REPO / "schema") == [], "run `handbook schema` and commit schema/"


def test_schema_check_command_reports_stale_files(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert main(["--project", str(tmp_path), "schema", "--check"]) == 1
    assert main(["--project", str(tmp_path), "schema"]) == 0
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == sorted(schema.schemas())
    assert main(["--project", str(tmp_path), "schema", "--check"]) == 0


def test_every_field_has_chinese_and_english_help_and_an_example() -> None:
    missing = []
    for model in KINDS.values():
        for cls in iter_models(model):
            for name in cls.model_fields:
                help_ = fields.field_help(cls, name)
                if not (help_.zh and help_.en and help_.example is not None):
                    missing.append(f"{cls.__name__}.{name}")
    assert missing == []


def test_schema_describes_fields_in_both_languages() -> None:
    role = schema.kind_schema("role")
    unit = role["properties"]["unit"]
    zh, en = unit["description"].split("\n\n")
    assert re.search(r"[\u4e00-\u9fff]", zh) and en.isascii()
    assert unit["examples"] and "id" not in role["required"]


def test_every_sample_file_passes_the_independent_validator() -> None:
    groups = _by_kind(REPO / "roles")
    assert set(groups) == set(KINDS)
    for kind, files in groups.items():
        result = _jsonschema(kind, files)
        assert result.returncode == 0, result.stdout + result.stderr


def test_independent_validator_rejects_what_the_models_reject(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    cases = {
        "職責: x": "Additional properties",
        "duties: 3": "is not of type 'array'",
        "id: 坐席 A": "does not match",
    }
    for line, fragment in cases.items():
        bad.write_text(f"kind: role\ntitle: 坐席\nunit: team\n{line}\n", encoding="utf-8")
        result = _jsonschema("role", [bad])
        assert result.returncode == 1 and fragment in result.stdout, (line, result.stdout)


def _fill(text: str, mark: str, ids: dict[str, str]) -> str:
    """Fill every placeholder as an editor would: ids where a reference is needed, text elsewhere."""
    out = []
    for line in text.splitlines():
        if line.rstrip().endswith(f" {mark}") and not line.lstrip().startswith("#"):
            head = line.rstrip()[: -len(mark)].rstrip()
            key = head.strip().removeprefix("- ").rstrip(":")
            value = ids.get(key, "填写的内容")
            line = f"{head} {value}"
        out.append(line)
    return "\n".join(out) + "\n"


def _placeholder_lines(text: str, mark: str) -> list[int]:
    return [i + 1 for i, line in enumerate(text.splitlines())
            if line.rstrip().endswith(f" {mark}") and not line.lstrip().startswith("#")]


@pytest.mark.parametrize("kind", list(KINDS))
def test_new_writes_a_template_that_validates_once_filled(tmp_path: Path, kind: str) -> None:
    project = copy_project(MINI, tmp_path / "p")
    locale = load_locale("zh")
    groups = _by_kind(project.roles)
    unit = groups["unit"][-1].stem
    role = groups["role"][0].stem
    args = ["--project", str(project.root), "new", kind, f"new-{kind}", "--unit", unit]
    assert main(args) == 0
    created = [p for p in project.roles.rglob(f"new-{kind}.yaml")]
    assert len(created) == 1
    path = created[0]
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    assert (path.parent / first.split("=", 1)[1]).resolve() == (REPO / "schema" / f"{kind}.schema.json").resolve() \
        or (path.parent / first.split("=", 1)[1]).resolve() == project.root / "schema" / f"{kind}.schema.json"

    # Unfilled, every placeholder is a located problem, and nothing else is.
    placeholders = _placeholder_lines(text, marker(locale))
    assert placeholders
    problems = [p for p in validate(project.roles, locale=locale).problems if p.file.endswith(path.name)]
    assert sorted({p.line for p in problems}) == placeholders

    # Refuses to overwrite: exit 1, file untouched.
    path.write_text(text + "# edited\n", encoding="utf-8")
    assert main(args) == 1
    assert path.read_text(encoding="utf-8").endswith("# edited\n")

    filled = _fill(text, marker(locale), {"unit": unit, "owner": role, "id": "rule-one", "rank": "1"})
    path.write_text(filled, encoding="utf-8")
    result = validate(project.roles, locale=locale)
    assert [p for p in result.problems if p.file.endswith(path.name)] == []
    (project.root / "schema").mkdir()
    schema.write_schemas(project.root / "schema")
    checked = _jsonschema(kind, [path], project.root / "schema")
    assert checked.returncode == 0, checked.stdout


def test_new_refuses_bad_ids_and_a_taken_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(MINI, tmp_path / "p")
    assert main(["--project", str(project.root), "new", "role", "坐席 A"]) == 2
    taken = _by_kind(project.roles)["role"][0]
    before = taken.read_bytes()
    assert main(["--project", str(project.root), "new", "role", taken.stem]) == 1
    assert taken.read_bytes() == before
    err = capsys.readouterr().err
    assert "“坐席 A” 不能作为 id" in err and f"roles/{taken.name} 已存在，没有覆盖" in err


def test_a_company_starts_from_nothing_unit_then_role_before_any_placeholder_is_filled(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "new-company"
    (root / "roles").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    start = ["--project", str(root), "new"]
    assert main([*start, "unit", "ward"]) == 0
    assert main([*start, "role", "nurse", "--unit", "ward"]) == 0  # the unit's name is still "← 填写"
    assert main([*start, "role", "doctor", "--unit", "wards"]) == 2  # a typo still makes no folder
    assert "“wards”" in capsys.readouterr().err
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*.yaml")) == \
        ["roles/nurse.yaml", "roles/ward.yaml"]


def test_editing_guide_lists_every_field_of_every_kind(sample_project: Project) -> None:
    page = (sample_project.docs / PAGE).read_text(encoding="utf-8")
    assert "\n# 如何编辑岗位资料\n" in page
    for kind, model in KINDS.items():
        section = page.split(f"{{#{kind}}}", 1)[1].split("\n## ", 1)[0]
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert len(rows) == sum(len(cls.model_fields) for cls in iter_models(model)), kind
        for name, info in model.model_fields.items():
            row = next(line for line in rows if line.startswith(f"| `{name}` |"))
            required = "必填" if info.is_required() and name != "id" else "选填"
            assert row.split(" | ")[2] == required, row
    html = (sample_project.site / "editing" / "index.html").read_text(encoding="utf-8")
    assert "如何编辑岗位资料" in html and "wealth-assistant" in html


def test_published_site_has_no_local_paths(sample_project: Project) -> None:
    # Without repo_url there is nowhere public to edit; the build machine's paths must not leak.
    root = sample_project.root.as_posix()
    for page in sample_project.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert 'rel="edit"' not in html, page
        assert root not in html, page


def test_edit_button_opens_the_source_yaml_in_the_live_preview(tmp_path: Path) -> None:
    from .conftest import build_project

    project = copy_project(MINI, tmp_path / "p")
    config = project.mkdocs_yml.read_text(encoding="utf-8")
    # What `handbook serve` passes to MkDocs.
    project.mkdocs_yml.write_text(config + "extra:\n  local_edit: true\n", encoding="utf-8")
    site = build_project(project)
    roles = _by_kind(project.roles)
    for kind, url in (("role", "roles/{}/"), ("process", "processes/{}/"), ("policy", "policies/{}/")):
        path = roles[kind][0]
        html = (site / url.format(path.stem) / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'<a href="([^"]+)"[^>]*rel="edit"', html)
        rel = path.relative_to(project.root).as_posix()
        assert links == [f"vscode://file{project.root.as_posix()}/{rel}"], (kind, links)
    index = (site / "roles" / "index.html").read_text(encoding="utf-8")
    assert 'rel="edit"' not in index  # made from many files: no single source to open
    # The home page is made from the top unit's company settings: its edit button opens that file.
    top = next(p for p in roles["unit"] if "parent:" not in p.read_text(encoding="utf-8"))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="([^"]+)"[^>]*rel="edit"', home) == [
        f"vscode://file{project.root.as_posix()}/{top.relative_to(project.root).as_posix()}"
    ]


def test_edit_button_uses_repo_url_when_set(tmp_path: Path) -> None:
    from .conftest import build_project

    project = copy_project(MINI, tmp_path / "p")
    config = project.mkdocs_yml.read_text(encoding="utf-8")
    project.mkdocs_yml.write_text(
        config + "repo_url: https://git.example.com/hr/handbook\nedit_uri: edit/main/\n", encoding="utf-8"
    )
    site = build_project(project)
    role = _by_kind(project.roles)["role"][0]
    html = (site / "roles" / role.stem / "index.html").read_text(encoding="utf-8")
    assert f'href="https://git.example.com/hr/handbook/edit/main/roles/{role.name}"' in html


def test_the_ci_example_checks_every_kind_the_schema_folder_has() -> None:
    """The example workflow loops over schema/*.schema.json, so no kind is left out (it once named 5 of 8)."""
    workflow = (REPO / "docs" / "ci-example.yml").read_text(encoding="utf-8")
    assert "for schema in schema/*.schema.json" in workflow
    assert sorted(p.stem.removesuffix(".schema") for p in (REPO / "schema").glob("*.schema.json")) == sorted(
        registry.KINDS)
