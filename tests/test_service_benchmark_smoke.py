"""benchmarks/service.py --smoke runs and prints its table (no timing asserted).

The benchmark is a script people run by hand before and after a change; this
keeps it from rotting: it starts the real server in its own process, drives
it, checks the answers and stops it. Slow (a server start) and the same on
every Python, so CI runs it on 3.11 only.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.once


def test_the_service_benchmark_smoke_run_prints_its_table() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "service.py"), "--smoke"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("python ")
    levels = [line for line in lines if line.startswith("POST /v1/evaluate")]
    assert [int(re.search(r", +(\d+) clients", line)[1]) for line in levels] == [1, 4]  # type: ignore[index]
    for line in levels:
        assert re.search(
            r"req/s, p50 +[\d.]+ ms, p99 +[\d.]+ ms, server CPU +[\d.]+ ms/req, "
            r"client CPU +[\d.]+ ms/req",
            line,
        )
    (check,) = [line for line in lines if line.startswith("POST /v1/check")]
    assert re.match(
        r"POST /v1/check, 200 budgets \(.* MB\): [\d.]+ s, server peak RSS \d+ MiB", check
    )
