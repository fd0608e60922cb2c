"""Every sub-command the parser offers has a handler, and each one's --help prints and exits 0."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.errors import EXIT_USAGE

from .conftest import FIXTURES, REPO


def _commands() -> list[str]:
    parser = cli._parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(sub.choices)


def test_every_command_has_a_handler_and_no_handler_is_orphaned() -> None:
    assert set(_commands()) == set(cli.COMMANDS)


@pytest.mark.parametrize("command", _commands())
def test_help_of_every_command(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: handbook {command}")


@pytest.mark.parametrize("command", ["build", "serve", "edit"])
def test_a_folder_without_mkdocs_yml_gets_a_message_not_a_traceback(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES / "english" / "roles", tmp_path / "roles")
    code = cli.main(["--project", str(tmp_path), "--lang", "en", command])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert "mkdocs.yml" in err and str(tmp_path) in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roles"]  # nothing written beside the YAML


@pytest.mark.parametrize("command", ["build", "serve", "edit"])
def test_mkdocs_yml_copied_without_the_theme_folder_gets_a_message(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES / "english" / "roles", tmp_path / "roles")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    code = cli.main(["--project", str(tmp_path), "--lang", "en", command])
    err = capsys.readouterr().err
    assert code == EXIT_USAGE
    assert str(tmp_path / "handbook" / ".theme") in err and "handbook init" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mkdocs.yml", "roles"]
