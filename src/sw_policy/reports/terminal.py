"""The terminal view of a Report: findings, rejected rows, cited provisions, marks, summary.

One layout in two languages: the sections are built once and only the words
(`_Words`) differ, so a section added for one language is never missing from
the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from sw_policy.findings import OUTCOMES, Citation, Finding, Rejected, Report
from sw_policy.reports.figures import expected_text, observed_figures
from sw_policy.reports.labels import Lang, label, outcome_label
from sw_policy.reports.marks import marks_lines
from sw_policy.reports.rows import division_text, rule_counts, stamp_rows
from sw_policy.reports.safe_text import escape_controls as safe
from sw_policy.reports.terms import reason_text
from sw_policy.reports.text import terminal_width, wrapped_table
from sw_policy.reports.verdict import incomplete_line, intake_notes, verdict_line

__all__ = ["TABLE_VIEWS", "render_table"]

Style = Callable[[str, str], str]
TABLE_VIEWS = ("full", "summary", "quiet")
"""full: every finding; summary: per-rule counts and the verdict; quiet: the verdict line."""


@dataclass(frozen=True)
class _Words:
    """How one language says each part of the table report."""

    header: Callable[[Report], str]
    columns: tuple[str, ...]
    outcome: Callable[[str], str]
    no_findings: str
    rejected_heading: Callable[[int], str]
    rejected_line: Callable[[Rejected], str]
    provisions_heading: str
    provision: Callable[[Finding, int], str]
    summary: Callable[[int, int, Report], str]
    result: Callable[[Report], str]
    stamp: Callable[[Report], list[str]]


def _cited(c: Citation, draft: str) -> str:
    number = f"{c.document_number} " if c.document_number else ""
    return f"{number}《{c.title}》{c.clause}{draft if c.status == 'draft' else ''}"


def _en_rejected(r: Rejected) -> str:
    sheet = f" sheet {r.sheet}" if r.sheet else ""
    column = f" column {r.column}" if r.column else ""
    record = f" id {r.id}" if r.id else ""
    reasons = "; ".join(reason_text(e, "en") for e in r.errors)
    return f"  {r.path}{sheet} row {r.row}{column}{record}: {reasons}"


def _zh_rejected(r: Rejected) -> str:
    parts = (
        r.path,
        f"工作表 {r.sheet}" if r.sheet else "",
        f"第 {r.row} 行",
        f"列 {r.column}" if r.column else "",
        f"编号 {r.id}" if r.id else "",
    )
    reasons = "；".join(reason_text(e, "zh") for e in r.errors)
    return f"  {' '.join(p for p in parts if p)}：{reasons}"


def _en_stamp(report: Report) -> list[str]:
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


_EN = _Words(
    header=lambda r: (
        f"sw-policy {r.engine.version} · rulebook {r.rulebook.sha256[:12]} "
        f"({r.rulebook.rules} rules) · as of {r.as_of}"
    ),
    columns=("RECORD", "NAME · DIVISION", "RULE", "OUTCOME", "OBSERVED", "EXPECTED"),
    outcome=lambda outcome: outcome,
    no_findings="No findings.",
    rejected_heading=lambda n: f"Rejected records ({n}): not evaluated, fix and re-run",
    rejected_line=_en_rejected,
    provisions_heading="Provisions failed (rule · citation · quote):",
    provision=lambda f, n: (
        f"  {f.rule_id} ({n} × {f.severity}) — {_cited(f.citation, ' [征求意见稿 draft]')}"
    ),
    summary=lambda evaluated, rejected, r: (
        f"Summary: {evaluated + rejected} records ({evaluated} evaluated, {rejected} rejected)"
        f" · {r.summary.findings} findings: "
        + ", ".join(f"{k} {v}" for k, v in r.summary.by_outcome.items())
    ),
    result=lambda r: f"Result: {verdict_line(r, 'en')[:1].lower()}{verdict_line(r, 'en')[1:]}",
    stamp=_en_stamp,
)

_ZH = _Words(
    header=lambda r: (
        f"sw-policy {r.engine.version} · 规则库 {r.rulebook.sha256[:12]} "
        f"（{r.rulebook.rules} 条规则）· 核查基准日 {r.as_of}"
    ),
    columns=tuple(
        label(k, "zh")
        for k in ("record", "record_context", "rule", "outcome", "observed", "expected")
    ),
    outcome=lambda outcome: outcome_label(outcome, "zh"),
    no_findings="没有核查结果。",
    rejected_heading=lambda n: f"{label('rejected', 'zh')}（{n}）：未核查，请修正后重新运行",
    rejected_line=_zh_rejected,
    provisions_heading=f"{label('provisions', 'zh')}：",
    provision=lambda f, n: (
        f"  {f.rule_id}（{n} 项，{label(f.severity, 'zh')}）— "
        f"{_cited(f.citation, '［征求意见稿］')}"
    ),
    summary=lambda evaluated, rejected, r: (
        f"{label('summary', 'zh')}：共 {evaluated + rejected} 条记录（已核查 {evaluated}，"
        f"未能读取 {rejected}）· {r.summary.findings} 项结果："
        + "，".join(f"{outcome_label(k, 'zh')} {v}" for k, v in r.summary.by_outcome.items())
    ),
    result=lambda r: f"结论：{verdict_line(r, 'zh')}",
    stamp=lambda r: ["", *(f"{name}：{value}" for name, value in stamp_rows(r, "zh"))],
)

_WORDS: dict[Lang, _Words] = {"en": _EN, "zh": _ZH}


def _plain(text: str, outcome: str) -> str:
    return text


def _per_rule(report: Report, lang: Lang) -> str:
    """Per rule, how many findings came out each way (the --summary view)."""
    shown = ("pass", "fail", "pending", "insufficient_data")
    headers = [label("rule", lang), label("severity", lang)]
    headers += [outcome_label(o, lang) for o in shown] + [label("total", lang)]
    rows = [
        [rc.rule_id, label(rc.severity, lang), *(str(rc.counts[o]) for o in shown), str(rc.total)]
        for rc in rule_counts(report)
    ]
    return wrapped_table(headers, rows, terminal_width(), fixed=range(1, len(headers)))


def render_table(
    report: Report,
    *,
    style: Style = _plain,
    lang: Lang = "en",
    view: str = "full",
    unit: str = "元",
    width: int | None = None,
) -> str:
    """A readable report for a terminal, fitted to `width` columns (default: the terminal's).

    `style` may colour outcomes; `view` is one of TABLE_VIEWS.
    """
    words = _WORDS[lang]
    if view == "quiet":
        return safe(words.result(report)) + "\n"
    evaluated = sum(i.evaluated for i in report.inputs) if report.inputs else report.summary.records
    closing = [
        "",
        words.summary(evaluated, len(report.rejected), report),
        safe(words.result(report)),
    ]
    if view == "summary":
        body = _per_rule(report, lang) if report.findings else words.no_findings
        return "\n".join([safe(words.header(report)), "", body, *closing]) + "\n"
    out = [safe(words.header(report)), ""]
    incomplete = incomplete_line(report, lang)
    if incomplete:
        out += [safe(incomplete), ""]
    if report.findings:
        code_of = {words.outcome(o): o for o in OUTCOMES}
        rows = [
            [
                safe(f.record_id),
                safe(" · ".join(t for t in (f.record_name, division_text(f.jurisdiction)) if t)),
                f.rule_id,
                words.outcome(f.outcome),
                safe(observed_figures(f, lang, unit)),
                safe(expected_text(f, lang)),
            ]
            for f in report.findings
        ]
        out.append(
            wrapped_table(
                list(words.columns),
                rows,
                width or terminal_width(),
                fixed=(0, 3),
                identifiers=(2,),
                style=lambda column, raw, cell: style(cell, code_of[raw]) if column == 3 else cell,
            )
        )
    else:
        out.append(words.no_findings)

    if report.rejected:
        out += ["", words.rejected_heading(len(report.rejected))]
        out += [safe(words.rejected_line(r)) for r in report.rejected]

    failing = Counter(f.rule_id for f in report.findings if f.outcome == "fail")
    if failing:
        out += ["", words.provisions_heading]
        seen: set[str] = set()
        for f in report.findings:
            if f.outcome == "fail" and f.rule_id not in seen:
                seen.add(f.rule_id)
                provision = safe(words.provision(f, failing[f.rule_id]))
                out.append(f"{provision}\n    “{safe(f.citation.quote)}”")

    marked = marks_lines(report.findings, lang)
    if marked:
        out += ["", *map(safe, marked)]

    notes = intake_notes(report, lang)
    if notes:
        heading = "读取情况：" if lang == "zh" else "Reading:"
        out += ["", heading, *(f"  {safe(n)}" for n in notes)]
    out += closing
    out += map(safe, words.stamp(report))
    return "\n".join(out) + "\n"
