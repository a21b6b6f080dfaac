"""Time the direct CSV reader (read_files_columnar) on a generated 1M-row budget CSV.

    python benchmarks/columnar_read.py                  # 1M rows, best of 5
    python benchmarks/columnar_read.py --rows 20000     # smoke run
    python benchmarks/columnar_read.py --csv big.csv    # an existing file instead
    python benchmarks/columnar_read.py --messy          # also blank, wide, odd and repeated rows

The file has the contract's budget header (id,jurisdiction,total_funds,labour_cost),
six jurisdictions and amounts with two decimal places, from a fixed seed. With
--messy, about one row in a hundred is odd (blank, too many cells, trailing blank
cells, bad code, exponent, spaces, repeated id), so those rows go through the row
reader. Wall time is the best of --repeat runs; CPU time counts every thread;
the load average is printed because the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from sw_policy.inputs.csv_direct import read_files_columnar

JURISDICTIONS = ["330106", "330212", "361126", "371502", "210102", "110105"]
ODD_ROWS = [
    "",
    ",,,",
    "B{i},{code},{t},{w},,",
    "B{i},{code},{t},{w},9",
    "B{i},3301,{t},{w}",
    "B{i},{code},1e6,{w}",
    " B{i} ,{code},{t},{w}",
    "B{j},{code},{t},{w}",
]


def write_csv(path: Path, rows: int, seed: int, *, messy: bool) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("id,jurisdiction,total_funds,labour_cost\n")
        for i in range(rows):
            total = rng.randint(100_000, 5_000_000_00)
            labour = total * rng.randint(50, 95) // 100
            t, w = f"{total // 100}.{total % 100:02d}", f"{labour // 100}.{labour % 100:02d}"
            code = rng.choice(JURISDICTIONS)
            if messy and rng.random() < 0.01:
                odd = rng.choice(ODD_ROWS)
                out.write(odd.format(i=i, j=rng.randrange(i + 1), code=code, t=t, w=w) + "\n")
            else:
                out.write(f"B{i},{code},{t},{w}\n")


def time_reader(path: Path, repeat: int) -> None:
    walls, cpus = [], []
    read = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        read = read_files_columnar([path])
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert read is not None
    [summary] = read.inputs
    size = path.stat().st_size / 1e6
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"read_files_columnar  {summary.records:>9,} rows  {size:5.1f} MB  "
        f"wall best {min(walls):.3f} s (median {sorted(walls)[len(walls) // 2]:.3f})  "
        f"CPU best {min(cpus):.3f} s  rejected {summary.rejected:,}  "
        f"load {load}  ({os.cpu_count()} CPUs)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--csv", type=Path, help="time this file instead of a generated one")
    parser.add_argument("--messy", action="store_true", help="sprinkle odd rows in the file")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}", flush=True)
    if args.csv:
        time_reader(args.csv, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "budgets.csv"
        write_csv(path, args.rows, args.seed, messy=args.messy)
        time_reader(path, args.repeat)


if __name__ == "__main__":
    main()
