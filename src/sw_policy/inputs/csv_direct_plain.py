"""Which CSV cells are in plain form, and those cells as typed columns.

A plain cell (`1050000.00`, `330106`, `true`, `intermediate`, `2019-06-17`) is
one the row reader would take as written and accept: the record models'
bounds are read from their constraints, never restated here. Any other cell
sends its row through the row reader. Plain numbers are short enough to be
held exactly (decimals below 10**15 with at most MAX_SCALE places, integers
below 10**18); each is parsed once, and that value serves both the bounds
and the typed column, which is the one frame_from_records would build.

A caller's frame may hand over typed columns (taken_as_is): a Decimal, integer,
Date or Boolean column is read as it is, without writing and re-reading its text,
where its text (the cast to String, which text_cells gives) would be plain exactly
when the typed test says so and would parse to the same value. Its text is
written only where it is needed: a decimal's `__text`, and the rows sent to the
row reader.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import annotated_types
import polars as pl

from sw_policy.inputs.csv_direct_cells import ORDER, SKIP
from sw_policy.inputs.frames import MAX_SCALE, field_types
from sw_policy.records import (
    MODEL_OF_KIND,
    Certificate,
    CommunitySetting,
    Education,
    EmployerType,
    PostSeries,
    TitleBasis,
    TitleTier,
    flat_columns,
)

__all__ = ["ODD_SPACES", "PlainSplit", "split_plain", "taken_as_is"]

_PLAIN = {
    "decimal": rf"^-?(?:0|[1-9][0-9]{{0,14}})(?:\.[0-9]{{1,{MAX_SCALE}}})?$",
    "int": r"^-?(?:0|[1-9][0-9]{0,17})$",
    "date": r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$",  # year 0 is no Python date
}
# What str.strip removes beyond Polars' default strip_chars (Unicode White_Space).
ODD_SPACES = "\x1c\x1d\x1e\x1f"
_PY_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + ODD_SPACES
)
_VOCABULARIES: dict[str, list[str]] = {
    "bool": ["true", "false"],
    "certificate": [m.value for m in Certificate],
    "education": [m.value for m in Education],
    "employer_type": [m.value for m in EmployerType],
    "setting": [m.value for m in CommunitySetting],
    "post_series": [m.value for m in PostSeries],
    "title_tier": [m.value for m in TitleTier],
    "title_basis": [m.value for m in TitleBasis],
}


@dataclass(frozen=True)
class PlainSplit:
    """A file's rows split in two: plain rows typed, the others still as text."""

    typed: pl.DataFrame  # ORDER, then the typed columns of the kind, in the model's order
    scales: dict[str, int]
    other: pl.DataFrame  # ORDER and the text cells of every other row


def _bounds(kind: str, name: str) -> list[tuple[str, Any]]:
    """Range checks from the model's constraints (ge, gt, le, lt) for a plain cell."""
    # A map entry's column (influential_orgs_by_field.elderly) has its map's value bounds.
    info = MODEL_OF_KIND[kind].model_fields[flat_columns(kind).get(name, (name,))[0]]
    metadata: list[Any] = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        metadata += list(getattr(arg, "__metadata__", ()))
        for inner in typing.get_args(arg):
            metadata += list(getattr(inner, "__metadata__", ()))
    checks: list[tuple[str, Any]] = []
    for item in metadata:
        for sub in getattr(item, "metadata", [item]):
            if isinstance(sub, annotated_types.Ge):
                checks.append(("ge", sub.ge))
            elif isinstance(sub, annotated_types.Gt):
                checks.append(("gt", sub.gt))
            elif isinstance(sub, annotated_types.Le):
                checks.append(("le", sub.le))
            elif isinstance(sub, annotated_types.Lt):
                checks.append(("lt", sub.lt))
    return checks


def _in_bounds(kind: str, name: str, value: pl.Expr, scale: int) -> pl.Expr:
    """The model's bounds on a value held as an integer scaled by 10**scale."""
    ok = pl.lit(True)
    for op, bound in _bounds(kind, name):
        limit = Decimal(str(bound)).scaleb(scale)
        if op in {"ge", "lt"}:
            whole = math.ceil(limit)
            ok = ok & (value >= whole if op == "ge" else value < whole)
        else:
            whole = math.floor(limit)
            ok = ok & (value > whole if op == "gt" else value <= whole)
    return ok


_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


def taken_as_is(ftype: str, dtype: pl.DataType) -> bool:
    """Whether a column of `dtype` holding a field of type `ftype` is read as it is.

    Decimal (at most MAX_SCALE places) and integer columns for amounts, integer
    columns for counts, Date for dates, Boolean for flags. Floats stay text: their
    printed form is not the value's.
    """
    integer = any(dtype == t for t in _INTEGERS)
    if ftype == "decimal":
        return integer or (isinstance(dtype, pl.Decimal) and dtype.scale <= MAX_SCALE)
    if ftype == "int":
        return integer
    return (ftype == "date" and dtype == pl.Date) or (ftype == "bool" and dtype == pl.Boolean)


def _as_is(ftype: str, dtype: pl.DataType, col: pl.Expr) -> tuple[pl.Expr, pl.Expr | None, pl.Expr]:
    """A typed column's (form, value, places), equal to what its text would give.

    Its text is plain where the value has at most 15 integer digits (a decimal; 18 for
    an integer; a year 1000-9999 for a date); a decimal's text has its dtype's scale.
    Values outside are clipped before scaling (no overflow); their rows are not plain.
    """
    if ftype == "decimal":
        scale = dtype.scale if isinstance(dtype, pl.Decimal) else 0
        raw = (col.to_physical() if isinstance(dtype, pl.Decimal) else col).cast(pl.Int128)
        limit = pl.lit(10 ** (15 + scale), pl.Int128)
        value = raw.clip(-limit, limit) * pl.lit(10 ** (MAX_SCALE - scale), pl.Int128)
        places = pl.when(col.is_null()).then(pl.lit(0)).otherwise(pl.lit(scale))
        return raw.abs() < limit, value, places
    if ftype == "int":
        raw = col.cast(pl.Int128)
        limit = pl.lit(10**18, pl.Int128)
        return raw.abs() < limit, raw.clip(-limit, limit).cast(pl.Int64), pl.lit(0)
    if ftype == "date":
        return col.dt.year().is_between(1000, 9999), col, pl.lit(0)
    return pl.lit(True), None, pl.lit(0)  # a Boolean: "true" / "false", no value check


def _value(ftype: str, cell: pl.Expr) -> pl.Expr | None:
    """The cell parsed (null when it does not parse); decimals at MAX_SCALE."""
    if ftype == "decimal":
        return cell.cast(pl.Decimal(38, MAX_SCALE), strict=False).to_physical().cast(pl.Int128)
    if ftype == "int":
        return cell.cast(pl.Int64, strict=False)
    if ftype == "date":
        return cell.str.to_date("%Y-%m-%d", strict=False)
    return None


def _form(name: str, ftype: str, cell: pl.Expr, *, odd_spaces: bool) -> pl.Expr:
    """True when the cell is written in plain form (its value not yet looked at).

    Text is plain when str.strip leaves it as it is; Polars' default strip is the same
    (and quicker) unless the file has one of ODD_SPACES.
    """
    if name == "jurisdiction":  # six bytes read as 100000..999999: six digits, no sign
        return (cell.str.len_bytes() == 6) & cell.cast(pl.Int32, strict=False).is_between(
            100000, 999999
        )
    if name in _VOCABULARIES or ftype == "bool":
        return cell.is_in(_VOCABULARIES[name if name in _VOCABULARIES else ftype])
    if ftype == "text":
        ok = cell.str.strip_chars(_PY_SPACE if odd_spaces else None) == cell
        return ok & (cell.str.len_chars() <= 200) if name == "id" else ok
    return cell.str.contains(_PLAIN[ftype])


def _checks(
    columns: list[str], kind: str, typed: dict[str, pl.DataType], *, odd_spaces: bool
) -> tuple[dict[str, pl.Expr], pl.Expr]:
    """Columns to compute first (each cell's form, value and decimal places), and from
    them whether a row is plain: every cell blank or plain, the required ones present.
    `typed` holds the columns taken as they are, with their dtypes."""
    types = field_types(kind)
    first: dict[str, pl.Expr] = {}
    required = [n for n in ("id", "jurisdiction", "year") if n in types]
    checks = []
    for name in columns:
        if name == "name":
            continue
        ftype, cell = types[name], pl.col(name)
        if name in typed:
            form, value, places = _as_is(ftype, typed[name], cell)
        else:
            form, value = _form(name, ftype, cell, odd_spaces=odd_spaces), _value(ftype, cell)
            places = None
        first[f"__form_{name}"] = form
        check = pl.col(f"__form_{name}")
        if value is not None:
            first[f"__value_{name}"] = value
            check = check & pl.col(f"__value_{name}").is_not_null()
            if ftype != "date":
                scale = MAX_SCALE if ftype == "decimal" else 0
                check = check & _in_bounds(kind, name, pl.col(f"__value_{name}"), scale)
        if ftype == "decimal":
            first[f"__places_{name}"] = _places(cell) if places is None else places
            check = check & _printed_as_written(name)
        check = check.fill_null(False)
        checks.append(check if name in required else cell.is_null() | check)
    if any(n not in columns for n in required) or not checks:
        return first, pl.lit(False)
    return first, pl.all_horizontal(checks)


def _printed_as_written(name: str) -> pl.Expr:
    """False for a plain decimal that str(Decimal) prints in E notation (0.0000001 is
    1E-7): below 10**-6, or a zero with more than six places; the row reader shows that."""
    value, places = pl.col(f"__value_{name}"), pl.col(f"__places_{name}")
    tiny = value.abs() < 10 ** max(MAX_SCALE - 6, 0)
    return ~pl.when(value == 0).then(places > 6).otherwise(tiny)


def _places(cell: pl.Expr) -> pl.Expr:
    """Decimal places written in a plain decimal (0 without a point)."""
    return (cell.str.len_bytes() - cell.str.find(".", literal=True) - 1).fill_null(0)


def _typed(
    columns: list[str], kind: str, scales: dict[str, int], typed: dict[str, pl.DataType]
) -> dict[str, pl.Expr]:
    """Plain cells as the typed columns of inputs.frames, by field, in the model's order."""
    out: dict[str, pl.Expr] = {}
    for name, ftype in field_types(kind).items():
        if ftype == "training":
            out["__has_training"] = pl.lit(False)
            continue
        present = name in columns
        cell = pl.col(name) if present else pl.lit(None, pl.String)
        value = pl.col(f"__value_{name}") if present else _value(ftype, cell)
        model_field = MODEL_OF_KIND[kind].model_fields.get(name)
        default = None if model_field is None else model_field.default  # a map entry: none
        if ftype == "decimal":
            assert value is not None
            divisor = pl.lit(10 ** (MAX_SCALE - scales.get(name, 0)), pl.Int128)
            out[name] = value // divisor  # exact: no plain cell has more places than its scale
            out[f"{name}__text"] = cell.cast(pl.String) if name in typed else cell
        elif ftype in {"int", "date"}:
            assert value is not None
            out[name] = value
        elif ftype == "bool":
            truth = cell if name in typed else cell == "true"
            out[name] = truth if default is None else truth.fill_null(bool(default))
        elif name == "name":  # a label only: stripped as the record model strips it
            label = cell.str.strip_chars(_PY_SPACE)
            out[name] = pl.when(label == "").then(None).otherwise(label)
        elif name == "post_series":  # as records.Worker derives it from post_title
            title = pl.col("post_title") if "post_title" in columns else pl.lit(None, pl.String)
            outside = title.is_not_null() & ~title.str.contains("社会工作", literal=True)
            derived = pl.when(outside).then(pl.lit("other")).otherwise(pl.lit("social_work"))
            out[name] = cell.fill_null(derived)
        else:
            fill = getattr(default, "value", default)
            out[name] = cell if fill is None or not isinstance(fill, str) else cell.fill_null(fill)
    return out


def split_plain(
    cells: pl.DataFrame, columns: list[str], kind: str, *, odd_spaces: bool = True
) -> PlainSplit:
    """Plain rows of `cells` (ORDER, a text column per header cell, SKIP) typed, the others
    kept as text; rows marked SKIP are in neither. A column that is not text must be one
    taken_as_is allows; the other rows get its text, as text_cells writes it."""
    as_is = {n: t for n, t in cells.schema.items() if n in columns and t != pl.String}
    first, plain = _checks(columns, kind, as_is, odd_spaces=odd_spaces)
    checked = cells.with_columns(**first).with_columns(plain.alias("__plain"))
    fast = checked.filter(pl.col("__plain") & ~pl.col(SKIP))
    types = field_types(kind)
    decimals = [n for n in columns if types.get(n) == "decimal"]
    scales: dict[str, int] = {}
    if decimals:
        most = fast.select(pl.col(f"__places_{n}").max() for n in decimals).row(0)
        scales = {n: int(m or 0) for n, m in zip(decimals, most, strict=True)}
    typed = fast.select(
        pl.col(ORDER), *[e.alias(n) for n, e in _typed(columns, kind, scales, as_is).items()]
    )
    other = checked.filter(~pl.col("__plain") & ~pl.col(SKIP)).select(
        ORDER, *[pl.col(n).cast(pl.String) for n in columns]
    )
    return PlainSplit(typed, scales, other)
