"""User mistakes are one plain line in the user's language with exit 1 or 2; only bugs show a traceback (exit 3)."""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from generator import compliance, errors
from generator.cli import main
from generator.i18n import available, load_locale

from .conftest import FIXTURES, REPO, copy_project


def _raised_keys() -> dict[str, set[str]]:
    """Locale key → placeholder names, for every ``raise SomeUserError("key", name=…)`` in the package."""
    user_errors = {
        name for name, value in vars(errors).items() if isinstance(value, type) and issubclass(value, errors.UserError)
    }
    found: dict[str, set[str]] = {}
    for path in (REPO / "generator").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            args = node.exc.args
            if name in user_errors and args and isinstance(args[0], ast.Constant) and isinstance(args[0].value, str):
                keys = {kw.arg for kw in node.exc.keywords if kw.arg}
                if name == "FontError":
                    keys.add("path")
                found[args[0].value] = keys
    # The keys the classes choose themselves.
    found["site_refused"] = {"detail"}
    found["pdf_failed"] = {"detail"}
    return found


def test_raise_sites_are_found() -> None:
    keys = _raised_keys()
    assert {"new_bad_kind", "new_bad_id", "new_exists", "no_such_path", "font_missing", "font_no_face"} <= set(keys)


@pytest.mark.parametrize("lang", available())
def test_every_user_error_has_words_with_its_placeholders(lang: str) -> None:
    locale = load_locale(lang)
    for key, given in _raised_keys().items():
        text = locale.label(key)
        wanted = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert wanted <= given, (lang, key, wanted - given)


def test_split_of_exit_codes() -> None:
    assert errors.UsageError.exit_code == errors.EXIT_USAGE == 2
    assert errors.ScaffoldError.exit_code == 2
    assert errors.ScaffoldExists.exit_code == errors.SiteBuildError.exit_code == errors.PdfError.exit_code == 1
    assert issubclass(errors.FontError, errors.PdfError)


def test_user_error_survives_a_worker_process() -> None:
    err = errors.FontError("font_missing", "/nowhere/NotoSansCJK.ttc")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is errors.FontError
    assert back.message(load_locale("en")) == err.message(load_locale("en"))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return copy_project(FIXTURES / "mini", tmp_path / "mini").root


@pytest.mark.parametrize("lang", available())
def test_bad_id_is_a_usage_error_in_the_users_language(
    mini: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", lang, "--project", str(mini), "new", "role", "Bad_ID"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "handbook: " + load_locale(lang).label("new_bad_id").format(id="Bad_ID")
    assert "Traceback" not in err


def test_existing_file_is_a_refusal(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = sorted((mini / "roles").glob("*.yaml"))[0]
    assert main(["--project", str(mini), "new", "role", existing.stem]) == 1
    err = capsys.readouterr().err
    assert existing.relative_to(mini).as_posix() in err and "Traceback" not in err


def test_missing_path_is_a_usage_error(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = mini / "no-such-folder"
    assert main(["--lang", "en", "--project", str(mini), "validate", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"handbook: no such folder or file: {missing}"


def test_missing_font_is_plain_words(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HANDBOOK_CJK_FONT_DIR", str(tmp_path / "no-fonts"))
    assert main(["--project", str(mini), "pdf", "--out", str(tmp_path / "pdf")]) == 1
    err = capsys.readouterr().err
    assert "fonts-noto-cjk" in err and str(tmp_path / "no-fonts") in err and "Traceback" not in err
    assert not (tmp_path / "pdf").exists() or not list((tmp_path / "pdf").glob("*.pdf"))


@pytest.mark.parametrize("lang", available())
def test_unknown_role_for_a_pdf_is_named_in_the_users_language(
    mini: Path, tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", lang, "--project", str(mini), "pdf", "no-such-role", "--out", str(tmp_path / "pdf")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "handbook: " + load_locale(lang).label("no_such_role").format(ids="no-such-role")


def test_a_bug_shows_its_traceback(
    mini: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in the generator")

    monkeypatch.setattr(compliance, "validate", broken)  # the validate command reads through compliance
    assert main(["--project", str(mini), "validate"]) == 3
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: a bug in the generator" in err
