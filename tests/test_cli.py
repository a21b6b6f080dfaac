"""The command line: exit codes 0/1/2, one-line errors, reports to files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, RULES_DIR
from sw_policy.cli import main

AS_OF = ["--as-of", "2024-06-30"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_table_on_fixtures_exits_1_for_mandatory_failures():
    code, out, err = run("check", str(FIXTURES / "budgets.csv"), *AS_OF)
    assert code == 1 and err == ""
    assert "zhejiang-2019.labour-cost-share" in out
    assert "Rejected records (4)" in out
    assert "占比不超过项目经费的70%" in out
    assert "Summary: 43 records (39 evaluated, 4 rejected)" in out


def test_exit_0_when_nothing_mandatory_fails(tmp_path):
    path = tmp_path / "ok.json"
    path.write_text(
        '[{"kind": "budget", "id": "P", "jurisdiction": "330106",'
        ' "total_funds": 10, "labour_cost": 7}]'
    )
    code, out, _ = run("check", str(path), *AS_OF)
    assert code == 0 and "no mandatory provision in force failed" in out


def test_target_failures_alone_exit_0(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(
        '[{"kind": "region", "id": "R", "jurisdiction": "330000",'
        ' "year": 2022, "certified_workers": 1}]'
    )
    code, out, _ = run("check", str(path), *AS_OF)
    assert code == 0 and "fail" in out


def test_json_format_to_file(tmp_path):
    output = tmp_path / "report.json"
    code, out, _ = run(
        "check", str(FIXTURES / "mixed.json"), *AS_OF, "--format", "json", "-o", str(output)
    )
    assert code == 1 and out == ""
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["as_of"] == "2024-06-30" and data["summary"]["records"] == 26


def test_only_failures_and_exclude_drafts():
    _code, out, _ = run(
        "check",
        str(FIXTURES / "budgets.csv"),
        *AS_OF,
        "--format",
        "json",
        "--only-failures",
        "--exclude-drafts",
    )
    data = json.loads(out)
    assert {f["outcome"] for f in data["findings"]} == {"fail"}
    assert {f["rule_id"] for f in data["findings"]} == {"yiyang-2022.labour-cost-share"}
    assert data["rulebook"]["rules"] == 18


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "missing.csv"], "missing.csv: file not found"),
        (["check", str(FIXTURES / "budgets.csv"), "--rules", "/nonexistent"], "not a directory"),
        (["rules", "show", "no.such-rule"], "no rule with id 'no.such-rule'"),
    ],
)
def test_errors_are_one_line_with_exit_2(args, message):
    code, out, err = run(*args)
    assert code == 2
    assert err.strip().count("\n") == 0 and message in err
    assert "Traceback" not in err + out


def test_bad_rule_file_is_one_line_with_file_and_line(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / "yiyang-2022.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("severity: target", "severity: urgent", 1),
        encoding="utf-8",
    )
    code, _, err = run("check", str(FIXTURES / "budgets.csv"), "--rules", str(rules))
    assert code == 2
    assert f"{path}:" in err and "severity" in err and err.count("\n") == 1


def test_usage_errors_exit_2():
    assert run("check")[0] == 2
    assert run("check", "x.csv", "--as-of", "30/06/2024")[0] == 2


def test_rules_list_show_coverage_catalogue():
    code, out, _ = run("rules", "list")
    assert code == 0 and out.count("\n") == 33
    code, out, _ = run("rules", "show", "yiyang-2022.demo-community")
    assert (
        code == 0 and "Quote:" in out and "min_volunteer_share = 0.10" in out and "二(二)2" in out
    )
    code, out, _ = run("rules", "coverage")
    assert code == 0 and "numbered clauses" in out and "not encoded" in out
    code, out, _ = run("rules", "coverage", "--format", "json")
    assert {row["source"] for row in json.loads(out)} == {
        "liaoning-2013",
        "zhejiang-2019-draft",
        "liaoning-2017",
        "liaocheng-2020",
        "yiyang-2022",
    }
    code, out, _ = run("rules", "list", "--format", "json")
    assert len(json.loads(out)) == 32


def test_help_has_examples():
    code, out, _ = run("check", "--help")
    assert code == 0 and "Example" in out and "--only-failures" in out


def test_python_dash_m_and_version():
    result = subprocess.run(
        [sys.executable, "-m", "sw_policy", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and "sw-policy" in result.stdout


def test_catalogue_in_docs_is_current():
    generated = CliRunner().invoke(main, ["rules", "catalogue"]).stdout
    committed = (Path(__file__).resolve().parents[1] / "docs" / "rule-catalogue.md").read_text(
        encoding="utf-8"
    )
    assert generated == committed, (
        "docs/rule-catalogue.md is stale: run `sw-policy rules catalogue -o docs/rule-catalogue.md`"
    )


def test_unwritable_output_is_one_line(tmp_path):
    target = tmp_path / "missing-dir" / "report.json"
    code, _, err = run("check", str(FIXTURES / "mixed.json"), *AS_OF, "--output", str(target))
    assert code == 2 and err.count("\n") == 1
    assert f"{target}: No such file or directory" in err
