"""Tests for the zhejiang-2019-draft rules, written from the draft's clauses and the contract."""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_UP, Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from conftest import judge, make, outcome, param
from sw_policy.records import AMOUNT_MAX_WHOLE_DIGITS

PROVINCE = "330000"
CITY = "330100"
DISTRICT = "330106"
OUTSIDE = ["110105", "210100"]
ISSUED = "2019-06-18"
DAY_BEFORE_ISSUE = "2019-06-17"

LABOUR = "zhejiang-2019.labour-cost-share"
TRAINING = "zhejiang-2019.training-120h"
CERT = "zhejiang-2019.post-certificate"
PI = "public_institution"
TITLE = "zhejiang-2019.post-title-level"
REGISTRATION = "zhejiang-2019.registration"
STAFFING = "zhejiang-2019.community-staffing"
POST_SHARE = "zhejiang-2019.institution-post-share"

# rule id, region field, 2022 figure (达到 / 培养 / 打造: at least)
TARGETS = [
    ("zhejiang-2019.target.certified-workers", "certified_workers", 100000),
    ("zhejiang-2019.target.sw-posts", "sw_posts", 60000),
    ("zhejiang-2019.target.sw-organisations", "sw_orgs", 1600),
    ("zhejiang-2019.target.supervisors", "supervisors", 800),
    ("zhejiang-2019.target.influential-organisations", "influential_orgs", 20),
]
TARGET_IDS = [rule_id for rule_id, _, _ in TARGETS]

ALL_RULES = {
    LABOUR,
    TRAINING,
    CERT,
    TITLE,
    REGISTRATION,
    STAFFING,
    POST_SHARE,
    *TARGET_IDS,
    # Per-worker duties of 二(六) beyond the contract's table (stop 13).
    "zhejiang-2019.social-insurance",
    "zhejiang-2019.occupational-allowance",
}

CERT_RANK = {"none": 0, "assistant": 1, "intermediate": 2, "senior": 3}
REQUIRED_CERT = {
    5: "senior",
    6: "senior",
    7: "senior",
    8: "intermediate",
    9: "intermediate",
    10: "intermediate",
    11: "assistant",
    12: "assistant",
}
TITLE_LEVELS = {
    "高级社会工作师一级": 5,
    "高级社会工作师二级": 6,
    "高级社会工作师三级": 7,
    "社会工作师一级": 8,
    "社会工作师二级": 9,
    "社会工作师三级": 10,
    "助理社会工作师一级": 11,
    "助理社会工作师二级": 12,
}
# 公益慈善类社会组织…等: social-work service organisations are charitable social organisations.
ELIGIBLE_EMPLOYERS = [
    "urban_community",
    "rural_community",
    "public_institution",
    "charity_org",
    "sw_service_org",
]
INELIGIBLE_EMPLOYERS = ["enterprise", "government", "other"]


def test_rulebook_holds_exactly_the_fourteen_zhejiang_rules(rulebook):
    ids = {rule.id for rule in rulebook.rules if rule.id.startswith("zhejiang-2019.")}
    assert ids == ALL_RULES
    assert len(ids) == 14


# ---------------------------------------------------------------- citations and severity


@pytest.mark.parametrize("rule_id", sorted(ALL_RULES))
def test_every_rule_cites_the_draft(rulebook, rule_id):
    citation = rulebook.citation(rule_id)
    assert citation.source_id == "zhejiang-2019-draft"
    assert citation.status == "draft"
    assert citation.issued == ISSUED
    assert citation.document_number is None
    assert "征求意见稿" in citation.title
    assert citation.quote


@pytest.mark.parametrize(
    ("rule_id", "clause"),
    [
        (LABOUR, "二(六)"),
        (TRAINING, "二(三)"),
        (REGISTRATION, "二(五)"),
        (STAFFING, "三(七)"),
        (POST_SHARE, "三(七)"),
        (CERT, "三(八)"),
        (TITLE, "三(八)"),
        ("zhejiang-2019.target.certified-workers", "一(二)"),
        ("zhejiang-2019.target.sw-posts", "一(二)"),
        ("zhejiang-2019.target.sw-organisations", "一(二)"),
        ("zhejiang-2019.target.supervisors", "二(三)"),
        ("zhejiang-2019.target.influential-organisations", "三(九)"),
    ],
)
def test_rule_cites_its_clause(rulebook, rule_id, clause):
    assert rulebook.citation(rule_id).clause == clause


@pytest.mark.parametrize(
    ("rule_id", "severity"),
    [
        (LABOUR, "mandatory"),
        (TRAINING, "mandatory"),
        (REGISTRATION, "mandatory"),
        (STAFFING, "mandatory"),
        (CERT, "mandatory"),
        (TITLE, "mandatory"),
        (POST_SHARE, "target"),
        *[(rule_id, "target") for rule_id in TARGET_IDS],
    ],
)
def test_rule_severity(rulebook, rule_id, severity):
    assert rulebook.rule(rule_id).severity == severity


# ---------------------------------------------------------------- 二(六) labour-cost share


CAP = param(LABOUR, "max_share")
"""The cap as rules/zhejiang-2019-draft.yaml gives it (0.70 in the draft's text)."""
CENT = Decimal("0.01")


def _at_cap(total: str, rounding: str = ROUND_DOWN) -> Decimal:
    """The labour cost at the cap for `total`, to the cent (down: the largest that passes)."""
    return (Decimal(total) * CAP).quantize(CENT, rounding=rounding)


def _over_cap(total: str) -> Decimal:
    """The smallest labour cost in cents above the cap for `total`."""
    up = _at_cap(total, ROUND_UP)
    return up + CENT if up == Decimal(total) * CAP else up


@pytest.mark.parametrize(
    ("total_funds", "labour_cost", "expected"),
    [
        ("1000000.00", _at_cap("1000000.00"), "pass"),  # exactly the cap: 不超过 includes it
        ("1000000.00", _at_cap("1000000.00") - CENT, "pass"),
        ("1000000.00", _over_cap("1000000.00"), "fail"),
        ("333333.33", _at_cap("333333.33"), "pass"),  # 0.69999999699… at 0.70
        ("333333.33", _over_cap("333333.33"), "fail"),  # 0.70000002700… at 0.70
        ("1000000.00", "0", "pass"),
        ("1000000.00", "0.00", "pass"),
        ("100.00", "100.00", "fail"),
        ("100.00", "150.00", "fail"),
        ("0.01", "0.00", "pass"),
        ("10", _at_cap("10"), "pass"),
        ("10", _over_cap("10"), "fail"),
    ],
)
def test_labour_cost_share_at_most_the_cap(rulebook, total_funds, labour_cost, expected):
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=DISTRICT,
        total_funds=total_funds,
        labour_cost=str(labour_cost),
    )
    assert got == expected


def test_labour_cost_share_exact_limit_finding_details(rulebook):
    finding = judge(
        rulebook,
        LABOUR,
        make(
            "budget",
            jurisdiction=DISTRICT,
            total_funds="1000000.00",
            labour_cost=str(_at_cap("1000000.00")),
        ),
    )
    assert finding.outcome == "pass"
    assert finding.severity == "mandatory"
    assert finding.kind == "budget"
    assert finding.rule_id == LABOUR
    assert Decimal(finding.observed["labour_cost_share"]) == CAP
    assert finding.observed["labour_cost"] == str(_at_cap("1000000.00"))
    assert finding.observed["total_funds"] == "1000000.00"
    assert finding.expected == f"≤ {CAP}"
    assert finding.unmet == ()
    assert finding.citation.source_id == "zhejiang-2019-draft"
    assert finding.citation.clause == "二(六)"
    assert finding.citation.status == "draft"
    assert "不超过项目经费的70%" in finding.citation.quote  # the source's words, not the figure


def test_labour_cost_share_one_cent_over_fails_with_exact_share(rulebook):
    finding = judge(
        rulebook,
        LABOUR,
        make(
            "budget",
            jurisdiction=DISTRICT,
            total_funds="1000000.00",
            labour_cost=str(_over_cap("1000000.00")),
        ),
    )
    assert finding.outcome == "fail"
    assert Decimal(finding.observed["labour_cost_share"]) == CAP + Decimal("0.00000001")
    assert finding.expected == f"≤ {CAP}"
    assert "不符合" in finding.message.zh
    assert "Does not meet" in finding.message.en


def test_labour_cost_share_uses_exact_decimals_not_floats(rulebook):
    passing = judge(
        rulebook,
        LABOUR,
        make(
            "budget",
            jurisdiction=DISTRICT,
            total_funds="333333.33",
            labour_cost=str(_at_cap("333333.33")),
        ),
    )
    failing = judge(
        rulebook,
        LABOUR,
        make(
            "budget",
            jurisdiction=DISTRICT,
            total_funds="333333.33",
            labour_cost=str(_over_cap("333333.33")),
        ),
    )
    assert passing.outcome == "pass"
    assert failing.outcome == "fail"
    assert Decimal(passing.observed["labour_cost_share"]) < CAP
    assert Decimal(failing.observed["labour_cost_share"]) > CAP


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"total_funds": "1000000.00"}, "labour_cost"),
        ({"labour_cost": "700000.00"}, "total_funds"),
        ({}, "labour_cost"),
    ],
)
def test_labour_cost_share_missing_money_is_insufficient(rulebook, fields, missing):
    finding = judge(rulebook, LABOUR, make("budget", jurisdiction=DISTRICT, **fields))
    assert finding.outcome == "insufficient_data"
    assert finding.observed[missing] is None
    assert missing in finding.message.en


@pytest.mark.parametrize("jurisdiction", [PROVINCE, CITY, DISTRICT, "330782"])
def test_labour_cost_share_covers_every_code_in_zhejiang(rulebook, jurisdiction):
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=jurisdiction,
        total_funds="100.00",
        labour_cost=str(_over_cap("100.00")),
    )
    assert got == "fail"


@pytest.mark.parametrize("jurisdiction", [*OUTSIDE, "320106", "340000", "361126"])
def test_labour_cost_share_not_applicable_outside_zhejiang(rulebook, jurisdiction):
    finding = judge(
        rulebook,
        LABOUR,
        make("budget", jurisdiction=jurisdiction, total_funds="100.00", labour_cost="99.00"),
    )
    assert finding.outcome == "not_applicable"
    assert jurisdiction in finding.message.en


def test_labour_cost_share_not_applicable_before_issue_date(rulebook):
    fields = {"jurisdiction": DISTRICT, "total_funds": "100.00", "labour_cost": "99.00"}
    assert outcome(rulebook, LABOUR, "budget", as_of=DAY_BEFORE_ISSUE, **fields) == "not_applicable"
    assert outcome(rulebook, LABOUR, "budget", as_of=ISSUED, **fields) == "fail"


def test_labour_cost_share_record_as_of_overrides_run_date(rulebook):
    record = make(
        "budget",
        jurisdiction=DISTRICT,
        as_of=DAY_BEFORE_ISSUE,
        total_funds="100.00",
        labour_cost="99.00",
    )
    assert judge(rulebook, LABOUR, record, "2024-06-30").outcome == "not_applicable"


AMOUNT_CEILING = Decimal(10) ** AMOUNT_MAX_WHOLE_DIGITS  # the documented amount range
_cents = st.integers(min_value=1, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2))
_shares = st.decimals(min_value=0, max_value=2, places=6)


@settings(max_examples=200, deadline=None)
@given(total_funds=_cents, share=_shares, factor=st.integers(min_value=1, max_value=10**6))
def test_labour_cost_share_property_exact_and_scale_free(rulebook, total_funds, share, factor):
    labour_cost = (total_funds * share).quantize(Decimal("0.01"))
    assume(max(total_funds, labour_cost) * factor < AMOUNT_CEILING)  # the documented range
    expected = "pass" if labour_cost * 1 <= total_funds * CAP else "fail"
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=DISTRICT,
        total_funds=str(total_funds),
        labour_cost=str(labour_cost),
    )
    assert got == expected
    scaled = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=DISTRICT,
        total_funds=str(total_funds * factor),
        labour_cost=str(labour_cost * factor),
    )
    assert scaled == got


@settings(max_examples=200, deadline=None)
@given(total_funds=_cents, nudge=st.sampled_from(["-0.01", "0", "0.01"]))
def test_labour_cost_share_property_near_the_limit(rulebook, total_funds, nudge):
    labour_cost = (total_funds * CAP).quantize(Decimal("0.01")) + Decimal(nudge)
    if labour_cost < 0:
        labour_cost = Decimal("0.00")
    expected = "pass" if labour_cost <= total_funds * CAP else "fail"
    got = outcome(
        rulebook,
        LABOUR,
        "budget",
        jurisdiction=DISTRICT,
        total_funds=str(total_funds),
        labour_cost=str(labour_cost),
    )
    assert got == expected


# ---------------------------------------------------------------- 二(三) 120 training hours


def _trainee(employer_type="charity_org", **fields):
    return make("worker", jurisdiction=DISTRICT, employer_type=employer_type, **fields)


@pytest.mark.parametrize(
    ("as_of", "hours", "expected"),
    [
        ("2022-12-30", "0", "pending"),
        ("2022-12-30", "119.5", "pending"),
        ("2022-12-30", "200", "pending"),  # pending before the deadline even when met
        ("2020-01-01", "0", "pending"),
        ("2022-12-31", "119.5", "fail"),
        ("2022-12-31", "120", "pass"),
        ("2023-01-01", "119.5", "fail"),  # under 120 even to date: a certain miss
        # An undated total after the deadline cannot tell when its hours were done.
        ("2024-06-30", "120.0", "insufficient_data"),
    ],
)
def test_training_deadline_end_of_2022(rulebook, as_of, hours, expected):
    record = _trainee(training_hours_total=hours)
    assert judge(rulebook, TRAINING, record, as_of).outcome == expected


def test_training_pending_finding_names_the_deadline(rulebook):
    finding = judge(rulebook, TRAINING, _trainee(training_hours_total="119.5"), "2022-12-30")
    assert finding.outcome == "pending"
    assert "2022-12-31" in finding.message.zh
    assert "2022-12-31" in finding.message.en
    assert finding.expected == "training_hours_by_deadline ≥ 120 and training_hours_to_date ≥ 120"


def test_training_record_as_of_before_deadline_is_pending(rulebook):
    record = _trainee(training_hours_total="0", as_of="2022-12-30")
    assert judge(rulebook, TRAINING, record, "2024-06-30").outcome == "pending"


@pytest.mark.parametrize("employer_type", ELIGIBLE_EMPLOYERS)
@pytest.mark.parametrize(("hours", "expected"), [("120", "pass"), ("119.5", "fail")])
def test_training_applies_to_communities_institutions_charities(
    rulebook, employer_type, hours, expected
):
    record = _trainee(employer_type, training=[{"date": "2022-06-30", "hours": hours}])
    assert judge(rulebook, TRAINING, record).outcome == expected


@pytest.mark.parametrize("employer_type", INELIGIBLE_EMPLOYERS)
def test_training_not_applicable_to_other_employers(rulebook, employer_type):
    record = _trainee(employer_type, training_hours_total="0")
    assert judge(rulebook, TRAINING, record).outcome == "not_applicable"


@pytest.mark.parametrize("employer_type", ELIGIBLE_EMPLOYERS)
def test_training_not_applicable_without_direct_service(rulebook, employer_type):
    record = _trainee(employer_type, direct_service=False, training_hours_total="0")
    assert judge(rulebook, TRAINING, record).outcome == "not_applicable"


def test_training_sums_sessions_up_to_as_of(rulebook):
    record = _trainee(
        training=[
            {"date": "2015-03-01", "hours": "40"},
            {"date": "2021-05-01", "hours": "20.5"},
            {"date": "2022-12-31", "hours": "59.5"},  # on the as-of day: counts
        ]
    )
    finding = judge(rulebook, TRAINING, record, "2022-12-31")
    assert finding.outcome == "pass"
    assert Decimal(finding.observed["training_hours_by_deadline"]) == Decimal("120")


def test_training_sessions_after_as_of_do_not_count(rulebook):
    record = _trainee(
        training=[
            {"date": "2020-01-01", "hours": "100"},
            {"date": "2023-01-01", "hours": "20"},  # the day after as-of
        ]
    )
    finding = judge(rulebook, TRAINING, record, "2022-12-31")
    assert finding.outcome == "fail"
    assert Decimal(finding.observed["training_hours_by_deadline"]) == Decimal("100")
    # A year later the same record has 120 hours, but the 20 came after the deadline: they
    # do not cure the miss (Dates), and the finding shows both figures.
    later = judge(rulebook, TRAINING, record, "2023-12-31")
    assert later.outcome == "fail"
    assert later.observed["training_hours_by_deadline"] == "100"
    assert later.observed["training_hours_to_date"] == "120"


def test_training_cumulative_has_no_five_year_window(rulebook):
    # 累计: all training up to as-of counts, however old.
    record = _trainee(training=[{"date": "2001-01-01", "hours": "120"}])
    assert judge(rulebook, TRAINING, record, "2024-06-30").outcome == "pass"


def test_training_list_takes_precedence_over_flat_total(rulebook):
    record = _trainee(training=[{"date": "2020-01-01", "hours": "60"}], training_hours_total="500")
    finding = judge(rulebook, TRAINING, record, "2023-06-30")
    assert finding.outcome == "fail"
    assert Decimal(finding.observed["training_hours_by_deadline"]) == Decimal("60")


def test_training_empty_list_is_zero_hours(rulebook):
    record = _trainee(training=[])
    assert judge(rulebook, TRAINING, record, "2023-06-30").outcome == "fail"


def test_training_flat_total_observed(rulebook):
    finding = judge(rulebook, TRAINING, _trainee(training_hours_total="119.5"), "2022-12-31")
    assert finding.outcome == "fail"
    assert finding.observed == {
        "training_hours_by_deadline": "119.5",
        "training_hours_to_date": "119.5",
    }
    assert finding.expected == "training_hours_by_deadline ≥ 120 and training_hours_to_date ≥ 120"
    assert finding.severity == "mandatory"


def test_training_missing_hours_is_insufficient(rulebook):
    finding = judge(rulebook, TRAINING, _trainee(), "2023-01-01")
    assert finding.outcome == "insufficient_data"
    assert "training" in finding.message.en


@pytest.mark.parametrize("jurisdiction", OUTSIDE)
def test_training_not_applicable_outside_zhejiang(rulebook, jurisdiction):
    record = make(
        "worker",
        jurisdiction=jurisdiction,
        employer_type="charity_org",
        training_hours_total="0",
    )
    assert judge(rulebook, TRAINING, record).outcome == "not_applicable"


def test_training_not_applicable_before_issue_date(rulebook):
    record = _trainee(training_hours_total="0")
    assert judge(rulebook, TRAINING, record, DAY_BEFORE_ISSUE).outcome == "not_applicable"
    assert judge(rulebook, TRAINING, record, ISSUED).outcome == "pending"


# ---------------------------------------------------------------- 二(五) registration


@pytest.mark.parametrize(
    ("certificate", "registered", "expected", "unmet"),
    [
        ("none", False, "fail", ("certificate", "registered")),
        ("none", True, "fail", ("certificate",)),
        ("assistant", False, "fail", ("registered",)),
        ("senior", False, "fail", ("registered",)),
        ("assistant", True, "pass", ()),
        ("intermediate", True, "pass", ()),
        ("senior", True, "pass", ()),
    ],
)
def test_registration_certificate_and_registered(
    rulebook, certificate, registered, expected, unmet
):
    record = make(
        "worker",
        jurisdiction=DISTRICT,
        in_purchased_project=True,
        certificate=certificate,
        certificate_registered=registered,
    )
    finding = judge(rulebook, REGISTRATION, record)
    assert finding.outcome == expected
    assert finding.unmet == unmet


def test_registration_failure_names_both_unmet_parts_in_both_languages(rulebook):
    record = make("worker", jurisdiction=DISTRICT, in_purchased_project=True)
    finding = judge(rulebook, REGISTRATION, record)
    assert finding.outcome == "fail"
    assert finding.unmet == ("certificate", "registered")
    assert finding.observed == {"certificate": "none", "certificate_registered": False}
    assert "未满足" in finding.message.zh
    assert "取得社会工作者职业水平证书" in finding.message.zh
    assert "在登记管理系统登记" in finding.message.zh
    assert "Unmet" in finding.message.en
    assert "holds a national social-worker certificate" in finding.message.en
    assert "certificate registered in the registration system" in finding.message.en
    assert finding.severity == "mandatory"
    assert finding.citation.clause == "二(五)"


def test_registration_failure_names_only_the_unmet_part(rulebook):
    record = make(
        "worker",
        jurisdiction=DISTRICT,
        in_purchased_project=True,
        certificate="intermediate",
        certificate_registered=False,
    )
    finding = judge(rulebook, REGISTRATION, record)
    assert finding.unmet == ("registered",)
    assert "在登记管理系统登记" in finding.message.zh
    assert "取得社会工作者职业水平证书" not in finding.message.zh
    assert "certificate registered in the registration system" in finding.message.en
    assert "holds a national social-worker certificate" not in finding.message.en


def test_registration_not_applicable_outside_purchased_projects(rulebook):
    assert outcome(rulebook, REGISTRATION, "worker", jurisdiction=DISTRICT) == "not_applicable"
    got = outcome(
        rulebook, REGISTRATION, "worker", jurisdiction=DISTRICT, in_purchased_project=False
    )
    assert got == "not_applicable"


# ---------------------------------------------------------------- 三(八) certificate per post level


@pytest.mark.parametrize("post_level", sorted(REQUIRED_CERT))
@pytest.mark.parametrize("certificate", list(CERT_RANK))
def test_post_certificate_matrix(rulebook, post_level, certificate):
    required = REQUIRED_CERT[post_level]
    expected = "pass" if CERT_RANK[certificate] >= CERT_RANK[required] else "fail"
    record = make(
        "worker",
        jurisdiction=DISTRICT,
        employer_type="public_institution",
        post_level=post_level,
        certificate=certificate,
    )
    finding = judge(rulebook, CERT, record)
    assert finding.outcome == expected
    assert finding.observed["required_certificate"] == required
    assert finding.observed["post_level"] == post_level
    assert finding.expected == f"≥ {required}"


@pytest.mark.parametrize(
    ("post_level", "certificate", "expected"),
    [
        (5, "senior", "pass"),
        (7, "intermediate", "fail"),
        (8, "intermediate", "pass"),
        (10, "assistant", "fail"),
        (11, "senior", "pass"),  # a higher certificate meets a lower requirement
        (12, "none", "fail"),
    ],
)
def test_post_certificate_named_cases(rulebook, post_level, certificate, expected):
    got = outcome(
        rulebook,
        CERT,
        "worker",
        jurisdiction=DISTRICT,
        employer_type="public_institution",
        post_level=post_level,
        certificate=certificate,
    )
    assert got == expected


def test_post_certificate_failure_details(rulebook):
    record = make(
        "worker",
        jurisdiction=DISTRICT,
        employer_type="public_institution",
        post_level=9,
        certificate="assistant",
    )
    finding = judge(rulebook, CERT, record)
    assert finding.outcome == "fail"
    assert finding.observed == {
        "required_certificate": "intermediate",
        "certificate": "assistant",
        "post_level": 9,
    }
    assert finding.expected == "≥ intermediate"
    assert finding.severity == "mandatory"
    assert finding.citation.clause == "三(八)"


@pytest.mark.parametrize("post_level", [1, 2, 3, 4, 13])
def test_post_certificate_other_levels_not_applicable(rulebook, post_level):
    got = outcome(
        rulebook,
        CERT,
        "worker",
        jurisdiction=DISTRICT,
        employer_type="public_institution",
        post_level=post_level,
        certificate="none",
    )
    assert got == "not_applicable"


def test_post_certificate_without_post_level_not_applicable(rulebook):
    got = outcome(
        rulebook,
        CERT,
        "worker",
        jurisdiction=DISTRICT,
        employer_type="public_institution",
        certificate="none",
    )
    assert got == "not_applicable"


@pytest.mark.parametrize(
    "employer_type",
    [e for e in ELIGIBLE_EMPLOYERS + INELIGIBLE_EMPLOYERS if e != "public_institution"],
)
def test_post_certificate_only_public_institutions(rulebook, employer_type):
    got = outcome(
        rulebook,
        CERT,
        "worker",
        jurisdiction=DISTRICT,
        employer_type=employer_type,
        post_level=5,
        certificate="none",
    )
    assert got == "not_applicable"


# ---------------------------------------------------------------- 三(八) post title ↔ level


@pytest.mark.parametrize(("post_title", "post_level"), list(TITLE_LEVELS.items()))
def test_post_title_matches_its_level(rulebook, post_title, post_level):
    record = make(
        "worker",
        jurisdiction=DISTRICT,
        employer_type=PI,
        post_title=post_title,
        post_level=post_level,
    )
    finding = judge(rulebook, TITLE, record)
    assert finding.outcome == "pass"
    assert finding.observed["title_level"] == post_level
    assert finding.expected == f"= {post_level}"


@pytest.mark.parametrize(
    ("post_title", "post_level"),
    [
        ("社会工作师二级", 8),
        ("社会工作师二级", 10),
        ("高级社会工作师一级", 7),
        ("高级社会工作师三级", 5),
        ("社会工作师一级", 5),
        ("助理社会工作师一级", 12),
        ("助理社会工作师二级", 11),
        ("助理社会工作师二级", 13),
        ("社会工作师三级", 11),
    ],
)
def test_post_title_mismatch_fails(rulebook, post_title, post_level):
    record = make(
        "worker",
        jurisdiction=DISTRICT,
        employer_type=PI,
        post_title=post_title,
        post_level=post_level,
    )
    finding = judge(rulebook, TITLE, record)
    assert finding.outcome == "fail"
    assert finding.observed["title_level"] == TITLE_LEVELS[post_title]
    assert finding.observed["post_level"] == post_level
    assert finding.expected == f"= {TITLE_LEVELS[post_title]}"
    assert finding.severity == "mandatory"


@pytest.mark.parametrize(
    "post_title",
    ["社会工作师四级", "助理社会工作师三级", "社会工作师四级岗位", "高级工程师", "社工"],
)
def test_post_title_outside_the_table_not_applicable(rulebook, post_title):
    got = outcome(
        rulebook,
        TITLE,
        "worker",
        jurisdiction=DISTRICT,
        employer_type=PI,
        post_title=post_title,
        post_level=9,
    )
    assert got == "not_applicable"


@pytest.mark.parametrize(("post_title", "post_level"), list(TITLE_LEVELS.items()))
def test_post_title_with_the_suffix_post_reads_as_the_title(rulebook, post_title, post_level):
    """三(八) names the posts 高级社会工作师一级、二级、三级岗位: 岗位 is part of the name."""
    record = make(
        "worker",
        jurisdiction=DISTRICT,
        employer_type=PI,
        post_title=f"{post_title}岗位",
        post_level=post_level,
    )
    assert judge(rulebook, TITLE, record).outcome == "pass"


@pytest.mark.parametrize("employer_type", ["urban_community", "sw_service_org", "charity_org"])
def test_post_title_outside_public_institutions_only_guides(rulebook, employer_type):
    """三(八) binds public institutions; elsewhere it only guides (引导…参照)."""
    got = outcome(
        rulebook,
        TITLE,
        "worker",
        jurisdiction=DISTRICT,
        employer_type=employer_type,
        post_title="社会工作师二级",
        post_level=8,
    )
    assert got == "not_applicable"


def test_post_title_missing_not_applicable(rulebook):
    assert (
        outcome(rulebook, TITLE, "worker", jurisdiction=DISTRICT, employer_type=PI, post_level=9)
        == "not_applicable"
    )


@pytest.mark.parametrize("post_title", list(TITLE_LEVELS))
def test_post_title_without_level_is_insufficient(rulebook, post_title):
    finding = judge(
        rulebook,
        TITLE,
        make("worker", jurisdiction=DISTRICT, employer_type=PI, post_title=post_title),
    )
    assert finding.outcome == "insufficient_data"
    assert finding.observed["post_level"] is None
    assert "post_level" in finding.message.en


def test_post_title_surrounding_whitespace_is_ignored(rulebook):
    got = outcome(
        rulebook,
        TITLE,
        "worker",
        jurisdiction=DISTRICT,
        employer_type=PI,
        post_title=" 社会工作师二级 ",
        post_level=9,
    )
    assert got == "pass"


# ---------------------------------------------------------------- 三(七) community staffing


@pytest.mark.parametrize(
    ("setting", "professionals", "expected"),
    [
        ("urban", 0, "fail"),
        ("urban", 1, "fail"),
        ("urban", 2, "pass"),
        ("urban", 3, "pass"),
        ("rural", 0, "fail"),
        ("rural", 1, "pass"),
        ("rural", 2, "pass"),
    ],
)
def test_community_staffing_urban_two_rural_one(rulebook, setting, professionals, expected):
    finding = judge(
        rulebook,
        STAFFING,
        make("community", jurisdiction=DISTRICT, setting=setting, sw_professionals=professionals),
    )
    required = {"urban": 2, "rural": 1}[setting]
    assert finding.outcome == expected
    assert finding.observed["required_professionals"] == required
    assert finding.observed["sw_professionals"] == professionals
    assert finding.expected == f"≥ {required}"
    assert finding.severity == "mandatory"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2019-06-18", "pending"),
        ("2022-12-30", "pending"),
        ("2022-12-31", "fail"),
        ("2023-01-01", "fail"),
    ],
)
def test_community_staffing_deadline_end_of_2022(rulebook, as_of, expected):
    got = outcome(
        rulebook,
        STAFFING,
        "community",
        as_of=as_of,
        jurisdiction=DISTRICT,
        setting="urban",
        sw_professionals=1,
    )
    assert got == expected


def test_community_staffing_met_before_deadline_is_still_pending(rulebook):
    got = outcome(
        rulebook,
        STAFFING,
        "community",
        as_of="2022-12-30",
        jurisdiction=DISTRICT,
        setting="urban",
        sw_professionals=5,
    )
    assert got == "pending"


def test_community_staffing_missing_setting_is_insufficient(rulebook):
    finding = judge(
        rulebook, STAFFING, make("community", jurisdiction=DISTRICT, sw_professionals=1)
    )
    assert finding.outcome == "insufficient_data"
    assert finding.observed["setting"] is None
    assert "setting" in finding.message.en


@pytest.mark.parametrize("setting", ["urban", "rural"])
def test_community_staffing_missing_count_is_insufficient(rulebook, setting):
    finding = judge(rulebook, STAFFING, make("community", jurisdiction=DISTRICT, setting=setting))
    assert finding.outcome == "insufficient_data"
    assert finding.observed["sw_professionals"] is None


# ---------------------------------------------------------------- 三(七) institution post share


POST_FLOOR = param(POST_SHARE, "min_share")
"""The institution post share as the rule file gives it (70% in the draft)."""


def _posts_at(total: int, nudge: int = 0) -> int:
    """The fewest social-work posts out of `total` that reach the share, plus `nudge`."""
    return math.ceil(POST_FLOOR * total) + nudge


@pytest.mark.parametrize(
    ("sw_posts", "professional_posts", "expected"),
    [
        (_posts_at(10), 10, "pass"),  # exactly 70% of 10 at 0.70
        (_posts_at(100), 100, "pass"),
        (_posts_at(100, -1), 100, "fail"),
        (10, 10, "pass"),
        (0, 10, "fail"),
        (_posts_at(1000, -1), 1000, "fail"),
        (_posts_at(1000, 1), 1000, "pass"),
    ],
)
def test_institution_post_share_at_least_the_floor(
    rulebook, sw_posts, professional_posts, expected
):
    record = make(
        "institution",
        jurisdiction=DISTRICT,
        sw_focused=True,
        sw_posts=sw_posts,
        professional_posts=professional_posts,
    )
    finding = judge(rulebook, POST_SHARE, record)
    assert finding.outcome == expected
    assert Decimal(finding.observed["sw_post_share"]) == Decimal(sw_posts) / professional_posts
    assert finding.expected == f"≥ {POST_FLOOR}"
    assert finding.severity == "target"


def test_institution_post_share_not_applicable_unless_sw_focused(rulebook):
    got = outcome(
        rulebook,
        POST_SHARE,
        "institution",
        jurisdiction=DISTRICT,
        sw_focused=False,
        sw_posts=0,
        professional_posts=10,
    )
    assert got == "not_applicable"


@pytest.mark.parametrize(
    "fields",
    [
        {"sw_posts": 0, "professional_posts": 0},  # no professional posts: no share
        {"sw_posts": 5, "professional_posts": 0},
        {"professional_posts": 10},
        {"sw_posts": 7},
        {},
    ],
)
def test_institution_post_share_insufficient_data(rulebook, fields):
    got = outcome(
        rulebook, POST_SHARE, "institution", jurisdiction=DISTRICT, sw_focused=True, **fields
    )
    assert got == "insufficient_data"


def test_institution_post_share_unknown_focus_is_insufficient(rulebook):
    got = outcome(
        rulebook,
        POST_SHARE,
        "institution",
        jurisdiction=DISTRICT,
        sw_posts=7,
        professional_posts=10,
    )
    assert got == "insufficient_data"


# ---------------------------------------------------------------- province targets for 2022


@pytest.mark.parametrize(("rule_id", "field", "figure"), TARGETS, ids=TARGET_IDS)
@pytest.mark.parametrize(
    "case",
    [
        (2022, 0, "pass"),  # 达到: the figure itself is reached
        (2022, 1, "pass"),
        (2022, -1, "fail"),
        (2023, 0, "pass"),  # judged against the 2022 milestone
        (2023, -1, "fail"),
        (2030, -1, "fail"),
        (2021, 0, "pending"),  # before the first milestone
        (2021, -1, "pending"),
        (2019, 10**6, "pending"),
    ],
)
def test_province_target(rulebook, rule_id, field, figure, case):
    year, delta, expected = case
    finding = judge(
        rulebook,
        rule_id,
        make("region", jurisdiction=PROVINCE, year=year, **{field: figure + delta}),
    )
    assert finding.outcome == expected
    assert finding.severity == "target"
    assert finding.expected == f"2022: ≥ {figure}"
    assert finding.observed[field] == figure + delta


@pytest.mark.parametrize(("rule_id", "field", "figure"), TARGETS, ids=TARGET_IDS)
def test_province_target_fail_message(rulebook, rule_id, field, figure):
    finding = judge(
        rulebook, rule_id, make("region", jurisdiction=PROVINCE, year=2022, **{field: figure - 1})
    )
    assert finding.outcome == "fail"
    assert "不符合" in finding.message.zh
    assert "Does not meet" in finding.message.en
    assert str(figure) in finding.message.en


@pytest.mark.parametrize(("rule_id", "field", "figure"), TARGETS, ids=TARGET_IDS)
def test_province_target_pending_message_names_first_milestone(rulebook, rule_id, field, figure):
    finding = judge(
        rulebook, rule_id, make("region", jurisdiction=PROVINCE, year=2021, **{field: figure})
    )
    assert finding.outcome == "pending"
    assert "2022" in finding.message.zh
    assert "2022" in finding.message.en


@pytest.mark.parametrize(("rule_id", "field", "figure"), TARGETS, ids=TARGET_IDS)
def test_province_target_missing_figure_is_insufficient(rulebook, rule_id, field, figure):
    finding = judge(rulebook, rule_id, make("region", jurisdiction=PROVINCE, year=2022))
    assert finding.outcome == "insufficient_data"
    assert finding.observed[field] is None
    assert field in finding.message.en


@pytest.mark.parametrize(("rule_id", "field", "figure"), TARGETS, ids=TARGET_IDS)
@pytest.mark.parametrize("jurisdiction", [CITY, DISTRICT, "330200", *OUTSIDE, "110000", "210000"])
def test_province_target_only_for_the_exact_province_code(
    rulebook, rule_id, field, figure, jurisdiction
):
    finding = judge(
        rulebook,
        rule_id,
        make("region", jurisdiction=jurisdiction, year=2022, **{field: figure - 1}),
    )
    assert finding.outcome == "not_applicable"


@pytest.mark.parametrize(("rule_id", "field", "figure"), TARGETS, ids=TARGET_IDS)
def test_province_target_not_applicable_before_issue_date(rulebook, rule_id, field, figure):
    record = make("region", jurisdiction=PROVINCE, year=2022, **{field: figure - 1})
    assert judge(rulebook, rule_id, record, DAY_BEFORE_ISSUE).outcome == "not_applicable"
    # In force, but 2022's figures are judged only once 2022 has ended (Dates).
    assert judge(rulebook, rule_id, record, ISSUED).outcome == "pending"
    assert judge(rulebook, rule_id, record, "2022-12-31").outcome == "fail"


@pytest.mark.parametrize(("rule_id", "field", "figure"), TARGETS, ids=TARGET_IDS)
def test_province_target_ignores_other_figures(rulebook, rule_id, field, figure):
    others = {f: 0 for _, f, _ in TARGETS if f != field}
    record = make("region", jurisdiction=PROVINCE, year=2022, **{field: figure}, **others)
    assert judge(rulebook, rule_id, record).outcome == "pass"


# One record per rule that the rule speaks of; placed inside or outside Zhejiang,
# and dated before or on the source's issue date.
IN_SCOPE = {
    REGISTRATION: ("worker", {"in_purchased_project": True}),
    CERT: (
        "worker",
        {"employer_type": "public_institution", "post_level": 5, "certificate": "none"},
    ),
    TITLE: ("worker", {"employer_type": PI, "post_title": "社会工作师二级", "post_level": 8}),
    STAFFING: ("community", {"setting": "urban", "sw_professionals": 0}),
    POST_SHARE: ("institution", {"sw_focused": True, "sw_posts": 0, "professional_posts": 10}),
}


@pytest.mark.parametrize("jurisdiction", OUTSIDE)
@pytest.mark.parametrize("rule_id", list(IN_SCOPE))
def test_not_applicable_outside_zhejiang(rulebook, rule_id, jurisdiction):
    kind, fields = IN_SCOPE[rule_id]
    assert outcome(rulebook, rule_id, kind, jurisdiction=jurisdiction, **fields) == "not_applicable"


@pytest.mark.parametrize("rule_id", list(IN_SCOPE))
def test_not_applicable_before_issue_date_and_applicable_on_it(rulebook, rule_id):
    kind, fields = IN_SCOPE[rule_id]
    before = outcome(rulebook, rule_id, kind, DAY_BEFORE_ISSUE, jurisdiction=DISTRICT, **fields)
    on_the_day = outcome(rulebook, rule_id, kind, ISSUED, jurisdiction=DISTRICT, **fields)
    assert before == "not_applicable"
    assert on_the_day != "not_applicable"
