"""The Markdown report: headings, summary, findings, failed provisions, rejected rows, stamp."""

from __future__ import annotations

from sw_policy.findings import Report
from sw_policy.reports.labels import Lang, label, outcome_label
from sw_policy.reports.rows import (
    FINDING_KEYS,
    REJECTED_KEYS,
    Row,
    finding_row,
    rejected_row,
    rule_counts,
    stamp_rows,
)
from sw_policy.reports.safe_text import escape_controls
from sw_policy.reports.verdict import incomplete_line, intake_notes

__all__ = ["render_md"]

_MD_FINDING = (
    "file",
    "sheet",
    "row",
    "record",
    "rule",
    "outcome",
    "observed",
    "expected",
    "message",
    "marks",
)


def _cell(value: str | int | None) -> str:
    text = "" if value is None else escape_controls(str(value))
    for ch in "\\|`*[]<>":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _table(headers: list[str], rows: list[Row]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def render_md(report: Report, lang: Lang) -> str:
    """The report as a Markdown document."""
    s = report.summary
    out = [f"# {label('title', lang)}", ""]
    incomplete = incomplete_line(report, lang)
    if incomplete:
        out += [f"**{_cell(incomplete)}**", ""]
    out += [f"## {label('summary', lang)}", ""]
    evaluated = sum(i.evaluated for i in report.inputs) if report.inputs else s.records
    out += _table(
        [label("records", lang), label("evaluated", lang), label("rejected", lang)]
        + [outcome_label(o, lang) for o in s.by_outcome],
        [
            [
                evaluated + len(report.rejected),
                evaluated,
                len(report.rejected),
                *s.by_outcome.values(),
            ]
        ],
    )
    verdict = label("result_fail" if report.has_mandatory_failure else "result_ok", lang)
    if incomplete and not report.has_mandatory_failure:
        verdict = incomplete
    out += ["", verdict, ""]
    out += [f"## {label('by_rule', lang)}", ""]
    out += _table(
        [label("rule", lang), label("severity", lang)]
        + [outcome_label(o, lang) for o in ("pass", "fail", "pending", "insufficient_data")],
        [
            [rc.rule_id, label(rc.severity, lang)]
            + [rc.counts[o] for o in ("pass", "fail", "pending", "insufficient_data")]
            for rc in rule_counts(report)
        ],
    )
    index = [FINDING_KEYS.index(k) for k in _MD_FINDING]
    out += ["", f"## {label('findings', lang)}", ""]
    rows = [finding_row(f, lang) for f in report.findings]
    out += _table([label(k, lang) for k in _MD_FINDING], [[r[i] for i in index] for r in rows])
    failed = {f.rule_id: f for f in reversed(report.findings) if f.outcome == "fail"}
    if failed:
        out += ["", f"## {label('provisions', lang)}", ""]
        for f in report.findings:
            if failed.pop(f.rule_id, None) is None:
                continue
            c = f.citation
            number = f"{c.document_number} " if c.document_number else ""
            out += [
                f"- **{_cell(f.rule_id)}**: {_cell(number)}《{_cell(c.title)}》{_cell(c.clause)}"
                f" ({label(c.status, lang)})",
                f"  > {_cell(c.quote)}",
            ]
    out += ["", f"## {label('rejected', lang)}", ""]
    if report.rejected:
        out += _table(
            [label(k, lang) for k in REJECTED_KEYS], [rejected_row(r) for r in report.rejected]
        )
    else:
        out.append(label("none", lang))
    notes = intake_notes(report, lang)
    if notes:
        out += ["", "## " + ("读取情况" if lang == "zh" else "Reading"), ""]
        out += [f"- {_cell(n)}" for n in notes]
    out += ["", f"## {label('stamp', lang)}", ""]
    out += [f"- {_cell(name)}: {_cell(value)}" for name, value in stamp_rows(report, lang)]
    return "\n".join(out) + "\n"
