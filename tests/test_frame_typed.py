"""Typed frame columns taken as they are read exactly as their text would be.

A caller's Polars frame may hold Decimal or integer amounts, integer counts,
Date/Datetime dates and Boolean flags (csv_direct_plain.taken_as_is); the
columnar reader takes those without writing them as text. Hypothesis builds
frames of every kind with such columns (decimals of every scale, huge, tiny,
negative and zero values, dates from year 1 to 9999, nulls) beside columns
that stay text (floats, odd strings, Chinese values), and the same frame with
every column written as text (text_cells, the route every column took before)
must give identical rejections, input summaries, frames, findings and JSON.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from sw_policy.checking.coerce import IN_MEMORY
from sw_policy.inputs.csv_direct_plain import taken_as_is
from sw_policy.inputs.frame_direct import direct_columns, read_frame_columnar, text_cells
from sw_policy.inputs.frames import MAX_SCALE, field_types

EXAMPLES = int(os.environ.get("SW_POLICY_DIFF_EXAMPLES", "50"))
AS_OF = dt.date(2024, 6, 30)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KINDS = ["budget", "worker", "community", "institution", "region"]
CODES = ["330106", "361126", "110105", "33010", " 330106"]
TEXTS = ["社会工作", " 社工 ", "intermediate", "bachelor", "urban", "x", "", "是"]


def _decimals(scale: int) -> st.SearchStrategy[Decimal | None]:
    """Values a Decimal(38, scale) column holds: zero, tiny, ordinary, huge, negative."""
    unscaled = st.one_of(
        st.integers(-10, 10),
        st.integers(-(10**12), 10**12),
        st.sampled_from([10 ** (15 + scale) - 1, 10 ** (15 + scale), 10**37, -(10**37), 1]),
        st.sampled_from([10 ** (15 + scale), -(10 ** (15 + scale)) + 1, 10 ** max(scale - 7, 0)]),
    )
    return st.one_of(st.none(), unscaled.map(lambda n: Decimal(n).scaleb(-scale)))


@st.composite
def _column(draw: Any, name: str, ftype: str, height: int) -> pl.Series:
    """A column for field `name`: typed where the field allows, else text or float."""

    def cells(strategy: st.SearchStrategy[Any]) -> list[Any]:
        drawn: list[Any] = draw(st.lists(strategy, min_size=height, max_size=height))
        return drawn

    choice = draw(st.integers(0, 2))
    if name == "jurisdiction":
        plain = st.sampled_from(CODES[:3])  # mostly plain: rows then take the typed route
        codes = cells(plain | plain | plain | st.sampled_from(CODES))
        return pl.Series(name, codes, dtype=pl.String)
    if ftype == "decimal" and choice == 0:
        scale = draw(st.integers(0, MAX_SCALE + 1))
        return pl.Series(name, cells(_decimals(scale)), dtype=pl.Decimal(38, scale))
    if ftype in {"decimal", "int"} and choice == 1:
        dtype = draw(st.sampled_from([pl.Int8, pl.Int32, pl.Int64, pl.UInt64]))
        info = {pl.Int8: (-128, 127), pl.Int32: (-(2**31), 2**31 - 1)}
        low, high = info.get(dtype, (0, 2**64 - 1) if dtype == pl.UInt64 else (-(2**63), 2**63 - 1))
        small = st.integers(max(low, -5), min(high, 3000))
        return pl.Series(name, cells(st.none() | small | st.integers(low, high)), dtype=dtype)
    if ftype in {"decimal", "int"}:
        floats = st.none() | st.sampled_from([0.0, 1.0, 2.5, -1.0, 1e16, float("nan"), 3.0])
        return pl.Series(name, cells(floats), dtype=pl.Float64)
    if ftype == "date" and choice < 2:
        days = st.none() | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)) | st.just(AS_OF)
        series = pl.Series(name, cells(days), dtype=pl.Date)
        return series.cast(pl.Datetime("us")) if choice == 1 else series
    if ftype == "bool" and choice < 2:
        return pl.Series(name, cells(st.none() | st.booleans()), dtype=pl.Boolean)
    if ftype == "bool":
        return pl.Series(name, cells(st.sampled_from(["true", "false", "是", "否", None])))
    if ftype == "date":
        return pl.Series(name, cells(st.sampled_from(["2024-01-31", "2024-6-1", None, "x"])))
    return pl.Series(name, cells(st.none() | st.sampled_from(TEXTS)), dtype=pl.String)


@st.composite
def typed_frames(draw: Any) -> tuple[str, pl.DataFrame]:
    """A kind and a frame of some of its fields (id and jurisdiction always)."""
    kind = draw(st.sampled_from(KINDS))
    types = {n: t for n, t in field_types(kind).items() if t != "training"}
    optional = [n for n in types if n not in {"id", "jurisdiction", "year"}]
    chosen = draw(st.lists(st.sampled_from(optional), min_size=1, max_size=6, unique=True))
    names = ["id", "jurisdiction", *(["year"] if "year" in types else []), *chosen]
    height = draw(st.integers(1, 12))
    ids = draw(
        st.lists(
            st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "甲"]),
            min_size=height,
            max_size=height,
            unique=draw(st.booleans()),
        )
    )
    columns = [pl.Series("id", ids, dtype=pl.String)]
    columns += [draw(_column(n, types[n], height)) for n in names[1:]]
    return kind, pl.DataFrame(columns)


def _read(df: pl.DataFrame, kind: str) -> Any:
    columns = direct_columns(df, kind)
    assert columns is not None
    return read_frame_columnar(df, kind, columns, path=IN_MEMORY)


def _same(kind: str, df: pl.DataFrame, rulebook: sw_policy.Rulebook) -> None:
    text = text_cells(df)
    assert all(t == pl.String for t in text.dtypes)
    fast, slow = _read(df, kind), _read(text, kind)
    assert fast.rejected == slow.rejected
    assert fast.inputs == slow.inputs
    assert fast.frames.count == slow.frames.count
    assert fast.frames.frames.keys() == slow.frames.frames.keys()
    for name, frame in fast.frames.frames.items():
        other = slow.frames.frames[name]
        assert frame.df.equals(other.df), name
        assert frame.scales == other.scales
    a = sw_policy.check_columnar(rulebook, df, kind=kind, as_of=AS_OF)
    b = sw_policy.check_columnar(rulebook, text, kind=kind, as_of=AS_OF)
    assert a.to_polars().equals(b.to_polars())
    assert a.to_json() == b.to_json()


@settings(SETTINGS)
@given(case=typed_frames())
def test_typed_columns_read_as_their_text(case: tuple[str, pl.DataFrame]) -> None:
    kind, df = case
    _same(kind, df, _rulebook())


@functools.cache
def _rulebook() -> sw_policy.Rulebook:
    return sw_policy.load_rulebook()


@pytest.mark.once
@settings(SETTINGS, max_examples=EXAMPLES * 2)
@given(case=typed_frames())
def test_typed_columns_read_as_their_text_many(case: tuple[str, pl.DataFrame]) -> None:
    kind, df = case
    _same(kind, df, _rulebook())


def test_which_dtypes_are_taken() -> None:
    assert taken_as_is("decimal", pl.Decimal(20, 2))
    assert taken_as_is("decimal", pl.Decimal(38, MAX_SCALE))
    assert not taken_as_is("decimal", pl.Decimal(38, MAX_SCALE + 1))
    assert taken_as_is("decimal", pl.Int64()) and taken_as_is("int", pl.UInt8())
    assert not taken_as_is("decimal", pl.Float64()) and not taken_as_is("int", pl.Float32())
    assert not taken_as_is("int", pl.Decimal(10, 0)) and not taken_as_is("int", pl.Int128())
    assert taken_as_is("date", pl.Date()) and not taken_as_is("date", pl.String())
    assert taken_as_is("bool", pl.Boolean()) and not taken_as_is("text", pl.Int64())


def test_a_decimal_column_keeps_its_scale_in_observed_text() -> None:
    """Decimal(20, 4) prints four places, as its text would: 50.5000, not 50.5."""
    df = pl.DataFrame(
        {
            "id": ["a", "b", "c"],
            "jurisdiction": ["330106"] * 3,
            "total_funds": [Decimal("100"), Decimal("0.00001"), None],
            "labour_cost": [Decimal("50.5"), Decimal("1"), Decimal("2")],
        },
        schema_overrides={"total_funds": pl.Decimal(20, 4), "labour_cost": pl.Decimal(20, 4)},
    )
    _same("budget", df, _rulebook())
    found = sw_policy.check_columnar(_rulebook(), df, kind="budget", as_of=AS_OF).to_polars()
    first = found.filter(pl.col("record_id") == "a").get_column("observed").to_list()
    assert any('"50.5000"' in text for text in first)
    assert not any('"50.5"' in text for text in first)
