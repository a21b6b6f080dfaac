"""One amount range whatever the format: the same text read from a CSV cell and a
JSON number is accepted as the same value, or refused by both, with the same reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import sw_policy
from sw_policy.inputs.amounts import parse_amount
from sw_policy.inputs.json_text import loads


def _outcome(value: Any) -> tuple[str, str]:
    data = {"kind": "budget", "id": "P", "jurisdiction": "330106", "total_funds": value}
    try:
        record = sw_policy.parse_record(data)
    except sw_policy.RecordError as exc:
        return "rejected", "; ".join(exc.errors)
    return "accepted", str(record.total_funds)


plain = st.builds(
    lambda whole, places: f"{whole}.{places}" if places else str(whole),
    st.one_of(st.integers(1, 10**20), st.sampled_from([1, 10**14, 10**15 - 1, 10**15])),
    st.one_of(st.just(""), st.from_regex(r"[0-9]{1,14}", fullmatch=True)),
)


@settings(max_examples=300, deadline=None)
@given(plain)
def test_csv_cell_and_json_number_agree(text: str) -> None:
    from_csv = _outcome(str(parse_amount(text)))
    from_json = _outcome(loads(f'{{"v": {text}}}')["v"])
    assert from_csv == from_json
    whole, _, places = text.partition(".")
    inside = len(whole) <= 15 and len(places) <= 9
    assert (from_csv[0] == "accepted") == inside
    if inside:
        assert Decimal(from_csv[1]) == Decimal(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(-(10**6), 10**6))
def test_any_exponent_is_refused_or_accepted_at_once(exponent: int) -> None:
    outcome = _outcome(Decimal(f"1E{exponent}"))
    assert (outcome[0] == "accepted") == (-9 <= exponent <= 14)


def test_unknown_total_beside_a_nine_place_amount_has_no_share_on_either_engine() -> None:
    # A 9-place amount elsewhere in the batch widens labour_cost's scale, so
    # 333333.33 becomes a numerator beyond 10**18: the columnar engine formatted
    # it in Python over a null denominator as n / 1 and showed a share.
    import datetime as dt

    from sw_policy import check_columnar

    rulebook = sw_policy.load_rulebook()
    records = [
        sw_policy.parse_record(
            {"kind": "budget", "id": "A", "jurisdiction": "330106", "labour_cost": "333333.33"}
        ),
        sw_policy.parse_record(
            {
                "kind": "budget",
                "id": "B",
                "jurisdiction": "330100",
                "total_funds": "1.7501",
                "labour_cost": "0.000006261",
            }
        ),
    ]
    day = dt.date(2022, 12, 14)
    row = rulebook.check(records, as_of=day)
    assert check_columnar(rulebook, records, as_of=day).to_json() == row.to_json()
    [unknown] = [f for f in row.findings if f.record_id == "A"]
    assert "labour_cost_share" not in unknown.observed
