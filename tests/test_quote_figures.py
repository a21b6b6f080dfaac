"""Lint's figure-not-in-quote check: the ways a policy text writes a figure."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sw_policy.drafting.quote_figures import figure_forms


def written(quote: str, value: str, unit: str) -> bool:
    return any(re.search(form, quote) for form in figure_forms(Decimal(value), unit))


@pytest.mark.parametrize(
    ("quote", "value", "unit"),
    [
        ("占比不超过项目经费的70%。", "0.70", "ratio"),
        ("占比不低于项目经费的 80 ％。", "0.8", "ratio"),
        ("志愿者注册率达到百分之十", "0.10", "ratio"),
        ("全省社会工作人才总量达到 14 万人", "140000", "persons"),
        ("累计不少于120小时", "120", "hours"),
        ("近五年来接受过培训", "5", "years"),
        ("每个城市社区至少配备2名", "2", "persons"),
        ("打造二十五家机构", "25", "organisations"),
        ("占比12.5%", "0.125", "ratio"),
    ],
)
def test_a_figure_written_in_the_quote_is_found(quote: str, value: str, unit: str) -> None:
    assert written(quote, value, unit)


@pytest.mark.parametrize(
    ("quote", "value", "unit"),
    [
        ("占比不超过项目经费的70%。", "0.75", "ratio"),
        ("累计不少于120小时", "12", "hours"),  # 12 is not in 120
        ("累计不少于120小时", "20", "hours"),
        ("社会工作服务机构达到1600家", "160", "organisations"),
        ("不少于10家", "1", "organisations"),
        ("达到 14 万人", "14", "persons"),  # 14 万 is 140 000
        ("近十五年", "5", "years"),  # 五 inside 十五
    ],
)
def test_a_figure_not_written_is_missed(quote: str, value: str, unit: str) -> None:
    assert not written(quote, value, unit)


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=1, max_value=99))
def test_digits_and_chinese_numerals_find_only_their_own_number(n: int, other: int) -> None:
    from sw_policy.drafting.quote_figures import _chinese

    for text in (f"不少于{n}人", f"不少于{_chinese(n)}人"):
        assert written(text, str(n), "persons")
        assert written(text, str(other), "persons") == (other == n)
