"""Every report of every format on every fixture, written to one folder: a snapshot to compare.

A refactoring that claims "no behaviour change" proves it by running this before and after
and comparing the folders (`diff -r`), or by `tests/test_report_snapshot.py`, which keeps the
digests of the current snapshot.

    python scripts/report_snapshot.py OUT_DIR                # one process per run
    python scripts/report_snapshot.py --in-process OUT_DIR   # every run in this process

The in-process form (click's CliRunner, cwd = fixtures/) writes the same bytes
about twenty times faster; the test uses it on a subset.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
TABLE_COLUMNS = 120
FORMATS = ("table", "json", "jsonl", "csv", "xlsx", "html", "md")
INPUTS = (
    "budgets.csv",
    "workers.csv",
    "communities.csv",
    "institutions.csv",
    "regions.csv",
    "mixed.json",
    "budgets.json",
    "workers.json",
)


def runs() -> list[tuple[str, list[str]]]:
    """(name, argv) for every snapshot run: each fixture × format × engine × language."""
    out: list[tuple[str, list[str]]] = []
    for fixture in INPUTS:
        for fmt in FORMATS:
            for engine in ("row", "columnar"):
                for lang in ("zh", "en"):
                    name = f"{fixture}.{engine}.{lang}.{fmt}"
                    argv = [
                        "check",
                        fixture,  # relative to cwd (fixtures/): reports name it so
                        "--as-of",
                        "2024-06-30",
                        "--format",
                        fmt,
                        "--engine",
                        engine,
                        "--lang",
                        lang,
                    ]
                    out.append((name, argv))
    return out


def snapshot(out_dir: Path) -> dict[str, str]:
    """Write each run's output (and exit status) to out_dir; return name -> sha256."""
    out_dir.mkdir(parents=True, exist_ok=True)
    digests: dict[str, str] = {}
    for name, argv in runs():
        target = out_dir / name
        done = subprocess.run(
            [sys.executable, "-m", "sw_policy", *argv, "--output", str(target)],
            cwd=FIXTURES,
            env={**os.environ, "COLUMNS": str(TABLE_COLUMNS)},
            capture_output=True,
            check=False,
        )
        data = target.read_bytes() if target.exists() else b""
        data += f"\n[exit {done.returncode}]\n".encode()
        target.write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def run_in_process(argv: list[str], target: Path) -> str:
    """One run through the CLI in this process (cwd must be fixtures/); its output's sha256.

    The report is written beside the fixtures first (a folder of its own in
    fixtures/), so the XLSX report's links to its inputs ("../budgets.csv")
    do not depend on where the checkout or OUT_DIR is.
    """
    from click.testing import CliRunner

    from sw_policy.cli import main

    scratch = FIXTURES / f".report-snapshot-{os.getpid()}"
    scratch.mkdir(exist_ok=True)
    written = scratch / target.name
    try:
        # The terminal table fits the terminal: a fixed width keeps its digest the same
        # wherever the snapshot is taken.
        runner = CliRunner(env={"COLUMNS": str(TABLE_COLUMNS)})
        done = runner.invoke(main, [*argv, "--output", str(written)], catch_exceptions=False)
        data = written.read_bytes() if written.exists() else b""
        # Files written beside the report (the CSV report's NAME.stamp.json) count too.
        for extra in sorted(scratch.iterdir()):
            if extra != written:
                data += f"\n[REPORT{extra.name.removeprefix(written.stem)}]\n".encode()
                data += extra.read_bytes()
    finally:
        for leftover in scratch.iterdir():
            leftover.unlink()
        scratch.rmdir()
    data += f"\n[exit {done.exit_code}]\n".encode()
    target.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def snapshot_in_process(out_dir: Path, names: set[str] | None = None) -> dict[str, str]:
    """snapshot(), every run in this process; only the runs in `names` when given."""
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    here = Path.cwd()
    os.chdir(FIXTURES)
    try:
        return {
            name: run_in_process(argv, out_dir / name)
            for name, argv in runs()
            if names is None or name in names
        }
    finally:
        os.chdir(here)


if __name__ == "__main__":
    args = sys.argv[1:]
    in_process = args[:1] == ["--in-process"]
    folder = args[1:] if in_process else args
    if len(folder) != 1 or folder[0].startswith("-"):
        # `--help` (or a mistyped flag) must not become the output folder.
        print(__doc__)
        sys.exit(0 if args in (["-h"], ["--help"]) else 2)
    result = snapshot_in_process(Path(folder[0])) if in_process else snapshot(Path(folder[0]))
    for key in sorted(result):
        print(result[key], key)
