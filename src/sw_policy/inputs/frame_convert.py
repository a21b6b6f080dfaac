"""A caller's pandas DataFrame or PyArrow table as a Polars one that the readers can take.

Frames come as callers make them: `pd.read_excel` of an office's sheet mixes
numbers and words in one column (序号 1, 2, … then 合计), a two-row header becomes
a MultiIndex, columns repeat a name, an Arrow table carries decimal256. Each is
turned into what a sheet's reader would see (text cells, one header per column);
what no reading can make sense of is a UsageError naming the column, never a
conversion error from deep inside Polars or Arrow.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from typing import Any

import polars as pl

from sw_policy.errors import UsageError
from sw_policy.inputs.headers import group_header

__all__ = ["from_pandas_or_arrow", "readable_types"]

_MIXED = frozenset({"mixed", "mixed-integer", "mixed-integer-float", "integer-na"})


def from_pandas_or_arrow(frame: Any, *, pandas: bool) -> pl.DataFrame:
    """The table as Polars: pandas' NaN as null; a named index (set_index("id")) a
    column, an unnamed one (0, 1, 2, …) dropped."""
    table: pl.DataFrame | pl.Series
    try:
        if pandas:
            named = any(name is not None for name in frame.index.names)
            ready = _pandas_ready(frame.reset_index() if named else frame)
            table = pl.from_pandas(ready, nan_to_null=True)
        else:
            table = pl.from_arrow(_arrow_ready(frame))
    except UsageError:
        raise
    except BaseException as exc:  # Polars' Rust panics are BaseExceptions (pyo3)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        what = "pandas DataFrame" if pandas else "PyArrow table"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UsageError(f"records: the {what} cannot be read: {reason}") from None
    assert isinstance(table, pl.DataFrame)
    return readable_types(table)


def readable_types(df: pl.DataFrame) -> pl.DataFrame:
    """Columns of types a cell cannot hold as text made readable: a fixed-size Array as a
    List (a nested value, read per record), a Duration as its ISO 8601 text (P1D), which
    no field accepts, so the row is refused in the field's words."""
    changes = []
    for name, dtype in df.schema.items():
        if isinstance(dtype, pl.Array):
            changes.append(pl.col(name).arr.to_list())
        elif isinstance(dtype, pl.Duration):
            changes.append(pl.col(name).dt.to_string("iso"))
    return df.with_columns(changes) if changes else df


def _pandas_ready(frame: Any) -> Any:
    names = _pandas_names(frame)
    seen: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in seen:
            raise UsageError(
                f"records: columns {seen[name] + 1} and {position + 1} are both named "
                f"{name!r}; rename one"
            )
        seen[name] = position
    infer_dtype = importlib.import_module("pandas.api.types").infer_dtype
    mixed = [
        position
        for position, dtype in enumerate(frame.dtypes)
        if dtype.kind == "O" and infer_dtype(frame.iloc[:, position], skipna=True) in _MIXED
    ]
    if not mixed and list(frame.columns) == names:
        return frame
    out = frame.copy(deep=False)
    out.columns = names
    for position in mixed:
        out[names[position]] = [_cell_text(v) for v in frame.iloc[:, position]]
    return out


def _pandas_names(frame: Any) -> list[str]:
    """One header per column: a MultiIndex (pd.read_excel(header=[0, 1])) is read as a
    sheet's two header rows are (headers.group_header), else by its lowest level."""
    columns = frame.columns
    if getattr(columns, "nlevels", 1) < 2:
        return [str(c) for c in columns]
    rows = [[_level_cell(c[level]) for c in columns] for level in range(columns.nlevels)]
    merged = group_header(rows[-2], rows[-1])
    if merged is None:
        merged = [next((r[i] for r in reversed(rows) if r[i]), None) for i in range(len(columns))]
    return [cell or f"column {i + 1}" for i, cell in enumerate(merged)]


def _level_cell(value: Any) -> str | None:
    """A MultiIndex cell; pandas names a blank one "Unnamed: 1_level_0"."""
    text = str(value).strip()
    return None if not text or text.startswith("Unnamed: ") else text


def _cell_text(value: Any) -> str | None:
    """A cell of a mixed column as text, as text_cells shows a typed column's."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _arrow_ready(table: Any) -> Any:
    """decimal256 columns as decimal128 (or text beyond 38 digits): Polars cannot take them."""
    pa = importlib.import_module("pyarrow")
    for position, field in enumerate(table.schema):
        if pa.types.is_decimal256(field.type):
            wanted = (
                pa.decimal128(field.type.precision, field.type.scale)
                if field.type.precision <= 38
                else pa.string()
            )
            table = table.set_column(position, field.name, table.column(position).cast(wanted))
    return table
