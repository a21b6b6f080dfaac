"""Amounts given as dicts: a unit in the key scales like a table header; no size breaks the run.

A dict key 项目经费（万元） is the header of a one-row table: 100 under it is one
million yuan, the same as a CSV with that header. And an amount of a million
digits, or with more digits than Decimal's default 28, is rejected per record by
the documented range, never rounded and never raised as decimal.Overflow.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

import sw_policy

AS_OF = dt.date(2024, 6, 30)
RULEBOOK = sw_policy.load_rulebook()
BASE = {"kind": "budget", "id": "P1", "jurisdiction": "330106"}


@pytest.mark.parametrize("given", ["100", 100, Decimal("100"), 100.0, "100.0000"])
def test_a_unit_in_the_key_scales_the_amount(given: object) -> None:
    record = sw_policy.parse_record({**BASE, "项目经费（万元）": given, "人力成本": "710000"})
    assert record.total_funds == Decimal("1000000")
    report = RULEBOOK.check(
        [{**BASE, "项目经费（万元）": given, "人力成本": "710000"}], as_of=AS_OF
    )
    (finding,) = [f for f in report.findings if f.rule_id == "zhejiang-2019.labour-cost-share"]
    assert Decimal(str(finding.observed["total_funds"])) == Decimal("1000000")


def test_a_dict_reads_like_the_csv_with_the_same_header(tmp_path: Path) -> None:
    csv = tmp_path / "budgets.csv"
    csv.write_text(
        "项目编号,行政区划代码,项目经费（万元）,人力成本（万元）\nP1,330106,100,70.01\n",
        encoding="utf-8",
    )
    from_file = RULEBOOK.check_files([csv], as_of=AS_OF)
    from_dict = RULEBOOK.check(
        [
            {
                "项目编号": "P1",
                "行政区划代码": "330106",
                "项目经费（万元）": "100",
                "人力成本（万元）": 70.01,
            }
        ],
        kind="budget",
        as_of=AS_OF,
    )

    def outcomes(report: sw_policy.Report) -> list[tuple[str, str, object]]:
        return [(f.rule_id, f.outcome, f.observed) for f in report.findings]

    assert outcomes(from_dict) == outcomes(from_file)
    assert ("zhejiang-2019.labour-cost-share", "fail") in {
        (rule, outcome) for rule, outcome, _ in outcomes(from_dict)
    }


@pytest.mark.parametrize(
    ("key", "text", "reason"),
    [
        ("total_funds", "9" * 1_000_001, "out of range"),
        ("项目经费（万元）", "9" * 1_000_001, "out of range"),
        ("项目经费（亿元）", "1" + "0" * 40, "out of range"),
        ("项目经费", "0." + "1" * 40, "more than 9 decimal places"),
    ],
)
def test_an_amount_beyond_the_range_is_rejected_not_raised_or_rounded(
    key: str, text: str, reason: str
) -> None:
    report = RULEBOOK.check([{**BASE, key: text, "labour_cost": "1"}], as_of=AS_OF)
    (rejected,) = report.rejected
    assert reason in " ".join(rejected.errors)
    assert report.findings == ()
