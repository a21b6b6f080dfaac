"""Where the columnar engine starts to pay: CPU time of both engines, by input and size.

    python benchmarks/crossover.py
    python benchmarks/crossover.py --sizes 100,1000 --kinds budget --repeat 1   # smoke run

For budgets and workers at each size (100 … 20 000 rows by default) it times
`engine="row"` against `engine="columnar"` on the same data:

- cli csv / cli json: `sw-policy check FILE --format json --output OUT` as a fresh
  process (what an office runs: the columnar engine also pays for importing Polars);
- files csv / files json: `Rulebook.check_files` in this process (Polars loaded);
- dicts: `Rulebook.check` on contract-form dicts; frame: on a Polars DataFrame.

Each figure is CPU seconds (user + system, every thread), the best of `--repeat`
runs; on a shared machine CPU time is the steadier figure. The last table gives,
per input and kind, the smallest size from which the columnar engine used less CPU
at that size and every larger one: the crossover `engine="auto"` should follow
(checking/engine_choice.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

import sw_policy

JURISDICTIONS = ["330106", "330212", "361126", "371502", "210102", "110105"]
AS_OF = dt.date(2024, 6, 30)
CERTIFICATES = ["none", "assistant", "intermediate", "senior"]
EDUCATIONS = ["secondary", "junior_college", "bachelor", "master"]
EMPLOYERS = ["urban_community", "rural_community", "social_work_org", "government"]


def budgets(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        total = Decimal(rng.randint(10_000_00, 5_000_000_00)) / 100
        labour = (total * Decimal(rng.randint(500, 950)) / 1000).quantize(Decimal("0.01"))
        rows.append(
            {
                "id": f"B{i}",
                "jurisdiction": rng.choice(JURISDICTIONS),
                "total_funds": str(total),
                "labour_cost": str(labour),
            }
        )
    return rows


def workers(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            {
                "id": f"W{i}",
                "jurisdiction": rng.choice(JURISDICTIONS),
                "certificate": rng.choice(CERTIFICATES),
                "education": rng.choice(EDUCATIONS),
                "training_hours_5y": str(rng.randint(0, 200)),
                "training_hours_total": str(rng.randint(200, 400)),
                "employer_type": rng.choice(EMPLOYERS),
                "counted_as_professional": rng.choice(["true", "false"]),
            }
        )
    return rows


GENERATORS: dict[str, Callable[[int, int], list[dict[str, Any]]]] = {
    "budget": budgets,
    "worker": workers,
}


def cpu_of(run: Callable[[], Any], repeat: int) -> float:
    """Best CPU seconds of `repeat` runs in this process (every thread counted)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def cpu_of_process(argv: list[str], repeat: int) -> float:
    """Best CPU seconds of `repeat` runs of a child process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(argv, env=env, capture_output=True, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode not in (0, 1, 3):  # 3: some records lacked data (an incomplete check)
            raise SystemExit(f"{' '.join(argv)}: exit {done.returncode}\n{done.stderr.decode()}")
        used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, used)
    return best


def cli(path: Path, out: Path, engine: str) -> list[str]:
    """`sw-policy check` of one file to a JSON report, as a fresh interpreter runs it."""
    check = ["check", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"]
    return [sys.executable, "-m", "sw_policy", *check, "--output", str(out), "--engine", engine]


def crossover(sizes: list[int], row: dict[int, float], col: dict[int, float]) -> str:
    """The smallest size from which columnar is cheaper at it and every larger size."""
    found = None
    for n in reversed(sizes):
        if col[n] < row[n]:
            found = n
        else:
            break
    return f"{found:,}" if found is not None else f"> {sizes[-1]:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,300,1000,3000,7000,20000")
    parser.add_argument("--kinds", default="budget,worker")
    parser.add_argument("--inputs", default="cli csv,cli json,files csv,files json,dicts,frame")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(",") if s)
    kinds = [k for k in args.kinds.split(",") if k]
    inputs = [i.strip() for i in args.inputs.split(",") if i.strip()]
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.1f}, polars {pl.__version__}, sw-policy {sw_policy.__version__}",
        flush=True,
    )
    rulebook = sw_policy.load_rulebook()
    figures: dict[tuple[str, str], tuple[dict[int, float], dict[int, float]]] = {}
    print(f"{'input':<11} {'kind':<7} {'rows':>7} {'row CPU s':>10} {'col CPU s':>10}  faster")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        out = folder / "out.json"
        for kind in kinds:
            for n in sizes:
                rows = GENERATORS[kind](n, n)
                csv_path = folder / f"{kind}-{n}.csv"
                pl.DataFrame(rows).write_csv(csv_path)
                dicts = [{"kind": kind, **row} for row in rows]
                json_path = folder / f"{kind}-{n}.json"
                json_path.write_text(json.dumps(dicts, ensure_ascii=False, indent=2), "utf-8")
                frame = pl.DataFrame(rows)
                runs: dict[str, Callable[[str], float]] = {
                    "cli csv": lambda e, p=csv_path: cpu_of_process(cli(p, out, e), args.repeat),
                    "cli json": lambda e, p=json_path: cpu_of_process(cli(p, out, e), args.repeat),
                    "files csv": lambda e, p=csv_path: cpu_of(
                        lambda: rulebook.check_files([p], as_of=AS_OF, engine=e), args.repeat
                    ),
                    "files json": lambda e, p=json_path: cpu_of(
                        lambda: rulebook.check_files([p], as_of=AS_OF, engine=e), args.repeat
                    ),
                    "dicts": lambda e, d=dicts: cpu_of(
                        lambda: rulebook.check(d, as_of=AS_OF, engine=e), args.repeat
                    ),
                    "frame": lambda e, f=frame, k=kind: cpu_of(
                        lambda: rulebook.check(f, kind=k, as_of=AS_OF, engine=e), args.repeat
                    ),
                }
                for name in inputs:
                    row_cpu = runs[name]("row")
                    col_cpu = runs[name]("columnar")
                    row_by, col_by = figures.setdefault((name, kind), ({}, {}))
                    row_by[n], col_by[n] = row_cpu, col_cpu
                    faster = "columnar" if col_cpu < row_cpu else "row"
                    ratio = max(row_cpu, col_cpu) / max(min(row_cpu, col_cpu), 1e-9)
                    print(
                        f"{name:<11} {kind:<7} {n:>7,} {row_cpu:>10.3f} {col_cpu:>10.3f}  "
                        f"{faster} ({ratio:.2f}x)",
                        flush=True,
                    )
    print(f"\ncrossover (columnar cheaper from this many rows on); load {os.getloadavg()[0]:.1f}")
    for (name, kind), (row_by, col_by) in figures.items():
        print(f"  {name:<11} {kind:<7} {crossover(sizes, row_by, col_by)}")


if __name__ == "__main__":
    main()
