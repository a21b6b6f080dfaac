"""What the row engine knows about a rule before it sees a record, worked out once.

A rule's scope and issue date, the variants it is judged by (its own
parameters, or a milestone's), each variant's compiled condition and
applies_when, the `expected` text, the not-yet-due reasons and the first
sentence of each message depend on the rule alone (or on a few observed
values, for a named lookup). The row engine used to rebuild all of it for
every record; a RulePlan builds each piece once, on first use, from the same
functions (engines/wording.py), so the text cannot drift.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sw_policy.engines.row.compile import Trace, TruthFn, compile_predicate
from sw_policy.engines.row.tree_walk import Truth
from sw_policy.engines.wording import describe_expected, describe_verdict
from sw_policy.findings import Citation, Outcome
from sw_policy.rulebook.conditions import Lookup, walk
from sw_policy.rulebook.layering import Mark
from sw_policy.rulebook.schema import Milestone, RuleSpec, SourceDoc
from sw_policy.rulebook.variants import variant_of

__all__ = ["Entry", "RulePlan", "Variant"]

# Texts keyed by what varies per record are kept up to this many per rule or variant.
_TEXT_CACHE_SIZE = 1024


class Variant:
    """One way a rule is judged: with its own parameters, or with one milestone's."""

    __slots__ = (
        "_expected",
        "_lookup_names",
        "applies",
        "applies_node",
        "condition",
        "condition_node",
        "params",
        "year",
    )

    def __init__(
        self, rule: RuleSpec, milestone: Milestone | None, *, carried: bool = False
    ) -> None:
        variant = variant_of(rule, milestone, carried=carried)
        self.params: dict[str, Any] = variant.params
        self.year = variant.year
        self.condition_node: Any = variant.condition
        self.applies_node: Any = rule.applies_when
        # Compiled on first use: each replaces itself with the compiled closure.
        self.condition: TruthFn = self._compile_condition
        self.applies: TruthFn = self._compile_applies
        # `expected` reads observed values only for named lookups (the looked-up value).
        self._lookup_names = tuple(
            node.name
            for node in walk(self.condition_node)
            if isinstance(node, Lookup) and node.name
        )
        self._expected: dict[Any, str] = {}

    def _compile_condition(self, trace: Trace) -> Truth:
        """The condition, compiled with this variant's parameters, then judged."""
        self.condition = compile_predicate(self.condition_node, self.params)
        return self.condition(trace)

    def _compile_applies(self, trace: Trace) -> Truth:
        """applies_when, compiled (only its truth and missing inputs matter), then judged."""
        self.applies = compile_predicate(self.applies_node, self.params, quiet=True)
        return self.applies(trace)

    def expected(self, observed: Mapping[str, Any]) -> str:
        """The `expected` text, as describe_expected writes it for these observed values."""
        if not self._lookup_names:  # the same text for every record
            text = self._expected.get(None)
            if text is None:
                text = self._expected[None] = describe_expected(
                    self.condition_node, self.params, observed, self.year
                )
            return text
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
        "carried",
        "citation",
        "deadline",
        "deadline_reason",
        "draft",
        "first_reason",
        "has_applies",
        "met",
        "rule",
        "source",
        "unmet",
        "variants",
        "years",
    )

    def __init__(self, rule: RuleSpec, source: SourceDoc, citation: Citation) -> None:
        self.rule = rule
        self.source = source
        self.citation = citation
        self.has_applies = rule.applies_when is not None
        milestones = rule.milestones
        self.years: tuple[int, ...] | None = None
        self.first_reason: tuple[str, str] | None = None
        if milestones is not None:
            self.years = tuple(m.year for m in milestones)
            first = milestones[0].year
            self.first_reason = (f"首个目标年份为 {first} 年", f"first milestone is {first}")
            self.variants = tuple(Variant(rule, m) for m in milestones)
            self.carried = tuple(
                None if m.carry is None else Variant(rule, m, carried=True) for m in milestones
            )
        else:
            self.variants = (Variant(rule, None),)
            self.carried = (None,)
        self.draft = source.status == "draft"
        self.deadline: dt.date | None = rule.deadline
        self.deadline_reason = (
            None
            if rule.deadline is None
            else (f"期限 {rule.deadline}", f"deadline {rule.deadline}")
        )
        self._verdicts: dict[Any, tuple[str, str]] = {}
        # The two commonest first sentences, ready: pass, and fail with no named part unmet.
        self.met = describe_verdict(rule, "pass", unmet=(), missing=())
        self.unmet = describe_verdict(rule, "fail", unmet=(), missing=(), draft=self.draft)

    def variant_for(self, year: int) -> tuple[Variant, tuple[str, str] | None]:
        """A target's variant for a record's year, and why it is pending (None if due).

        The latest milestone not after `year` (in a later year, its carried level when
        it has one); before the first, the first one, pending. (Only for a rule with
        milestones.)
        """
        years = self.years or ()
        for index in range(len(years) - 1, -1, -1):
            if years[index] <= year:
                carried = self.carried[index]
                if carried is not None and years[index] < year:
                    return carried, None
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
            text = describe_verdict(
                self.rule, outcome, unmet=unmet, missing=missing, reason=reason, draft=self.draft
            )
            self._verdicts[key] = text
        return text


@dataclass(frozen=True, slots=True)
class Entry:
    """A rule as records of one kind, jurisdiction and as-of date meet it.

    What it displaces (amends/supersedes) and its marks are copied into each
    finding; `excluded` says why it does not apply (out of scope, not yet
    issued, displaced), None when it is to be judged.
    """

    plan: RulePlan
    displaced: tuple[str, ...]
    marks: tuple[Mark, ...]
    excluded: tuple[str, str] | None
