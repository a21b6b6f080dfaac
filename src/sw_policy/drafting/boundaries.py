"""Boundary checks: every numeric threshold probed exactly at, one unit below and one above it.

For each comparison in a rule's condition (and each milestone's) whose
threshold comes from a parameter, we take a record some rule test judged
(the seed), set the compared figure to the threshold exactly, one unit less
and one unit more (0.01 for decimal money and hours, 1 for counts; for a
ratio the numerator is set to threshold × denominator, exactly: 0.70 of
333333.33 is 233333.331, not rounded), validate the record again and judge
the comparison. The truths must follow the operator (≤ holds at the limit, <
does not) and the operator must follow the wording of the parameter's
description (不超过 → ≤, 超过 → >, 不低于 → ≥). No threshold lives here: all
come from the rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from sw_policy.checking.rulebook import Rulebook
from sw_policy.drafting.rule_tests import Reached
from sw_policy.engines.row.tree_walk import EvalContext, Truth, format_number, truth_of, value_of
from sw_policy.reports.text import table
from sw_policy.rulebook.conditions import (
    COMPARISON_SYMBOLS,
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
from sw_policy.rulebook.variants import RuleVariant, variants_of

__all__ = ["WORDING", "BoundaryCheck", "check_boundaries", "render_boundaries"]

# The registry's node types (rulebook/conditions.py NODE_TYPES) the probes handle (a
# comparison against a parameter, whose left side is a field, a map entry, a ratio or
# training hours;
# structural nodes are walked into), and those they skip with the reason;
# tests/test_operator_registry.py keeps them whole.
HANDLED: frozenset[type] = frozenset(
    {Compare, ParamRef, FieldRef, MapEntry, Ratio, TrainingHours, AllOf, AnyOf, Not}
)
UNSUPPORTED: dict[type, str] = {
    KeysOf: "a set: no numeric threshold to probe",
    LiteralValue: "a constant written in the rule: thresholds are probed only from parameters",
    Product: "no single figure to move: a product is not probed",
    Lookup: "the threshold varies per record (a table entry): not probed",
    RankAtLeast: "an ordinal level: no unit below or above",
    In: "set membership: no threshold",
    Known: "presence only: no threshold",
}


# How the contract reads the wording of a threshold (longest phrase first).
WORDING: tuple[tuple[str, str], ...] = (
    ("不超过", "le"),
    ("不高于", "le"),
    ("不低于", "ge"),
    ("不少于", "ge"),
    ("至少", "ge"),
    ("达到", "ge"),
    ("超过", "gt"),
    ("突破", "gt"),
    ("多于", "gt"),
    ("低于", "lt"),
    ("少于", "lt"),
)

# Truth of `x op T` at x = T, T - unit, T + unit.
_EXPECTED: dict[str, tuple[bool, bool, bool]] = {
    "le": (True, True, False),
    "lt": (False, True, False),
    "ge": (True, False, True),
    "gt": (False, False, True),
    "eq": (True, False, False),
}
_POINTS = ("at", "below", "above")


@dataclass
class BoundaryCheck:
    """One threshold of one rule, probed at three points."""

    rule_id: str
    what: str
    wording: str | None
    results: list[tuple[str, str, bool, Truth]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _params_of(node: Any) -> list[str]:
    return [n.param for n in walk(node) if isinstance(n, ParamRef)]


def _wording(rule: RuleSpec, params: list[str]) -> tuple[str | None, str | None]:
    for name in params:
        parameter = rule.parameters.get(name)
        text = parameter.description if parameter else ""
        for phrase, op in WORDING:
            if phrase in text:
                return phrase, op
    return None, None


def _unit(record: Any, name: str) -> Fraction:
    annotation = str(type(record).model_fields[name].annotation)
    return Fraction(1, 100) if "Decimal" in annotation else Fraction(1)


def _number(value: Fraction, unit: Fraction) -> int | Decimal | None:
    if unit == 1:
        return value.numerator if value.denominator == 1 else None
    text = format_number(value)
    return Decimal(text) if Fraction(Decimal(text)) == value else None


def _variants(rule: RuleSpec) -> list[tuple[str, dict[str, Any], Any]]:
    """(suffix naming the milestone, parameters, condition) per variant (rulebook/variants.py)."""
    return [(_label(v), v.params, v.condition) for v in variants_of(rule)]


def _probe(
    seed: Reached, node: Compare, params: dict[str, Any]
) -> tuple[list[tuple[str, Any]], list[str]] | None:
    """Per point, the record to judge; None when this comparison cannot be probed."""
    record, left = seed.record, node.left
    ctx = EvalContext(record=record, as_of=seed.as_of, params=params)
    threshold = value_of(node.right, ctx)
    if isinstance(threshold, bool) or not isinstance(threshold, int | Decimal | Fraction):
        return None
    target = Fraction(threshold)
    updates: dict[str, Any] = {}
    dated: Any = None  # for hours counted up to a deadline: the day one session is dated
    entry: MapEntry | None = None  # a map entry: the probe sets that one key of the map
    if isinstance(left, FieldRef):
        name, scale = left.field, Fraction(1)
    elif isinstance(left, MapEntry):
        name, scale, entry = left.field, Fraction(1), left
    elif isinstance(left, TrainingHours) and left.fallback_field:
        name, scale = left.fallback_field, Fraction(1)
        updates["training"] = None
        if left.until is not None:  # an undated total says nothing after the deadline
            dated = min(left.until, seed.as_of)
    elif isinstance(left, Ratio) and all(isinstance(x, FieldRef) for x in left.of):
        name, den_name = left.of[0].field, left.of[1].field  # type: ignore[union-attr]
        den_unit = _unit(record, den_name)
        # A decimal denominator whose shares do not fall on whole cents: exactness shows.
        den = getattr(record, den_name, None)
        scale = Fraction(33333333, 100) if den_unit < 1 else Fraction(den or 100)
        if _unit(record, name) == 1:  # an integer numerator: threshold × denominator whole
            step = target.denominator
            scale = Fraction(max(step, math.ceil(scale / step) * step))
        updates[den_name] = _number(scale, den_unit)
    else:
        return None
    unit = _unit(record, name)
    at = target * scale
    values = {"at": at, "below": at - unit, "above": at + unit}
    if unit == 1 and at.denominator != 1:
        values = {"below": Fraction(math.floor(at)), "above": Fraction(math.ceil(at))}
    built, notes = [], []
    for point, value in values.items():
        number = _number(value, unit)
        data = {**record.model_dump(), **updates, name: number}
        if entry is not None:
            data[name] = {**(getattr(record, name, None) or {}), entry.key: number}
        if dated is not None:
            data["training"] = [{"date": dated, "hours": number}]
        try:
            built.append((point, type(record).model_validate(data)))
        except ValidationError as exc:
            notes.append(f"{point}: {name}={number} is not a valid record ({exc.error_count()})")
    return built, notes


def _label(variant: RuleVariant) -> str:
    """Which variant a probe is of: "" for a rule's own, " (2023)" for a milestone's,
    " (after 2023)" for the level a milestone carries into later years."""
    if variant.year is None:
        return ""
    return f" (after {variant.year})" if variant.carried else f" ({variant.year})"


def check_boundaries(rulebook: Rulebook, reached: list[Reached]) -> list[BoundaryCheck]:
    """Probe every parameter threshold of every rule that rule tests reached."""
    seeds: dict[str, Reached] = {}
    for item in reached:
        if item.rulebook is rulebook and item.outcome != "not_applicable":
            seeds.setdefault(item.rule_id, item)
    checks = []
    for rule in rulebook.rules:
        for suffix, params, condition in _variants(rule):
            for node in walk(condition):
                if not isinstance(node, Compare) or node.op == "ne":
                    continue
                names = _params_of(node.right)
                if not names:
                    continue
                checks.append(
                    _check(
                        rule, suffix, params=params, node=node, names=names, seed=seeds.get(rule.id)
                    )
                )
    return checks


def _check(
    rule: RuleSpec,
    suffix: str,
    *,
    params: dict[str, Any],
    node: Compare,
    names: list[str],
    seed: Reached | None,
) -> BoundaryCheck:
    phrase, worded_op = _wording(rule, names)
    label = node.part or getattr(node.left, "name", None) or getattr(node.left, "field", "value")
    what = f"{label} {COMPARISON_SYMBOLS[node.op]} {', '.join(names)}{suffix}"
    check = BoundaryCheck(rule.id, what, phrase)
    if worded_op is not None and worded_op != node.op:
        check.problems.append(
            f"wording {phrase} reads as {COMPARISON_SYMBOLS[worded_op]}, "
            f"the rule uses {COMPARISON_SYMBOLS[node.op]}"
        )
    if seed is None:
        check.problems.append("no rule test reaches this rule: nothing to build a record from")
        return check
    probe = _probe(seed, node, params)
    if probe is None:
        return check
    built, notes = probe
    check.problems += notes
    expected = dict(zip(_POINTS, _EXPECTED[node.op], strict=True))
    for point, record in built:
        ctx = EvalContext(record=record, as_of=seed.as_of, params=params)
        got = truth_of(node, ctx)
        shown = ", ".join(f"{k}={v}" for k, v in ctx.derived.items() or ctx.observed.items())
        check.results.append((point, shown, expected[point], got))
        if got is not (Truth.TRUE if expected[point] else Truth.FALSE):
            check.problems.append(f"{point} ({shown}): expected {expected[point]}, got {got.value}")
    return check


def render_boundaries(checks: list[BoundaryCheck]) -> str:
    """One row per threshold: its wording, the three probes, and whether all held."""
    rows = []
    for c in checks:
        probes = "; ".join(
            f"{p}: {'T' if got is Truth.TRUE else 'F' if got is Truth.FALSE else '?'}"
            for p, _, _, got in c.results
        )
        rows.append([c.rule_id, c.what, c.wording or "-", probes or "-", "ok" if c.ok else "FAIL"])
    text = table(["rule", "threshold", "wording", "probes", ""], rows, [46, 44, 8, 40, 4]) + "\n"
    for c in checks:
        text += "".join(f"FAIL {c.rule_id}: {c.what}: {p}\n" for p in c.problems)
    bad = sum(1 for c in checks if not c.ok)
    return text + f"{len(checks)} threshold(s) probed, {bad} failed\n"
