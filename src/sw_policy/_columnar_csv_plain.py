"""Which CSV cells are in plain form, and those cells as typed columns.

A plain cell (`1050000.00`, `330106`, `true`, `intermediate`, `2019-06-17`) is
one the row reader would take as written and accept: the record models'
bounds are read from their constraints, never restated here. Any other cell
sends its row through the row reader. Plain numbers are also short enough to
be held exactly (decimals below 10**21 with at most MAX_SCALE places, integers
below 10**18), so the typed columns are the ones frame_from_records builds.
"""

from __future__ import annotations

import typing
from typing import Any

import annotated_types
import polars as pl

from ._columnar_frame import MAX_SCALE, field_types
from ._records import MODEL_OF_KIND, Certificate, CommunitySetting, Education, EmployerType

__all__ = ["decimal_scales", "plain_rows", "typed_columns"]

_PLAIN = {
    "decimal": rf"^-?(0|[1-9][0-9]{{0,20}})(\.[0-9]{{1,{MAX_SCALE}}})?$",
    "int": r"^-?(0|[1-9][0-9]{0,17})$",
    "date": r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$",  # year 0 is no Python date
}
_CONTROL = r"[\x00-\x1f\x7f]"  # str.strip and Polars disagree on some of these: row reader
_VOCABULARIES: dict[str, list[str]] = {
    "bool": ["true", "false"],
    "certificate": [m.value for m in Certificate],
    "education": [m.value for m in Education],
    "employer_type": [m.value for m in EmployerType],
    "setting": [m.value for m in CommunitySetting],
}


def _bounds(kind: str, name: str) -> list[tuple[str, Any]]:
    """Range checks from the model's constraints (ge, gt, le, lt) for a plain cell."""
    info = MODEL_OF_KIND[kind].model_fields[name]
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


def _in_bounds(kind: str, name: str, cell: pl.Expr) -> pl.Expr:
    number = cell.cast(pl.Float64, strict=False)  # bounds are whole numbers: exact enough
    ok = pl.lit(True)
    for op, bound in _bounds(kind, name):
        value = float(bound)
        ok = (
            ok
            & {
                "ge": number >= value,
                "gt": number > value,
                "le": number <= value,
                "lt": number < value,
            }[op]
        )
    return ok


def _plain_cell(kind: str, name: str, ftype: str, cell: pl.Expr) -> pl.Expr:
    """True when the cell needs no Python validation: plain form and within bounds."""
    if name == "jurisdiction":
        return cell.str.contains(r"^[1-9][0-9]{5}$")
    if name in _VOCABULARIES or ftype == "bool":
        return cell.is_in(_VOCABULARIES[name if name in _VOCABULARIES else ftype])
    if ftype == "text":
        ok = (cell.str.strip_chars() == cell) & ~cell.str.contains(_CONTROL)
        return ok & (cell.str.len_chars() <= 200) if name == "id" else ok
    ok = cell.str.contains(_PLAIN[ftype])
    if ftype == "date":
        return ok & cell.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    return ok & _in_bounds(kind, name, cell)


def plain_rows(columns: list[str], kind: str) -> pl.Expr:
    """True for a row whose every cell is blank or in plain form, required ones present."""
    types = field_types(kind)
    required = [n for n in ("id", "jurisdiction", "year") if n in types]
    if any(n not in columns for n in required):
        return pl.lit(False)
    checks = []
    for name in columns:
        if name == "name":
            continue
        cell = pl.col(name)
        check = _plain_cell(kind, name, types[name], cell).fill_null(False)
        checks.append(check if name in required else cell.is_null() | check)
    return pl.all_horizontal(checks) if checks else pl.lit(True)


def decimal_scales(fast: pl.DataFrame, columns: list[str], kind: str) -> dict[str, int]:
    """Per decimal column, the most decimal places written (the scale it is held at)."""
    types = field_types(kind)
    decimals = [n for n in columns if types.get(n) == "decimal"]
    if not decimals:
        return {}
    places = fast.select(
        [
            (pl.col(n).str.len_bytes() - pl.col(n).str.find(".", literal=True) - 1)
            .max()
            .fill_null(0)
            .cast(pl.Int64)
            .alias(n)
            for n in decimals
        ]
    ).row(0, named=True)
    return {n: int(places[n] or 0) for n in decimals}


def typed_columns(columns: list[str], kind: str, scales: dict[str, int]) -> dict[str, pl.Expr]:
    """Plain cells as the typed columns of _columnar_frame, by field, in the model's order."""
    out: dict[str, pl.Expr] = {}
    for name, ftype in field_types(kind).items():
        if ftype == "training":
            out["__has_training"] = pl.lit(False)
            continue
        cell = pl.col(name) if name in columns else pl.lit(None, pl.String)
        default = MODEL_OF_KIND[kind].model_fields[name].default
        if ftype == "decimal":
            held = pl.Decimal(38, scales.get(name, 0))
            out[name] = cell.cast(held).to_physical().cast(pl.Int128)
            out[f"{name}__text"] = cell
        elif ftype == "int":
            out[name] = cell.cast(pl.Int64)
        elif ftype == "bool":
            value = cell == "true"
            out[name] = value if default is None else value.fill_null(bool(default))
        elif ftype == "date":
            out[name] = cell.str.to_date("%Y-%m-%d")
        else:
            fill = getattr(default, "value", default)
            out[name] = cell if fill is None or not isinstance(fill, str) else cell.fill_null(fill)
    return out
