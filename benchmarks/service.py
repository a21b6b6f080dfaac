"""The HTTP service on loopback: /v1/evaluate under 1, 8 and 64 clients; one 100 000-budget check.

    python benchmarks/service.py                      # full run (see docs/performance.md)
    python benchmarks/service.py --smoke              # a second or two, small sizes (CI)
    python benchmarks/service.py --clients 8 --budgets 0 --server-path OLD/src   # compare

Starts `sw-policy serve` in its own process on a free loopback port, drives
it from this process with a bounded asyncio load generator (each client one
keep-alive connection, one request at a time, for --seconds per level), and
prints requests/s with p50/p99 latency and the server's and the load
generator's CPU time (user + sys) per request for each level (the two share
the machine; the generator runs on uvloop when it is installed), then the time of one
POST /v1/check of --budgets budgets and the server's peak RSS. The machine's
load average is printed beside the figures: on a shared machine they move
with it. The server is always stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

JURISDICTIONS = ["330106", "330212", "361126", "371502", "210102", "110105"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    port: int, server_path: str | None = None, extra: tuple[str, ...] = ()
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "sw_policy", "serve", "--port", str(port)]
    command += ["--limit", "seconds=600", "--limit", "body_bytes=268435456", *extra]
    env = dict(os.environ)
    if server_path:  # another checkout's src/ (before/after in one run)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [server_path, env.get("PYTHONPATH")]))
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return server
        except OSError:
            if server.poll() is not None:
                why = server.stderr.read().decode() if server.stderr else ""
                raise SystemExit(f"server exited: {why}") from None
            time.sleep(0.2)
    server.kill()
    raise SystemExit("server did not start in 120 s")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def evaluate_body(rng: random.Random) -> bytes:
    total = rng.randint(10_000_00, 5_000_000_00) / 100
    labour = round(total * rng.randint(500, 950) / 1000, 2)
    record = {
        "kind": "budget",
        "id": f"B{rng.randint(0, 10**9)}",
        "jurisdiction": rng.choice(JURISDICTIONS),
        "total_funds": f"{total:.2f}",
        "labour_cost": f"{labour:.2f}",
    }
    return json.dumps({"record": record, "as_of": "2024-06-30"}).encode()


async def client(port: int, bodies: list[bytes], until: float, latencies: list[float]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    index = 0
    try:
        while time.perf_counter() < until:
            body = bodies[index % len(bodies)]
            index += 1
            head = (
                f"POST /v1/evaluate HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            started = time.perf_counter()
            writer.write(head + body)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            if b" 200 " not in status_line:
                raise RuntimeError(f"unexpected answer: {status_line!r}")
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


async def load(port: int, clients: int, seconds: float, bodies: list[bytes]) -> list[float]:
    latencies: list[float] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(client(port, bodies, until, latencies) for _ in range(clients)))
    return latencies


def run(coroutine: Any) -> Any:
    """asyncio.run, on uvloop when it is installed (the load generator's own CPU is less)."""
    try:
        import uvloop  # noqa: PLC0415
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def budget_records(count: int, rng: random.Random) -> list[dict[str, str]]:
    """`count` budgets in contract form, amounts as decimal text (some labour shares low)."""
    records = []
    for i in range(count):
        total = rng.randint(10_000_00, 5_000_000_00) / 100
        labour = round(total * rng.randint(500, 950) / 1000, 2)
        records.append(
            {
                "kind": "budget",
                "id": f"B{i}",
                "jurisdiction": rng.choice(JURISDICTIONS),
                "total_funds": f"{total:.2f}",
                "labour_cost": f"{labour:.2f}",
            }
        )
    return records


def big_check(port: int, budgets: int, rng: random.Random) -> tuple[float, int]:
    records = budget_records(budgets, rng)
    body = json.dumps(records).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/check?as_of=2024-06-30",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=900) as response:
        report = response.read()
    elapsed = time.perf_counter() - started
    summary = json.loads(report)["summary"]
    if summary["records"] != budgets:
        raise RuntimeError(f"expected {budgets} records judged, got {summary['records']}")
    return elapsed, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--seconds", type=float, default=5.0, help="per concurrency level")
    parser.add_argument("--budgets", type=int, default=100_000, help="0: no big check")
    parser.add_argument("--smoke", action="store_true", help="a second or two, small sizes")
    parser.add_argument(
        "--server-path", default=None, help="run the server from this src/ folder instead"
    )
    parser.add_argument(
        "--serve-option",
        action="append",
        default=[],
        help="pass this to sw-policy serve (repeatable), e.g. --serve-option=--decision-log=x",
    )
    args = parser.parse_args()
    if args.smoke:
        args.clients, args.seconds, args.budgets = [1, 4], 0.3, 200
    rng = random.Random(20241130)
    bodies = [evaluate_body(rng) for _ in range(1000)]
    port = free_port()
    server = start_server(port, args.server_path, tuple(args.serve_option))
    try:
        print(
            f"python {platform.python_version()}, {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f} at start"
        )
        run(load(port, 1, min(1.0, args.seconds), bodies))  # warm up
        for clients in args.clients:
            cpu_before, mine_before = cpu_seconds(server.pid), time.process_time()
            latencies = run(load(port, clients, args.seconds, bodies))
            cpu = (cpu_seconds(server.pid) - cpu_before) / max(1, len(latencies))
            mine = (time.process_time() - mine_before) / max(1, len(latencies))
            rate = len(latencies) / args.seconds
            print(
                f"POST /v1/evaluate, {clients:>2} clients: {rate:7.0f} req/s, "
                f"p50 {percentile(latencies, 0.5) * 1000:6.1f} ms, "
                f"p99 {percentile(latencies, 0.99) * 1000:6.1f} ms, "
                f"server CPU {cpu * 1000:5.2f} ms/req, client CPU {mine * 1000:5.2f} ms/req "
                f"({len(latencies)} requests; load {os.getloadavg()[0]:.1f})"
            )
        if args.budgets <= 0:
            return
        elapsed, size = big_check(port, args.budgets, rng)
        print(
            f"POST /v1/check, {args.budgets} budgets ({size / 1e6:.1f} MB): {elapsed:.2f} s, "
            f"server peak RSS {peak_rss_mib(server.pid):.0f} MiB "
            f"(load {os.getloadavg()[0]:.1f})"
        )
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
