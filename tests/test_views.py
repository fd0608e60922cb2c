"""One view per role, two outputs: every text of a role's view shows on its web pages and in its 岗位说明书.

Cases come from the data: every role of the sample and of each fixture, in zh and en. The
web side is the role page plus its onboarding checklist page (the checklist's own place on
the site); the print side is the PDF's HTML. Both are reduced to the text a reader sees
(Markdown converted as MkDocs does, tags dropped, entities decoded, whitespace removed).
"""

from __future__ import annotations

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
from generator.model import paths
from generator.pdf.render import PdfRenderer
from generator.render.pages import Renderer
from generator.render.views import ROLE_SECTIONS, RoleView, role_view, texts
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
    """What a reader sees of HTML: no tags, entities decoded, no whitespace."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", "", markup, flags=re.S)
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)))


def web_text(project: str, lang: str, rid: str) -> str:
    site = pages(project, lang)
    source = site[paths.page("role", rid)] + "\n\n" + site[paths.onboarding(rid)]
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
    fields = {re.sub(r"\[\d+\]", "", where) for where, _ in texts(view)}
    assert {"title", "unit", "kpis.target", "kpis.metric", "duties.items", "chart.folded"} <= fields
    assert not any(f.startswith(("id", "chart.tree", "onboarding_page")) for f in fields)
    assert isinstance(view, RoleView)


def test_a_text_missing_from_print_fails_the_check() -> None:
    """The check itself can fail: a KPI target cut from the print HTML is reported by field."""
    hb = handbook("sample", "zh")
    rid = next(r for r, role in hb.roles.items() if role.kpis)
    view = role_view(hb, load_locale("zh"), rid)
    paper = printer("sample", "zh").role_html(rid)
    cut = paper.replace(html.escape(view.kpis[0].target), "")
    assert not missing(hb, "zh", view, seen(paper))
    assert ("kpis[0].target", view.kpis[0].target) in missing(hb, "zh", view, seen(cut))


def test_projects_exist() -> None:
    for root in PROJECTS.values():
        assert (Path(root) / "roles").is_dir()


#: Which view fields feed each job-description section; a section whose fields are all empty
#: shows 待补充.
SECTION_DATA = {
    "purpose": ("summary",),
    "duties": ("duties",),
    "authority": ("authority",),
    "relationships": ("relationships", "processes"),
    "qualifications": ("qualifications",),
    "competencies": ("competencies",),
    "kpis": ("kpis",),
    "career": ("career",),
}


def _sections_md(page: str) -> dict[str, str]:
    """Anchor of each ``##`` section → its Markdown up to the next ``##``."""
    parts = re.split(r"^## .+? \{#([\w-]+)\}$", page, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _sections_html(doc: str) -> dict[str, str]:
    """Heading text of each ``<h2>`` section → its HTML up to the next ``<h2>``."""
    parts = re.split(r"<h2>(.*?)</h2>", doc)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.parametrize(("project", "lang", "rid"), CASES, ids=[f"{p}-{lang}-{r}" for p, lang, r in CASES])
def test_sections_follow_the_job_description_order_and_say_when_data_is_missing(
    project: str, lang: str, rid: str
) -> None:
    locale = load_locale(lang)
    view = role_view(handbook(project, lang), locale, rid)
    todo = locale.label("todo")
    web = _sections_md(pages(project, lang)[paths.page("role", rid)])
    paper = _sections_html(printer(project, lang).role_html(rid))
    anchors = [anchor for _, anchor in ROLE_SECTIONS]
    titles = [html.escape(locale.label(key)) for key, _ in ROLE_SECTIONS]
    assert [a for a in web if a in anchors] == anchors
    assert [t for t in paper if t in titles] == titles
    for (key, anchor), title in zip(ROLE_SECTIONS, titles, strict=True):
        if anchor not in SECTION_DATA:
            continue
        empty = not any(getattr(view, name) for name in SECTION_DATA[anchor])
        assert (todo in web[anchor]) == empty, (anchor, empty, web[anchor][:200])
        assert (todo in paper[title]) == empty, (key, empty, paper[title][:200])
