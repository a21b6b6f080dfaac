"""The `sw-policy` command: a thin shell over the library.

Each subcommand lives in its own module and is registered here. Commands import
the library inside their bodies so `sw-policy --help` starts fast. Exit codes:
0 no mandatory provision failed, 1 at least one did (or a test failed), 2 the
run could not be done.
"""

from __future__ import annotations

import click

from sw_policy._version import __version__

from ._check import check
from ._diff import diff
from ._explain import explain
from ._init import init
from ._lint import lint
from ._rules import rules
from ._schema import schema
from ._serve import serve
from ._test import test_command
from ._watch import watch

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


main.add_command(check)
main.add_command(diff)
main.add_command(explain)
main.add_command(init)
main.add_command(lint)
main.add_command(rules)
main.add_command(schema)
main.add_command(serve)
main.add_command(test_command)
main.add_command(watch)
