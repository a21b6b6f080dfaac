"""`sw-policy lint`: every problem in a rules directory, each with file, line and a fix."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ._common import EXIT_FAILURES, EXIT_OK, choose, emit, policy_errors


@click.command("lint")
@click.argument(
    "directory", required=False, type=click.Path(file_okay=False, path_type=Path), default=None
)
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Directory of source texts: check every quote is verbatim in its source "
    "(default: the workspace's sources/, when it holds texts).",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Also warn about drafts, ended targets and sources due for review at this date.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Text for people, or a JSON list of problems for tools.",
)
@policy_errors
def lint(
    directory: Path | None,
    sources_dir: Path | None,
    as_of: dt.datetime | None,
    strict: bool,
    fmt: str,
) -> None:
    """Check a rules DIRECTORY (default: the rulebook commands use) and list every problem.

    Errors: YAML and schema errors, duplicate keys, unknown fields, missing
    clause or quote, undefined parameters or rule ids, quotes not in the source
    text (--sources), deadlines before the source's issue date, contradictory
    mandatory rules. Warnings (--as-of): draft sources, ended targets, sources
    past their review period. Exit status: 0 clean (warnings allowed unless
    --strict), 1 problems, 2 the run could not be done.

    \b
    Example:
      sw-policy lint myrules --sources ../shared/sources --as-of 2024-06-30
    """
    import json

    from sw_policy.drafting.lint import lint_rules_dir, render_problems
    from sw_policy.rulebook.location import workspace_sources

    root = choose(directory, flag="the command line").path
    if sources_dir is None:
        candidate = workspace_sources()
        if candidate is not None and any(candidate.glob("*.txt")):
            sources_dir = candidate
    problems = lint_rules_dir(root, sources_dir=sources_dir, as_of=as_of.date() if as_of else None)
    if fmt == "json":
        data = [
            {
                "level": p.level,
                "code": p.code,
                "path": p.path,
                "line": p.line,
                "message": p.message,
                "fix": p.fix,
            }
            for p in problems
        ]
        emit(json.dumps(data, ensure_ascii=False, indent=2) + "\n", None)
    else:
        if sources_dir is None:
            emit(_UNVERIFIED, None)
        else:
            emit(f"quotes checked against the source texts in {sources_dir}\n", None)
        emit(render_problems(problems), None)
    if fmt == "json" and sources_dir is None:
        click.echo(_UNVERIFIED.rstrip("\n"), err=True)
    failing = [p for p in problems if p.level == "error" or strict]
    sys.exit(EXIT_FAILURES if failing else EXIT_OK)


_UNVERIFIED = (
    "notice: quotes NOT verified against their sources (no source texts given); "
    "give --sources DIR, or put the texts (<source-id>.txt) in the workspace's sources/\n"
)
