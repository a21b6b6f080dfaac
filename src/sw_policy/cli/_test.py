"""`sw-policy test`: run the rule tests (rules/tests/*.yaml), optionally with coverage."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import (
    EXIT_FAILURES,
    EXIT_OK,
    STDIN,
    choose,
    emit,
    policy_errors,
    stderr_is_terminal,
    stdin_as_file,
)


@click.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--rules",
    "rules_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Judge every case with this rules directory, whatever the test files name.",
)
@click.option(
    "--coverage", is_flag=True, help="Report per rule which outcomes and parts tests reach."
)
@click.option(
    "--boundaries",
    is_flag=True,
    help="Also check every numeric threshold at, one unit below and one unit above it.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, or one JSON document for tools.",
)
@click.option(
    "--junit",
    "junit",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write JUnit XML (one testcase per case) to this file, for CI.",
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    default=None,
    metavar="PERCENT",
    help="Exit 1 when coverage (goals reached, in percent) is below this; implies --coverage.",
)
@policy_errors
def test_command(
    paths: tuple[Path, ...],
    rules_dir: Path | None,
    coverage: bool,
    boundaries: bool,
    fmt: str,
    junit: Path | None,
    fail_under: float | None,
) -> None:
    """Run rule tests: YAML cases of records, an as-of date and expected outcomes.

    PATHS are test files or directories (default: the tests/ directory of the
    rules; `-`: one test file on standard input, judged by the rulebook the
    other commands use, or --rules). Each failing case is shown with file, line, expected and got.
    Exit status: 0 all passed, 1 a case (or a boundary) failed, 2 error.

    \b
    Examples:
      sw-policy test                       # the bundled rulebook's own tests
      sw-policy test myrules/tests --coverage
      sw-policy test --junit rule-tests.xml --fail-under 100    # in CI
    """
    from sw_policy.checking.rulebook import load_rulebook
    from sw_policy.drafting.rule_test_coverage import coverage_of
    from sw_policy.drafting.rule_test_junit import coverage_percent, junit_xml
    from sw_policy.drafting.rule_test_render import render_coverage, render_run, run_as_json
    from sw_policy.drafting.rule_tests import collect_test_files, load_test_file, run_tests

    coverage = coverage or fail_under is not None
    rulebook = None
    if rules_dir is not None or not paths:
        chosen = choose(rules_dir)
        rulebook = load_rulebook(chosen.path) if rules_dir is not None else None
        paths = paths or (chosen.path / "tests",)
    elif STDIN not in paths:  # the test files name their rulebooks (`rules:`)
        named = sorted({str(load_test_file(p).rules_dir) for p in collect_test_files(list(paths))})
        for name in named if stderr_is_terminal() else ():
            click.echo(f"sw-policy: rulebook {name} (named by the test files)", err=True)
    if STDIN in paths and rulebook is None:  # its `rules:` would be relative to a temp file
        rulebook = load_rulebook(choose(None).path)
    with stdin_as_file(paths, ".yaml") as readable:
        run = run_tests(list(readable), rulebook=rulebook)
    reached = [r for case in run.cases for r in case.reached]
    cov = None
    if coverage:
        cov = [
            entry
            for book in run.rulebooks.values()
            for entry in coverage_of(book, [r for r in reached if r.rulebook is book])
        ]
    bad_boundaries = 0
    boundary_text = ""
    probes: list[dict[str, object]] | None = None
    if boundaries:
        from sw_policy.drafting.boundaries import check_boundaries, render_boundaries

        results = [b for book in run.rulebooks.values() for b in check_boundaries(book, reached)]
        bad_boundaries = sum(1 for b in results if not b.ok)
        boundary_text = render_boundaries(results)
        probes = [
            {
                "rule_id": b.rule_id,
                "threshold": b.what,
                "wording": b.wording,
                "problems": b.problems,
            }
            for b in results
        ]
    if fmt == "json":
        emit(run_as_json(run, cov, probes), None)
    else:
        text = render_run(run)
        if cov is not None:
            text += "\n" + render_coverage(cov)
        if boundaries:
            text += "\n" + boundary_text
        emit(text, None)
    if junit is not None:
        junit.write_text(junit_xml(run), encoding="utf-8")
    short = False
    if cov is not None and fail_under is not None:
        percent = coverage_percent(cov)
        short = percent < fail_under
        verdict = "below" if short else "at or above"
        click.echo(f"coverage {percent:.1f}% ({verdict} --fail-under {fail_under:g})", err=True)
    sys.exit(EXIT_FAILURES if run.failed or bad_boundaries or short else EXIT_OK)
