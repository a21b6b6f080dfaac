"""Training hours as columns: each windowed sum a kind's rules ask for, computed once.

Sessions are a long frame keyed by record (`__row`); a rule's `training_hours`
node becomes three columns (numerator, denominator, text) joined back to the
records before the rules run, so the rules themselves stay plain expressions.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from ._columnar import UnsupportedConstructError
from ._columnar_frame import KindFrame
from ._conditions import TrainingHours

__all__ = ["TrainingColumns"]


class TrainingColumns:
    """Training-hour columns a kind's rules need, computed before the rules run."""

    def __init__(self, frame: KindFrame) -> None:
        self.frame = frame
        self.needed: dict[str, tuple[TrainingHours, int]] = {}

    def __call__(self, node: TrainingHours, years: int) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
        if "__has_training" not in self.frame.df.columns:
            raise UnsupportedConstructError("training hours on a record kind without training")
        key = f"__th_{years}_{node.fallback_field or ''}"
        self.needed[key] = (node, years)
        return pl.col(f"{key}_n"), pl.col(f"{key}_d"), pl.col(f"{key}_t")

    def add_columns(self, df: pl.DataFrame) -> pl.DataFrame:
        frame = self.frame
        if not self.needed:
            return df
        sessions = frame.sessions
        if sessions is None:  # no record carried a training list
            sessions = pl.DataFrame(
                schema={
                    "__row": pl.Int64,
                    "date": pl.Date,
                    "hours": pl.Int128,
                    "hours_places": pl.Int64,
                }
            )
        days = df.get_column("__asof").unique()
        if days.len() == 1:  # one as-of date for every record: no join needed
            sessions = sessions.with_columns(pl.lit(days[0], pl.Date).alias("__asof"))
        else:
            sessions = sessions.join(df.select("__row", "__asof"), on="__row", how="inner")
        for key, (node, years) in self.needed.items():
            keep = pl.col("date") <= pl.col("__asof")
            if node.window_years is not None:
                keep = keep & (pl.col("date") > pl.col("__asof").dt.offset_by(f"-{years}y"))
            sums = (
                sessions.filter(keep)
                .group_by("__row")
                .agg(pl.col("hours").sum().alias("__s"), pl.col("hours_places").max().alias("__p"))
            )
            df = df.join(sums, on="__row", how="left")
            s_scale = frame.session_scale
            f_scale = frame.scales.get(node.fallback_field or "", 0)
            common = max(s_scale, f_scale)
            has = pl.col("__has_training")
            total = pl.col("__s").fill_null(0).cast(pl.Int128)
            places = pl.col("__p").fill_null(0)
            if node.fallback_field is not None:
                fallback = pl.col(node.fallback_field)
                fallback_text = pl.col(f"{node.fallback_field}__text")
            else:
                fallback = pl.lit(None, pl.Int128)
                fallback_text = pl.lit(None, pl.String)
            df = df.with_columns(
                pl.when(has)
                .then(total * 10 ** (common - s_scale))
                .otherwise(fallback * 10 ** (common - f_scale))
                .cast(pl.Int128)
                .alias(f"{key}_n"),
                pl.lit(10**common, pl.Int128).alias(f"{key}_d"),
                pl.when(has)
                .then(_hours_text(total, places, s_scale))
                .otherwise(fallback_text)
                .alias(f"{key}_t"),
            ).drop("__s", "__p")
        return df


def _hours_batch(series: pl.Series, scale: int) -> pl.Series:
    totals = series.struct.field("t").to_list()
    places = series.struct.field("p").to_list()
    cache: dict[tuple[int, int], str] = {}
    out = []
    for t, p in zip(totals, places, strict=True):
        key = (t, p)
        text = cache.get(key)
        if text is None:
            value = Decimal(t).scaleb(-scale).quantize(Decimal(1).scaleb(-p))
            text = cache[key] = str(value)
        out.append(text)
    return pl.Series(out, dtype=pl.String)


def _hours_text(total: pl.Expr, places: pl.Expr, scale: int) -> pl.Expr:
    return pl.struct(total.alias("t"), places.alias("p")).map_batches(
        lambda s: _hours_batch(s, scale), return_dtype=pl.String
    )
