"""Company settings in one place (#14, item 5): the PDF header never goes blank, whatever the
number of companies at the top; short name, logo and default effective date come from the
settings of the company a role belongs to."""

from __future__ import annotations

import base64
import textwrap
from pathlib import Path

from generator.history import with_history
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.pdf.render import PdfRenderer
from generator.render.home import site_company
from generator.render.views import role_view

from .conftest import REPO

ZH = load_locale("zh")
LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "roles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root / "roles"


def _role(unit: str) -> str:
    return f"kind: role\ntitle: {unit}坐席\nunit: {unit}\nduties:\n  - area: 销售\n    items: [每日外呼]\n"


def test_two_companies_at_the_top_each_header_names_its_own(tmp_path: Path) -> None:
    roles = _write(tmp_path, {
        "a/a.yaml": "kind: unit\nname: 甲保险公司\n",
        "a/a-rep.yaml": _role("a"),
        "b/b.yaml": "kind: unit\nname: 乙保险公司\n",
        "b/b-rep.yaml": _role("b"),
    })
    result = validate(roles, display_base=tmp_path)
    assert result.problems == []
    hb = result.handbook
    for rid in hb.roles:
        top = hb.units[hb.roles[rid].unit].name
        assert role_view(hb, ZH, rid).company == top
        assert f'<span class="company">{top}</span>' in PdfRenderer(hb, ZH).role_html(rid)
    assert site_company(hb, ZH)[0] == "甲保险公司、乙保险公司"
    # Each PDF's author is its own company, never both.
    for rid in hb.roles:
        top = hb.units[hb.roles[rid].unit].name
        assert f'<meta name="author" content="{top}">' in PdfRenderer(hb, ZH).role_html(rid)


def test_a_group_names_each_company_by_its_settings_with_its_logo_and_default_date(tmp_path: Path) -> None:
    roles = _write(tmp_path, {
        "group.yaml": "kind: unit\nname: 示例集团\ncompany: {name: 示例集团有限公司}\n",
        "life/life.yaml": """
            kind: unit
            name: 寿险公司
            parent: group
            company: {name: 示例人寿保险股份有限公司, short_name: 示例人寿, logo: logo.svg, effective_date: 2025-03-01}
            """,
        "life/dept.yaml": "kind: unit\nname: 电销部\nparent: life\n",
        "life/dept-rep.yaml": _role("dept"),
        "group-rep.yaml": _role("group"),
    })
    (roles / "life" / "logo.svg").write_bytes(LOGO)
    result = validate(roles, display_base=tmp_path)
    assert result.problems == []
    hb = result.handbook
    with_history(hb, tmp_path, roles, ZH)  # no git here: the company default dates what is undated
    renderer = PdfRenderer(hb, ZH)
    life_html = renderer.role_html("dept-rep")
    assert '<span class="company">示例人寿</span>' in life_html
    assert f"data:image/svg+xml;base64,{base64.b64encode(LOGO).decode()}" in life_html
    group_html = renderer.role_html("group-rep")
    assert '<span class="company">示例集团有限公司</span>' in group_html and '<img class="logo"' not in group_html
    assert str(hb.roles["dept-rep"].effective_date) == "2025-03-01"
    assert hb.roles["group-rep"].effective_date is None
    assert site_company(hb, ZH)[0] == "示例集团有限公司"
    assert '<meta name="author" content="示例人寿保险股份有限公司">' in life_html


def test_a_missing_or_oversized_logo_is_an_error_at_the_logo_line(tmp_path: Path) -> None:
    roles = _write(tmp_path, {"co.yaml": "kind: unit\nname: 甲\ncompany:\n  name: 甲公司\n  logo: gone.png\n"})
    problems = validate(roles, display_base=tmp_path).problems
    assert [(p.code, p.line, p.field) for p in problems] == [("logo_missing", 5, "company.logo")]
    (roles / "gone.png").write_bytes(b"\0" * (600 * 1024))
    problems = validate(roles, display_base=tmp_path).problems
    assert [(p.code, p.args.get("size")) for p in problems] == [("logo_too_large", "600 KB")]


def test_the_sample_company_has_its_settings_and_every_pdf_header_names_it() -> None:
    hb = validate(REPO / "roles", display_base=REPO).handbook
    (root,) = hb.root_units()
    settings = hb.units[root].company
    assert settings is not None and settings.short_name and hb.logo_file(root) is not None
    assert {role_view(hb, ZH, rid).company for rid in hb.roles} == {settings.short_name}
