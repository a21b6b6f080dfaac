"""What an event changed, and which rules read it: the routing facts for live monitoring.

A rule's verdict on a record can only change when a field it reads changes. What
each rule reads is rulebook/reads.fields_read (walked from the rule tree, so
routing is derived from the YAML rules themselves, never written twice).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sw_policy.rulebook.reads import ALWAYS_READ, fields_read
from sw_policy.rulebook.schema import RuleSpec

__all__ = ["ALWAYS_READ", "SCOPE", "Routes", "fields_read", "routes", "touched_fields"]

# The pseudo-field standing for ALWAYS_READ in routing: every rule reads it. A new
# record, or one whose jurisdiction or as-of date changed, is flagged with it alone.
SCOPE = "scope"

# Per record kind, its rules in rulebook order, each as (rule id, flags it reads).
Routes = dict[str, list[tuple[str, frozenset[str]]]]


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
