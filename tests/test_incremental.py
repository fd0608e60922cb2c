"""Regenerating with a cache (what ``handbook serve`` does on save) writes exactly what a fresh generate writes."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.load.problems import Problem
from generator.project import Project
from generator.site.generate import generate
from generator.site.incremental import ALL, Cache, Recorder, changed_entries, recording_view

from .conftest import REPO, copy_project

ZH = load_locale("zh")
Edit = Callable[[Path], None]


def _replace(rel: str, old: str, new: str) -> Edit:
    def edit(roles: Path) -> None:
        path = roles / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _write(rel: str, text: str) -> Edit:
    def edit(roles: Path) -> None:
        (roles / rel).write_text(text, encoding="utf-8")

    return edit


def _move(rel: str, to: str) -> Edit:
    def edit(roles: Path) -> None:
        (roles / to).parent.mkdir(parents=True, exist_ok=True)
        (roles / rel).rename(roles / to)

    return edit


def _delete(rel: str) -> Edit:
    def edit(roles: Path) -> None:
        (roles / rel).unlink()

    return edit


LEAD = "call-center/call-center-lead.yaml"
NEW_ROLE = "kind: role\nid: night-shift-rep\ntitle: 夜班坐席\nunit: call-center\nreports_to: call-center-lead\n"
#: Most edits re-render under a third of the pages; these show on more of them. The team
#: lead's title is also on the families × grades matrix, the family and grade pages and the
#: three competency pages it needs (the ladder tables keep other edits of it off those pages).
#: (A quarter until the onboarding checklists became sections of the role pages: 42 pages that an
#: edit seldom touched left the count, while the pages an edit renders again went down, 38 → 36
#: for a duty's text, 78 → 73 for a unit's name.)
MOST = 1 / 3
WIDER = {"unit name": 0.65, "headcount (sums up the org chart)": 0.5, "role title (shown on many pages)": 0.4,
         "broken save, then fixed": 0.4}
EDITS: dict[str, list[Edit]] = {
    "duty text": [_replace(LEAD, "负责新进组员受训后的辅导", "负责新进组员受训后的跟进辅导")],
    "role title (shown on many pages)": [_replace(LEAD, "title: 电销团队长", "title: 电销组长")],
    "unit name": [_replace("call-center/call-center.yaml", "name: 电销中心", "name: 电话销售中心")],
    "headcount (sums up the org chart)": [_replace("call-center/call-center-assistant.yaml", "current: 2", "current: 3")],
    "kpi target": [_replace(LEAD, "    target: 100\n", "    target: 95\n")],
    "move a role to another unit": [_replace("call-center/qa-specialist.yaml", "unit: call-center", "unit: renewal-team")],
    "policy clause": [_replace("renewal/attendance.yaml", "无故迟到或早退一次扣罚 30 元", "无故迟到或早退一次扣罚 40 元")],
    "abbreviation (on every page)": [_replace("glossary/" + sorted(p.name for p in (REPO / "roles" / "glossary").glob("*.yaml"))[0],
                                               "english: Associate Financial Planner", "english: Associate Planner")],
    "new role file": [_write("call-center/night-shift-rep.yaml", NEW_ROLE)],
    "new role, then deleted": [_write("call-center/night-shift-rep.yaml", NEW_ROLE),
                               _delete("call-center/night-shift-rep.yaml")],
    "broken save, then fixed": [_replace(LEAD, "title: 电销团队长", "title: [电销团队长"),
                                _replace(LEAD, "title: [电销团队长", "title: 电销团队长组")],
    "comment only": [_replace(LEAD, "kind: role\n", "kind: role  # 改了注释\n")],
    "file moved to another folder (changes the order)": [_move("call-center/qa-specialist.yaml", "aaa/qa-specialist.yaml")],
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, dict[str, bytes]]:
    """The sample generated once; each test starts from a copy of it, generated folder included."""
    project = copy_project(REPO, tmp_path_factory.mktemp("warm"))
    assert generate(project, ZH).ok
    return project, _tree(project.generated)


@pytest.mark.parametrize("name", sorted(EDITS))
def test_regenerate_after_edit_writes_what_a_fresh_generate_writes(
    name: str, warm: tuple[Project, dict[str, bytes]], tmp_path: Path
) -> None:
    project, before = warm
    incremental = copy_project(project.root, tmp_path / "incremental")
    fresh = copy_project(project.root, tmp_path / "fresh")
    shutil.copytree(project.generated, incremental.generated)
    own = Cache()
    assert generate(incremental, ZH, cache=own).ok  # warm this copy's own cache (paths differ)
    total = own.stats.rendered
    assert own.stats.render_reused == 0 and total > 100
    for edit in EDITS[name]:
        edit(incremental.roles)
        edit(fresh.roles)
        outcome = generate(incremental, ZH, cache=own)
        if not outcome.ok:
            assert outcome.problems, "a failed run says why"
            continue
    assert generate(fresh, ZH).ok
    after = _tree(incremental.generated)
    assert after == _tree(fresh.generated), "incremental output differs from a fresh generate"
    if name not in ("comment only", "new role, then deleted", "file moved to another folder (changes the order)"):
        assert after != before, "the edit changed nothing: the test would prove nothing"
    if name == "abbreviation (on every page)":
        assert own.stats.render_reused == 0, "an abbreviation shows on every page: all are rendered again"
    elif name.startswith("file moved"):
        assert own.stats.parsed == 1, "a moved file is read again under its new name"
    elif name == "comment only":
        assert own.stats.rendered == 0, "equal data renders nothing again"
    else:
        assert 0 < own.stats.rendered < total * WIDER.get(name, MOST), (own.stats.rendered, total)
        assert own.stats.parse_reused > 100 and own.stats.parsed <= 1


def test_a_one_line_edit_rewrites_only_the_pages_showing_it(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "p")
    cache = Cache()
    assert generate(project, ZH, cache=cache).ok
    _replace(LEAD, "负责新进组员受训后的辅导", "负责新进组员受训后的跟进辅导")(project.roles)
    outcome = generate(project, ZH, cache=cache)
    assert outcome.report is not None
    assert outcome.report.written == ["docs/roles/call-center-lead.md"]
    assert cache.stats.parsed == 1


#: The page "open in the browser" while the deferred runs below leave the others for later.
LOOKING_AT = "roles/call-center-lead.md"


@pytest.mark.parametrize("name", sorted(EDITS))
def test_pages_left_for_later_catch_up_to_what_a_fresh_generate_writes(
    name: str, warm: tuple[Project, dict[str, bytes]], tmp_path: Path
) -> None:
    """The live preview renders the open page first (``defer``) and the rest in a second run:
    after that run the folder is what a fresh generate writes, whatever the edit."""
    project, _ = warm
    incremental = copy_project(project.root, tmp_path / "incremental")
    fresh = copy_project(project.root, tmp_path / "fresh")
    shutil.copytree(project.generated, incremental.generated)
    own = Cache()
    assert generate(incremental, ZH, cache=own).ok
    for edit in EDITS[name]:
        edit(incremental.roles)
        edit(fresh.roles)
        generate(incremental, ZH, cache=own, defer=lambda path: path != LOOKING_AT)
        assert LOOKING_AT not in own.deferred, "the open page is never left for later"
    assert generate(fresh, ZH).ok
    assert generate(incremental, ZH, cache=own).ok  # the catch-up, no page deferred
    assert own.deferred == set()
    assert _tree(incremental.generated) == _tree(fresh.generated)


def test_a_deferred_run_renders_the_open_page_and_leaves_the_others_it_changed(tmp_path: Path) -> None:
    now, later = copy_project(REPO, tmp_path / "now"), copy_project(REPO, tmp_path / "later")
    caches = {"now": Cache(), "later": Cache()}
    for key, project in (("now", now), ("later", later)):
        assert generate(project, ZH, cache=caches[key]).ok
        _replace(LEAD, "负责新进组员受训后的辅导", "负责新进组员受训后的跟进辅导")(project.roles)
    assert generate(now, ZH, cache=caches["now"]).ok
    touched = caches["now"].stats.rendered
    assert touched > 1, "the edited role shows on other pages too: the test would prove nothing"
    outcome = generate(later, ZH, cache=caches["later"], defer=lambda path: path != LOOKING_AT)
    assert outcome.report is not None and outcome.report.written == [f"docs/{LOOKING_AT}"]
    assert caches["later"].stats.rendered == 1
    assert len(caches["later"].deferred) == touched - 1
    generate(later, ZH, cache=caches["later"])
    assert caches["later"].stats.rendered == touched - 1 and not caches["later"].deferred


def test_a_kpi_edit_re_renders_one_unit_of_the_kpi_index(tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "p")
    cache = Cache()
    assert generate(project, ZH, cache=cache).ok
    units = cache.stats.fragments_rendered
    assert units > 5 and cache.stats.fragments_reused == 0
    _replace(LEAD, "    target: 100\n", "    target: 95\n")(project.roles)
    outcome = generate(project, ZH, cache=cache)
    assert outcome.report is not None and "docs/kpis/index.md" in outcome.report.written
    assert (cache.stats.fragments_rendered, cache.stats.fragments_reused) == (1, units - 1)
    kpis = (project.docs / "kpis" / "index.md").read_text(encoding="utf-8")
    fresh = copy_project(project.root, tmp_path / "fresh")
    assert generate(fresh, ZH).ok
    assert (fresh.docs / "kpis" / "index.md").read_text(encoding="utf-8") == kpis


def test_recording_view_notes_lookups_and_whole_table_reads() -> None:
    hb = validate(REPO / "roles", locale=ZH).handbook
    recorder = Recorder()
    view = recording_view(hb, recorder)
    recorder.start()
    assert view.get("role", "call-center-lead") is hb.roles["call-center-lead"]
    assert ("tables.role", "call-center-lead") in recorder.current
    assert ("tables.role", ALL) not in recorder.current
    recorder.start()
    assert len(list(view.units.values())) == len(hb.units)
    assert recorder.current == {("tables.unit", ALL)}
    recorder.start()
    assert view.unit_roles["no-such-unit"] == [] and "no-such-unit" not in hb.unit_roles
    assert recorder.current == {("unit_roles", "no-such-unit")}


def test_changed_entries_compare_by_value() -> None:
    old = validate(REPO / "roles", locale=ZH).handbook
    same = validate(REPO / "roles", locale=ZH).handbook  # equal values, different objects
    assert changed_entries(old, same) == set()
    assert changed_entries(None, same) is None
    lead = same.roles["call-center-lead"]
    same.roles["call-center-lead"] = lead.model_copy(update={"title": "改"})
    assert changed_entries(old, same) == {("tables.role", "call-center-lead"), ("tables.role", ALL)}


def test_changed_entries_notice_a_new_order() -> None:
    old = validate(REPO / "roles", locale=ZH).handbook
    new = validate(REPO / "roles", locale=ZH).handbook
    new.tables["role"] = dict(reversed(list(new.roles.items())))  # same entries, listed the other way round
    assert changed_entries(old, new) == {("tables.role", ALL)}


#: Edits that change what references can name, each followed by its undoing: a save keeps
#: each unchanged file's reference problems only while every id they could name is as it was.
REF_EDITS: dict[str, list[Edit]] = {
    "a role renamed, then back": [_move(LEAD, "call-center/call-center-head.yaml"),
                                  _move("call-center/call-center-head.yaml", LEAD)],
    "a clause renamed, then back": [_replace("renewal/attendance.yaml", "- id: late-arrival", "- id: late-coming"),
                                    _replace("renewal/attendance.yaml", "- id: late-coming", "- id: late-arrival")],
    "a broken text reference, then fixed": [
        _replace(LEAD, "负责新进组员受训后的辅导", "负责新进组员受训后的辅导（见 [[role:night-shift-rep]]）"),
        _write("call-center/night-shift-rep.yaml", NEW_ROLE)],
}


@pytest.mark.parametrize("name", sorted(REF_EDITS))
def test_validate_with_a_cache_reports_what_a_fresh_validate_reports(name: str, tmp_path: Path) -> None:
    project = copy_project(REPO, tmp_path / "p")
    cache = Cache()
    first = validate(project.roles, locale=ZH, display_base=project.root, cache=cache).problems
    seen = [first]
    for edit in REF_EDITS[name]:
        edit(project.roles)
        kept = validate(project.roles, locale=ZH, display_base=project.root, cache=cache).problems
        fresh = validate(project.roles, locale=ZH, display_base=project.root).problems
        assert kept == fresh, f"{name}: the cached run differs from a fresh one"
        seen.append(fresh)
    assert any(problems != first for problems in seen), f"{name} changed no problem: the test would prove nothing"


def _again(project: Project, cache: Cache) -> None:
    cache.start(ZH.lang)  # counts afresh, as each generate does
    validate(project.roles, locale=ZH, display_base=project.root, cache=cache)


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files the pipeline reads from now on, in order."""
    import importlib

    from generator.load.source import read_bytes as real

    pipeline = importlib.import_module("generator.link.pipeline")  # `generator.link` is also a function
    reads: list[Path] = []

    def counting(path: Path, rel: str) -> bytes | Problem:
        reads.append(path)
        return real(path, rel)

    monkeypatch.setattr(pipeline, "read_bytes", counting)
    return reads


def test_a_file_whose_stat_is_unchanged_is_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save reads only the files ``stat`` says changed (in the preview at 1,000 roles, reading
    every file was a third of a save's validation); a file rewritten with the same bytes is read
    once, not parsed."""
    monkeypatch.setattr("generator.load.cache.RACY_NS", 0)  # the copies were just written
    project = copy_project(REPO, tmp_path / "p")
    cache = Cache()
    _again(project, cache)
    reads = _counting_reads(monkeypatch)
    _again(project, cache)
    assert reads == [] and cache.stats.parsed == 0 and cache.stats.parse_reused > 40
    lead = project.roles / LEAD
    _replace(LEAD, "负责新进组员受训后的辅导", "负责新进组员受训后的跟进辅导")(project.roles)
    _again(project, cache)
    assert reads == [lead] and cache.stats.parsed == 1
    touched = project.roles / "renewal/attendance.yaml"
    touched.write_bytes(touched.read_bytes())
    reads.clear()
    _again(project, cache)
    assert reads == [touched] and cache.stats.parsed == 0, "same bytes: read, not parsed again"
    reads.clear()
    _again(project, cache)
    assert reads == [], "the touched file's new stamp is kept"


def test_a_file_changed_within_a_clock_tick_is_read_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a clock that counts in seconds, a second save in the same second can keep the stamp:
    a file that recent is read again (its bytes then decide), never trusted by its stamp."""
    monkeypatch.setattr("generator.load.cache.RACY_NS", 10**15)  # every file counts as recent
    project = copy_project(REPO, tmp_path / "p")
    cache = Cache()
    _again(project, cache)
    reads = _counting_reads(monkeypatch)
    _again(project, cache)
    files = sorted(project.roles.rglob("*.yaml"))
    assert sorted(reads) == files and cache.stats.parsed == 0
