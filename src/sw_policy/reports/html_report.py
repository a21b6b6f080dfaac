"""The HTML report: one self-contained page (inline CSS and SVG, no script, no network).

A Content-Security-Policy forbids every external load and every script, and
all text is escaped, so a record id such as <img onerror=...> shows as text.
Sections: summary, a pass/fail chart per rule, findings with their quotes,
rejected rows, and the run stamp in the footer.
"""

from __future__ import annotations

from html import escape

from sw_policy.findings import Finding, Report
from sw_policy.reports.labels import Lang, label, marks_text, outcome_label
from sw_policy.reports.rows import (
    REJECTED_KEYS,
    observed_text,
    rejected_row,
    rule_counts,
    stamp_rows,
)
from sw_policy.reports.verdict import incomplete_line, intake_notes

__all__ = ["render_html"]

COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "pending": "#f9a825",
    "insufficient_data": "#6a1b9a",
}
_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}#findings-table{width:100%;font-size:.9em}
td{max-width:30em;overflow-wrap:anywhere}th,td{border:1px solid #ccc;padding:.3em .5em;
vertical-align:top;text-align:left}th{background:#f3f3f3}
td.n{text-align:right}.outcome-pass{color:#2e7d32}.outcome-fail{color:#c62828;font-weight:bold}
.outcome-pending{color:#a67c00}.outcome-insufficient_data{color:#6a1b9a}
blockquote{margin:.2em 0;padding:.2em .6em;border-left:3px solid #999;background:#fafafa}
.verdict-fail{color:#c62828;font-weight:bold}.verdict-ok{color:#2e7d32;font-weight:bold}
footer{margin-top:2em;font-size:.85em;color:#555}footer td{font-family:monospace}
""".strip()
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_CHART_OUTCOMES = ("pass", "fail", "pending", "insufficient_data")


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _table(headers: list[str], rows: list[list[str]], table_id: str) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _td(value: object, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{_e(value)}</td>"


def _chart(report: Report, lang: Lang) -> str:
    """One horizontal stacked bar per rule: pass, fail, pending, insufficient data."""
    counts = rule_counts(report)
    if not counts:
        return f"<p>{_e(label('none', lang))}</p>"
    bar, name_w, row_h = 400, 330, 22
    most = max(rc.total for rc in counts) or 1
    height = row_h * len(counts) + 30
    parts = [
        f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{name_w + bar + 60}" '
        f'height="{height}" role="img" aria-label="{_e(label("by_rule", lang))}">'
    ]
    for i, rc in enumerate(counts):
        y = i * row_h
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{_e(rc.rule_id)}</text>')
        x = float(name_w)
        for outcome in _CHART_OUTCOMES:
            n = rc.counts[outcome]
            if not n:
                continue
            width = bar * n / most
            parts.append(
                f'<rect class="bar bar-{outcome}" data-rule="{_e(rc.rule_id)}" '
                f'data-count="{n}" x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="16" '
                f'fill="{COLOURS[outcome]}"><title>{_e(rc.rule_id)}: '
                f"{_e(outcome_label(outcome, lang))} {n}</title></rect>"
            )
            x += width
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="12">{rc.total}</text>')
    legend_y = row_h * len(counts) + 20
    for j, outcome in enumerate(_CHART_OUTCOMES):
        lx = name_w + j * 100
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 10}" width="10" height="10" '
            f'fill="{COLOURS[outcome]}"/><text x="{lx + 14}" y="{legend_y}" font-size="12">'
            f"{_e(outcome_label(outcome, lang))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _where(finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return ""
    sheet = f" · {loc.sheet}" if loc.sheet else ""
    return f"{loc.path}{sheet} · {loc.row}"


def _finding_row(f: Finding, lang: Lang) -> list[str]:
    c = f.citation
    number = f"{c.document_number} " if c.document_number else ""
    draft = f" ({label('draft', lang)})" if c.status == "draft" else ""
    citation = (
        f"<td>{_e(number)}《{_e(c.title)}》{_e(c.clause)}{_e(draft)}"
        f"<blockquote>{_e(c.quote)}</blockquote></td>"
    )
    return [
        _td(_where(f)),
        _td(f.record_id),
        _td(f.rule_id),
        _td(outcome_label(f.outcome, lang), f"outcome-{f.outcome}"),
        _td(observed_text(f)),
        _td(f.expected),
        _td(f.message.zh if lang == "zh" else f.message.en),
        _td(marks_text(f.marks, f.displaced, lang)),
        citation,
    ]


def render_html(report: Report, lang: Lang) -> str:
    """The report as one self-contained HTML page."""
    s = report.summary
    evaluated = sum(i.evaluated for i in report.inputs) if report.inputs else s.records
    rejected = len(report.rejected)
    failed = report.has_mandatory_failure
    incomplete = incomplete_line(report, lang)
    verdict_text = label("result_fail" if failed else "result_ok", lang)
    verdict_class = "verdict-fail" if failed else "verdict-ok"
    if incomplete and not failed:
        verdict_text, verdict_class = incomplete, "verdict-fail"
    top = f'<p class="verdict-fail" id="incomplete">{_e(incomplete)}</p>\n' if incomplete else ""
    notes = intake_notes(report, lang)
    reading = (
        '<section id="reading"><h2>'
        + _e("读取情况" if lang == "zh" else "Reading")
        + "</h2><ul>"
        + "".join(f"<li>{_e(n)}</li>" for n in notes)
        + "</ul></section>\n"
        if notes
        else ""
    )
    summary_rows = [
        [_td(label("records", lang)), _td(evaluated + rejected, "n")],
        [_td(label("evaluated", lang)), _td(evaluated, "n")],
        [_td(label("rejected", lang)), _td(rejected, "n")],
        [_td(label("findings", lang)), _td(s.findings, "n")],
    ] + [
        [_td(outcome_label(o, lang), f"outcome-{o}"), _td(n, "n")] for o, n in s.by_outcome.items()
    ]
    findings_headers = [
        "source",
        "record",
        "rule",
        "outcome",
        "observed",
        "expected",
        "message",
        "marks",
    ]
    findings = _table(
        [_e(label(k, lang)) for k in findings_headers] + [_e(label("quote", lang))],
        [_finding_row(f, lang) for f in report.findings],
        "findings-table",
    )
    rejected_table = (
        _table(
            [_e(label(k, lang)) for k in REJECTED_KEYS],
            [[_td(v) for v in rejected_row(r)] for r in report.rejected],
            "rejected-table",
        )
        if report.rejected
        else f"<p>{_e(label('none', lang))}</p>"
    )
    stamp = _table(
        [_e(label("stamp", lang)), ""],
        [[_td(name), _td(value)] for name, value in stamp_rows(report, lang)],
        "stamp-table",
    )
    summary_table = _table(
        [_e(label("summary", lang)), _e(label("count", lang))], summary_rows, "summary-table"
    )
    chart = _chart(report, lang)
    html_lang = "zh-CN" if lang == "zh" else "en"
    title = _e(label("title", lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{title} · {_e(report.as_of.isoformat())}</title>\n<style>\n{_CSS}\n</style>\n"
        f"</head>\n<body>\n<h1>{title}</h1>\n{top}"
        f'<section id="summary"><h2>{_e(label("summary", lang))}</h2>'
        f'<p class="{verdict_class}" id="verdict">{_e(verdict_text)}</p>'
        f"{summary_table}"
        f"</section>\n"
        f'<section id="by-rule"><h2>{_e(label("by_rule", lang))}</h2>{chart}</section>\n'
        f'<section id="findings"><h2>{_e(label("findings", lang))}</h2>{findings}</section>\n'
        f'<section id="rejected"><h2>{_e(label("rejected", lang))}</h2>{rejected_table}</section>\n'
        f"{reading}"
        f'<footer id="stamp"><h2>{_e(label("stamp", lang))}</h2>{stamp}</footer>\n'
        "</body>\n</html>\n"
    )
