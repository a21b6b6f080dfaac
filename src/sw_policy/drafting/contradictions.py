"""Contradictions: two mandatory rules that no record can pass both of.

Interval reasoning over the thresholds. From each mandatory rule's condition
(a comparison, or an all_of of comparisons) we take the bounds it puts on an
expression (`labour_cost / total_funds ≤ 0.70` is an upper bound on that
ratio). Two rules of the same record kind whose scopes overlap (one contains
the other) and that do not displace each other (amends/supersedes) contradict
when, for some expression they both bound, the bounds leave no value: a
county floor of 75% under a province cap of 70%. Conditions under any_of or
not, and bounds that depend on the record, are left alone: lint reports only
what it can prove.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sw_policy.rulebook.conditions import (
    COMPARISON_SYMBOLS,
    AllOf,
    AnyOf,
    Compare,
    FieldRef,
    In,
    KeysOf,
    Known,
    LiteralValue,
    Lookup,
    MapEntry,
    Not,
    ParamRef,
    Product,
    RankAtLeast,
    Ratio,
    TrainingHours,
)
from sw_policy.rulebook.jurisdiction import covers
from sw_policy.rulebook.layering import chain_of
from sw_policy.rulebook.schema import RuleSpec, SourceDoc
from sw_policy.rulebook.variants import variant_of

__all__ = ["Bound", "bounds_of", "find_contradictions"]

_FLIP = {"le": "ge", "lt": "gt", "ge": "le", "gt": "lt", "eq": "eq"}


# The registry's node types (rulebook/conditions.py NODE_TYPES) bound reasoning reads, and
# those it leaves alone with the reason; tests/test_operator_registry.py keeps them whole.
# Lint reports only what it can prove, so leaving a node alone is always sound.
_BOUNDED = "a bounded expression: compared by its identity (_key), never evaluated"
HANDLED: frozenset[type] = frozenset(
    {Compare, AllOf, ParamRef, LiteralValue, FieldRef, Ratio, Product, TrainingHours, Lookup}
    | {MapEntry}
)
UNSUPPORTED: dict[type, str] = {
    KeysOf: "a set, not a number: no interval to bound",
    RankAtLeast: "an ordinal level, not a number: no interval reasoning",
    In: "set membership: no interval to bound",
    Known: "presence only: bounds nothing",
    AnyOf: "a disjunction: no single bound can be proven",
    Not: "a negation: the complement of a bound is not an interval lint proves",
}


@dataclass(frozen=True)
class Bound:
    """`expression op value`, with op one of le lt ge gt eq."""

    op: str
    value: Fraction
    shown: str


def _constant(node: Any, params: Mapping[str, Any]) -> Fraction | None:
    value: Any = None
    if isinstance(node, ParamRef):
        value = params.get(node.param)
    elif isinstance(node, LiteralValue):
        value = node.value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return None
    return Fraction(value)


def _key(node: Any) -> str:
    """An expression's identity, ignoring the display `name`."""

    def strip(data: Any) -> Any:
        if isinstance(data, dict):
            return {k: strip(v) for k, v in sorted(data.items()) if k != "name"}
        if isinstance(data, list):
            return [strip(v) for v in data]
        return data

    return json.dumps(strip(node.model_dump(mode="json", exclude_none=True)), sort_keys=True)


def _compares(node: Any) -> Iterator[Compare]:
    if isinstance(node, Compare):
        yield node
    elif isinstance(node, AllOf):
        for child in node.of:
            yield from _compares(child)


def bounds_of(rule: RuleSpec) -> dict[str, list[Bound]]:
    """Bounds the rule's condition puts on each expression, keyed by the expression.

    The rule as judged by its own parameters (rulebook/variants.py): contradictions
    are looked for between mandatory rules, which have no milestones.
    """
    own = variant_of(rule, None)
    params = own.params
    found: dict[str, list[Bound]] = {}
    for node in _compares(own.condition):
        if node.op == "ne":
            continue
        right, left = _constant(node.right, params), _constant(node.left, params)
        expr: Any
        raw: Any
        op: str
        if right is not None and left is None:
            expr, op, value, raw = node.left, node.op, right, node.right
        elif left is not None and right is None:
            expr, op, value, raw = node.right, _FLIP[node.op], left, node.left
        else:
            continue
        shown = str(params[raw.param]) if isinstance(raw, ParamRef) else str(raw.value)
        found.setdefault(_key(expr), []).append(Bound(op, value, shown))
    return found


def _lower_upper(bounds: list[Bound]) -> tuple[tuple[Fraction, bool] | None, ...]:
    lower: tuple[Fraction, bool] | None = None  # (value, inclusive)
    upper: tuple[Fraction, bool] | None = None
    for b in bounds:
        if b.op in ("ge", "gt", "eq"):
            cand = (b.value, b.op != "gt")
            if lower is None or cand[0] > lower[0] or (cand[0] == lower[0] and not cand[1]):
                lower = cand
        if b.op in ("le", "lt", "eq"):
            cand = (b.value, b.op != "lt")
            if upper is None or cand[0] < upper[0] or (cand[0] == upper[0] and not cand[1]):
                upper = cand
    return lower, upper


def _empty(bounds: list[Bound]) -> bool:
    lower, upper = _lower_upper(bounds)
    if lower is None or upper is None:
        return False
    return lower[0] > upper[0] or (lower[0] == upper[0] and not (lower[1] and upper[1]))


def _overlap(a: RuleSpec, sa: SourceDoc, b: RuleSpec, sb: SourceDoc) -> bool:
    """Whether some jurisdiction code is inside both rules' scopes."""
    scope_a, scope_b = a.scope or sa.jurisdiction, b.scope or sb.jurisdiction
    exact_a, exact_b = a.scope_match == "exact", b.scope_match == "exact"
    if exact_a and exact_b:
        return scope_a == scope_b
    if exact_a:
        return covers(scope_b, scope_a)
    if exact_b:
        return covers(scope_a, scope_b)
    return covers(scope_a, scope_b) or covers(scope_b, scope_a)


def _which_gives_way(
    a: RuleSpec, sa: SourceDoc, b: RuleSpec, sb: SourceDoc
) -> tuple[RuleSpec, RuleSpec, str]:
    """(wider, narrower, link): the rule that would carry `amends:`/`supersedes:` comes second.

    The narrower jurisdiction's rule amends the wider one (a county's figure
    inside its province); at the same scope the later text supersedes the
    earlier one. Otherwise the order of the files is kept.
    """
    scope_a, scope_b = a.scope or sa.jurisdiction, b.scope or sb.jurisdiction
    if scope_a != scope_b:
        if covers(scope_b, scope_a):
            return b, a, "amends"
        return a, b, "amends"
    if sa.issued > sb.issued:
        return b, a, "supersedes"
    return a, b, "supersedes"


def find_contradictions(
    rules: list[RuleSpec], sources: Mapping[str, SourceDoc]
) -> list[tuple[str, str, str, str]]:
    """(wider id, narrower id, reason, link) for every pair of mandatory rules that contradict.

    `sources` maps each rule id to its source document (for the default scope).
    `link` is `amends` or `supersedes`: what the narrower (or later) rule would
    say of the wider (or earlier) one if it meant to replace it.
    """
    links = {r.id: t for r in rules if (t := r.amends or r.supersedes) is not None}
    mandatory = [r for r in rules if r.severity == "mandatory" and r.id in sources]
    bounds = {r.id: bounds_of(r) for r in mandatory}
    found = []
    for i, a in enumerate(mandatory):
        for b in mandatory[i + 1 :]:
            if a.kind != b.kind or not _overlap(a, sources[a.id], b, sources[b.id]):
                continue
            if a.id in chain_of(b.id, links) or b.id in chain_of(a.id, links):
                continue
            for key in sorted(set(bounds[a.id]) & set(bounds[b.id])):
                if _empty(bounds[a.id][key] + bounds[b.id][key]):
                    wider, narrower, link = _which_gives_way(a, sources[a.id], b, sources[b.id])
                    shown = " and ".join(
                        f"{COMPARISON_SYMBOLS[x.op]} {x.shown}"
                        for x in bounds[narrower.id][key] + bounds[wider.id][key]
                    )
                    found.append((wider.id, narrower.id, f"the same figure must be {shown}", link))
                    break
    return found
