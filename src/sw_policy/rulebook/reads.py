"""What a rule reads: the record fields whose values can change its finding.

Found by walking the rule tree (applies_when and the condition of every variant,
rulebook/variants.py), so it is derived from the YAML rules themselves, never
written twice. The monitor routes events by it (engines/stream/routing.py), and a
check says which contract defaults a file's rows took for fields a rule reads
(checking/defaults_taken.py). Every rule also reads the record's jurisdiction and
as-of date (scope and issue date), and a target with milestones reads its year.
"""

from __future__ import annotations

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

__all__ = ["ALWAYS_READ", "HANDLED", "UNSUPPORTED", "fields_read"]

# The registry's node types (rulebook/conditions.py NODE_TYPES) this module reads: a node's
# `field` (FieldRef, RankAtLeast, Known), training hours (the list and its fallback column),
# and the rest read no field themselves (their children are walked); nothing is refused.
# MapEntry's `field` is its whole map: a change to any entry re-judges the rule.
# tests/test_operator_registry.py keeps this whole: a new node that reads a field some
# other way must be taught here, or a monitor would miss the events that change it
# and a check would not say which defaults it took.
HANDLED: frozenset[type] = frozenset(
    {FieldRef, ParamRef, KeysOf, LiteralValue, Ratio, Product, TrainingHours, Lookup, MapEntry}
    | {Compare, RankAtLeast, In, Known, AllOf, AnyOf, Not}
)
UNSUPPORTED: dict[type, str] = {}


# Read by the engine for every rule: scope and issue date (see engines.row.judge.out_of_scope).
ALWAYS_READ = frozenset({"jurisdiction", "as_of"})


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
