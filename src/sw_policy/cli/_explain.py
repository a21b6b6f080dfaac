"""`sw-policy explain`: why one rule gives its outcome for one record, node by node."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._common import (
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
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.findings import Report

__all__ = ["explain", "traced_json"]


@click.command()
@click.argument("rule_id")
@click.option(
    "--record",
    "record_arg",
    required=True,
    metavar="FILE:ROW|JSON",
    help="The record: a file and the row it is on (as a report names it, e.g. "
    "budgets.csv:3; FILE:SHEET:ROW in a workbook), or the record as a JSON object.",
)
@as_of_option
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True, help="Language."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: the tree, indented; json: the same as `check --trace` gives per finding.",
)
@click.option("--encoding", default=None, help="Text encoding of a CSV/JSON record file.")
@rules_options
@set_option
@kind_option
@policy_errors
def explain(
    rule_id: str,
    record_arg: str,
    as_of: dt.datetime | None,
    lang: str,
    fmt: str,
    encoding: str | None,
    rules_dir: Path | None,
    exclude_drafts: bool,
    sets: tuple[str, ...],
    kind: str | None,
) -> None:
    """Show why RULE_ID gives its outcome for one record: every condition, its value.

    Each node of the rule's condition tree is shown as true, false or undecided
    (an input unknown), with the values it read, the parameters and the variant
    used (a target's milestone, the rules an amending rule displaces).

    \b
    Examples:
      sw-policy explain zhejiang-2019.labour-cost-share --record fixtures/budgets.csv:3
      sw-policy explain yiyang-2022.labour-cost-share --as-of 2024-06-30 --lang en \\
        --record '{"kind": "budget", "id": "P-1", "jurisdiction": "361126",
                   "total_funds": "100", "labour_cost": "79"}'
    """
    rulebook = with_sets(load(rules_dir, exclude_drafts), sets)
    rulebook.rule(rule_id)  # an unknown id is refused before any file is read
    record = _record(record_arg, kind, encoding)
    explanation = rulebook.explain(record, rule_id, as_of=as_of.date() if as_of else None)
    if fmt == "json":
        text = json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = explanation.text("en" if lang == "en" else "zh")
    emit(text, None)


def _record(arg: str, kind: str | None, encoding: str | None) -> Any:
    """The record `--record` names: a JSON object, or FILE:ROW / FILE:SHEET:ROW."""
    from sw_policy.inputs.readers import read_files

    if arg.lstrip().startswith("{"):
        try:
            data = json.loads(arg)
        except json.JSONDecodeError as exc:
            fail(f"--record: not valid JSON ({exc.msg}, column {exc.colno})")
        return {"kind": kind, **data} if kind and "kind" not in data else data
    path, sheet, row = _place(arg)
    read = read_files([path], kind=kind, encoding=encoding)
    for located in read.records:
        where = located.location
        if where is not None and where.row == row and (sheet is None or where.sheet == sheet):
            return located.record
    for rejected in read.rejected:
        if rejected.row == row and (sheet is None or rejected.sheet == sheet):
            fail(f"{arg}: the record there was rejected: {'; '.join(rejected.errors)}")
    rows = sorted({r.location.row for r in read.records if r.location})
    span = f"rows {rows[0]}–{rows[-1]}" if rows else "no records"
    fail(f"{arg}: no record on row {row} ({path} has {span})")
    return None  # pragma: no cover


def _place(arg: str) -> tuple[str, str | None, int]:
    parts = arg.rsplit(":", 2)
    if len(parts) >= 2 and parts[-1].strip().isdigit():
        row = int(parts[-1])
        if len(parts) == 3 and Path(parts[0]).suffix.lower() in {".xlsx", ".xlsm"}:
            return parts[0], parts[1], row
        return arg.rsplit(":", 1)[0], None, row
    fail(f"--record: expected FILE:ROW (e.g. budgets.csv:3) or a JSON object, got {arg!r}")
    raise AssertionError  # pragma: no cover


def traced_json(
    report: Report,
    rulebook: Rulebook,
    files: tuple[Path, ...],
    *,
    kind: str | None,
    encoding: str | None,
) -> str:
    """The JSON report with a `trace` key in each finding (`check --trace`)."""
    from sw_policy.inputs.readers import read_files

    stamp = report.options
    read = read_files(
        list(files),
        kind=kind,
        encoding=encoding,
        jurisdiction=stamp.jurisdiction if stamp else None,
        strict_columns=stamp.strict_columns if stamp else False,
    )
    records = {(r.record.kind, r.record.id): r.record for r in read.records}
    data = json.loads(report.to_json())
    for finding, out in zip(report.findings, data["findings"], strict=True):
        record = records[(finding.kind, finding.record_id)]
        trace = rulebook.explain(record, finding.rule_id, as_of=report.as_of).to_dict()
        out["trace"] = trace
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
