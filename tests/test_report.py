"""The JSON report: the contract's shape, summary arithmetic, byte-identical output."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import sw_policy
from conftest import FIXTURES, make

AS_OF = dt.date(2024, 6, 30)
ALL_FIXTURES = [FIXTURES / "mixed.json", *sorted(FIXTURES.glob("*.csv"))]


@pytest.fixture(scope="module")
def report(rulebook):
    return rulebook.check_files(ALL_FIXTURES, as_of=AS_OF)


def test_top_level_shape(report):
    data = json.loads(report.to_json())
    assert list(data) == [
        "report_version",
        "engine",
        "rulebook",
        "as_of",
        "inputs",
        "rejected",
        "skipped",  # issue 20: total rows and notes, apart from records
        "findings",
        "summary",
        "options",
    ]
    assert data["options"] is None  # the stamp: set by check_files(options=...), the CLI
    assert data["report_version"] == 1
    assert data["engine"] == {"name": "sw-policy", "version": sw_policy.__version__}
    assert data["rulebook"]["rules"] == 32 and len(data["rulebook"]["sha256"]) == 64
    assert data["as_of"] == "2024-06-30"
    assert list(data["inputs"][0]) == [
        "path",
        "sha256",
        "records",
        "evaluated",
        "rejected",
        "encoding",
        "skipped",
        "unused_columns",
        "warnings",
    ]
    assert list(data["rejected"][0]) == ["path", "sheet", "row", "column", "id", "errors"]


def test_finding_shape(report):
    data = json.loads(report.to_json())
    finding = next(f for f in data["findings"] if f["rule_id"] == "zhejiang-2019.labour-cost-share")
    assert list(finding)[:9] == [
        "kind",
        "record_id",
        "rule_id",
        "outcome",
        "severity",
        "observed",
        "expected",
        "message",
        "citation",
    ]
    assert list(finding["message"]) == ["zh", "en"]
    assert list(finding["citation"]) == [
        "source_id",
        "document_number",
        "title",
        "issued",
        "status",
        "clause",
        "quote",
    ]
    assert finding["citation"]["status"] == "draft"
    assert finding["citation"]["document_number"] is None
    assert isinstance(finding["observed"]["labour_cost_share"], str)


def test_every_contract_rule_is_reached_by_the_mixed_fixture(rulebook):
    report = rulebook.check_files([FIXTURES / "mixed.json"], as_of=AS_OF)
    reached = {f.rule_id for f in report.findings if f.outcome in {"pass", "fail", "pending"}}
    assert reached == {r.id for r in rulebook.rules}


def test_summary_adds_up(report):
    s = report.summary
    assert s.findings == len(report.findings) == sum(s.by_outcome.values())
    assert s.records == sum(i.evaluated for i in report.inputs)
    assert "not_applicable" not in s.by_outcome


def test_only_failures_lists_failures_but_counts_all(rulebook):
    full = rulebook.check_files(ALL_FIXTURES, as_of=AS_OF)
    failures = rulebook.check_files(ALL_FIXTURES, as_of=AS_OF, only_failures=True)
    assert {f.outcome for f in failures.findings} == {"fail"}
    assert len(failures.findings) == full.summary.by_outcome["fail"]
    assert failures.summary == full.summary


def test_not_applicable_only_on_request(rulebook):
    beijing = make("budget", jurisdiction="110105", total_funds="10", labour_cost="9")
    assert rulebook.check([beijing], as_of=AS_OF).findings == ()
    shown = rulebook.check([beijing], as_of=AS_OF, include_not_applicable=True)
    assert [f.outcome for f in shown.findings] == ["not_applicable", "not_applicable"]
    assert "outside scope 330000" in shown.findings[0].message.en


def test_reports_are_byte_identical(rulebook):
    first = rulebook.check_files(ALL_FIXTURES, as_of=AS_OF).to_json()
    again = sw_policy.load_rulebook().check_files(ALL_FIXTURES, as_of=AS_OF).to_json()
    assert first.encode() == again.encode()


def test_findings_are_frozen(report):
    with pytest.raises(Exception, match="frozen"):
        report.findings[0].outcome = "pass"  # type: ignore[misc]


def test_findings_carry_their_location(report):
    located = [f for f in report.findings if f.location is not None]
    assert len(located) == len(report.findings)
    assert report.findings[0].location.path.endswith("mixed.json")


def test_record_as_of_overrides_the_run(rulebook):
    community = make("community", jurisdiction="330106", setting="urban", sw_professionals=1)
    dated = make(
        "community",
        id="c2",
        jurisdiction="330106",
        setting="urban",
        sw_professionals=1,
        as_of="2022-06-30",
    )
    report = rulebook.check([community, dated], as_of=AS_OF)
    assert [f.outcome for f in report.findings] == ["fail", "pending"]


def test_mandatory_failure_flag(rulebook):
    target_only = make("region", jurisdiction="330000", year=2022, certified_workers=1)
    assert not rulebook.check([target_only], as_of=AS_OF).has_mandatory_failure
    # A draft for comment binds only when asked (Drafts paragraph of the exit-status table).
    budget = make("budget", jurisdiction="330106", total_funds="10", labour_cost="9")
    report = rulebook.check([budget], as_of=AS_OF)
    assert not report.has_mandatory_failure
    assert report.has_binding_failure(drafts_binding=True)
    assert report.summary.draft_failures == 1
    [finding] = report.findings
    assert finding.message.zh.startswith("不符合（征求意见稿，不具约束力）：")
    assert finding.message.en.startswith("Does not meet (draft for comment, not binding): ")
    in_force = make("budget", jurisdiction="361126", total_funds="10", labour_cost="1")
    report = rulebook.check([in_force], as_of=AS_OF)
    assert report.has_mandatory_failure and report.summary.draft_failures == 0
    assert report.findings[0].message.zh.startswith("不符合：")


def test_zero_denominator_is_named_not_guessed(rulebook):
    from conftest import judge

    institution = make(
        "institution", jurisdiction="330106", sw_focused=True, professional_posts=0, sw_posts=0
    )
    finding = judge(rulebook, "zhejiang-2019.institution-post-share", institution)
    assert finding.outcome == "insufficient_data"
    assert "sw_post_share (undefined: professional_posts is 0)" in finding.message.en
