"""Routing facts derived from the rule tree, and the missing-extra message (no durable needed)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import platform
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings

import sw_policy
from conftest import make
from stream_strategies import clean, one_field_changed
from sw_policy.engines.stream.router import INSTALL_HINT, StreamUnavailableError, load_core
from sw_policy.engines.stream.routing import ALWAYS_READ, SCOPE, fields_read, routes, touched_fields

RULEBOOK = sw_policy.load_rulebook()


def test_fields_read_come_from_the_rule_tree():
    share = fields_read(RULEBOOK.rule("zhejiang-2019.labour-cost-share"))
    assert share == ALWAYS_READ | {"labour_cost", "total_funds"}
    qualification = fields_read(RULEBOOK.rule("liaocheng-2020.professional-qualification"))
    assert {"training", "certificate", "education", "major"} <= qualification
    assert "post_level" not in qualification
    target = fields_read(RULEBOOK.rule("yiyang-2022.target.certified-workers"))
    assert "year" in target


def test_every_rule_reads_its_scope():
    for rule in RULEBOOK.rules:
        assert fields_read(rule) >= ALWAYS_READ


def test_routes_flag_the_scope_for_every_rule_in_rulebook_order():
    table = routes(RULEBOOK.rules, ("budget", "worker", "community", "institution", "region"))
    assert [rule_id for rule_id, _ in table["budget"]] == [
        r.id for r in RULEBOOK.rules if r.kind == "budget"
    ]
    for kind, entries in table.items():
        for rule_id, flags in entries:
            assert SCOPE in flags, rule_id
            assert not flags & ALWAYS_READ, rule_id
            assert RULEBOOK.rule(rule_id).kind == kind


def test_touched_fields():
    old = make("budget", jurisdiction="330106", total_funds="100", labour_cost="70")
    new = make("budget", jurisdiction="330106", total_funds="100", labour_cost="71")
    names = ("jurisdiction", "total_funds", "labour_cost", "name")
    assert touched_fields(old, new, names) == {"labour_cost"}
    assert touched_fields(old, old, names) == frozenset()
    assert touched_fields(None, new, names) == set(names)


def _refuse(name: str, error: ImportError):
    real = importlib.import_module

    def fake(module, *args, **kwargs):
        if module == name:
            raise error
        return real(module, *args, **kwargs)

    return fake


def test_missing_extra_says_how_to_install_in_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)
    with pytest.raises(StreamUnavailableError) as caught:
        load_core()
    text = str(caught.value)
    assert "\n" not in text
    # Where it can load, how to install it; on 3.13, that it cannot (issue 17).
    assert (INSTALL_HINT if sys.version_info < (3, 13) else "Python 3.11 and 3.12") in text
    assert "not installed" in text
    assert "default router" in text
    assert isinstance(caught.value, sw_policy.PolicyError)


def test_extra_that_does_not_load_names_the_python_and_the_alternative(monkeypatch):
    # What Python 3.13 does: the compiled core is found but cannot be loaded.
    monkeypatch.delitem(sys.modules, "durable_rules_engine", raising=False)
    error = ImportError("durable_rules_engine.so: undefined symbol: PyEval_CallObject")
    monkeypatch.setattr(importlib, "import_module", _refuse("durable_rules_engine", error))
    with pytest.raises(StreamUnavailableError, match="does not load") as caught:
        load_core()
    text = str(caught.value)
    assert "\n" not in text
    assert f"Python {platform.python_version()}" in text
    assert "default router" in text


def test_without_the_extra_the_default_router_monitors(monkeypatch):
    # Behaviour changed (issue 17): a monitor no longer needs durable-rules; only
    # asking for the durable_rules router does.
    from sw_policy.stream import Monitor

    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)
    with Monitor(RULEBOOK) as monitor:
        assert (
            monitor.upsert(
                {
                    "kind": "budget",
                    "id": "P",
                    "jurisdiction": "330106",
                    "total_funds": "100",
                    "labour_cost": "71",
                }
            )[0].after
            == "fail"
        )
    with pytest.raises(StreamUnavailableError, match="default router") as caught:
        Monitor(RULEBOOK, router="durable_rules")
    assert isinstance(caught.value, sw_policy.PolicyError)


def _watch_without_the_extra(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; sys.modules['durable_rules_engine'] = None; "
        f"import sw_policy.stream; from sw_policy.cli import main; main(['watch', *{args!r}])"
    )
    return subprocess.run(
        [sys.executable, "-c", code], input=stdin, capture_output=True, text=True, check=False
    )


def test_watch_without_the_extra_works_and_its_router_is_one_line_and_exit_2():
    line = '{"kind": "budget", "id": "P", "jurisdiction": "330106", "total_funds": "100", '
    line += '"labour_cost": "71"}\n'
    result = _watch_without_the_extra("--as-of", "2024-06-30", stdin=line)
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout)["to"] == "fail"
    result = _watch_without_the_extra("--router", "durable_rules")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert f"Python {platform.python_version()}" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_field_a_finding_observes_is_routed_to_its_rule():
    """The engine's own observations never name a record field the routing misses."""
    from conftest import FIXTURES
    from sw_policy.records import MODEL_OF_KIND

    files = sorted(FIXTURES.glob("*.csv")) + sorted(FIXTURES.glob("*.json"))
    report = RULEBOOK.check_files(files, as_of=dt.date(2024, 6, 30), include_not_applicable=True)
    checked = set()
    for finding in report.findings:
        observed = set(finding.observed) & set(MODEL_OF_KIND[finding.kind].model_fields)
        assert observed <= fields_read(RULEBOOK.rule(finding.rule_id)), finding.rule_id
        if observed:
            checked.add(finding.rule_id)
    assert len(checked) >= 10


def judged(record, day: dt.date) -> dict:
    findings = RULEBOOK.evaluate(record, as_of=day, include_not_applicable=True)
    return {f.rule_id: f for f in findings}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pair=one_field_changed)
def test_a_finding_changes_only_when_a_field_its_rule_reads_changes(pair):
    """Routing is sound: an untouched rule's finding (observed values included) stays the same."""
    first, second = (sw_policy.parse_record(clean(r)) for r in pair)
    names = type(first).model_fields
    touched = touched_fields(first, second, names)
    day = dt.date(2024, 6, 30)
    before = {
        f.rule_id: f for f in RULEBOOK.evaluate(first, as_of=day, include_not_applicable=True)
    }
    after = {
        f.rule_id: f for f in RULEBOOK.evaluate(second, as_of=day, include_not_applicable=True)
    }
    for rule_id, finding in after.items():
        if finding != before[rule_id]:
            assert fields_read(RULEBOOK.rule(rule_id)) & touched, (rule_id, touched)
