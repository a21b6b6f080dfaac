"""The monitor's event path in one process: CPU µs per event, best of R runs.

    python benchmarks/stream_inprocess.py 3000 watch 3
    PYTHONPATH=<archive>/src python benchmarks/stream_inprocess.py 3000 watch 3

Modes: `api` (Monitor.upsert of built records, then add_training), `watch`
(watch_lines over benchmarks/stream.py's JSON lines, output to memory) and
`state` (the same with a state file and group commits, as `sw-policy watch
--state` runs). No subprocess and no start-up: run it for two versions
alternately (a `git archive` of each on PYTHONPATH) to compare them on a
loaded machine, where a single run's figure is noise.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import stream as events  # this folder's benchmarks/stream.py: the same events

import sw_policy
from sw_policy.engines.stream.watch import watch_lines
from sw_policy.stream import Monitor


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    mode = sys.argv[2] if len(sys.argv) > 2 else "watch"
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    lines = [
        json.dumps(events.worker(i, sessions), separators=(",", ":")).encode()
        for sessions in events.rounds()
        for i in range(n)
    ]
    rulebook = sw_policy.load_rulebook()
    day = dt.date.fromisoformat(events.AS_OF)
    records = [sw_policy.parse_record(events.worker(i, events.FIRST)) for i in range(n)]
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs):
            state = Path(tmp) / f"state{run}.db" if mode == "state" else None
            with Monitor(rulebook, as_of=day, state=state, group_commit=True) as monitor:
                gc.collect()
                started = time.process_time()
                if mode == "api":
                    for record in records:
                        monitor.upsert(record)
                    for i in range(n):
                        monitor.add_training(f"W{i}", date="2024-05-01", hours="0.5")
                else:
                    watch_lines(monitor, lines, io.BytesIO(), print)
                spent = time.process_time() - started
            best = min(best, spent / len(lines) * 1e6)
    print(f"{mode} {n} workers: {best:.1f} µs per event (CPU, best of {runs})")


if __name__ == "__main__":
    main()
