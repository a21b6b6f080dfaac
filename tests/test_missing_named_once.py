"""An undecided finding names each missing input once, on both engines.

zhejiang-2019.training-120h reads the training hours twice (by the deadline and to
date); a flat roster without them said "Missing: training (or training_hours_total),
training (or training_hours_total)" before.
"""

from __future__ import annotations

import pytest

import sw_policy

RULE = "zhejiang-2019.training-120h"


@pytest.mark.parametrize("engine", ["row", "columnar"])
def test_an_input_read_twice_is_named_once(engine: str) -> None:
    worker = {
        "kind": "worker",
        "id": "W1",
        "jurisdiction": "330106",
        "certificate": "intermediate",
        "employer_type": "sw_service_org",
        "training_hours_5y": "100",
    }
    report = sw_policy.load_rulebook().check([worker], as_of="2024-06-30", engine=engine)
    (finding,) = [f for f in report.findings if f.rule_id == RULE]
    assert finding.outcome == "insufficient_data"
    assert finding.message.en.endswith("Missing: training (or training_hours_total).")
    assert finding.message.zh.endswith("缺少：training (or training_hours_total)。")
