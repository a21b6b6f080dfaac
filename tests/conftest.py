"""Shared test helpers: the bundled rulebook, a one-rule judge, paths to sources."""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

import sw_policy
from sw_policy import Finding, Rulebook

# No hypothesis deadline anywhere: a test's speed is measured in benchmarks/, never
# asserted; under CI's load a first example (imports, caches) can take 500 ms.
hypothesis_settings.register_profile("sw-policy", deadline=None)
hypothesis_settings.load_profile("sw-policy")

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = Path(os.environ.get("SW_POLICY_TEST_RULES") or REPO / "rules")
"""The rules the tests judge with: rules/, or $SW_POLICY_TEST_RULES (a drafter's edited copy)."""
FIXTURES = REPO / "fixtures"
# Parsed rule files are cached per user (rulebook/parse_cache.py); tests keep their own.
os.environ["XDG_CACHE_HOME"] = str(Path(tempfile.gettempdir()) / f"sw-policy-tests-{os.getuid()}")
REGION_COUNTS = tuple(
    name
    for name in sw_policy.Region.model_fields
    if name
    not in {"id", "jurisdiction", "as_of", "name", "kind", "year", "influential_orgs_by_field"}
)
"""A region record's figures (counts of workers, posts, organisations), from its model."""


def sources_dir() -> Path | None:
    """The source texts (../shared/sources beside the checkout), or $SW_POLICY_SOURCES."""
    candidates = [os.environ.get("SW_POLICY_SOURCES"), REPO.parent / "shared" / "sources"]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


EXAMPLES_SHARE = os.environ.get("SW_POLICY_EXAMPLES_SHARE")
"""A share (0 < x <= 1) of every property test's examples to run, at least five.

CI runs the full counts once, with the README's test command on 3.11; on 3.12 and 3.13,
where the question is whether the code runs on that Python, it runs a third of them so
that the three versions fit the time budget. Unset: the counts as written."""


def _hypothesis_test(obj: Any) -> Any:
    """The @given function inside a test (isolated tests wrap it), or None."""
    while obj is not None and not hasattr(obj, "hypothesis"):
        obj = getattr(obj, "__wrapped__", None)
    return obj


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not EXAMPLES_SHARE:
        return
    from hypothesis import settings

    share = float(EXAMPLES_SHARE)
    if not 0 < share <= 1:
        raise pytest.UsageError(f"SW_POLICY_EXAMPLES_SHARE={EXAMPLES_SHARE}: expected 0 < x <= 1")
    for item in items:
        test = _hypothesis_test(getattr(item, "obj", None))
        # The settings @given reads when the test runs (hypothesis keeps them there).
        current = getattr(test, "_hypothesis_internal_use_settings", None)
        if current is None:
            continue
        examples = max(5, round(current.max_examples * share))
        if examples < current.max_examples:
            test._hypothesis_internal_use_settings = settings(current, max_examples=examples)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fresh_install: builds and installs a wheel (slow); skip with -m 'not fresh_install'",
    )
    config.addinivalue_line(
        "markers",
        "once: slow and independent of the Python version (subprocess runs); CI runs it on "
        "3.11 only, skip with -m 'not once'",
    )
    config.addinivalue_line(
        "markers",
        "durable: runs durable_rules' C code (the [stream] extra); CI's 3.11 stream step "
        "runs just these",
    )


@functools.cache
def _rule_files() -> dict[str, Any]:
    from sw_policy.rulebook.loader import load_rules_dir

    return {rule.id: rule for rule in load_rules_dir(RULES_DIR).rules}


def param(rule_id: str, name: str) -> Any:
    """A rule's parameter as rules/ gives it: tests read thresholds from the rule files.

    So a drafter's edit of a figure (0.70 → 0.75) fails the rule tests that
    pin it, not every Python test that happened to repeat the figure.
    """
    return _rule_files()[rule_id].parameters[name].value


@pytest.fixture(scope="session")
def rulebook() -> Rulebook:
    return sw_policy.load_rulebook(RULES_DIR)


def make(kind: str, **fields: Any) -> Any:
    """A record of `kind` with sensible id/jurisdiction defaults."""
    fields.setdefault("id", f"{kind}-1")
    return sw_policy.parse_record({"kind": kind, **fields})


def judge(
    rulebook: Rulebook, rule_id: str, record: Any, as_of: str | dt.date = "2024-06-30"
) -> Finding:
    """The one finding `rule_id` gives for `record` (not_applicable included)."""
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    findings = rulebook.evaluate(record, as_of=day, include_not_applicable=True)
    matching = [f for f in findings if f.rule_id == rule_id]
    assert len(matching) == 1, f"{rule_id} gave {len(matching)} findings for {record}"
    return matching[0]


def outcome(
    rulebook: Rulebook, rule_id: str, kind: str, as_of: str = "2024-06-30", **fields: Any
) -> str:
    """Shorthand: the outcome of one rule for one record built from fields."""
    return judge(rulebook, rule_id, make(kind, **fields), as_of).outcome


@functools.cache
def bundled_case_count() -> int:
    """How many rule-test cases the bundled rulebook's tests/ holds (read, not hard-coded)."""
    from sw_policy.drafting.rule_tests import run_tests

    return len(run_tests([RULES_DIR / "tests"], rulebook=sw_policy.load_rulebook(RULES_DIR)).cases)


@functools.cache
def bundled_rule_count() -> int:
    """How many rules the bundled rulebook defines."""
    return len(sw_policy.load_rulebook(RULES_DIR).rules)
