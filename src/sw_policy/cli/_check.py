"""`sw-policy check`: judge record files against the rulebook and report."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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
from ._lazy import pause_collection, resume_collection
from ._safety import limit_option, refuse_output_among_inputs
from ._stdin import input_format_option, reads_stdin

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.findings import Report

    from ._outputs import Target


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
@input_format_option
@policy_errors
@reads_stdin
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
    trace: bool = False,
    drafts_binding: bool = False,
    strict_columns: bool = False,
    jurisdiction: str | None = None,
) -> None:
    """Check record FILES (CSV, XLSX, Parquet, JSON array or JSON Lines) against the rules.

    A FILE of `-` is standard input, named <stdin> in the report.

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
      sw-policy check 民政局导出.xlsx -o 核查报告.xlsx -o 核查报告.html
      sw-policy check 经费.csv --summary
      export-tool | sw-policy check - --kind budget
    """
    pause_collection()  # until the rulebook is loaded: start-up makes no garbage worth a pass
    from sw_policy.checking.engine_choice import choose_engine
    from sw_policy.findings import RunOptions
    from sw_policy.inputs.divisions import code_warning, divisions_stamp, resolve_jurisdiction
    from sw_policy.inputs.encodings import normalise_encoding_name
    from sw_policy.inputs.hints import input_hints
    from sw_policy.inputs.progress import RowProgress

    from ._outputs import plan_targets

    if encoding is not None:
        try:
            encoding = normalise_encoding_name(encoding)
        except ValueError as exc:
            fail(str(exc))
    hints = input_hints(files)
    targets = plan_targets(fmt, outputs, lang, hints)
    if trace and (len(targets) != 1 or targets[0].fmt != "json"):
        fail("--trace adds traces to the JSON report; use it with --format json")
    if trace:
        engine = "row"  # traces come from the row engine's rules and records
    for target in targets:
        refuse_output_among_inputs(target.path, files)
    shown_unit = hints.unit if unit == "auto" else unit
    first = targets[0]
    if jurisdiction is not None:
        jurisdiction = resolve_jurisdiction(jurisdiction)
        warning = code_warning(jurisdiction)
        if warning:
            click.echo(f"sw-policy: warning: {warning}", err=True)
    loaded, choice = load_chosen(rules_dir, exclude_drafts)
    rulebook = with_sets(loaded, sets)
    options = RunOptions(
        format=first.fmt,
        lang=first.lang,
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
    resume_collection()
    if choose_engine(engine, files, layered=rulebook.layered) == "columnar":
        from sw_policy.errors import ColumnarInputError

        from ._check_columnar import check_columnar_cli

        try:
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
    _finish(report, rulebook, files, targets, shown_unit, view or "full", trace)


def _finish(
    report: Report,
    rulebook: Rulebook,
    files: tuple[Path, ...],
    targets: list[Target],
    unit: str,
    view: str,
    trace: bool,
) -> None:
    """Write the report(s) (or the traced JSON) and exit with the contract's status."""
    from sw_policy.reports.verdict import is_incomplete

    from ._outputs import write_target
    from ._status import exit_status

    status = exit_status(
        mandatory_failure=report.has_mandatory_failure, incomplete=is_incomplete(report)
    )
    first = targets[0]
    if trace:
        from ._explain import traced_json

        stamp = report.options
        kind = stamp.kind if stamp else None
        encoding = stamp.encoding if stamp else None
        emit(traced_json(report, rulebook, files, kind=kind, encoding=encoding), first.path)
        sys.exit(status)
    colour = first.fmt == "table" and first.path is None and sys.stdout.isatty()

    def style(text: str, outcome: str) -> str:
        return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

    for target in targets:
        write_target(report, target, unit=unit, view=view, style=style)
    sys.exit(status)


def _overrides_as_given(sets: tuple[str, ...]) -> dict[str, str]:
    """`--set` options as the stamp records them: key to value text, sorted by key."""
    pairs = (text.partition("=") for text in sets)
    return {key.strip(): value.strip() for key, _, value in sorted(pairs)}
