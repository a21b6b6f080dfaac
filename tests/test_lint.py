"""`sw-policy lint`: one fixture per problem it can report, each with file, line and fix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import RULES_DIR, sources_dir
from sw_policy.cli import main
from sw_policy.drafting.lint import lint_rules_dir

FIXTURES = Path(__file__).parent / "lint_fixtures"
AS_OF = dt.date(2024, 6, 30)

# fixture directory -> (level, code, file, line) of the one problem it must give.
EXPECTED = {
    "yaml": ("error", "yaml", "prov-2020.yaml", 9),
    "duplicate-key": ("error", "duplicate-key", "prov-2020.yaml", 9),
    "unknown-field": ("error", "unknown-field", "prov-2020.yaml", 9),
    "missing-citation": ("error", "missing-citation", "prov-2020.yaml", 3),
    "undefined-parameter": ("error", "undefined-parameter", "prov-2020.yaml", 3),
    "unknown-rule": ("error", "unknown-rule", "prov-2020.yaml", 16),
    "unknown-source": ("error", "unknown-source", "prov-2020.yaml", 1),
    "duplicate-rule-id": ("error", "duplicate-rule-id", "prov-2020.yaml", 15),
    "quote-not-found": ("error", "quote-not-found", "prov-2020.yaml", 5),
    "source-text-missing": ("warning", "source-text-missing", "prov-2020.txt", None),
    "deadline-before-issue": ("error", "deadline-before-issue", "prov-2020.yaml", 15),
    # The narrower jurisdiction's rule (the county's) is the one to amend: it is blamed.
    "contradiction": ("error", "contradiction", "county-2021.yaml", 3),
    "layering": ("error", "layering", "county-2021.yaml", 15),
    "schema": ("error", "schema", "prov-2020.yaml", 7),
    "rulebook": ("error", "rulebook", "prov-2020.yaml", 15),
    "layout": ("error", "layout", "sources.yaml", None),
    "draft-source": ("warning", "draft-source", "prov-2020.yaml", 1),
    "review-due": ("warning", "review-due", "prov-2020.yaml", 1),
    "target-ended": ("warning", "target-ended", "prov-2020.yaml", 25),
    # The parameter says 0.75, the quote 70%: the rule cites one figure and judges another.
    "figure-not-in-quote": ("warning", "figure-not-in-quote", "prov-2020.yaml", 10),
}


def lint(name: str):
    directory = FIXTURES / name
    texts = directory / "sources"
    return lint_rules_dir(directory, sources_dir=texts if texts.is_dir() else None, as_of=AS_OF)


def test_every_fixture_is_listed():
    present = {p.name for p in FIXTURES.iterdir() if p.is_dir()}
    assert present == set(EXPECTED) | {"clean", "contradiction-resolved"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_gives_exactly_its_problem(name):
    problems = lint(name)
    level, code, file, line = EXPECTED[name]
    assert [(p.level, p.code, Path(p.path).name, p.line) for p in problems] == [
        (level, code, file, line)
    ], [str(p) for p in problems]
    assert problems[0].fix
    assert problems[0].message


@pytest.mark.parametrize("name", ["clean", "contradiction-resolved"])
def test_clean_fixtures(name):
    assert lint(name) == []


def test_contradiction_names_both_rules_and_figures():
    (problem,) = lint("contradiction")
    assert "county-2021.labour-cost-floor" in problem.message
    assert "prov-2020.labour-cost-share" in problem.message
    assert "≥ 0.75 and ≤ 0.70" in problem.message
    assert "amends:" in problem.fix


def test_unknown_field_suggests_the_right_one():
    (problem,) = lint("unknown-field")
    assert problem.fix == "did you mean `deadline`?"


def test_the_bundled_rulebook_lints_clean():
    texts = sources_dir()
    assert [str(p) for p in lint_rules_dir(RULES_DIR, sources_dir=texts)] == []


def test_as_of_warns_about_ageing_bundled_sources():
    problems = lint_rules_dir(RULES_DIR, as_of=AS_OF)
    codes = [(p.code, Path(p.path).name) for p in problems]
    assert ("draft-source", "zhejiang-2019-draft.yaml") in codes
    assert ("target-ended", "liaoning-2013.yaml") in codes
    assert ("review-due", "liaoning-2013.yaml") in codes
    assert all(p.level == "warning" for p in problems)


def test_cli_exit_codes_and_json():
    runner = CliRunner()
    clean = runner.invoke(main, ["lint", str(FIXTURES / "clean")])
    assert clean.exit_code == 0
    assert clean.stdout.splitlines()[0].startswith("notice: quotes NOT verified")
    assert clean.stdout.splitlines()[1:] == ["0 error(s), 0 warning(s)"]
    warned = runner.invoke(main, ["lint", str(FIXTURES / "target-ended"), "--as-of", "2024-06-30"])
    assert warned.exit_code == 0
    assert "warning[target-ended]" in warned.output
    strict = runner.invoke(
        main, ["lint", str(FIXTURES / "target-ended"), "--as-of", "2024-06-30", "--strict"]
    )
    assert strict.exit_code == 1
    bad = runner.invoke(main, ["lint", str(FIXTURES / "contradiction"), "--format", "json"])
    assert bad.exit_code == 1
    (problem,) = json.loads(bad.stdout)
    assert problem["code"] == "contradiction"
    assert problem["line"] == 3
