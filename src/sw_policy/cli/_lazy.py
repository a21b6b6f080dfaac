"""A click group that imports a subcommand's module only when that command is asked for.

`sw-policy check` then loads the check command alone, not `diff`, `serve` or
`watch`; `sw-policy --help` still lists every command (it imports them all to
read their one-line help), so its output is the same as an eager group's.

While a command runs, pydantic's plugin discovery is switched off
(PYDANTIC_DISABLE_PLUGINS=__all__) unless the user has set that variable: the
discovery reads the metadata of every installed distribution on the first model
built, and the command uses no plugin. The variable is removed again afterwards,
so a program that calls the CLI in-process keeps its own plugins.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

__all__ = ["NO_PLUGINS", "LazyGroup"]

NO_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
"""The variable and value that turn pydantic's plugin discovery off for a CLI run."""


class LazyGroup(click.Group):
    """A group whose commands are named as `name: "module:attribute"` until first used."""

    def __init__(self, *args: object, lazy: dict[str, str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = dict(lazy or {})

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command with pydantic plugins off, unless the user chose otherwise."""
        name, value = NO_PLUGINS
        ours = name not in os.environ
        if ours:
            os.environ[name] = value
        try:
            return super().main(*args, **kwargs)
        finally:
            if ours:
                os.environ.pop(name, None)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            module_name, _, attribute = self.lazy[cmd_name].partition(":")
            module = importlib.import_module(module_name, __package__)
            command = getattr(module, attribute)
            if not isinstance(command, click.Command):  # pragma: no cover - a wiring mistake
                raise TypeError(f"{self.lazy[cmd_name]} is not a click command")
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)
