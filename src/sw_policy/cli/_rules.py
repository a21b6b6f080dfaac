"""`sw-policy rules`: show the rulebook, one rule, clause coverage, the catalogue."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import emit, load, policy_errors, rules_options


@click.group()
def rules() -> None:
    """Show the rulebook: rules, one rule in full, clause coverage."""


@rules.command("list")
@rules_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON for tools.",
)
@policy_errors
def rules_list(rules_dir: Path | None, exclude_drafts: bool, fmt: str) -> None:
    """List every rule with its severity, kind, clause and summary.

    \b
    Example:
      sw-policy rules list --exclude-drafts
    """
    import json

    from sw_policy.drafting.catalogue import render_rule_list

    rulebook = load(rules_dir, exclude_drafts)
    if fmt == "json":
        data = [r.model_dump(mode="json", exclude_none=True) for r in rulebook.rules]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(render_rule_list(rulebook), nl=False)


@rules.command("show")
@click.argument("rule_id")
@rules_options
@policy_errors
def rules_show(rule_id: str, rules_dir: Path | None, exclude_drafts: bool) -> None:
    """Show one rule in full: citation, verbatim quote, parameters and condition.

    \b
    Example:
      sw-policy rules show yiyang-2022.demo-community
    """
    from sw_policy.drafting.catalogue import render_rule

    click.echo(render_rule(load(rules_dir, exclude_drafts), rule_id), nl=False)


@rules.command("coverage")
@rules_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON for tools.",
)
@policy_errors
def rules_coverage(rules_dir: Path | None, exclude_drafts: bool, fmt: str) -> None:
    """List every numbered clause of every source: encoded by which rule, or why not.

    \b
    Example:
      sw-policy rules coverage --format json
    """
    import json

    from sw_policy.drafting.catalogue import coverage_rows, render_coverage

    rulebook = load(rules_dir, exclude_drafts)
    if fmt == "json":
        click.echo(json.dumps(coverage_rows(rulebook), ensure_ascii=False, indent=2))
    else:
        click.echo(render_coverage(rulebook), nl=False)


@rules.command("catalogue")
@rules_options
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the catalogue to this file instead of standard output.",
)
@policy_errors
def rules_catalogue(rules_dir: Path | None, exclude_drafts: bool, output: Path | None) -> None:
    """Write the Markdown rule catalogue (docs/rule-catalogue.md is made this way).

    \b
    Example:
      sw-policy rules catalogue -o docs/rule-catalogue.md
    """
    from sw_policy.drafting.catalogue import render_catalogue

    emit(render_catalogue(load(rules_dir, exclude_drafts)), output)
