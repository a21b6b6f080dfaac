"""Live monitoring throughput: events/s through `sw-policy watch`, findings included.

    python benchmarks/stream.py --workers 100000 --api --state --durable


Writes 2 x N worker events (JSON lines) to a temporary file: N new workers with
119.5 training hours (qualification: fail), then the same N workers with one
more 0.5-hour session (120 h: pass); with `--steady`, a third round gives each
worker a 2-hour session more (pass stays pass: an event that changes no
outcome, as most events in a live register do). Pipes the file through `sw-policy watch`,
checks that every worker flipped exactly fail -> pass, and prints events/s (also
per CPU-second, and per CPU-second once the start-up of an empty `watch` is
taken off) and the watch process's peak RSS. `--api` also times the same events posted through
the Python API (Monitor.upsert and Monitor.add_training); `--state` runs watch
again with a state file; `--durable` also runs the API and watch with the
durable_rules router, and times durable_rules' own `post` of as many events to a
two-rule ruleset (its Python API, no findings), where the extra loads.
See docs/stream.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import sw_policy
from sw_policy.stream import Monitor

RULE = "liaocheng-2020.professional-qualification"
AS_OF = "2024-06-30"


def worker(i: int, sessions: list[dict[str, str]]) -> dict[str, object]:
    return {"kind": "worker", "id": f"W{i}", "jurisdiction": "371502", "training": sessions}


FIRST = [{"date": "2023-03-01", "hours": "100"}, {"date": "2023-09-01", "hours": "19.5"}]
SECOND = [*FIRST, {"date": "2024-05-01", "hours": "0.5"}]
THIRD = [*SECOND, {"date": "2024-06-01", "hours": "2"}]
STEADY = False  # --steady: a third round of events that change no outcome


def rounds() -> tuple[list[dict[str, str]], ...]:
    return (FIRST, SECOND, THIRD) if STEADY else (FIRST, SECOND)


def write_events(path: Path, n: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        for sessions in rounds():
            for i in range(n):
                out.write(json.dumps(worker(i, sessions), separators=(",", ":")) + "\n")
    return len(rounds()) * n


def check_flips(lines: Iterable[bytes], n: int) -> int:
    """Every worker flipped exactly once, fail -> pass; returns the number of changes."""
    moves: Counter[tuple[str | None, str | None]] = Counter()
    for line in lines:
        change = json.loads(line)
        assert change["rule_id"] == RULE, change["rule_id"]
        moves[(change["from"], change["to"])] += 1
    expected = Counter({(None, "fail"): n, ("fail", "pass"): n})
    assert moves == expected, f"flips {dict(moves)} != {dict(expected)}"
    return sum(moves.values())


def via_watch(n: int, *, state: bool = False, router: str = "table") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        events_path = Path(tmp) / "events.jsonl"
        events = write_events(events_path, n)
        changes_path = Path(tmp) / "changes.jsonl"
        command = [sys.executable, "-m", "sw_policy", "watch", "--as-of", AS_OF]
        command += ["--router", router]
        if state:
            command += ["--state", str(Path(tmp) / "state.db")]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with events_path.open("rb") as stdin, changes_path.open("wb") as stdout:
            started = time.perf_counter()
            result = subprocess.run(
                command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, check=False
            )
            elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise SystemExit(f"watch failed ({result.returncode}): {result.stderr[-500:]!r}")
        with changes_path.open("rb") as changes:
            count = check_flips(changes, n)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    peak = after.ru_maxrss / 1024
    label = "watch --state" if state else "watch"
    steady = events / max(cpu - startup_cpu(router), 1e-9)
    print(
        f"{label:<14} {router:<13} {n:>9,} workers  {events:>9,} events  {elapsed:7.2f} s  "
        f"{events / elapsed:>8,.0f} events/s ({events / cpu:>7,.0f}/CPU-s, "
        f"{steady:,.0f} after start-up)  {count:>9,} changes  peak RSS {peak:,.0f} MiB"
    )


_STARTUP: dict[str, float] = {}


def startup_cpu(router: str) -> float:
    """CPU-seconds of `watch` on empty input: imports and rules, paid once per process."""
    if router not in _STARTUP:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        command = [sys.executable, "-m", "sw_policy", "watch", "--as-of", AS_OF]
        subprocess.run([*command, "--router", router], stdin=subprocess.DEVNULL, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        _STARTUP[router] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return _STARTUP[router]


def via_api(n: int, router: str = "table") -> None:
    rulebook = sw_policy.load_rulebook()
    records = [sw_policy.parse_record(worker(i, FIRST)) for i in range(n)]
    flips: Counter[tuple[str | None, str | None]] = Counter()
    with Monitor(rulebook, as_of=dt.date.fromisoformat(AS_OF), router=router) as monitor:
        started, cpu_started = time.perf_counter(), time.process_time()
        for record in records:
            flips.update((c.before, c.after) for c in monitor.upsert(record))
        for session in [s for sessions in rounds()[1:] for s in sessions[-1:]]:
            for i in range(n):
                changes = monitor.add_training(f"W{i}", **session)
                flips.update((c.before, c.after) for c in changes)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    assert flips == Counter({(None, "fail"): n, ("fail", "pass"): n}), flips
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    events = len(rounds()) * n
    print(
        f"{'api':<14} {router:<13} {n:>9,} workers  {events:>9,} events  {elapsed:7.2f} s  "
        f"{events / elapsed:>8,.0f} events/s ({events / cpu:>7,.0f}/CPU-s)  "
        f"{sum(flips.values()):>9,} changes  "
        f"peak RSS {peak:,.0f} MiB (this process)"
    )


def durable_post(n: int) -> None:
    """durable_rules' own Python API: post 2 x N events to a two-rule ruleset."""
    try:
        lang = importlib.import_module("durable.lang")
    except (ImportError, OSError) as exc:
        print(f"durable_rules post: not available here ({exc.__class__.__name__})")
        return
    m, post, ruleset, when_all = lang.m, lang.post, lang.ruleset, lang.when_all
    fired = Counter[str]()
    with ruleset("sw_policy_bench"):

        @when_all(m.hours >= 120)
        def qualified(c: object) -> None:
            fired["pass"] += 1

        @when_all(m.hours < 120)
        def short(c: object) -> None:
            fired["fail"] += 1

    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(n):
        post("sw_policy_bench", {"sid": "0", "worker": f"W{i}", "hours": 119.5})
    for i in range(n):
        post("sw_policy_bench", {"sid": "0", "worker": f"W{i}", "hours": 120})
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    assert fired == Counter({"fail": n, "pass": n}), fired
    print(
        f"{'durable post':<14} {'(its own)':<13} {n:>9,} workers  {2 * n:>9,} events  "
        f"{elapsed:7.2f} s  {2 * n / elapsed:>8,.0f} events/s ({2 * n / cpu:>7,.0f}/CPU-s)  "
        "no findings, float compare"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--api", action="store_true", help="also time the Python API")
    parser.add_argument("--state", action="store_true", help="also time watch --state")
    parser.add_argument("--durable", action="store_true", help="also the durable_rules router")
    parser.add_argument(
        "--steady", action="store_true", help="a third round of events that change no outcome"
    )
    args = parser.parse_args()
    global STEADY  # noqa: PLW0603 - a benchmark switch read by the event writers
    STEADY = args.steady
    print(
        f"sw-policy {sw_policy.__version__} · Python {platform.python_version()} "
        f"· {platform.machine()} · {os.cpu_count()} CPUs"
    )
    routers = ["table", "durable_rules"] if args.durable else ["table"]
    for router in routers:
        if args.api:
            via_api(args.workers, router)
        via_watch(args.workers, router=router)
    if args.state:
        via_watch(args.workers, state=True)
    if args.durable:
        durable_post(args.workers)


if __name__ == "__main__":
    main()
