"""Links that never break: every link and anchor resolves, renamed ids keep old URLs working."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.errors import SiteBuildError
from generator.i18n import load_locale
from generator.link import raci
from generator.link.pipeline import validate
from generator.load.problems import format_text
from generator.project import Project
from generator.site.engine import ENGINES, Engine, build_site

from .conftest import build_project

ZH = load_locale("zh")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


# Every link and anchor of every built page, on both engines: tests/test_site_links.py.


POLICY = "kind: policy\ntitle: 考勤\nclauses:\n  - id: {clause}\n{aliases}    text: 迟到扣 30 元\n"
UNIT = "kind: unit\nname: 组\n"
ROLE = "kind: role\ntitle: {title}\nunit: team\n{aliases}duties:\n  - area: x\n    items:\n      - 见 [[policy:rules#late]]\n"


def test_clause_alias_keeps_the_old_anchor(make_project: Callable[..., Project]) -> None:
    project = make_project(
        {
            "team.yaml": UNIT,
            "rules.yaml": POLICY.format(clause="late-arrival", aliases="    aliases: [late]\n"),
            "lead.yaml": ROLE.format(title="组长", aliases=""),
        }
    )
    site = build_project(project)
    policy = _parse(site / "policies" / "rules" / "index.html")
    assert {"late-arrival", "late"} <= policy.ids
    role = (site / "roles" / "lead" / "index.html").read_text(encoding="utf-8")
    assert "policies/rules/#late-arrival" in role, "references through an alias link to the current id"


def test_renaming_a_clause_without_alias_names_every_place_still_using_it(tmp_path: Path) -> None:
    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "team.yaml").write_text(UNIT, encoding="utf-8")
    (roles / "rules.yaml").write_text(POLICY.format(clause="late-arrival", aliases=""), encoding="utf-8")
    (roles / "a.yaml").write_text(ROLE.format(title="甲", aliases=""), encoding="utf-8")
    (roles / "b.yaml").write_text(ROLE.format(title="乙", aliases="policies: [rules#late]\n"), encoding="utf-8")
    lines = [format_text(p, ZH) for p in validate(roles, display_base=tmp_path).problems]
    expected = "制度 “rules” 中没有条款 “late” → 是否想写 “late-arrival”？"
    assert lines == [
        f"roles/a.yaml:7:11  duties[0].items[0]  {expected}",
        f"roles/b.yaml:4:12  policies[0]  {expected}",
        f"roles/b.yaml:8:11  duties[0].items[0]  {expected}",
    ]


def test_renamed_role_leaves_a_redirect_at_its_old_url(make_project: Callable[..., Project]) -> None:
    project = make_project(
        {
            "team.yaml": UNIT,
            "rules.yaml": POLICY.format(clause="late", aliases=""),
            "call-center-lead.yaml": ROLE.format(title="电销团队长", aliases="aliases: [tl]\n"),
        }
    )
    site = build_project(project)
    redirect = (site / "roles" / "tl" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../call-center-lead/"' in redirect
    assert "location.hash" in redirect, "the fragment survives the redirect"
    checklist = (site / "roles" / "tl" / "onboarding" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../call-center-lead/#onboarding"' in checklist, "the old id's checklist address too"
    assert (site / "roles" / "call-center-lead" / "index.html").is_file()


def test_alias_that_collides_with_a_live_id_is_rejected(tmp_path: Path) -> None:
    roles = tmp_path / "roles"
    roles.mkdir()
    (roles / "team.yaml").write_text(UNIT + "aliases: [team]\n", encoding="utf-8")
    lines = [format_text(p, ZH) for p in validate(roles, display_base=tmp_path).problems]
    assert lines == ["roles/team.yaml:3:11  aliases[0]  旧 id “team” 与现有的 id 相同 → 删除这个别名；别名只用来保留改名前的旧链接"]


@pytest.mark.parametrize("engine", ENGINES)
def test_broken_link_in_a_hand_written_page_fails_the_build(make_project: Callable[..., Project], engine: Engine) -> None:
    project = make_project({"team.yaml": UNIT})
    build_project(project)
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    (project.handbook / "guide.md").write_text("# 指南\n\n见 [不存在](roles/nobody.md)。\n", encoding="utf-8")
    from generator.site.generate import generate

    assert generate(project, ZH).ok
    with pytest.raises(SiteBuildError) as err:
        build_site(project, engine=engine)
    # Each engine names the broken link; Zensical also the place (guide.md:3:9), with no colour codes.
    assert any("roles/nobody.md" in m for m in err.value.messages), err.value.messages
    assert not any("\x1b" in m for m in err.value.messages)
    after = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    assert after == before, "a failed build leaves the previous site untouched"


def _table_rows(html: str, heading_id: str) -> list[list[str]]:
    section = html.split(f'id="{heading_id}"', 1)[1]
    table = section.split("<table>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)] for row in rows]


def test_raci_matrix_shows_every_unit_and_one_a_per_process(sample_project: Project) -> None:
    hb = validate(sample_project.roles).handbook
    zh = load_locale("zh")
    html = (sample_project.site / "raci" / "index.html").read_text(encoding="utf-8")
    a_cells = {zh.label(f"raci_cell_{key}") for key in ("owner", "owner_responsible", "chair")}
    units = [uid for uid, pids in hb.unit_processes.items() if pids]
    assert units, "the sample has processes"
    for uid in units:
        rows = _table_rows(html, uid)
        header, body = rows[0], rows[1:]
        assert sorted(row[0] for row in body) == sorted(hb.processes[p].title for p in hb.unit_processes[uid])
        by_title = {hb.processes[p].title: hb.processes[p] for p in hb.unit_processes[uid]}
        for row in body:
            process = by_title[row[0]]
            cells = dict(zip(header[1:], row[1:], strict=True))
            accountable = [title for title, cell in cells.items() if cell in a_cells]
            assert accountable == [hb.roles[process.owner].title], f"{process.id}: A is {accountable}"
            for participant in process.participants:
                title = hb.roles[participant.role].title
                assert cells[title] == zh.label("raci_cell_" + str(raci.part_key(process, participant.role)))


def test_kpi_index_lists_every_call_center_kpi(sample_project: Project) -> None:
    hb = validate(sample_project.roles).handbook
    html = (sample_project.site / "kpis" / "index.html").read_text(encoding="utf-8")
    rows = _table_rows(html, "call-center")[1:]
    expected = [
        (hb.roles[rid].title, kpi.metric) for rid in hb.unit_roles["call-center"] for kpi in hb.roles[rid].kpis
    ]
    assert [(row[0], row[1]) for row in rows] == expected
    assert len(expected) > 3
