"""The `sw-policy` command: a thin shell over the library.

Each command loads the rulebook, calls one library function and maps errors to
exit codes: 0 no mandatory provision failed, 1 at least one did, 2 the run
could not be done (usage, unreadable rules or input). Errors are one line on
standard error, never a traceback. Heavy modules are imported inside commands
so `sw-policy --help` starts fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ._version import __version__

if TYPE_CHECKING:
    from ._rulebook import Rulebook

EXIT_OK, EXIT_FAILURES, EXIT_ERROR = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])

_OUTCOME_COLOURS = {
    "pass": "green",
    "fail": "red",
    "pending": "yellow",
    "insufficient_data": "magenta",
    "not_applicable": "bright_black",
}


def _fail(message: str) -> None:
    click.echo(f"sw-policy: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _policy_errors(func: F) -> F:
    """Turn library errors (and anything unexpected) into one line and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ._errors import PolicyError

        try:
            return func(*args, **kwargs)
        except PolicyError as exc:
            _fail(str(exc))
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")
        except (click.exceptions.Exit, click.ClickException, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            _fail(f"internal error ({type(exc).__name__}: {exc}); please report it")
        return None  # pragma: no cover

    return wrapper  # type: ignore[return-value]


def _rules_options(func: F) -> F:
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


def _load(rules_dir: Path | None, exclude_drafts: bool) -> Rulebook:
    from ._rulebook import load_rulebook

    return load_rulebook(rules_dir, exclude_drafts=exclude_drafts)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="sw-policy")
def main() -> None:
    """Check social-work workforce records against cited policy provisions.

    \b
    Examples:
      sw-policy check fixtures/budgets.csv --as-of 2024-06-30
      sw-policy check records.json --format json --only-failures --output report.json
      sw-policy rules show zhejiang-2019.labour-cost-share
      sw-policy rules coverage
    """


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date to judge at (YYYY-MM-DD) when a record has no as_of. Default: today.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Report format.",
)
@_rules_options
@click.option(
    "--only-failures", is_flag=True, help="List only failing findings (summary counts all)."
)
@click.option(
    "--include-not-applicable", is_flag=True, help="Also list rules that do not apply to a record."
)
@click.option(
    "--kind",
    type=click.Choice(["budget", "worker", "community", "institution", "region"]),
    default=None,
    help="Kind of every record, for files without a kind field or column.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@_policy_errors
def check(
    files: tuple[Path, ...],
    as_of: dt.datetime | None,
    fmt: str,
    rules_dir: Path | None,
    exclude_drafts: bool,
    only_failures: bool,
    include_not_applicable: bool,
    kind: str | None,
    output: Path | None,
) -> None:
    """Check record FILES (CSV, JSON array or JSON Lines) against the rules.

    Every record is either evaluated or listed as rejected with its file, row
    and reason. Exit status: 0 no mandatory failure, 1 at least one, 2 error.

    \b
    Example:
      sw-policy check fixtures/budgets.csv fixtures/workers.json --as-of 2024-06-30
    """
    from ._render_report import render_table

    rulebook = _load(rules_dir, exclude_drafts)
    report = rulebook.check_files(
        files,
        as_of=as_of.date() if as_of else None,
        kind=kind,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
    )
    if fmt == "json":
        _emit(report.to_json(), output)
    else:
        colour = output is None and sys.stdout.isatty()

        def style(text: str, outcome: str) -> str:
            return click.style(text, fg=_OUTCOME_COLOURS[outcome]) if colour else text

        _emit(render_table(report, style=style), output)
    sys.exit(EXIT_FAILURES if report.has_mandatory_failure else EXIT_OK)


@main.group()
def rules() -> None:
    """Show the rulebook: rules, one rule in full, clause coverage."""


@rules.command("list")
@_rules_options
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_policy_errors
def rules_list(rules_dir: Path | None, exclude_drafts: bool, fmt: str) -> None:
    """List every rule with its severity, kind, clause and summary.

    \b
    Example:
      sw-policy rules list --exclude-drafts
    """
    import json

    from ._catalogue import render_rule_list

    rulebook = _load(rules_dir, exclude_drafts)
    if fmt == "json":
        data = [r.model_dump(mode="json", exclude_none=True) for r in rulebook.rules]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_rule_list(rulebook), nl=False)


@rules.command("show")
@click.argument("rule_id")
@_rules_options
@_policy_errors
def rules_show(rule_id: str, rules_dir: Path | None, exclude_drafts: bool) -> None:
    """Show one rule in full: citation, verbatim quote, parameters and condition.

    \b
    Example:
      sw-policy rules show yiyang-2022.demo-community
    """
    from ._catalogue import render_rule

    click.echo(render_rule(_load(rules_dir, exclude_drafts), rule_id), nl=False)


@rules.command("coverage")
@_rules_options
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_policy_errors
def rules_coverage(rules_dir: Path | None, exclude_drafts: bool, fmt: str) -> None:
    """List every numbered clause of every source: encoded by which rule, or why not.

    \b
    Example:
      sw-policy rules coverage --format json
    """
    import json

    from ._catalogue import coverage_rows, render_coverage

    rulebook = _load(rules_dir, exclude_drafts)
    if fmt == "json":
        click.echo(json.dumps(coverage_rows(rulebook), ensure_ascii=False, indent=2))
    else:
        click.echo(render_coverage(rulebook), nl=False)


@rules.command("catalogue")
@_rules_options
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@_policy_errors
def rules_catalogue(rules_dir: Path | None, exclude_drafts: bool, output: Path | None) -> None:
    """Write the Markdown rule catalogue (docs/rule-catalogue.md is made this way).

    \b
    Example:
      sw-policy rules catalogue -o docs/rule-catalogue.md
    """
    from ._catalogue import render_catalogue

    _emit(render_catalogue(_load(rules_dir, exclude_drafts)), output)
