"""JSON records into the columnar engine: `/v1/check`'s runner and `sw-policy check` in-process.

    python benchmarks/json_records.py                  # 100 000 budgets, CPU and wall time
    python benchmarks/json_records.py --budgets 20000 --repeat 3

Generates budgets shaped as benchmarks/service.py posts them (amounts as decimal
text), writes them as one JSON array, and times the server's runner
(server/runs.py: the same reading path as `sw-policy check records.json`) on
them, with CPU time (process_time) beside wall time: on a shared machine CPU time
is the figure to compare before and after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import time
from pathlib import Path

from sw_policy.checking.rulebook import load_rulebook
from sw_policy.server.runs import CheckOptions, run_check

sys.path.insert(0, str(Path(__file__).parent))
from service import budget_records


def budgets_json(count: int, seed: int = 7) -> bytes:
    """`count` budgets as one JSON array, exactly as benchmarks/service.py posts them."""
    return json.dumps(budget_records(count, random.Random(seed))).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    rulebook = load_rulebook()
    data = budgets_json(args.budgets)
    options = CheckOptions(as_of=dt.date(2024, 6, 30))
    run_check(rulebook, budgets_json(50), "records.json", options)  # warm up imports
    for _ in range(args.repeat):
        cpu, wall = time.process_time(), time.perf_counter()
        result = run_check(rulebook, data, "records.json", options)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert result.summary["records"] == args.budgets, result.summary
        print(
            f"run_check, {args.budgets} budgets ({len(data) / 1e6:.1f} MB): "
            f"{cpu:.2f} s CPU, {wall:.2f} s wall, {args.budgets / cpu:,.0f} records/s CPU"
        )


if __name__ == "__main__":
    main()
