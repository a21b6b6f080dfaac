"""`sw-policy check` from 100k to 10M rows: seconds, peak RSS and output, beside two yardsticks.

    python benchmarks/constant_memory.py                         # 100k, 1M, 5M, 10M rows
    python benchmarks/constant_memory.py --rows 20000 --repeat 1 # smoke run (CI)
    python benchmarks/constant_memory.py --rows 1000000 --keep /var/tmp/cm  # reuse the CSVs

Every size is one budget CSV from benchmarks/columnar_read.py's generator
(contract header, six jurisdictions, a fixed seed). For each size:
- check: `sw-policy check big.csv --format json -o out.json --engine columnar`
  (every finding listed), in a fresh interpreter;
- hand: benchmarks/handwritten_polars.py, the same report written by hand in
  Polars (the two labour-share rules, every finding, head, summary and options;
  no cell validation, rejection or duplicate-id check: see its docstring). Its
  output is compared with check's byte for byte, and the run stops if they differ,
  so the ratio is between equal outputs;
- floor: Polars reads the CSV and the same number of bytes as check's report is
  written: the least any CSV-to-report run can cost on this machine.
Each runs under a small launcher that reports its child's peak RSS (Linux hands a
forked child its parent's high-water mark, so the launcher must be small). Wall
times are the best of --repeat; the load average is printed, because the
machine may be shared: compare runs taken close together. The run ends with the
issue's targets beside its own figures. Generated files are deleted unless --keep.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from columnar_read import write_csv
from handwritten_polars import constants

HERE = Path(__file__).parent
# Bytecode cached, as an installed package has it, even where PYTHONDONTWRITEBYTECODE is
# set (else every run compiles ~75 modules: seconds at high load, not the check's cost).
CACHED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
LAUNCHER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], check=False).returncode\n"
    "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(used.ru_utime + used.ru_stime, used.ru_maxrss)\n"
    "sys.exit(code)"
)
FLOOR = (
    "import sys, polars as pl\n"
    "df = pl.read_csv(sys.argv[1])\n"
    "size, block = int(sys.argv[3]), b'x' * (1 << 20)\n"
    "with open(sys.argv[2], 'wb') as out:\n"
    "    for _ in range(size >> 20): out.write(block)\n"
    "    out.write(block[: size & ((1 << 20) - 1)])\n"
)


def measure(command: list[str], repeat: int) -> tuple[float, float, int, float]:
    """(best wall seconds, largest peak RSS in MiB, exit status, least CPU seconds, every
    thread counted: the steadier figure on a shared machine) of `command`."""
    times, peaks, cpus, code = [], [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", LAUNCHER, *command],
            check=False,
            capture_output=True,
            text=True,
            env=CACHED,
        )
        times.append(time.perf_counter() - started)
        cpu, peak = done.stdout.split()[-2:]
        peaks.append(int(peak) / 1024)
        cpus.append(float(cpu))
        code = done.returncode
        if code not in (0, 1):
            sys.exit(f"{command[:4]} … exited {code}: {done.stderr.strip()[-400:]}")
    return min(times), max(peaks), code, min(cpus)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_size(rows: int, folder: Path, args: argparse.Namespace) -> dict[str, float]:
    csv = folder / f"budgets-{rows}.csv"
    if not csv.exists():
        write_csv(csv, rows, args.seed, messy=False)
    out = folder / f"out-{rows}.json"
    check = [
        sys.executable, "-m", "sw_policy", "check", str(csv), "--as-of", "2024-06-30",
        "--format", "json", "--output", str(out), "--engine", args.engine,
    ]  # fmt: skip
    figures: dict[str, float] = {}
    print(f"{rows:>10,} rows  load {load()}", flush=True)
    seconds, peak, code, cpu = measure(check, args.repeat)
    size = out.stat().st_size
    figures.update(check_s=seconds, check_mib=peak, output=size, check_cpu=cpu)
    print(
        f"{'':12}check  {seconds:8.2f} s  {seconds / rows * 1e6:6.2f} s/M  CPU {cpu:7.2f} s"
        f"  peak {peak:7,.0f} MiB  {size / 1e6:8,.0f} MB JSON  exit {code}",
        flush=True,
    )
    if rows <= args.yardsticks_max:
        figures.update(_hand(rows, csv, out, folder, args))
    out.unlink()
    # The floor at every size (it holds the CSV, not the output): past RAM's dirty-page
    # limits the disk itself slows per row, and the check can be no more linear than it.
    floor_out = folder / f"floor-{rows}.bin"
    floor = [sys.executable, "-c", FLOOR, str(csv), str(floor_out), str(size)]
    seconds, peak, _, cpu = measure(floor, args.repeat)
    floor_out.unlink()
    figures.update(floor_s=seconds, floor_cpu=cpu)
    print(
        f"{'':12}floor  {seconds:8.2f} s  {seconds / rows * 1e6:6.2f} s/M  CPU {cpu:7.2f} s"
        f"  peak {peak:7,.0f} MiB",
        flush=True,
    )
    if not args.keep:
        csv.unlink()
    return figures


def _hand(
    rows: int, csv: Path, out: Path, folder: Path, args: argparse.Namespace
) -> dict[str, float]:
    """The hand-written script on the same CSV; stops the run if its bytes differ."""
    hand_out = folder / f"hand-{rows}.json"
    hand = [sys.executable, str(HERE / "handwritten_polars.py"), str(csv), str(hand_out)]
    hand.append(args.constants)
    seconds, peak, _, cpu = measure(hand, args.repeat)
    hand_size = hand_out.stat().st_size
    same = filecmp.cmp(out, hand_out, shallow=False)
    hand_out.unlink()
    if not same:
        out.unlink()
        sys.exit(f"{rows:,} rows: the hand script's report differs from check's")
    print(
        f"{'':12}hand   {seconds:8.2f} s  {seconds / rows * 1e6:6.2f} s/M  CPU {cpu:7.2f} s"
        f"  peak {peak:7,.0f} MiB  {hand_size / 1e6:8,.0f} MB JSON, same bytes",
        flush=True,
    )
    return {"hand_s": seconds, "hand_mib": peak, "hand_cpu": cpu}


def warm_up(folder: Path, engine: str) -> None:
    """One untimed check, so the timed runs find their bytecode written."""
    csv, out = folder / "warm.csv", folder / "warm.json"
    write_csv(csv, 2000, 7, messy=False)
    command = [sys.executable, "-m", "sw_policy", "check", str(csv), "--format", "json"]
    command += ["--output", str(out), "--engine", engine]
    subprocess.run(command, check=False, capture_output=True, env=CACHED)
    csv.unlink()
    out.unlink(missing_ok=True)


def small_file_seconds(folder: Path, repeat: int) -> float:
    """Best wall time of `sw-policy check` on a 10-row CSV in a fresh interpreter (bytecode
    cached, as an installed package has it, even where PYTHONDONTWRITEBYTECODE is set)."""
    csv = folder / "ten.csv"
    write_csv(csv, 10, 7, messy=False)
    command = [sys.executable, "-m", "sw_policy", "check", str(csv), "--as-of", "2024-06-30"]
    times = []
    for _ in range(repeat + 1):  # the first run writes the bytecode cache
        started = time.perf_counter()
        subprocess.run(command, check=False, capture_output=True, env=CACHED)
        times.append(time.perf_counter() - started)
    csv.unlink()
    return min(times[1:])


def targets(by_size: dict[int, dict[str, float]], small: float) -> None:
    """The issue's 'done when' beside this run's figures."""
    rows: list[tuple[str, str, str, bool]] = []
    sizes = sorted(by_size)
    one = 1_000_000 if 1_000_000 in by_size else sizes[0]
    big = sizes[-1]
    a, b = by_size[one], by_size[big]
    rows.append(
        (f"peak RSS at {big:,}", f"{b['check_mib']:,.0f} MiB", "<= 1,024", b["check_mib"] <= 1024)
    )
    x = b["check_mib"] / a["check_mib"]
    rows.append((f"peak RSS {big:,} / {one:,}", f"{x:.2f}x", "<= 1.5x", x <= 1.5))
    per = (b["check_s"] / big) / (a["check_s"] / one)
    rows.append((f"s per M rows {big:,} / {one:,}", f"{per:.2f}x", "<= 1.2x", per <= 1.2))
    floor_per = (b["floor_s"] / big) / (a["floor_s"] / one)
    rows.append((f"  floor's s per M {big:,} / {one:,}", f"{floor_per:.2f}x", "", True))
    per_cpu = (b["check_cpu"] / big) / (a["check_cpu"] / one)
    rows.append((f"CPU per M rows {big:,} / {one:,}", f"{per_cpu:.2f}x", "<= 1.2x", per_cpu <= 1.2))
    rows.append((f"check / hand CPU at {one:,}", f"{a['check_cpu'] / a['hand_cpu']:.2f}x",
                 "<= 1x", a["check_cpu"] <= a["hand_cpu"]))  # fmt: skip
    rows.append((f"check / hand at {one:,}", f"{a['check_s'] / a['hand_s']:.2f}x", "<= 1x",
                 a["check_s"] <= a["hand_s"]))  # fmt: skip
    rows.append((f"check / floor at {one:,}", f"{a['check_s'] / a['floor_s']:.2f}x", "<= 5x",
                 a["check_s"] <= 5 * a["floor_s"]))  # fmt: skip
    rows.append(("check, 10-row file", f"{small:.2f} s", "< 0.3 s", small < 0.3))
    print("\ntargets (issue #19)")
    for label, got, target, met in rows:
        verdict = ("met" if met else "MISSED") if target else "context"
        print(f"  {label:34} {got:>12}  {target:>10}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000,5000000,10000000")
    parser.add_argument("--repeat", type=int, default=2, help="best of N runs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--engine", default="columnar", choices=["auto", "row", "columnar"])
    parser.add_argument(
        "--yardsticks-max",
        type=int,
        default=10_000_000,
        help="largest size to run the hand-written script and the floor at",
    )
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the CSVs in this folder")
    args = parser.parse_args()
    args.constants = constants()
    import polars as pl  # noqa: PLC0415 (only its version, after the arguments parse)

    print(
        f"Python {platform.python_version()} · polars {pl.__version__} · "
        f"{os.cpu_count()} cores · load {load()}",
        flush=True,
    )
    by_size: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        warm_up(folder, args.engine)
        for rows in (int(s) for s in args.rows.split(",")):
            by_size[rows] = run_size(rows, folder, args)
        small = small_file_seconds(folder, max(args.repeat, 3))
    targets(by_size, small)


if __name__ == "__main__":
    main()
