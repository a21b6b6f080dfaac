"""Describing the rulebook itself: rule lists, one rule in full, clause coverage, the catalogue.

The Markdown catalogue in docs/ is generated from here, so it cannot drift
from the YAML (a test regenerates it and compares).
"""

from __future__ import annotations

from sw_policy.checking.rulebook import Rulebook
from sw_policy.engines.wording import describe_node
from sw_policy.reports.text import table
from sw_policy.rulebook.conditions import AllOf, AnyOf
from sw_policy.rulebook.schema import RuleSpec
from sw_policy.rulebook.variants import variant_of, variants_of

__all__ = [
    "coverage_rows",
    "render_catalogue",
    "render_coverage",
    "render_rule",
    "render_rule_list",
]


def _scope(rulebook: Rulebook, rule: RuleSpec) -> str:
    source = rulebook.source_of(rule.id)
    code = rule.scope or source.jurisdiction
    exact = " (exact)" if rule.scope_match == "exact" else ""
    return f"{code} {source.jurisdiction_name}{exact}"


def _timing(rule: RuleSpec) -> str:
    if rule.deadline is not None:
        return f"by {rule.deadline}"
    if rule.milestones is not None:
        return "milestones " + ", ".join(str(m.year) for m in rule.milestones)
    return "from issue"


def render_rule_list(rulebook: Rulebook) -> str:
    """One line per rule."""
    rows = [[r.id, r.severity, r.kind, r.clause, _timing(r), r.summary.en] for r in rulebook.rules]
    return (
        table(
            ["RULE", "SEVERITY", "KIND", "CLAUSE", "WHEN", "SUMMARY"], rows, [44, 9, 11, 8, 24, 80]
        )
        + "\n"
    )


def render_rule(rulebook: Rulebook, rule_id: str) -> str:
    """Everything about one rule: citation, quote, parameters, condition."""
    rule = rulebook.rule(rule_id)
    source = rulebook.source_of(rule_id)
    own = variant_of(rule, None)
    params = own.params
    number = source.number or "(number not in text)"
    lines = [
        rule.id,
        f"  {rule.summary.zh}",
        f"  {rule.summary.en}",
        "",
        f"Source:    {source.id} · {number} · 《{source.title}》 · issued {source.issued}"
        + (" · DRAFT FOR COMMENT" if source.status == "draft" else ""),
        f"Clause:    {rule.clause}",
        f"Quote:     “{rule.quote}”",
        f"Severity:  {rule.severity}",
        f"Applies to: {rule.kind} records in {_scope(rulebook, rule)}, {_timing(rule)}",
    ]
    if rule.applies_when is not None:
        # A lone comparison keeps its field ("demonstration = true", not "= true").
        joined = isinstance(rule.applies_when, AllOf | AnyOf)
        lines.append(f"When:      {describe_node(rule.applies_when, params, {}, top=joined)}")
    lines.append(f"Condition: {describe_node(own.condition, params, {}, top=False)}")
    for variant in variants_of(rule):  # each milestone as it judges its own year
        if variant.milestone is not None and not variant.carried:
            shown = describe_node(variant.condition, variant.params, {}, top=False)
            lines.append(f"  {variant.year}: {shown}")
    if rule.parameters:
        lines.append("Parameters:")
        for name, p in rule.parameters.items():
            unit = f" {p.unit}" if p.unit else ""
            value = p.value
            shown = (
                ", ".join(f"{k} → {v}" for k, v in value.items())
                if isinstance(value, dict)
                else ", ".join(map(str, value))
                if isinstance(value, tuple)
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
            )
            lines.append(f"  {name} = {shown}{unit}  — {p.description}")
    if rule.notes:
        lines.append(f"Notes:     {rule.notes}")
    return "\n".join(lines) + "\n"


def coverage_rows(rulebook: Rulebook) -> list[dict[str, str]]:
    """Every numbered clause of every source, as flat rows."""
    rows = []
    for source in rulebook.sources:
        for entry in rulebook.coverage.get(source.id, ()):
            rows.append(
                {
                    "source": source.id,
                    "clause": entry.clause,
                    "heading": entry.heading,
                    "status": "encoded" if entry.rules else f"not encoded: {entry.not_encoded}",
                    "rules": ", ".join(entry.rules),
                    "reason": entry.reason or entry.note or "",
                }
            )
    return rows


def render_coverage(rulebook: Rulebook) -> str:
    """The coverage listing as a terminal table with totals."""
    rows = coverage_rows(rulebook)
    body = table(
        ["SOURCE", "CLAUSE", "HEADING", "STATUS", "RULES / REASON"],
        [
            [r["source"], r["clause"], r["heading"], r["status"], r["rules"] or r["reason"]]
            for r in rows
        ],
        [20, 9, 30, 30, 100],
    )
    encoded = sum(1 for r in rows if r["status"] == "encoded")
    return (
        body + f"\n\n{len(rows)} numbered clauses: {encoded} encoded, "
        f"{len(rows) - encoded} not encoded.\n"
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_catalogue(rulebook: Rulebook) -> str:
    """docs/rule-catalogue.md: every rule and every clause, generated from rules/."""
    out = [
        "# Rule catalogue",
        "",
        "Generated from `rules/` by `sw-policy rules catalogue`; do not edit by hand.",
        "",
        f"Rulebook sha256 `{rulebook.sha256}`, {len(rulebook.rules)} rules.",
        "",
        "How each provision's words were read, and why: [readings.md](readings.md).",
        "",
        "## Sources",
        "",
        "| id | number | title | issued | status | scope |",
        "|---|---|---|---|---|---|",
    ]
    for s in rulebook.sources:
        out.append(
            f"| `{s.id}` | {s.number or '—'} | {_md(s.title)} | {s.issued} | {s.status} "
            f"| {s.jurisdiction} {s.jurisdiction_name} |"
        )
    out += ["", "## Rules", ""]
    for rule in rulebook.rules:
        out += [
            f"### `{rule.id}`",
            "",
            "```text",
            render_rule(rulebook, rule.id).rstrip(),
            "```",
            "",
        ]
    out += ["## Coverage of every numbered clause", ""]
    out += ["| source | clause | heading | status | rules / reason |", "|---|---|---|---|---|"]
    for r in coverage_rows(rulebook):
        detail = r["rules"] or r["reason"]
        if r["rules"] and r["reason"]:
            detail += f" — {r['reason']}"
        out.append(
            f"| {r['source']} | {r['clause']} | {_md(r['heading'])} | {r['status']} "
            f"| {_md(detail)} |"
        )
    return "\n".join(out) + "\n"
