"""A click group that imports a subcommand's module only when that command is asked for.

`sw-policy check` then loads the check command alone, not `diff`, `serve` or
`watch`; `sw-policy --help` still lists every command (it imports them all to
read their one-line help), so its output is the same as an eager group's.

While a command runs, pydantic's plugin discovery is switched off
(PYDANTIC_DISABLE_PLUGINS=__all__) unless the user has set that variable: the
discovery reads the metadata of every installed distribution on the first model
built, and the command uses no plugin. The variable is removed again afterwards,
so a program that calls the CLI in-process keeps its own plugins.

A command may also pause the cyclic garbage collector for its start-up (see
`pause_collection`): importing the library and loading the rulebook allocate
some hundred thousand long-lived objects, and collecting them as they come
took about 5 % of a small check, for no garbage found.
"""

from __future__ import annotations

import gc
import importlib
import os
from typing import Any

import click

__all__ = ["NO_PLUGINS", "LazyGroup", "pause_collection", "resume_collection"]

NO_PLUGINS = ("PYDANTIC_DISABLE_PLUGINS", "__all__")
"""The variable and value that turn pydantic's plugin discovery off for a CLI run."""


_PAUSED = "sw_policy.collection_paused"  # set in the context's meta by pause_collection


def pause_collection() -> None:
    """Pause the cyclic collector until `resume_collection` (a command's start-up).

    Only inside a click command, when the collector is on and nothing is frozen (an
    in-process caller may manage it itself); when the command's context closes,
    however the command ended, the collector is on again and nothing stays frozen.
    """
    context = click.get_current_context(silent=True)
    if context is None or not gc.isenabled() or gc.get_freeze_count():
        return
    gc.disable()
    context.meta[_PAUSED] = True
    context.call_on_close(_restore_collection)


def resume_collection() -> None:
    """End the start-up: what it built is frozen (never traversed again), then collect on.

    Frozen objects are still freed when nothing refers to them; only cycles among
    them wait until the command returns.
    """
    context = click.get_current_context(silent=True)
    if context is not None and context.meta.get(_PAUSED) and not gc.isenabled():
        gc.freeze()
        gc.enable()


def _restore_collection() -> None:
    gc.unfreeze()
    gc.enable()


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
