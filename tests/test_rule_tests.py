"""The rule tests in rules/tests/ run as pytest items; the runner reports failures with lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import RULES_DIR
from sw_policy.checking.rulebook import load_rulebook
from sw_policy.cli import main
from sw_policy.drafting.rule_test_coverage import coverage_of
from sw_policy.drafting.rule_tests import load_test_file, run_case, run_tests

TEST_FILES = sorted((RULES_DIR / "tests").glob("*.yaml"))
LOADED = {path: load_test_file(path) for path in TEST_FILES}
CASES = [
    pytest.param(path, index, id=f"{path.stem}::{case.name}")
    for path, loaded in LOADED.items()
    for index, case in enumerate(loaded.parsed.cases)
]


@pytest.fixture(scope="module")
def book():
    return load_rulebook(RULES_DIR)


@pytest.mark.parametrize(("path", "index"), CASES)
def test_rule_case(book, path, index):
    loaded = LOADED[path]
    result = run_case(book, loaded.parsed.cases[index], path, loaded.data, index)
    assert result.passed, f"{result.where}: " + "\n".join(result.failures)


def test_every_source_has_a_test_file(book):
    assert {p.stem for p in TEST_FILES} == {s.id for s in book.sources}


def test_every_rule_covered_at_every_goal(book):
    run = run_tests([RULES_DIR / "tests"], rulebook=book)
    coverage = coverage_of(book, [r for case in run.cases for r in case.reached])
    assert len(coverage) == len(book.rules)
    assert {c.rule_id: c.missing for c in coverage if c.missing} == {}
    goals = {c.rule_id: c.goals for c in coverage}
    assert "pending" in goals["zhejiang-2019.training-120h"]
    assert "part:volunteers=false" in goals["yiyang-2022.demo-community"]


FAILING = """\
rules: {rules}
cases:
  - name: a cap case written wrongly
    as_of: 2024-06-30
    records:
      - {{kind: budget, id: B-1, jurisdiction: "330106", total_funds: 100.00, labour_cost: 75.00}}
    expect:
      zhejiang-2019.labour-cost-share: pass
      zhejiang-2019.labour-cost-shar: fail
  - name: right
    as_of: 2024-06-30
    records:
      - {{kind: budget, id: B-2, jurisdiction: "330106", total_funds: 100.00, labour_cost: 70.00}}
    expect:
      zhejiang-2019.labour-cost-share: {{outcome: pass, observed: {{labour_cost_share: "0.71"}}}}
"""


def write_failing(tmp_path: Path) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(FAILING.format(rules=RULES_DIR), encoding="utf-8")
    return path


def test_failures_name_file_line_expected_and_got(tmp_path):
    run = run_tests([write_failing(tmp_path)])
    assert len(run.cases) == 2
    first, second = run.failed
    assert first.line == 3
    assert first.failures[0].startswith(
        "line 8: zhejiang-2019.labour-cost-share: expected pass, got fail"
    )
    assert "did you mean zhejiang-2019.labour-cost-share" in first.failures[1]
    assert second.failures == [
        "line 15: zhejiang-2019.labour-cost-share: observed labour_cost_share: "
        "expected '0.71', got '0.7'"
    ]


def test_cli_exit_codes(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["test", str(RULES_DIR / "tests"), "--coverage"])
    assert ok.exit_code == 0, ok.output
    assert "all 32 rule(s) covered" in ok.output
    bad = runner.invoke(main, ["test", str(write_failing(tmp_path))])
    assert bad.exit_code == 1
    assert f"FAIL {tmp_path / 't.yaml'}:3: a cap case written wrongly" in bad.output
    missing = runner.invoke(main, ["test", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    assert "no such test file" in missing.output


def test_a_copied_rulebook_with_a_changed_threshold_fails_where_it_bites(tmp_path):
    import shutil

    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    path = copy / "zhejiang-2019-draft.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "max_share: {value: 0.70", "max_share: {value: 0.75"
        ),
        encoding="utf-8",
    )
    run = run_tests([copy / "tests"])
    failed = {(c.path.name, c.name) for c in run.failed}
    assert failed == {
        ("zhejiang-2019-draft.yaml", "one cent over 70% fails"),
        ("zhejiang-2019-draft.yaml", "70% of 333333.33 is compared exactly, not rounded"),
    }


def test_pytest_collects_a_rules_directory_tests_and_reports_the_failing_case(tmp_path):
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    path = copy / "yiyang-2022.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "min_share: {value: 0.80", "min_share: {value: 0.85"
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(copy / "tests")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 1, result.stdout
    assert "1 failed, 104 passed" in result.stdout
    assert "yiyang-2022.yaml:5: labour cost exactly 80% passes" in result.stdout
    assert "expected pass, got fail" in result.stdout


def test_a_rules_directory_given_to_test_runs_its_tests_folder(tmp_path):
    # `sw-policy test rules` read rules/intake/vocabulary.yaml as a test file (exit 2).
    runner = CliRunner()
    whole = runner.invoke(main, ["test", str(RULES_DIR)])
    tests = runner.invoke(main, ["test", str(RULES_DIR / "tests")])
    assert whole.exit_code == 0, whole.output
    assert whole.output.splitlines()[-1] == tests.output.splitlines()[-1]
    (tmp_path / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    refused = runner.invoke(main, ["test", str(tmp_path)])
    assert refused.exit_code == 2
    assert "no tests/ folder" in refused.output
