"""A rule's variants: the ways it is judged (its own parameters, or one milestone's each).

A rule without milestones has one variant: its parameters and its condition.
A target has one per milestone, in year order: the rule's parameters updated
by the milestone's, and the milestone's condition if it gives one; a milestone
with a `carry` condition has a second, carried variant that judges the later
years (Yiyang: the doubling is 2023's only, 2024 keeps 2023's level). Every
consumer that needs "the parameters and condition a record is judged by"
(the engines, lint, contradictions, boundaries, coverage, the catalogue, stream
routing and its timeline) takes them from here, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sw_policy.rulebook.conditions import Predicate
from sw_policy.rulebook.schema import Milestone, RuleSpec

__all__ = [
    "RuleVariant",
    "conditions_of",
    "parameters_of",
    "variant_for_year",
    "variant_of",
    "variants_of",
]


@dataclass(frozen=True, slots=True)
class RuleVariant:
    """One way a rule is judged: with its own parameters, or with one milestone's."""

    rule: RuleSpec
    milestone: Milestone | None
    params: dict[str, Any]
    condition: Predicate
    carried: bool = False

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


def variant_of(
    rule: RuleSpec, milestone: Milestone | None, *, carried: bool = False
) -> RuleVariant:
    """The rule as one milestone sets it (parameters and condition), or as itself when None.

    carried=True: the milestone's level as later years keep it (its `carry` condition).
    """
    own = None
    if milestone is not None:
        own = milestone.carry if carried else None
        own = own or milestone.condition
    condition = own or rule.condition
    return RuleVariant(rule, milestone, parameters_of(rule, milestone), condition, carried)


def variants_of(rule: RuleSpec) -> tuple[RuleVariant, ...]:
    """The rule's variants: per milestone (in year order) its own and any carried one, or the
    rule itself."""
    if not rule.milestones:
        return (variant_of(rule, None),)
    out: list[RuleVariant] = []
    for m in rule.milestones:
        out.append(variant_of(rule, m))
        if m.carry is not None:
            out.append(variant_of(rule, m, carried=True))
    return tuple(out)


def variant_for_year(rule: RuleSpec, year: int) -> RuleVariant | None:
    """The variant a record of `year` is judged by: the latest milestone not after it (its
    carried variant in later years, when it has one); None before the first milestone.

    For a rule without milestones, its one variant whatever the year.
    """
    if not rule.milestones:
        return variant_of(rule, None)
    reached = [m for m in rule.milestones if m.year <= year]
    if not reached:
        return None
    last = reached[-1]
    return variant_of(rule, last, carried=last.carry is not None and year > last.year)


def conditions_of(rule: RuleSpec) -> tuple[Predicate, ...]:
    """Every condition the rule has: its own, then each variant's not already listed.

    The rule's own condition is listed even when every milestone replaces it: what
    a rule reads (stream routing) is taken over all of them.
    """
    found: dict[int, Predicate] = {id(rule.condition): rule.condition}
    for variant in variants_of(rule):
        found.setdefault(id(variant.condition), variant.condition)
    return tuple(found.values())
