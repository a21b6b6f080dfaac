"""A training total's text as a column expression: what the row engine's `str(Decimal)` prints.

The row engine sums session hours as Decimals, so a total prints with as many
decimal places as its most precise session (`places`). Building that text from
integer columns with string expressions keeps Python out of the per-row work,
and stage two of the engine then formats only the rows a finding lists.
"""

from __future__ import annotations

import polars as pl

__all__ = ["quantized_text"]

_PLAIN_DOWN_TO = -6
"""str(Decimal) uses E-notation once the adjusted exponent falls below this."""


def quantized_text(num: pl.Expr, places: pl.Expr, scale: int) -> pl.Expr:
    """`str(Decimal(num).scaleb(-scale).quantize(Decimal(1).scaleb(-places)))`, per row.

    Needs 0 <= places <= scale and num a multiple of 10**(scale - places) (a
    sum of values of at most `places` decimals), so the quantize never rounds.
    """
    if scale == 0:  # whole numbers: the integer's own text
        return num.cast(pl.String)
    magnitude = num.abs()
    whole = (magnitude // 10**scale).cast(pl.String)
    fraction = (magnitude % 10**scale).cast(pl.String).str.zfill(scale).str.slice(0, places)
    plain = pl.when(places == 0).then(whole).otherwise(pl.concat_str(whole, pl.lit("."), fraction))
    sign = pl.when(num < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    if scale + _PLAIN_DOWN_TO <= 0:  # at most 6 places: the value always prints plain
        return pl.concat_str(sign, plain)
    # Decimal's coefficient: the digits without the (scale - places) zeros quantize drops.
    digits = magnitude.cast(pl.String)
    kept = digits.str.len_chars().cast(pl.Int64) - (scale - places.cast(pl.Int64))
    coefficient = pl.when(num == 0).then(pl.lit("0")).otherwise(digits.str.slice(0, kept.clip(1)))
    width = coefficient.str.len_chars().cast(pl.Int64)
    adjusted = width - 1 - places.cast(pl.Int64)
    scientific = pl.concat_str(
        coefficient.str.slice(0, 1),
        pl.when(width > 1)
        .then(pl.concat_str(pl.lit("."), coefficient.str.slice(1)))
        .otherwise(pl.lit("")),
        pl.lit("E"),
        adjusted.cast(pl.String),
    )
    text = pl.when(adjusted < _PLAIN_DOWN_TO).then(scientific).otherwise(plain)
    return pl.concat_str(sign, text)
