"""Chinese in both scripts (#14, items 6 and 10): fixed choices typed in Traditional are stored in
their Simplified form, the zh-Hant locale has every fixed word in Traditional, and a Traditional
handbook of a second fictional company (tests/fixtures/hant) validates and builds, with the site
language taken from its company settings."""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.cli import main
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.model import paths
from generator.model.choices import choice_fields
from generator.model.script import simplified, traditional
from generator.pdf.render import pdf_files
from generator.render.pages import Renderer
from generator.render.views import pdf_name
from generator.site.linkcheck import check_site
from generator.site.searchindex import INDEX_FILE

from .conftest import FIXTURES, copy_project

HANT_ROOT = FIXTURES / "hant"
ZH, HANT = load_locale("zh"), load_locale("zh-Hant")


def _choice_values(model: BaseModel, data: Any) -> typing.Iterator[tuple[str, Any, Any]]:
    """(field, as typed, as stored) for every fixed-choice field in a model tree."""
    if not isinstance(data, dict):
        return
    for name in choice_fields(type(model)):
        if name in data:
            yield name, data[name], getattr(model, name)
    for name, value in data.items():
        sub = getattr(model, name, None)
        if isinstance(value, dict) and isinstance(sub, BaseModel):
            yield from _choice_values(sub, value)
        elif isinstance(value, list) and isinstance(sub, list):
            for item_data, item in zip(value, sub, strict=False):
                if isinstance(item, BaseModel):
                    yield from _choice_values(item, item_data)


def test_traditional_fixed_choices_are_accepted_and_stored_in_simplified() -> None:
    result = validate(HANT_ROOT / "roles", locale=HANT, display_base=HANT_ROOT)
    assert result.problems == []
    hb = result.handbook
    seen_traditional = 0
    for kind, entity in hb.all_entities():
        source = hb.source_of(kind, entity.id)
        for name, typed, stored in _choice_values(entity, source.data):
            pairs = zip(typed if isinstance(typed, list) else [typed], stored if isinstance(stored, list) else [stored],
                        strict=True)
            for as_typed, as_stored in pairs:
                assert as_stored == simplified(as_typed), (entity.id, name, as_typed, as_stored)
                seen_traditional += as_typed != as_stored
    assert seen_traditional >= 3, "the fixture types 會議, 週, 最後一個工作日, 分鐘 …"


def test_zh_hant_has_every_word_of_zh_in_traditional() -> None:
    assert HANT.labels.keys() == ZH.labels.keys() and HANT.problems.keys() == ZH.problems.keys()
    for key, text in HANT.labels.items():
        assert traditional(text) == text, key  # nothing Simplified left
    changed = sum(HANT.labels[k] != ZH.labels[k] for k in ZH.labels)
    assert changed > len(ZH.labels) // 3
    assert set(HANT.key_hints.values()) == set(ZH.key_hints.values())


def test_messages_in_traditional(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(HANT_ROOT, tmp_path / "p")
    role = project.roles / "outbound-lead.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("period: 季", "period: 旬"), encoding="utf-8")
    assert main(["--project", str(project.root), "validate"]) == 1
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if "period" in ln)
    assert traditional(line) == line and simplified(line) != line, "company locale zh-Hant chose the messages"


def test_the_traditional_handbook_builds_in_traditional_with_its_company_in_the_pdf(tmp_path: Path) -> None:
    import pdfplumber

    project = copy_project(HANT_ROOT, tmp_path / "p")
    assert main(["--project", str(project.root), "build", "--engine", "mkdocs"]) == 0
    hb = validate(project.roles, locale=HANT).handbook
    # With its PDFs (the variants' too): every link lands, and the PDFs are the ones the link check expects.
    assert [str(b) for b in check_site(project.site).broken] == []
    written = sorted(p.relative_to(project.site / "pdf").as_posix() for p in (project.site / "pdf").rglob("*.pdf"))
    assert written == sorted(pdf_files(hb)) and any(name.count(".") == 2 for name in written)
    # The body: the head holds mkdocs.yml's own description, which is the project's to translate.
    page = (project.site / "roles" / "outbound-lead" / "index.html").read_text(encoding="utf-8").split("</head>")[1]
    for key in ("duties", "kpi_table", "qualifications", "todo", "jd_relationships"):
        assert HANT.label(key) != ZH.label(key), key  # words that differ between the scripts
        assert HANT.label(key) in page and ZH.label(key) not in page, key
    glossary = (project.site / "glossary" / "index.html").read_text(encoding="utf-8")
    term = hb.terms["crm"]
    assert term.other_script and term.other_script in glossary
    index = json.loads((project.site / INDEX_FILE).read_text(encoding="utf-8"))
    entry = next(p for p in index["pages"] if p["url"] == paths.url("term", "crm"))
    assert term.other_script in entry["names"], "the other spelling is one of the entry's names in search"
    with pdfplumber.open(project.site / "pdf" / "outbound-lead.pdf") as pdf:
        first = pdf.pages[0].extract_text() or ""
    settings = hb.units["company"].company
    assert settings is not None and settings.short_name and settings.short_name in first
    assert HANT.label("pdf_doc_title").replace(" ", "") in first.replace(" ", "")
    assert str(settings.effective_date) in first, "the company's default effective date"


def test_the_fixture_is_written_in_traditional() -> None:
    texts = [p.read_text(encoding="utf-8") for p in (HANT_ROOT / "roles").rglob("*.yaml")]
    for text in texts:
        data = yaml.safe_load(text)
        assert isinstance(data, dict)
    joined = "\n".join(texts)
    assert traditional(joined) == joined.replace("客户管理软件", traditional("客户管理软件")), "only other_script is Simplified"


def test_each_variant_has_its_section_and_its_own_pdf(tmp_path: Path) -> None:
    """#14 item 4: a role in several versions (by branch) shares its fields and differs in named parts."""
    import pdfplumber

    project = copy_project(HANT_ROOT, tmp_path / "p")
    assert main(["--project", str(project.root), "pdf", "outbound-lead", "--out", str(tmp_path / "pdf")]) == 0
    hb = validate(project.roles, locale=HANT).handbook
    role = hb.roles["outbound-lead"]
    assert len(role.variants) >= 2
    page = Renderer(hb, HANT).pages()[paths.page("role", role.id)]
    for variant in role.variants:
        assert f"### {variant.name} {{#variant-{variant.id}}}" in page
        pdf_path = tmp_path / "pdf" / pdf_name(role.id, variant.id)
        assert f"../pdf/{pdf_path.name}" in page
        with pdfplumber.open(pdf_path) as pdf:
            text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "")
        own = role.as_variant(variant.id)
        assert f"{role.title}（{variant.name}）" in text
        for name in variant.parts():
            if name == "hours":
                assert (own.hours or "").replace(" ", "") in text
            if name == "duties":
                assert all(item.text.replace(" ", "") in text for area in own.duties for item in area.items)
        others = [v for v in role.variants if v.id != variant.id]
        assert all(f"{role.title}（{o.name}）" not in text for o in others)
    with pdfplumber.open(tmp_path / "pdf" / pdf_name(role.id)) as pdf:
        base = "".join(p.extract_text() or "" for p in pdf.pages)
    assert all(v.name in base for v in role.variants), "the role's own PDF lists its variants"
