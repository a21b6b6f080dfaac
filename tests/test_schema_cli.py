"""`sw-policy schema`: editors validate rule and test files with the models' own JSON Schema."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conftest import RULES_DIR
from sw_policy.cli import main
from sw_policy.rulebook.strict_yaml import load_yaml_file


def schema(target: str) -> dict:
    result = CliRunner().invoke(main, ["schema", "--for", target])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_rule_file_schema_names_every_rule_field_and_requires_citations():
    data = schema("rules")
    assert data["$schema"].endswith("2020-12/schema")
    rule = data["$defs"]["RuleSpec"]
    assert {"clause", "quote", "condition", "severity", "kind"} <= set(rule["required"])
    assert {"amends", "supersedes", "deadline", "milestones"} <= set(rule["properties"])
    assert rule["additionalProperties"] is False
    assert "review_period_years" in schema("sources")["properties"]


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.yaml")), ids=lambda p: p.name)
def test_every_key_the_bundled_files_use_is_in_the_schema(path):
    target = "sources" if path.name == "sources.yaml" else "rules"
    data = schema(target)
    assert set(load_yaml_file(path)) <= set(data["properties"])
    if target == "rules":
        allowed = set(data["$defs"]["RuleSpec"]["properties"])
        for rule in load_yaml_file(path).get("rules") or ():
            assert set(rule) <= allowed


def test_test_file_schema_and_the_bundled_tests_agree():
    data = schema("tests")
    case = data["$defs"]["RuleTestCase"]
    assert set(case["required"]) == {"name", "as_of", "records", "expect"}
    for path in sorted((RULES_DIR / "tests").glob("*.yaml")):
        loaded = load_yaml_file(path)
        assert set(loaded) <= set(data["properties"])
        for item in loaded["cases"]:
            assert set(item) <= set(case["properties"])


def test_schema_output_is_deterministic():
    runner = CliRunner()
    first = runner.invoke(main, ["schema"]).output
    assert first == runner.invoke(main, ["schema"]).output
