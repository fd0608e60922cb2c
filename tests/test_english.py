"""The English locale: the same keys and placeholders as Chinese, and an English site built with --lang en."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.i18n import LOCALES_DIR, load_locale

from .conftest import FIXTURES, copy_project

ENGLISH = FIXTURES / "english"


def _raw(lang: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((LOCALES_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    return data


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _messages(lang: str) -> dict[str, str]:
    """Every translatable string by a dotted key: labels.x, problems.y.message, problems.y.fix."""
    data = _raw(lang)
    out = {f"labels.{k}": str(v) for k, v in data["labels"].items()}
    for code, entry in data["problems"].items():
        for part, text in entry.items():
            out[f"problems.{code}.{part}"] = str(text)
    return out


def test_english_has_every_key_of_chinese_and_no_other() -> None:
    zh, en = _messages("zh"), _messages("en")
    assert sorted(set(zh) - set(en)) == [], "missing in en.yaml"
    assert sorted(set(en) - set(zh)) == [], "missing in zh.yaml"


def test_each_message_has_the_same_placeholders() -> None:
    zh, en = _messages("zh"), _messages("en")
    differing = {key: (_placeholders(zh[key]), _placeholders(en[key])) for key in zh if key in en}
    assert {k: v for k, v in differing.items() if v[0] != v[1]} == {}


def test_english_key_hints_cover_the_chinese_ones() -> None:
    zh, en = _raw("zh")["key_hints"], _raw("en")["key_hints"]
    assert {k: en.get(k) for k in zh} == zh


def test_english_labels_are_english() -> None:
    # Chinese is allowed only where it is the value an editor types (every_日, weekday_一 keys are
    # Chinese; their English labels are not).
    chinese = {k: v for k, v in _raw("en")["labels"].items() if re.search(r"[\u4e00-\u9fff]", str(v))}
    assert chinese == {}


@pytest.fixture(scope="module")
def english_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English fixture built by the CLI (PDFs included, as `handbook build` does): its company
    settings say locale en, and the site takes its title and language from them, mkdocs.yml untouched."""
    project = copy_project(ENGLISH, tmp_path_factory.mktemp("english"))
    assert main(["--project", str(project.root), "build", "--engine", "mkdocs"]) == 0
    return project.site


def _page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def _ids(kind: str) -> list[str]:
    return sorted(
        p.stem for p in (ENGLISH / "roles").glob("*.yaml") if f"kind: {kind}\n" in p.read_text(encoding="utf-8")
    )


@pytest.mark.parametrize(
    ("kind", "url", "labels"),
    [
        ("role", "roles/{}", ["duties", "basic_facts", "unit", "headcount", "effective_date"]),
        ("process", "processes/{}", ["participants", "steps", "when", "owner", "records"]),
        ("unit", "org/{}", ["roles_of_unit", "schedule", "channel", "org_chart"]),
        ("policy", "policies/{}", ["clauses", "applies_to"]),
    ],
)
def test_english_labels_on_built_pages(english_site: Path, kind: str, url: str, labels: list[str]) -> None:
    en, zh = load_locale("en"), load_locale("zh")
    ids = _ids(kind)
    assert ids
    for ident in ids:
        html = _page(english_site, url.format(ident))
        for key in labels:
            if (key == "effective_date" and ident != "team-lead") or (key == "schedule" and kind != "unit"):
                continue
            assert en.label(key) in html, (ident, key)
            assert zh.label(key) not in html, (ident, key)


def test_english_role_page_details(english_site: Path) -> None:
    en = load_locale("en")
    html = _page(english_site, "roles/agent")
    for key in ("reports_to", "kpi_table", "career_next", "policies_of_role", "onboarding_link"):
        assert en.label(key) in html, key
    assert en.label("period_日") in html and en.label("penalty") in html
    assert 'lang="en"' in html


def test_english_indexes_and_guides(english_site: Path) -> None:
    en = load_locale("en")
    assert en.label("glossary") in _page(english_site, "glossary")
    assert en.label("kpis") in _page(english_site, "kpis")
    guide = _page(english_site, "editing")
    assert en.label("editguide_title") in guide and en.label("editguide_fields_of").format(kind="role") in guide
    assert (english_site / "pdf" / "agent.pdf").is_file()
