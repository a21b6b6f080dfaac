"""The columnar JSON writer quotes messages as they are only when nothing in them needs escaping.

ColumnarResult.plain_text is decided from what the texts are made of (rule
literals, number entries, vocabularies); a free-text field shown in a message
(a worker's major) makes it false, and the report then escapes as pydantic
does. Either way the bytes are the row engine's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sw_policy
from sw_policy import check_columnar

AS_OF = dt.date(2024, 6, 30)


def _worker(i: int, major: str) -> dict[str, Any]:
    return {
        "kind": "worker",
        "id": f"W-{i}",
        "name": "张立新",
        "jurisdiction": "371502",
        "certificate": "intermediate" if i % 3 == 0 else "assistant",
        "education": "secondary",
        "major": major,
        "training_hours_5y": "0",
        "counted_as_professional": "true",
    }


def _same(rulebook: sw_policy.Rulebook, records: list[Any], **flags: bool) -> bool:
    row = rulebook.check(records, as_of=AS_OF, engine="row", **flags)
    columnar = check_columnar(rulebook, records, as_of=AS_OF, **flags)
    assert columnar.to_json() == row.to_json()
    return columnar.result.plain_text


@pytest.mark.parametrize("major", ['会计"学', "a\\b", "line\nbreak", "tab\there", "\x01", "\x1f"])
def test_a_major_that_needs_escaping_is_escaped(rulebook: sw_policy.Rulebook, major: str) -> None:
    records = [_worker(i, m) for i, m in enumerate([major, "会计学", "社会工作"])]
    assert _same(rulebook, records) is False
    assert _same(rulebook, records, include_not_applicable=True) is False


def test_numbers_and_rule_texts_are_plain(rulebook: sw_policy.Rulebook) -> None:
    budgets = [
        {"kind": "budget", "id": f"B{i}", "jurisdiction": code, "total_funds": "1000.00",
         "labour_cost": labour}
        for i, (code, labour) in enumerate(
            [("330106", "700.00"), ("330106", "700.01"), ("361126", "0"), ("110105", "5")]
        )
    ]  # fmt: skip
    assert _same(rulebook, budgets) is True
    assert _same(rulebook, budgets, include_not_applicable=True) is True


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=6))
def test_any_major_gives_the_row_engines_bytes(
    rulebook: sw_policy.Rulebook, majors: list[str]
) -> None:
    records = [_worker(i, m) for i, m in enumerate(majors)]
    _same(rulebook, records)


@pytest.mark.parametrize("record_id", ['B"1', "B\\1", "B\t1", "预算-1"])
def test_record_ids_are_escaped_when_they_need_it(
    rulebook: sw_policy.Rulebook, record_id: str
) -> None:
    budgets = [
        {"kind": "budget", "id": rid, "jurisdiction": "330106", "total_funds": "1000.00",
         "labour_cost": "800.00"}
        for rid in (record_id, "B2")
    ]  # fmt: skip
    assert _same(rulebook, budgets) is True  # the messages are plain; the id is not
