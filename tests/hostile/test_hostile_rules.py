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


def test_rule_file_beyond_file_bytes_is_refused(rules: Path, tmp_path: Path) -> None:
    code, err = _check(rules, tmp_path, "--limit", "file_bytes=1000")
    assert code == 2 and "file_bytes=1000" in err and ".yaml" in err
