"""When time passes: which of a record's rules can change between two as-of dates.

A judgement at an as-of date depends on that date only through comparisons of
the form "as_of is on or after some day": the source's issue date (scope), a
rule's deadline, a milestone's 31 December, a training session's date (it
counts from that day) and the first day it has left a trailing window of N
years. Every such day comes from the rule files (deadline, milestones, the
window's length) or from the record (session dates); none is written here.
Moving the as-of date from `a` to `b` can change a finding only if one of its
days lies in (min(a, b), max(a, b)]: those rules are judged again, the others
keep their outcome.

A window length that is not a number in the rule file (an expression this
module cannot read) makes the rule re-judged on every move: slower, never wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sw_policy.engines.semantics import years_before
from sw_policy.engines.stream.routing import fields_read
from sw_policy.rulebook.conditions import LiteralValue, ParamRef, TrainingHours, walk
from sw_policy.rulebook.schema import RuleSpec, SourceDoc
from sw_policy.rulebook.variants import conditions_of, variant_of, variants_of

__all__ = ["Timeline", "window_exit"]

_ANY = -1  # a window length that cannot be read: re-judge on every move


def window_exit(day: dt.date, years: int) -> dt.date:
    """The first as-of date at which a session on `day` is outside an N-year window.

    The window at as_of is (years_before(as_of, N), as_of]; the answer is the
    least as_of with years_before(as_of, N) >= day, found with that very
    function so the two can never disagree (29 February included).
    """
    try:
        guess = day.replace(year=day.year + years)
    except ValueError:
        guess = day.replace(year=day.year + years, day=28)
    candidate = guess - dt.timedelta(days=3)
    while years_before(candidate, years) < day:
        candidate += dt.timedelta(days=1)
    return candidate


def _window_years(rule: RuleSpec) -> set[int | None]:
    """Every window length (None: no window) the rule's training sums use."""
    trees = [*conditions_of(rule), rule.applies_when]  # every variant's (rulebook/variants.py)
    found: set[int | None] = set()
    for tree in trees:
        for node in walk(tree) if tree is not None else ():
            if not isinstance(node, TrainingHours):
                continue
            expr = node.window_years
            if expr is None:
                found.add(None)
            elif isinstance(expr, LiteralValue):
                found.add(_years(expr.value))
            elif isinstance(expr, ParamRef) and expr.param in rule.parameters:
                variants = (variant_of(rule, None), *variants_of(rule))
                found.update(_years(v.params[expr.param]) for v in variants)
            else:
                found.add(_ANY)
    return found


def _years(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return _ANY
    return int(value) if value == int(value) else _ANY


class Timeline:
    """The days at which each rule's findings can change, per record kind."""

    def __init__(self, rules: Sequence[tuple[RuleSpec, SourceDoc]]) -> None:
        # Per kind: (rule id, days read from the rule files) for every rule.
        self._fixed: dict[str, list[tuple[str, tuple[dt.date, ...]]]] = {}
        # Per kind: (rule id, window lengths) for rules summing training by date.
        self._training: dict[str, list[tuple[str, frozenset[int | None]]]] = {}
        for rule, source in rules:
            days = [source.applies_from]
            if rule.deadline is not None:
                days.append(rule.deadline)
            days += [dt.date(m.year, 12, 31) for m in rule.milestones or ()]
            self._fixed.setdefault(rule.kind, []).append((rule.id, tuple(days)))
            if "training" in fields_read(rule):
                windows = frozenset(_window_years(rule)) or frozenset({None})
                self._training.setdefault(rule.kind, []).append((rule.id, windows))

    def fixed_rules(self, kind: str, start: dt.date, end: dt.date) -> set[str]:
        """Rules of `kind` with a day from the rule files in (start, end]."""
        return {
            rule_id
            for rule_id, days in self._fixed.get(kind, ())
            if any(start < day <= end for day in days)
        }

    def record_rules(self, record: Any, start: dt.date, end: dt.date) -> set[str]:
        """Rules whose training sum for this record can change between start and end."""
        rules = self._training.get(record.kind)
        sessions: Iterable[Any] = getattr(record, "training", None) or ()
        if not rules or not sessions:
            return set()
        days = [s.date for s in sessions]
        found: set[str] = set()
        for rule_id, windows in rules:
            if _ANY in windows or any(start < day <= end for day in days):
                found.add(rule_id)
                continue
            for years in windows:
                if years is not None and any(
                    start < window_exit(day, years) <= end for day in days
                ):
                    found.add(rule_id)
                    break
        return found
