"""A caller's DataFrame straight into the columnar engine's frames, with the row readers' verdicts.

A table whose headers name contract fields (in English or Chinese) is held
as text cells, the way a CSV's are, and split as the direct CSV reader splits
them (inputs.csv_direct_plain): plain cells are typed by Polars expressions,
with no Python object per row, and only rows with a cell in any other form
("120万元", "本科", "1,050,000") go through the row reader's table code, so
their rejection or acceptance is exactly the row reader's. Duplicate ids are
rejected, the first kept, as everywhere. Typed columns that csv_direct_plain's
taken_as_is allows (Decimal or integer amounts, integer counts, Date or Datetime
dates, Boolean flags) are not written as text first: the same verdicts, quicker.

Rows are numbered from 0 (the frame's own positions); rejections carry the
path the caller names (checking.coerce.IN_MEMORY). Used by check_columnar
for frames; Rulebook.check reads a frame row by row (checking/coerce.py) and
gives the same verdicts.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from sw_policy.findings import InputSummary
from sw_policy.inputs.aliases import canonical_field
from sw_policy.inputs.amounts import header_unit
from sw_policy.inputs.csv_direct import (
    ColumnarRead,
    _duplicates,
    _merge,
    _numbered,
    _pieces,
    _validate_rows,
    _without,
)
from sw_policy.inputs.csv_direct_cells import ORDER, SKIP
from sw_policy.inputs.csv_direct_plain import split_plain, taken_as_is
from sw_policy.inputs.direct_read import FileRead
from sw_policy.inputs.frames import field_types

__all__ = ["as_polars", "direct_columns", "read_frame_columnar", "text_cells"]


def text_cells(df: pl.DataFrame, kept: frozenset[str] = frozenset()) -> pl.DataFrame:
    """Every column as text, as a spreadsheet would show it (those in `kept` as they are,
    but a datetime's date).

    A float column whose values are all whole is read as integers (pandas makes
    an integer column with a blank a float one); dates are ISO text; a
    datetime gives its date; NaN is blank.
    """
    columns = []
    for name, dtype in df.schema.items():
        col = pl.col(name)
        if name in kept:
            columns.append(col.dt.date() if isinstance(dtype, pl.Datetime) else col)
            continue
        if dtype.is_float():
            series = df[name].fill_nan(None).drop_nulls()
            col = col.fill_nan(None)
            whole = series.len() and (series == series.round(0)).all()
            if whole and float(series.abs().max()) < 2**53:  # type: ignore[arg-type]
                col = col.cast(pl.Int64)
        elif isinstance(dtype, pl.Datetime):
            col = col.dt.date()
        columns.append(col.cast(pl.String).alias(name))
    return df.select(columns)


def direct_columns(df: pl.DataFrame, kind: str | None) -> list[str] | None:
    """The contract field of each header when the frame can be read directly, else None.

    Direct: one kind given, every header a distinct field of it (no unit in the
    header, no training list, no kind column), at least two of them.
    """
    if kind is None or df.width < 2:
        return None
    known = set(field_types(kind)) | {"name"}
    fields = []
    for header in df.columns:
        name, scale = header_unit(str(header).strip())
        field = canonical_field(name)
        if scale != 1 or field is None or field not in known or field == "training":
            return None
        fields.append(field)
    if len(set(fields)) != len(fields):
        return None
    nested = (pl.List, pl.Struct, pl.Object)
    return None if any(isinstance(t, nested) for t in df.schema.values()) else fields


def read_frame_columnar(
    df: pl.DataFrame, kind: str, columns: list[str], *, path: str
) -> ColumnarRead:
    """`df` (its headers naming `columns`) as frames, rejections and a summary.

    `path` is what rejections say instead of a file name (checking.coerce.IN_MEMORY).
    """
    headers = [str(h).strip() for h in df.columns]
    types = field_types(kind)
    kept = frozenset(
        header
        for header, field, dtype in zip(df.columns, columns, df.dtypes, strict=True)
        if taken_as_is(types[field], pl.Date() if isinstance(dtype, pl.Datetime) else dtype)
    )
    cells = text_cells(df, kept)
    cells.columns = columns
    cells = cells.with_columns(
        pl.Series(ORDER, range(cells.height), dtype=pl.Int64),
        pl.all_horizontal(pl.col(columns).is_null()).alias(SKIP),
    )
    split = split_plain(cells, columns, kind)
    rows: list[tuple[int, list[str | None]]] = [
        (int(order), ["" if v is None else str(v) for v in values])
        for order, *values in split.other.select(ORDER, *columns).iter_rows()
    ]
    # Read under the headers as given, so a rejection names the column as the caller wrote it.
    records, orders, rejected, count, repeats = _validate_rows(rows, headers, kind, path)
    frame = split.typed.select(
        pl.col(ORDER),
        pl.lit(None, pl.String).alias("__path"),
        pl.lit(None, pl.String).alias("__sheet"),
        pl.lit(None, pl.Int64).alias("__line"),
        pl.exclude(ORDER),
    )
    # Records read by the row reader lose their location too: findings of a frame have none.
    records = [type(r)(r.record, None) for r in records]
    read = FileRead(
        path=path,
        sha256="",
        frame=frame,
        kind=kind,
        scales=split.scales,
        records=records,
        orders=orders,
        rejected=rejected,
        count=split.typed.height + count,
        duplicates=repeats,
        id_header=headers[columns.index("id")] if "id" in columns else None,
    )
    files = [read]
    merged = {k: _merge(parts) for k, parts in _pieces(files).items()}
    numbered_rejected = [(0, r) for r in read.rejected]
    duplicates = _duplicates(merged, files, numbered_rejected)
    merged = {k: (_without(p[0], duplicates), p[1], p[2], p[3]) for k, p in merged.items()}
    numbered_rejected.sort(key=lambda item: item[1].row)
    frames_out, total = _numbered(merged)
    from sw_policy.inputs.frames import RecordFrames  # noqa: PLC0415

    summary = InputSummary(
        path=path,
        sha256="",
        records=read.count,
        evaluated=read.count - len(numbered_rejected),
        rejected=len(numbered_rejected),
    )
    return ColumnarRead(
        RecordFrames(frames_out, total), [summary], [r for _, r in numbered_rejected]
    )


def as_polars(frame: Any, module: str) -> pl.DataFrame:
    """A Polars DataFrame of the table (pandas' NaN becomes null; its index is dropped)."""
    from sw_policy.inputs.frame_convert import from_pandas_or_arrow, readable_types  # noqa: PLC0415

    if module == "polars":
        assert isinstance(frame, pl.DataFrame)
        return readable_types(frame)
    return from_pandas_or_arrow(frame, pandas=module == "pandas")
