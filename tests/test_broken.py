"""The broken-input corpus: every case gives exactly its expected lines, exit code 1 and no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.i18n import available, load_locale
from generator.link.pipeline import validate

from . import corpus

HANDBOOK = Path(sys.executable).with_name("handbook")
_cases = corpus.cases
_project = corpus.project
EXPECTED = corpus.EXPECTED


def test_corpus_is_large_and_fully_described() -> None:
    assert len(_cases()) >= 200
    assert sorted(EXPECTED) == _cases(), "every case needs an entry in expected.yaml, and only cases"
    assert sorted(corpus.FIX_AT) == _cases(), "every case declares where its fix goes, in expected-fix-at.yaml"
    for case, lines in EXPECTED.items():
        assert lines, f"{case}: a broken input must produce at least one line"


def test_context_alone_is_clean(tmp_path: Path) -> None:
    root = _project(tmp_path, None)
    assert validate(root / "roles", display_base=root).problems == []


@pytest.mark.parametrize("case", _cases())
def test_case_prints_exactly_its_lines(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _project(tmp_path, case)
    monkeypatch.chdir(root)
    # The corpus pins the data's own problems; content checks have their own fixture (tests/test_lint.py).
    code = main(["validate", "--lint", "off", "roles"])
    out, err = capsys.readouterr()
    assert out.splitlines() == EXPECTED[case]
    # A silent trap is a warning: shown, but it fails only with --strict.
    assert code == (1 if any(corpus.is_error(line) for line in EXPECTED[case]) else 0)
    assert "Traceback" not in out + err


@pytest.mark.parametrize("case", _cases())
def test_case_is_precise(case: str, tmp_path: Path) -> None:
    """At the declared fix position, with a concrete fix, no English in the Chinese, a message in every locale."""
    verdict = corpus.judge(case, tmp_path)
    assert verdict.reasons == []


def test_the_precision_rules_can_fail(tmp_path: Path) -> None:
    # A case judged against a wrong declared position, and a generic fix, must both count as imprecise.
    case = "integer-is-text"
    saved = corpus.FIX_AT[case]
    try:
        corpus.FIX_AT[case] = "roles/integer-is-text.yaml:1:1"
        assert any("fix is at" in r for r in corpus.judge(case, tmp_path / "a").reasons)
    finally:
        corpus.FIX_AT[case] = saved
    assert "按字段说明改写此处" in corpus.GENERIC_FIXES
    # The leaks the issue found: pydantic's "or", a type name; field names and quoted values pass
    # ("date" became a field name with the approval block's signatures, so the type name is "datetime").
    assert corpus.foreign_words("请改为以下之一：'≥' or '='，而不是datetime", case) == ["or", "datetime"]
    assert corpus.foreign_words("headcount.current 写成 9", case) == []
    assert corpus.foreign_words("“Agentx” 不合规", case, ["Agentx"]) == []


@pytest.mark.parametrize("lang", available())
def test_every_problem_has_a_message_in_every_locale(lang: str, tmp_path: Path) -> None:
    locale = load_locale(lang)
    missing = set()
    for i, case in enumerate(_cases()):
        root = _project(tmp_path / str(i), case)
        for problem in validate(root / "roles", display_base=root).problems:
            if problem.code not in locale.problems:
                missing.add(problem.code)
    assert not missing, f"{lang}.yaml lacks messages for {sorted(missing)}"


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run([str(HANDBOOK), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=60)


def test_cli_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    clean = _project(tmp_path / "clean", None)
    ok = _run("validate", "roles", cwd=clean)
    assert (ok.returncode, ok.stdout.startswith("OK:")) == (0, True), ok.stderr

    broken = _project(tmp_path / "broken", "billion-laughs")
    bad = _run("validate", "roles", cwd=broken)
    assert bad.returncode == 1
    assert bad.stdout.splitlines() == EXPECTED["billion-laughs"]

    one_file = _run("validate", "roles/billion-laughs.yaml", cwd=broken)
    assert (one_file.returncode, one_file.stdout.splitlines()) == (1, EXPECTED["billion-laughs"])
    other_file = _run("validate", "roles/lead.yaml", cwd=broken)
    assert (other_file.returncode, other_file.stdout) == (0, "OK: 1 file(s), no problems\n")

    as_json = _run("validate", "--format", "json", "roles", cwd=broken)
    assert as_json.returncode == 1
    assert [row["code"] for row in json.loads(as_json.stdout)] == ["yaml_alias"]

    missing = _run("validate", "no-such-folder", cwd=clean)
    flag = _run("validate", "--no-such-flag", cwd=clean)
    assert (missing.returncode, flag.returncode) == (2, 2)
    for run in (ok, bad, one_file, other_file, as_json, missing, flag):
        assert "Traceback" not in run.stdout + run.stderr
