"""One validation pass (rulebook/validation.py): the loader raises its first error, lint lists
every issue, each classified by a stable code rather than by its message text."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import RULES_DIR
from sw_policy.errors import RuleFileError
from sw_policy.rulebook.loader import load_rules_dir
from sw_policy.rulebook.strict_yaml import parse_yaml
from sw_policy.rulebook.validation import validate_rules_dir

FIXTURES = Path(__file__).parent / "lint_fixtures"


def test_the_bundled_rulebook_has_no_issue() -> None:
    checked = validate_rules_dir(RULES_DIR)
    assert checked.issues == []
    assert checked.first_error() is None
    assert len(checked.rules) == len(load_rules_dir(RULES_DIR).rules)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_the_loader_raises_the_first_error_of_the_pass(name: str) -> None:
    checked = validate_rules_dir(FIXTURES / name)
    expected = checked.first_error()
    if expected is None:
        load_rules_dir(FIXTURES / name)
        return
    with pytest.raises(RuleFileError) as info:
        load_rules_dir(FIXTURES / name)
    assert str(info.value) == str(expected)
    assert all(i.code for i in checked.issues)


def test_an_amends_loop_is_a_loader_issue_with_its_rule_id() -> None:
    loops = [i for i in validate_rules_dir(FIXTURES / "rulebook").issues if i.raised]
    assert {i.code for i in loops} == {"amends-loop"}  # each rule of the loop
    loop = loops[0]
    assert loop.message is None  # lint lists it as the loader words it, code `rulebook`
    assert loop.rule_id is not None and loop.raised is not None
    assert loop.raised.reason.startswith("amends/supersedes loop: ")


def test_a_duplicate_key_is_classified_by_its_code(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    raw = b"source: a\nsource: b\n"
    with pytest.raises(RuleFileError) as info:
        parse_yaml(raw, path)
    assert info.value.code == "duplicate-key"
    assert info.value.brief == "duplicate key 'source' (first written at line 1)"
    assert info.value.reason.startswith(info.value.brief + "; ")


def test_a_yaml_error_that_mentions_duplicate_is_not_a_duplicate_key(tmp_path: Path) -> None:
    """Classified by code: an anchor written twice is a YAML error, whatever its text says."""
    with pytest.raises(RuleFileError) as info:
        parse_yaml(b"a: &x 1\nb: &x 2\nc: *x\nd: [\n", tmp_path / "x.yaml")
    assert info.value.code is None
