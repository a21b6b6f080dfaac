"""The guide's one-line edit fails exactly the tests that pin the figure on purpose.

A copy of rules/ with the Zhejiang cap raised 0.70 → 0.75: the Python tests of
the rule's meaning (pass at the cap, fail one cent over, exact decimals) read
the cap from the rule file and still pass against the copy; the YAML rule
tests, written at 0.70, fail in exactly the two cases at the 70% boundary.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, RULES_DIR
from sw_policy.drafting.rule_tests import run_tests

# Subprocess walk-throughs, independent of the Python version: CI runs them on 3.11 only.
pytestmark = pytest.mark.once


def _edited_copy(tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    path = rules / "zhejiang-2019-draft.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        re.sub(r"max_share: \{value: [0-9.]+", "max_share: {value: 0.75", text), encoding="utf-8"
    )
    return rules


def test_rule_tests_fail_exactly_at_the_boundary_cases(tmp_path):
    rules = _edited_copy(tmp_path)
    run = run_tests([rules / "tests"])
    assert [(c.path.name, c.name) for c in run.failed] == [
        ("zhejiang-2019-draft.yaml", "one cent over 70% fails"),
        ("zhejiang-2019-draft.yaml", "70% of 333333.33 is compared exactly, not rounded"),
    ]


def test_python_tests_of_the_rule_follow_the_edited_figure(tmp_path):
    rules = _edited_copy(tmp_path)
    env = {**os.environ, "SW_POLICY_TEST_RULES": str(rules)}
    seen = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.path.insert(0, 'tests'); import conftest; "
            "print(conftest.param('zhejiang-2019.labour-cost-share', 'max_share'))",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert seen.stdout.strip() == "0.75"  # the tests below judge with the edited copy
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n0",
            "-k",
            "labour_cost_share and not property",
            "tests/test_rules_zhejiang.py",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"\b[2-9]\d passed\b", done.stdout), done.stdout[-500:]
