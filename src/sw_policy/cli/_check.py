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
    as_of_option,
    fail,
    kind_option,
    load,
    policy_errors,
    rules_options,
    set_option,
    with_sets,
)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv", "xlsx", "html", "md"]),
    default=None,
    help="Report format (xlsx needs --output). Default: from the --output suffix, else table.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of headings and messages. Default: zh when the input's column headers "
    "are Chinese; otherwise en for the table and zh for report files.",
)
@click.option(
    "--unit",
    type=click.Choice(["auto", "元", "万元"]),
    default="auto",
    show_default=True,
    help="Unit amounts are shown in (human reports; JSON stays exact in 元). "
    "auto: 万元 when an amount column's header says 万元.",
)
@click.option("--summary", "view", flag_value="summary", help="Table: per-rule counts only.")
@click.option("--quiet", "-q", "view", flag_value="quiet", help="Table: the verdict line only.")
@click.option(
    "--encoding",
    default=None,
    help="Text encoding of CSV/JSON inputs (e.g. gbk). Default: UTF-8, else GB18030/GBK.",
)
@rules_options
@set_option
@click.option(
    "--only-failures", is_flag=True, help="List only failing findings (summary counts all)."
)
@click.option(
    "--include-not-applicable", is_flag=True, help="Also list rules that do not apply to a record."
)
@kind_option
@click.option(
    "--output",
    "-o",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output. Repeatable: "
    "-o report.xlsx -o report.html writes both, each in the format its suffix names.",
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
    fmt: str | None,
    lang: str | None,
    unit: str,
    view: str | None,
    encoding: str | None,
    rules_dir: Path | None,
    exclude_drafts: bool,
    sets: tuple[str, ...],
    only_failures: bool,
    include_not_applicable: bool,
    kind: str | None,
    outputs: tuple[Path, ...],
    engine: str = "auto",
) -> None:
    """Check record FILES (CSV, XLSX, Parquet, JSON array or JSON Lines) against the rules.

    Every record is either evaluated or listed as rejected with its file, sheet,
    row, column and reason. Exit status: 0 no mandatory failure, 1 at least one,
    2 error.

    \b
    Examples:
      sw-policy check fixtures/budgets.csv fixtures/workers.json --as-of 2024-06-30
      sw-policy check 民政局导出.xlsx --format xlsx -o 核查报告.xlsx
      sw-policy check 经费.csv --encoding gbk --format html --lang en -o report.html
      sw-policy check 民政局导出.xlsx -o 核查报告.xlsx -o 核查报告.html
      sw-policy check 经费.csv --summary
    """
    from sw_policy.checking.files import check_paths
    from sw_policy.findings import RunOptions
    from sw_policy.inputs.encodings import normalise_encoding_name
    from sw_policy.inputs.hints import input_hints
    from sw_policy.inputs.progress import RowProgress

    from ._outputs import plan_targets, write_target

    if encoding is not None:
        try:
            encoding = normalise_encoding_name(encoding)
        except ValueError as exc:
            fail(str(exc))
    hints = input_hints(files)
    targets = plan_targets(fmt, outputs, lang, hints)
    shown_unit = hints.unit if unit == "auto" else unit
    first = targets[0]
    rulebook = with_sets(load(rules_dir, exclude_drafts), sets)
    options = RunOptions(
        format=first.fmt,
        lang=first.lang,
        kind=kind,
        encoding=encoding,
        rules="bundled" if rules_dir is None else str(rules_dir),
        exclude_drafts=exclude_drafts,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
        parameter_overrides=_overrides_as_given(sets),
    )
    if engine == "columnar" or (engine == "auto" and not rulebook.layered and _large(files)):
        from ._check_columnar import check_columnar_cli

        check_columnar_cli(
            rulebook,
            files,
            as_of=as_of.date() if as_of else None,
            options=options,
            targets=targets,
            unit=shown_unit,
            view=view or "full",
        )
        return
    progress = RowProgress("reading")
    try:
        report = check_paths(
            rulebook,
            files,
            as_of=as_of.date() if as_of else None,
            options=options,
            progress=progress,
        )
    finally:
        progress.close()
    colour = first.fmt == "table" and first.path is None and sys.stdout.isatty()

    def style(text: str, outcome: str) -> str:
        return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

    for target in targets:
        write_target(report, target, unit=shown_unit, view=view or "full", style=style)
    sys.exit(EXIT_FAILURES if report.has_mandatory_failure else EXIT_OK)


def _overrides_as_given(sets: tuple[str, ...]) -> dict[str, str]:
    """`--set` options as the stamp records them: key to value text, sorted by key."""
    pairs = (text.partition("=") for text in sets)
    return {key.strip(): value.strip() for key, _, value in sorted(pairs)}


def _large(files: tuple[Path, ...]) -> bool:
    """--engine auto: columnar when the input is large (a size test: counting rows costs a read)."""
    from ._check_columnar import is_large

    return is_large(files)
