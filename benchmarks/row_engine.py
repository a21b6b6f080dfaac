"""Row-engine throughput: records/s for budgets and workers, with full explanations.

    python benchmarks/row_engine.py --records 100000

Generates records in memory (fixed seed), times Rulebook.check over the whole
bundled rulebook, and prints records/s and peak RSS. The columnar engine will
be measured beside it here; see docs/performance.md.

Each timing starts after a full garbage collection, so it does not pay for the
collector's debt from generating the records (one full pass over two million
objects, a second or more, falling in whichever run happens to trigger it);
the collector stays on while the engine runs. `--repeat N` reports the best of N.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import random
import resource
import sys
import time
from decimal import Decimal

import sw_policy

JURISDICTIONS = ["330106", "330212", "361126", "371502", "210102", "110105"]


def budgets(n: int, rng: random.Random) -> list[sw_policy.Budget]:
    out = []
    for i in range(n):
        total = Decimal(rng.randint(10_000_00, 5_000_000_00)) / 100
        labour = (total * Decimal(rng.randint(500, 950)) / 1000).quantize(Decimal("0.01"))
        out.append(
            sw_policy.Budget(
                id=f"B{i}",
                jurisdiction=rng.choice(JURISDICTIONS),
                total_funds=total,
                labour_cost=labour,
            )
        )
    return out


def workers(n: int, rng: random.Random) -> list[sw_policy.Worker]:
    out = []
    start = dt.date(2018, 1, 1)
    for i in range(n):
        sessions = tuple(
            sw_policy.TrainingSession(
                date=start + dt.timedelta(days=rng.randint(0, 2400)),
                hours=Decimal(rng.choice([4, 8, 16, 24])),
            )
            for _ in range(rng.randint(0, 12))
        )
        out.append(
            sw_policy.Worker(
                id=f"W{i}",
                jurisdiction=rng.choice(JURISDICTIONS),
                certificate=rng.choice(list(sw_policy.Certificate)),
                education=rng.choice(list(sw_policy.Education)),
                major=rng.choice(["社会工作", "会计学", "社会学", None]),
                training=sessions,
                employer_type=rng.choice(list(sw_policy.EmployerType)),
                post_level=rng.choice([None, 5, 8, 9, 11, 12]),
                in_purchased_project=rng.random() < 0.3,
            )
        )
    return out


def measure(label: str, records: list, rulebook: sw_policy.Rulebook, repeat: int = 1) -> None:
    best = float("inf")
    for _ in range(repeat):
        report = None
        gc.collect()
        started = time.perf_counter()
        report = rulebook.check(records, as_of=dt.date(2024, 6, 30))
        best = min(best, time.perf_counter() - started)
    rate = len(records) / best if best else float("inf")
    print(
        f"{label:8} {len(records):>9,} records  {best:7.2f} s  {rate:>10,.0f} records/s  "
        f"{len(report.findings):>9,} findings"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=1, help="report the best of N runs")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rulebook = sw_policy.load_rulebook()
    print(
        f"sw-policy {sw_policy.__version__} · Python {platform.python_version()} "
        f"· {platform.machine()}"
    )
    measure("budgets", budgets(args.records, rng), rulebook, args.repeat)
    measure("workers", workers(args.records, rng), rulebook, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:,.0f} MiB (records generated in memory included)", file=sys.stdout)


if __name__ == "__main__":
    main()
