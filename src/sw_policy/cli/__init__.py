"""The `sw-policy` command: a thin shell over the library.

Each subcommand lives in its own module and is registered here. Commands import
the library inside their bodies so `sw-policy --help` starts fast. Exit codes:
0 no mandatory provision failed, 1 at least one did (or a test failed), 2 the
run could not be done.
"""

from __future__ import annotations

import click

from sw_policy._version import __version__

from ._lazy import LazyGroup

# Each command's module is imported when that command runs (or for --help), not before.
_COMMANDS = {
    "check": "._check:check",
    "diff": "._diff:diff",
    "explain": "._explain:explain",
    "init": "._init:init",
    "lint": "._lint:lint",
    "rules": "._rules:rules",
    "schema": "._schema:schema",
    "serve": "._serve:serve",
    "test": "._test:test_command",
    "watch": "._watch:watch",
}

__all__ = ["main"]


@click.group(
    cls=LazyGroup,
    lazy=_COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="sw-policy")
def main() -> None:
    """Check social-work workforce records against cited policy provisions.

    \b
    Examples:
      sw-policy check fixtures/budgets.csv --as-of 2024-06-30
      sw-policy check records.json --format json --only-failures --output report.json
      sw-policy rules show zhejiang-2019.labour-cost-share
      sw-policy explain zhejiang-2019.labour-cost-share --record fixtures/budgets.csv:3
      sw-policy rules coverage
      tail -f events.jsonl | sw-policy watch --as-of 2024-06-30
    """
