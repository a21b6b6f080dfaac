"""Loading rules/: strict YAML, refusal whole with file, line and reason, no Python edits."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import sw_policy
from conftest import RULES_DIR, make, param
from sw_policy import RuleFileError

LABOUR = "zhejiang-2019.labour-cost-share"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def refusal(directory: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        sw_policy.load_rulebook(directory)
    return info.value


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_bundled_rulebook_loads_with_every_contract_rule(rulebook):
    ids = {r.id for r in rulebook.rules}
    contract = {
        "liaocheng-2020.professional-qualification",
        "zhejiang-2019.training-120h",
        "zhejiang-2019.labour-cost-share",
        "zhejiang-2019.post-certificate",
        "zhejiang-2019.post-title-level",
        "zhejiang-2019.registration",
        "zhejiang-2019.community-staffing",
        "zhejiang-2019.institution-post-share",
        "zhejiang-2019.target.certified-workers",
        "zhejiang-2019.target.sw-posts",
        "zhejiang-2019.target.sw-organisations",
        "zhejiang-2019.target.supervisors",
        "zhejiang-2019.target.influential-organisations",
        "yiyang-2022.labour-cost-share",
        "yiyang-2022.community-sw-skills",
        "yiyang-2022.demo-community",
        "yiyang-2022.target.certified-workers",
        "yiyang-2022.target.supervisors",
        "yiyang-2022.target.sw-organisations",
        "yiyang-2022.target.sw-professionals",
        "yiyang-2022.target.influential-orgs-by-field",
        "liaocheng-2020.certificate-title-tier",
        "liaoning-2013.target.sw-talent",
        "liaoning-2013.target.sw-professionals",
    }
    # Beyond the contract's table (its "everything not fixed here is yours"): the per-worker
    # duties on registration, allowances and insurance that records carry since stop 13.
    beyond = {
        "yiyang-2022.certificate-registration",
        "yiyang-2022.occupational-allowance",
        "yiyang-2022.social-insurance",
        "zhejiang-2019.occupational-allowance",
        "zhejiang-2019.social-insurance",
        "liaocheng-2020.occupational-allowance",
        "liaocheng-2020.social-insurance",
        "liaoning-2017.occupational-allowance",
    }
    assert ids == contract | beyond
    assert len(rulebook.rules) == 32


def test_default_is_the_bundled_rulebook():
    assert len(sw_policy.load_rulebook().rules) == 32


def test_thresholds_are_exact_decimals(rulebook):
    value = rulebook.rule(LABOUR).parameters["max_share"].value
    written = re.search(
        r"max_share: \{value: ([0-9.]+)",
        (RULES_DIR / "zhejiang-2019-draft.yaml").read_text(encoding="utf-8"),
    )
    assert written is not None
    # Exactly as written: the same decimal, its trailing zero kept (0.70, not 0.7).
    assert isinstance(value, Decimal) and str(value) == written.group(1)


def test_changing_a_threshold_in_yaml_changes_outcomes(rules_copy):
    cap = param(LABOUR, "max_share")  # 0.70 as the draft says; 0.72 lies between 0.70 and 0.75
    raised = cap + Decimal("0.05")
    budget = make(
        "budget",
        jurisdiction="330106",
        total_funds="1000000.00",
        labour_cost=str((cap + Decimal("0.02")) * 1000000),
    )
    before = sw_policy.load_rulebook(rules_copy).evaluate(budget, as_of=dt.date(2024, 6, 30))
    edit(
        rules_copy / "zhejiang-2019-draft.yaml",
        f"max_share: {{value: {cap}",
        f"max_share: {{value: {raised}",
    )
    after = sw_policy.load_rulebook(rules_copy).evaluate(budget, as_of=dt.date(2024, 6, 30))
    assert [f.outcome for f in before] == ["fail"]
    assert [f.outcome for f in after] == ["pass"]
    assert after[0].expected == f"≤ {raised}"


def test_sha256_changes_with_any_rule_file(rules_copy):
    before = sw_policy.load_rulebook(rules_copy).sha256
    edit(rules_copy / "liaoning-2017.yaml", "source: liaoning-2017", "source: liaoning-2017  # x")
    assert sw_policy.load_rulebook(rules_copy).sha256 != before


def test_duplicate_key_is_refused_with_both_lines(rules_copy):
    path = rules_copy / "yiyang-2022.yaml"
    edit(
        path,
        "    severity: mandatory\n    kind: budget",
        "    severity: mandatory\n    severity: advisory\n    kind: budget",
    )
    error = refusal(rules_copy)
    assert error.path.endswith("yiyang-2022.yaml")
    assert "duplicate key 'severity'" in error.reason
    assert error.line == line_of(path, "severity: advisory")
    assert f"first written at line {error.line - 1}" in error.reason


def test_unknown_field_is_refused_with_a_suggestion(rules_copy):
    path = rules_copy / "zhejiang-2019-draft.yaml"
    edit(path, "    deadline: 2022-12-31\n    notes:", "    dedline: 2022-12-31\n    notes:")
    error = refusal(rules_copy)
    assert error.line == line_of(path, "dedline:")
    assert "Extra inputs are not permitted" in error.reason
    assert error.hint == "did you mean `deadline`?"
    assert str(error).startswith(f"{path}:{error.line}: ")


def test_bad_date_is_refused(rules_copy):
    path = rules_copy / "yiyang-2022.yaml"
    edit(path, "deadline: 2025-12-31", "deadline: 2025-13-31")
    error = refusal(rules_copy)
    assert error.line == line_of(path, "deadline: 2025-13-31")
    assert "deadline" in error.reason


def test_undefined_parameter_is_refused(rules_copy):
    path = rules_copy / "zhejiang-2019-draft.yaml"
    edit(path, "right: {param: max_share}", "right: {param: max_shar}")
    error = refusal(rules_copy)
    assert "parameter 'max_shar' is used but not defined" in error.reason
    assert error.line is not None


def test_field_the_kind_does_not_have_is_refused(rules_copy):
    edit(
        rules_copy / "zhejiang-2019-draft.yaml",
        "of: [{field: labour_cost}, {field: total_funds}]",
        "of: [{field: labor_cost}, {field: total_funds}]",
    )
    assert "a budget record has no field 'labor_cost'" in refusal(rules_copy).reason


def test_unknown_operator_is_refused(rules_copy):
    edit(
        rules_copy / "zhejiang-2019-draft.yaml",
        "    condition:\n      op: le\n",
        "    condition:\n      op: lte\n",
    )
    assert "op` must be one of" in refusal(rules_copy).reason


def test_certificate_level_must_exist(rules_copy):
    edit(
        rules_copy / "liaocheng-2020.yaml",
        "min_certificate: {value: assistant",
        "min_certificate: {value: asistant",
    )
    assert "'asistant' is not a certificate level" in refusal(rules_copy).reason


def test_yaml_no_is_not_false_and_floats_are_exact(tmp_path):
    from sw_policy.rulebook.strict_yaml import load_yaml_file

    path = tmp_path / "x.yaml"
    path.write_text("a: no\nb: 0.1\nc: 2022-12-31\nd: true\n", encoding="utf-8")
    assert load_yaml_file(path) == {"a": "no", "b": Decimal("0.1"), "c": "2022-12-31", "d": True}


def test_python_tags_are_refused(rules_copy):
    (rules_copy / "evil.yaml").write_text(
        "source: !!python/object/apply:os.system ['true']\n", encoding="utf-8"
    )
    error = refusal(rules_copy)
    assert error.path.endswith("evil.yaml") and error.line == 1


def test_yaml_syntax_error_names_the_line(rules_copy):
    path = rules_copy / "liaoning-2017.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n  - clause: [unclosed\n", encoding="utf-8"
    )
    error = refusal(rules_copy)
    assert error.path.endswith("liaoning-2017.yaml") and error.line is not None


def test_duplicate_rule_id_across_files_is_refused(rules_copy):
    edit(rules_copy / "yiyang-2022.yaml", "id: yiyang-2022.labour-cost-share", f"id: {LABOUR}")
    assert "is also defined in" in refusal(rules_copy).reason


def test_unknown_source_is_refused_with_a_suggestion(rules_copy):
    edit(rules_copy / "yiyang-2022.yaml", "source: yiyang-2022", "source: yiyang-2023")
    error = refusal(rules_copy)
    assert "not in sources.yaml" in error.reason and error.hint == "did you mean `yiyang-2022`?"


def test_coverage_naming_an_unknown_rule_is_refused(rules_copy):
    edit(
        rules_copy / "yiyang-2022.yaml",
        "rules: [yiyang-2022.labour-cost-share,",
        "rules: [yiyang-2022.labour-share,",
    )
    assert "names unknown rule" in refusal(rules_copy).reason


def test_milestones_out_of_order_are_refused(rules_copy):
    path = rules_copy / "liaoning-2013.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("      - year: 2015\n", "      - year: 2025\n", 1), encoding="utf-8"
    )
    assert "earliest year first" in refusal(rules_copy).reason


def test_missing_sources_file_and_directory(tmp_path):
    assert "sources.yaml" in refusal(tmp_path).reason
    assert "not a directory" in refusal(tmp_path / "nope").reason


def test_exclude_drafts_drops_only_draft_sources():
    rulebook = sw_policy.load_rulebook(RULES_DIR, exclude_drafts=True)
    assert len(rulebook.rules) == 18
    assert not any(r.id.startswith("zhejiang") for r in rulebook.rules)


def test_unknown_rule_id_suggests(rulebook):
    with pytest.raises(sw_policy.UnknownRuleError) as info:
        rulebook.rule("zhejiang-2019.labour-share")
    assert LABOUR in info.value.suggestions
