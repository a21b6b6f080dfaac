"""`diff --format html`: the impact of a rule change as one page a drafter can show.

One self-contained file: inline CSS and SVG, no script, no font or image
fetched (a Content-Security-Policy says so), byte-deterministic. Per rule that
moved: a small bar chart of its transitions (fail → pass …), the records of
each with their observed values before and after, and what changed in the rule
itself (parameters and quote, old beside new).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from sw_policy.checking.rulebook import Rulebook
from sw_policy.drafting.impact import Impact, RuleImpact
from sw_policy.errors import PolicyError
from sw_policy.findings import Finding, Report

__all__ = ["ImpactContext", "memo_changes", "render_impact_html", "rule_changes"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_COLOURS = {
    "pass": "#2e7d32",
    "fail": "#c62828",
    "pending": "#f9a825",
    "insufficient_data": "#8e24aa",
    "not_applicable": "#757575",
    "none": "#9e9e9e",
}
_STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;
color:#222;max-width:72rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-top:1px solid #ccc;
padding-top:1rem}table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}code{font-size:.95em}.old{background:#fdecea}.new{background:#e8f5e9}
.meta{color:#555}.quote{font-family:serif}
"""


@dataclass(frozen=True)
class ImpactContext:
    """What the page says about the run: both rulebooks and reports, the date, the inputs."""

    old: Rulebook
    new: Rulebook
    old_report: Report
    new_report: Report
    old_name: str
    new_name: str
    as_of: dt.date
    files: Sequence[str]


def _rule(book: Rulebook, rule_id: str) -> Any:
    try:
        return book.rule(rule_id)
    except PolicyError:
        return None


def rule_changes(old: Rulebook, new: Rulebook, rule_id: str) -> list[tuple[str, str, str]]:
    """(what, before, after) for each parameter, quote or clause that differs; `–` if absent."""
    was, now = _rule(old, rule_id), _rule(new, rule_id)
    if was is None or now is None:
        return [("rule", "–" if was is None else "present", "–" if now is None else "present")]
    changes = []
    for name in sorted(set(was.parameters) | set(now.parameters)):
        a = was.parameters.get(name)
        b = now.parameters.get(name)
        shown_a = "–" if a is None else _plain(a.value)
        shown_b = "–" if b is None else _plain(b.value)
        if shown_a != shown_b:
            changes.append((f"parameter {name}", shown_a, shown_b))
    for attr in ("clause", "quote", "severity"):
        if getattr(was, attr) != getattr(now, attr):
            changes.append((attr, str(getattr(was, attr)), str(getattr(now, attr))))
    return changes


def _plain(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _chart(entry: RuleImpact) -> str:
    """Horizontal bars, one per transition, as inline SVG (no script, no network)."""
    moves = sorted(entry.moves.items())
    most = max(len(ids) for _, ids in moves)
    height = 22 * len(moves) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="420" height="{height}" role="img" '
        f'aria-label="transitions of {escape(entry.rule_id)}">'
    ]
    for row, ((was, now), ids) in enumerate(moves):
        y = 22 * row + 2
        width = max(2, round(240 * len(ids) / most))
        colour = _COLOURS.get(now, "#555")
        label = escape(f"{was} → {now}")
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{label}</text>')
        parts.append(
            f'<rect x="150" y="{y}" width="{width}" height="16" fill="{colour}">'
            f"<title>{label}: {len(ids)}</title></rect>"
        )
        parts.append(f'<text x="{150 + width + 4}" y="{y + 14}" font-size="12">{len(ids)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _observed(finding: Finding | None) -> str:
    if finding is None:
        return "–"
    values = ", ".join(f"{k} = {v}" for k, v in finding.observed.items() if v is not None)
    return f"{finding.outcome} ({values}; expected {finding.expected})"


def _index(report: Report) -> dict[tuple[str, str, str], Finding]:
    return {(f.kind, f.record_id, f.rule_id): f for f in report.findings}


def _rule_section(entry: RuleImpact, ctx: ImpactContext) -> list[str]:
    before, after = _index(ctx.old_report), _index(ctx.new_report)
    spec = _rule(ctx.new, entry.rule_id) or _rule(ctx.old, entry.rule_id)
    out = [f"<h2><code>{escape(entry.rule_id)}</code></h2>"]
    if spec is not None:
        out.append(
            f'<p class="meta">{escape(spec.summary.zh)} / {escape(spec.summary.en)}'
            f" — {escape(spec.clause)}, {escape(spec.severity)}</p>"
        )
    out.append(_chart(entry))
    changes = rule_changes(ctx.old, ctx.new, entry.rule_id)
    if changes:
        out.append("<table><tr><th>changed</th><th>before</th><th>after</th></tr>")
        for what, was, now in changes:
            extra = " quote" if what == "quote" else ""
            out.append(
                f'<tr><td>{escape(what)}</td><td class="old{extra}">{escape(was)}</td>'
                f'<td class="new{extra}">{escape(now)}</td></tr>'
            )
        out.append("</table>")
    elif spec is not None:
        out.append(
            "<p>The rule's own text and parameters are unchanged (another rule's change, "
            "or a --set, moved these findings).</p>"
        )
    if spec is not None:
        out.append(f'<p class="quote">「{escape(spec.quote)}」</p>')
    out.append(
        "<table><tr><th>change</th><th>records</th><th>record</th>"
        "<th>before</th><th>after</th></tr>"
    )
    for (was, now), ids in sorted(entry.moves.items()):
        for index, record in enumerate(ids):
            kind, _, record_id = record.partition(":")
            key = (kind, record_id, entry.rule_id)
            head = (
                f'<td rowspan="{len(ids)}">{escape(f"{was} → {now}")}</td>'
                f'<td rowspan="{len(ids)}">{len(ids)}</td>'
                if index == 0
                else ""
            )
            out.append(
                f"<tr>{head}<td>{escape(record)}</td>"
                f"<td>{escape(_observed(before.get(key)))}</td>"
                f"<td>{escape(_observed(after.get(key)))}</td></tr>"
            )
    out.append("</table>")
    return out


def render_impact_html(impact: Impact, ctx: ImpactContext) -> str:
    """The whole page: a summary, then one section per rule whose findings moved."""
    unchanged = sum(r.unchanged for r in impact.rules)
    moved = [r for r in impact.rules if r.moves]
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>规则修改影响 Impact of a rule change</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>规则修改影响 · Impact of a rule change</h1>",
        "<table>",
        f"<tr><th>before</th><td>{escape(ctx.old_name)}<br><code>sha256 "
        f"{escape(impact.old_sha256[:16])}…</code></td></tr>",
        f"<tr><th>after</th><td>{escape(ctx.new_name)}<br><code>sha256 "
        f"{escape(impact.new_sha256[:16])}…</code></td></tr>",
        f"<tr><th>as of</th><td>{ctx.as_of.isoformat()}</td></tr>",
        f"<tr><th>records from</th><td>{escape(', '.join(ctx.files))}</td></tr>",
        f"<tr><th>findings</th><td>{impact.moved} moved, {unchanged} unchanged</td></tr>",
        "</table>",
    ]
    if not moved:
        out.append("<p><strong>No finding moved.</strong></p>")
    else:
        out.append("<table><tr><th>rule</th><th>change</th><th>records</th></tr>")
        for entry in moved:
            for (was, now), ids in sorted(entry.moves.items()):
                out.append(
                    f"<tr><td><code>{escape(entry.rule_id)}</code></td>"
                    f"<td>{escape(f'{was} → {now}')}</td><td>{len(ids)}</td></tr>"
                )
        out.append("</table>")
    for entry in moved:
        out.extend(_rule_section(entry, ctx))
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def memo_changes(impact: Impact, ctx: ImpactContext) -> str:
    """Markdown for the memo under the table: the run, and each changed rule's figures."""
    lines = [
        "",
        f"Judged at {ctx.as_of.isoformat()}: before `{ctx.old_name}`, after `{ctx.new_name}`;"
        f" records from {', '.join(f'`{f}`' for f in ctx.files)}.",
    ]
    changed = [
        (r.rule_id, rule_changes(ctx.old, ctx.new, r.rule_id)) for r in impact.rules if r.moves
    ]
    rows = [(rule_id, c) for rule_id, cs in changed for c in cs]
    if rows:
        lines += ["", "| rule | changed | before | after |", "|---|---|---|---|"]
        lines += [
            f"| `{rule_id}` | {what} | {_md(was)} | {_md(now)} |"
            for rule_id, (what, was, now) in rows
        ]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
