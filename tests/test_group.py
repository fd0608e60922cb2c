"""A group of two companies in one handbook (tests/fixtures/group): a holding with its site in
Simplified Chinese, one company writing in Simplified and one in Traditional. Each company's
pages and PDFs are in its own language and name its own company, never the other."""

from __future__ import annotations

import functools
import re

import pytest

from generator.i18n import load_locale
from generator.link.handbook import Handbook, company_locale
from generator.link.pipeline import validate
from generator.model import paths
from generator.pdf.render import PdfRenderer
from generator.render.home import site_company, site_name
from generator.render.pages import Renderer

from .conftest import FIXTURES

GROUP = FIXTURES / "group"
ZH = load_locale("zh")


@functools.cache
def handbook() -> Handbook:
    result = validate(GROUP / "roles", locale=ZH, display_base=GROUP)
    assert result.problems == []
    return result.handbook


@functools.cache
def pages() -> dict[str, str]:
    return Renderer(handbook(), ZH).pages()


def _company(rid: str) -> str:
    hb = handbook()
    settings = hb.company_of(hb.roles[rid].unit)
    assert settings is not None
    return settings.name


def _lang(rid: str) -> str:
    hb = handbook()
    return company_locale(hb, hb.roles[rid].unit) or "zh"


ROLES = sorted(handbook().roles)


def test_the_group_has_two_companies_in_two_languages() -> None:
    assert {_lang(rid) for rid in ROLES} == {"zh", "zh-Hant"}
    assert len({_company(rid) for rid in ROLES}) == 2
    assert site_company(handbook(), ZH)[0] == "示例控股集团有限公司"
    assert site_name(handbook(), ZH) == "示例控股集团 岗位手册"


@pytest.mark.parametrize("rid", ROLES)
def test_a_companys_role_page_is_in_its_own_language(rid: str) -> None:
    own, other = load_locale(_lang(rid)), load_locale("zh-Hant" if _lang(rid) == "zh" else "zh")
    page = pages()[paths.page("role", rid)]
    for key in ("duties", "qualifications", "jd_authority", "basic_facts"):
        word = own.label(key)
        assert word in page, (rid, key)
        if word != other.label(key):
            assert other.label(key) not in page, (rid, key)
    assert own.label("onboarding") in page
    assert own.label("onboarding_link") in page, (rid, "the way to the checklist section, in its language")


@pytest.mark.parametrize("rid", ROLES)
def test_a_companys_pdf_names_its_own_company_in_its_language(rid: str) -> None:
    hb = handbook()
    html = PdfRenderer(hb, ZH).role_html(rid)
    lang = _lang(rid)
    assert f'<html lang="{lang}">' in html
    assert f'<meta name="author" content="{_company(rid)}">' in html
    others = {_company(r) for r in ROLES} - {_company(rid)}
    shorts = {hb.company_of(hb.roles[r].unit).short_name for r in ROLES} - {hb.company_of(hb.roles[rid].unit).short_name}  # type: ignore[union-attr]
    for name in others | shorts:
        assert name and name not in html, (rid, name)
    assert load_locale(lang).label("pdf_doc_title") in html


def test_pages_the_group_shares_are_in_the_sites_language() -> None:
    index = pages()[paths.ROLES_INDEX]
    assert ZH.label("roles_index_intro") in index
    home = pages()[paths.HOME]
    assert re.search(r"^# 示例控股集团 岗位手册$", home, flags=re.M)
    assert "欢迎加入示例控股集团" in home
