"""The condition language: a small typed tree that every evaluator walks.

A rule's `applies_when` and `condition` are parsed once into these nodes. There
are two families: expressions, which produce a value (a record field, a named
parameter, a ratio), and predicates, which produce true, false or unknown.
Nodes are plain data; what they mean is decided by each back end's handler
table (see engines/row/tree_walk.py), so one tree compiles to several evaluators.

Written in YAML, an expression is `{field: labour_cost}`, `{param: max_share}`,
`{keys_of: table}`, `{value: 2}`, or an `op` node such as
`{op: ratio, of: [{field: labour_cost}, {field: total_funds}], name: labour_cost_share}`,
or `{op: entry, field: influential_orgs_by_field, key: elderly}` (one entry of a map field).
A predicate always has an `op`: le lt ge gt eq ne, rank_at_least, in, known,
all_of, any_of, not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from sw_policy.records import MAP_SEPARATOR

__all__ = [
    "COMPARISON_SYMBOLS",
    "NODE_TYPES",
    "AllOf",
    "AnyOf",
    "Compare",
    "Expr",
    "FieldRef",
    "In",
    "KeysOf",
    "Known",
    "Label",
    "LiteralValue",
    "Lookup",
    "MapEntry",
    "NodeType",
    "Not",
    "ParamRef",
    "Predicate",
    "Product",
    "RankAtLeast",
    "Ratio",
    "TrainingHours",
    "node_types",
    "undated_total",
    "walk",
]

COMPARISON_SYMBOLS: dict[str, str] = {
    "le": "≤",
    "lt": "<",
    "ge": "≥",
    "gt": ">",
    "eq": "=",
    "ne": "≠",
}

Scalar = bool | int | Decimal | str


class _Node(BaseModel):
    # Built on first validation (with the rule file that holds it), not at import.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Label(_Node):
    """A bilingual name for a part of a multi-part rule, used when it is unmet."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class _Part(_Node):
    """Fields shared by predicates that can be named parts of a rule."""

    part: str | None = Field(
        default=None, description="Id of this part; a failing rule lists its unmet parts."
    )
    label: Label | None = None


# --- expressions --------------------------------------------------------------


class FieldRef(_Node):
    """The value of a record field; None (unknown) when the record lacks it."""

    field: str


class ParamRef(_Node):
    """The value of one of the rule's named parameters."""

    param: str


class KeysOf(_Node):
    """The keys of a table parameter, as a set."""

    keys_of: str


class LiteralValue(_Node):
    """A constant written in the rule (prefer a named parameter for thresholds)."""

    value: Scalar


class Ratio(_Node):
    """Exact quotient of two expressions; unknown when the denominator is 0."""

    op: Literal["ratio"]
    of: tuple[Expr, Expr]
    name: str | None = None


class Product(_Node):
    """Exact product of two expressions."""

    op: Literal["product"]
    of: tuple[Expr, Expr]
    name: str | None = None


class TrainingHours(_Node):
    """A worker's training hours up to as-of, optionally within a trailing window.

    With `window_years` the window is (as_of - N years, as_of]; without it every
    session up to as_of counts. With `until` (a duty with a deadline) only sessions
    dated on or before that day count, since later hours do not cure a miss. When the record
    carries no training list, the flat-file column `fallback_field` is read
    instead -- except after `until`, since an undated total cannot tell when the
    hours were done.
    """

    op: Literal["training_hours"]
    window_years: Expr | None = None
    fallback_field: str | None = None
    until: dt.date | None = None
    name: str


class Lookup(_Node):
    """The value a table parameter gives for a key; unknown when the key is absent."""

    op: Literal["lookup"]
    table: Expr
    key: Expr
    name: str | None = None


class MapEntry(_Node):
    """One entry of a record's map field (counts per field of service); unknown when absent.

    An absent entry is unknown, never 0: a region that reports four of seven fields
    has not said the other three have none. Flat files carry it as the column
    `column` (`influential_orgs_by_field.elderly`), which is also the name the finding
    shows it under, on every engine.
    """

    op: Literal["entry"]
    field: str
    key: str

    @property
    def column(self) -> str:
        """The flat column (and observed name) of this entry."""
        return f"{self.field}{MAP_SEPARATOR}{self.key}"


# --- predicates ---------------------------------------------------------------


class Compare(_Part):
    """`left <op> right`, exact; unknown when either side is unknown."""

    op: Literal["le", "lt", "ge", "gt", "eq", "ne"]
    left: Expr
    right: Expr


class RankAtLeast(_Part):
    """A ranked field (certificate, education) is at or above a named level."""

    op: Literal["rank_at_least"]
    field: str
    min: Expr


class In(_Part):
    """A value is a member of a set (text compared ignoring case, spaces, - and _)."""

    op: Literal["in"]
    value: Expr
    set: Expr


class Known(_Part):
    """The record carries a value for a field (never unknown itself)."""

    op: Literal["known"]
    field: str


class AllOf(_Part):
    """Every predicate holds (false wins over unknown)."""

    op: Literal["all_of"]
    of: tuple[Predicate, ...] = Field(min_length=1)


class AnyOf(_Part):
    """At least one predicate holds (true wins over unknown)."""

    op: Literal["any_of"]
    of: tuple[Predicate, ...] = Field(min_length=1)


class Not(_Part):
    """The predicate does not hold."""

    op: Literal["not"]
    of: Predicate


# --- the registry ---------------------------------------------------------------


@dataclass(frozen=True)
class NodeType:
    """One node type of the condition language, declared once.

    `tag` is its discriminator in the Expr/Predicate unions; `ops` the `op`
    values a drafter writes (none for the four plain expressions); `written`
    and `meaning` are its row in docs/drafters.md. Every back end declares a
    handler or an UNSUPPORTED reason for each (tests/test_operator_registry.py).
    """

    cls: type[_Node]
    tag: str
    family: Literal["expression", "predicate"]
    written: str
    meaning: str
    ops: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The class name, as back ends and messages name the node type."""
        return self.cls.__name__


NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        FieldRef,
        "field",
        "expression",
        "{field: labour_cost}",
        "a record field; unknown when blank",
    ),
    NodeType(
        ParamRef, "param", "expression", "{param: max_share}", "a named parameter of the rule"
    ),
    NodeType(
        KeysOf, "keys_of", "expression", "{keys_of: title_levels}", "the keys of a table parameter"
    ),
    NodeType(
        LiteralValue,
        "literal",
        "expression",
        "{value: true}",
        "a constant (prefer a named parameter for any threshold)",
    ),
    NodeType(
        Ratio,
        "ratio",
        "expression",
        "{op: ratio, of: [A, B], name: N}",
        "A ÷ B exactly; unknown when B is 0 (the message says so)",
        ("ratio",),
    ),
    NodeType(
        Product,
        "product",
        "expression",
        "{op: product, of: [A, B], name: N}",
        "A × B exactly",
        ("product",),
    ),
    NodeType(
        TrainingHours,
        "training_hours",
        "expression",
        "{op: training_hours, window_years: {param: window_years}, "
        "fallback_field: training_hours_5y, name: N}",
        "a worker's training hours up to as-of, in the trailing window "
        "`(as_of − N years, as_of]`, or in all time without `window_years`; "
        "the flat column when there is no list",
        ("training_hours",),
    ),
    NodeType(
        Lookup,
        "lookup",
        "expression",
        "{op: lookup, table: {param: T}, key: {field: F}, name: N}",
        "the value table T gives for the record's F",
        ("lookup",),
    ),
    NodeType(
        MapEntry,
        "entry",
        "expression",
        "{op: entry, field: influential_orgs_by_field, key: elderly}",
        "one entry of a map field (a count per field of service); unknown when the record "
        "does not give it (never 0); flat files name it `influential_orgs_by_field.elderly`",
        ("entry",),
    ),
    NodeType(
        Compare,
        "compare",
        "predicate",
        "{op: le/lt/ge/gt/eq/ne, left: A, right: B}",
        "≤ < ≥ > = ≠, exact",
        tuple(COMPARISON_SYMBOLS),
    ),
    NodeType(
        RankAtLeast,
        "rank_at_least",
        "predicate",
        "{op: rank_at_least, field: certificate, min: M}",
        "certificate or education at level M or higher",
        ("rank_at_least",),
    ),
    NodeType(
        In,
        "in",
        "predicate",
        "{op: in, value: A, set: S}",
        "membership; text ignores case, spaces, `-` and `_`",
        ("in",),
    ),
    NodeType(
        Known,
        "known",
        "predicate",
        "{op: known, field: F}",
        "the record has a value for F",
        ("known",),
    ),
    NodeType(
        AllOf,
        "all_of",
        "predicate",
        "{op: all_of, of: [...]}",
        "and, three-valued: false wins over unknown",
        ("all_of",),
    ),
    NodeType(
        AnyOf,
        "any_of",
        "predicate",
        "{op: any_of, of: [...]}",
        "or, three-valued: true wins over unknown",
        ("any_of",),
    ),
    NodeType(
        Not,
        "not",
        "predicate",
        "{op: not, of: C}",
        "not, three-valued: unknown stays unknown",
        ("not",),
    ),
)


def node_types(family: Literal["expression", "predicate"]) -> tuple[NodeType, ...]:
    """The registered node types of one family, in declaration order."""
    return tuple(t for t in NODE_TYPES if t.family == family)


_EXPR_KEYS = {"field": "field", "param": "param", "keys_of": "keys_of", "value": "literal"}
_EXPR_CLASSES: dict[type[_Node], str] = {
    FieldRef: "field",
    ParamRef: "param",
    KeysOf: "keys_of",
    LiteralValue: "literal",
}


def _expr_tag(raw: Any) -> str | None:
    if isinstance(raw, _Node):
        return _EXPR_CLASSES.get(type(raw)) or getattr(raw, "op", None)
    if isinstance(raw, dict):
        if "op" in raw:
            return str(raw["op"])
        for key, tag in _EXPR_KEYS.items():
            if key in raw:
                return tag
    return None


def _predicate_tag(raw: Any) -> str | None:
    op = getattr(raw, "op", None) if isinstance(raw, _Node) else None
    if isinstance(raw, dict):
        op = raw.get("op")
    if op in COMPARISON_SYMBOLS:
        return "compare"
    return None if op is None else str(op)


Expr = Annotated[
    Annotated[FieldRef, Tag("field")]
    | Annotated[ParamRef, Tag("param")]
    | Annotated[KeysOf, Tag("keys_of")]
    | Annotated[LiteralValue, Tag("literal")]
    | Annotated[Ratio, Tag("ratio")]
    | Annotated[Product, Tag("product")]
    | Annotated[TrainingHours, Tag("training_hours")]
    | Annotated[Lookup, Tag("lookup")]
    | Annotated[MapEntry, Tag("entry")],
    Discriminator(
        _expr_tag,
        custom_error_type="unknown_expression",
        custom_error_message=(
            "not an expression: write {field: NAME}, {param: NAME}, {keys_of: NAME}, "
            "{value: V} or an op of "
            + ", ".join(o for t in node_types("expression") for o in t.ops)
        ),
    ),
]

Predicate = Annotated[
    Annotated[Compare, Tag("compare")]
    | Annotated[RankAtLeast, Tag("rank_at_least")]
    | Annotated[In, Tag("in")]
    | Annotated[Known, Tag("known")]
    | Annotated[AllOf, Tag("all_of")]
    | Annotated[AnyOf, Tag("any_of")]
    | Annotated[Not, Tag("not")],
    Discriminator(
        _predicate_tag,
        custom_error_type="unknown_predicate",
        custom_error_message=(
            "not a condition: `op` must be one of "
            + ", ".join(o for t in node_types("predicate") for o in t.ops)
        ),
    ),
]


def _union_tags(union: Any) -> set[str]:
    """The Tag of every member of an Annotated discriminated union."""
    members = get_args(get_args(union)[0])
    return {m.tag for member in members for m in get_args(member)[1:] if isinstance(m, Tag)}


# The unions above are what pydantic and mypy read; the registry is what everything else
# reads. A node class in one and not the other is a mistake caught at import.
for _family, _union in (("expression", Expr), ("predicate", Predicate)):
    _declared = {t.tag for t in NODE_TYPES if t.family == _family}
    if _union_tags(_union) != _declared:  # pragma: no cover - a contributor's mistake
        raise AssertionError(f"{_family} union and NODE_TYPES disagree: see rulebook/conditions.py")


UNDATED_TOTAL = "dated_training"
"""What is missing when only an undated total is known after a deadline: dated sessions.
Reports word it ("a total alone cannot tell which hours were done by the deadline")."""


def undated_total(node: TrainingHours) -> str:
    """The missing-data token for an undated total after `node.until` (every engine's)."""
    return UNDATED_TOTAL


def walk(node: _Node) -> list[_Node]:
    """Every node of a tree, parents before children (for static checks)."""
    found: list[_Node] = [node]
    for name in type(node).model_fields:
        child = getattr(node, name)
        children = child if isinstance(child, tuple) else (child,)
        for item in children:
            if isinstance(item, _Node) and not isinstance(item, Label):
                found.extend(walk(item))
    return found
