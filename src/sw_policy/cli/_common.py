"""Shared pieces of the `sw-policy` commands: exit codes, error mapping, rule options.

Each command loads the rulebook, calls one library function and maps errors to
exit codes: 0 no mandatory provision failed, 1 at least one did, 2 the run
could not be done (usage, unreadable rules or input). Errors are one line on
standard error, never a traceback. Heavy modules are imported inside commands
so `sw-policy --help` starts fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook

EXIT_OK, EXIT_FAILURES, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])

OUTCOME_COLOURS = {
    "pass": "green",
    "fail": "red",
    "pending": "yellow",
    "insufficient_data": "magenta",
    "not_applicable": "bright_black",
}


def fail(message: str) -> None:
    from sw_policy.reports.safe_text import escape_controls

    click.echo(f"sw-policy: error: {escape_controls(message)}", err=True)
    sys.exit(EXIT_ERROR)


def policy_errors(func: F) -> F:
    """Turn library errors (and anything unexpected) into one line and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sw_policy.errors import PolicyError

        if sys.stdout is None and kwargs.get("output") is None:  # started with >&-
            fail("standard output is closed: nowhere to write; give --output FILE")
        try:
            return func(*args, **kwargs)
        except PolicyError as exc:
            fail(str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}")
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return None  # pragma: no cover

    return wrapper  # type: ignore[return-value]


def rules_options(func: F) -> F:
    func = click.option(
        "--exclude-drafts",
        is_flag=True,
        help="Leave out rules from draft (征求意见稿) sources.",
    )(func)
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Rules directory to use instead of the bundled rulebook.",
    )(func)


def set_option(func: F) -> F:
    """`--set RULE_ID.PARAM=VALUE` (repeatable): judge with changed parameters, files untouched."""
    return click.option(
        "--set",
        "sets",
        multiple=True,
        metavar="RULE_ID.PARAM=VALUE",
        help="Override a rule parameter for this run (repeatable), "
        "e.g. zhejiang-2019.labour-cost-share.max_share=0.75.",
    )(func)


def with_sets(rulebook: Rulebook, sets: tuple[str, ...]) -> Rulebook:
    """The rulebook with `--set` overrides applied (unchanged when there are none)."""
    if not sets:
        return rulebook
    from sw_policy.rulebook.overrides import parse_overrides

    return rulebook.with_parameters(parse_overrides(sets))


def load(rules_dir: Path | None, exclude_drafts: bool) -> Rulebook:
    from sw_policy.checking.rulebook import load_rulebook

    return load_rulebook(rules_dir, exclude_drafts=exclude_drafts)


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from ._safety import write_atomically

        write_atomically(output, text.encode("utf-8"))


as_of_option = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date to judge at (YYYY-MM-DD) when a record has no as_of. Default: today.",
)
"""`--as-of`, as check, diff and watch all take it."""

kind_option = click.option(
    "--kind",
    type=click.Choice(["budget", "worker", "community", "institution", "region"]),
    default=None,
    help="Kind of every record, for files without a kind field or column.",
)
"""`--kind`, for record files that do not say which kind they hold."""
