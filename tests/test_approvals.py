"""Approval in order (#37 item 2): approvers as data (role, unit, company defaults; nearest wins),
dates ascending, a reviewer who is not the preparer, an approver above the role; a role changed after
its approval date shows 待重新审批 on its page, its PDF and the completeness page, and fails
``validate --strict`` where the company asks for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.history import with_history
from generator.i18n import load_locale
from generator.link import approvals
from generator.link.pipeline import validate
from generator.model import paths
from generator.pdf.render import PdfRenderer
from generator.project import Project
from generator.render.pages import Renderer

from .conftest import FIXTURES, REPO, copy_project
from .history_fixture import make_history
from .test_views import seen

ZH = load_locale("zh")


def test_approvers_resolve_from_role_then_units_then_company() -> None:
    hb = validate(REPO / "roles").handbook
    for rid in hb.unit_roles["call-center"]:
        who = approvers = approvals.approvers(hb, hb.roles[rid])
        assert {s: w[0] for s, w in who.items()} == {
            "prepared": "call-center-assistant", "reviewed": "qa-specialist", "approved": "call-center-manager"}
        assert all(src.rel.endswith("call-center.yaml") for _w, src, _p in approvers.values())
        assert approvals.approver_ids(hb, hb.roles[rid]) == {s: w[0] for s, w in who.items()}
    en = validate(FIXTURES / "english" / "roles").handbook
    (who_en,) = [approvals.approvers(en, r) for r in en.roles.values() if r.reports_to]
    assert who_en["approved"][0] == "team-lead" and who_en["approved"][2] == ("company", "approvers", "approved")


def _problems(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> list[tuple[str, int, str, str]]:
    project = copy_project(REPO, tmp_path / "p")
    for rel, (old, new) in edits.items():
        path = project.roles / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, rel
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [(Path(p.file).name, p.line, p.field, p.code) for p in validate(project.roles).problems]


def test_each_order_rule_is_found_at_its_line(tmp_path: Path) -> None:
    found = _problems(tmp_path, {
        # Reviewed before prepared; reviewer and preparer the same.
        "call-center/call-center-lead.yaml": ("  reviewed: {by: 销售经理, date: 2023-12-25}",
                                              "  reviewed: {by: 人力资源部, date: 2023-12-19}"),
        # The unit names an approver below its roles, and one role as both preparer and reviewer.
        "call-center/call-center.yaml": ("  reviewed: qa-specialist\n  approved: call-center-manager",
                                         "  reviewed: call-center-assistant\n  approved: telesales-rep"),
    })
    assert ("call-center-lead.yaml", 41, "approval.reviewed.date", "approval_dates_order") in found
    assert ("call-center-lead.yaml", 41, "approval.reviewed.by", "approval_same_person") in found
    unit = [f for f in found if f[0] == "call-center.yaml"]
    # Once, where the unit says it, not once per role.
    assert unit.count(("call-center.yaml", 6, "approvers.reviewed", "approval_same_person")) == 1
    # telesales-rep approving: above no role of the unit but (not) itself; each role it is not above is named.
    above = [f for f in unit if f[3] == "approver_not_above"]
    assert above and all(f[1] == 7 and f[2] == "approvers.approved" for f in above)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample with releases: call-center-lead (approved 2023-12-28) changed in 2024.2."""
    return make_history(tmp_path_factory.mktemp("approvals") / "project")


def test_a_role_changed_after_approval_awaits_approval_everywhere(history: Project) -> None:
    hb = validate(history.roles).handbook
    with_history(hb, history.root, history.roles, ZH)
    stale = {rid for rid, r in hb.roles.items() if approvals.changed_since_approval(hb, r)}
    approved = {rid for rid, r in hb.roles.items() if r.approval and r.approval.approved}
    # Generated from the data: approved roles whose content differs from their first release.
    assert "call-center-lead" in stale and stale < approved
    pages = Renderer(hb, ZH).pages()
    label = ZH.label("awaiting_approval")
    for rid in approved:
        page = pages[paths.page("role", rid)]
        pdf = seen(PdfRenderer(hb, ZH).role_html(rid))
        assert (label in page) == (rid in stale) and (label in pdf) == (rid in stale), rid
    completeness = pages[paths.COMPLETENESS]
    assert completeness.count(label) == len(stale)


def test_validate_strict_fails_on_it_only_when_configured(
    history: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(history.root)
    assert main(["validate", "--strict", "--lint", "off"]) == 0
    company = history.roles / "company" / "company.yaml"
    text = company.read_text(encoding="utf-8")
    assert "company:\n" in text
    company.write_text(text.replace("company:\n", "company:\n  stale_approval: warn\n", 1), encoding="utf-8")
    try:
        assert main(["validate", "--lint", "off"]) == 0
        assert main(["validate", "--strict", "--lint", "off"]) == 1
        out = capsys.readouterr().out
        assert re.search(r"call-center-lead\.yaml:42:\d+  approval\.approved\.date  警告: 岗位内容在批准日期 2023-12-28", out)
    finally:
        company.write_text(text, encoding="utf-8")


def test_the_pdf_names_who_prepares_reviews_and_approves() -> None:
    hb = validate(REPO / "roles").handbook
    for rid in hb.unit_roles["call-center"]:
        html = seen(PdfRenderer(hb, ZH).role_html(rid))
        for step, (who, _src, _path) in approvals.approvers(hb, hb.roles[rid]).items():
            label = ZH.label(f"jd_{step}")
            assert seen(f"{label}（{hb.roles[who].title}）") in html, (rid, step)
