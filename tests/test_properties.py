"""Invariants that hold for any record, checked with hypothesis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sw_policy
from conftest import make, param

RULEBOOK = sw_policy.load_rulebook()
AS_OF = dt.date(2024, 6, 30)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)
hours = st.decimals(min_value=Decimal(0), max_value=Decimal(400), places=1)
counts = st.integers(min_value=0, max_value=20)
certificates = st.sampled_from(["none", "assistant", "intermediate", "senior"])
budget_places = st.sampled_from(["330106", "361126", "110105"])


def outcomes(record):
    return {
        f.rule_id: f.outcome
        for f in RULEBOOK.evaluate(record, as_of=AS_OF, include_not_applicable=True)
    }


@SETTINGS
@given(
    total=money,
    share=st.decimals(min_value=0, max_value=1, places=6),
    factor=st.integers(1, 10_000),
    place=budget_places,
)
def test_scaling_a_budget_never_changes_a_labour_share_outcome(total, share, factor, place):
    labour = (total * share).quantize(Decimal("0.01"))
    base = make("budget", jurisdiction=place, total_funds=total, labour_cost=labour)
    scaled = make(
        "budget", jurisdiction=place, total_funds=total * factor, labour_cost=labour * factor
    )
    assert outcomes(base) == outcomes(scaled)


@SETTINGS
@given(total=money, share=st.decimals(min_value=0, max_value=1, places=6))
def test_labour_share_is_decided_exactly(total, share):
    labour = (total * share).quantize(Decimal("0.01"))
    zhejiang = outcomes(
        make("budget", jurisdiction="330106", total_funds=total, labour_cost=labour)
    )
    yiyang = outcomes(make("budget", jurisdiction="361126", total_funds=total, labour_cost=labour))
    assert zhejiang["zhejiang-2019.labour-cost-share"] == (
        "pass"
        if labour <= total * param("zhejiang-2019.labour-cost-share", "max_share")
        else "fail"
    )
    assert yiyang["yiyang-2022.labour-cost-share"] == (
        "pass" if labour >= total * param("yiyang-2022.labour-cost-share", "min_share") else "fail"
    )


@SETTINGS
@given(
    base=hours,
    extra=hours,
    cert=certificates,
    place=st.sampled_from(["371502", "330106"]),
    employer=st.sampled_from(["urban_community", "charity_org", "enterprise"]),
)
def test_more_training_never_turns_a_pass_into_a_fail(base, extra, cert, place, employer):
    fields = {"jurisdiction": place, "certificate": cert, "employer_type": employer}
    before = outcomes(make("worker", training_hours_5y=base, training_hours_total=base, **fields))
    after = outcomes(
        make("worker", training_hours_5y=base + extra, training_hours_total=base + extra, **fields)
    )
    for rule_id, outcome in before.items():
        if outcome == "pass":
            assert after[rule_id] == "pass", rule_id


@SETTINGS
@given(
    low=certificates,
    high=certificates,
    level=st.integers(1, 13),
    registered=st.booleans(),
    in_project=st.booleans(),
)
def test_a_higher_certificate_never_turns_a_pass_into_a_fail(
    low, high, level, registered, in_project
):
    order = ["none", "assistant", "intermediate", "senior"]
    low, high = sorted([low, high], key=order.index)
    fields = {
        "jurisdiction": "330106",
        "employer_type": "public_institution",
        "post_level": level,
        "certificate_registered": registered,
        "in_purchased_project": in_project,
    }
    before = outcomes(make("worker", certificate=low, **fields))
    after = outcomes(make("worker", certificate=high, **fields))
    for rule_id, outcome in before.items():
        if outcome == "pass":
            assert after[rule_id] == "pass", rule_id


community_fields = st.fixed_dictionaries(
    {},
    optional={
        "setting": st.sampled_from(["urban", "rural"]),
        "sw_professionals": counts,
        "sw_skilled_workers": counts,
        "certified_staff": counts,
        "special_group_projects": counts,
        "community_social_orgs": counts,
        "registered_volunteers": st.integers(0, 2000),
        "resident_population": st.integers(1, 10000),
        "community_fund": st.booleans(),
    },
)
complete_community = st.fixed_dictionaries(
    {
        "setting": st.sampled_from(["urban", "rural"]),
        "sw_professionals": counts,
        "sw_skilled_workers": counts,
        "certified_staff": counts,
        "special_group_projects": counts,
        "community_social_orgs": counts,
        "registered_volunteers": st.integers(0, 2000),
        "resident_population": st.integers(1, 10000),
        "community_fund": st.booleans(),
    }
)


@SETTINGS
@given(
    partial=community_fields,
    filler=complete_community,
    place=st.sampled_from(["361126", "330106"]),
    demonstration=st.booleans(),
    day=st.sampled_from(["2022-06-30", "2024-06-30", "2026-01-01"]),
)
def test_a_decided_outcome_never_depends_on_missing_data(
    partial, filler, place, demonstration, day
):
    """Filling in unknown fields never changes a decided outcome: no guessing."""
    known = make("community", jurisdiction=place, demonstration=demonstration, as_of=day, **partial)
    filled = make(
        "community",
        jurisdiction=place,
        demonstration=demonstration,
        as_of=day,
        **{**filler, **partial},
    )
    for rule_id, outcome in outcomes(known).items():
        if outcome in {"pass", "fail", "not_applicable", "pending"}:
            assert outcomes(filled)[rule_id] == outcome, rule_id


@SETTINGS
@given(year=st.integers(2010, 2030), value=st.integers(0, 300_000))
def test_targets_never_judge_before_their_first_milestone(year, value):
    region = make(
        "region",
        jurisdiction="330000",
        year=year,
        certified_workers=value,
        sw_posts=value,
        sw_orgs=value,
        supervisors=value,
        influential_orgs=value,
    )
    for rule_id, outcome in outcomes(region).items():
        if rule_id.startswith("zhejiang-2019.target"):
            assert (outcome == "pending") == (year < 2022), (rule_id, year)


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["10", "0", "-1", "x", "", "99.5"]),
            st.sampled_from(["5", "0", "-3", "y", ""]),
            st.sampled_from(["330106", "361126", "33010", ""]),
        ),
        max_size=30,
    )
)
def test_every_row_is_evaluated_or_rejected(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "b.csv"
    lines = ["id,jurisdiction,total_funds,labour_cost"]
    lines += [f"P-{i},{j},{t},{lab}" for i, (t, lab, j) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = RULEBOOK.check_files([path], as_of=AS_OF)
    [summary] = report.inputs
    assert summary.records == len(rows) == summary.evaluated + summary.rejected
    assert summary.evaluated == report.summary.records
    assert sorted(r.row for r in report.rejected) == sorted({r.row for r in report.rejected})


@given(
    numerator=st.integers(min_value=-(10**15), max_value=10**15),
    denominator=st.integers(min_value=1, max_value=10**12),
)
def test_ratio_text_is_exact_when_it_terminates_else_ten_significant_digits(numerator, denominator):
    from fractions import Fraction

    from sw_policy.engines.row.tree_walk import format_number

    value = Fraction(numerator, denominator)
    text = format_number(value)
    shown = Fraction(Decimal(text))
    reduced = value.denominator
    while reduced % 2 == 0:
        reduced //= 2
    while reduced % 5 == 0:
        reduced //= 5
    if reduced == 1:
        assert shown == value
    else:
        whole = len(str(abs(numerator) // denominator))
        assert len(Decimal(text).as_tuple().digits) == max(10, whole + 1)
        assert abs(shown - value) <= abs(value) / 10**9
