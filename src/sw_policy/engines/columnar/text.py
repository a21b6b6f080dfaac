"""Text made in columns: JSON string literals and the row engine's number formatting.

The findings the columnar engine builds must read byte for byte like the row
engine's. JSON string literals and quotient text are made natively in columns;
Python formats only a quotient too wide for Int128, and normalises text for
comparison once per distinct value, not once per row.
"""

from __future__ import annotations

import re
from fractions import Fraction

import polars as pl

from sw_policy.engines.semantics import format_number, normalise_text

__all__ = [
    "ESCAPED",
    "NormalisedColumns",
    "fraction_text",
    "json_string",
    "normalised",
    "plain_text",
]


_ESCAPED = re.compile(r'["\\\x00-\x1f]')
ESCAPED = _ESCAPED.pattern
"""The characters a JSON string literal escapes (as pydantic writes it), as a regex class."""


def plain_text(text: str) -> bool:
    """True when `text` has no character JSON escapes: its literal is the text in quotes."""
    return _ESCAPED.search(text) is None


def json_string(expr: pl.Expr) -> pl.Expr:
    """A text column as JSON literals (a string, or null), as pydantic writes them.

    Polars' JSON encoder escapes exactly as pydantic does (quotes, backslashes, control
    characters; everything else kept as UTF-8), so the literal is cut out of `{"s":…}`.
    """
    encoded = pl.struct(expr.alias("s")).struct.json_encode().str.slice(5).str.head(-1)
    return encoded.name.keep()


# Quotients are formatted in Int128 when every intermediate fits: |numerator|·10**_PLACES
# for the terminating test, and |numerator|·10**places for the rounded digits.
_PLACES = 18
_MAX_DIGITS = 36
_SIGNIFICANT = 10  # format_number's significant digits for a quotient that does not terminate


def _ten(power: pl.Expr | int) -> pl.Expr:
    return pl.lit(10, pl.Int128).pow(power)


def _digits(value: pl.Expr) -> pl.Expr:
    return value.cast(pl.String).str.len_chars().cast(pl.Int64)


def _point(digits: pl.Expr, places: pl.Expr) -> pl.Expr:
    """Digits of a scaled integer with a decimal point `places` from the right."""
    padded = digits.str.pad_start(places + 1, "0")
    return (
        pl.when(places > 0)
        .then(padded.str.head(-places) + "." + padded.str.tail(places))
        .otherwise(padded)
    )


def _shown(places: int, strip: bool, minus: bool) -> pl.Expr:
    """`digits` with a decimal point `places` from the right, for rows that share all three."""
    digits = pl.col("digits")
    if places <= 0:
        shown = digits.cast(pl.String)
    else:
        scale = _ten(places)
        whole = (digits // scale).cast(pl.String)
        part = (digits % scale).cast(pl.String).str.pad_start(places, "0")
        if strip:
            stripped = part.str.strip_chars_end("0")
            shown = pl.when(stripped == "").then(whole).otherwise(whole + "." + stripped)
        else:
            shown = whole + "." + part
    return "-" + shown if minus else shown


def _pointed(done: pl.DataFrame) -> pl.Series:
    """`digits` with a decimal point `places` from the right (a sign where `minus`; trailing
    zeros stripped where `strip`). Rows are formatted in groups of equal (places, strip,
    minus), each with constant widths and no per-row choice. Most of a quotient's rows share
    one group (ten significant digits below one): that group is formatted over the whole
    column at once, and only the other rows are cut out, formatted and put in place."""
    col = pl.col
    keyed = done.with_columns(
        key=pl.when(col("digits").is_not_null()).then(
            col("places") * 4 + col("strip").cast(pl.Int64) * 2 + col("minus").cast(pl.Int64)
        )
    )
    counts = keyed.get_column("key").drop_nulls().value_counts(sort=True)
    if counts.height == 0:
        return pl.Series("text", [None] * done.height, dtype=pl.String)
    first = counts.row(0)[0]
    shared = (first >> 2, bool(first & 2), bool(first & 1))
    text = keyed.select(
        pl.when(col("key") == first).then(_shown(*shared)).alias("text")
    ).to_series()
    rest = keyed.with_row_index("__i").filter(col("key").is_not_null() & (col("key") != first))
    for (places, strip, minus), group in rest.group_by(["places", "strip", "minus"]):
        out = group.select(col("__i"), _shown(places, strip, minus).alias("t"))
        text = text.scatter(out.get_column("__i"), out.get_column("t"))
    return text


def _fraction_batch(series: pl.Series) -> pl.Series:
    """format_number(n/d) for a batch, in Int128 columns step by step (each value computed once).

    Rows whose intermediates could overflow are formatted by format_number itself.
    """
    col = pl.col
    steps = series.struct.unnest().lazy()
    steps = steps.with_columns(
        negative=(col("n") < 0) != (col("d") < 0), a=col("n").abs(), d=col("d").abs()
    ).with_columns(
        small=(col("a") < _ten(_MAX_DIGITS - _PLACES)) & (col("d") < _ten(_MAX_DIGITS)),
        scaled=col("a") * _ten(_PLACES),
        whole=col("a") // col("d"),
        shift=_digits(col("d")) - _digits(col("a")),  # a·10**shift has as many digits as d
    )
    steps = steps.with_columns(
        terminates=(col("scaled") % col("d")) == 0,
        # Not terminating within _PLACES: either it never terminates, or the reduced
        # denominator holds more than _PLACES twos or fives (format_number decides those).
        deep=((col("d") % pl.lit(2 ** (_PLACES + 1), pl.Int128)) == 0)
        | ((col("d") % pl.lit(5 ** (_PLACES + 1), pl.Int128)) == 0),
        above_one=col("whole") > 0,
        width=_digits(col("whole")),
        zeros=pl.when(col("a") * _ten(col("shift").clip(0)) >= col("d"))
        .then(col("shift") - 1)
        .otherwise(col("shift")),
    ).with_columns(
        places=pl.when(col("above_one"))
        .then(pl.max_horizontal(pl.lit(_SIGNIFICANT) - col("width"), pl.lit(1)))
        .otherwise(col("zeros") + _SIGNIFICANT),
        precision=pl.when(col("above_one"))
        .then(pl.max_horizontal(pl.lit(_SIGNIFICANT), col("width") + 1))
        .otherwise(pl.lit(_SIGNIFICANT)),
    )
    steps = (
        steps.with_columns(
            python=~col("small")
            | (
                ~col("terminates")
                & (col("deep") | (_digits(col("a")) + col("places") > _MAX_DIGITS))
            )
        )
        .with_columns(
            # round half up = half even here: a quotient that does not terminate has no ties
            rounded=pl.when(~col("python") & ~col("terminates")).then(
                (2 * col("a") * _ten(col("places").clip(0, _MAX_DIGITS)) + col("d"))
                // (2 * col("d"))
            ),
        )
        .with_columns(carry=col("rounded") == _ten(col("precision").clip(0, _MAX_DIGITS)))
    )
    steps = steps.with_columns(
        rounded=pl.when(col("carry")).then(col("rounded") // 10).otherwise(col("rounded")),
        places=pl.when(col("carry")).then(col("places") - 1).otherwise(col("places")),
    )
    done = steps.select(
        # The digits to show with their decimal point `places` from the right: a quotient
        # that terminates is shown to _PLACES and its trailing zeros stripped.
        digits=pl.when(col("python"))
        .then(None)
        .when(col("terminates"))
        .then(col("scaled") // col("d"))
        .otherwise(col("rounded")),
        places=pl.when(col("terminates")).then(pl.lit(_PLACES, pl.Int64)).otherwise(col("places")),
        strip=col("terminates"),
        minus=col("negative") & (col("a") != 0),
        python=col("python"),
    ).collect()
    text = _pointed(done)
    python = done.get_column("python").fill_null(False)
    if python.any():
        rows = python.arg_true()
        nums = series.struct.field("n").gather(rows).to_list()
        dens = series.struct.field("d").gather(rows).to_list()
        # An unknown operand (null) has no quotient: `small` is false for a wide
        # numerator over a null denominator, which must not read as n / 1.
        wide = [
            None if n is None or d is None else format_number(Fraction(n, d))
            for n, d in zip(nums, dens, strict=True)
        ]
        text = text.scatter(rows, pl.Series(wide, dtype=pl.String))
    return text.alias(series.name)


def fraction_text(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """format_number(num / den) for each row: the exact text the row engine shows.

    Computed in Int128 columns; only a quotient too wide for them is formatted in Python.
    """
    return pl.struct(num.alias("n"), den.alias("d")).map_batches(
        _fraction_batch, return_dtype=pl.String
    )


def _normalise_batch(series: pl.Series) -> pl.Series:
    uniques = series.drop_nulls().unique().to_list()
    mapping = {u: normalise_text(u) for u in uniques}
    return series.replace_strict(mapping, default=None, return_dtype=pl.String)


def normalised(expr: pl.Expr) -> pl.Expr:
    """Text as `in` and `eq` compare it (normalise_text), computed per distinct value."""
    return expr.map_batches(_normalise_batch, return_dtype=pl.String)


class NormalisedColumns:
    """Free-text fields as `in`, `eq` and lookups compare them, normalised once per run.

    The compiler asks for a field's column (`__norm_<field>`) while compiling; the
    engine adds every column asked for before the rules run.
    """

    def __init__(self) -> None:
        self.needed: set[str] = set()

    def __call__(self, field: str) -> pl.Expr:
        self.needed.add(field)
        return pl.col(f"__norm_{field}")

    def add_columns(self, df: pl.DataFrame) -> pl.DataFrame:
        """`df` with the normalised column of every field asked for."""
        return df.with_columns(
            normalised(pl.col(name)).alias(f"__norm_{name}") for name in sorted(self.needed)
        )
