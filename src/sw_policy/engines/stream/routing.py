"""What a rule reads, and what an event changed: the routing facts for live monitoring.

A rule's verdict on a record can only change when a field it reads changes. The
fields are found by walking the rule tree (applies_when and the condition of
every variant, rulebook/variants.py), so routing is derived from the YAML rules
themselves, never written twice. Every rule also reads the record's jurisdiction
and as-of date (scope and issue date), and a target with milestones reads the
record's year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sw_policy.rulebook.conditions import (
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
    walk,
)
from sw_policy.rulebook.schema import RuleSpec
from sw_policy.rulebook.variants import conditions_of

__all__ = ["ALWAYS_READ", "SCOPE", "Routes", "fields_read", "routes", "touched_fields"]

# The registry's node types (rulebook/conditions.py NODE_TYPES) routing reads: a node's
# `field` (FieldRef, RankAtLeast, Known), training hours (the list and its fallback column),
# and the rest read no field themselves (their children are walked); nothing is refused.
# MapEntry's `field` is its whole map: a change to any entry re-judges the rule.
# tests/test_operator_registry.py keeps this whole: a new node that reads a field some
# other way must be taught here, or a monitor would miss the events that change it.
HANDLED: frozenset[type] = frozenset(
    {FieldRef, ParamRef, KeysOf, LiteralValue, Ratio, Product, TrainingHours, Lookup, MapEntry}
    | {Compare, RankAtLeast, In, Known, AllOf, AnyOf, Not}
)
UNSUPPORTED: dict[type, str] = {}


# Read by the engine for every rule: scope and issue date (see engines.row.judge.out_of_scope).
ALWAYS_READ = frozenset({"jurisdiction", "as_of"})

# The pseudo-field standing for ALWAYS_READ in routing: every rule reads it. A new
# record, or one whose jurisdiction or as-of date changed, is flagged with it alone.
SCOPE = "scope"

# Per record kind, its rules in rulebook order, each as (rule id, flags it reads).
Routes = dict[str, list[tuple[str, frozenset[str]]]]


def fields_read(rule: RuleSpec) -> frozenset[str]:
    """Every record field whose value can change this rule's finding."""
    fields = set(ALWAYS_READ)
    if rule.milestones is not None:
        fields.add("year")
    trees = [*conditions_of(rule), rule.applies_when]  # every variant's (rulebook/variants.py)
    for tree in trees:
        if tree is None:
            continue
        for node in walk(tree):
            if isinstance(node, TrainingHours):
                fields.add("training")
                if node.fallback_field is not None:
                    fields.add(node.fallback_field)
                continue
            field = getattr(node, "field", None)
            if isinstance(field, str):
                fields.add(field)
    return frozenset(fields)


def touched_fields(old: Any | None, new: Any, names: Iterable[str]) -> frozenset[str]:
    """The fields of `new` that differ from `old` (all of them when there is no `old`)."""
    if old is None:
        return frozenset(names)
    return frozenset(n for n in names if getattr(old, n, None) != getattr(new, n, None))


def routes(rules: Sequence[RuleSpec], kinds: Iterable[str]) -> Routes:
    """What the router compiles: per kind, each rule with the flags (fields) it reads."""
    table: Routes = {kind: [] for kind in kinds}
    for rule in rules:
        flags = (fields_read(rule) - ALWAYS_READ) | {SCOPE}
        table[rule.kind].append((rule.id, frozenset(flags)))
    return table
