"""Training-hour columns: windowed totals and their text match the row engine exactly.

Properties: the column text of a quantized total is `str(Decimal)` (E-notation
included) for any scale, places and size; windowed totals over random sessions
(sparse or dense `__row`, unsorted, orphaned, per-record as-of days, 29 February)
equal the row engine's Decimal sums. Edges: a session exactly on as-of, exactly
N years before, and a day either side, on both engines.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sw_policy
from sw_policy import check_columnar
from sw_policy.engines.columnar.quantized import quantized_text
from sw_policy.engines.columnar.windows import window_totals
from sw_policy.engines.semantics import years_before

AS_OF = dt.date(2024, 6, 30)
RULE = "liaocheng-2020.professional-qualification"
DIGITS = 28  # the default decimal context's precision, the most the row engine's sum keeps


def _row_text(total: int, scale: int, places: int) -> str:
    return str(Decimal(total).scaleb(-scale).quantize(Decimal(1).scaleb(-places)))


@st.composite
def quantized(draw: st.DrawFn) -> tuple[int, int, int]:
    scale = draw(st.integers(0, 9))
    places = draw(st.integers(0, scale))
    digits = draw(st.integers(0, DIGITS))
    coefficient = draw(st.sampled_from([0, 1, 9, 10**digits - 1]) | st.integers(0, 10**digits - 1))
    sign = draw(st.sampled_from([1, -1]))
    return sign * coefficient * 10 ** (scale - places), scale, places


@settings(max_examples=200, deadline=None)
@given(cases=st.lists(quantized(), min_size=1, max_size=60))
def test_quantized_text_is_decimal_str(cases: list[tuple[int, int, int]]) -> None:
    for scale in {s for _, s, _ in cases}:
        mine = [(t, p) for t, s, p in cases if s == scale]
        frame = pl.DataFrame(
            {"t": [t for t, _ in mine], "p": [p for _, p in mine]},
            schema={"t": pl.Int128, "p": pl.Int32},
        )
        got = frame.select(quantized_text(pl.col("t"), pl.col("p"), scale)).to_series()
        assert got.to_list() == [_row_text(t, scale, p) for t, p in mine]


def test_quantized_text_covers_exponent_notation() -> None:
    cases = [(0, 7, 7), (0, 9, 9), (100, 9, 7), (123, 9, 9), (1234, 9, 9), (5, 8, 8), (-5, 8, 8)]
    texts = [_row_text(*c) for c in cases]
    assert texts == ["0E-7", "0E-9", "1E-7", "1.23E-7", "0.000001234", "5E-8", "-5E-8"]
    for (total, scale, places), text in zip(cases, texts, strict=True):
        frame = pl.DataFrame({"t": [total], "p": [places]}, schema={"t": pl.Int128, "p": pl.Int32})
        assert frame.select(quantized_text(pl.col("t"), pl.col("p"), scale)).item() == text


# --- windowed totals against the row engine's Decimal sums ------------------------

HOURS = [
    Decimal("0"),
    Decimal("8"),
    Decimal("0.5"),
    Decimal("60.25"),
    Decimal("1E+1"),
    Decimal("0.0000001"),
    Decimal("0E-7"),
    Decimal("0.000000001"),
    Decimal("123456.123456789"),
]
EDGE_DAYS = [
    dt.date(2024, 2, 29),
    dt.date(2023, 2, 28),
    dt.date(2023, 3, 1),
    dt.date(2019, 6, 30),
    dt.date(2019, 7, 1),
    dt.date(2024, 6, 30),
    dt.date(2024, 7, 1),
]
session_days = st.sampled_from(EDGE_DAYS) | st.dates(dt.date(2015, 1, 1), dt.date(2025, 12, 31))


@st.composite
def session_sets(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 12))
    gaps = draw(st.lists(st.sampled_from([1, 1, 2, 7, 1000]), min_size=n, max_size=n))
    base = draw(st.sampled_from([0, 3, 10**6]))
    rows = [base + sum(gaps[: i + 1]) for i in range(n)]
    if draw(st.booleans()):
        rows = draw(st.permutations(rows))
    owners = [*rows, base, max(rows) + 5, rows[0] + 1]  # maybe orphans
    sessions = draw(
        st.lists(st.tuples(st.sampled_from(owners), session_days, st.sampled_from(HOURS)))
    )
    as_of = [draw(st.sampled_from([AS_OF, *EDGE_DAYS])) for _ in rows]
    if draw(st.booleans()):
        as_of = [as_of[0]] * n
    windows = draw(st.lists(st.sampled_from([None, 0, 1, 5]), min_size=1, max_size=3))
    return {"rows": rows, "sessions": sessions, "as_of": as_of, "windows": windows}


def _scaled(sessions: list[tuple[int, dt.date, Decimal]]) -> tuple[pl.DataFrame, int]:
    def places(h: Decimal) -> int:
        exponent = h.as_tuple().exponent
        assert isinstance(exponent, int)
        return max(0, -exponent)

    scale = max((places(h) for _, _, h in sessions), default=0)
    frame = pl.DataFrame(
        {
            "__row": [o for o, _, _ in sessions],
            "date": [d for _, d, _ in sessions],
            "hours": [int(h.scaleb(scale)) for _, _, h in sessions],
            "hours_places": [places(h) for _, _, h in sessions],
        },
        schema={"__row": pl.Int64, "date": pl.Date, "hours": pl.Int128, "hours_places": pl.Int64},
    )
    return frame, scale


@settings(max_examples=300, deadline=None)
@given(case=session_sets())
def test_window_totals_match_row_engine_sums(case: dict[str, Any]) -> None:
    frame, scale = _scaled(case["sessions"])
    rows = pl.Series(case["rows"], dtype=pl.Int64)
    as_of = pl.Series(case["as_of"], dtype=pl.Date)
    totals = window_totals(frame, rows, as_of, case["windows"])
    for years in case["windows"]:
        found = totals[years]
        texts = pl.DataFrame({"t": found.total, "p": found.places}).select(
            quantized_text(pl.col("t"), pl.col("p"), scale)
        )
        expected = []
        for row, day in zip(case["rows"], case["as_of"], strict=True):
            start = None if years is None else years_before(day, years)
            picked = (
                h
                for o, d, h in case["sessions"]
                if o == row and d <= day and (start is None or d > start)
            )
            expected.append(str(sum(picked, Decimal(0))))
        assert texts.to_series().to_list() == expected


def test_window_totals_without_sessions() -> None:
    frame, _ = _scaled([])
    totals = window_totals(
        frame, pl.Series([4, 5], dtype=pl.Int64), pl.Series([AS_OF, AS_OF]), [None, 5]
    )
    assert totals[None].total.to_list() == [0, 0] and totals[5].places.to_list() == [0, 0]
    assert (
        window_totals(frame, pl.Series([], dtype=pl.Int64), pl.Series([AS_OF]), [1])[1].total.len()
        == 0
    )


# --- both engines at the window's edges -------------------------------------------


def _worker(i: int, sessions: list[tuple[dt.date, str]], **fields: Any) -> Any:
    return sw_policy.parse_record(
        {
            "kind": "worker",
            "id": f"W{i}",
            "jurisdiction": "371500",
            "training": [{"date": d, "hours": h} for d, h in sessions],
            **fields,
        }
    )


def _observed(report: Any, rule_id: str) -> dict[str, str]:
    return {
        f.record_id: str(f.observed.get("training_hours_5y"))
        for f in report.findings
        if f.rule_id == rule_id
    }


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2024, 2, 29), dt.date(2023, 3, 1)])
def test_window_edges_on_both_engines(rulebook: sw_policy.Rulebook, as_of: dt.date) -> None:
    start = years_before(as_of, 5)
    one = dt.timedelta(days=1)
    edges = [as_of + one, as_of, as_of - one, start + one, start, start - one]
    records = [_worker(i, [(day, "120")]) for i, day in enumerate(edges)]
    records.append(_worker(len(edges), [(day, "0.0000001") for day in edges]))
    row = rulebook.check(records, as_of=as_of)
    columnar = check_columnar(rulebook, records, as_of=as_of)
    assert columnar.to_json() == row.to_json()
    # Inside: on as-of, a day before it, a day after the window opens (columnar matched above).
    inside = {"W1", "W2", "W3"}
    seen = _observed(row, RULE)
    for i in range(len(edges)):
        assert seen[f"W{i}"] == ("120" if f"W{i}" in inside else "0")
    assert seen[f"W{len(edges)}"] == "3E-7"


def test_many_places_text_on_both_engines(rulebook: sw_policy.Rulebook) -> None:
    rng = random.Random(7)
    records = []
    for i in range(40):
        sessions = [
            (AS_OF - dt.timedelta(days=rng.randint(0, 3000)), str(rng.choice(HOURS)))
            for _ in range(rng.randint(0, 5))
        ]
        records.append(_worker(i, sessions, counted_as_professional=True))
    row = rulebook.check(records, as_of=AS_OF, include_not_applicable=True)
    columnar = check_columnar(rulebook, records, as_of=AS_OF, include_not_applicable=True)
    assert columnar.to_json() == row.to_json()


def test_hours_beyond_the_documented_range_are_refused_per_record() -> None:
    # Hours are below 10**15 (docs/limits.md), so no sum of sessions reaches the
    # 28 digits where the row engine's Decimal sum would round: such a record is
    # refused before either engine sees it.
    big = str(6 * 10**27)
    with pytest.raises(sw_policy.RecordError, match="out of range"):
        _worker(0, [(AS_OF, big), (AS_OF, big)])
    assert _worker(0, [(AS_OF, "999999999999999.999999999")])


def test_workers_scattered_among_other_kinds_on_both_engines(rulebook: sw_policy.Rulebook) -> None:
    # A few workers among many budgets: their __row values are sparse (records ranked).
    records: list[Any] = []
    for i in range(60):
        if i % 15 == 3:
            day = AS_OF - dt.timedelta(days=400 * (i % 7))
            records.append(_worker(i, [(day, "70.5"), (AS_OF, "50")]))
        else:
            records.append(
                sw_policy.parse_record(
                    {
                        "kind": "budget",
                        "id": f"B{i}",
                        "jurisdiction": "330100",
                        "total_funds": "100",
                        "labour_cost": "60",
                    }
                )
            )
    row = rulebook.check(records, as_of=AS_OF)
    columnar = check_columnar(rulebook, records, as_of=AS_OF)
    assert columnar.to_json() == row.to_json()
    assert set(_observed(row, RULE).values()) == {"120.5", "50"}
