"""`sw-policy check`: judge record files against the rulebook and report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ._common import (
    OUTCOME_COLOURS,
    as_of_option,
    emit,
    fail,
    kind_option,
    load,
    policy_errors,
    rules_options,
    set_option,
    with_sets,
)

if TYPE_CHECKING:
    from sw_policy.reports.labels import Lang


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@as_of_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "jsonl", "csv", "xlsx", "html", "md"]),
    default="table",
    show_default=True,
    help="Report format (xlsx needs --output).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of headings and messages. Default: zh, except en for the table.",
)
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
@click.option(
    "--strict-columns",
    is_flag=True,
    help="Reject rows under columns no field uses (default: ignore them, listed in the report).",
)
@click.option(
    "--jurisdiction",
    default=None,
    metavar="CODE|NAME",
    help="Division code (330127) or name (淳安县) for rows without 行政区划代码.",
)
@policy_errors
def check(
    files: tuple[Path, ...],
    as_of: dt.datetime | None,
    fmt: str,
    lang: str | None,
    encoding: str | None,
    rules_dir: Path | None,
    exclude_drafts: bool,
    sets: tuple[str, ...],
    only_failures: bool,
    include_not_applicable: bool,
    kind: str | None,
    output: Path | None,
    engine: str = "auto",
    strict_columns: bool = False,
    jurisdiction: str | None = None,
) -> None:
    """Check record FILES (CSV, XLSX, Parquet, JSON array or JSON Lines) against the rules.

    Every record is either evaluated or listed as rejected with its file, sheet,
    row, column and reason; total rows and notes are skipped and listed. Exit
    status: 1 a mandatory failure, 3 none but the check is incomplete (a row
    rejected, or nothing read), 0 every record checked and none failed, 2 error.

    \b
    Examples:
      sw-policy check fixtures/budgets.csv fixtures/workers.json --as-of 2024-06-30
      sw-policy check 民政局导出.xlsx --format xlsx -o 核查报告.xlsx
      sw-policy check 经费.csv --encoding gbk --format html --lang en -o report.html
    """
    from sw_policy.checking.files import check_paths
    from sw_policy.findings import RunOptions
    from sw_policy.inputs.divisions import code_warning, divisions_stamp, resolve_jurisdiction
    from sw_policy.inputs.encodings import normalise_encoding_name
    from sw_policy.inputs.progress import RowProgress
    from sw_policy.reports.formats import BINARY_FORMATS, render_report
    from sw_policy.reports.verdict import is_incomplete

    from ._status import exit_status

    if fmt in BINARY_FORMATS and output is None:
        fail(f"--format {fmt} writes a binary workbook; give --output FILE.{fmt}")
    if encoding is not None:
        try:
            encoding = normalise_encoding_name(encoding)
        except ValueError as exc:
            fail(str(exc))
    language: Lang = ("en" if fmt == "table" else "zh") if lang is None else cast("Lang", lang)
    if jurisdiction is not None:
        jurisdiction = resolve_jurisdiction(jurisdiction)
        warning = code_warning(jurisdiction)
        if warning:
            click.echo(f"sw-policy: warning: {warning}", err=True)
    rulebook = with_sets(load(rules_dir, exclude_drafts), sets)
    options = RunOptions(
        format=fmt,
        lang=language,
        kind=kind,
        encoding=encoding,
        rules="bundled" if rules_dir is None else str(rules_dir),
        exclude_drafts=exclude_drafts,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
        parameter_overrides=_overrides_as_given(sets),
        strict_columns=strict_columns,
        jurisdiction=jurisdiction,
        divisions=divisions_stamp(),
    )
    if engine == "columnar" or (engine == "auto" and not rulebook.layered and _large(files)):
        from ._check_columnar import check_columnar_cli

        check_columnar_cli(
            rulebook,
            files,
            as_of=as_of.date() if as_of else None,
            options=options,
            lang=language,
            output=output,
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
    colour = fmt == "table" and output is None and sys.stdout.isatty()

    def style(text: str, outcome: str) -> str:
        return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

    rendered = render_report(
        report,
        fmt,
        language,
        base=output.parent if output is not None else None,
        style=style,
    )
    if isinstance(rendered, bytes):
        assert output is not None  # refused above
        output.write_bytes(rendered)
    else:
        emit(rendered, output)
    sys.exit(
        exit_status(
            mandatory_failure=report.has_mandatory_failure, incomplete=is_incomplete(report)
        )
    )


def _overrides_as_given(sets: tuple[str, ...]) -> dict[str, str]:
    """`--set` options as the stamp records them: key to value text, sorted by key."""
    pairs = (text.partition("=") for text in sets)
    return {key.strip(): value.strip() for key, _, value in sorted(pairs)}


def _large(files: tuple[Path, ...]) -> bool:
    """--engine auto: columnar when the input is large (a size test: counting rows costs a read)."""
    from ._check_columnar import is_large

    return is_large(files)
