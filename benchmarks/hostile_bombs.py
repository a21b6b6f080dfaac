"""Peak memory and time of `sw-policy check` on each bomb, at full size, default limits.

    python benchmarks/hostile_bombs.py

Each bomb is written to a temporary folder and checked in a fresh process
(`sw-policy check FILE --format json`); the script prints the exit status,
wall time, peak resident memory (the child's VmHWM) and the first line of
standard error. Figures: notes/issue-13.md.
"""

from __future__ import annotations

import io
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

HEADER = "kind,id,jurisdiction,total_funds,labour_cost\n"


def _xlsx(path: Path, sheet_xml: Callable[[bytes], bytes], extra: int = 0) -> None:
    book = Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(["budget", "P-1", "330106", 100, 90])
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml(data)
            dst.writestr(info.filename, data)
        if extra:  # streamed: the bomb is never held in memory here
            with dst.open("xl/media/padding.bin", "w", force_zip64=True) as pad:
                chunk = b"\0" * (1 << 24)
                for _ in range(extra // len(chunk)):
                    pad.write(chunk)


def _dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)


def _bombs(folder: Path) -> dict[str, Path]:
    out: dict[str, Path] = {}

    def write(name: str, data: bytes) -> None:
        out[name] = folder / name
        out[name].write_bytes(data)

    _xlsx(folder / "dimension.xlsx", _dimension)
    out["dimension.xlsx"] = folder / "dimension.xlsx"
    _xlsx(folder / "zipbomb.xlsx", lambda x: x, extra=1_600_000_000)
    out["zipbomb.xlsx"] = folder / "zipbomb.xlsx"
    write(
        "exponent.json",
        b'[{"kind":"budget","id":"E","jurisdiction":"330106",'
        b'"total_funds":1e999999,"labour_cost":1e-5000}]',
    )
    write("deep.json", b"[" * 100_000 + b"]" * 100_000)
    write("cell.csv", (HEADER + "budget,P,330106,100," + "9" * 200_000 + "\n").encode())
    write("line.csv", (HEADER + "budget,P,330106,100,90," + "x" * 200_000_000 + "\n").encode())
    write("line.jsonl", b'{"kind":"budget","id":"P","name":"' + b"x" * 200_000_000 + b'"}\n')
    write(
        "quote.csv",
        (
            HEADER
            + 'budget,"P-0,330106,100,90\n'
            + "".join(f"budget,P-{i},330106,100,90\n" for i in range(1, 200_000))
        ).encode(),
    )
    out["/dev/zero"] = Path("/dev/zero")
    return out


_CHILD = """
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                print("PEAK_KIB", line.split()[1], file=sys.stderr)
atexit.register(peak)
from sw_policy.cli import main
sys.argv = ["sw-policy", *sys.argv[1:]]
main()
"""


def _run(path: Path) -> tuple[int, float, int, str]:
    """Exit status, seconds, peak MiB (the child's own VmHWM: ru_maxrss would count the
    parent's pages, inherited across fork and exec) and the first line of stderr."""
    command = [sys.executable, "-c", _CHILD, "check", str(path), "--format", "json"]
    command += ["--as-of", "2024-06-30", "--kind", "budget"]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    lines = done.stderr.decode(errors="replace").splitlines()
    peak = next((int(line.split()[1]) for line in lines if line.startswith("PEAK_KIB")), 0)
    message = next((line for line in lines if not line.startswith("PEAK_KIB")), "")
    return done.returncode, seconds, peak // 1024, message


def main() -> None:
    """Every bomb, or only those named on the command line (`line.csv line.jsonl`)."""
    only = set(sys.argv[1:])
    print(f"# {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cpus")
    print(f"{'bomb':16} {'file':>12} {'exit':>4} {'seconds':>8} {'peak MiB':>8}  message")
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in _bombs(Path(tmp)).items():
            if only and name not in only:
                continue
            size = path.stat().st_size if path.is_file() else 0
            code, seconds, peak, message = _run(path)
            print(f"{name:16} {size:>12} {code:>4} {seconds:>8.2f} {peak:>8}  {message[:120]}")


if __name__ == "__main__":
    main()
