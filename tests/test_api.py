"""The public surface: everything exported, typed, and documented."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path

import sw_policy
from conftest import param


def test_all_names_exist_and_are_sorted_once():
    assert len(set(sw_policy.__all__)) == len(sw_policy.__all__)
    for name in sw_policy.__all__:
        assert hasattr(sw_policy, name), name


def test_every_private_module_export_is_public():
    public = set(sw_policy.__all__)
    for name in ("errors", "findings", "records", "checking.rulebook"):
        module = importlib.import_module(f"sw_policy.{name}")
        for exported in module.__all__:
            if exported in {
                "KINDS",
                "RecordKind",
                "rank_of",
                "ObservedValue",
                "EngineInfo",
                "RulebookInfo",
            }:
                continue
            assert exported in public, f"{name}.{exported} is not re-exported"


def test_exception_tree():
    for error in (
        sw_policy.RuleFileError,
        sw_policy.RecordError,
        sw_policy.InputFileError,
        sw_policy.UnknownRuleError,
    ):
        assert issubclass(error, sw_policy.PolicyError)
    error = sw_policy.RuleFileError("rules/x.yaml", "bad", line=3, hint="did you mean `y`?")
    assert (error.path, error.line, error.reason) == ("rules/x.yaml", 3, "bad")
    assert str(error) == "rules/x.yaml:3: bad (did you mean `y`?)"


def test_py_typed_is_shipped():
    assert (Path(sw_policy.__file__).parent / "py.typed").is_file()


def test_library_round_trip_with_models():
    rulebook = sw_policy.load_rulebook()
    cap = param("zhejiang-2019.labour-cost-share", "max_share")
    budget = sw_policy.Budget(
        id="P-1",
        jurisdiction="330106",
        total_funds="1000000.00",
        labour_cost=str((cap + Decimal("0.05")) * 1000000),
    )
    report = rulebook.check([budget], as_of=dt.date(2024, 6, 30))
    [finding] = report.findings
    assert (finding.rule_id, finding.outcome) == ("zhejiang-2019.labour-cost-share", "fail")
    assert Decimal(finding.observed["labour_cost_share"]) == cap + Decimal("0.05")
    assert finding.expected == f"≤ {cap}"
    assert rulebook.rule(finding.rule_id).clause == "二(六)"
    assert rulebook.citation(finding.rule_id) == finding.citation


def test_check_defaults_to_today():
    rulebook = sw_policy.load_rulebook()
    assert rulebook.check([]).as_of == dt.date.today()


def test_lazy_exports_match_all():
    assert set(sw_policy._EXPORTS) | {"__version__"} == set(sw_policy.__all__)
    assert sorted(dir(sw_policy)) == sorted(sw_policy.__all__)


def test_import_and_help_do_not_load_pydantic():
    import subprocess
    import sys

    code = (
        "import sys, sw_policy, sw_policy.cli; "
        "assert 'pydantic' not in sys.modules, 'pydantic imported'; "
        "assert 'yaml' not in sys.modules, 'yaml imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_unknown_attribute_is_an_attribute_error():
    import pytest

    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        sw_policy.Nope  # noqa: B018
