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


def test_a_list_in_an_english_message_is_joined_in_english(tmp_path: Path) -> None:
    """A message that lists things (the shifts a unit has) lists them with the locale's separator."""
    import shutil

    from generator.link.pipeline import validate

    shutil.copytree(ENGLISH / "roles", tmp_path / "roles")
    role = tmp_path / "roles" / "software-engineer.yaml"
    text = role.read_text(encoding="utf-8")
    role.write_text(text.replace("shifts: [office, on-call]", "shifts: [offce, on-call]"), encoding="utf-8")
    en = load_locale("en")
    found = [p for p in validate(tmp_path / "roles", locale=en).problems if p.code == "shift_unknown"]
    assert len(found) == 1
    message, fix = found[0].texts(en)
    known = [s["id"] for s in yaml.safe_load((ENGLISH / "roles" / "engineering.yaml").read_text())["shifts"]]
    assert len(known) > 1 and ", ".join(known) in fix
    assert not CJK.search(message + fix)


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


@pytest.fixture(scope="module", params=["zensical", "mkdocs"])
def english_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The English fixture built by the CLI (PDFs included, as `handbook build` does) with each engine,
    Zensical first: its company settings say locale en, and the site takes its title and language
    from them, mkdocs.yml untouched."""
    engine = str(request.param)
    project = copy_project(ENGLISH, tmp_path_factory.mktemp(f"english-{engine}"))
    assert main(["--project", str(project.root), "build", "--engine", engine]) == 0
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
            written = (ENGLISH / "roles" / f"{ident}.yaml").read_text(encoding="utf-8")
            if key in ("effective_date", "when", "schedule") and f"\n{key}:" not in written:
                continue
            assert en.label(key) in html, (ident, key)
            assert zh.label(key) not in html, (ident, key)


def test_english_role_page_details(english_site: Path) -> None:
    en = load_locale("en")
    html = _page(english_site, "roles/software-engineer")
    for key in ("reports_to", "kpi_table", "career_next", "policies_of_role", "onboarding_link", "approval"):
        assert en.label(key) in html, key
    assert en.label("period_季") in html and "40%" in html
    assert 'lang="en"' in html


def test_english_indexes_and_guides(english_site: Path) -> None:
    en = load_locale("en")
    assert en.label("glossary") in _page(english_site, "glossary")
    assert en.label("kpis") in _page(english_site, "kpis")
    guide = _page(english_site, "editing")
    assert en.label("editguide_title") in guide and en.label("editguide_fields_of").format(kind="role") in guide
    assert (english_site / "pdf" / "software-engineer.pdf").is_file()


#: Chinese and Japanese characters, their punctuation and full-width forms.
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\uff00-\uffef]")


def test_no_chinese_typed_in_the_english_fixture() -> None:
    files = sorted((ENGLISH / "roles").rglob("*.yaml"))
    assert files
    typed = {str(p.relative_to(ENGLISH)): CJK.findall(p.read_text(encoding="utf-8")) for p in files}
    assert {k: v for k, v in typed.items() if v} == {}


def test_english_fixture_is_strictly_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--project", str(ENGLISH), "validate", "--strict"]) == 0, capsys.readouterr().out


def _text_of(path: Path) -> str | None:
    """A built file's text: a PDF's read back with pypdf, any other file as UTF-8 (None when binary)."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def test_no_cjk_character_anywhere_in_the_english_site(english_site: Path) -> None:
    """Every file the build wrote (pages, scripts, styles, the search index, the sitemap, the PDFs)."""
    found: dict[str, list[str]] = {}
    read = 0
    for path in sorted(p for p in english_site.rglob("*") if p.is_file()):
        text = _text_of(path)
        if text is None:
            continue
        read += 1
        hits = [text[max(0, m.start() - 30):m.end() + 30] for m in CJK.finditer(text)]
        if hits:
            found[str(path.relative_to(english_site))] = hits[:3]
    assert read > 20 and any(english_site.rglob("*.pdf"))
    assert found == {}
