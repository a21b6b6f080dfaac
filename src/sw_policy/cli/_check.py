"""`sw-policy check`: judge record files against the rulebook and report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ._common import (
    EXIT_FAILURES,
    EXIT_OK,
    OUTCOME_COLOURS,
    emit,
    load,
    policy_errors,
    rules_options,
)


@click.command()
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
@rules_options
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
@click.option(
    "--engine",
    type=click.Choice(["auto", "row", "columnar"]),
    default="auto",
    show_default=True,
    help="row: one record at a time; columnar: Polars, for large inputs (same report). "
    "auto: columnar from 20 000 records (1 MB of input).",
)
@policy_errors
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
    engine: str = "auto",
) -> None:
    """Check record FILES (CSV, JSON array or JSON Lines) against the rules.

    Every record is either evaluated or listed as rejected with its file, row
    and reason. Exit status: 0 no mandatory failure, 1 at least one, 2 error.

    \b
    Example:
      sw-policy check fixtures/budgets.csv fixtures/workers.json --as-of 2024-06-30
    """
    from sw_policy._render_report import render_table

    rulebook = load(rules_dir, exclude_drafts)
    if engine == "columnar" or (engine == "auto" and _large(files)):
        from ._check_columnar import check_columnar_cli

        check_columnar_cli(
            rulebook,
            files,
            as_of=as_of.date() if as_of else None,
            kind=kind,
            include_not_applicable=include_not_applicable,
            only_failures=only_failures,
            fmt=fmt,
            output=output,
        )
        return
    report = rulebook.check_files(
        files,
        as_of=as_of.date() if as_of else None,
        kind=kind,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
    )
    if fmt == "json":
        emit(report.to_json(), output)
    else:
        colour = output is None and sys.stdout.isatty()

        def style(text: str, outcome: str) -> str:
            return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

        emit(render_table(report, style=style), output)
    sys.exit(EXIT_FAILURES if report.has_mandatory_failure else EXIT_OK)


def _large(files: tuple[Path, ...]) -> bool:
    """--engine auto: columnar when the input is large (a size test: counting rows costs a read)."""
    from ._check_columnar import is_large

    return is_large(files)
