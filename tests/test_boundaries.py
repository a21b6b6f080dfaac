"""`sw-policy test --boundaries`: thresholds probed at, below and above, exactly."""

from __future__ import annotations

import shutil
from fractions import Fraction

from click.testing import CliRunner

from conftest import RULES_DIR
from sw_policy.checking.rulebook import load_rulebook
from sw_policy.cli import main
from sw_policy.drafting.boundaries import check_boundaries
from sw_policy.drafting.rule_tests import run_tests
from sw_policy.engines.row.tree_walk import Truth


def probe(rules_dir):
    book = load_rulebook(rules_dir)
    run = run_tests([RULES_DIR / "tests"], rulebook=book)
    return check_boundaries(book, [r for c in run.cases for r in c.reached])


def test_every_bundled_threshold_flips_where_its_wording_says():
    checks = probe(RULES_DIR)
    # 39: Yiyang's 2023 milestone is probed twice, as 2023's own condition and as the level
    # later years carry (count > count_floor without the doubling); its per-field target
    # has seven thresholds, one per field (each a map entry set at, below and above 1).
    assert len(checks) == 39
    assert sum("influential-orgs-by-field" in c.rule_id for c in checks) == 7
    assert any(c.what.endswith("(after 2023)") for c in checks)
    assert [str(c.problems) for c in checks if not c.ok] == []
    cap = next(c for c in checks if c.rule_id == "zhejiang-2019.labour-cost-share")
    assert cap.wording == "不超过"
    # 0.70 of 333333.33 is 233333.331: exactly at the cap passes, 0.01 more fails.
    at = {point: (shown, got) for point, shown, _, got in cap.results}
    assert at["at"][1] is Truth.TRUE
    assert at["above"][1] is Truth.FALSE
    assert "labour_cost_share=0.7," in at["at"][0] or at["at"][0].startswith(
        "labour_cost_share=0.7"
    )
    assert Fraction("233333.331") / Fraction("333333.33") == Fraction(7, 10)
    floor = next(c for c in checks if c.rule_id == "yiyang-2022.target.supervisors")
    assert [(p, got) for p, _, _, got in floor.results] == [
        ("at", Truth.FALSE),
        ("below", Truth.FALSE),
        ("above", Truth.TRUE),
    ]


def test_an_operator_that_contradicts_its_wording_is_caught(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    path = copy / "zhejiang-2019-draft.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    condition:\n      op: le\n      left:\n        op: ratio"
    assert old in text
    path.write_text(text.replace(old, old.replace("op: le", "op: lt")), encoding="utf-8")
    checks = probe(copy)
    bad = [c for c in checks if not c.ok]
    assert [c.rule_id for c in bad] == ["zhejiang-2019.labour-cost-share"]
    assert "wording 不超过 reads as ≤, the rule uses <" in bad[0].problems


def test_cli_boundaries_exit_status():
    result = CliRunner().invoke(main, ["test", str(RULES_DIR / "tests"), "--boundaries"])
    assert result.exit_code == 0, result.output
    assert "39 threshold(s) probed, 0 failed" in result.output
