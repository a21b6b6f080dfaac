"""Which rules judge a record, decided once per (kind, jurisdiction, as-of date).

Scope, issue date, layering (amends/supersedes, see rulebook/layering.py) and marks
depend on a record only through these three values, so the row engine works
them out once per combination and reuses the answer for every record that
shares it: most inputs hold a handful of jurisdictions and one date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from sw_policy.engines.row.judge import displaced_reason, scope_reason
from sw_policy.engines.row.plan import Entry, RulePlan
from sw_policy.rulebook.layering import Mark, select_layered

__all__ = ["Selector"]

# Distinct (kind, jurisdiction, as-of) combinations kept before starting afresh.
_CACHE_SIZE = 4096

MarksOf = Callable[[RulePlan, dt.date], tuple[Mark, ...]]


class Selector:
    """The rules each record meets, in rule order, kept per (kind, jurisdiction, as-of)."""

    def __init__(
        self,
        by_kind: Mapping[str, Sequence[RulePlan]],
        links: Mapping[str, str],
        marks_of: MarksOf,
    ) -> None:
        self._by_kind = by_kind
        self._links = links
        self._marks_of = marks_of
        self._cache: dict[tuple[str, str, dt.date, bool], tuple[Entry, ...]] = {}

    def select(
        self, kind: str, jurisdiction: str, as_of: dt.date, *, include_not_applicable: bool
    ) -> tuple[Entry, ...]:
        """The entries for a record: only those to judge, or every rule of its kind."""
        key = (kind, jurisdiction, as_of, include_not_applicable)
        entries = self._cache.get(key)
        if entries is None:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.clear()
            entries = self._cache[key] = self._entries(
                kind, jurisdiction, as_of, include_not_applicable
            )
        return entries

    def _entries(
        self, kind: str, jurisdiction: str, as_of: dt.date, include_not_applicable: bool
    ) -> tuple[Entry, ...]:
        candidates = self._by_kind.get(kind, ())
        reasons = {
            plan.rule.id: scope_reason(plan.rule, plan.source, jurisdiction, as_of)
            for plan in candidates
        }
        in_scope = [plan for plan in candidates if reasons[plan.rule.id] is None]
        kept: dict[str, tuple[str, ...]] = {}
        displacer: dict[str, str] = {}
        if self._links:  # most rulebooks layer nothing: skip the selection
            kept = select_layered([plan.rule.id for plan in in_scope], self._links)
            displacer = {old: new for new, olds in kept.items() for old in olds}
        entries = []
        for plan in candidates if include_not_applicable else in_scope:
            rule_id = plan.rule.id
            excluded = reasons[rule_id]
            if excluded is None and rule_id in displacer:
                excluded = displaced_reason(displacer[rule_id])
            if excluded is not None and not include_not_applicable:
                continue  # displaced: not applicable, and not listed
            entries.append(
                Entry(
                    plan=plan,
                    displaced=kept.get(rule_id, ()),
                    marks=self._marks_of(plan, as_of),
                    excluded=excluded,
                )
            )
        return tuple(entries)
