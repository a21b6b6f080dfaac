"""The row evaluator: walks a condition tree over one record.

One handler per node type, in two tables (values and truths), in the manner of
sqlglot's generators; a node type with no handler is an explicit
UnsupportedNodeError, never a silent fallback. Logic is three-valued (Kleene):
a missing input makes a comparison unknown, `all_of` is false as soon as one
part is false, `any_of` true as soon as one part is true. Arithmetic is exact
(Fraction built from Decimal): 70% of 333333.33 is never rounded.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from sw_policy.engines.semantics import format_number, normalise_text, years_before
from sw_policy.errors import UnsupportedConstructError
from sw_policy.records import rank_of
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
    undated_total,
)

__all__ = [
    "EvalContext",
    "Truth",
    "UnsupportedNodeError",
    "format_number",
    "observed_values",
    "truth_of",
    "value_of",
]

Value = Any  # bool | int | Decimal | Fraction | str | frozenset | Mapping | None


class Truth(Enum):
    """Result of a predicate under three-valued logic."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


# The old name of UnsupportedConstructError (was a TypeError; now one error for every engine).
UnsupportedNodeError = UnsupportedConstructError


@dataclass
class EvalContext:
    """What one evaluation of one rule over one record reads and records."""

    record: Any
    as_of: dt.date
    params: Mapping[str, Any]
    observed: dict[str, Any] = field(default_factory=dict)
    derived: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    parts: list[tuple[Any, Truth]] = field(default_factory=list)


def _observe(ctx: EvalContext, name: str | None, value: Value, *, derived: bool = True) -> None:
    """Record a value for the finding: derived figures (a share, a sum) and fields read."""
    target = ctx.derived if derived else ctx.observed
    if name is None or name in target:
        return
    if isinstance(value, Fraction):
        target[name] = format_number(value)
    elif isinstance(value, Decimal):
        target[name] = str(value)
    elif isinstance(value, Enum):
        target[name] = value.value
    else:
        target[name] = value


def observed_values(ctx: EvalContext) -> dict[str, Any]:
    """Derived figures first (what the provision speaks of), then the fields they came from."""
    return {**ctx.derived, **{k: v for k, v in ctx.observed.items() if k not in ctx.derived}}


def _as_fraction(value: Value) -> Fraction | None:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        return None
    return Fraction(value)


# --- value handlers -----------------------------------------------------------


def _field(node: FieldRef, ctx: EvalContext) -> Value:
    raw = getattr(ctx.record, node.field, None)
    value = raw.value if isinstance(raw, Enum) else raw
    _observe(ctx, node.field, value, derived=False)
    if value is None and node.field not in ctx.missing:
        ctx.missing.append(node.field)
    return value


def _param(node: ParamRef, ctx: EvalContext) -> Value:
    return ctx.params[node.param]


def _keys_of(node: KeysOf, ctx: EvalContext) -> Value:
    return frozenset(ctx.params[node.keys_of])


def _literal(node: LiteralValue, ctx: EvalContext) -> Value:
    return node.value


def _ratio(node: Ratio, ctx: EvalContext) -> Value:
    numerator = _as_fraction(value_of(node.of[0], ctx))
    denominator = _as_fraction(value_of(node.of[1], ctx))
    if denominator == 0:
        what = node.name or "the ratio"
        ctx.missing.append(f"{what} (undefined: {_describe_operand(node.of[1])} is 0)")
        return None
    if numerator is None or denominator is None:
        return None
    result = numerator / denominator
    _observe(ctx, node.name, result)
    return result


def _describe_operand(node: Any) -> str:
    return node.field if isinstance(node, FieldRef) else type(node).__name__


def _product(node: Product, ctx: EvalContext) -> Value:
    left = _as_fraction(value_of(node.of[0], ctx))
    right = _as_fraction(value_of(node.of[1], ctx))
    if left is None or right is None:
        return None
    result = left * right
    _observe(ctx, node.name, result)
    return result


def _training_hours(node: TrainingHours, ctx: EvalContext) -> Value:
    sessions = getattr(ctx.record, "training", None)
    cutoff = ctx.as_of if node.until is None else min(ctx.as_of, node.until)
    if sessions is None:
        if node.fallback_field is None:
            ctx.missing.append("training")
            return None
        hours = getattr(ctx.record, node.fallback_field, None)
        if hours is None:
            ctx.missing.append(f"training (or {node.fallback_field})")
            return None
        if cutoff < ctx.as_of:  # an undated total: which of its hours came by the deadline?
            ctx.missing.append(undated_total(node))
            return None
    else:
        start: dt.date | None = None
        if node.window_years is not None:
            years = value_of(node.window_years, ctx)
            start = years_before(ctx.as_of, int(years))
        hours = sum(
            (s.hours for s in sessions if s.date <= cutoff and (start is None or s.date > start)),
            Decimal(0),
        )
    _observe(ctx, node.name, hours)
    return hours


def _lookup(node: Lookup, ctx: EvalContext) -> Value:
    table = value_of(node.table, ctx)
    key = value_of(node.key, ctx)
    if key is None:
        return None
    if isinstance(key, str):
        normalised = {normalise_text(str(k)): v for k, v in table.items()}
        result = normalised.get(normalise_text(key))
    else:
        result = table.get(key)
    if result is not None:
        _observe(ctx, node.name, result)
    return result


def _entry(node: MapEntry, ctx: EvalContext) -> Value:
    """One entry of a map field, shown and missing under its flat column name."""
    entries = getattr(ctx.record, node.field, None)
    value = None if entries is None else entries.get(node.key)
    _observe(ctx, node.column, value, derived=False)
    if value is None and node.column not in ctx.missing:
        ctx.missing.append(node.column)
    return value


_VALUE_HANDLERS: dict[type, Callable[[Any, EvalContext], Value]] = {
    FieldRef: _field,
    ParamRef: _param,
    KeysOf: _keys_of,
    LiteralValue: _literal,
    Ratio: _ratio,
    Product: _product,
    TrainingHours: _training_hours,
    Lookup: _lookup,
    MapEntry: _entry,
}


def value_of(node: Any, ctx: EvalContext) -> Value:
    """Evaluate an expression node."""
    handler = _VALUE_HANDLERS.get(type(node))
    if handler is None:
        raise UnsupportedNodeError(f"row evaluator has no value handler for {type(node).__name__}")
    return handler(node, ctx)


# --- truth handlers -----------------------------------------------------------


def _of_bool(flag: bool) -> Truth:
    return Truth.TRUE if flag else Truth.FALSE


def _compare(node: Compare, ctx: EvalContext) -> Truth:
    left = value_of(node.left, ctx)
    right = value_of(node.right, ctx)
    if left is None or right is None:
        return Truth.UNKNOWN
    left_num, right_num = _as_fraction(left), _as_fraction(right)
    if left_num is not None and right_num is not None:
        a: Any = left_num
        b: Any = right_num
    elif node.op in ("eq", "ne"):
        a = normalise_text(left) if isinstance(left, str) else left
        b = normalise_text(right) if isinstance(right, str) else right
    else:
        raise UnsupportedNodeError(f"cannot order {left!r} and {right!r} with {node.op}")
    result = {
        "le": lambda: a <= b,
        "lt": lambda: a < b,
        "ge": lambda: a >= b,
        "gt": lambda: a > b,
        "eq": lambda: a == b,
        "ne": lambda: a != b,
    }[node.op]()
    return _of_bool(bool(result))


def _rank_at_least(node: RankAtLeast, ctx: EvalContext) -> Truth:
    actual = _field(FieldRef(field=node.field), ctx)
    minimum = value_of(node.min, ctx)
    if actual is None or minimum is None:
        return Truth.UNKNOWN
    return _of_bool(rank_of(node.field, actual) >= rank_of(node.field, str(minimum)))


def _in(node: In, ctx: EvalContext) -> Truth:
    value = value_of(node.value, ctx)
    members = value_of(node.set, ctx)
    if value is None or members is None:
        return Truth.UNKNOWN
    if isinstance(value, str):
        return _of_bool(normalise_text(value) in _normalised(members))
    return _of_bool(value in members)


@functools.lru_cache(maxsize=256)
def _normalised(members: tuple[object, ...] | frozenset[object]) -> frozenset[str]:
    """A parameter's members as compared by `in` (parameters are immutable, so cached)."""
    return frozenset(normalise_text(str(m)) for m in members)


def _known(node: Known, ctx: EvalContext) -> Truth:
    return _of_bool(getattr(ctx.record, node.field, None) is not None)


def _all_of(node: AllOf, ctx: EvalContext) -> Truth:
    results = [truth_of(child, ctx) for child in node.of]
    if Truth.FALSE in results:
        return Truth.FALSE
    return Truth.UNKNOWN if Truth.UNKNOWN in results else Truth.TRUE


def _any_of(node: AnyOf, ctx: EvalContext) -> Truth:
    results = [truth_of(child, ctx) for child in node.of]
    if Truth.TRUE in results:
        return Truth.TRUE
    return Truth.UNKNOWN if Truth.UNKNOWN in results else Truth.FALSE


def _not(node: Not, ctx: EvalContext) -> Truth:
    inner = truth_of(node.of, ctx)
    return {Truth.TRUE: Truth.FALSE, Truth.FALSE: Truth.TRUE}.get(inner, Truth.UNKNOWN)


_TRUTH_HANDLERS: dict[type, Callable[[Any, EvalContext], Truth]] = {
    Compare: _compare,
    RankAtLeast: _rank_at_least,
    In: _in,
    Known: _known,
    AllOf: _all_of,
    AnyOf: _any_of,
    Not: _not,
}


# The registry's node types (rulebook/conditions.py NODE_TYPES) this back end has a handler
# for, and those it refuses with a reason; tests/test_operator_registry.py keeps them whole.
HANDLED: frozenset[type] = frozenset(_VALUE_HANDLERS) | frozenset(_TRUTH_HANDLERS)
UNSUPPORTED: dict[type, str] = {}


def truth_of(node: Any, ctx: EvalContext) -> Truth:
    """Evaluate a predicate node; named parts are recorded in ctx.parts."""
    handler = _TRUTH_HANDLERS.get(type(node))
    if handler is None:
        raise UnsupportedNodeError(f"row evaluator has no truth handler for {type(node).__name__}")
    result = handler(node, ctx)
    if getattr(node, "part", None) is not None:
        ctx.parts.append((node, result))
    return result
