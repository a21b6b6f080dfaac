"""The Markdown report: verdict, summary, per-rule summary, findings, provisions cited once,
rejected rows, stamp."""

from __future__ import annotations

from sw_policy.findings import Report
from sw_policy.reports.labels import Lang, label, outcome_label
from sw_policy.reports.provisions import cited, rule_sections, short_ref
from sw_policy.reports.rows import (
    FINDING_KEYS,
    REJECTED_KEYS,
    Row,
    finding_row,
    rejected_row,
    stamp_rows,
)
from sw_policy.reports.safe_text import escape_controls
from sw_policy.reports.verdict import intake_notes, verdict_line

__all__ = ["render_md"]

_MD_FINDING = (
    "file",
    "sheet",
    "row",
    "record",
    "name",
    "division",
    "rule",
    "outcome",
    "observed",
    "expected",
    "message",
    "marks",
)
_SHOWN = ("pass", "fail", "pending", "insufficient_data")


def _cell(value: str | int | None) -> str:
    text = "" if value is None else escape_controls(str(value))
    for ch in "\\|`*[]<>":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _table(headers: list[str], rows: list[Row]) -> list[str]:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return out


def render_md(report: Report, lang: Lang, unit: str = "元") -> str:
    """The report as a Markdown document."""
    s = report.summary
    out = [f"# {label('title', lang)}", "", f"**{_cell(verdict_line(report, lang))}**", ""]
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
    sections = rule_sections(report)
    ref_of = {sec.rule_id: short_ref(sec.number) for sec in sections}
    out += ["", f"## {label('by_rule', lang)}", ""]
    out += _table(
        [label("ref", lang), label("rule", lang), label("severity", lang)]
        + [outcome_label(o, lang) for o in _SHOWN]
        + [label("failed_records", lang), label("worst", lang)],
        [
            [ref_of[sec.rule_id], sec.rule_id, label(sec.severity, lang)]  # type: ignore[misc]
            + [sec.counts[o] for o in _SHOWN]
            + [", ".join(sec.failed_records), sec.worst_text(lang, unit)]
            for sec in sections
        ],
    )
    index = [FINDING_KEYS.index(k) for k in _MD_FINDING]
    out += ["", f"## {label('findings', lang)}", "", label("exact_note", lang), ""]
    rows = []
    for f in report.findings:
        row = finding_row(f, lang, unit)
        picked = [row[i] for i in index]
        picked[_MD_FINDING.index("rule")] = f"{f.rule_id} ({ref_of[f.rule_id]})"
        rows.append(picked)
    out += _table([label(k, lang) for k in _MD_FINDING], rows)
    if sections:
        out += ["", f"## {label('cited', lang)}", ""]
        for sec in sections:
            out += [
                f"- **{short_ref(sec.number)} {_cell(sec.rule_id)}**: "
                f"{_cell(cited(sec.citation, lang))}",
                f"  > {_cell(sec.citation.quote)}",
            ]
    out += ["", f"## {label('rejected', lang)}", ""]
    if report.rejected:
        out += _table(
            [label(k, lang) for k in REJECTED_KEYS],
            [rejected_row(r, lang) for r in report.rejected],
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
