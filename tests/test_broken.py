"""The broken-input corpus: every case gives exactly its expected lines, exit code 1 and no traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.i18n import available, load_locale
from generator.link.pipeline import validate
from generator.load import source

BROKEN = Path(__file__).resolve().parent / "broken"
CONTEXT = BROKEN / "_context"
EXPECTED: dict[str, list[str]] = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
HANDBOOK = Path(sys.executable).with_name("handbook")


def _too_large(roles: Path) -> None:
    # Valid YAML, one byte over the limit: only the size can be wrong with it.
    head = "kind: role\ntitle: 坐席\nunit: team\nsummary: |\n"
    body = "  " + "填" * 40 + "\n"
    text = head + body * (source.MAX_FILE_BYTES // len(body.encode()) + 1)
    (roles / "too-large.yaml").write_text(text, encoding="utf-8")


#: Cases written at test time instead of being committed.
GENERATED = {"too-large": _too_large}


def _cases() -> list[str]:
    names = [p.name.removesuffix(".yaml") for p in BROKEN.iterdir() if not p.name.startswith(("_", "expected"))]
    return sorted([*names, *GENERATED])


def _project(tmp: Path, case: str | None) -> Path:
    """A folder with roles/ = the valid context plus ``case``'s file(s); returns the folder."""
    roles = tmp / "roles"
    shutil.copytree(CONTEXT, roles)
    if case in GENERATED:
        GENERATED[case](roles)
    elif case is not None:
        path = BROKEN / case
        if path.is_dir():
            shutil.copytree(path, roles, dirs_exist_ok=True)
        else:
            shutil.copy(BROKEN / f"{case}.yaml", roles)
    return tmp


def test_corpus_is_large_and_fully_described() -> None:
    assert len(_cases()) >= 40
    assert sorted(EXPECTED) == _cases(), "every case needs an entry in expected.yaml, and only cases"
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
    code = main(["validate", "roles"])
    out, err = capsys.readouterr()
    assert out.splitlines() == EXPECTED[case]
    assert code == 1
    assert "Traceback" not in out + err


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
