"""Windowed session totals per record, by prefix sums instead of a group-by and a join.

With sessions sorted by owner, each record's sessions are one contiguous slice,
so a window's total is the difference of a masked prefix sum at the slice's two
ends. The slice ends come from the owners' run lengths scattered over slots
(the `__row` span, or ranks when `__row` is sparse): linear work whose result
is already in record order, where a group-by per window and a join back hash
millions of rows each time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

__all__ = ["Window", "WindowTotals", "window_totals"]

_SPARSE = 4
"""Slots over `__row` span while it is at most this many times the records, else ranks."""

_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class WindowTotals:
    """One window's total (scaled like the sessions) and decimal places, per record."""

    total: pl.Series
    places: pl.Series


Window = int | None | tuple[int | None, dt.date | None]


def window_totals(
    sessions: pl.DataFrame, rows: pl.Series, asof: pl.Series, windows: Sequence[Window]
) -> dict[Window, WindowTotals]:
    """Each window's totals for the records `rows` (`__row` values) judged as of `asof`.

    A window of `years` keeps sessions after the same day `years` earlier and up
    to as-of; None keeps every session up to as-of; `(years, until)` also drops
    sessions after `until` (a deadline). A record's places are the most decimals
    of a session it sums (0 when it sums none), as a Decimal sum.
    """
    if rows.len() == 0:
        empty = WindowTotals(pl.Series([], dtype=pl.Int128), pl.Series([], dtype=pl.Int32))
        return dict.fromkeys(windows, empty)
    if not sessions.get_column("__row").is_sorted():
        sessions = sessions.sort("__row")
    record_slot, sessions, offset, slots = _slots(rows, sessions)
    runs = sessions.get_column("__row").rle().struct.unnest()
    counts = pl.zeros(slots, pl.Int64, eager=True).scatter(
        runs.get_column("value") - offset, runs.get_column("len")
    )
    ends_of_slot = counts.cum_sum()
    starts = (ends_of_slot - counts).gather(record_slot)
    ends = ends_of_slot.gather(record_slot)
    days = asof.unique()
    if days.len() == 1:
        day: pl.Expr = pl.lit(days[0], pl.Date)
    else:  # each session judged as of its record's day
        # (a session no record owns gets no day, so no window keeps it)
        by_slot = pl.repeat(None, slots, dtype=pl.Date, eager=True).scatter(record_slot, asof)
        session_slot = sessions.get_column("__row") - offset
        sessions = sessions.with_columns(by_slot.gather(session_slot).alias("__day"))
        day = pl.col("__day")
    low, total, most = sessions.select(
        pl.col("hours").min().alias("low"),
        pl.col("hours").cast(pl.Int128).sum().alias("total"),
        pl.col("hours_places").max(),
    ).row(0)
    narrow = low is None or (low >= 0 and total <= _INT64_MAX)  # every prefix sum fits Int64
    sessions = sessions.with_columns(pl.col("hours").cast(pl.Int64 if narrow else pl.Int128))
    precise = [] if not most else sorted(q for q in sessions["hours_places"].unique() if q > 0)
    prefixes = []
    for i, spec in enumerate(unique := list(dict.fromkeys(windows))):
        years, until = spec if isinstance(spec, tuple) else (spec, None)
        keep = pl.col("date") <= day
        if until is not None:
            keep = keep & (pl.col("date") <= pl.lit(until, pl.Date))
        if years is not None:
            keep = keep & (pl.col("date") > day.dt.offset_by(f"-{years}y"))
        prefixes.append(pl.when(keep).then(pl.col("hours")).otherwise(0).cum_sum().alias(f"s{i}"))
        prefixes += [
            pl.when(keep & (pl.col("hours_places") >= q))
            .then(pl.lit(1, pl.Int64))
            .otherwise(0)
            .cum_sum()
            .alias(f"c{i}_{q}")
            for q in precise
        ]
    prefix = sessions.select(prefixes)
    out: dict[Window, WindowTotals] = {}
    for i, spec in enumerate(unique):
        place = pl.zeros(rows.len(), pl.Int32, eager=True)
        for q in precise:  # the most decimals among the sessions summed
            present = _between(prefix.get_column(f"c{i}_{q}"), starts, ends) > 0
            place = pl.select(
                pl.when(present).then(pl.lit(q, pl.Int32)).otherwise(place)
            ).to_series()
        total_i = _between(prefix.get_column(f"s{i}"), starts, ends).cast(pl.Int128)
        out[spec] = WindowTotals(total_i, place)
    return out


def _between(inclusive: pl.Series, starts: pl.Series, ends: pl.Series) -> pl.Series:
    """Sum over each slice [start, end) from an inclusive prefix sum."""
    exclusive = pl.concat([pl.Series([0], dtype=inclusive.dtype), inclusive], rechunk=False)
    return exclusive.gather(ends) - exclusive.gather(starts)


def _slots(rows: pl.Series, sessions: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame, int, int]:
    """Each record's slot, the sessions records own, and how many slots there are.

    A session's slot is its `__row` minus the returned offset; slots ascend with
    the sessions. Over a dense enough span a slot is `__row` itself (shifted);
    otherwise records are ranked and the sessions' `__row` replaced by the rank.
    """
    low, high = rows.min(), rows.max()
    assert isinstance(low, int) and isinstance(high, int)
    owners = sessions.get_column("__row")
    first = owners.search_sorted(low, side="left")
    sessions = sessions.slice(first, owners.search_sorted(high, side="right") - first)
    span = high - low + 1
    if span <= _SPARSE * rows.len():
        return rows - low, sessions, low, span
    order = rows.arg_sort()
    ranked = rows.gather(order)
    owners = sessions.get_column("__row")
    position = ranked.search_sorted(owners, side="left").cast(pl.Int64)
    owned = ranked.gather(position.clip(upper_bound=ranked.len() - 1)) == owners
    sessions = sessions.with_columns(position.alias("__row")).filter(owned)
    return order.arg_sort().cast(pl.Int64), sessions, 0, rows.len()
