"""What the row engine knows about a rule before it sees a record, worked out once.

A rule's scope and issue date, the variants it is judged by (its own
parameters, or a milestone's), each variant's compiled condition and
applies_when, the `expected` text, the not-yet-due reasons and the first
sentence of each message depend on the rule alone (or on a few observed
values, for a named lookup). The row engine used to rebuild all of it for
every record; a RulePlan builds each piece once, on first use, from the same
functions (_describe.py), so the text cannot drift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ._conditions import Lookup, walk
from ._describe import describe_expected, describe_verdict
from ._findings import Citation, Outcome
from ._jurisdiction import covers
from ._row_compile import TruthFn, compile_predicate
from ._schema import Milestone, RuleSpec, SourceDoc

__all__ = ["RulePlan", "Variant"]

# Texts keyed by what varies per record are kept up to this many per rule or variant.
_TEXT_CACHE_SIZE = 1024


class Variant:
    """One way a rule is judged: with its own parameters, or with one milestone's."""

    __slots__ = (
        "_applies",
        "_condition",
        "_expected",
        "_lookup_names",
        "applies_node",
        "condition_node",
        "params",
        "year",
    )

    def __init__(self, rule: RuleSpec, milestone: Milestone | None) -> None:
        params = {name: p.value for name, p in rule.parameters.items()}
        if milestone is not None:
            params.update(milestone.parameters)
        self.params: dict[str, Any] = params
        self.year = milestone.year if milestone is not None else None
        self.condition_node: Any = (milestone.condition if milestone else None) or rule.condition
        self.applies_node: Any = rule.applies_when
        self._condition: TruthFn | None = None
        self._applies: TruthFn | None = None
        # `expected` reads observed values only for named lookups (the looked-up value).
        self._lookup_names = tuple(
            node.name
            for node in walk(self.condition_node)
            if isinstance(node, Lookup) and node.name
        )
        self._expected: dict[Any, str] = {}

    @property
    def condition(self) -> TruthFn:
        """The condition, compiled with this variant's parameters (on first use)."""
        if self._condition is None:
            self._condition = compile_predicate(self.condition_node, self.params)
        return self._condition

    @property
    def applies(self) -> TruthFn:
        """applies_when, compiled (on first use); only asked of a rule that has one."""
        if self._applies is None:
            self._applies = compile_predicate(self.applies_node, self.params)
        return self._applies

    def expected(self, observed: Mapping[str, Any]) -> str:
        """The `expected` text, as describe_expected writes it for these observed values."""
        key: Any = tuple(
            (type(observed[n]), observed[n]) if n in observed else None for n in self._lookup_names
        )
        try:
            text = self._expected.get(key)
        except TypeError:  # an unhashable observed value: not kept
            return describe_expected(self.condition_node, self.params, observed, self.year)
        if text is None:
            if len(self._expected) >= _TEXT_CACHE_SIZE:
                self._expected.clear()
            text = describe_expected(self.condition_node, self.params, observed, self.year)
            self._expected[key] = text
        return text


class RulePlan:
    """One rule with its source and citation, and everything derived from them alone."""

    __slots__ = (
        "_verdicts",
        "applies_from",
        "citation",
        "deadline",
        "deadline_reason",
        "exact",
        "first_reason",
        "has_applies",
        "rule",
        "scope",
        "source",
        "variants",
        "years",
    )

    def __init__(self, rule: RuleSpec, source: SourceDoc, citation: Citation) -> None:
        self.rule = rule
        self.source = source
        self.citation = citation
        self.scope = rule.scope or source.jurisdiction
        self.exact = rule.scope_match == "exact"
        self.applies_from = source.applies_from
        self.has_applies = rule.applies_when is not None
        milestones = rule.milestones
        self.years: tuple[int, ...] | None = None
        self.first_reason: tuple[str, str] | None = None
        if milestones is not None:
            self.years = tuple(m.year for m in milestones)
            first = milestones[0].year
            self.first_reason = (f"首个目标年份为 {first} 年", f"first milestone is {first}")
            self.variants = tuple(Variant(rule, m) for m in milestones)
        else:
            self.variants = (Variant(rule, None),)
        self.deadline: dt.date | None = rule.deadline
        self.deadline_reason = (
            None
            if rule.deadline is None
            else (f"期限 {rule.deadline}", f"deadline {rule.deadline}")
        )
        self._verdicts: dict[Any, tuple[str, str]] = {}

    def covers(self, jurisdiction: str) -> bool:
        """Whether the rule's scope covers this division code."""
        return covers(self.scope, jurisdiction, exact=self.exact)

    def variant_for(self, year: int) -> tuple[Variant, tuple[str, str] | None]:
        """A target's variant for a record's year, and why it is pending (None if due).

        The latest milestone not after `year`; before the first, the first one,
        pending. (Only for a rule with milestones.)
        """
        years = self.years or ()
        for index in range(len(years) - 1, -1, -1):
            if years[index] <= year:
                return self.variants[index], None
        return self.variants[0], self.first_reason

    def verdict(
        self,
        outcome: Outcome,
        *,
        unmet: tuple[tuple[str, str], ...] = (),
        missing: Sequence[str] = (),
        reason: tuple[str, str] | None = None,
    ) -> tuple[str, str]:
        """The message's first sentence, as describe_verdict writes it (kept per inputs)."""
        key = (outcome, unmet, tuple(missing) if outcome == "insufficient_data" else (), reason)
        text = self._verdicts.get(key)
        if text is None:
            if len(self._verdicts) >= _TEXT_CACHE_SIZE:
                self._verdicts.clear()
            text = describe_verdict(self.rule, outcome, unmet=unmet, missing=missing, reason=reason)
            self._verdicts[key] = text
        return text
