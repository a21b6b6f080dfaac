"""Hostile rule files: a device behind a symlink, absurd nesting, both refused in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from sw_policy.cli import main

RULES = Path(__file__).resolve().parents[2] / "rules"


def _check(rules: Path, tmp_path: Path, *extra: str) -> tuple[int, str]:
    records = tmp_path / "b.json"
    records.write_text('[{"kind":"budget","id":"P","jurisdiction":"330106","total_funds":1}]')
    result = CliRunner().invoke(main, ["check", str(records), "--rules", str(rules), *extra])
    return result.exit_code, result.stderr


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy)
    return copy


def test_rule_file_linked_to_dev_zero_is_refused(rules: Path, tmp_path: Path) -> None:
    target = rules / "yiyang-2022.yaml"
    target.unlink()
    target.symlink_to("/dev/zero")
    code, err = _check(rules, tmp_path)
    assert code == 2 and err.count("\n") == 1
    assert "yiyang-2022.yaml" in err and "not a regular file" in err


@pytest.mark.parametrize("style", ["flow", "block"])
def test_600_deep_rule_condition_is_refused(rules: Path, tmp_path: Path, style: str) -> None:
    path = rules / "yiyang-2022.yaml"
    text = path.read_text(encoding="utf-8")
    if style == "flow":
        deep = "{op: not, of: " * 600 + "{field: x}" + "}" * 600
    else:
        deep = "".join(f"\n{'  ' * (i + 3)}op: not\n{'  ' * (i + 3)}of:" for i in range(600))
        deep += f"\n{'  ' * 603}field: x"
    path.write_text(text.replace("    condition:\n", f"    condition: {deep}\n    old:\n", 1))
    code, err = _check(rules, tmp_path)
    assert code == 2 and err.count("\n") == 1, err
    assert "yiyang-2022.yaml" in err and "condition_depth=64" in err
    assert "internal error" not in err


def test_rule_file_beyond_rule_bytes_is_refused(rules: Path, tmp_path: Path) -> None:
    code, err = _check(rules, tmp_path, "--limit", "rule_bytes=1000")
    assert code == 2 and err.count("\n") == 1, err
    assert "rule_bytes=1000" in err and ".yaml" in err and "--limit rule_bytes=N" in err


def test_rule_file_at_rule_bytes_is_read(rules: Path, tmp_path: Path) -> None:
    largest = max(p.stat().st_size for p in rules.rglob("*.yaml"))
    code, err = _check(rules, tmp_path, "--limit", f"rule_bytes={largest}")
    assert code in (0, 1, 3) and err == "", err
    code, err = _check(rules, tmp_path, "--limit", f"rule_bytes={largest - 1}")
    assert code == 2 and f"rule_bytes={largest - 1}" in err


def test_a_low_input_limit_does_not_refuse_the_rulebook(rules: Path, tmp_path: Path) -> None:
    """file_bytes bounds the records only: the bundled rulebook (23 KB files) still loads."""
    for extra in ((), ("--rules", str(rules))):
        records = tmp_path / "b.json"
        records.write_text('[{"kind":"budget","id":"P","jurisdiction":"330106","total_funds":1}]')
        args = ["check", str(records), "--limit", "file_bytes=10000", *extra]
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1, 3) and "file_bytes" not in result.stderr, result.stderr
    big = tmp_path / "big.json"
    big.write_text("[" + ",".join(['{"kind":"budget","id":"P","total_funds":1}'] * 400) + "]")
    result = CliRunner().invoke(main, ["check", str(big), "--limit", "file_bytes=10000"])
    assert result.exit_code == 2 and "big.json" in result.stderr
    assert "file_bytes=10000" in result.stderr


def test_local_rules_linked_to_dev_zero_are_not_read_for_ever(rules: Path) -> None:
    """The "your ./rules differs" hint hashes ./rules: bounded like loading it."""
    from sw_policy.rulebook.location import choose_rules_dir, unused_local_rules

    target = rules / "yiyang-2022.yaml"
    target.unlink()
    target.symlink_to("/dev/zero")
    choice = choose_rules_dir(None, environ={}, cwd=rules.parent)
    assert unused_local_rules(choice, cwd=rules.parent) == rules
