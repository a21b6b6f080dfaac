"""A rule's variants: the ways it is judged (its own parameters, or one milestone's each).

A rule without milestones has one variant: its parameters and its condition.
A target has one per milestone, in year order: the rule's parameters updated
by the milestone's, and the milestone's condition if it gives one. Every
consumer that needs "the parameters and condition a record is judged by"
(the engines, lint, contradictions, boundaries, coverage, catalogue) takes
them from here, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_policy.rulebook.conditions import Predicate
from sw_policy.rulebook.schema import Milestone, RuleSpec

__all__ = ["RuleVariant", "parameters_of", "variant_for_year", "variant_of", "variants_of"]


@dataclass(frozen=True, slots=True)
class RuleVariant:
    """One way a rule is judged: with its own parameters, or with one milestone's."""

    rule: RuleSpec
    milestone: Milestone | None
    params: dict[str, Any]
    condition: Predicate

    @property
    def year(self) -> int | None:
        """The milestone's year (None for a rule judged by its own parameters)."""
        return self.milestone.year if self.milestone is not None else None


def parameters_of(rule: RuleSpec, milestone: Milestone | None) -> dict[str, Any]:
    """A rule's parameters as one milestone sets them (the rule's own when None)."""
    params = {name: p.value for name, p in rule.parameters.items()}
    if milestone is not None:
        params.update(milestone.parameters)
    return params


def variant_of(rule: RuleSpec, milestone: Milestone | None) -> RuleVariant:
    """The rule as one milestone sets it (parameters and condition), or as itself when None."""
    condition = (milestone.condition if milestone is not None else None) or rule.condition
    return RuleVariant(rule, milestone, parameters_of(rule, milestone), condition)


def variants_of(rule: RuleSpec) -> tuple[RuleVariant, ...]:
    """The rule's variants: one per milestone (in year order), or the rule itself."""
    if not rule.milestones:
        return (variant_of(rule, None),)
    return tuple(variant_of(rule, m) for m in rule.milestones)


def variant_for_year(rule: RuleSpec, year: int) -> RuleVariant | None:
    """The latest milestone's variant not after `year` (None before the first milestone).

    For a rule without milestones, its one variant whatever the year.
    """
    reached = [v for v in variants_of(rule) if v.year is None or v.year <= year]
    return reached[-1] if reached else None
