"""Every sub-command the parser offers has a handler, and each one's --help prints and exits 0."""

from __future__ import annotations

import argparse

import pytest

from generator import cli


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
