"""Parameter overrides (`Rulebook.with_parameters`): a changed figure, validated as if written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import param
from sw_policy import PolicyError, load_rulebook, parse_record
from sw_policy.rulebook.overrides import OverrideError, parse_override

AS_OF = dt.date(2024, 6, 30)
CAP = "zhejiang-2019.labour-cost-share.max_share"


def budget(labour: str) -> object:
    return parse_record(
        {
            "kind": "budget",
            "id": "P",
            "jurisdiction": "330106",
            "total_funds": "100",
            "labour_cost": labour,
        }
    )


def test_override_moves_the_limit_and_the_digest():
    base = load_rulebook()
    cap = param("zhejiang-2019.labour-cost-share", "max_share")  # 0.70 in the rule file
    raised = cap + Decimal("0.05")
    changed = base.with_parameters(dict([parse_override(f"{CAP}={raised}")]))
    between = str((cap + Decimal("0.04")) * 100)  # 74 of 100 at a 0.70 cap
    [before] = base.evaluate(budget(between), as_of=AS_OF)
    [after] = changed.evaluate(budget(between), as_of=AS_OF)
    assert (before.outcome, after.outcome) == ("fail", "pass")
    assert after.expected == f"≤ {raised}"
    assert changed.sha256 != base.sha256
    assert base.rule("zhejiang-2019.labour-cost-share").parameters["max_share"].value == cap


def test_whole_number_is_read_as_a_decimal_for_a_decimal_parameter():
    key, value = parse_override(f"{CAP}=1")
    rule = load_rulebook().with_parameters({key: value}).rule("zhejiang-2019.labour-cost-share")
    assert rule.parameters["max_share"].value == Decimal(1)


def test_milestone_values_follow_the_override():
    key, value = parse_override("yiyang-2022.target.certified-workers.count_floor=100")
    rule = (
        load_rulebook().with_parameters({key: value}).rule("yiyang-2022.target.certified-workers")
    )
    assert rule.parameters["count_floor"].value == 100
    assert all(m.parameters.get("count_floor", 100) == 100 for m in rule.milestones or ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("zhejiang-2019.labour-cost-share.max=1", "has no parameter 'max' (it has: max_share)"),
        (f"{CAP}=abc", "expects a value like"),
        ("no-equals-sign", "RULE_ID.PARAMETER=VALUE"),
        ("zhejiang-2019.labour.max_share=1", "did you mean zhejiang-2019.labour-cost-share"),
    ],
)
def test_bad_overrides_are_refused_with_a_reason(text, message):
    with pytest.raises(PolicyError, match=None) as info:
        key, value = parse_override(text)
        load_rulebook().with_parameters({key: value})
    assert message in str(info.value)


def test_override_that_breaks_validation_is_refused():
    key, value = parse_override("zhejiang-2019.post-certificate.required_certificate={5: platinum}")
    with pytest.raises(OverrideError, match="not a certificate level"):
        load_rulebook().with_parameters({key: value})


def test_override_for_one_milestone_only():
    base = load_rulebook()
    changed = base.with_parameters(
        dict([parse_override("yiyang-2022.target.certified-workers.count_floor@2025=200")])
    )
    rule = changed.rule("yiyang-2022.target.certified-workers")
    assert [m.parameters.get("count_floor") for m in rule.milestones] == [None, 200]
    assert rule.parameters["count_floor"].value == 80  # 2023 still reads the base figure

    def outcome(book, year, count):
        region = parse_record(
            {
                "kind": "region",
                "id": "R",
                "jurisdiction": "361126",
                "year": year,
                "certified_workers": count,
                "certified_workers_prev_year": 1,
            }
        )
        (finding,) = [
            f
            # Judged once every milestone year has ended (a milestone waits for its year).
            for f in book.evaluate(region, as_of=dt.date(2026, 6, 30))
            if f.rule_id == "yiyang-2022.target.certified-workers"
        ]
        return finding.outcome

    assert (outcome(base, 2025, 180), outcome(changed, 2025, 180)) == ("pass", "fail")
    assert outcome(changed, 2023, 81) == "pass"
    # A base value and a milestone value together: the milestone keeps its own.
    both = base.with_parameters(
        {
            "yiyang-2022.target.certified-workers.count_floor": 90,
            "yiyang-2022.target.certified-workers.count_floor@2025": 200,
        }
    )
    rule = both.rule("yiyang-2022.target.certified-workers")
    assert rule.parameters["count_floor"].value == 90
    assert rule.milestones[1].parameters["count_floor"] == 200


def test_override_for_a_missing_milestone_is_refused():
    with pytest.raises(OverrideError, match="has no milestone 2024"):
        load_rulebook().with_parameters(
            dict([parse_override("yiyang-2022.target.supervisors.supervisors_floor@2024=9")])
        )


def test_check_records_set_overrides_in_the_report_stamp():
    import json

    from click.testing import CliRunner

    from conftest import FIXTURES
    from sw_policy.cli import main

    result = CliRunner().invoke(
        main,
        [
            "check",
            str(FIXTURES / "budgets.csv"),
            "--as-of",
            "2024-06-30",
            "--format",
            "json",
            "--set",
            f"{CAP}=0.75",
        ],
    )
    report = json.loads(result.stdout)
    assert report["options"]["parameter_overrides"] == {CAP: "0.75"}
    assert report["rulebook"]["sha256"] != load_rulebook().sha256
