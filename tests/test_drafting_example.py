"""The drafter's workflow in docs/drafters.md, run as written: copy, change, lint, test, diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, REPO, RULES_DIR, sources_dir
from sw_policy.cli import main

EXAMPLE = REPO / "docs" / "examples" / "county-floor"
ALL_FIXTURES = [
    str(FIXTURES / f"{k}.csv")
    for k in ("budgets", "workers", "communities", "institutions", "regions")
]


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    shared = sources_dir()
    if shared is None:
        pytest.skip("source texts not present")
    directory = tmp_path / "sources"
    shutil.copytree(shared, directory)
    shutil.copy(EXAMPLE / "sources" / "example-county-2025.txt", directory)
    return directory


def test_three_commands_after_raising_the_cap(tmp_path, texts):
    rules = tmp_path / "myrules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / "zhejiang-2019-draft.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "max_share: {value: 0.70", "max_share: {value: 0.75"
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    lint = runner.invoke(main, ["lint", str(rules), "--sources", str(texts)])
    first, warning, last = lint.stdout.splitlines()
    assert (lint.exit_code, first, last) == (
        0,
        f"quotes checked against the source texts in {texts}",
        "0 error(s), 1 warning(s)",
    )
    # The cap now reads 0.75 while the quote still writes 70%: lint says so, as a warning.
    assert "warning[figure-not-in-quote]: zhejiang-2019.labour-cost-share: " in warning
    assert "parameter max_share is 0.75" in warning
    test = runner.invoke(main, ["test", str(rules / "tests")])
    assert test.exit_code == 1
    assert test.output.count("FAIL ") == 2
    assert "zhejiang-2019-draft.yaml:16: one cent over 70% fails" in test.output
    assert "105 case(s), 103 passed, 2 failed" in test.output
    diff = runner.invoke(
        main,
        [
            "diff",
            "--old",
            str(RULES_DIR),
            "--new",
            str(rules),
            *ALL_FIXTURES,
            "--as-of",
            "2024-06-30",
            "--format",
            "md",
        ],
    )
    assert diff.exit_code == 0
    assert (
        "| `zhejiang-2019.labour-cost-share` | fail → pass | 4 | budget:B-ZJ-03, "
        "budget:B-ZJ-07, budget:B-ZJ-11, budget:B-ZJ-14 |"
    ) in diff.output


def add_example(tmp_path: Path, floor: str = "0.60") -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    entry = "".join(
        line
        for line in (EXAMPLE / "source-entry.yaml")
        .read_text(encoding="utf-8")
        .splitlines(keepends=True)
        if not line.startswith("#")
    )
    sources = rules / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + entry, encoding="utf-8")
    text = (EXAMPLE / "example-county-2025.yaml").read_text(encoding="utf-8")
    (rules / "example-county-2025.yaml").write_text(
        text.replace("min_share: {value: 0.60", f"min_share: {{value: {floor}"), encoding="utf-8"
    )
    shutil.copy(EXAMPLE / "tests" / "example-county-2025.yaml", rules / "tests")
    return rules


def test_worked_example_lints_tests_and_diffs(tmp_path, texts):
    rules = add_example(tmp_path)
    runner = CliRunner()
    lint = runner.invoke(main, ["lint", str(rules), "--sources", str(texts)])
    assert (lint.exit_code, lint.stdout) == (
        0,
        f"quotes checked against the source texts in {texts}\n0 error(s), 0 warning(s)\n",
    )
    test = runner.invoke(main, ["test", str(rules / "tests"), "--coverage", "--boundaries"])
    assert test.exit_code == 0, test.output
    assert "example-county-2025.labour-cost-floor           2/2      -" in test.output
    assert "all 33 rule(s) covered at every goal" in test.output
    diff = runner.invoke(
        main,
        [
            "diff",
            "--old",
            str(RULES_DIR),
            "--new",
            str(rules),
            str(FIXTURES / "budgets.csv"),
            "--as-of",
            "2025-06-30",
            "--format",
            "json",
        ],
    )
    data = json.loads(diff.output)
    moved = {r["rule_id"]: r["moves"] for r in data["rules"] if r["moves"]}
    # By hand: the valid 330106 budgets are B-ZJ-01, -03, -10 and -18, all at 0.70 or just over.
    assert moved == {
        "example-county-2025.labour-cost-floor": [
            {
                "from": "none",
                "to": "pass",
                "count": 4,
                "records": ["budget:B-ZJ-01", "budget:B-ZJ-03", "budget:B-ZJ-10", "budget:B-ZJ-18"],
            }
        ]
    }


def test_a_floor_above_the_province_cap_is_a_contradiction(tmp_path):
    rules = add_example(tmp_path, floor="0.75")
    result = CliRunner().invoke(main, ["lint", str(rules)])
    assert result.exit_code == 1
    assert "error[contradiction]" in result.output
    assert "≥ 0.75 and ≤ 0.70" in result.output or "≤ 0.70 and ≥ 0.75" in result.output
