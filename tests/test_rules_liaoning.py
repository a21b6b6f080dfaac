"""liaoning-2013 二3: provincial talent targets for 2015 and 2020."""

from __future__ import annotations

import pytest

from conftest import judge, make, outcome

TALENT = "liaoning-2013.target.sw-talent"
PROFESSIONALS = "liaoning-2013.target.sw-professionals"


@pytest.mark.parametrize(
    ("rule", "field", "year", "value", "expected"),
    [
        (TALENT, "sw_talent_total", 2014, 200000, "pending"),
        (TALENT, "sw_talent_total", 2015, 140000, "pass"),
        (TALENT, "sw_talent_total", 2015, 139999, "fail"),
        (TALENT, "sw_talent_total", 2019, 140000, "pass"),  # judged against 2015 until 2020
        (TALENT, "sw_talent_total", 2020, 259999, "fail"),
        (TALENT, "sw_talent_total", 2020, 260000, "pass"),
        (TALENT, "sw_talent_total", 2024, 260000, "pass"),
        (PROFESSIONALS, "sw_professionals", 2014, 0, "pending"),
        (PROFESSIONALS, "sw_professionals", 2015, 50000, "pass"),
        (PROFESSIONALS, "sw_professionals", 2015, 49999, "fail"),
        (PROFESSIONALS, "sw_professionals", 2020, 99999, "fail"),
        (PROFESSIONALS, "sw_professionals", 2021, 100000, "pass"),
    ],
)
def test_milestones(rulebook, rule, field, year, value, expected):
    assert (
        outcome(rulebook, rule, "region", jurisdiction="210000", year=year, **{field: value})
        == expected
    )


def test_expected_names_the_milestone(rulebook):
    finding = judge(
        rulebook, TALENT, make("region", jurisdiction="210000", year=2020, sw_talent_total=1)
    )
    assert finding.expected == "2020: ≥ 260000"
    assert finding.severity == "target"
    pending = judge(
        rulebook, TALENT, make("region", jurisdiction="210000", year=2014, sw_talent_total=1)
    )
    assert pending.expected == "2015: ≥ 140000"
    assert "2015" in pending.message.en


@pytest.mark.parametrize("code", ["210100", "210102", "330000"])
def test_targets_apply_to_the_exact_code_only(rulebook, code):
    assert (
        outcome(rulebook, TALENT, "region", jurisdiction=code, year=2020, sw_talent_total=1)
        == "not_applicable"
    )


def test_missing_figure_is_insufficient_data(rulebook):
    assert (
        outcome(rulebook, PROFESSIONALS, "region", jurisdiction="210000", year=2020)
        == "insufficient_data"
    )


def test_citation_has_year_only_issue_date(rulebook):
    finding = judge(
        rulebook, TALENT, make("region", jurisdiction="210000", year=2020, sw_talent_total=1)
    )
    assert finding.citation.issued == "2013"
    assert finding.citation.document_number == "辽民发〔2013〕7号"
    assert finding.citation.clause == "二3"


def test_liaoning_2017_has_one_rule_and_full_coverage(rulebook):
    """One checkable duty (三(一)3, the allowance, since stop 13); the rest say why not."""
    ids = [r.id for r in rulebook.rules if r.id.startswith("liaoning-2017")]
    assert ids == ["liaoning-2017.occupational-allowance"]
    entries = rulebook.coverage["liaoning-2017"]
    assert len(entries) >= 20
    encoded = [e for e in entries if not e.not_encoded]
    assert [(e.clause, list(e.rules)) for e in encoded] == [("三(一)3", ids)]
    assert all(e.reason for e in entries if e.not_encoded)
