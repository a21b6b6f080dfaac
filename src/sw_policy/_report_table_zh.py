"""The terminal view in Chinese (`--format table --lang zh`).

The English view (_render_report.render_table) stays the default for the
terminal; this one has the same sections with Chinese headings, outcomes and
messages' wording, for auditors who read the table directly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ._findings import OUTCOMES, Report
from ._render_marks import marks_lines
from ._report_labels import label, outcome_label
from ._report_rows import observed_text, stamp_rows
from ._text import table

__all__ = ["render_table_zh"]


def _plain(text: str, outcome: str) -> str:
    return text


def render_table_zh(report: Report, *, style: Callable[[str, str], str] = _plain) -> str:
    """A readable Chinese report for a terminal; `style` may colour outcomes."""
    out = [
        f"sw-policy {report.engine.version} · 规则库 {report.rulebook.sha256[:12]} "
        f"（{report.rulebook.rules} 条规则）· 核查基准日 {report.as_of}",
        "",
    ]
    if report.findings:
        rows = [
            [f.record_id, f.rule_id, outcome_label(f.outcome, "zh"), observed_text(f), f.expected]
            for f in report.findings
        ]
        code_of = {outcome_label(o, "zh"): o for o in OUTCOMES}
        out.append(
            table(
                [label(k, "zh") for k in ("record", "rule", "outcome", "observed", "expected")],
                rows,
                [18, 44, 10, 52, 40],
                style=lambda column, raw, cell: style(cell, code_of[raw]) if column == 2 else cell,
            )
        )
    else:
        out.append("没有核查结果。")
    if report.rejected:
        out += [
            "",
            f"{label('rejected', 'zh')}（{len(report.rejected)}）：未核查，请修正后重新运行",
        ]
        for r in report.rejected:
            where = " ".join(
                part
                for part in (
                    r.path,
                    f"工作表 {r.sheet}" if r.sheet else "",
                    f"第 {r.row} 行",
                    f"列 {r.column}" if r.column else "",
                    f"编号 {r.id}" if r.id else "",
                )
                if part
            )
            out.append(f"  {where}：{'；'.join(r.errors)}")
    failing = Counter(f.rule_id for f in report.findings if f.outcome == "fail")
    if failing:
        out += ["", f"{label('provisions', 'zh')}："]
        seen: set[str] = set()
        for f in report.findings:
            if f.outcome != "fail" or f.rule_id in seen:
                continue
            seen.add(f.rule_id)
            c = f.citation
            number = f"{c.document_number} " if c.document_number else ""
            draft = "［征求意见稿］" if c.status == "draft" else ""
            out.append(
                f"  {f.rule_id}（{failing[f.rule_id]} 项，{label(f.severity, 'zh')}）— "
                f"{number}《{c.title}》{c.clause}{draft}\n    “{c.quote}”"
            )
    marked = marks_lines(report.findings, "zh")
    if marked:
        out += ["", *marked]
    s = report.summary
    evaluated = sum(i.evaluated for i in report.inputs) if report.inputs else s.records
    rejected = len(report.rejected)
    counts = "，".join(f"{outcome_label(k, 'zh')} {v}" for k, v in s.by_outcome.items())
    out += [
        "",
        f"{label('summary', 'zh')}：共 {evaluated + rejected} 条记录（已核查 {evaluated}，"
        f"未能读取 {rejected}）· {s.findings} 项结果：{counts}",
        label("result_fail" if report.has_mandatory_failure else "result_ok", "zh"),
        "",
    ]
    out += [f"{name}：{value}" for name, value in stamp_rows(report, "zh")]
    return "\n".join(out) + "\n"
