"""liaocheng-2020 二: who counts as a 社会工作专业人才 (any one of three conditions)."""

from __future__ import annotations

import pytest

from conftest import judge, make, outcome

RULE = "liaocheng-2020.professional-qualification"
IN_LIAOCHENG = "371502"


def worker(**fields: object) -> dict[str, object]:
    return {"jurisdiction": IN_LIAOCHENG, **fields}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"certificate": "assistant"}, "pass"),
        ({"certificate": "intermediate"}, "pass"),
        ({"certificate": "senior"}, "pass"),
        ({"education": "junior_college", "major": "社会工作"}, "pass"),
        ({"education": "bachelor", "major": "社会学"}, "pass"),
        ({"education": "master", "major": "社会政策"}, "pass"),
        ({"education": "doctorate", "major": "民政管理"}, "pass"),
        ({"education": "junior_college", "major": "社区管理"}, "pass"),
        ({"education": "bachelor", "major": "Social Work"}, "pass"),
        ({"education": "junior_college", "major": "社区管理与服务"}, "pass"),
        ({"education": "junior_college", "major": "民政服务与管理"}, "pass"),
        ({"education": "secondary", "major": "社会工作", "training_hours_5y": "0"}, "fail"),
        ({"education": "secondary", "major": "社会工作"}, "insufficient_data"),
        ({"education": "bachelor", "major": "会计学", "training_hours_5y": "20"}, "fail"),
        ({"training_hours_5y": "120"}, "pass"),
        ({"training_hours_5y": "119.5"}, "fail"),
        ({"training_hours_5y": "0"}, "fail"),
    ],
)
def test_any_one_condition_qualifies(rulebook, fields, expected):
    assert outcome(rulebook, RULE, "worker", **worker(**fields)) == expected


def test_training_window_is_the_five_years_up_to_as_of(rulebook):
    # (2019-06-30, 2024-06-30]: a session on the first day is outside, one on as-of inside.
    sessions = [{"date": "2019-06-30", "hours": 8}, {"date": "2020-01-10", "hours": 112}]
    assert outcome(rulebook, RULE, "worker", **worker(training=sessions)) == "fail"
    sessions = [{"date": "2019-07-01", "hours": 8}, {"date": "2020-01-10", "hours": 112}]
    assert outcome(rulebook, RULE, "worker", **worker(training=sessions)) == "pass"
    sessions = [{"date": "2024-06-30", "hours": 8}, {"date": "2020-01-10", "hours": 112}]
    assert outcome(rulebook, RULE, "worker", **worker(training=sessions)) == "pass"


def test_training_after_as_of_does_not_count(rulebook):
    sessions = [{"date": "2024-07-01", "hours": 60}, {"date": "2023-01-10", "hours": 60}]
    finding = judge(rulebook, RULE, make("worker", **worker(training=sessions)))
    assert finding.outcome == "fail"
    assert finding.observed["training_hours_5y"] == "60"


def test_window_moves_with_the_record_as_of(rulebook):
    sessions = [{"date": "2019-03-01", "hours": 120}]
    early = make("worker", **worker(training=sessions, as_of="2023-12-31"))
    late = make("worker", **worker(training=sessions, as_of="2024-03-01"))
    assert judge(rulebook, RULE, early).outcome == "pass"
    assert judge(rulebook, RULE, late).outcome == "fail"


def test_leap_day_window_start(rulebook):
    # as-of 2024-02-29: five years earlier is 2019-02-28, excluded.
    sessions = [{"date": "2019-02-28", "hours": 120}]
    record = make("worker", **worker(training=sessions, as_of="2024-02-29"))
    assert judge(rulebook, RULE, record).outcome == "fail"
    sessions = [{"date": "2019-03-01", "hours": 120}]
    record = make("worker", **worker(training=sessions, as_of="2024-02-29"))
    assert judge(rulebook, RULE, record).outcome == "pass"


def test_failure_names_every_unmet_condition(rulebook):
    finding = judge(
        rulebook,
        RULE,
        make("worker", **worker(education="bachelor", major="会计学", training_hours_5y="100")),
    )
    assert finding.outcome == "fail"
    # The education route fails on the major: it is named, and the list is said to be open.
    assert finding.unmet == ("certificate", "major", "education", "training")
    assert "近五年累计培训不少于120小时" in finding.message.zh
    assert "at least 120 training hours" in finding.message.en
    assert "major = 会计学" in finding.message.en
    assert "清单开放" in finding.message.zh
    assert "the list ends in 等 and is open" in finding.message.en


@pytest.mark.parametrize(
    "major", ["社会工作专业", "社会工作（本科）", "社会工作(本科)", "社会工作硕士", "MSW", "msw"]
)
def test_social_work_majors_are_matched_by_meaning(rulebook, major):
    record = make("worker", **worker(education="bachelor", major=major, training_hours_5y="0"))
    assert judge(rulebook, RULE, record).outcome == "pass"


def test_a_definition_is_not_worded_as_a_duty(rulebook):
    """二 defines who counts (…是指…); its summary must not lay a duty (须/应)."""
    [rule] = [r for r in rulebook.rules if r.id == RULE]
    assert "是指" in rule.summary.zh
    assert "须" not in rule.summary.zh and "应" not in rule.summary.zh
    assert rule.summary.en.startswith("Definition")


def test_unknown_training_with_no_other_route_is_insufficient_data(rulebook):
    finding = judge(rulebook, RULE, make("worker", **worker()))
    assert finding.outcome == "insufficient_data"
    assert "training" in finding.message.en


def test_unknown_major_is_not_guessed(rulebook):
    record = make("worker", **worker(education="bachelor", training_hours_5y="10"))
    assert judge(rulebook, RULE, record).outcome == "insufficient_data"


def test_a_known_route_decides_even_when_others_are_unknown(rulebook):
    assert outcome(rulebook, RULE, "worker", **worker(certificate="assistant")) == "pass"


@pytest.mark.parametrize(
    ("fields", "as_of"),
    [
        ({"counted_as_professional": False}, "2024-06-30"),
        ({"jurisdiction": "370102"}, "2024-06-30"),  # Jinan, not Liaocheng
        ({"jurisdiction": "330106"}, "2024-06-30"),
        ({}, "2020-07-07"),  # the day before the source was issued
    ],
)
def test_not_applicable(rulebook, fields, as_of):
    assert (
        outcome(rulebook, RULE, "worker", as_of, **worker(certificate="none", **fields))
        == "not_applicable"
    )


def test_applies_from_the_issue_date(rulebook):
    assert (
        outcome(rulebook, RULE, "worker", "2020-07-08", **worker(certificate="assistant")) == "pass"
    )


def test_city_scope_covers_its_counties(rulebook):
    for code in ("371500", "371502", "371521", "371581"):
        assert outcome(rulebook, RULE, "worker", jurisdiction=code, certificate="senior") == "pass"


def test_citation(rulebook):
    finding = judge(rulebook, RULE, make("worker", **worker(certificate="senior")))
    assert finding.severity == "mandatory"
    assert finding.citation.source_id == "liaocheng-2020"
    assert finding.citation.clause == "二"
    assert finding.citation.document_number is None
    assert finding.citation.issued == "2020-07-08"
    assert "不少于 120 小时" in finding.citation.quote
