"""Training hours as columns: each windowed sum a kind's rules ask for, computed once.

Sessions are a long frame keyed by record (`__row`); a rule's `training_hours`
node becomes a numerator column and a places column added before the rules
run, so the rules themselves stay plain expressions. The total's text is an
expression over those two columns, so only the rows a finding lists format it.
"""

from __future__ import annotations

import decimal

import polars as pl

from sw_policy.engines.columnar.expressions import UnsupportedConstructError
from sw_policy.engines.columnar.quantized import quantized_text
from sw_policy.engines.columnar.windows import Window, WindowTotals, window_totals
from sw_policy.inputs.frames import ColumnarInputError, KindFrame
from sw_policy.rulebook.conditions import TrainingHours

__all__ = ["TrainingColumns"]

_NO_SESSIONS = {"__row": pl.Int64, "date": pl.Date, "hours": pl.Int128, "hours_places": pl.Int64}


class TrainingColumns:
    """Training-hour columns a kind's rules need, computed before the rules run."""

    def __init__(self, frame: KindFrame) -> None:
        self.frame = frame
        self.needed: dict[str, tuple[TrainingHours, Window]] = {}

    def __call__(self, node: TrainingHours, years: int) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
        """Numerator, denominator and text of the node's hours (columns added later)."""
        if "__has_training" not in self.frame.df.columns:
            raise UnsupportedConstructError("training hours on a record kind without training")
        years_kept = None if node.window_years is None else years
        window: Window = years_kept if node.until is None else (years_kept, node.until)
        key = f"__th_{'all' if years_kept is None else years_kept}_{node.fallback_field or ''}"
        if node.until is not None:
            key += f"_{node.until:%Y%m%d}"
        self.needed[key] = (node, window)
        common = self._common_scale(node)
        if node.fallback_field is not None:
            fallback_text = pl.col(f"{node.fallback_field}__text")
        else:
            fallback_text = pl.lit(None, pl.String)
        text = (
            pl.when(pl.col("__has_training"))
            .then(quantized_text(pl.col(f"{key}_n"), pl.col(f"{key}_p"), common))
            .otherwise(fallback_text)
        )
        return pl.col(f"{key}_n"), pl.lit(10**common, pl.Int128), text

    def add_columns(self, df: pl.DataFrame) -> pl.DataFrame:
        """`{key}_n` (hours at the common scale) and `{key}_p` (their places) per needed key."""
        if not self.needed:
            return df
        frame = self.frame
        sessions = (
            frame.sessions if frame.sessions is not None else pl.DataFrame(schema=_NO_SESSIONS)
        )
        windows = [window for _, window in self.needed.values()]
        totals = window_totals(sessions, df.get_column("__row"), df.get_column("__asof"), windows)
        for found in totals.values():
            _check_exact(found, frame.session_scale)
        columns = []
        for key, (node, window) in self.needed.items():
            found = totals[window]
            common = self._common_scale(node)
            f_scale = frame.scales.get(node.fallback_field or "", 0)
            if node.fallback_field is not None:
                fallback = pl.col(node.fallback_field) * 10 ** (common - f_scale)
                if node.until is not None:  # an undated total says nothing about a deadline
                    by_then = pl.col("__asof") <= pl.lit(node.until, pl.Date)
                    fallback = pl.when(by_then).then(fallback).otherwise(None)
            else:
                fallback = pl.lit(None, pl.Int128)
            hours = pl.lit(found.total) * 10 ** (common - frame.session_scale)
            columns += [
                pl.when(pl.col("__has_training"))
                .then(hours)
                .otherwise(fallback)
                .cast(pl.Int128)
                .alias(f"{key}_n"),
                pl.lit(found.places).alias(f"{key}_p"),
            ]
        return df.with_columns(columns)

    def _common_scale(self, node: TrainingHours) -> int:
        """The scale both the sessions' total and the node's fallback field fit exactly."""
        f_scale = self.frame.scales.get(node.fallback_field or "", 0)
        return max(self.frame.session_scale, f_scale)


def _check_exact(found: WindowTotals, scale: int) -> None:
    """Refuse totals the row engine's Decimal sum would round (more digits than its context)."""
    limit = 10 ** decimal.getcontext().prec
    most = found.places.max()
    if isinstance(most, int) and most > scale:
        raise ColumnarInputError("training.hours: more decimal places than the sessions' scale")
    low, high = found.total.min(), found.total.max()
    if not isinstance(low, int) or not isinstance(high, int) or -limit < low <= high < limit:
        return
    large = pl.DataFrame({"t": found.total, "p": found.places}).filter(pl.col("t").abs() >= limit)
    for total, places in large.iter_rows():
        if abs(total) // 10 ** (scale - places) >= limit:
            raise ColumnarInputError(
                f"training.hours: a total of {total} (scaled by 10**{scale}) has more digits "
                "than the row engine's decimal sum keeps; use --engine row for this input"
            )
