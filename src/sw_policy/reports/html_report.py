"""The HTML report: one self-contained working paper (inline CSS, SVG, one pinned script).

A Content-Security-Policy forbids every external load and every script but the
one inline script whose hash it names (sorting and filtering the findings), and
all text is escaped, so a record id such as <img onerror=...> shows as text.
Sections: verdict, contents, summary, per-rule summary and chart, findings
(each row pointing at its rule's section, exact figures on hover), the
provisions cited once (document, clause, status, quote, a chart per rule),
rejected rows, and the run stamp. A print stylesheet lays it out on A4.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from sw_policy.findings import Finding, Report
from sw_policy.reports.figures import (
    exact_text,
    expected_text,
    figure,
    threshold,
    verdict_text,
)
from sw_policy.reports.labels import Lang, label, marks_text, outcome_label
from sw_policy.reports.provisions import RuleSection, cited, rule_sections, short_ref
from sw_policy.reports.rows import (
    REJECTED_KEYS,
    division_text,
    rejected_row,
    rule_counts,
    stamp_rows,
)
from sw_policy.reports.terms import AMOUNT_FIELDS, RATIO_FIELDS, field_label
from sw_policy.reports.verdict import incomplete_line, intake_notes, verdict_line

__all__ = ["render_html"]

COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "pending": "#f9a825",
    "insufficient_data": "#6a1b9a",
}
_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}h3{margin:.8em 0 .3em}
table{border-collapse:collapse;margin:.5em 0}#findings-table{width:100%;font-size:.9em}
td{max-width:30em;overflow-wrap:anywhere}th,td{border:1px solid #ccc;padding:.3em .5em;
vertical-align:top;text-align:left}th{background:#f3f3f3}th[data-sort]{cursor:pointer}
td.n{text-align:right;white-space:nowrap}.fig span{display:block;white-space:nowrap}
td.ref a{white-space:nowrap}td.src{font-size:.85em;color:#444}
td.ctx span{display:block}td.ctx span+span{font-size:.85em;color:#444}
.outcome-pass{color:#2e7d32}.outcome-fail{color:#c62828;font-weight:bold}
.outcome-pending{color:#a67c00}.outcome-insufficient_data{color:#6a1b9a}
blockquote{margin:.2em 0;padding:.2em .6em;border-left:3px solid #999;background:#fafafa}
.verdict-fail{color:#c62828;font-weight:bold}.verdict-ok{color:#2e7d32;font-weight:bold}
.stamp-line{font-size:.8em;color:#555;font-family:monospace}.note{font-size:.85em;color:#555}
nav ol{columns:2}.print-only{display:none}#filter{margin:.3em 0;padding:.2em .4em;width:20em}
footer{margin-top:2em;font-size:.85em;color:#555}footer td{font-family:monospace}
@page{size:A4;margin:16mm 12mm}
@media print{body{margin:0;font-size:10pt}#filter,th[data-sort]::after{display:none}
#findings,#provisions,#rejected,footer{break-before:page}
.print-only{display:block}
tr,blockquote,.provision{break-inside:avoid}thead{display:table-header-group}
a{color:inherit;text-decoration:none}.stamp-line{position:running(header)}
td{max-width:none}}
""".strip()
_SCRIPT = (
    "document.querySelectorAll('th[data-sort]').forEach(function(th){th.onclick=function(){"
    "var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,d=th.dataset.dir=="
    "'a'?'d':'a';th.dataset.dir=d;var r=Array.prototype.slice.call(b.rows);"
    "r.sort(function(x,y){var p=x.cells[i].dataset.v||x.cells[i].textContent,q=y.cells[i]"
    ".dataset.v||y.cells[i].textContent,n=parseFloat(p)-parseFloat(q);var c=isNaN(n)?"
    "p.localeCompare(q,'zh'):n;return d=='a'?c:-c});r.forEach(function(e){b.appendChild(e)})}});"
    "var f=document.getElementById('filter');if(f){f.hidden=false;f.oninput=function(){"
    "var w=f.value.toLowerCase();Array.prototype.forEach.call(document.getElementById("
    "'findings-table').tBodies[0].rows,function(e){e.hidden=w&&e.textContent.toLowerCase()"
    ".indexOf(w)<0})}}"
)
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
"""The only script the page may run (sorting, filtering): its hash is pinned in the CSP."""
_CSP = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '{SCRIPT_HASH}'"
_CHART_OUTCOMES = ("pass", "fail", "pending", "insufficient_data")


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _table(headers: list[str], rows: list[list[str]], table_id: str, sortable: bool = False) -> str:
    sort = " data-sort" if sortable else ""
    head = "".join(f"<th{sort}>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _td(value: object, cls: str = "", title: str = "", sort: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    attr += f' title="{_e(title)}"' if title else ""
    attr += f' data-v="{_e(sort)}"' if sort else ""
    return f"<td{attr}>{_e(value)}</td>"


def _bars(counts: dict[str, int], rule_id: str, lang: Lang, *, y: int, x0: float, most: int) -> str:
    """One stacked bar (pass, fail, pending, insufficient data) for one rule."""
    bar = 400
    parts, x = [], x0
    for outcome in _CHART_OUTCOMES:
        n = counts[outcome]
        if not n:
            continue
        width = bar * n / most
        parts.append(
            f'<rect class="bar bar-{outcome}" data-rule="{_e(rule_id)}" '
            f'data-count="{n}" x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="16" '
            f'fill="{COLOURS[outcome]}"><title>{_e(rule_id)}: '
            f"{_e(outcome_label(outcome, lang))} {n}</title></rect>"
        )
        x += width
    parts.append(f'<text x="{x + 4:.1f}" y="{y + 15}" font-size="12">{sum(counts.values())}</text>')
    return "".join(parts)


def _legend(lang: Lang, y: int, x0: int) -> str:
    parts = []
    for j, outcome in enumerate(_CHART_OUTCOMES):
        lx = x0 + j * 100
        parts.append(
            f'<rect x="{lx}" y="{y - 10}" width="10" height="10" '
            f'fill="{COLOURS[outcome]}"/><text x="{lx + 14}" y="{y}" font-size="12">'
            f"{_e(outcome_label(outcome, lang))}</text>"
        )
    return "".join(parts)


def _chart(report: Report, lang: Lang) -> str:
    """One horizontal stacked bar per rule: pass, fail, pending, insufficient data."""
    counts = rule_counts(report)
    if not counts:
        return f"<p>{_e(label('none', lang))}</p>"
    name_w, row_h = 330, 22
    most = max(rc.total for rc in counts) or 1
    height = row_h * len(counts) + 30
    parts = [
        f'<svg id="chart" xmlns="http://www.w3.org/2000/svg" width="{name_w + 460}" '
        f'height="{height}" role="img" aria-label="{_e(label("by_rule", lang))}">'
    ]
    for i, rc in enumerate(counts):
        y = i * row_h
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{_e(rc.rule_id)}</text>')
        parts.append(_bars(rc.counts, rc.rule_id, lang, y=y, x0=float(name_w), most=most))
    parts.append(_legend(lang, row_h * len(counts) + 20, name_w))
    parts.append("</svg>")
    return "".join(parts)


def _rule_chart(sec: RuleSection, lang: Lang) -> str:
    """The chart of one rule's section: its own bar, scaled to its own total."""
    total = sum(sec.counts.values()) or 1
    return (
        f'<svg class="rule-chart" xmlns="http://www.w3.org/2000/svg" width="470" height="50" '
        f'role="img" aria-label="{_e(sec.rule_id)}">'
        f"{_bars(sec.counts, sec.rule_id, lang, y=0, x0=0.0, most=total)}"
        f"{_legend(lang, 40, 0)}</svg>"
    )


def _where(finding: Finding) -> str:
    loc = finding.location
    if loc is None:
        return ""
    sheet = f" · {loc.sheet}" if loc.sheet else ""
    return f"{loc.path}{sheet} · {loc.row}"


def _figures_cell(f: Finding, lang: Lang, unit: str) -> str:
    """Observed figures one per line; the exact values on hover; sorts by the first figure."""
    first = next(iter(f.observed), "")
    sort = str(f.observed[first]) if first in RATIO_FIELDS | AMOUNT_FIELDS else ""
    bound = threshold(f)
    lines = "".join(
        f"<span>{_e(field_label(k, lang))} {_e(figure(k, v, lang, unit, bound))}</span>"
        for k, v in f.observed.items()
    )
    sort_attr = f' data-v="{_e(sort)}"' if sort else ""
    return f'<td class="fig" title="{_e(exact_text(f, lang))}"{sort_attr}>{lines}</td>'


def _detail(f: Finding, lang: Lang) -> str:
    """What the message adds to the outcome and the rule's section: unmet parts, gaps, reasons.

    A plain pass or fail repeats the rule's summary, which its section already says.
    """
    text = verdict_text(f, lang)
    if f.outcome in {"pass", "fail"}:
        end = "。" if lang == "zh" else ". "
        _head, sep, rest = text.partition(end)
        return rest.strip() if sep else ""
    return text


def _context_cell(f: Finding) -> str:
    """Beside the id: the record's name, and its division (code and GB/T 2260 name) below."""
    lines = [f"<span>{_e(t)}</span>" for t in (f.record_name, division_text(f.jurisdiction)) if t]
    return f'<td class="ctx">{"".join(lines)}</td>'


def _finding_row(f: Finding, lang: Lang, unit: str, number: int) -> list[str]:
    return [
        _td(_where(f), "src"),
        _td(f.record_id),
        _context_cell(f),
        f'<td class="ref"><a href="#rule-{number}" title="{_e(f.rule_id)}">'
        f"{_e(short_ref(number))}</a></td>",
        _td(outcome_label(f.outcome, lang), f"outcome-{f.outcome}"),
        _figures_cell(f, lang, unit),
        _td(expected_text(f, lang)),
        _td(_detail(f, lang)),
        _td(marks_text(f.marks, f.displaced, lang)),
    ]


def _rule_summary(sections: list[RuleSection], lang: Lang, unit: str) -> str:
    shown = ("pass", "fail", "pending", "insufficient_data")
    headers = [label("ref", lang), label("rule", lang), label("severity", lang)]
    headers += [outcome_label(o, lang) for o in shown]
    headers += [label("failed_records", lang), label("worst", lang)]
    rows = [
        [
            f'<td><a href="#rule-{sec.number}">{_e(short_ref(sec.number))}</a></td>',
            _td(sec.rule_id),
            _td(label(sec.severity, lang)),
            *(_td(sec.counts[o], "n") for o in shown),
            _td(", ".join(sec.failed_records)),
            _td(sec.worst_text(lang, unit)),
        ]
        for sec in sections
    ]
    return _table([_e(h) for h in headers], rows, "rule-summary-table")


def _provision(sec: RuleSection, lang: Lang, unit: str) -> str:
    c = sec.citation
    worst = sec.worst_text(lang, unit)
    failed = ", ".join(sec.failed_records)
    facts = [
        (label("severity", lang), label(sec.severity, lang)),
        (label("document", lang), cited(c, lang)),
        (label("failed_records", lang), failed or label("none", lang)),
    ] + ([(label("worst", lang), worst)] if worst else [])
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
    return (
        f'<section class="provision" id="rule-{sec.number}">'
        f"<h3>{_e(short_ref(sec.number))} {_e(sec.rule_id)}</h3>"
        f"<table>{rows}</table><blockquote>{_e(c.quote)}</blockquote>"
        f"{_rule_chart(sec, lang)}</section>"
    )


def render_html(report: Report, lang: Lang, unit: str = "元") -> str:
    """The report as one self-contained HTML page, a working paper that prints to A4."""
    s = report.summary
    evaluated = sum(i.evaluated for i in report.inputs) if report.inputs else s.records
    rejected = len(report.rejected)
    failed = report.has_mandatory_failure
    incomplete = incomplete_line(report, lang)
    verdict_class = "verdict-fail" if failed or incomplete else "verdict-ok"
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
    sections = rule_sections(report)
    number_of = {sec.rule_id: sec.number for sec in sections}
    findings_headers = [
        "source",
        "record",
        "record_context",
        "rule",
        "outcome",
        "observed",
        "expected",
        "message",
    ]
    findings = _table(
        [_e(label(k, lang)) for k in [*findings_headers, "marks"]],
        [_finding_row(f, lang, unit, number_of[f.rule_id]) for f in report.findings],
        "findings-table",
        sortable=True,
    )
    rejected_table = (
        _table(
            [_e(label(k, lang)) for k in REJECTED_KEYS],
            [[_td(v) for v in rejected_row(r, lang)] for r in report.rejected],
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
    toc = [
        ("summary", label("summary", lang)),
        ("by-rule", label("by_rule", lang)),
        ("findings", label("findings", lang)),
        ("provisions", label("cited", lang)),
        ("rejected", label("rejected", lang)),
        ("stamp", label("stamp", lang)),
    ]
    nav = "".join(f'<li><a href="#{key}">{_e(text)}</a></li>' for key, text in toc)
    nav += "".join(
        f'<li><a href="#rule-{sec.number}">{_e(short_ref(sec.number))} {_e(sec.rule_id)}</a></li>'
        for sec in sections
    )
    provisions = "".join(_provision(sec, lang, unit) for sec in sections) or (
        f"<p>{_e(label('none', lang))}</p>"
    )
    stamp_line = (
        f"{report.engine.name} {report.engine.version} · {label('rulebook_sha256', lang)} "
        f"{report.rulebook.sha256[:12]} · {label('as_of', lang)} {report.as_of.isoformat()}"
    )
    again = f'<p class="stamp-line print-only">{_e(stamp_line)}</p>'
    filter_box = (
        f'<input id="filter" type="search" hidden placeholder="{_e(label("filter", lang))}" '
        f'aria-label="{_e(label("filter", lang))}">'
    )
    html_lang = "zh-CN" if lang == "zh" else "en"
    title = _e(label("title", lang))
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{title} · {_e(report.as_of.isoformat())}</title>\n<style>\n{_CSS}\n</style>\n"
        f'</head>\n<body>\n<p class="stamp-line" id="stamp-line">{_e(stamp_line)}</p>\n'
        f"<h1>{title}</h1>\n{top}"
        f'<p class="{verdict_class}" id="verdict">'
        f"{_e(verdict_line(report, lang))}</p>\n"
        f'<nav id="toc"><h2>{_e(label("contents", lang))}</h2><ol>{nav}</ol></nav>\n'
        f'<section id="summary"><h2>{_e(label("summary", lang))}</h2>'
        f"{summary_table}"
        f"</section>\n"
        f'<section id="by-rule"><h2>{_e(label("by_rule", lang))}</h2>'
        f"{_rule_summary(sections, lang, unit)}{_chart(report, lang)}</section>\n"
        f'<section id="findings">{again}<h2>{_e(label("findings", lang))}</h2>'
        f'<p class="note">{_e(label("exact_note_html", lang))}</p>'
        f"{filter_box}{findings}</section>\n"
        f'<section id="provisions">{again}<h2>{_e(label("cited", lang))}</h2>'
        f"{provisions}</section>\n"
        f'<section id="rejected">{again}<h2>{_e(label("rejected", lang))}</h2>'
        f"{rejected_table}</section>\n"
        f"{reading}"
        f'<footer id="stamp">{again}<h2>{_e(label("stamp", lang))}</h2>{stamp}</footer>\n'
        f"<script>{_SCRIPT}</script>\n"
        "</body>\n</html>\n"
    )
