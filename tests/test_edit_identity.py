"""``handbook edit``'s check of a change reuses what earlier checks parsed and found (parsed files,
results kept by the objects they read); it must give exactly the problems a full ``validate`` of the
same drafts gives from nothing.

The edits are made from the data, on a file of every kind in the sample, in every fixture and in a
synthetic handbook (tests/synthetic.py, 40 roles), one after another on one workspace (so each
check runs warm from the last): a reference changed to an id that does not exist, a reference to the entity itself (a loop), the id renamed (through the form,
as an editor renames), a list's first item deleted, the YAML broken, a second file with the same
id. After each, the workspace's result is compared, problem for problem (file, line, column,
field, code, words, severity, order), with ``validate(drafts=…)`` run with no cache and every kept
result bypassed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.editor import roundtrip
from generator.editor.formdata import display
from generator.editor.forms import kind_form
from generator.editor.workspace import Workspace
from generator.i18n import load_locale
from generator.link.pipeline import Result, validate
from generator.memo import bypassed
from generator.model.declare import ANY_KIND, refs
from generator.model.entities import Entity
from generator.project import Project, company_locale
from tests.conftest import FIXTURES, REPO
from tests.synthetic import write_project

PROJECTS: dict[str, Path | None] = {"sample": REPO / "roles", "synthetic": None} | {
    f.name: f / "roles" for f in sorted(FIXTURES.iterdir()) if (f / "roles").is_dir()
}
"""Each project's ``roles/``; None: a synthetic handbook of 40 roles (the bench's, smaller), whose
every role reports up a line and cites processes, policies and terms."""

Drafts = dict[Path, bytes | None]


def _full(ws: Workspace, drafts: Drafts) -> Result:
    with bypassed():
        return validate(ws.project.roles, locale=ws.locale, display_base=ws.project.root, drafts=drafts)


def _same(ws: Workspace, got: Result, drafts: Drafts, what: str) -> None:
    want = _full(ws, drafts)
    assert got.problems == want.problems, what
    assert got.files == want.files, what


def _one_file_per_kind(ws: Workspace) -> Iterator[tuple[str, Entity, Path]]:
    assert ws.last is not None
    hb = ws.last.handbook
    for kind in sorted(hb.tables):
        table = hb.table(kind)
        if table:
            # The one with the most references (ties: the first id), so the edits below have most to change.
            ident = min(table, key=lambda i: (-len(list(refs(table[i]))), i))
            yield kind, table[ident], hb.source_of(kind, ident).path


def _text_edits(entity: Entity, path: Path) -> Iterator[tuple[str, str, Drafts]]:
    """(edit, what, drafts) for the edits made to the file's text."""
    original = path.read_text(encoding="utf-8")
    raw = roundtrip.load(original)
    found = [r for r in refs(entity) if not r.is_key and r.path[0] in raw]
    for ref in found[:1]:
        missing = roundtrip.edit(original, [roundtrip.Edit("set", ref.path, f"{ref.value}-nowhere")])
        yield "missing", f"{path.name}: {'.'.join(map(str, ref.path))} to a missing id", {path: missing.encode()}
    own = [r for r in found if r.to.kind not in (ANY_KIND,) and not r.to.clause and r.to.kind == _kind(entity)]
    for ref in own[:1]:
        loop = roundtrip.edit(original, [roundtrip.Edit("set", ref.path, entity.id)])
        yield "itself", f"{path.name}: {'.'.join(map(str, ref.path))} to itself", {path: loop.encode()}
    lists = [k for k, v in raw.items() if isinstance(v, list) and v]
    for key in lists[:1]:
        fewer = roundtrip.edit(original, [roundtrip.Edit("delete", (key, 0))])
        yield "deleted", f"{path.name}: first of {key} deleted", {path: fewer.encode()}
    yield "broken", f"{path.name}: YAML broken", {path: (original + "\nbroken: [not closed\n").encode()}
    yield "copy", f"{path.name}: a second file with its id", {path.with_name(f"{path.stem}-copy.yaml"): original.encode()}


def _kind(entity: Entity) -> str:
    from generator.link.handbook import kind_of

    return kind_of(entity)


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_a_kept_check_gives_the_problems_of_a_full_validate(name: str, tmp_path: Path) -> None:
    source = PROJECTS[name]
    if source is None:
        project, _ = write_project(tmp_path, 40)
    else:
        shutil.copytree(source, tmp_path / "roles")
        project = Project(tmp_path)
    ws = Workspace(project, load_locale(company_locale(project.roles) or "zh"))
    _same(ws, ws.refresh(), {}, "as on disk")
    made: set[str] = set()
    for kind, entity, path in list(_one_file_per_kind(ws)):
        for edit, what, drafts in _text_edits(entity, path):
            _same(ws, ws.validate_drafts(drafts), drafts, what)
            made.add(edit)
        # The id renamed through the form, as an editor does it: the file moves, the old id becomes an alias.
        rel = ws.rel(path)
        sent = display(kind_form(kind, ws.locale.lang), ws.open(rel).raw)
        sent["id"] = f"{entity.id}-renamed"
        result = ws.check(rel, sent)
        assert result.renamed_from == entity.id
        moved: Drafts = {result.target: result.text.encode(), path: None}
        assert ws.last is not None
        _same(ws, ws.last, moved, f"{path.name}: renamed")
        mine = ws.rel(result.target)
        assert result.problems == [p for p in ws.last.problems if p.file == mine]
        made.add("renamed")
    _same(ws, ws.validate_drafts({}), {}, "back as on disk")
    assert made >= {"missing", "itself", "deleted", "broken", "copy", "renamed"}
