"""Condition trees compiled once into nested closures, for the row engine's hot loop.

engines/row/tree_walk.py walks the tree for every record, dispatching on every node and
looking parameters up each time. A rule's condition and its parameters are
fixed, so here each (tree, parameters) pair is turned into closures once:
parameters, literals and their normalised or ranked forms are bound as
constants. The meaning is engines.row.tree_walk's exactly (Kleene logic, exact rational
arithmetic, the same observed values, missing inputs and parts, recorded in
the same order), so findings are byte-identical; the tests compare both.
Still one handler per node type: a type with none is an UnsupportedNodeError
when the rule is compiled, never a silent fallback.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from sw_policy.engines.row.tree_walk import (
    Truth,
    UnsupportedNodeError,
    Value,
    _normalised,
)
from sw_policy.engines.semantics import format_number, normalise_text, years_before
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

__all__ = ["Trace", "TruthFn", "ValueFn", "compile_predicate", "compile_value", "shown"]

_TRUE, _FALSE, _UNKNOWN = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
# Field values that are certainly not enum members (checked before the costlier isinstance).
_PLAIN = frozenset({str, int, bool, Decimal, type(None), tuple})
_ABSENT = object()


class Trace:
    """What one evaluation of one compiled tree over one record reads and records."""

    __slots__ = ("as_of", "derived", "missing", "observed", "parts", "record")

    def __init__(self, record: Any, as_of: dt.date) -> None:
        self.record = record
        self.as_of = as_of
        self.observed: dict[str, Any] = {}
        self.derived: dict[str, Any] = {}
        self.missing: list[str] = []
        self.parts: list[tuple[Any, Truth]] = []

    def observed_values(self) -> dict[str, Any]:
        """Derived figures first (what the provision speaks of), then the fields read."""
        if not self.derived:
            return dict(self.observed)
        values = dict(self.derived)
        for name, value in self.observed.items():
            values.setdefault(name, value)
        return values


ValueFn = Callable[[Trace], Value]
TruthFn = Callable[[Trace], Truth]


@dataclass(frozen=True, slots=True)
class _Env:
    """What a tree is compiled against: its parameters, and whether only to note gaps."""

    params: Mapping[str, Any]
    quiet: bool


def shown(value: Value) -> Any:
    """A value as a finding shows it (as engines.row.tree_walk._observe does)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is Decimal:
        return str(value)
    if kind is Fraction:
        return format_number(value)
    if isinstance(value, Fraction):
        return format_number(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value._value_
    return value


def _rational(value: Value) -> tuple[int, int] | None:
    """(numerator, denominator) of an exact number; None for anything else, bools included."""
    kind = type(value)
    if kind is Decimal or kind is int:
        ratio: tuple[int, int] = value.as_integer_ratio()
        return ratio
    if kind is Fraction:
        return value.numerator, value.denominator
    if kind is str or kind is bool or value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        return None
    return value.as_integer_ratio()


def _as_fraction(value: Value) -> Fraction | None:
    exact = _rational(value)
    return None if exact is None else Fraction(*exact)


def _constant(node: Any, params: Mapping[str, Any]) -> Any:
    """The node's value when it does not depend on the record, else _ABSENT."""
    kind = type(node)
    if kind is ParamRef:
        return params[node.param]
    if kind is KeysOf:
        return frozenset(params[node.keys_of])
    if kind is LiteralValue:
        return node.value
    return _ABSENT


# --- values -------------------------------------------------------------------


def _field_reader(name: str, quiet: bool) -> ValueFn:
    if quiet:

        def field_unobserved(trace: Trace) -> Value:
            raw = getattr(trace.record, name, None)
            value = raw if type(raw) in _PLAIN else raw._value_ if isinstance(raw, Enum) else raw
            if value is None and name not in trace.missing:
                trace.missing.append(name)
            return value

        return field_unobserved

    def field(trace: Trace) -> Value:
        raw = getattr(trace.record, name, None)
        value = raw if type(raw) in _PLAIN else raw._value_ if isinstance(raw, Enum) else raw
        observed = trace.observed
        if name not in observed:
            observed[name] = shown(value)
        if value is None and name not in trace.missing:
            trace.missing.append(name)
        return value

    return field


def _field(node: FieldRef, env: _Env) -> ValueFn:
    return _field_reader(node.field, env.quiet)


def _constant_fn(node: Any, env: _Env) -> ValueFn:
    value = _constant(node, env.params)
    return lambda trace: value


def _derived_name(node: Ratio | Product | TrainingHours | Lookup, env: _Env) -> str | None:
    """The name a value is shown under, or None (unnamed, or compiled quiet)."""
    return None if env.quiet else node.name


def _derive(trace: Trace, name: str | None, value: Value) -> None:
    if name is not None and name not in trace.derived:
        trace.derived[name] = shown(value)


def _describe_operand(node: Any) -> str:
    return node.field if isinstance(node, FieldRef) else type(node).__name__


def _ratio(node: Ratio, env: _Env) -> ValueFn:
    numerator_fn = _value(node.of[0], env)
    denominator_fn = _value(node.of[1], env)
    name = _derived_name(node, env)
    undefined = f"{node.name or 'the ratio'} (undefined: {_describe_operand(node.of[1])} is 0)"

    def ratio(trace: Trace) -> Value:
        numerator = _rational(numerator_fn(trace))
        denominator = _rational(denominator_fn(trace))
        if denominator is not None and denominator[0] == 0:
            trace.missing.append(undefined)
            return None
        if numerator is None or denominator is None:
            return None
        result = Fraction(numerator[0] * denominator[1], numerator[1] * denominator[0])
        _derive(trace, name, result)
        return result

    return ratio


def _product(node: Product, env: _Env) -> ValueFn:
    left_fn = _value(node.of[0], env)
    right_fn = _value(node.of[1], env)
    name = _derived_name(node, env)

    def product(trace: Trace) -> Value:
        left = _rational(left_fn(trace))
        right = _rational(right_fn(trace))
        if left is None or right is None:
            return None
        result = Fraction(left[0] * right[0], left[1] * right[1])
        _derive(trace, name, result)
        return result

    return product


def _training_hours(node: TrainingHours, env: _Env) -> ValueFn:
    window_fn = None if node.window_years is None else _value(node.window_years, env)
    fallback = node.fallback_field
    name = _derived_name(node, env)
    until = node.until
    undated = None if until is None else undated_total(node)
    starts: dict[tuple[dt.date, int], dt.date] = {}

    def training_hours(trace: Trace) -> Value:
        record = trace.record
        sessions = getattr(record, "training", None)
        as_of = trace.as_of
        cutoff = as_of if until is None or as_of <= until else until
        if sessions is None:
            if fallback is None:
                trace.missing.append("training")
                return None
            hours = getattr(record, fallback, None)
            if hours is None:
                trace.missing.append(f"training (or {fallback})")
                return None
            if cutoff < as_of:
                assert undated is not None
                trace.missing.append(undated)
                return None
            _derive(trace, name, hours)
            return hours
        hours = Decimal(0)
        if window_fn is None:
            for session in sessions:
                if session.date <= cutoff:
                    hours += session.hours
        else:
            key = (as_of, int(window_fn(trace)))
            start = starts.get(key)
            if start is None:
                start = starts[key] = years_before(*key)
            for session in sessions:
                if start < session.date <= cutoff:
                    hours += session.hours
        _derive(trace, name, hours)
        return hours

    return training_hours


def _lookup(node: Lookup, env: _Env) -> ValueFn:
    table_fn = _value(node.table, env)
    key_fn = _value(node.key, env)
    name = _derived_name(node, env)
    table = _constant(node.table, env.params)
    by_text = (
        {normalise_text(str(k)): v for k, v in table.items()}
        if isinstance(table, Mapping)
        else None
    )

    def lookup(trace: Trace) -> Value:
        current = table_fn(trace)
        key = key_fn(trace)
        if key is None:
            return None
        if isinstance(key, str):
            normalised = (
                by_text
                if by_text is not None
                else {normalise_text(str(k)): v for k, v in current.items()}
            )
            result = normalised.get(normalise_text(key))
        else:
            result = current.get(key)
        if result is not None:
            _derive(trace, name, result)
        return result

    return lookup


def _entry(node: MapEntry, env: _Env) -> ValueFn:
    name, key, column, quiet = node.field, node.key, node.column, env.quiet

    def entry(trace: Trace) -> Value:
        entries = getattr(trace.record, name, None)
        value = None if entries is None else entries.get(key)
        if not quiet and column not in trace.observed:
            trace.observed[column] = value
        if value is None and column not in trace.missing:
            trace.missing.append(column)
        return value

    return entry


_VALUE_COMPILERS: dict[type, Callable[[Any, _Env], ValueFn]] = {
    FieldRef: _field,
    ParamRef: _constant_fn,
    KeysOf: _constant_fn,
    LiteralValue: _constant_fn,
    Ratio: _ratio,
    Product: _product,
    TrainingHours: _training_hours,
    Lookup: _lookup,
    MapEntry: _entry,
}


def compile_value(node: Any, params: Mapping[str, Any], *, quiet: bool = False) -> ValueFn:
    """An expression node as a closure over a Trace.

    `quiet` records only missing inputs (no observed values, no parts): enough
    for applies_when, whose observations no finding shows.
    """
    return _value(node, _Env(params, quiet))


def _value(node: Any, env: _Env) -> ValueFn:
    compiler = _VALUE_COMPILERS.get(type(node))
    if compiler is None:
        raise UnsupportedNodeError(f"row compiler has no value handler for {type(node).__name__}")
    return compiler(node, env)


# --- predicates ---------------------------------------------------------------

_ORDER: dict[str, Callable[[Any, Any], Any]] = {
    "le": operator.le,
    "lt": operator.lt,
    "ge": operator.ge,
    "gt": operator.gt,
    "eq": operator.eq,
    "ne": operator.ne,
}


def _compared(op: str, left: Value, right: Value) -> Truth:
    """`left op right` for two known values, as engines.row.tree_walk._compare decides it."""
    left_num, right_num = _as_fraction(left), _as_fraction(right)
    if left_num is not None and right_num is not None:
        a: Any = left_num
        b: Any = right_num
    elif op in ("eq", "ne"):
        a = normalise_text(left) if isinstance(left, str) else left
        b = normalise_text(right) if isinstance(right, str) else right
    else:
        raise UnsupportedNodeError(f"cannot order {left!r} and {right!r} with {op}")
    return _TRUE if _ORDER[op](a, b) else _FALSE


def _compare(node: Compare, env: _Env) -> TruthFn:
    left_fn = _value(node.left, env)
    right_fn = _value(node.right, env)
    op = node.op
    test = _ORDER[op]
    right = _constant(node.right, env.params)
    right_exact = None if right is _ABSENT else _as_fraction(right)
    if right_exact is None and right is not _ABSENT and right is not None and op in ("eq", "ne"):
        # A text or yes/no constant: compared as text or as it stands, whatever the left is.
        wanted = normalise_text(right) if isinstance(right, str) else right

        def compare_to_constant(trace: Trace) -> Truth:
            left = left_fn(trace)
            if left is None:
                return _UNKNOWN
            found = normalise_text(left) if isinstance(left, str) else left
            return _TRUE if test(found, wanted) else _FALSE

        return compare_to_constant

    if right_exact is None:

        def compare(trace: Trace) -> Truth:
            left = left_fn(trace)
            right = right_fn(trace)
            if left is None or right is None:
                return _UNKNOWN
            return _compared(op, left, right)

        return compare

    # A numeric threshold: compared as it stands (int, Decimal) or as a fraction,
    # both exact; anything else takes the general path.
    plain = right if type(right) in (int, Decimal) else right_exact
    # a/b against c/d (b, d > 0) is a·d against c·b: exact, in integers.
    right_numerator, right_denominator = right_exact.numerator, right_exact.denominator

    def compare_to_number(trace: Trace) -> Truth:
        left = left_fn(trace)
        if left is None:
            return _UNKNOWN
        kind = type(left)
        if kind is Fraction:
            cross = left.numerator * right_denominator
            return _TRUE if test(cross, right_numerator * left.denominator) else _FALSE
        if kind is int or kind is Decimal:
            return _TRUE if test(left, plain) else _FALSE
        return _compared(op, left, right)

    return compare_to_number


def _rank_at_least(node: RankAtLeast, env: _Env) -> TruthFn:
    field = node.field
    actual_fn = _field_reader(field, env.quiet)
    minimum_fn = _value(node.min, env)
    minimum = _constant(node.min, env.params)
    min_rank: int | None = None
    if minimum is not _ABSENT and minimum is not None:
        try:
            min_rank = rank_of(field, str(minimum))
        except ValueError:
            min_rank = None  # raised when a record reaches it, as the tree walk does

    def rank_at_least(trace: Trace) -> Truth:
        actual = actual_fn(trace)
        least = minimum_fn(trace)
        if actual is None or least is None:
            return _UNKNOWN
        rank = rank_of(field, actual)
        needed = min_rank if min_rank is not None else rank_of(field, str(least))
        return _TRUE if rank >= needed else _FALSE

    return rank_at_least


def _in(node: In, env: _Env) -> TruthFn:
    value_fn = _value(node.value, env)
    set_fn = _value(node.set, env)
    members = _constant(node.set, env.params)
    texts = _normalised(members) if isinstance(members, tuple | frozenset) else None

    def in_(trace: Trace) -> Truth:
        value = value_fn(trace)
        current = set_fn(trace)
        if value is None or current is None:
            return _UNKNOWN
        if isinstance(value, str):
            normalised = texts if texts is not None else _normalised(current)
            return _TRUE if normalise_text(value) in normalised else _FALSE
        return _TRUE if value in current else _FALSE

    return in_


def _known(node: Known, env: _Env) -> TruthFn:
    field = node.field
    return lambda trace: _FALSE if getattr(trace.record, field, None) is None else _TRUE


def _all_of(node: AllOf, env: _Env) -> TruthFn:
    children = tuple(_predicate(child, env) for child in node.of)

    def all_of(trace: Trace) -> Truth:
        false = unknown = False
        for child in children:  # every part is judged: each may be named
            result = child(trace)
            if result is _FALSE:
                false = True
            elif result is _UNKNOWN:
                unknown = True
        return _FALSE if false else _UNKNOWN if unknown else _TRUE

    return all_of


def _any_of(node: AnyOf, env: _Env) -> TruthFn:
    children = tuple(_predicate(child, env) for child in node.of)

    def any_of(trace: Trace) -> Truth:
        true = unknown = False
        for child in children:
            result = child(trace)
            if result is _TRUE:
                true = True
            elif result is _UNKNOWN:
                unknown = True
        return _TRUE if true else _UNKNOWN if unknown else _FALSE

    return any_of


def _not(node: Not, env: _Env) -> TruthFn:
    inner = _predicate(node.of, env)
    flipped = {_TRUE: _FALSE, _FALSE: _TRUE, _UNKNOWN: _UNKNOWN}
    return lambda trace: flipped[inner(trace)]


_TRUTH_COMPILERS: dict[type, Callable[[Any, _Env], TruthFn]] = {
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
HANDLED: frozenset[type] = frozenset(_VALUE_COMPILERS) | frozenset(_TRUTH_COMPILERS)
UNSUPPORTED: dict[type, str] = {}


def compile_predicate(node: Any, params: Mapping[str, Any], *, quiet: bool = False) -> TruthFn:
    """A predicate node as a closure over a Trace; named parts are recorded in trace.parts.

    `quiet` records only missing inputs (see compile_value).
    """
    return _predicate(node, _Env(params, quiet))


def _predicate(node: Any, env: _Env) -> TruthFn:
    compiler = _TRUTH_COMPILERS.get(type(node))
    if compiler is None:
        raise UnsupportedNodeError(f"row compiler has no truth handler for {type(node).__name__}")
    judge = compiler(node, env)
    if env.quiet or getattr(node, "part", None) is None:
        return judge

    def part(trace: Trace) -> Truth:
        result = judge(trace)
        trace.parts.append((node, result))
        return result

    return part
