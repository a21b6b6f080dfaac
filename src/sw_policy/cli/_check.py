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
    load_chosen,
    policy_errors,
    rules_options,
    set_option,
    with_sets,
)
from ._safety import limit_option, refuse_output_among_inputs, write_atomically

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.findings import Report
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
@click.option(
    "--drafts-binding",
    is_flag=True,
    help="Let failures of a draft for comment (征求意见稿) set exit status 1; by default they "
    "are reported and counted (draft_failures) but do not bind.",
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
    "auto: columnar from 1 000 rows of input (the measured crossover).",
)
@click.option(
    "--trace",
    is_flag=True,
    help="With --format json: add to each finding the trace of its rule's condition "
    "tree (each node true, false or undecided, with the values read). Row engine.",
)
@limit_option
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
    trace: bool = False,
    drafts_binding: bool = False,
    strict_columns: bool = False,
    jurisdiction: str | None = None,
) -> None:
    """Check record FILES (CSV, XLSX, Parquet, JSON array or JSON Lines) against the rules.

    Every record is either evaluated or listed as rejected with its file, sheet,
    row, column and reason; total rows and notes are skipped and listed. Exit
    status: 1 a mandatory failure of a provision in force (of a draft for comment
    only with --drafts-binding), 3 none but the check is incomplete (a row rejected,
    or nothing read), 0 every record checked and none failed, 2 error.

    \b
    Examples:
      sw-policy check fixtures/budgets.csv fixtures/workers.json --as-of 2024-06-30
      sw-policy check 民政局导出.xlsx --format xlsx -o 核查报告.xlsx
      sw-policy check 经费.csv --encoding gbk --format html --lang en -o report.html
    """
    from sw_policy.checking.engine_choice import choose_engine
    from sw_policy.findings import RunOptions
    from sw_policy.inputs.divisions import code_warning, divisions_stamp, resolve_jurisdiction
    from sw_policy.inputs.encodings import normalise_encoding_name
    from sw_policy.inputs.progress import RowProgress
    from sw_policy.reports.formats import BINARY_FORMATS

    if fmt in BINARY_FORMATS and output is None:
        fail(f"--format {fmt} writes a binary workbook; give --output FILE.{fmt}")
    if trace and fmt != "json":
        fail("--trace adds traces to the JSON report; use it with --format json")
    if trace:
        engine = "row"  # traces come from the row engine's rules and records
    refuse_output_among_inputs(output, files)
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
    loaded, choice = load_chosen(rules_dir, exclude_drafts)
    rulebook = with_sets(loaded, sets)
    options = RunOptions(
        format=fmt,
        lang=language,
        kind=kind,
        encoding=encoding,
        rules="bundled" if choice.bundled else str(choice.path),
        exclude_drafts=exclude_drafts,
        drafts_binding=drafts_binding,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
        parameter_overrides=_overrides_as_given(sets),
        strict_columns=strict_columns,
        jurisdiction=jurisdiction,
        divisions=divisions_stamp(),
    )
    if choose_engine(engine, files, layered=rulebook.layered) == "columnar":
        from sw_policy.errors import ColumnarInputError

        from ._check_columnar import check_columnar_cli

        try:
            check_columnar_cli(
                rulebook,
                files,
                as_of=as_of.date() if as_of else None,
                options=options,
                lang=language,
                output=output,
            )
            return
        except ColumnarInputError:
            if engine != "auto":
                raise  # auto: a value only the row engine holds exactly; judge there
    progress = RowProgress("reading")
    try:
        report = rulebook.check_files(
            files,
            as_of=as_of.date() if as_of else None,
            options=options,
            progress=progress,
        )
    finally:
        progress.close()
    _finish(report, rulebook, files, fmt, language, output, trace, kind, encoding)


def _finish(
    report: Report,
    rulebook: Rulebook,
    files: tuple[Path, ...],
    fmt: str,
    language: Lang,
    output: Path | None,
    trace: bool,
    kind: str | None,
    encoding: str | None,
) -> None:
    """Write the report (or the traced JSON) and exit with the contract's status."""
    from sw_policy.reports.formats import render_report
    from sw_policy.reports.verdict import is_incomplete

    from ._status import exit_status

    if trace:
        from ._explain import traced_json

        emit(traced_json(report, rulebook, files, kind=kind, encoding=encoding), output)
        sys.exit(
            exit_status(
                mandatory_failure=report.has_mandatory_failure, incomplete=is_incomplete(report)
            )
        )
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
        write_atomically(output, rendered)
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
