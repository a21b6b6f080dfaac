"""The terminal view of a Report: findings, rejected rows, summary and cited provisions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ._findings import Finding, Report
from ._render_marks import marks_lines
from ._text import table

__all__ = ["render_table"]

Style = Callable[[str, str], str]


def _plain(text: str, outcome: str) -> str:
    return text


def _observed(finding: Finding) -> str:
    return ", ".join(
        f"{k}={'?' if v is None else str(v).lower() if isinstance(v, bool) else v}"
        for k, v in finding.observed.items()
    )


def render_table(report: Report, *, style: Style = _plain) -> str:
    """A readable report for a terminal; `style` may colour outcomes."""
    out = [
        f"sw-policy {report.engine.version} · rulebook {report.rulebook.sha256[:12]} "
        f"({report.rulebook.rules} rules) · as of {report.as_of}",
        "",
    ]
    if report.findings:
        rows = [
            [f.record_id, f.rule_id, f.outcome, _observed(f), f.expected] for f in report.findings
        ]
        out.append(
            table(
                ["RECORD", "RULE", "OUTCOME", "OBSERVED", "EXPECTED"],
                rows,
                [18, 44, 17, 52, 40],
                style=lambda column, raw, cell: style(cell, raw) if column == 2 else cell,
            )
        )
    else:
        out.append("No findings.")

    if report.rejected:
        out += ["", f"Rejected records ({len(report.rejected)}): not evaluated, fix and re-run"]
        for r in report.rejected:
            label = f" id {r.id}" if r.id else ""
            sheet = f" sheet {r.sheet}" if r.sheet else ""
            column = f" column {r.column}" if r.column else ""
            out.append(f"  {r.path}{sheet} row {r.row}{column}{label}: {'; '.join(r.errors)}")

    failing = Counter(f.rule_id for f in report.findings if f.outcome == "fail")
    if failing:
        out += ["", "Provisions failed (rule · citation · quote):"]
        seen: set[str] = set()
        for f in report.findings:
            if f.outcome != "fail" or f.rule_id in seen:
                continue
            seen.add(f.rule_id)
            c = f.citation
            number = f"{c.document_number} " if c.document_number else ""
            draft = " [征求意见稿 draft]" if c.status == "draft" else ""
            out.append(
                f"  {f.rule_id} ({failing[f.rule_id]} × {f.severity}) — {number}《{c.title}》"
                f"{c.clause}{draft}\n    “{c.quote}”"
            )

    marked = marks_lines(report.findings)
    if marked:
        out += ["", *marked]

    s = report.summary
    evaluated = sum(i.evaluated for i in report.inputs) if report.inputs else s.records
    rejected = len(report.rejected)
    counts = ", ".join(f"{k} {v}" for k, v in s.by_outcome.items())
    out += [
        "",
        f"Summary: {evaluated + rejected} records ({evaluated} evaluated, {rejected} rejected) · "
        f"{s.findings} findings: {counts}",
    ]
    if report.has_mandatory_failure:
        out.append("Result: at least one mandatory provision failed (exit status 1).")
    else:
        out.append("Result: no mandatory provision failed.")
    out += _stamp(report)
    return "\n".join(out) + "\n"


def _stamp(report: Report) -> list[str]:
    """Footer lines that make the run reproducible: input digests and options."""
    lines = []
    if report.inputs or report.options is not None:
        lines.append(f"Rulebook: sha256 {report.rulebook.sha256}")
    for item in report.inputs:
        encoding = f" ({item.encoding})" if item.encoding else ""
        lines.append(f"Input: {item.path}{encoding} sha256 {item.sha256}")
    if report.options is not None:
        o = report.options
        flags = [
            name
            for name, on in (
                ("--exclude-drafts", o.exclude_drafts),
                ("--include-not-applicable", o.include_not_applicable),
                ("--only-failures", o.only_failures),
            )
            if on
        ]
        kind = f" --kind {o.kind}" if o.kind else ""
        encoding = f" --encoding {o.encoding}" if o.encoding else ""
        sets = "".join(f" --set {k}={v}" for k, v in sorted(o.parameter_overrides.items()))
        lines.append(f"Options: rules {o.rules}{kind}{encoding}{sets} {' '.join(flags)}".rstrip())
    return ["", *lines] if lines else []
