"""`sw-policy diff`: what a change to the rules does to real records."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ._common import (
    EXIT_FAILURES,
    EXIT_OK,
    as_of_option,
    emit,
    kind_option,
    policy_errors,
    set_option,
    with_sets,
)
from ._safety import limit_option, refuse_output_among_inputs


@click.command("diff")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--old",
    "old_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Rules before the change (default: the bundled rulebook).",
)
@click.option(
    "--new",
    "new_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Rules after the change (default: the same as --old, changed by --set).",
)
@set_option
@as_of_option
@kind_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md"]),
    default="table",
    show_default=True,
    help="Terminal table, JSON, or Markdown for a drafting memo.",
)
@click.option(
    "--fail-on-change", is_flag=True, help="Exit 1 when any finding moved (for CI gates)."
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None)
@limit_option
@policy_errors
def diff(
    files: tuple[Path, ...],
    old_dir: Path | None,
    new_dir: Path | None,
    sets: tuple[str, ...],
    as_of: dt.datetime | None,
    kind: str | None,
    fmt: str,
    fail_on_change: bool,
    output: Path | None,
) -> None:
    """Judge FILES with the old and the new rules; per rule, which records move.

    Counts every transition (pass→fail, fail→pass, none→pass when a rule is
    added, …) with the records listed. `--set` changes the new rules'
    parameters without editing files. Exit status: 0 (1 with --fail-on-change
    when something moved), 2 error.

    \b
    Examples:
      sw-policy diff --old rules --new myrules fixtures/budgets.csv --as-of 2024-06-30
      sw-policy diff fixtures/budgets.csv --set zhejiang-2019.labour-cost-share.max_share=0.75
    """
    from sw_policy.checking.rulebook import load_rulebook
    from sw_policy.drafting.impact import compare_reports, render_impact

    refuse_output_among_inputs(output, files)
    old = load_rulebook(old_dir)
    new = with_sets(load_rulebook(new_dir) if new_dir is not None else old, sets)
    day = as_of.date() if as_of else dt.date.today()
    before = old.check_files(files, as_of=day, kind=kind)
    after = new.check_files(files, as_of=day, kind=kind)
    impact = compare_reports(before, after)
    emit(render_impact(impact, fmt), output)
    sys.exit(EXIT_FAILURES if fail_on_change and impact.moved else EXIT_OK)
