"""Problem codes are a closed set: each has its words in every locale, and nothing else does."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from mypy import api as mypy_api

from generator.i18n import available, load_locale
from generator.load.codes import CODES
from generator.load.problems import Problem, format_text

from .conftest import REPO


@pytest.mark.parametrize("lang", available())
def test_every_code_has_a_message_and_a_fix(lang: str) -> None:
    locale = load_locale(lang)
    missing = sorted(code for code in CODES if not locale.problems.get(code, {}).get("message"))
    no_fix = sorted(code for code in CODES if "fix" not in locale.problems.get(code, {}))
    assert missing == [] and no_fix == []


@pytest.mark.parametrize("lang", available())
def test_every_message_is_for_a_code(lang: str) -> None:
    assert sorted(set(load_locale(lang).problems) - CODES) == []


def _literals() -> set[str]:
    out: set[str] = set()
    for path in (REPO / "generator").rglob("*.py"):
        if path.name == "codes.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out.add(node.value)
    return out


def test_every_code_is_reported_somewhere() -> None:
    """A code no module writes is a message no editor can ever see: dead, or a typo on one side."""
    assert sorted(CODES - _literals()) == []


def test_placeholders_are_filled_from_args() -> None:
    """Each code's message and fix only name placeholders, never stray braces."""
    for lang in available():
        for code in CODES:
            entry = load_locale(lang).problems[code]
            for text in (entry["message"], entry.get("fix", "")):
                names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
                assert all(name.isidentifier() for name in names), (lang, code, text)


def test_unknown_code_is_a_bug_not_a_vague_message() -> None:
    problem = Problem("roles/x.yaml", 1, 1, "", "no_such_code")  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        format_text(problem, load_locale())


def test_unknown_code_fails_the_type_checker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # mypy finds `generator` from the project root, as `make lint` runs it
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from generator.load.problems import Problem\n"
        'good = Problem("a.yaml", 1, 1, "", "duplicate_id")\n'
        'bad = Problem("a.yaml", 1, 1, "", "duplicate_idd")\n',
        encoding="utf-8",
    )
    out, _, status = mypy_api.run(
        [str(snippet), "--strict", "--follow-imports=silent", "--cache-dir", str(tmp_path / "cache")]
    )
    assert status == 1
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 1 and "snippet.py:3:" in errors[0] and "duplicate_idd" in errors[0]
