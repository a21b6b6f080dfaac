"""Every option of every command says what it does (`--help` is the first manual)."""

from __future__ import annotations

from collections.abc import Iterator

import click
from click.testing import CliRunner

from sw_policy.cli import main


def _commands(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in sorted(command.list_commands(context)):  # the lazy group's too
            sub = command.get_command(context, name)
            assert sub is not None, name
            yield from _commands(sub, (*path, name))
    else:
        yield path


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        sub = command.get_command(click.Context(command), name)
        assert sub is not None, name
        command = sub
    return command


COMMANDS = list(_commands(main))


def test_the_walk_reaches_every_command():
    assert {p[0] for p in COMMANDS} >= {"check", "diff", "init", "lint", "rules", "test"}
    assert ("rules", "catalogue") in COMMANDS


def test_every_option_has_help_text():
    missing = [
        (" ".join(path), "/".join(param.opts))
        for path in COMMANDS
        for param in _command(path).params
        if isinstance(param, click.Option) and not (param.help or "").strip()
    ]
    assert missing == []


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for path in COMMANDS:
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Example" in result.stdout, path
