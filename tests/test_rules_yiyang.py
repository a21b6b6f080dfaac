"""Tests for the yiyang-2022 rules (弋民字〔2022〕183号), written from the plan's clauses."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import judge as judge_on
from conftest import make, outcome, param
from sw_policy.records import AMOUNT_MAX_WHOLE_DIGITS

COUNTY = "361126"
CITY = "361100"
PROVINCE = "360000"
OUTSIDE = [CITY, PROVINCE, "361127", "361102", "330106", "110105"]
ISSUED = "2022-12-15"
DAY_BEFORE_ISSUE = "2022-12-14"
DOC_NUMBER = "弋民字〔2022〕183号"

AFTER_ALL_MILESTONES = "2031-06-30"


def judge(rulebook, rule_id, record, as_of=None):
    """conftest.judge, with a region's figures judged once every milestone year has ended
    (Dates: a milestone is judged only from its 31 December on)."""
    if as_of is None:
        as_of = AFTER_ALL_MILESTONES if record.kind == "region" else "2024-06-30"
    return judge_on(rulebook, rule_id, record, as_of)


LABOUR = "yiyang-2022.labour-cost-share"
SKILLS = "yiyang-2022.community-sw-skills"
DEMO = "yiyang-2022.demo-community"
CERTIFIED = "yiyang-2022.target.certified-workers"
SUPERVISORS = "yiyang-2022.target.supervisors"
ORGS = "yiyang-2022.target.sw-organisations"
TARGETS = [CERTIFIED, SUPERVISORS, ORGS]
PROFESSIONALS = "yiyang-2022.target.sw-professionals"
BY_FIELD = "yiyang-2022.target.influential-orgs-by-field"
# The per-worker duties beyond the contract's table (stop 13): rules/tests/yiyang-2022.yaml.
WORKER_DUTIES = {
    "yiyang-2022.certificate-registration",
    "yiyang-2022.occupational-allowance",
    "yiyang-2022.social-insurance",
}
ALL_RULES = {LABOUR, SKILLS, DEMO, PROFESSIONALS, BY_FIELD, *TARGETS, *WORKER_DUTIES}

DEMO_PARTS = (
    "certified-staff",
    "special-group-projects",
    "community-fund",
    "community-social-orgs",
    "volunteers",
)
DEMO_LABELS = {
    "certified-staff": ("持证工作人员不少于2人", "at least 2 certified staff"),
    "special-group-projects": (
        "特殊人群服务项目不少于2个",
        "at least 2 special-group service projects",
    ),
    "community-fund": ("设立社区服务专项基金", "a community service fund is set up"),
    "community-social-orgs": ("社区社会组织不少于3支", "at least 3 community social organisations"),
    "volunteers": (
        "志愿者注册率达到常住人口10%",
        "registered volunteers at least 10% of residents",
    ),
}
DEMO_OK = {
    "demonstration": True,
    "certified_staff": 2,
    "special_group_projects": 2,
    "community_fund": True,
    "community_social_orgs": 3,
    "registered_volunteers": 500,
    "resident_population": 5000,
}
DEMO_BAD = {  # one failing value per part
    "certified-staff": {"certified_staff": 1},
    "special-group-projects": {"special_group_projects": 1},
    "community-fund": {"community_fund": False},
    "community-social-orgs": {"community_social_orgs": 2},
    "volunteers": {"registered_volunteers": 499},
}
ORG_OK = {"sw_orgs": 4, "hub_orgs": 1, "procurement_ready_orgs": 3}
ORG_LABELS = {
    "organisations": ("社会工作服务机构不少于4家", "at least 4 social-work service organisations"),
    "hub": (
        "县级枢纽型社工机构、行业组织不少于1家",
        "at least 1 county-level hub organisation or industry organisation",
    ),
    "procurement-ready": (
        "可承接政府购买服务的机构不少于3家",
        "at least 3 organisations able to take government contracts",
    ),
}
CERTIFIED_LABELS = {
    "count": ("持证社工总数突破80人", "more than 80 certified social workers"),
    "doubling": ("较2022年实现倍增", "at least double the 2022 figure"),
}


def _unmet_section(text, start, end):
    """The part of a message between its 'unmet' heading and its 'observed' heading."""
    if start not in text:
        return ""
    return text.split(start, 1)[1].split(end, 1)[0]


def _assert_names_unmet(finding, labels, unmet):
    """The message's unmet list names every unmet part's label, in both languages, and no other."""
    zh_list = _unmet_section(finding.message.zh, "未满足：", "实际：")
    en_list = _unmet_section(finding.message.en, "Unmet: ", "Observed: ")
    assert bool(zh_list) == bool(unmet)
    assert bool(en_list) == bool(unmet)
    for part, (zh, en) in labels.items():
        assert (zh in zh_list) == (part in unmet), (part, finding.message.zh)
        assert (en in en_list) == (part in unmet), (part, finding.message.en)


def test_rulebook_holds_exactly_the_eleven_yiyang_rules(rulebook):
    ids = {rule.id for rule in rulebook.rules if rule.id.startswith("yiyang-2022.")}
    assert ids == ALL_RULES
    assert len(ids) == 11


# ---------------------------------------------------------------- citations and severity


@pytest.mark.parametrize("rule_id", sorted(ALL_RULES))
def test_every_rule_cites_the_action_plan(rulebook, rule_id):
    citation = rulebook.citation(rule_id)
    assert citation.source_id == "yiyang-2022"
    assert citation.document_number == DOC_NUMBER
    assert citation.status == "in_force"
    assert citation.issued == ISSUED
    assert "弋阳县社会工作人才队伍建设三年行动计划" in citation.title
    assert citation.quote


@pytest.mark.parametrize(
    ("rule_id", "clause", "severity"),
    [
        (CERTIFIED, "一(二)", "target"),
        (SUPERVISORS, "一(二)", "target"),
        (ORGS, "一(二)", "target"),
        (SKILLS, "二(二)2", "mandatory"),
        (DEMO, "二(二)2", "mandatory"),
        (LABOUR, "二(三)2", "mandatory"),
    ],
)
def test_rule_clause_and_severity(rulebook, rule_id, clause, severity):
    assert rulebook.citation(rule_id).clause == clause
    assert rulebook.rule(rule_id).severity == severity


# ---------------------------------------------------------------- 二(三)2 labour-cost share


FLOOR = param(LABOUR, "min_share")
"""The floor as rules/yiyang-2022.yaml gives it (80% in the text)."""
CENT = Decimal("0.01")


def _at_floor(total: str) -> Decimal:
    """The smallest labour cost in cents that reaches the floor for `total`."""
    return (Decimal(total) * FLOOR).quantize(CENT, rounding=ROUND_UP)


def _under_floor(total: str) -> Decimal:
    """The largest labour cost in cents below the floor for `total`."""
    down = (Decimal(total) * FLOOR).quantize(CENT, rounding=ROUND_DOWN)
    return down - CENT if down == Decimal(total) * FLOOR else down


@pytest.mark.parametrize(
    ("total_funds", "labour_cost", "expected"),
    [
        ("1000000.00", _at_floor("1000000.00"), "pass"),  # exactly the floor: 不低于 includes it
        ("1000000.00", _at_floor("1000000.00") + CENT, "pass"),
        ("1000000.00", _under_floor("1000000.00"), "fail"),
        ("1000000.00", "1000000.00", "pass"),
        ("1000000.00", "0", "fail"),
        ("333333.33", _at_floor("333333.33"), "pass"),  # 0.80000000… at 0.80
        ("333333.33", _under_floor("333333.33"), "fail"),  # 0.79999999… at 0.80
        ("10", _at_floor("10"), "pass"),
        ("10", _under_floor("10"), "fail"),
        ("0.01", "0.01", "pass"),
    ],
)
def test_labour_cost_share_at_least_the_floor(rulebook, total_funds, labour_cost, expected):
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=COUNTY,
        total_funds=total_funds,
        labour_cost=str(labour_cost),
    )
    assert got == expected


def test_labour_cost_share_exact_floor_finding_details(rulebook):
    finding = judge(
        rulebook,
        LABOUR,
        make(
            "budget",
            jurisdiction=COUNTY,
            total_funds="1000000.00",
            labour_cost=str(_at_floor("1000000.00")),
        ),
    )
    assert finding.outcome == "pass"
    assert finding.severity == "mandatory"
    assert Decimal(finding.observed["labour_cost_share"]) == FLOOR
    assert finding.expected == f"≥ {FLOOR}"
    assert finding.citation.document_number == DOC_NUMBER
    assert finding.citation.clause == "二(三)2"
    quote = "".join(finding.citation.quote.split())
    assert "不低于项目经费的80%" in quote


def test_labour_cost_share_one_cent_short_fails(rulebook):
    finding = judge(
        rulebook,
        LABOUR,
        make(
            "budget",
            jurisdiction=COUNTY,
            total_funds="1000000.00",
            labour_cost=str(_under_floor("1000000.00")),
        ),
    )
    assert finding.outcome == "fail"
    assert Decimal(finding.observed["labour_cost_share"]) == FLOOR - Decimal("0.00000001")
    assert "不符合" in finding.message.zh
    assert "Does not meet" in finding.message.en


@pytest.mark.parametrize(
    ("fields", "missing"),
    [({"total_funds": "1000000.00"}, "labour_cost"), ({"labour_cost": "800000.00"}, "total_funds")],
)
def test_labour_cost_share_missing_money_is_insufficient(rulebook, fields, missing):
    finding = judge(rulebook, LABOUR, make("budget", jurisdiction=COUNTY, **fields))
    assert finding.outcome == "insufficient_data"
    assert finding.observed[missing] is None
    assert missing in finding.message.en


@pytest.mark.parametrize("jurisdiction", OUTSIDE)
def test_labour_cost_share_county_code_only(rulebook, jurisdiction):
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=jurisdiction,
        total_funds="100.00",
        labour_cost="10.00",
    )
    assert got == "not_applicable"


def test_labour_cost_share_not_applicable_before_issue_date(rulebook):
    fields = {"jurisdiction": COUNTY, "total_funds": "100.00", "labour_cost": "10.00"}
    assert outcome(rulebook, LABOUR, "budget", as_of=DAY_BEFORE_ISSUE, **fields) == "not_applicable"
    assert outcome(rulebook, LABOUR, "budget", as_of=ISSUED, **fields) == "fail"


AMOUNT_CEILING = Decimal(10) ** AMOUNT_MAX_WHOLE_DIGITS  # the documented amount range
_cents = st.integers(min_value=1, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2))
_shares = st.decimals(min_value=0, max_value=2, places=6)


@settings(max_examples=200, deadline=None)
@given(total_funds=_cents, share=_shares, factor=st.integers(min_value=1, max_value=10**6))
def test_labour_cost_share_property_exact_and_scale_free(rulebook, total_funds, share, factor):
    labour_cost = (total_funds * share).quantize(Decimal("0.01"))
    assume(max(total_funds, labour_cost) * factor < AMOUNT_CEILING)  # the documented range
    expected = "pass" if labour_cost * 1 >= total_funds * FLOOR else "fail"
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=COUNTY,
        total_funds=str(total_funds),
        labour_cost=str(labour_cost),
    )
    assert got == expected
    scaled = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=COUNTY,
        total_funds=str(total_funds * factor),
        labour_cost=str(labour_cost * factor),
    )
    assert scaled == got


@settings(max_examples=200, deadline=None)
@given(total_funds=_cents, nudge=st.sampled_from(["-0.01", "0", "0.01"]))
def test_labour_cost_share_property_near_the_floor(rulebook, total_funds, nudge):
    labour_cost = max((total_funds * FLOOR).quantize(Decimal("0.01")) + Decimal(nudge), Decimal(0))
    expected = "pass" if labour_cost >= total_funds * FLOOR else "fail"
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=COUNTY,
        total_funds=str(total_funds),
        labour_cost=str(labour_cost),
    )
    assert got == expected


# ---------------------------------------------------------------- 一(二) certified workers


@pytest.mark.parametrize(
    ("year", "certified", "prev", "expected", "unmet"),
    [
        (2023, 81, 40, "pass", ()),
        (2023, 100, 50, "pass", ()),  # exactly double
        (2023, 80, 40, "fail", ("count",)),  # 突破80: 80 falls short
        (2023, 90, 50, "fail", ("doubling",)),
        (2023, 99, 50, "fail", ("doubling",)),
        (2023, 80, 50, "fail", ("count", "doubling")),
        (2023, 0, 0, "fail", ("count",)),
        (2024, 81, 40, "pass", ()),  # between milestones: the 2023 level carried forward
        (2024, 90, 50, "pass", ()),  # 较2022年实现倍增 is 2023's only: no doubling of 2023
        (2024, 80, 40, "fail", ("count",)),
        (2025, 150, None, "fail", ()),  # 超过150: 150 falls short
        (2025, 151, None, "pass", ()),
        (2025, 151, 1000, "pass", ()),  # the 2025 milestone ignores the previous year
        (2025, 150, 10, "fail", ()),
        (2026, 151, None, "pass", ()),
        (2030, 100, None, "fail", ()),
    ],
)
def test_certified_workers_milestones(rulebook, year, certified, prev, expected, unmet):
    record = make(
        "region",
        jurisdiction=COUNTY,
        year=year,
        certified_workers=certified,
        certified_workers_prev_year=prev,
    )
    finding = judge(rulebook, CERTIFIED, record)
    assert finding.outcome == expected
    assert finding.unmet == unmet
    assert finding.severity == "target"


@pytest.mark.parametrize(
    ("certified", "prev", "unmet"),
    [
        (80, 40, ("count",)),
        (90, 50, ("doubling",)),
        (80, 50, ("count", "doubling")),
        (81, 40, ()),
    ],
)
def test_certified_workers_2023_message_names_only_unmet_parts(rulebook, certified, prev, unmet):
    record = make(
        "region",
        jurisdiction=COUNTY,
        year=2023,
        certified_workers=certified,
        certified_workers_prev_year=prev,
    )
    finding = judge(rulebook, CERTIFIED, record)
    assert finding.unmet == unmet
    _assert_names_unmet(finding, CERTIFIED_LABELS, unmet)


def test_certified_workers_2023_expected_and_observed(rulebook):
    record = make(
        "region",
        jurisdiction=COUNTY,
        year=2023,
        certified_workers=90,
        certified_workers_prev_year=50,
    )
    finding = judge(rulebook, CERTIFIED, record)
    assert finding.expected.startswith("2023: ")
    assert "> 80" in finding.expected
    assert "2 × certified_workers_prev_year" in finding.expected
    assert finding.observed["certified_workers"] == 90
    assert finding.observed["certified_workers_prev_year"] == 50
    assert Decimal(finding.observed["doubled_prev_year"]) == 100


def test_certified_workers_2025_expected(rulebook):
    record = make("region", jurisdiction=COUNTY, year=2025, certified_workers=150)
    finding = judge(rulebook, CERTIFIED, record)
    assert finding.outcome == "fail"
    assert finding.expected == "2025: > 150"
    assert finding.observed["certified_workers"] == 150


@pytest.mark.parametrize("year", [2020, 2021, 2022])
def test_certified_workers_pending_before_2023(rulebook, year):
    record = make(
        "region",
        jurisdiction=COUNTY,
        year=year,
        certified_workers=10,
        certified_workers_prev_year=9,
    )
    finding = judge(rulebook, CERTIFIED, record)
    assert finding.outcome == "pending"
    assert "2023" in finding.message.zh
    assert "2023" in finding.message.en


@pytest.mark.parametrize(
    ("year", "fields", "missing"),
    [
        (2023, {"certified_workers": 81}, "certified_workers_prev_year"),
        (2023, {"certified_workers_prev_year": 40}, "certified_workers"),
        # 2024 carries the 2023 level (> 80): the previous year is not needed, the count is.
        (2024, {"certified_workers_prev_year": 40}, "certified_workers"),
        (2025, {"certified_workers_prev_year": 40}, "certified_workers"),
        (2025, {}, "certified_workers"),
    ],
)
def test_certified_workers_missing_figure_is_insufficient(rulebook, year, fields, missing):
    finding = judge(rulebook, CERTIFIED, make("region", jurisdiction=COUNTY, year=year, **fields))
    assert finding.outcome == "insufficient_data"
    assert missing in finding.message.en


def test_certified_workers_known_failure_beats_missing_previous_year(rulebook):
    # count fails (80 is not more than 80); the unknown doubling cannot rescue it.
    record = make("region", jurisdiction=COUNTY, year=2023, certified_workers=80)
    finding = judge(rulebook, CERTIFIED, record)
    assert finding.outcome == "fail"
    assert finding.unmet == ("count",)


# ---------------------------------------------------------------- 一(二) supervisors


@pytest.mark.parametrize(
    ("year", "supervisors", "expected"),
    [
        (2025, 8, "fail"),  # 超过8: 8 falls short
        (2025, 9, "pass"),
        (2025, 0, "fail"),
        (2026, 8, "fail"),
        (2026, 9, "pass"),
        (2024, 8, "pending"),
        (2024, 100, "pending"),
        (2023, 0, "pending"),
    ],
)
def test_supervisors_more_than_8_by_2025(rulebook, year, supervisors, expected):
    finding = judge(
        rulebook,
        SUPERVISORS,
        make("region", jurisdiction=COUNTY, year=year, supervisors=supervisors),
    )
    assert finding.outcome == expected
    assert finding.expected == "2025: > 8"
    assert finding.severity == "target"


def test_supervisors_missing_is_insufficient(rulebook):
    finding = judge(rulebook, SUPERVISORS, make("region", jurisdiction=COUNTY, year=2025))
    assert finding.outcome == "insufficient_data"
    assert finding.observed["supervisors"] is None


# ---------------------------------------------------------------- 一(二) organisations


@pytest.mark.parametrize(
    ("overrides", "expected", "unmet"),
    [
        ({}, "pass", ()),
        ({"sw_orgs": 10, "hub_orgs": 2, "procurement_ready_orgs": 5}, "pass", ()),
        ({"sw_orgs": 3}, "fail", ("organisations",)),
        ({"hub_orgs": 0}, "fail", ("hub",)),
        ({"procurement_ready_orgs": 2}, "fail", ("procurement-ready",)),
        (
            {"sw_orgs": 3, "procurement_ready_orgs": 2},
            "fail",
            ("organisations", "procurement-ready"),
        ),
        (
            {"sw_orgs": 3, "hub_orgs": 0, "procurement_ready_orgs": 2},
            "fail",
            ("organisations", "hub", "procurement-ready"),
        ),
    ],
)
def test_sw_organisations_2025(rulebook, overrides, expected, unmet):
    record = make("region", jurisdiction=COUNTY, year=2025, **{**ORG_OK, **overrides})
    finding = judge(rulebook, ORGS, record)
    assert finding.outcome == expected
    assert finding.unmet == unmet
    assert finding.severity == "target"
    assert finding.expected == "2025: sw_orgs ≥ 4 and hub_orgs ≥ 1 and procurement_ready_orgs ≥ 3"
    _assert_names_unmet(finding, ORG_LABELS, unmet)


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_sw_organisations_pending_before_2025(rulebook, year):
    record = make("region", jurisdiction=COUNTY, year=year, sw_orgs=0, hub_orgs=0)
    assert judge(rulebook, ORGS, record).outcome == "pending"


@pytest.mark.parametrize("missing", list(ORG_OK))
def test_sw_organisations_missing_figure_is_insufficient(rulebook, missing):
    fields = {k: v for k, v in ORG_OK.items() if k != missing}
    finding = judge(rulebook, ORGS, make("region", jurisdiction=COUNTY, year=2025, **fields))
    assert finding.outcome == "insufficient_data"
    assert finding.observed[missing] is None


def test_sw_organisations_known_failure_beats_missing_figure(rulebook):
    record = make("region", jurisdiction=COUNTY, year=2025, sw_orgs=3, hub_orgs=1)
    finding = judge(rulebook, ORGS, record)
    assert finding.outcome == "fail"
    assert finding.unmet == ("organisations",)


# ---------------------------------------------------------------- targets: scope and dates


TARGET_FULL = {
    CERTIFIED: {"certified_workers": 10, "certified_workers_prev_year": 10},
    SUPERVISORS: {"supervisors": 0},
    ORGS: {"sw_orgs": 0, "hub_orgs": 0, "procurement_ready_orgs": 0},
}


@pytest.mark.parametrize("rule_id", TARGETS)
@pytest.mark.parametrize("jurisdiction", OUTSIDE)
def test_county_target_only_for_the_exact_county_code(rulebook, rule_id, jurisdiction):
    record = make("region", jurisdiction=jurisdiction, year=2025, **TARGET_FULL[rule_id])
    finding = judge(rulebook, rule_id, record)
    assert finding.outcome == "not_applicable"


@pytest.mark.parametrize("rule_id", TARGETS)
def test_county_target_fails_on_the_county_code(rulebook, rule_id):
    record = make("region", jurisdiction=COUNTY, year=2025, **TARGET_FULL[rule_id])
    assert judge(rulebook, rule_id, record).outcome == "fail"


@pytest.mark.parametrize("rule_id", TARGETS)
def test_county_target_not_applicable_before_issue_date(rulebook, rule_id):
    record = make("region", jurisdiction=COUNTY, year=2025, **TARGET_FULL[rule_id])
    assert judge(rulebook, rule_id, record, DAY_BEFORE_ISSUE).outcome == "not_applicable"
    # In force from the issue date, but figures wait for their milestone year to end.
    assert judge(rulebook, rule_id, record, ISSUED).outcome == "pending"
    assert judge(rulebook, rule_id, record, AFTER_ALL_MILESTONES).outcome == "fail"


# ---------------------------------------------------------------- 二(二)2 community skills


@pytest.mark.parametrize("setting", ["urban", "rural"])
@pytest.mark.parametrize(
    ("skilled", "expected"),
    [(0, "fail"), (1, "pass"), (5, "pass")],
)
def test_community_sw_skills_at_least_one_after_deadline(rulebook, setting, skilled, expected):
    record = make("community", jurisdiction=COUNTY, setting=setting, sw_skilled_workers=skilled)
    finding = judge(rulebook, SKILLS, record, "2025-12-31")
    assert finding.outcome == expected
    assert finding.observed["sw_skilled_workers"] == skilled
    assert finding.expected == "≥ 1"
    assert finding.severity == "mandatory"


@pytest.mark.parametrize(
    ("as_of", "skilled", "expected"),
    [
        (ISSUED, 0, "pending"),
        ("2024-06-30", 0, "pending"),
        ("2025-12-30", 0, "pending"),
        ("2025-12-30", 3, "pending"),  # pending before the deadline even when met
        ("2025-12-31", 0, "fail"),
        ("2025-12-31", 1, "pass"),
        ("2026-01-01", 0, "fail"),
    ],
)
def test_community_sw_skills_deadline_end_of_2025(rulebook, as_of, skilled, expected):
    record = make("community", jurisdiction=COUNTY, setting="rural", sw_skilled_workers=skilled)
    assert judge(rulebook, SKILLS, record, as_of).outcome == expected


def test_community_sw_skills_pending_message_names_deadline(rulebook):
    record = make("community", jurisdiction=COUNTY, setting="urban", sw_skilled_workers=0)
    finding = judge(rulebook, SKILLS, record, "2025-12-30")
    assert "2025-12-31" in finding.message.zh
    assert "2025-12-31" in finding.message.en


def test_community_sw_skills_missing_count_is_insufficient(rulebook):
    record = make("community", jurisdiction=COUNTY, setting="urban")
    finding = judge(rulebook, SKILLS, record, "2025-12-31")
    assert finding.outcome == "insufficient_data"
    assert finding.observed["sw_skilled_workers"] is None


@pytest.mark.parametrize("jurisdiction", OUTSIDE)
def test_community_sw_skills_county_code_only(rulebook, jurisdiction):
    record = make("community", jurisdiction=jurisdiction, setting="rural", sw_skilled_workers=0)
    assert judge(rulebook, SKILLS, record, "2025-12-31").outcome == "not_applicable"


def test_community_sw_skills_not_applicable_before_issue_date(rulebook):
    record = make("community", jurisdiction=COUNTY, setting="rural", sw_skilled_workers=0)
    assert judge(rulebook, SKILLS, record, DAY_BEFORE_ISSUE).outcome == "not_applicable"


# ---------------------------------------------------------------- 二(二)2 demonstration community


def _demo(**overrides):
    fields = {**DEMO_OK, **overrides}
    fields = {k: v for k, v in fields.items() if v is not None}
    return make("community", jurisdiction=COUNTY, **fields)


def test_demo_community_all_five_conditions_pass(rulebook):
    finding = judge(rulebook, DEMO, _demo())
    assert finding.outcome == "pass"
    assert finding.unmet == ()
    assert finding.severity == "mandatory"
    assert finding.observed["volunteer_registration_rate"] == "0.1"
    assert finding.citation.document_number == DOC_NUMBER
    assert finding.citation.clause == "二(二)2"


@pytest.mark.parametrize("part", DEMO_PARTS)
def test_demo_community_each_condition_fails_alone(rulebook, part):
    finding = judge(rulebook, DEMO, _demo(**DEMO_BAD[part]))
    assert finding.outcome == "fail"
    assert finding.unmet == (part,)
    _assert_names_unmet(finding, DEMO_LABELS, (part,))


def test_demo_community_failure_lists_every_unmet_part_in_order(rulebook):
    bad = {k: v for part in DEMO_PARTS for k, v in DEMO_BAD[part].items()}
    finding = judge(rulebook, DEMO, _demo(**bad))
    assert finding.outcome == "fail"
    assert finding.unmet == DEMO_PARTS
    _assert_names_unmet(finding, DEMO_LABELS, DEMO_PARTS)
    zh_list = _unmet_section(finding.message.zh, "未满足：", "实际：")
    en_list = _unmet_section(finding.message.en, "Unmet: ", "Observed: ")
    zh_positions = [zh_list.index(DEMO_LABELS[p][0]) for p in DEMO_PARTS]
    en_positions = [en_list.index(DEMO_LABELS[p][1]) for p in DEMO_PARTS]
    assert zh_positions == sorted(zh_positions)
    assert en_positions == sorted(en_positions)


def test_demo_community_two_unmet_parts(rulebook):
    finding = judge(rulebook, DEMO, _demo(certified_staff=0, registered_volunteers=0))
    assert finding.unmet == ("certified-staff", "volunteers")
    _assert_names_unmet(finding, DEMO_LABELS, ("certified-staff", "volunteers"))


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("certified_staff", 2, "pass"),
        ("certified_staff", 1, "fail"),
        ("special_group_projects", 2, "pass"),
        ("special_group_projects", 1, "fail"),
        ("community_social_orgs", 3, "pass"),
        ("community_social_orgs", 2, "fail"),
        ("community_fund", True, "pass"),
        ("community_fund", False, "fail"),
    ],
)
def test_demo_community_count_boundaries(rulebook, field, value, expected):
    assert judge(rulebook, DEMO, _demo(**{field: value})).outcome == expected


@pytest.mark.parametrize(
    ("volunteers", "population", "expected"),
    [
        (500, 5000, "pass"),  # exactly 10%: 达到 includes it
        (499, 5000, "fail"),
        (501, 5000, "pass"),
        (1, 10, "pass"),
        (0, 10, "fail"),
        (333, 3330, "pass"),
        (333, 3331, "fail"),
        (5000, 5000, "pass"),
    ],
)
def test_demo_community_volunteer_rate_at_least_10_percent(
    rulebook, volunteers, population, expected
):
    finding = judge(
        rulebook,
        DEMO,
        _demo(registered_volunteers=volunteers, resident_population=population),
    )
    assert finding.outcome == expected
    assert finding.unmet == (() if expected == "pass" else ("volunteers",))


def test_demo_community_499_of_5000_observed_rate(rulebook):
    finding = judge(rulebook, DEMO, _demo(registered_volunteers=499))
    assert Decimal(finding.observed["volunteer_registration_rate"]) == Decimal("0.0998")


@pytest.mark.parametrize(
    "missing",
    [
        "resident_population",
        "registered_volunteers",
        "certified_staff",
        "special_group_projects",
        "community_fund",
        "community_social_orgs",
    ],
)
def test_demo_community_missing_input_is_insufficient_when_the_rest_pass(rulebook, missing):
    finding = judge(rulebook, DEMO, _demo(**{missing: None}))
    assert finding.outcome == "insufficient_data"
    assert finding.observed[missing] is None
    assert missing in finding.message.en


def test_demo_community_zero_population_is_insufficient(rulebook):
    assert judge(rulebook, DEMO, _demo(resident_population=0)).outcome == "insufficient_data"


@pytest.mark.parametrize("part", [p for p in DEMO_PARTS if p != "volunteers"])
def test_demo_community_known_failure_beats_missing_population(rulebook, part):
    # Kleene logic: a false part makes the conjunction false whatever the unknown is.
    finding = judge(rulebook, DEMO, _demo(resident_population=None, **DEMO_BAD[part]))
    assert finding.outcome == "fail"
    assert finding.unmet == (part,)


def test_demo_community_fund_false_with_population_missing_fails(rulebook):
    finding = judge(rulebook, DEMO, _demo(community_fund=False, resident_population=None))
    assert finding.outcome == "fail"
    assert finding.unmet == ("community-fund",)


@pytest.mark.parametrize("demonstration", [False, None])
def test_demo_community_only_for_demonstration_communities(rulebook, demonstration):
    bad = {k: v for part in DEMO_PARTS for k, v in DEMO_BAD[part].items()}
    finding = judge(rulebook, DEMO, _demo(demonstration=demonstration, **bad))
    assert finding.outcome == "not_applicable"


@pytest.mark.parametrize("jurisdiction", OUTSIDE)
def test_demo_community_county_code_only(rulebook, jurisdiction):
    record = make("community", jurisdiction=jurisdiction, **DEMO_OK)
    assert judge(rulebook, DEMO, record).outcome == "not_applicable"


def test_demo_community_not_applicable_before_issue_date(rulebook):
    assert judge(rulebook, DEMO, _demo(), DAY_BEFORE_ISSUE).outcome == "not_applicable"
    assert judge(rulebook, DEMO, _demo(), ISSUED).outcome == "pass"


@settings(max_examples=200, deadline=None)
@given(
    population=st.integers(min_value=1, max_value=10**7),
    fraction=st.fractions(min_value=0, max_value=1),
)
def test_demo_community_volunteer_rate_property(rulebook, population, fraction):
    volunteers = int(population * fraction)
    expected = "pass" if volunteers * 10 >= population else "fail"
    finding = judge(
        rulebook,
        DEMO,
        _demo(registered_volunteers=volunteers, resident_population=population),
    )
    assert finding.outcome == expected
