"""Layered and ageing policy: which rule speaks for a record, and which findings need a second look.

Two small pure functions that every engine (row, columnar, streaming) must
mirror exactly:

* `select_layered(applicable, links)`: a rule may declare `amends: X` (a
  stricter figure for a narrower jurisdiction) or `supersedes: X` (a final text
  for a draft, a later figure). Among the rules that apply to one record (in
  scope, source in force at the record's as-of), a rule is displaced when a
  rule that applies to the same record amends or supersedes it, directly or
  through a chain (A amends B amends C: A displaces B and C). Each kept rule
  lists the applicable rules it displaced, in rulebook order. Rules that do
  not apply never displace anything: outside the county, the province's
  figure still speaks.

* `marks_for(...)`: why a finding deserves a second look, never changing its
  outcome. The vocabulary is `MARKS`:

  - `draft_source`: the rule comes from a draft for comment (征求意见稿);
  - `target_ended`: a target's last milestone year is over by the as-of
    date: a plan that has run its course (a deadline duty, "by 2022", keeps
    applying after its deadline and is not marked);
  - `review_due`: the source is older than its review period
    (`review_period_years` in sources.yaml) at the as-of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Literal

__all__ = ["MARKS", "Mark", "chain_of", "marks_for", "select_layered"]

Mark = Literal["draft_source", "target_ended", "review_due"]
MARKS: tuple[Mark, ...] = ("draft_source", "target_ended", "review_due")


def chain_of(rule_id: str, links: Mapping[str, str]) -> list[str]:
    """The rules `rule_id` amends or supersedes, nearest first (links are acyclic)."""
    chain: list[str] = []
    current = links.get(rule_id)
    while current is not None and current not in chain and current != rule_id:
        chain.append(current)
        current = links.get(current)
    return chain


def select_layered(
    applicable: Sequence[str], links: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """Kept rule id -> ids it displaced, for the rules that apply to one record.

    `applicable` is in rulebook order; `links` maps a rule id to the id it
    amends or supersedes. The result keeps `applicable`'s order.
    """
    present = set(applicable)
    displaced_by: dict[str, list[str]] = {}
    dropped: set[str] = set()
    for rule_id in applicable:
        hits = [target for target in chain_of(rule_id, links) if target in present]
        displaced_by[rule_id] = hits
        dropped.update(hits)
    order = {rule_id: index for index, rule_id in enumerate(applicable)}
    return {
        rule_id: tuple(sorted(displaced_by[rule_id], key=order.__getitem__))
        for rule_id in applicable
        if rule_id not in dropped
    }


def marks_for(
    *,
    draft: bool,
    applies_from: dt.date,
    review_years: int | None,
    last_year: int | None,
    as_of: dt.date,
) -> tuple[Mark, ...]:
    """The marks of one finding, in `MARKS` order.

    `last_year` is the rule's last milestone year, or None for a provision
    with no milestones.
    """
    marks: list[Mark] = []
    if draft:
        marks.append("draft_source")
    if last_year is not None and as_of.year > last_year:
        marks.append("target_ended")
    if review_years is not None and as_of >= _add_years(applies_from, review_years):
        marks.append("review_due")
    return tuple(marks)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
