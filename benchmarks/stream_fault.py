"""Kill `sw-policy watch --state` with SIGKILL at random points; restart; compare with batch.

    python benchmarks/stream_fault.py --events 100000 --seeds 1 2 3

For each seed: writes N events (worker upserts with training sessions, deletes,
budget upserts, now and then an advance of the date), each with an event id;
starts `watch --state` on them and kills it with SIGKILL after a random delay,
several times, each restart re-sending every event from the first (applied ids
are acknowledged, not applied again); then lets a last run finish. Checks that
the final state's records equal the records the events leave, its outcomes
equal a batch `check` of those records at the final date, and the change log
(lines deduplicated by seq; a repeated seq must be the identical line) folds
to the same outcomes. Before each restart it drops a last line cut off by the
kill (no newline), as a consumer reading the output must. Prints one line per
seed. tests/test_stream_fault.py runs it with fewer events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sw_policy
from sw_policy.stream import Monitor

START = dt.date(2024, 6, 30)


def events(n: int, seed: int) -> list[dict[str, Any]]:
    """N events with ids; dates move forward now and then."""
    rng = random.Random(seed)
    workers = max(n // 8, 4)
    day = START
    out: list[dict[str, Any]] = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.01:
            day += dt.timedelta(days=rng.choice([1, 30, 200, 400]))
            event: dict[str, Any] = {"op": "advance", "as_of": day.isoformat()}
        elif roll < 0.06:
            event = {"op": "delete", "kind": "worker", "id": f"W{rng.randrange(workers)}"}
        elif roll < 0.15:
            event = {
                "kind": "budget",
                "id": f"B{rng.randrange(workers // 4 + 1)}",
                "jurisdiction": "330106",
                "total_funds": "100",
                "labour_cost": rng.choice(["69.99", "70", "70.01"]),
            }
        else:
            sessions = [
                {
                    "date": (START + dt.timedelta(days=rng.randrange(-2200, 900))).isoformat(),
                    "hours": rng.choice(["8", "40", "60", "119.5", "0.5"]),
                }
                for _ in range(rng.randrange(0, 4))
            ]
            event = {
                "kind": "worker",
                "id": f"W{rng.randrange(workers)}",
                "jurisdiction": rng.choice(["371502", "330106"]),
                "training": sessions,
                "employer_type": rng.choice(["other", "charity_org"]),
            }
        event["event_id"] = f"e{i}"
        out.append(event)
    return out


def final_records(stream: list[dict[str, Any]]) -> tuple[list[Any], dt.date]:
    """The records the events leave, in the order first seen, and the final date."""
    records: dict[tuple[str, str], Any] = {}
    day = START
    for event in stream:
        data = {k: v for k, v in event.items() if k != "event_id"}
        if data.get("op") == "advance":
            day = dt.date.fromisoformat(data["as_of"])
        elif data.get("op") == "delete":
            records.pop((data["kind"], data["id"]), None)
        else:
            record = sw_policy.parse_record(data)
            records[(record.kind, record.id)] = record
    return list(records.values()), day


def fold(changes: Path) -> dict[tuple[str, str, str], str]:
    """Outcomes rebuilt from the change log, each seq applied once."""
    seen: dict[int, bytes] = {}
    outcomes: dict[tuple[str, str, str], str] = {}
    for line in changes.read_bytes().splitlines():
        data = json.loads(line)
        if data.get("duplicate"):
            continue
        if data["seq"] in seen:
            assert seen[data["seq"]] == line, f"seq {data['seq']} written twice, differently"
            continue
        seen[data["seq"]] = line
        assert len(seen) == data["seq"], f"seq {data['seq']} out of order"
        key = (data["kind"], data["record_id"], data["rule_id"])
        assert outcomes.get(key) == data["from"], (key, outcomes.get(key), data["from"])
        if data["to"] is None:
            outcomes.pop(key)
        else:
            outcomes[key] = data["to"]
    return outcomes


def drop_torn_line(changes: Path) -> None:
    """What a consumer does after a crash: a last line with no newline was cut; drop it."""
    if not changes.exists():
        return
    data = changes.read_bytes()
    if data and not data.endswith(b"\n"):
        changes.write_bytes(data[: data.rfind(b"\n") + 1])


def applied(state: Path) -> int:
    """Events applied (committed) in a state file; 0 if it has none yet."""
    if not state.exists():
        return 0
    db = sqlite3.connect(state)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'events'").fetchone()
    except sqlite3.Error:
        return 0
    finally:
        db.close()
    return 0 if row is None else int(row[0])


def run(n: int, seed: int, workdir: Path, kills: int = 4) -> str:
    """One seed: kill `kills` times at random, finish, compare. Returns a summary line."""
    rng = random.Random(seed * 7919)
    stream = events(n, seed)
    source = workdir / f"events-{seed}.jsonl"
    source.write_text("".join(json.dumps(e) + "\n" for e in stream), encoding="utf-8")
    state, changes = workdir / f"state-{seed}.db", workdir / f"changes-{seed}.jsonl"
    log = workdir / f"stderr-{seed}.txt"
    # The same command each time: a resumed state keeps its (later) date.
    command = [sys.executable, "-m", "sw_policy", "watch", "--state", str(state)]
    command += ["--as-of", START.isoformat()]
    killed: list[int] = []  # events applied in the state when each kill struck
    started = time.perf_counter()
    for attempt in range(kills + 1):
        drop_torn_line(changes)
        with source.open("rb") as stdin, changes.open("ab") as stdout, log.open("wb") as stderr:
            size = changes.stat().st_size
            process = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=stderr)
            if attempt < kills:
                # Strike once the output has grown by a random amount (up to all of
                # the run: about 1 KB per event), or at once while it starts now and then.
                grow = 0 if rng.random() < 0.1 else rng.randrange(1, 1000 * n)
                while process.poll() is None and changes.stat().st_size - size < grow:
                    time.sleep(0.005)
                if process.poll() is None:
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                    killed.append(applied(state))
                    continue
            process.wait()
        if process.returncode != 0:
            raise SystemExit(f"watch failed ({process.returncode}): {log.read_text()[-400:]!r}")
        break  # finished: every event applied
    elapsed = time.perf_counter() - started
    rulebook = sw_policy.load_rulebook()
    records, day = final_records(stream)
    with Monitor(rulebook, state=state) as monitor:
        assert monitor.as_of == day, (monitor.as_of, day)
        assert monitor.records() == records, "records differ from the events' final records"
        outcomes = monitor.outcomes()
    batch = rulebook.check(records, as_of=day)
    expected = {(f.kind, f.record_id, f.rule_id): f.outcome for f in batch.findings}
    assert outcomes == expected, "state outcomes differ from a batch check"
    assert fold(changes) == expected, "the change log does not fold to a batch check"
    return (
        f"seed {seed}: {n:,} events, SIGKILLs after {killed} applied, {len(records):,} records, "
        f"{len(expected):,} outcomes identical to batch check ({elapsed:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--kills", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            print(run(args.events, seed, Path(tmp), args.kills), flush=True)


if __name__ == "__main__":
    main()
