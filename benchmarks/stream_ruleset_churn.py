"""Stress: open and close monitors in random order while routers come and go.

With durable_rules' delete_ruleset this aborted the process within a few
hundred iterations (free(): invalid size); sw-policy now pools rulesets
instead. Run: python benchmarks/stream_ruleset_churn.py [--iterations N] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random

import sw_policy
from sw_policy.engines.stream.router import Router
from sw_policy.engines.stream.routing import routes
from sw_policy.stream import Monitor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rulebook = sw_policy.load_rulebook()
    table = routes(rulebook.rules, ("budget", "worker", "community", "institution", "region"))
    # "name" is read by no rule: facts that match nothing are part of the pattern that crashed.
    flags = {kind: sorted(set().union(*(f for _, f in r)) | {"name"}) for kind, r in table.items()}
    shuffle = random.Random(args.seed)
    alive: list[Monitor] = []
    for i in range(args.iterations):
        monitor = Monitor(rulebook, as_of=dt.date(2024, 6, 30))
        monitor.upsert(
            {
                "kind": "budget",
                "id": f"B{i}",
                "jurisdiction": "330106",
                "total_funds": "100",
                "labour_cost": "70",
            }
        )
        if shuffle.random() < 0.5:
            alive.append(monitor)
        if len(alive) > 20:
            alive.pop(shuffle.randrange(len(alive))).close()
        router = Router(table)
        kind = shuffle.choice(sorted(table))
        router.route(
            kind, frozenset(shuffle.sample(flags[kind], shuffle.randint(0, len(flags[kind]))))
        )
        router.close()
    print(f"{args.iterations} monitors opened and closed: no crash")


if __name__ == "__main__":
    main()
