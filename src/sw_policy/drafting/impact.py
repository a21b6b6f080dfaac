"""Impact of a change: the same records judged by two rulebooks, and who moved.

Findings are aligned by (kind, record_id, rule_id). A finding present in only
one report moves from or to None (`appears` / `disappears`: a rule added or
removed, a scope widened, a rule displaced). Per rule, every transition
between outcomes is counted and its records listed, sorted, so a drafter can
paste the result into a memo and reviewers can check it record by record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sw_policy.findings import Finding, Report
from sw_policy.reports.text import table

__all__ = ["Impact", "RuleImpact", "compare_reports", "render_impact"]

Key = tuple[str, str, str]
NONE = "none"


@dataclass
class RuleImpact:
    """One rule: records per (old outcome, new outcome), unchanged ones counted only."""

    rule_id: str
    unchanged: int = 0
    moves: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @property
    def moved(self) -> int:
        return sum(len(ids) for ids in self.moves.values())


@dataclass
class Impact:
    """Per rule (in the order rules first appear), how its findings moved."""

    old_sha256: str
    new_sha256: str
    rules: list[RuleImpact]

    @property
    def moved(self) -> int:
        return sum(r.moved for r in self.rules)

    def counts(self) -> dict[str, dict[str, int]]:
        """{rule_id: {"pass→fail": n, ...}} for the rules that moved."""
        return {
            r.rule_id: {f"{a}→{b}": len(ids) for (a, b), ids in sorted(r.moves.items())}
            for r in self.rules
            if r.moves
        }


def _index(report: Report) -> dict[Key, Finding]:
    return {(f.kind, f.record_id, f.rule_id): f for f in report.findings}


def compare_reports(old: Report, new: Report) -> Impact:
    """Align two reports over the same records and count every rule's transitions."""
    before, after = _index(old), _index(new)
    order: dict[str, RuleImpact] = {}
    keys = list(before) + [k for k in after if k not in before]
    for key in keys:
        kind, record_id, rule_id = key
        entry = order.setdefault(rule_id, RuleImpact(rule_id))
        was = before[key].outcome if key in before else NONE
        now = after[key].outcome if key in after else NONE
        if was == now:
            entry.unchanged += 1
        else:
            entry.moves.setdefault((was, now), []).append(f"{kind}:{record_id}")
    for entry in order.values():
        for ids in entry.moves.values():
            ids.sort()
    return Impact(
        old_sha256=old.rulebook.sha256, new_sha256=new.rulebook.sha256, rules=list(order.values())
    )


def _as_json(impact: Impact) -> str:
    data: dict[str, Any] = {
        "old_rulebook": impact.old_sha256,
        "new_rulebook": impact.new_sha256,
        "moved": impact.moved,
        "rules": [
            {
                "rule_id": r.rule_id,
                "unchanged": r.unchanged,
                "moves": [
                    {"from": a, "to": b, "count": len(ids), "records": ids}
                    for (a, b), ids in sorted(r.moves.items())
                ],
            }
            for r in impact.rules
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _rows(impact: Impact) -> list[list[str]]:
    rows = []
    for r in impact.rules:
        for (a, b), ids in sorted(r.moves.items()):
            rows.append([r.rule_id, f"{a} → {b}", str(len(ids)), ", ".join(ids)])
    return rows


def _as_table(impact: Impact) -> str:
    rows = _rows(impact)
    if not rows:
        return f"no finding moved ({sum(r.unchanged for r in impact.rules)} unchanged)\n"
    text = table(["rule", "change", "records", "ids"], rows, [48, 36, 7, 80])
    unchanged = sum(r.unchanged for r in impact.rules)
    return text + f"\n{impact.moved} finding(s) moved, {unchanged} unchanged\n"


def _as_markdown(impact: Impact) -> str:
    lines = [
        "| rule | change | records | ids |",
        "|---|---|---:|---|",
    ]
    lines += [
        f"| `{rule}` | {change} | {count} | {ids or '–'} |"
        for rule, change, count, ids in _rows(impact)
    ]
    if len(lines) == 2:
        lines.append("| – | no finding moved | 0 | – |")
    unchanged = sum(r.unchanged for r in impact.rules)
    lines.append("")
    lines.append(f"{impact.moved} finding(s) moved, {unchanged} unchanged.")
    return "\n".join(lines) + "\n"


_RENDERERS: dict[str, Callable[[Impact], str]] = {
    "table": _as_table,
    "json": _as_json,
    "md": _as_markdown,
}


def render_impact(impact: Impact, fmt: str) -> str:
    """The impact as a terminal table, JSON, or Markdown for a drafting memo."""
    return _RENDERERS[fmt](impact)
