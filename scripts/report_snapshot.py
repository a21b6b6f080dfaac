"""Every report of every format on every fixture, written to one folder: a snapshot to compare.

A refactoring that claims "no behaviour change" proves it by running this before and after
and comparing the folders (`diff -r`), or by `tests/test_report_snapshot.py`, which keeps the
digests of the current snapshot.

    python scripts/report_snapshot.py OUT_DIR
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
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
                        str(FIXTURES / fixture),
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
            capture_output=True,
            check=False,
        )
        data = target.read_bytes() if target.exists() else b""
        data += f"\n[exit {done.returncode}]\n".encode()
        target.write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


if __name__ == "__main__":
    result = snapshot(Path(sys.argv[1]))
    for key in sorted(result):
        print(result[key], key)
