"""Isolated tests (tests/isolation.py): a crash in a child process fails one test, clearly."""

from __future__ import annotations

import os
import signal

import pytest

from isolation import _INSIDE, isolated, run_in_child

# Children in subprocesses test the harness, not the Python it runs on: CI runs it on 3.11
# (the durable_rules tests use the harness on 3.12 too).
pytestmark = pytest.mark.once
HERE = "tests/test_isolation.py"
only_inside = pytest.mark.skipif(
    not os.environ.get(_INSIDE), reason="run in its own process by the tests below"
)


@only_inside
def test_that_crashes():
    os.kill(os.getpid(), signal.SIGSEGV)


@only_inside
def test_that_fails():
    assert 1 + 1 == 3, "one plus one"


def test_a_crash_fails_only_that_test_naming_the_signal():
    with pytest.raises(pytest.fail.Exception, match="killed by SIGSEGV"):
        run_in_child(f"{HERE}::test_that_crashes")


def test_a_failure_in_the_child_fails_with_its_output():
    with pytest.raises(pytest.fail.Exception, match="one plus one"):
        run_in_child(f"{HERE}::test_that_fails")


@pytest.mark.parametrize("where", ["child", "here"])
@isolated(when=lambda kwargs: kwargs["where"] == "child")
def test_an_isolated_test_runs_in_a_child_only_when_asked(where):
    assert bool(os.environ.get(_INSIDE)) == (where == "child")
