"""Drafting toolkit timings: rule tests, coverage, boundaries, lint, and diff over N budgets.

    python benchmarks/drafting.py --records 20000

Times each step on the bundled rulebook (best of 3) and a diff of the
0.70 → 0.75 cap over generated budgets (fixed seed), and prints seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import sw_policy
from sw_policy.drafting.boundaries import check_boundaries
from sw_policy.drafting.rule_test_coverage import coverage_of

RULES = Path(__file__).resolve().parents[1] / "rules"
AS_OF = dt.date(2024, 6, 30)


def best(step: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times)


def budgets(n: int) -> list[sw_policy.Budget]:
    rng = random.Random(4)
    out = []
    for i in range(n):
        total = Decimal(rng.randint(10_000_00, 5_000_000_00)) / 100
        labour = (total * Decimal(rng.randint(500, 950)) / 1000).quantize(Decimal("0.01"))
        out.append(
            sw_policy.Budget(
                id=f"B{i}", jurisdiction="330106", total_funds=total, labour_cost=labour
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20_000)
    args = parser.parse_args()
    book = sw_policy.load_rulebook(RULES)
    run = sw_policy.run_tests([RULES / "tests"], rulebook=book)
    reached = [r for c in run.cases for r in c.reached]
    records = budgets(args.records)
    changed = book.with_parameters({"zhejiang-2019.labour-cost-share.max_share": Decimal("0.75")})

    def diff() -> object:
        return sw_policy.compare_reports(
            book.check(records, as_of=AS_OF), changed.check(records, as_of=AS_OF)
        )

    print(f"python {platform.python_version()} on {platform.machine()}", file=sys.stderr)
    tests = best(lambda: sw_policy.run_tests([RULES / "tests"], rulebook=book))
    print(f"rule tests ({len(run.cases)} cases): {tests:.3f} s")
    print(f"coverage: {best(lambda: coverage_of(book, reached)):.3f} s")
    print(f"boundaries: {best(lambda: check_boundaries(book, reached)):.3f} s")
    print(f"lint (quotes not checked): {best(lambda: sw_policy.lint_rules_dir(RULES)):.3f} s")
    seconds = best(diff, repeat=1)
    print(f"diff of {args.records} budgets (two full checks + alignment): {seconds:.3f} s")


if __name__ == "__main__":
    main()
