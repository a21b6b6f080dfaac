"""The columnar back end: the condition tree compiled to Polars expressions.

Same tree, same meaning as the row evaluator (engines/row/tree_walk.py), but each node
becomes an expression over a whole column of records. One handler per node
type, in two tables; a node the compiler has no handler for, or a use of one it
cannot reproduce exactly, is UnsupportedConstructError when the rule is
compiled, never a silent fallback to the row engine.

Numbers are exact: every numeric value is a pair of Int128 expressions
(numerator, positive denominator), so `a/b ≤ 0.70` is `a·100 ≤ 70·b` in
integers. Truth is a nullable Boolean: null is unknown, and Polars' `&`/`|`
are Kleene's, as in the row engine. Alongside its truth a compiled predicate
keeps what the finding must say: fields read (observed), derived figures,
missing inputs and named parts, each as a column expression in evaluation
order, so messages are assembled from per-rule templates with string
expressions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from sw_policy.engines.columnar.text import fraction_text, json_string, normalised, plain_text
from sw_policy.engines.semantics import normalise_text
from sw_policy.errors import UnsupportedConstructError
from sw_policy.records import Certificate, Education, rank_of
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

__all__ = ["Compiled", "Entry", "UnsupportedConstructError", "compile_predicate"]


@dataclass
class Val:
    """A compiled expression: a constant known when compiling, or columns."""

    kind: str  # "static" | "num" | "text" | "bool"
    static: Any = None
    num: pl.Expr | None = None
    den: pl.Expr | None = None
    expr: pl.Expr | None = None  # text / bool columns
    field: str | None = None  # the record field read, if the value is one
    vocabulary: tuple[str, ...] | None = None  # text: every value it can hold, if known
    whole: pl.Expr | None = None  # num: the value as Int64, for a whole-number field
    mapped: tuple[pl.Expr, dict[Any, Any]] | None = None  # text from a lookup: key, key→value
    scale: int | None = None  # num: den is the literal 10**scale (a field's column scale)


@dataclass
class Entry:
    """One observed or derived value: shown when `present`, as JSON and as message text.

    `json` None means the JSON value is the text as a string (a decimal figure).
    """

    name: str
    present: pl.Expr
    json: pl.Expr | None
    text: pl.Expr
    plain: bool = False  # the text never holds a character JSON escapes (a number's digits)
    field: str | None = None
    """The record field shown, when the value is that field's: where the field is never
    null, `bare` gives the JSON (as pieces to concatenate) and text without a per-row test."""
    bare: tuple[tuple[str | pl.Expr, ...], pl.Expr] | None = None


@dataclass
class Compiled:
    """A predicate compiled over one kind's columns."""

    truth: pl.Expr
    observed: list[Entry] = field(default_factory=list)
    derived: list[Entry] = field(default_factory=list)
    missing: list[tuple[pl.Expr, str]] = field(default_factory=list)
    parts: list[tuple[Any, pl.Expr]] = field(default_factory=list)
    lookups: dict[str, tuple[pl.Expr, str]] = field(default_factory=dict)


@dataclass
class Ctx:
    """What compiling one predicate needs and accumulates."""

    types: Mapping[str, str]
    scales: Mapping[str, int]
    params: Mapping[str, Any]
    training: Callable[[TrainingHours, int], tuple[pl.Expr, pl.Expr, pl.Expr]]
    vocabularies: Mapping[str, tuple[str, ...]]
    normalise: Callable[[str], pl.Expr] | None
    out: Compiled = field(default_factory=lambda: Compiled(truth=pl.lit(True)))
    missing_fields: set[str] = field(default_factory=set)
    observed_fields: set[str] = field(default_factory=set)


def _lit_int(value: int) -> pl.Expr:
    return pl.lit(value, dtype=pl.Int128)


def _as_num(val: Val) -> tuple[pl.Expr, pl.Expr] | None:
    if val.kind == "num":
        assert val.num is not None and val.den is not None
        return val.num, val.den
    if val.kind == "static":
        v = val.static
        if isinstance(v, bool) or not isinstance(v, int | Decimal | Fraction):
            return None
        f = Fraction(v)
        return _lit_int(f.numerator), _lit_int(f.denominator)
    return None


def _bool_text(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr).then(pl.lit("true")).otherwise(pl.lit("false"))


# --- value handlers -----------------------------------------------------------


def _field(node: FieldRef, ctx: Ctx) -> Val:
    name = node.field
    ftype = ctx.types.get(name)
    if ftype is None or ftype in {"training", "date"}:
        raise UnsupportedConstructError(f"columnar engine cannot read field {name!r}")
    col = pl.col(name)
    if name not in ctx.observed_fields:
        ctx.observed_fields.add(name)
        words = ctx.vocabularies.get(name)
        plain = ftype in {"decimal", "int", "bool"} or (
            words is not None and all(map(plain_text, words))
        )
        json_pieces: tuple[str | pl.Expr, ...]
        if ftype == "decimal":
            raw_text = pl.col(f"{name}__text")
            json_value, text = '"' + raw_text + '"', raw_text
            json_pieces = ('"', raw_text, '"')
        elif ftype == "int":
            json_value = text = col.cast(pl.String)
            json_pieces = (json_value,)
        elif ftype == "bool":
            json_value = text = _bool_text(col)
            json_pieces = (json_value,)
        else:
            json_value, text = json_string(col), col
            json_pieces = (json_value,)
        ctx.out.observed.append(
            Entry(
                name,
                pl.lit(True),
                pl.when(col.is_null()).then(pl.lit("null")).otherwise(json_value),
                pl.when(col.is_null()).then(pl.lit("unknown")).otherwise(text),
                plain,
                field=name,
                bare=(json_pieces, text),
            )
        )
    if name not in ctx.missing_fields:
        ctx.missing_fields.add(name)
        ctx.out.missing.append((col.is_null(), name))
    if ftype == "decimal":
        scale = ctx.scales.get(name, 0)
        return Val("num", num=col, den=_lit_int(10**scale), scale=scale)
    if ftype == "int":
        return Val(
            "num", num=col.cast(pl.Int128), den=_lit_int(1), whole=col.cast(pl.Int64), scale=0
        )
    if ftype == "bool":
        return Val("bool", expr=col)
    return Val("text", expr=col, field=name, vocabulary=ctx.vocabularies.get(name))


def _normalised(val: Val, ctx: Ctx) -> pl.Expr:
    """A free-text value as `in`/`eq`/lookup compare it: a field's is normalised once per run."""
    assert val.expr is not None
    if val.field is not None and ctx.normalise is not None:
        return ctx.normalise(val.field)
    return normalised(val.expr)


def _matching(val: Val, wanted: set[str]) -> list[str]:
    """The values of a vocabulary that normalise into `wanted` (decided when compiling)."""
    assert val.vocabulary is not None
    return [v for v in val.vocabulary if normalise_text(v) in wanted]


def _whole(val: Val) -> pl.Expr:
    """A number as Int64 when it is whole (null otherwise), for lookups and `in`."""
    if val.whole is not None:
        return val.whole
    assert val.num is not None and val.den is not None
    return pl.when(val.den == 1).then(val.num.cast(pl.Int64))


def _param(node: ParamRef, ctx: Ctx) -> Val:
    return Val("static", static=ctx.params[node.param])


def _keys_of(node: KeysOf, ctx: Ctx) -> Val:
    return Val("static", static=frozenset(ctx.params[node.keys_of]))


def _literal(node: LiteralValue, ctx: Ctx) -> Val:
    return Val("static", static=node.value)


def _derive(ctx: Ctx, name: str | None, present: pl.Expr, text: pl.Expr) -> None:
    if name is None:
        return
    if any(e.name == name for e in ctx.out.derived):
        raise UnsupportedConstructError(f"derived value {name!r} is named twice in one rule")
    ctx.out.derived.append(Entry(name, present, None, text, plain=True))  # a number's text


def _ratio(node: Ratio, ctx: Ctx) -> Val:
    left, right = value_of(node.of[0], ctx), value_of(node.of[1], ctx)
    a, b = _as_num(left), _as_num(right)
    if a is None or b is None:
        raise UnsupportedConstructError("ratio of a value that is not a number")
    what = node.name or "the ratio"
    operand = node.of[1].field if isinstance(node.of[1], FieldRef) else type(node.of[1]).__name__
    zero = b[0] == 0
    ctx.out.missing.append((zero.fill_null(False), f"{what} (undefined: {operand} is 0)"))
    sign = pl.when(b[0] < 0).then(_lit_int(-1)).otherwise(_lit_int(1))
    a_den, b_den = a[1], b[1]
    if left.scale is not None and right.scale is not None:
        # (x/10^p)/(y/10^q) = x·10^(q-m) / (y·10^(p-m)), m = min(p, q): the common power of
        # ten cancelled, so 24-digit amounts compared with a 7-decimal share stay in Int128.
        common = min(left.scale, right.scale)
        a_den, b_den = _lit_int(10 ** (left.scale - common)), _lit_int(10 ** (right.scale - common))
    num = pl.when(zero).then(None).otherwise(a[0] * b_den * sign)
    den = pl.when(zero).then(None).otherwise(a_den * b[0] * sign)
    _derive(ctx, node.name, num.is_not_null(), fraction_text(num, den))
    return Val("num", num=num, den=den)


def _product(node: Product, ctx: Ctx) -> Val:
    left, right = value_of(node.of[0], ctx), value_of(node.of[1], ctx)
    a, b = _as_num(left), _as_num(right)
    if a is None or b is None:
        raise UnsupportedConstructError("product of a value that is not a number")
    num, den = a[0] * b[0], a[1] * b[1]
    _derive(ctx, node.name, num.is_not_null(), fraction_text(num, den))
    return Val("num", num=num, den=den)


def _training_hours(node: TrainingHours, ctx: Ctx) -> Val:
    years: int | None = None
    if node.window_years is not None:
        window = value_of(node.window_years, ctx)
        if window.kind != "static":
            raise UnsupportedConstructError("training window must be a parameter or literal")
        years = int(window.static)
    num, den, text = ctx.training(node, years or 0)
    has = pl.col("__has_training")
    if node.fallback_field is None:
        ctx.out.missing.append((~has, "training"))
    else:
        fallback = pl.col(node.fallback_field)
        ctx.out.missing.append((~has & fallback.is_null(), f"training (or {node.fallback_field})"))
        if node.until is not None:
            after = pl.col("__asof") > pl.lit(node.until, pl.Date)
            ctx.out.missing.append((~has & fallback.is_not_null() & after, undated_total(node)))
    _derive(ctx, node.name, num.is_not_null(), text)
    return Val("num", num=num, den=den)


def _lookup(node: Lookup, ctx: Ctx) -> Val:
    table = value_of(node.table, ctx)
    key = value_of(node.key, ctx)
    if table.kind != "static" or not isinstance(table.static, Mapping):
        raise UnsupportedConstructError("lookup needs a table parameter")
    entries: dict[Any, Any] = dict(table.static)
    if key.kind == "text":
        assert key.expr is not None
        entries = {normalise_text(str(k)): v for k, v in entries.items()}
        if key.vocabulary is not None:  # keyed by the raw values: no normalising per row
            entries = {
                raw: entries[normalise_text(raw)]
                for raw in key.vocabulary
                if normalise_text(raw) in entries
            }
            column = key.expr
        else:
            column = _normalised(key, ctx)
    elif key.kind == "num":
        if not all(isinstance(k, int) and not isinstance(k, bool) for k in entries):
            raise UnsupportedConstructError("lookup by number needs whole-number keys")
        column = _whole(key)
    else:
        raise UnsupportedConstructError("lookup key must be a record field")
    values = list(entries.values())
    present = column.is_in(list(entries)).fill_null(False) if entries else pl.lit(False)
    json_map = {k: _json_scalar(v) for k, v in entries.items()}
    text_map = {k: _scalar_text(v) for k, v in entries.items()}
    json_col = column.replace_strict(json_map, default=None, return_dtype=pl.String)
    text_col = column.replace_strict(text_map, default=None, return_dtype=pl.String)
    if node.name is not None:
        if any(e.name == node.name for e in ctx.out.derived):
            raise UnsupportedConstructError(f"derived value {node.name!r} is named twice")
        plain = all(map(plain_text, text_map.values()))
        ctx.out.derived.append(Entry(node.name, present, json_col, text_col, plain))
        ctx.out.lookups[node.name] = (text_col, "")
    if all(isinstance(v, str) for v in values):
        return Val(
            "text", expr=text_col, vocabulary=tuple(dict.fromkeys(values)), mapped=(column, entries)
        )
    if all(isinstance(v, int | Decimal) and not isinstance(v, bool) for v in values):
        fractions = {k: Fraction(v) for k, v in entries.items()}
        nums = {k: f.numerator for k, f in fractions.items()}
        dens = {k: f.denominator for k, f in fractions.items()}
        num = column.replace_strict(nums, default=None, return_dtype=pl.Int128)
        if set(dens.values()) == {1}:  # whole numbers: no second mapping per row
            return Val("num", num=num, den=_lit_int(1))
        den = column.replace_strict(dens, default=None, return_dtype=pl.Int128)
        return Val("num", num=num, den=den)
    raise UnsupportedConstructError("lookup table mixes text and numbers")


def _entry(node: MapEntry, ctx: Ctx) -> Val:
    """One entry of a map field: its flat column (inputs/frames.py), read as a field is."""
    return _field(FieldRef(field=node.column), ctx)


def _json_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return f'"{value}"'
    return json.dumps(str(value), ensure_ascii=False)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_VALUE_HANDLERS: dict[type, Callable[[Any, Ctx], Val]] = {
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


def value_of(node: Any, ctx: Ctx) -> Val:
    """Compile an expression node."""
    handler = _VALUE_HANDLERS.get(type(node))
    if handler is None:
        raise UnsupportedConstructError(
            f"columnar compiler has no handler for {type(node).__name__}"
        )
    return handler(node, ctx)


# --- truth handlers -----------------------------------------------------------


def _compare(node: Compare, ctx: Ctx) -> pl.Expr:
    left, right = value_of(node.left, ctx), value_of(node.right, ctx)
    a, b = _as_num(left), _as_num(right)
    if a is not None and b is not None:
        lhs, rhs = a[0] * b[1], b[0] * a[1]
    elif node.op in ("eq", "ne") and _text_against_static(left, right):
        text, other = (left, right) if left.kind == "text" else (right, left)
        member = _member(text, {normalise_text(other.static)}, ctx)
        return member if node.op == "eq" else ~member
    elif node.op in ("eq", "ne"):
        lhs_or_none, rhs_or_none = _comparable(left, ctx), _comparable(right, ctx)
        if lhs_or_none is None or rhs_or_none is None:
            raise UnsupportedConstructError(f"cannot compare {left.kind} with {right.kind}")
        lhs, rhs = lhs_or_none, rhs_or_none
    else:
        raise UnsupportedConstructError(f"cannot order {left.kind} and {right.kind}")
    result: pl.Expr = {
        "le": lambda: lhs <= rhs,
        "lt": lambda: lhs < rhs,
        "ge": lambda: lhs >= rhs,
        "gt": lambda: lhs > rhs,
        "eq": lambda: lhs == rhs,
        "ne": lambda: lhs != rhs,
    }[node.op]()
    if left.kind == "static" and right.kind == "static":
        return pl.lit(bool(_static_compare(node.op, left.static, right.static)), pl.Boolean)
    return result


def _text_against_static(left: Val, right: Val) -> bool:
    pair = {left.kind, right.kind}
    static = left.static if left.kind == "static" else right.static
    return pair == {"text", "static"} and isinstance(static, str)


def _member(val: Val, wanted: set[str], ctx: Ctx) -> pl.Expr:
    """Whether a text value normalises into `wanted` (null when the value is unknown)."""
    assert val.expr is not None
    if val.vocabulary is not None:
        return val.expr.is_in(_matching(val, wanted))
    return _normalised(val, ctx).is_in(sorted(wanted))


def _static_compare(op: str, a: Any, b: Any) -> bool:
    if isinstance(a, str):
        a = normalise_text(a)
    if isinstance(b, str):
        b = normalise_text(b)
    return bool(a == b) if op == "eq" else bool(a != b)


def _comparable(val: Val, ctx: Ctx) -> pl.Expr | None:
    if val.kind == "text":
        return _normalised(val, ctx)
    if val.kind == "bool":
        return val.expr
    if val.kind == "static":
        if isinstance(val.static, bool):
            return pl.lit(val.static, pl.Boolean)
        if isinstance(val.static, str):
            return pl.lit(normalise_text(val.static), pl.String)
    return None


def _rank_at_least(node: RankAtLeast, ctx: Ctx) -> pl.Expr:
    actual = _field(FieldRef(field=node.field), ctx)
    minimum = value_of(node.min, ctx)
    ranks = _ranks(node.field)
    assert actual.expr is not None
    actual_rank = actual.expr.replace_strict(ranks, default=None, return_dtype=pl.Int64)
    if minimum.kind == "static":
        return actual_rank >= rank_of(node.field, str(minimum.static))
    if minimum.kind == "text" and minimum.mapped is not None:  # a lookup: rank by its key
        key, table = minimum.mapped
        key_ranks = {k: ranks[v] for k, v in table.items() if v in ranks}
        return actual_rank >= key.replace_strict(key_ranks, default=None, return_dtype=pl.Int64)
    if minimum.kind == "text":
        assert minimum.expr is not None
        return actual_rank >= minimum.expr.replace_strict(
            ranks, default=None, return_dtype=pl.Int64
        )
    raise UnsupportedConstructError("rank_at_least needs a level name")


def _ranks(name: str) -> dict[str, int]:
    vocabulary = {"certificate": Certificate, "education": Education}[name]
    return {m.value: rank_of(name, m.value) for m in vocabulary}


def _in(node: In, ctx: Ctx) -> pl.Expr:
    value, members = value_of(node.value, ctx), value_of(node.set, ctx)
    if members.kind != "static":
        raise UnsupportedConstructError("`in` needs a set parameter")
    items = list(members.static)
    if value.kind == "text":
        return _member(value, {normalise_text(str(m)) for m in items}, ctx)
    if value.kind == "num":
        assert value.num is not None and value.den is not None
        numbers = [m for m in items if isinstance(m, int) and not isinstance(m, bool)]
        if value.whole is not None:
            return value.whole.is_in(numbers)
        return (
            pl.when(value.num.is_null())
            .then(None)
            .otherwise(_whole(value).is_in(numbers).fill_null(False))
        )
    raise UnsupportedConstructError(f"`in` over a {value.kind} value")


def _known(node: Known, ctx: Ctx) -> pl.Expr:
    if node.field == "training":
        return pl.col("__has_training")
    if node.field not in ctx.types:
        raise UnsupportedConstructError(f"unknown field {node.field!r}")
    return pl.col(node.field).is_not_null()


def _all_of(node: AllOf, ctx: Ctx) -> pl.Expr:
    results = [truth_of(child, ctx) for child in node.of]
    out = results[0]
    for item in results[1:]:
        out = out & item
    return out


def _any_of(node: AnyOf, ctx: Ctx) -> pl.Expr:
    results = [truth_of(child, ctx) for child in node.of]
    out = results[0]
    for item in results[1:]:
        out = out | item
    return out


def _not(node: Not, ctx: Ctx) -> pl.Expr:
    return ~truth_of(node.of, ctx)


_TRUTH_HANDLERS: dict[type, Callable[[Any, Ctx], pl.Expr]] = {
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


def truth_of(node: Any, ctx: Ctx) -> pl.Expr:
    """Compile a predicate node; named parts are recorded in order, as the row engine does."""
    handler = _TRUTH_HANDLERS.get(type(node))
    if handler is None:
        raise UnsupportedConstructError(
            f"columnar compiler has no handler for {type(node).__name__}"
        )
    result = handler(node, ctx)
    if getattr(node, "part", None) is not None:
        ctx.out.parts.append((node, result))
    return result


def compile_predicate(
    node: Any,
    *,
    types: Mapping[str, str],
    scales: Mapping[str, int],
    params: Mapping[str, Any],
    training: Callable[[TrainingHours, int], tuple[pl.Expr, pl.Expr, pl.Expr]],
    vocabularies: Mapping[str, tuple[str, ...]] | None = None,
    normalise: Callable[[str], pl.Expr] | None = None,
) -> Compiled:
    """Compile one predicate tree (a rule's applies_when or condition) over a kind's columns.

    `vocabularies` gives the values an Enum field can hold (text tests on it are then
    decided per value when compiling); `normalise(field)` gives a free-text field's
    normalised column, computed once per run (without it each test normalises anew).
    """
    ctx = Ctx(
        types=types,
        scales=scales,
        params=params,
        training=training,
        vocabularies=vocabularies or {},
        normalise=normalise,
    )
    ctx.out.truth = truth_of(node, ctx)
    return ctx.out
