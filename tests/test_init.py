"""``handbook init``: a company starts from an empty folder, in each language; the project validates,
takes ``handbook new`` at once and builds on both engines (the default first) with the company's own
name and none of the sample insurer's words; an existing project is never touched."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.i18n import available, load_locale
from generator.project import Project
from generator.site.engine import DEFAULT_ENGINE, ENGINES

from .conftest import REPO, build_project

#: A name per language, none of them the sample's (示例保险公司).
NAMES = {"zh": "晨光社区医院", "zh-Hant": "晨光社區醫院", "en": "Sunrise Community Hospital"}


def _sample_words() -> set[str]:
    """The sample company's own name and short name, read from its top unit."""
    text = next(p for p in (REPO / "roles").rglob("*.yaml") if "company:" in p.read_text(encoding="utf-8"))
    return set(re.findall(r"^\s+(?:name|short_name): (\S+)", text.read_text(encoding="utf-8"), re.MULTILINE))


@pytest.mark.parametrize("lang", sorted(available()))
def test_init_writes_a_project_that_validates_in_its_language(lang: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "hospital"
    assert main(["init", str(root), "--company", NAMES[lang], "--locale", lang]) == 0
    out = capsys.readouterr().out
    assert NAMES[lang] in out and "handbook new role" in out
    top = root / "roles" / "company.yaml"
    assert (root / "mkdocs.yml").is_file() and (root / "schema" / "unit.schema.json").is_file()
    assert "/site/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert main(["--project", str(root), "validate"]) == 0
    # Messages follow the company's language from now on: a new role's template is in it.
    assert main(["--project", str(root), "new", "role", "nurse", "--unit", "company"]) == 0
    marker = load_locale(lang).label("new_marker")
    assert f"title: {marker}" in (root / "roles" / "nurse.yaml").read_text(encoding="utf-8")
    # Again in the same folder: refused, nothing changed.
    before = top.read_bytes()
    assert main(["init", str(root), "--company", "Other", "--locale", lang]) == 1
    assert top.read_bytes() == before and "Other" not in (root / "mkdocs.yml").read_text(encoding="utf-8")


def test_init_refuses_a_bad_id_or_language_and_writes_nothing(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "a"), "--company", "X", "--id", "Top Unit"]) == 2
    assert "“Top Unit”" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()
    (tmp_path / "b" / "roles").mkdir(parents=True)
    assert main(["init", str(tmp_path / "b"), "--company", "X"]) == 1
    assert not (tmp_path / "b" / "mkdocs.yml").exists()


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An English hospital started with init, with one ward and one role filled in as HR would."""
    root = tmp_path_factory.mktemp("init") / "hospital"
    assert main(["init", str(root), "--company", NAMES["en"], "--locale", "en", "--id", "hospital"]) == 0
    assert main(["--project", str(root), "new", "unit", "ward-3", "--unit", "hospital"]) == 0
    assert main(["--project", str(root), "new", "role", "ward-nurse", "--unit", "ward-3"]) == 0
    marker = load_locale("en").label("new_marker")
    fills = {"name": "Ward 3", "title": "Ward nurse", "summary": "Cares for the patients of the ward.",
             "area": "Care", "-": "Check each patient every round and record the vital signs"}
    for path in (root / "roles").rglob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.rstrip().endswith(marker) and not line.lstrip().startswith("#"):
                key = line.strip().removeprefix("- ").split(":")[0] if ":" in line else "-"
                lines[i] = line.replace(marker, fills[key])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["--project", str(root), "validate"]) == 0
    return root


@pytest.mark.parametrize("engine", [DEFAULT_ENGINE, *sorted(set(ENGINES) - {DEFAULT_ENGINE})])
def test_a_started_project_builds_as_the_company_own(started: Path, engine: str) -> None:
    site = build_project(Project(started), lang="en", engine=engine)  # type: ignore[arg-type]
    home = (site / "index.html").read_text(encoding="utf-8")
    assert NAMES["en"] in home.split("</title>")[0]  # the page's title names the company
    assert "Ward nurse" in (site / "roles" / "ward-nurse" / "index.html").read_text(encoding="utf-8")
    words = _sample_words()
    assert words
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not any(word in text for word in words), page
