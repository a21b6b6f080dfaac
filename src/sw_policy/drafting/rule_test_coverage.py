"""Rule-test coverage: which outcomes and which parts of each rule the tests reached.

A rule is covered when an asserted expectation saw it `pass` and one saw it
`fail`, `pending` too when it has a deadline or milestones, and every named
part of a multi-part rule both held and failed in a record some expectation
judged. Only expectations that held count: a failing test covers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sw_policy.checking.rulebook import Rulebook
from sw_policy.drafting.rule_tests import Reached
from sw_policy.engines.row.tree_walk import EvalContext, Truth, truth_of
from sw_policy.rulebook.conditions import walk
from sw_policy.rulebook.schema import RuleSpec
from sw_policy.rulebook.variants import variant_for_year, variants_of

__all__ = ["RuleCoverage", "coverage_of", "goals_of"]


@dataclass
class RuleCoverage:
    """One rule's coverage goals and those reached."""

    rule_id: str
    goals: list[str]
    reached: set[str] = field(default_factory=set)

    @property
    def missing(self) -> list[str]:
        return [g for g in self.goals if g not in self.reached]


def goals_of(rule: RuleSpec) -> list[str]:
    """pass, fail, pending (if the rule can be pending), then part:<id>=true/false."""
    goals = ["pass", "fail"]
    if rule.deadline is not None or rule.milestones:
        goals.append("pending")
    conditions = [rule.condition] + [m.condition for m in rule.milestones or () if m.condition]
    parts: list[str] = []
    for tree in conditions:
        for node in walk(tree):
            part = getattr(node, "part", None)
            if part is not None and part not in parts:
                parts.append(part)
    goals += [f"part:{p}={v}" for p in parts for v in ("true", "false")]
    return goals


def _part_truths(rule: RuleSpec, record: Any, as_of: Any) -> list[tuple[str, Truth]]:
    """The truth of each named part for this record, judged as the engine judges it."""
    # Before its first milestone a target is judged (pending) by the first one.
    reached = variant_for_year(rule, record.year) if rule.milestones else None
    judged = reached or variants_of(rule)[0]
    ctx = EvalContext(record=record, as_of=as_of, params=judged.params)
    truth_of(judged.condition, ctx)
    return [(node.part, truth) for node, truth in ctx.parts]


def coverage_of(rulebook: Rulebook, reached: list[Reached]) -> list[RuleCoverage]:
    """Coverage of every rule of `rulebook` by the expectations that held."""
    table = {rule.id: RuleCoverage(rule.id, goals_of(rule)) for rule in rulebook.rules}
    for item in reached:
        entry = table.get(item.rule_id)
        if entry is None:
            continue
        entry.reached.add(item.outcome)
        if item.outcome in ("pass", "fail", "insufficient_data"):
            rule = rulebook.rule(item.rule_id)
            for part, truth in _part_truths(rule, item.record, item.as_of):
                if truth is not Truth.UNKNOWN:
                    entry.reached.add(f"part:{part}={truth.value}")
    return list(table.values())
