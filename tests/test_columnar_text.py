"""Text made in columns reads exactly as the row engine's Python formatting."""

from __future__ import annotations

from fractions import Fraction

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sw_policy.engines.columnar.text import fraction_text, json_string
from sw_policy.engines.row.tree_walk import format_number


def _column_text(pairs: list[tuple[int, int]]) -> list[str | None]:
    frame = pl.DataFrame(
        {
            "n": pl.Series([n for n, _ in pairs], dtype=pl.Int128),
            "d": pl.Series([d for _, d in pairs], dtype=pl.Int128),
        }
    )
    return frame.select(fraction_text(pl.col("n"), pl.col("d")))["n"].to_list()


money = st.integers(min_value=-(10**14), max_value=10**14)
wide = st.integers(min_value=-(10**36), max_value=10**36)
powers = st.builds(
    lambda t, f, k: 2**t * 5**f * k,
    st.integers(0, 40),
    st.integers(0, 25),
    st.sampled_from([1, 3, 7]),
)
denominators = st.one_of(st.integers(1, 10**14), powers, st.integers(1, 10**36))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(money, wide), denominators), min_size=1, max_size=40))
@example([(0, 7), (1, 3), (-2, 3), (2, 1), (10**20, 3), (1, 2**60), (7, 5**40)])
@example([(999999999996, 999999999999), (99999999999, 99999999997), (9999999999, 1000000001)])
@example([(1, 1024), (3, 10**20), (-(10**36), 7)])
def test_quotient_text_matches_format_number(pairs: list[tuple[int, int]]) -> None:
    assert _column_text(pairs) == [format_number(Fraction(n, d)) for n, d in pairs]


@pytest.mark.parametrize(
    ("n", "d", "text"),
    [
        (7, 10, "0.7"),  # terminates
        (2, 3, "0.6666666667"),  # 10 significant digits
        (1, 30, "0.03333333333"),  # leading zeros are not significant
        (10**11 - 1, 10**11 + 1, "1.000000000"),  # rounding carries a digit
        (10**12, 3, "333333333333.3"),  # a large whole part keeps one decimal
    ],
)
def test_quotient_text_examples(n: int, d: int, text: str) -> None:
    assert _column_text([(n, d)]) == [text] == [format_number(Fraction(n, d))]


def test_nulls_stay_null() -> None:
    frame = pl.DataFrame({"n": pl.Series([None, 1], dtype=pl.Int128), "d": [3, None]})
    out = frame.select(fraction_text(pl.col("n"), pl.col("d").cast(pl.Int128)))
    assert out.to_series().to_list() == [None, None]


def test_a_shared_format_and_a_few_others_in_one_batch() -> None:
    """Most quotients share one format (formatted over the whole column); the others
    (terminating, negative, above one, unknown, wide) are put in their places."""
    pairs: list[tuple[int | None, int | None]] = [(k, 1000 + k) for k in range(1, 60)]
    pairs[5], pairs[17], pairs[30], pairs[41] = (7, 8), (-5, 9), (9000, 7), (None, 3)
    pairs[50], pairs[58] = (10**30, 7), (3, None)
    frame = pl.DataFrame(
        {
            "n": pl.Series([n for n, _ in pairs], dtype=pl.Int128),
            "d": pl.Series([d for _, d in pairs], dtype=pl.Int128),
        }
    )
    out = frame.select(fraction_text(pl.col("n"), pl.col("d")))["n"].to_list()
    assert out == [
        None if n is None or d is None else format_number(Fraction(n, d)) for n, d in pairs
    ]
    assert out[5] == "0.875" and out[17] == "-0.5555555556" and out[41] is None


class _Text(BaseModel):
    s: str


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8")), min_size=1, max_size=30))
@example(["", '"', "\\", "\x00\x1f\x7f", "\u2028\u2029", "中文 😀", "a\nb\tc\rd\x08e\x0cf"])
def test_json_literals_match_pydantic(texts: list[str]) -> None:
    frame = pl.DataFrame({"t": pl.Series(texts, dtype=pl.String)})
    literals = frame.select(json_string(pl.col("t")))["t"].to_list()
    assert literals == [_Text(s=t).model_dump_json()[5:-1] for t in texts]


def test_json_literal_of_null_is_null() -> None:
    frame = pl.DataFrame({"t": pl.Series([None, "x"], dtype=pl.String)})
    assert frame.select(json_string(pl.col("t")))["t"].to_list() == ["null", '"x"']
