"""`sw-policy diff`: what a change to the rules does to real records."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import (
    EXIT_FAILURES,
    EXIT_OK,
    announce,
    as_of_option,
    emit,
    kind_option,
    policy_errors,
    set_option,
    stderr_is_terminal,
    stdin_as_file,
    with_sets,
)
from ._safety import limit_option, refuse_output_among_inputs

if TYPE_CHECKING:
    from sw_policy.rulebook.location import RulesChoice


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
    help="Rules after the change (default: $SW_POLICY_RULES or the workspace's rules, "
    "else --old changed by --set).",
)
@set_option
@as_of_option
@kind_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "md", "html"]),
    default="table",
    show_default=True,
    help="Terminal table, JSON, Markdown for a drafting memo, or one self-contained HTML page "
    "(per rule: chart, records, parameters and quote before and after).",
)
@click.option(
    "--fail-on-change", is_flag=True, help="Exit 1 when any finding moved (for CI gates)."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the impact to this file instead of standard output.",
)
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
    """Judge FILES (`-`: standard input) with the old and the new rules; which records move.

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
    from sw_policy.rulebook.loader import bundled_rules_dir
    from sw_policy.rulebook.location import RulesChoice, choose_rules_dir

    refuse_output_among_inputs(output, files)
    old_choice = (
        RulesChoice(bundled_rules_dir(), "bundled")
        if old_dir is None
        else RulesChoice(old_dir, "--old", explicit=True)
    )
    announce("old rulebook", old_choice, notice=False)
    old = load_rulebook(old_choice.path)
    if new_dir is not None:
        new_choice: RulesChoice | None = RulesChoice(new_dir, "--new", explicit=True)
    elif old_dir is None:  # in a workspace or with $SW_POLICY_RULES: that is the change
        chosen = choose_rules_dir(None)
        new_choice = None if chosen.bundled else chosen
    else:
        new_choice = None
    if new_choice is None:
        if stderr_is_terminal():
            click.echo(f"sw-policy: new rulebook the old one, {len(sets)} --set", err=True)
        new = with_sets(old, sets)
    else:
        announce("new rulebook", new_choice)
        new = with_sets(load_rulebook(new_choice.path), sets)
    day = as_of.date() if as_of else dt.date.today()
    with stdin_as_file(files) as readable:
        before = old.check_files(readable, as_of=day, kind=kind)
        after = new.check_files(readable, as_of=day, kind=kind)
    impact = compare_reports(before, after)
    text = render_impact(impact, "md" if fmt == "html" else fmt)
    if fmt in ("html", "md"):
        from sw_policy.drafting.impact_html import ImpactContext, memo_changes, render_impact_html

        context = ImpactContext(
            old=old,
            new=new,
            old_report=before,
            new_report=after,
            old_name=_name(old_choice, ()),
            new_name=_name(new_choice, sets) if new_choice else _name(old_choice, sets),
            as_of=day,
            files=[str(f) for f in files],
        )
        if fmt == "html":
            text = render_impact_html(impact, context)
        else:
            text += memo_changes(impact, context)
    emit(text, output)
    sys.exit(EXIT_FAILURES if fail_on_change and impact.moved else EXIT_OK)


def _name(choice: RulesChoice, sets: tuple[str, ...]) -> str:
    """How the page and the memo name a rulebook: bundled or its path, with any --set."""
    name = "bundled" if choice.bundled else str(choice.path)
    return name + "".join(f" --set {s}" for s in sets)
