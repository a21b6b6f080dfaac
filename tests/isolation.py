"""Run a test in a Python process of its own, so a crash in C code fails that test alone.

durable_rules (the optional router) is C code that corrupted its heap on
`delete_ruleset` and once segfaulted under load on 3.12; a crash in the pytest
process (or an xdist worker) would end the whole run, or lose the worker and its
tests, with no word on which test did it. A test decorated with `@isolated(...)`
runs itself again with pytest in a fresh interpreter: a signal there fails this
one test, naming the signal and keeping the child's last output; any other
failure is reported with the child's output. Tests of the default router stay
in-process (they run no C code of their own).
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

_INSIDE = "SW_POLICY_TEST_ISOLATED"
_ROOT = Path(__file__).resolve().parents[1]
_TIMEOUT = 900  # seconds: a hung child fails its test instead of hanging the run


def isolated(
    when: Callable[[dict[str, Any]], bool] = lambda kwargs: True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a test: run it in a child process when `when(its arguments)` is true."""

    def decorate(test: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(test)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if os.environ.get(_INSIDE) or not when(kwargs):
                return test(*args, **kwargs)
            run_in_child(os.environ["PYTEST_CURRENT_TEST"].rsplit(" ", 1)[0])
            return None

        return wrapper

    return decorate


def run_in_child(node_id: str) -> None:
    """Run one pytest node in a fresh interpreter; fail clearly if it crashed or failed."""
    command = [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:cacheprovider"]
    command += ["--no-header", "-rN", node_id]
    try:
        result = subprocess.run(
            command,
            cwd=_ROOT,
            env={**os.environ, _INSIDE: "1"},
            capture_output=True,
            text=True,
            timeout=_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{node_id}: the isolated test process ran over {_TIMEOUT} s", pytrace=False)
    output = result.stdout + result.stderr
    fatal = output.find("Fatal Python error")  # faulthandler's report: the crashing frames
    tail = output[fatal : fatal + 3000] if fatal >= 0 else output[-3000:]
    if result.returncode < 0:
        name = signal.Signals(-result.returncode).name
        pytest.fail(
            f"{node_id}: the isolated test process was killed by {name} "
            f"(a crash in C code, e.g. durable_rules); its last output:\n{tail}",
            pytrace=False,
        )
    if result.returncode != 0:
        pytest.fail(f"{node_id} failed in its own process:\n{tail}", pytrace=False)
