"""Amounts as written in office files parse to exact Decimals, or are refused with a reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sw_policy.inputs.amounts import header_unit, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,200,000.00", "1200000.00"),
        ("¥3,000", "3000"),
        ("￥3,000.50", "3000.50"),
        ("RMB 3000", "3000"),
        ("3000元", "3000"),
        ("120万元", "1200000"),
        ("12.5万", "125000"),
        ("1.2亿", "120000000"),
        ("1.2亿元", "120000000"),
        (" 333333.33 ", "333333.33"),
        ("-5", "-5"),
        ("0", "0"),
        ("1，200", "1200"),  # full-width comma
    ],
)
def test_written_forms(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,5", "ambiguous"),
        ("1,20,000", "wrong places"),
        ("1万亿", "two units"),
        ("abc", "not an amount"),
        ("万元", "no number"),
        ("1.2.3", "not an amount"),
        ("1e5", "not an amount"),
        ("NaN", "not an amount"),
    ],
)
def test_refused_forms(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount(text)


def test_header_unit_scale():
    assert header_unit("项目经费（万元）") == ("项目经费", 10_000)
    assert header_unit("人力成本(元)") == ("人力成本", 1)
    assert header_unit("项目经费") == ("项目经费", 1)
    assert parse_amount("120", scale=10_000) == Decimal(1_200_000)
    with pytest.raises(ValueError, match="header already"):
        parse_amount("120万", scale=10_000)


cents = st.integers(min_value=0, max_value=10**14).map(lambda c: Decimal(c) / 100)


@settings(max_examples=150, deadline=None)
@given(cents)
def test_thousands_separated_yuan_round_trip(value):
    assert parse_amount(f"¥{value:,.2f}") == value
    assert parse_amount(f"{value:,.2f}元") == value


@settings(max_examples=150, deadline=None)
@given(cents)
def test_wan_is_exactly_ten_thousand(value):
    assert parse_amount(f"{value}万") == value * 10_000
    assert parse_amount(f"{value}万元") == parse_amount(f"{value * 10_000}")
