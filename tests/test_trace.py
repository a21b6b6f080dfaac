"""explain(): the condition tree node by node, agreeing with the engine's outcome."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

import sw_policy
from conftest import FIXTURES
from sw_policy.cli import main
from sw_policy.inputs.divisions import divisions_stamp
from test_columnar_equivalence import days, overrides, records

AS_OF = dt.date(2024, 6, 30)
RULEBOOK = sw_policy.load_rulebook()
FIXTURE_FILES = [FIXTURES / "mixed.json", *sorted(FIXTURES.glob("*.csv"))]


def _agrees(record: Any, as_of: dt.date, book: sw_policy.Rulebook = RULEBOOK) -> int:
    """Every rule of the record's kind: the trace's outcome is the engine's finding's."""
    checked = 0
    for rule in book.rules:
        if rule.kind != record.kind:
            continue
        explanation = book.explain(record, rule.id, as_of=as_of)
        assert explanation.outcome == explanation.finding.outcome, (rule.id, record.id)
        engine = book.evaluate(record, as_of=as_of, include_not_applicable=True, rule_ids={rule.id})
        assert [explanation.finding] == engine
        if explanation.condition is not None and explanation.outcome in {"pass", "fail"}:
            assert explanation.condition.value == (
                "true" if explanation.outcome == "pass" else "false"
            )
        if explanation.outcome == "fail":  # the unmet parts are the false named nodes
            assert set(explanation.finding.unmet) <= _false_parts(explanation.condition)
        checked += 1
    return checked


def _false_parts(node: sw_policy.NodeTrace | None) -> set[str]:
    if node is None:
        return set()
    found = {node.part} if node.part and node.value == "false" else set()
    for child in node.children:
        found |= _false_parts(child)
    return found


def test_trace_agrees_with_the_engine_on_every_fixture_record() -> None:
    read = sw_policy.read_files(FIXTURE_FILES)
    checked = 0
    for day in (dt.date(2020, 1, 1), AS_OF, dt.date(2026, 1, 1)):
        for located in read.records:
            checked += _agrees(located.record, day)
    assert checked > 300


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=records(), run_day=days, changes=overrides)
def test_trace_agrees_with_the_engine_on_random_records(
    batch: list[Any], run_day: dt.date, changes: dict[str, Any]
) -> None:
    book = RULEBOOK.with_parameters(changes) if changes else RULEBOOK
    for record in batch:
        _agrees(record, run_day, book)


def test_a_failing_share_shows_its_operands_in_both_languages() -> None:
    budget = {
        "kind": "budget",
        "id": "P-1",
        "jurisdiction": "330106",
        "total_funds": "1000000",
        "labour_cost": "750000",
    }
    explanation = RULEBOOK.explain(budget, "zhejiang-2019.labour-cost-share", as_of="2024-06-30")
    assert explanation.outcome == "fail"
    assert explanation.parameters == {"max_share": "0.70"}
    assert explanation.condition is not None
    assert explanation.condition.operands == {"labour_cost_share": "0.75", "max_share": "0.70"}
    assert "✗ 假: labour_cost_share ≤ 0.70" in explanation.text("zh")
    assert "✗ false: labour_cost_share ≤ 0.70" in explanation.text("en")
    assert "参数: max_share = 0.70" in explanation.text("zh")


def test_an_unknown_input_makes_its_node_undecided() -> None:
    region = sw_policy.parse_record(
        {
            "kind": "region",
            "id": "R-1",
            "jurisdiction": "361126",
            "year": 2023,
            "certified_workers": 90,
        }
    )
    explanation = RULEBOOK.explain(region, "yiyang-2022.target.certified-workers", as_of=AS_OF)
    assert (explanation.outcome, explanation.milestone) == ("insufficient_data", 2023)
    condition = explanation.condition
    assert condition is not None and condition.value == "undecided"
    count, doubling = condition.children
    assert (count.part, count.value) == ("count", "true")
    assert (doubling.part, doubling.value) == ("doubling", "undecided")
    assert None in doubling.operands.values()  # shown as unknown
    assert "未知" in explanation.text("zh") and "unknown" in explanation.text("en")


def test_a_later_milestone_is_the_variant_chosen() -> None:
    region = sw_policy.parse_record(
        {
            "kind": "region",
            "id": "R-2",
            "jurisdiction": "361126",
            "year": 2025,
            "certified_workers": 151,
        }
    )
    explanation = RULEBOOK.explain(
        region, "yiyang-2022.target.certified-workers", as_of="2026-01-01"
    )
    assert (explanation.milestone, explanation.outcome) == (2025, "pass")
    assert "2025 年目标" in explanation.text("zh")


def test_out_of_scope_is_not_applicable_with_its_reason_and_no_tree() -> None:
    budget = {
        "kind": "budget",
        "id": "P-1",
        "jurisdiction": "330106",
        "total_funds": "100",
        "labour_cost": "1",
    }
    explanation = RULEBOOK.explain(budget, "yiyang-2022.labour-cost-share", as_of=AS_OF)
    assert explanation.outcome == "not_applicable"
    assert explanation.reason is not None and "outside scope 361126" in explanation.reason[1]
    assert explanation.condition is None
    data = explanation.to_dict()
    assert data["condition"] is None and data["reason"]["en"] == explanation.reason[1]


def test_an_amending_rule_names_what_it_displaces(tmp_path: Path) -> None:
    from test_layering import layered_rules

    rules = sw_policy.load_rulebook(layered_rules(tmp_path))
    record = {
        "kind": "budget",
        "id": "X",
        "jurisdiction": "330106",
        "total_funds": "100",
        "labour_cost": "65",
    }
    county = rules.explain(record, "xihu-2023.labour-cost-share", as_of=AS_OF)
    assert county.displaces == ("zhejiang-2019.labour-cost-share",)
    assert county.outcome == "fail"
    assert "displaces zhejiang-2019.labour-cost-share" in county.text("en")
    province = rules.explain(record, "zhejiang-2019.labour-cost-share", as_of=AS_OF)
    assert province.outcome == "not_applicable"
    assert province.reason == (
        "已由 xihu-2023.labour-cost-share 取代",
        "displaced by xihu-2023.labour-cost-share",
    )


def test_explain_command_reads_a_file_row_or_json() -> None:
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "explain",
            "zhejiang-2019.labour-cost-share",
            "--record",
            f"{FIXTURES / 'budgets.csv'}:3",
            "--as-of",
            "2024-06-30",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "record budget B-ZJ-02" in result.output
    assert "✓ true: labour_cost_share ≤ 0.70" in result.output
    record = json.dumps(
        {
            "类型": "预算",
            "项目编号": "P-1",
            "行政区划代码": "361126",
            "项目经费": "100",
            "人力成本": "79",
        }
    )
    result = runner.invoke(
        main,
        ["explain", "yiyang-2022.labour-cost-share", "--record", record, "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["outcome"], data["condition"]["value"]) == ("fail", "false")


def test_explain_command_errors_are_one_line() -> None:
    runner = CliRunner()
    cases = [
        (["explain", "nope", "--record", "x.csv:1"], "no rule with id 'nope'"),
        (
            ["explain", "zhejiang-2019.labour-cost-share", "--record", "x.csv"],
            "expected FILE:ROW",
        ),
        (
            [
                "explain",
                "zhejiang-2019.labour-cost-share",
                "--record",
                f"{FIXTURES / 'budgets.csv'}:41",
            ],
            "was rejected: total_funds: must be greater than 0",
        ),
        (
            [
                "explain",
                "zhejiang-2019.labour-cost-share",
                "--record",
                f"{FIXTURES / 'budgets.csv'}:999",
            ],
            "no record on row 999",
        ),
    ]
    for args, words in cases:
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert words in result.output
        assert "internal error" not in result.output


def test_check_trace_adds_a_key_and_leaves_the_default_json_alone() -> None:
    runner = CliRunner()
    args = ["check", str(FIXTURES / "budgets.csv"), "--as-of", "2024-06-30", "--format", "json"]
    plain = runner.invoke(main, args)
    traced = runner.invoke(main, [*args, "--trace"])
    assert plain.exit_code == traced.exit_code == 1
    report = sw_policy.load_rulebook().check_files(
        [FIXTURES / "budgets.csv"],
        as_of=AS_OF,
        options=sw_policy.RunOptions(format="json", lang="zh", divisions=divisions_stamp()),
    )
    assert plain.output == report.to_json()  # byte-identical without --trace
    data = json.loads(traced.output)
    assert all("trace" in f for f in data["findings"])
    without = {k: v for k, v in data.items() if k != "findings"}
    assert without == {k: v for k, v in json.loads(plain.output).items() if k != "findings"}
    for finding in data["findings"]:
        assert finding["trace"]["outcome"] == finding["outcome"]
    refused = runner.invoke(main, [*args[:-2], "--trace"])
    assert refused.exit_code == 2 and "--format json" in refused.output
