"""``handbook lint``: every rule violation in tests/fixtures/lint is marked on its line with
``# lint: rule`` and must be found exactly there (and nothing else found); the PDF pass measures real
PDFs; the sample and the other companies' fixtures break no law; messages name their source in
every language; ``validate`` reports the findings as their own category with their own exit rule."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.i18n import available, load_locale
from generator.link import lint as lint_module
from generator.link.lint import jd_length, lint
from generator.link.pipeline import validate
from generator.load.problems import Problem, Severity, format_github, format_text
from generator.model import paths
from generator.model.lintrules import INFO, RULES, code_of
from generator.pdf.pagecount import page_counts
from generator.pdf.render import PdfRenderer
from generator.render.pages import Renderer
from generator.site.build import make_pdfs

from .conftest import FIXTURES, REPO, copy_project, pdf_texts

LINT = FIXTURES / "lint" / "roles"
_MARKER = re.compile(r"#\s*lint:\s*([a-z, -]+)$")


def _markers(root: Path) -> set[tuple[str, int, str]]:
    """(file name, line, rule) for every ``# lint: a, b`` marker in the fixture."""
    out = set()
    for path in sorted(root.glob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            m = _MARKER.search(line)
            if m:
                out |= {(path.name, number, rule.strip()) for rule in m.group(1).split(",")}
    return out


def _key(p: Problem) -> tuple[str, int, str]:
    return (Path(p.file).name, p.line, "exempt-unused" if p.code == "lint_exempt_unused" else p.rule)


@pytest.fixture(scope="module")
def lint_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    """Page counts of the fixture's real job-description PDFs (WeasyPrint), built once; pypdf's count
    agrees with poppler's."""
    base = tmp_path_factory.mktemp("lint")
    project = copy_project(REPO, base / "project", roles=LINT)
    result = validate(project.roles, locale=load_locale("zh"))
    outcome = make_pdfs(project, load_locale("zh"), base / "pdf", list(result.handbook.roles), validated=result)
    assert outcome.report is not None, outcome
    counts = page_counts(base / "pdf", result.handbook.roles)
    zh = load_locale("zh")
    appendix = zh.label("jd_appendix").format(title=zh.label("onboarding"))
    texts = {rid: pdf_texts(base / "pdf" / f"{rid}.pdf") for rid in counts}
    # poppler's text: the pages before the one the appendix's heading opens
    assert counts == {rid: next((i for i, t in enumerate(pages) if appendix in t), len(pages))
                      for rid, pages in texts.items()}
    assert any(counts[rid] < len(pages) for rid, pages in texts.items())  # an appendix was left out
    return counts


def test_every_marked_violation_is_found_at_its_line_and_nothing_else(lint_pdfs: dict[str, int]) -> None:
    result = validate(LINT)
    assert result.problems == []  # the fixture is valid data: only its content breaks rules
    found = lint(result.handbook) + jd_length(result.handbook, lint_pdfs)
    expected = _markers(LINT)
    assert {_key(p) for p in found} == expected
    # Every rule is exercised by the fixture, and in more than one language where it reads text.
    assert {rule for _f, _l, rule in expected} >= set(RULES)


def test_a_finding_is_an_error_exactly_when_the_law_forbids_it() -> None:
    for p in lint(validate(LINT).handbook):
        if p.code != "lint_exempt_unused":
            assert (p.severity is Severity.ERROR) == INFO[p.rule].error, p


def test_an_exemption_with_its_reason_lifts_the_rule() -> None:
    hb = validate(LINT).handbook
    forklift = hb.roles["forklift-operator"]
    assert forklift.qualifications is not None and forklift.qualifications.age_max == 55
    assert "age-limit" in forklift.lint_exempt
    assert not [p for p in lint(hb) if p.file.endswith("forklift-operator.yaml")]


def test_jd_length_reads_the_real_pdf(lint_pdfs: dict[str, int]) -> None:
    hb = validate(LINT).handbook
    assert set(lint_pdfs) == set(hb.roles)
    flagged = {p.file.rsplit("/", 1)[-1].removesuffix(".yaml") for p in jd_length(hb, lint_pdfs)}
    assert flagged == {rid for rid, count in lint_pdfs.items() if count > 2}
    assert {"store-clerk", "cashier"} <= flagged and len(flagged) < len(lint_pdfs)


@pytest.mark.parametrize("lang", available())
def test_every_message_names_its_source_and_a_fix_in_every_language(lang: str) -> None:
    locale = load_locale(lang)
    found = lint(validate(LINT).handbook)
    for p in found:
        message, fix = p.texts(locale)
        assert "{" not in message and fix, (lang, p.code)
        line = format_text(p, locale)
        assert f"[{p.rule}]" in line and line.startswith(f"{p.file}:{p.line}:{p.col}")
        if p.code != "lint_exempt_unused":
            assert locale.label(f"lint_source_{INFO[p.rule].source}") in message
    sources = {locale.label(f"lint_source_{info.source}") for info in INFO.values()}
    assert len(sources) == len({info.source for info in INFO.values()})  # each named, none the same
    assert {code_of(r) for r in RULES} <= set(locale.problems)


@pytest.mark.parametrize("fixture", ["english", "hant", "group", "mini", "rules"])
def test_no_other_company_asks_for_anything_unlawful(fixture: str) -> None:
    found = lint(validate(FIXTURES / fixture / "roles").handbook)
    assert [p for p in found if p.severity is Severity.ERROR] == []


def test_the_sample_is_clean_or_exempted_with_reasons() -> None:
    hb = validate(REPO / "roles").handbook
    assert [format_text(p, load_locale("en")) for p in lint(hb)] == []
    for _kind, entity in hb.all_entities():
        assert all(len(reason) >= 10 for reason in entity.lint_exempt.values()), entity.id


def test_validate_reports_findings_apart_with_their_own_exit_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roles = tmp_path / "roles"
    shutil.copytree(LINT, roles)
    assert main(["--lang", "en", "validate", str(roles)]) == 1  # forbidden requirements fail by default
    out = capsys.readouterr().out
    assert "OK:" in out and "Content checks" in out and "[gender]" in out
    assert main(["validate", "--lint", "report", str(roles)]) == 0
    assert "[gender]" in capsys.readouterr().out
    assert main(["validate", "--lint", "off", str(roles)]) == 0
    assert "[gender]" not in capsys.readouterr().out
    assert main(["validate", "--format", "github", str(roles)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("::error file=") and "[gender]" in line for line in lines)
    assert any(line.startswith("::warning file=") and "[vague-verb]" in line for line in lines)
    assert main(["validate", "--format", "json", str(roles)]) == 1
    rows = json.loads(capsys.readouterr().out)  # one array: tools read it whole
    assert rows and all(row["rule"] for row in rows) and {"gender", "vague-verb"} <= {row["rule"] for row in rows}
    # Only the file asked about.
    assert main(["lint", str(roles / "delivery-driver.yaml")]) == 1
    assert all("delivery-driver.yaml" in line for line in capsys.readouterr().out.splitlines() if line)


def test_lint_on_the_sample_passes_and_strict_fails_on_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roles = tmp_path / "roles"
    shutil.copytree(REPO / "roles", roles)
    assert main(["--lang", "en", "lint", str(roles)]) == 0
    assert "nothing found" in capsys.readouterr().out
    role = roles / "call-center" / "qa-specialist.yaml"
    role.write_text(role.read_text(encoding="utf-8") + "lint_exempt:\n  gender: 没有性别要求也写了豁免\n",
                    encoding="utf-8")
    assert main(["lint", str(roles)]) == 0
    assert main(["lint", "--strict", str(roles)]) == 1
    assert "lint_exempt.gender" in capsys.readouterr().out


def test_github_lines_carry_rule_and_position() -> None:
    p = next(p for p in lint(validate(LINT).handbook) if p.rule == "gender")
    line = format_github(p, load_locale("zh"))
    assert re.match(rf"::error file={re.escape(p.file)},line={p.line},col={p.col}::\[gender\] ", line)


@pytest.mark.parametrize("lang", available())
def test_exemptions_show_on_the_completeness_page_only(lang: str) -> None:
    locale = load_locale(lang)
    hb = validate(LINT).handbook
    rendered = Renderer(hb, locale).pages()
    reasons = [reason for _k, _i, _r, reason in lint_module.exemptions(hb)]
    assert reasons
    for reason in reasons:
        assert [page for page, text in rendered.items() if reason in text] == [paths.COMPLETENESS]
        for rid in hb.roles:
            assert reason not in PdfRenderer(hb, locale).role_html(rid)
    page = rendered[paths.COMPLETENESS]
    assert locale.label("lint_exempt_heading") in page and "`age-limit`" in page
    assert locale.label("lint_source_age") in page
