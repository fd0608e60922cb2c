"""One view per role, two outputs: every text of a role's view shows on its web pages and in its 岗位说明书.

Cases come from the data: every role of the sample and of each fixture, in zh and en. The
web side is the role page (its onboarding checklist a section of it); the print side is the PDF's HTML. Both are reduced to the text a reader sees
(Markdown converted as MkDocs does, tags dropped, entities decoded, whitespace removed).
"""

from __future__ import annotations

import base64
import functools
import html
import re
from pathlib import Path

import markdown
import pytest

from generator.i18n import load_locale
from generator.link.handbook import Handbook
from generator.link.pipeline import validate
from generator.load.problems import Severity
from generator.model import fields, paths
from generator.model.entities import Role
from generator.pdf.render import PdfRenderer
from generator.render.pages import Renderer
from generator.render.views import RoleView, role_view, texts
from generator.render.writer import Writer

from .conftest import FIXTURES, REPO

PROJECTS = {"sample": REPO, "mini": FIXTURES / "mini", "english": FIXTURES / "english", "rules": FIXTURES / "rules"}
LANGS = ("zh", "en")
EXTENSIONS = ["tables", "attr_list", "md_in_html", "generator.site.mdabbr", "admonition", "pymdownx.tasklist"]


@functools.cache
def handbook(project: str, lang: str) -> Handbook:
    root = PROJECTS[project]
    result = validate(root / "roles", locale=load_locale(lang), display_base=root)
    assert not [p for p in result.problems if p.severity is Severity.ERROR], result.problems
    return result.handbook


@functools.cache
def pages(project: str, lang: str) -> dict[str, str]:
    return Renderer(handbook(project, lang), load_locale(lang)).pages()


@functools.cache
def printer(project: str, lang: str) -> PdfRenderer:
    return PdfRenderer(handbook(project, lang), load_locale(lang))


def seen(markup: str) -> str:
    """What a reader sees of HTML: no tags, entities decoded, no whitespace; an image counts as its
    alternative text, and an SVG image (print's org chart) also as the text it draws."""
    markup = re.sub(r"<img\b[^>]*>", _image_text, markup)
    markup = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S)
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)))


def _image_text(tag: re.Match[str]) -> str:
    alt = re.search(r'\balt="([^"]*)"', tag.group(0))
    svg = re.search(r'\bsrc="data:image/svg\+xml;base64,([^"]+)"', tag.group(0))
    drawn = base64.b64decode(svg.group(1)).decode("utf-8") if svg else ""
    return (alt.group(1) if alt else "") + drawn


def web_text(project: str, lang: str, rid: str) -> str:
    site = pages(project, lang)
    source = site[paths.page("role", rid)]
    source = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)  # front matter
    return seen(markdown.markdown(source, extensions=EXTENSIONS))


def cases() -> list[tuple[str, str, str]]:
    out = []
    for project in PROJECTS:
        for lang in LANGS:
            out += [(project, lang, rid) for rid in handbook(project, lang).roles]
    return out


CASES = cases()


def test_cases_cover_every_role_of_every_project() -> None:
    for project in PROJECTS:
        assert handbook(project, "zh").roles, project
    assert len({(p, r) for p, _, r in CASES}) == sum(len(handbook(p, "zh").roles) for p in PROJECTS)


def missing(hb: Handbook, lang: str, view: RoleView, shown: str) -> list[tuple[str, str]]:
    """The view's ``(field, text)`` pairs whose text a reader does not see in ``shown``."""
    plain = Writer(hb, load_locale(lang), output="html")
    return [(where, text) for where, text in texts(view) if seen(plain.text(text)) not in shown]


@pytest.mark.parametrize(("project", "lang", "rid"), CASES, ids=[f"{p}-{lang}-{r}" for p, lang, r in CASES])
def test_every_view_text_is_on_the_web_and_in_print(project: str, lang: str, rid: str) -> None:
    hb = handbook(project, lang)
    view = role_view(hb, load_locale(lang), rid)
    assert list(texts(view)), "a role view holds text"
    assert not missing(hb, lang, view, web_text(project, lang, rid)), f"{rid}: not on the web"
    assert not missing(hb, lang, view, seen(printer(project, lang).role_html(rid))), f"{rid}: not in print"


def test_texts_finds_a_field_that_one_output_would_drop() -> None:
    """The walk reaches nested fields, so a field left out of one template is noticed."""
    hb = handbook("sample", "zh")
    rid = next(r for r, role in hb.roles.items() if role.kpis and role.qualifications and role.duties)
    view = role_view(hb, load_locale("zh"), rid)
    found = {re.sub(r"\[\d+\]", "", where) for where, _ in texts(view)}
    assert {"title", "unit", "kpis.rows.target", "kpis.rows.metric", "duties.items", "chart.folded"} <= found
    assert not any(f.startswith(("id", "chart.tree", "onboarding.role", "compare")) for f in found)
    assert isinstance(view, RoleView)


def test_a_text_missing_from_print_fails_the_check() -> None:
    """The check itself can fail: a KPI target cut from the print HTML is reported by field."""
    hb = handbook("sample", "zh")
    rid = next(r for r, role in hb.roles.items() if role.kpis)
    view = role_view(hb, load_locale("zh"), rid)
    paper = printer("sample", "zh").role_html(rid)
    target = view.value("kpis").rows[0].target
    cut = paper.replace(html.escape(target), "")
    assert not missing(hb, "zh", view, seen(paper))
    assert ("kpis.rows[0].target", target) in missing(hb, "zh", view, seen(cut))


def test_projects_exist() -> None:
    for root in PROJECTS.values():
        assert (Path(root) / "roles").is_dir()


def _sections_md(page: str) -> dict[str, str]:
    """Anchor of each ``##`` section → its Markdown up to the next ``##``."""
    parts = re.split(r"^## .+? \{#([\w-]+)(?: [^}]*)?\}$", page, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _sections_html(doc: str) -> dict[str, str]:
    """Heading text of each ``<h2>`` section → its HTML up to the next ``<h2>``."""
    parts = re.split(r"<h2>(.*?)</h2>", doc)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


#: Sections a page always shows, since a field in them says 待补充 when empty (fields.yaml).
ALWAYS = [s.id for s in fields.sections(Role)
          if any(fields.declared(Role, f).empty == "todo" for f in s.fields if not f.startswith(fields.COMPUTED))]


@pytest.mark.parametrize(("project", "lang", "rid"), CASES, ids=[f"{p}-{lang}-{r}" for p, lang, r in CASES])
def test_sections_follow_the_declared_order_and_say_when_data_is_missing(project: str, lang: str, rid: str) -> None:
    locale = load_locale(lang)
    hb = handbook(project, lang)
    role = hb.roles[rid]
    todo = locale.label("todo")
    web = _sections_md(pages(project, lang)[paths.page("role", rid)])
    paper = _sections_html(printer(project, lang).role_html(rid))
    declared = [s.id for s in fields.sections(Role)]
    assert [a for a in web if a in declared] == [a for a in declared if a in web]
    assert set(ALWAYS) <= set(web)
    titles = {s.id: html.escape(locale.label(s.label)) for s in fields.sections(Role)}
    assert [t for t in paper if t in titles.values()] == [titles[a] for a in declared if titles[a] in paper]
    # A counted field with nothing written (not n/a, nothing standing in for it) says 待补充 in its section.
    for section in fields.sections(Role):
        for name in section.fields:
            decl = fields.declared(Role, name) if not name.startswith(fields.COMPUTED) else None
            if decl is None or not decl.complete or decl.empty != "todo" or name in role.not_applicable:
                continue
            written = getattr(role, name)
            stand_in = any(role_view(hb, locale, rid).value(f) for f in decl.filled_by)
            if not written and not stand_in:
                assert todo in web[section.id], (rid, name)
                assert todo in paper[titles[section.id]], (rid, name)
