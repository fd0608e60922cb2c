"""The synthetic handbook behind `make bench` is a valid handbook that builds: counts come from its YAML."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from generator.i18n import load_locale
from generator.link.pipeline import validate
from tests.conftest import build_project
from tests.synthetic import unit_count, write_project


def test_synthetic_handbook_is_valid_and_builds(tmp_path: Path) -> None:
    project, synthetic = write_project(tmp_path / "project", 60)
    kinds = Counter(yaml.safe_load(path.read_text(encoding="utf-8"))["kind"] for path in synthetic.files)
    assert kinds["role"] == 60
    assert kinds["unit"] == unit_count(60)
    assert kinds["process"] and kinds["policy"] and kinds["term"]

    result = validate(project.roles, locale=load_locale("zh"), display_base=project.root)
    assert result.problems == []
    hb = result.handbook
    assert (len(hb.roles), len(hb.units), len(hb.processes), len(hb.policies), len(hb.terms)) == (
        kinds["role"], kinds["unit"], kinds["process"], kinds["policy"], kinds["term"],
    )
    # Cross references are really there: every role is linked from somewhere else.
    assert all(hb.referenced_by.get(("role", rid)) or hb.direct_reports.get(rid) or rid in hb.unit_roles.get(
        hb.roles[rid].unit, []) for rid in hb.roles)
    assert sum(len(v) for v in hb.referenced_by.values()) > kinds["role"]

    site = build_project(project)  # strict MkDocs build: every generated link and anchor resolves
    for rid in hb.roles:
        assert (site / "roles" / rid / "index.html").is_file()


def test_same_input_writes_same_bytes(tmp_path: Path) -> None:
    a = write_project(tmp_path / "a", 30)[1]
    b = write_project(tmp_path / "b", 30)[1]
    rel = [p.relative_to(a.roles_dir) for p in a.files]
    assert rel == [p.relative_to(b.roles_dir) for p in b.files]
    assert all((a.roles_dir / r).read_bytes() == (b.roles_dir / r).read_bytes() for r in rel)


def test_large_handbooks_use_40_to_80_units() -> None:
    assert [unit_count(n) for n in (250, 1000, 2000, 5000)] == [40, 40, 80, 80]
