"""The monitor's event path on any version: run it with that version's src on PYTHONPATH.

    git archive <commit> | tar -x -C /tmp/v
    PYTHONPATH=/tmp/v/src python benchmarks/stream_bisect.py 3000

Uses only what every version of the monitor had (Monitor(rulebook, as_of=),
upsert, add_training, `sw-policy watch --as-of`), with benchmarks/stream.py's
events, and prints events per CPU-second: the API, an unchanged record sent
again (nothing judged), a batch evaluate() of the same records, and `watch`
(also with an empty watch's start-up taken off). Used to find out whether
later features made the event path slower (docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sw_policy
from sw_policy.stream import Monitor

AS_OF = "2024-06-30"
FIRST = [{"date": "2023-03-01", "hours": "100"}, {"date": "2023-09-01", "hours": "19.5"}]
SECOND = [*FIRST, {"date": "2024-05-01", "hours": "0.5"}]


def worker(i: int, sessions: list[dict[str, str]]) -> dict[str, object]:
    return {"kind": "worker", "id": f"W{i}", "jurisdiction": "371502", "training": sessions}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    day = dt.date.fromisoformat(AS_OF)
    rulebook = sw_policy.load_rulebook()
    records = [sw_policy.parse_record(worker(i, FIRST)) for i in range(n)]
    rates: dict[str, float] = {}
    with Monitor(rulebook, as_of=day) as monitor:
        started = time.process_time()
        for record in records:
            monitor.upsert(record)
        for i in range(n):
            monitor.add_training(f"W{i}", date="2024-05-01", hours="0.5")
        rates["api"] = 2 * n / (time.process_time() - started)
    with Monitor(rulebook, as_of=day) as monitor:
        for record in records:
            monitor.upsert(record)
        started = time.process_time()
        for record in records:
            monitor.upsert(record)
        rates["api, unchanged record"] = n / (time.process_time() - started)
    started = time.process_time()
    for record in records:
        rulebook.evaluate(record, as_of=day)
    rates["batch evaluate (records)"] = n / (time.process_time() - started)
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.jsonl"
        with events.open("w", encoding="utf-8") as out:
            for sessions in (FIRST, SECOND):
                for i in range(n):
                    out.write(json.dumps(worker(i, sessions), separators=(",", ":")) + "\n")
        command = [sys.executable, "-m", "sw_policy", "watch", "--as-of", AS_OF]
        with (Path(tmp) / "changes.jsonl").open("wb") as sink:
            before = children_cpu()
            subprocess.run(command, stdin=subprocess.DEVNULL, stdout=sink, check=True)
            startup = children_cpu() - before
            with events.open("rb") as stdin:
                before = children_cpu()
                subprocess.run(command, stdin=stdin, stdout=sink, check=True)
                cpu = children_cpu() - before
    rates["watch"] = 2 * n / cpu
    rates["watch, start-up off"] = 2 * n / max(cpu - startup, 1e-9)
    print("  ".join(f"{name}: {rate:,.0f}" for name, rate in rates.items()))


if __name__ == "__main__":
    main()
