"""SIGKILL `watch --state` at random points, restart, finish: outcomes equal a batch check.

The harness is benchmarks/stream_fault.py (CI runs it with 100 000 events);
here with fewer events, on several seeds.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "stream_fault.py"


def _harness():
    spec = importlib.util.spec_from_file_location("stream_fault", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("stream_fault", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.once
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_killed_and_restarted_watch_ends_identical_to_a_batch_check(tmp_path, seed):
    summary = _harness().run(5_000, seed, tmp_path, kills=3)
    assert "identical to batch check" in summary
