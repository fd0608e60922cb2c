"""What a reader relies on: one A per process, checklist items inside their period, nav and glossary order."""

from __future__ import annotations

import posixpath
from pathlib import Path

from pypinyin import lazy_pinyin

from generator.i18n import load_locale
from generator.link import raci
from generator.link.assignments import window
from generator.link.pipeline import validate
from generator.load.problems import format_text
from generator.render.collation import process_key
from generator.render.pages import sorted_terms
from generator.render.views import role_view
from generator.site.navigation import build_nav
from generator.site.theme import page_stamps

from .conftest import REPO

ZH = load_locale("zh")

_UNIT = "kind: unit\nname: 组\n"
_DUTIES = "duties:\n  - area: 日常\n    items: [带队]\n"
_ROLES = "kind: role\ntitle: 组长\nunit: team\n" + _DUTIES, "kind: role\ntitle: 组员\nunit: team\nreports_to: lead\n" + _DUTIES


def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    roles = tmp_path / "roles"
    roles.mkdir()
    for name, text in {"team.yaml": _UNIT, "lead.yaml": _ROLES[0], "member.yaml": _ROLES[1], **files}.items():
        (roles / name).write_text(text, encoding="utf-8")
    return roles


def _messages(tmp_path: Path, files: dict[str, str]) -> list[str]:
    result = validate(_project(tmp_path, files), locale=ZH, display_base=tmp_path)
    return [format_text(p, ZH) for p in result.problems]


def test_a_second_accountable_is_an_error_at_its_part_with_both_fixes(tmp_path: Path) -> None:
    process = (
        "kind: process\ntitle: 早会\nowner: lead\nparticipants:\n"
        "  - role: lead\n    part: responsible\n  - role: member\n    part: accountable\n"
    )
    [message] = _messages(tmp_path, {"standup.yaml": process})
    assert message.startswith("roles/standup.yaml:8:11  participants[1].part  ")
    assert "“member” 也标成了 accountable" in message and "把 owner 改为 member" in message


def test_an_owner_who_only_looks_on_is_an_error(tmp_path: Path) -> None:
    process = "kind: process\ntitle: 早会\nowner: lead\nparticipants:\n  - role: lead\n    part: informed\n"
    [message] = _messages(tmp_path, {"standup.yaml": process})
    assert message.startswith("roles/standup.yaml:6:11  participants[0].part  ")
    assert "R/A" in message


def test_a_checklist_day_outside_its_period_names_the_days_it_may_take(tmp_path: Path) -> None:
    role = _ROLES[1] + "onboarding:\n  - when: 第2周\n    day: 3\n    owner: lead\n    text: 学习\n"
    [message] = _messages(tmp_path, {"member.yaml": role})
    first, last = window("第2周")
    assert message.startswith("roles/member.yaml:10:10  onboarding[0].day  ")
    assert f"{first} 到 {last}" in message


def test_a_checklist_owner_must_be_a_role(tmp_path: Path) -> None:
    role = _ROLES[1] + "onboarding:\n  - when: 第1天\n    owner: leed\n    text: 学习\n"
    [message] = _messages(tmp_path, {"member.yaml": role})
    assert message.startswith("roles/member.yaml:10:12  onboarding[0].owner  ") and "leed" in message


def test_every_sample_process_has_its_owner_as_its_only_a() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    for process in hb.processes.values():
        holders = [rid for rid, part in raci.people(process) if "A" in raci.letters_of(part)]
        assert holders == [process.owner], process.id


def _leaves(items: list[object]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, dict):
            for title, value in item.items():
                out += _leaves(value) if isinstance(value, list) else [(title, str(value))]
    return out


def test_unit_nav_groups_order_processes_by_time_and_the_rest_by_pinyin() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    nav = build_nav(hb, ZH, [])
    groups: dict[str, list[tuple[str, str]]] = {}

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, dict):
                for title, value in item.items():
                    if isinstance(value, list):
                        if title in {ZH.label(k) for k in ("nav_group_roles", "nav_group_processes")}:
                            groups.setdefault(title, []).extend([("|", "|"), *_leaves(value)])
                        walk(value)

    walk(list(nav))
    by_page = {f"processes/{p}.md": hb.processes[p] for p in hb.processes}
    runs = [run for run in _split(groups[ZH.label("nav_group_processes")]) if len(run) > 1]
    assert runs, "no unit lists two processes"
    for run in runs:
        keys = [process_key(by_page[page])[:3] for _title, page in run]
        assert keys == sorted(keys), [t for t, _ in run]
    for run in _split(groups[ZH.label("nav_group_roles")]):
        readings = [[s.strip().lower() for s in lazy_pinyin(title)] for title, _page in run]
        assert readings == sorted(readings), [t for t, _ in run]


def test_a_role_lists_its_processes_in_the_order_of_the_day() -> None:
    """Like the nav: the role page's and PDF's process table by start time, then frequency."""
    hb = validate(REPO / "roles", display_base=REPO).handbook
    checked = 0
    for rid in hb.roles:
        rows = role_view(hb, ZH, rid).value("processes") or ()
        keys = [process_key(hb.processes[row.process.id])[:3] for row in rows]
        assert keys == sorted(keys), (rid, [row.process.name for row in rows])
        checked += len(rows) > 1 and len(set(keys)) > 1
    assert checked, "no role takes part in two processes at different times"


def _split(leaves: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    runs: list[list[tuple[str, str]]] = []
    for leaf in leaves:
        if leaf == ("|", "|"):
            runs.append([])
        else:
            runs[-1].append(leaf)
    return runs


def test_glossary_is_in_pinyin_order_under_letters_and_never_repeats_an_abbreviation() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    letters = sorted_terms(hb)
    terms = [t for _letter, group, _refs in letters for t in group]
    assert sorted(t.id for t in terms) == sorted(hb.terms)
    readings = [[s.strip().lower() for s in lazy_pinyin(t.term)] for t in terms]
    assert readings == sorted(readings)
    for letter, group, _refs in letters:
        assert all(lazy_pinyin(t.term)[0][:1].upper() == letter for t in group), letter
    for term in terms:
        assert term.shown.count(term.abbreviation or "\0") <= 1, term.shown


def test_every_dated_page_gets_its_stamp() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    stamps = page_stamps(hb)
    for role in hb.roles.values():
        if role.effective_date:
            assert stamps[f"roles/{role.id}.md"][0] == role.effective_date.isoformat()
            assert f"roles/{role.id}/onboarding.md" not in stamps, "the checklist is a section of the role page"


def test_every_target_value_on_a_role_page_is_kept_whole() -> None:
    """"≥ 10 分钟/日" never wraps as "分钟/↵日": each target value (and each season's) of every
    role, in the sample and in the rules fixture (seasons, to-be-set targets), sits in a no-break span."""
    import html

    from generator.render.formatting import target
    from generator.render.pages import Renderer

    checked = 0
    for roles in (REPO / "roles", REPO / "tests" / "fixtures" / "rules" / "roles"):
        hb = validate(roles, display_base=REPO).handbook
        renderer = Renderer(hb, ZH)
        for role in hb.roles.values():
            page = html.unescape(renderer.role(role))
            for kpi in role.kpis:
                for value in target(kpi, ZH).split(ZH.label("season_sep")):
                    assert f'<span class="handbook-nobr">{value}</span>' in page, (role.id, value)
                    checked += 1
    assert checked > 10, checked


def test_every_target_value_in_a_pdf_is_kept_whole() -> None:
    """In print's narrow target column each value (≥ 130 通/日) keeps whole, its season's name may wrap."""
    import html
    import re

    from generator.pdf.render import PdfRenderer

    checked = 0
    fixtures = REPO / "tests" / "fixtures"
    for roles, lang in ((REPO / "roles", "zh"), (fixtures / "rules" / "roles", "zh"), (fixtures / "hant" / "roles", "zh-Hant")):
        locale = load_locale(lang)
        hb = validate(roles, display_base=REPO, locale=locale).handbook
        renderer = PdfRenderer(hb, locale)
        for role in hb.roles.values():
            doc = html.unescape(renderer.role_html(role.id))
            kept = set(re.findall(r'<span class="handbook-nobr">([^<]*)</span>', doc))
            for kpi in role.kpis:
                numbers = [kpi.target] if kpi.target is not None else []
                for number_ in [*numbers, *(s.target for s in kpi.seasons)]:
                    value = f"{kpi.comparator or ''} {number_:g} {kpi.unit}".strip()
                    per = f"/{locale.label('period_' + kpi.period)}" if kpi.period else ""
                    assert f"{value}{per}" in kept, (role.id, value, kept)
                    checked += 1
    assert checked > 10, checked


def test_career_paths_share_a_page_per_unit_and_none_is_lost(tmp_path: Path) -> None:
    """Both engines pay per page, and some 900 paths at 1,000 roles were a page each: the paths whose
    entry role is in one unit share that unit's page, each path a section; every path is on exactly
    one page, its old page's URL redirects to its section, and the nav lists a page per unit."""
    from generator.render import compare
    from generator.site.navigation import compare_nav

    from .synthetic import write_project

    project, _ = write_project(tmp_path / "project", 200)
    for hb in (validate(REPO / "roles", display_base=REPO).handbook,
               validate(project.roles, locale=ZH, display_base=project.root).handbook):
        starts = compare.paths_by_start(hb)
        assert starts
        units = compare.by_unit(hb)
        assert sorted(s for found in units.values() for s in found) == sorted(starts)
        assert all(hb.roles[s].unit == uid for uid, found in units.items() for s in found)
        [section] = compare_nav(hb, ZH)
        assert isinstance(section, dict)
        [(_, listed)] = section.items()
        assert listed[0] == compare.INDEX
        pages = [page for _title, page in _leaves(listed[1:])]
        assert sorted(pages) == sorted(compare.page(uid) for uid in units)
        redirects = compare.redirects(hb)
        assert sorted(redirects) == sorted(compare.old_page(s) for s in starts)
        for start in starts:
            target, anchor = compare.location(hb, start)
            href, _, fragment = redirects[compare.old_page(start)].partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(compare.old_page(start)), href))
            assert (resolved, fragment, anchor) == (target.removesuffix(".md"), start, start), href
