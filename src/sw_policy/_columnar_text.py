"""Text made in columns: JSON string literals and the row engine's number formatting.

The findings the columnar engine builds must read byte for byte like the row
engine's, so the two spots where per-value Python formatting is unavoidable
(an exact quotient's decimal text, and text normalised for comparison) run
once per distinct value, not once per row.
"""

from __future__ import annotations

import json
from fractions import Fraction

import polars as pl

from ._row_eval import format_number, normalise_text

__all__ = ["fraction_text", "json_string", "normalised"]


def _escape_batch(series: pl.Series) -> pl.Series:
    if series.str.contains(r"[\x00-\x1f]").any():
        return pl.Series(
            [None if v is None else json.dumps(v, ensure_ascii=False) for v in series.to_list()],
            dtype=pl.String,
        )
    escaped = series.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
        '"', '\\"', literal=True
    )
    return ('"' + escaped + '"').alias(series.name)


def json_string(expr: pl.Expr) -> pl.Expr:
    """A text column as JSON string literals (null stays null), as pydantic writes them."""
    return expr.map_batches(_escape_batch, return_dtype=pl.String)


def _fractions_batch(series: pl.Series) -> pl.Series:
    nums = series.struct.field("n").to_list()
    dens = series.struct.field("d").to_list()
    cache: dict[tuple[int, int], str] = {}
    out: list[str | None] = []
    for n, d in zip(nums, dens, strict=True):
        if n is None or d is None:
            out.append(None)
            continue
        key = (n, d)
        text = cache.get(key)
        if text is None:
            text = cache[key] = format_number(Fraction(n, d))
        out.append(text)
    return pl.Series(out, dtype=pl.String)


def fraction_text(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """format_number(num / den) for each row: the exact text the row engine shows."""
    return pl.struct(num.alias("n"), den.alias("d")).map_batches(
        _fractions_batch, return_dtype=pl.String
    )


def _normalise_batch(series: pl.Series) -> pl.Series:
    uniques = series.drop_nulls().unique().to_list()
    mapping = {u: normalise_text(u) for u in uniques}
    return series.replace_strict(mapping, default=None, return_dtype=pl.String)


def normalised(expr: pl.Expr) -> pl.Expr:
    """Text as `in` and `eq` compare it (normalise_text), computed per distinct value."""
    return expr.map_batches(_normalise_batch, return_dtype=pl.String)
