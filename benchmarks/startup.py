"""Start-up of the CLI: CPU and wall seconds of a 10-row check and of `--help`, per source tree.

    python benchmarks/startup.py --runs 15
    python benchmarks/startup.py --runs 15 --tree before=/tmp/main/src --tree after=src

Each command runs as a fresh `python -m sw_policy …` process; its CPU time (user +
system, from the kernel's child accounting) is steadier than wall time on a shared
machine. `--tree NAME=DIR` puts DIR first on PYTHONPATH (a source tree with its own
rules/ beside it); several trees run alternately, back to back, so load changes touch
them alike. The first run of each is discarded (it may compile bytecode: the variable
PYTHONDONTWRITEBYTECODE is unset here, as an installed wheel has its bytecode).
`python -c pass` is the floor: the interpreter alone; `click+pydantic` adds the
third-party modules a check cannot do without (pydantic's plugin loader comes with its
first model built); `script` is the same check through
the installed `sw-policy` console script (beside this interpreter), which skips runpy.
Prints min and median per line.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2024-06-30"
JURISDICTIONS = ["330106", "330212", "361126", "371502", "210102", "110105"]


def write_csv(path: Path, rows: int) -> None:
    """A small budget CSV like an office's: Chinese names, amounts with two places."""
    lines = ["id,name,jurisdiction,as_of,total_funds,labour_cost"]
    for i in range(rows):
        total = 100_000 + 37_000 * i
        labour = total * (55 + 3 * i % 40) // 100
        code = JURISDICTIONS[i % len(JURISDICTIONS)]
        lines.append(f"B{i:03d},社区社会工作服务项目{i},{code},,{total}.00,{labour}.00")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        argv, check=False, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per line")
    parser.add_argument("--rows", type=int, default=10, help="rows of the budget CSV")
    parser.add_argument(
        "--tree",
        action="append",
        default=[],
        metavar="NAME=DIR",
        help="a source tree to put first on PYTHONPATH (repeatable); default: as installed",
    )
    args = parser.parse_args()
    trees = [tuple(t.split("=", 1)) for t in args.tree] or [("installed", "")]
    env_base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env_base.pop("SW_POLICY_RULES", None)

    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "ten.csv"
        write_csv(csv, args.rows)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            # What a check imports from others before any model of ours: its floor.
            "click+pydantic": [
                sys.executable, "-c",
                "import click, pydantic.main, pydantic.plugin._loader, pydantic.type_adapter",
            ],
            "--help": [sys.executable, "-m", "sw_policy", "--help"],
            f"check {args.rows} rows": [
                sys.executable, "-m", "sw_policy", "check", str(csv), "--as-of", AS_OF,
            ],
        }  # fmt: skip
        script = Path(sys.executable).with_name("sw-policy")  # the console script, no runpy
        if script.is_file():
            commands[f"script {args.rows} rows"] = [
                str(script), "check", str(csv), "--as-of", AS_OF,
            ]  # fmt: skip
        lines = [(tree, label) for tree in trees for label in commands]
        figures: dict[tuple[tuple[str, ...], str], list[tuple[float, float]]] = {
            line: [] for line in lines
        }
        for run in range(args.runs + 1):
            for tree, label in lines:
                env = dict(env_base)
                if tree[1]:
                    env["PYTHONPATH"] = str(Path(tree[1]).resolve())
                figure = run_once(commands[label], env)
                if run:  # the first run warms the bytecode and the page cache
                    figures[(tree, label)].append(figure)

    load = os.getloadavg()
    print(f"{args.runs} runs each; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    heads = ("CPU min", "CPU med", "wall min", "wall med")
    print(f"{'tree':<12} {'command':<16} " + " ".join(f"{h:>9}" for h in heads))
    for (tree, label), values in figures.items():
        cpu = [c for c, _ in values]
        wall = [w for _, w in values]
        print(
            f"{tree[0]:<12} {label:<16} {min(cpu):9.3f} {statistics.median(cpu):9.3f} "
            f"{min(wall):9.3f} {statistics.median(wall):9.3f}"
        )


if __name__ == "__main__":
    main()
