"""Dates as offices write them, read as ISO dates (inputs/dates.py), the same on every route."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sw_policy
from sw_policy.inputs.dates import office_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024/6/30", "2024-06-30"),
        ("2024/06/30", "2024-06-30"),
        ("2024-6-30", "2024-06-30"),
        ("2024.6.30", "2024-06-30"),
        ("2024年6月30日", "2024-06-30"),
        ("2024 年 6 月 30 日", "2024-06-30"),
        ("2024年6月30号", "2024-06-30"),
        ("２０２４/６/３０", "2024-06-30"),  # full-width digits
        ("2024/6/30 0:00", "2024-06-30"),  # Excel's datetime export, at midnight
        ("2024/6/30 00:00:00", "2024-06-30"),
        ("2024-06-30", None),  # ISO already: the model reads it
        ("2024/6/30 9:30", None),  # a time of day is not a date
        ("2024/2/30", None),  # no such day: refused as written
        ("2024/6-30", None),  # two separator styles
        ("2024年6月", None),  # a month, not a day
        ("20240630", None),
        ("45473", None),  # an Excel serial number
        ("30/6/2024", None),  # day first is not a Chinese date
        ("", None),
    ],
)
def test_office_date(text: str, iso: str | None) -> None:
    assert office_date(text) == iso


@given(
    st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31)),
    st.sampled_from(["{y}/{m}/{d}", "{y}-{m}-{d}", "{y}.{m}.{d}", "{y}年{m}月{d}日"]),
    st.booleans(),
)
def test_every_day_in_every_style_reads_as_itself(day: dt.date, style: str, pad: bool) -> None:
    width = 2 if pad else 1
    text = style.format(y=day.year, m=f"{day.month:0{width}d}", d=f"{day.day:0{width}d}")
    expected = None if text == day.isoformat() else day.isoformat()
    assert office_date(text) == expected


@given(st.text(alphabet="0123456789/-.年月日号 :", max_size=20))
def test_anything_else_is_a_real_day_or_nothing(text: str) -> None:
    read = office_date(text)
    assert read is None or dt.date.fromisoformat(read).isoformat() == read


def test_every_route_reads_them(rulebook: sw_policy.Rulebook) -> None:
    rows = [
        {"kind": "budget", "id": f"B{n}", "jurisdiction": "330106", "as_of": day,
         "total_funds": "100", "labour_cost": "60"}
        for n, day in enumerate(["2024/6/30", "2024年6月30日", "2024年6月"])
    ]  # fmt: skip
    report = rulebook.check(rows, as_of="2020-01-01")
    assert [f.record_id for f in report.findings] == ["B0", "B1"]  # judged as of 2024
    assert [r.id for r in report.rejected] == ["B2"]
    assert sw_policy.parse_record(rows[0]).as_of == dt.date(2024, 6, 30)
