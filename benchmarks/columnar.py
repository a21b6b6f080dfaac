"""Columnar vs row engine vs a plain loop vs durable_rules, same data, one run.

    python benchmarks/columnar.py                      # 10k, 100k, 1M records
    python benchmarks/columnar.py --records 2000       # smoke run (CI)
    python benchmarks/columnar.py --end-to-end 1000000 # also time `sw-policy check big.csv`

Records are generated in memory with a fixed seed (six jurisdictions). Engines:
- columnar: the whole bundled rulebook, records already in a Polars frame,
  findings with full explanations (observed, expected, both messages);
- columnar-2: the same engine on the two labour-share rules only;
- row: Rulebook.check over the whole rulebook (up to --row-max records);
- loop: a plain Python loop on integer cents, the two labour-share rules
  (thresholds read from the rulebook), outcome per record;
- durable: durable_rules with the same two rules (if installed; up to --durable-max).
Timings are best of --repeat runs. Peak RSS is the process's maximum so far.
The run ends with the issue's targets beside its own figures (at the largest
size each engine ran; small sizes are smoke runs, not measurements).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import polars as pl

import sw_policy
from sw_policy.checking.rulebook import Rulebook
from sw_policy.engines.columnar.engine import evaluate_frames
from sw_policy.inputs.frames import KindFrame, RecordFrames

AS_OF = dt.date(2024, 6, 30)
JURISDICTIONS = ["330106", "330212", "361126", "371502", "210102", "110105"]
LABOUR_RULES = ("zhejiang-2019.labour-cost-share", "yiyang-2022.labour-cost-share")


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best(repeat: int, run: Callable[[], Any]) -> tuple[float, Any]:
    """Best wall time of `repeat` runs; each starts after a full collection, so no engine
    pays for the garbage that generating the data (or a previous engine) left behind."""
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


# --- data -----------------------------------------------------------------------


def budget_cents(n: int, seed: int) -> tuple[list[str], list[int], list[int]]:
    rng = random.Random(seed)
    codes, totals, labour = [], [], []
    for _ in range(n):
        total = rng.randint(10_000_00, 5_000_000_00)
        codes.append(rng.choice(JURISDICTIONS))
        totals.append(total)
        labour.append(total * rng.randint(500, 950) // 1000)
    return codes, totals, labour


def cents_text(values: list[int]) -> list[str]:
    return [f"{v // 100}.{v % 100:02d}" for v in values]


def budget_frames(codes: list[str], totals: list[int], labour: list[int]) -> RecordFrames:
    n = len(codes)
    df = pl.DataFrame(
        {
            "__row": pl.int_range(n, eager=True).cast(pl.Int64),
            "__path": pl.Series([None] * n, dtype=pl.String),
            "__sheet": pl.Series([None] * n, dtype=pl.String),
            "__line": pl.Series([None] * n, dtype=pl.Int64),
            "id": pl.Series([f"B{i}" for i in range(n)]),
            "jurisdiction": pl.Series(codes),
            "as_of": pl.Series([None] * n, dtype=pl.Date),
            "total_funds": pl.Series(totals, dtype=pl.Int128),
            "total_funds__text": pl.Series(cents_text(totals)),
            "labour_cost": pl.Series(labour, dtype=pl.Int128),
            "labour_cost__text": pl.Series(cents_text(labour)),
        }
    )
    scales = {"total_funds": 2, "labour_cost": 2}
    return RecordFrames({"budget": KindFrame("budget", df, scales)}, n)


def budget_models(codes: list[str], totals: list[int], labour: list[int]) -> list[Any]:
    return [
        sw_policy.Budget.model_construct(
            id=f"B{i}",
            jurisdiction=code,
            as_of=None,
            name=None,
            kind="budget",
            total_funds=Decimal(t).scaleb(-2),
            labour_cost=Decimal(w).scaleb(-2),
        )
        for i, (code, t, w) in enumerate(zip(codes, totals, labour, strict=True))
    ]


def worker_data(n: int, seed: int) -> tuple[list[dict[str, Any]], list[tuple[int, dt.date, int]]]:
    rng = random.Random(seed)
    start = dt.date(2018, 1, 1)
    rows, sessions = [], []
    for i in range(n):
        rows.append(
            {
                "id": f"W{i}",
                "jurisdiction": rng.choice(JURISDICTIONS),
                "certificate": rng.choice(["none", "assistant", "intermediate", "senior"]),
                "education": rng.choice(
                    ["none", "secondary", "junior_college", "bachelor", "master", "doctorate"]
                ),
                "major": rng.choice(["社会工作", "会计学", "社会学", None]),
                "employer_type": rng.choice([m.value for m in sw_policy.EmployerType]),
                "post_level": rng.choice([None, 5, 8, 9, 11, 12]),
                "in_purchased_project": rng.random() < 0.3,
            }
        )
        for _ in range(rng.randint(0, 12)):
            day = start + dt.timedelta(days=rng.randint(0, 2400))
            sessions.append((i, day, rng.choice([4, 8, 16, 24])))
    return rows, sessions


def worker_frames(
    rows: list[dict[str, Any]], sessions: list[tuple[int, dt.date, int]]
) -> RecordFrames:
    n = len(rows)
    df = pl.DataFrame(rows).with_columns(
        pl.int_range(n).cast(pl.Int64).alias("__row"),
        pl.lit(None, pl.String).alias("__path"),
        pl.lit(None, pl.String).alias("__sheet"),
        pl.lit(None, pl.Int64).alias("__line"),
        pl.lit(None, pl.Date).alias("as_of"),
        pl.lit(False).alias("certificate_registered"),
        pl.lit(True).alias("direct_service"),
        pl.lit(True).alias("counted_as_professional"),
        pl.lit(None, pl.String).alias("post_title"),
        pl.lit("social_work").alias("post_series"),
        pl.lit(None, pl.String).alias("title_tier"),
        pl.lit(None, pl.String).alias("title_basis"),
        pl.lit(None, pl.Int128).alias("training_hours_5y"),
        pl.lit(None, pl.String).alias("training_hours_5y__text"),
        pl.lit(None, pl.Int128).alias("training_hours_total"),
        pl.lit(None, pl.String).alias("training_hours_total__text"),
        pl.lit(None, pl.Boolean).alias("occupational_allowance"),
        pl.lit(None, pl.Boolean).alias("social_insurance"),
        pl.lit(None, pl.Boolean).alias("housing_fund"),
        pl.lit(True).alias("__has_training"),
        pl.col("post_level").cast(pl.Int64),
    )
    frame = pl.DataFrame(
        {
            "__row": pl.Series([s[0] for s in sessions], dtype=pl.Int64),
            "date": pl.Series([s[1] for s in sessions], dtype=pl.Date),
            "hours": pl.Series([s[2] for s in sessions], dtype=pl.Int128),
            "hours_places": pl.Series([0] * len(sessions), dtype=pl.Int64),
        }
    )
    scales = {"training_hours_5y": 0, "training_hours_total": 0}
    return RecordFrames({"worker": KindFrame("worker", df, scales, frame, 0)}, n)


def worker_models(
    rows: list[dict[str, Any]], sessions: list[tuple[int, dt.date, int]]
) -> list[Any]:
    by_worker: dict[int, list[Any]] = {}
    for i, day, hours in sessions:
        by_worker.setdefault(i, []).append(
            sw_policy.TrainingSession(date=day, hours=Decimal(hours))
        )
    return [
        sw_policy.parse_record({"kind": "worker", **row, "training": by_worker.get(i, [])})
        for i, row in enumerate(rows)
    ]


# --- engines ----------------------------------------------------------------------


def subset(rulebook: Rulebook, ids: tuple[str, ...]) -> Rulebook:
    loaded = rulebook._loaded
    return Rulebook(
        dataclasses.replace(loaded, rules=tuple(r for r in loaded.rules if r.id in ids))
    )


def labour_limits(rulebook: Rulebook) -> list[tuple[str, str, Fraction, int]]:
    """(jurisdiction prefix, op, share) of the two labour-share rules, from the rule files."""
    out = []
    for rule_id in LABOUR_RULES:
        rule = rulebook.rule(rule_id)
        scope = rule.scope or rulebook.source_of(rule_id).jurisdiction
        width = 2 if scope.endswith("0000") else 4 if scope.endswith("00") else 6
        share = Fraction(next(iter(rule.parameters.values())).value)
        out.append((scope[:width], rule.condition.op, share, width))
    return out


def plain_loop(
    limits: list[tuple[str, str, Fraction, int]],
    codes: list[str],
    totals: list[int],
    labour: list[int],
) -> int:
    failures = 0
    checks = [
        (prefix, width, op == "le", share.numerator, share.denominator)
        for prefix, op, share, width in limits
    ]
    for code, total, cost in zip(codes, totals, labour, strict=True):
        for prefix, width, at_most, num, den in checks:
            if code[:width] != prefix:
                continue
            ok = cost * den <= num * total if at_most else cost * den >= num * total
            if not ok:
                failures += 1
    return failures


def durable(
    limits: list[tuple[str, str, Fraction, int]],
    codes: list[str],
    totals: list[int],
    labour: list[int],
) -> int | None:
    """The two rules in durable_rules. It compares doubles and (in this version) hangs when a
    condition compares two fields of one message, so each record is posted with its share as a
    float and the threshold is a literal: not exact, but the same work for the engine."""
    try:
        from durable.lang import m, post, ruleset, when_all  # noqa: PLC0415 (optional)
    except ImportError:
        return None
    failures = [0]
    name = f"labour{time.monotonic_ns()}"

    def failed(c: Any) -> None:
        failures[0] += 1

    def passed(c: Any) -> None:
        pass

    with ruleset(name):
        for prefix, op, share, _width in limits:
            limit = float(share)
            if op == "le":
                when_all((m.scope == prefix) & (m.share > limit))(failed)
                when_all((m.scope == prefix) & (m.share <= limit))(passed)
            else:
                when_all((m.scope == prefix) & (m.share < limit))(failed)
                when_all((m.scope == prefix) & (m.share >= limit))(passed)
    for i, (code, total, cost) in enumerate(zip(codes, totals, labour, strict=True)):
        for prefix, _op, _share, width in limits:
            if code[:width] == prefix:
                post(name, {"id": i, "scope": prefix, "share": cost / total})
    return failures[0]


# --- runs -------------------------------------------------------------------------


RATES: dict[tuple[str, str, int], float] = {}
"""records/s of every line printed, by (engine, kind, records): the summary reads them."""


def line(engine: str, kind: str, n: int, seconds: float, extra: str = "") -> None:
    rate = n / seconds if seconds else float("inf")
    RATES[engine, kind, n] = rate
    print(
        f"{engine:12} {kind:7} {n:>9,} records {seconds:8.3f} s {rate:>13,.0f} records/s  {extra}",
        flush=True,
    )


def run_budgets(n: int, args: argparse.Namespace, rulebook: Rulebook) -> None:
    codes, totals, labour = budget_cents(n, args.seed)
    frames = budget_frames(codes, totals, labour)
    two = subset(rulebook, LABOUR_RULES)
    for label, book in (("columnar", rulebook), ("columnar-2", two)):
        seconds, result = best(args.repeat, lambda b=book: evaluate_frames(b, frames, as_of=AS_OF))
        line(label, "budget", n, seconds, f"{result.findings.height:,} findings")
        seconds, result = best(
            args.repeat, lambda b=book: evaluate_frames(b, frames, as_of=AS_OF, only_failures=True)
        )
        line(label + "/fail", "budget", n, seconds, f"{result.findings.height:,} failures listed")
        seconds, result = best(
            args.repeat, lambda b=book: evaluate_frames(b, frames, as_of=AS_OF, explain=False)
        )
        counts = result.outcome_counts
        line(label + "/verdict", "budget", n, seconds, f"{counts.get('fail', 0):,} failures")
    limits = labour_limits(rulebook)
    seconds, failures = best(args.repeat, lambda: plain_loop(limits, codes, totals, labour))
    line("loop-2", "budget", n, seconds, f"{failures:,} failures")
    if n <= args.durable_max:
        seconds, failures = best(1, lambda: durable(limits, codes, totals, labour))
        if failures is None:
            print("durable-2    budget  (not installed: pip install 'sw-policy[stream]')")
        else:
            line("durable-2", "budget", n, seconds, f"{failures:,} failures")
    if n <= args.row_max:
        models = budget_models(codes, totals, labour)
        seconds, report = best(1, lambda: rulebook.check(models, as_of=AS_OF))
        line("row", "budget", n, seconds, f"{len(report.findings):,} findings")
        seconds, report = best(1, lambda: two.check(models, as_of=AS_OF))
        line("row-2", "budget", n, seconds, f"{len(report.findings):,} findings")
    print(f"  peak RSS so far {rss_mib():,.0f} MiB", flush=True)


def run_workers(n: int, args: argparse.Namespace, rulebook: Rulebook) -> None:
    rows, sessions = worker_data(n, args.seed)
    frames = worker_frames(rows, sessions)
    seconds, result = best(args.repeat, lambda: evaluate_frames(rulebook, frames, as_of=AS_OF))
    line(
        "columnar",
        "worker",
        n,
        seconds,
        f"{result.findings.height:,} findings, {len(sessions):,} sessions",
    )
    seconds, result = best(
        args.repeat, lambda: evaluate_frames(rulebook, frames, as_of=AS_OF, explain=False)
    )
    line(
        "columnar/verdict",
        "worker",
        n,
        seconds,
        f"{sum(result.outcome_counts.values()):,} verdicts",
    )
    if n <= args.row_max:
        models = worker_models(rows, sessions)
        seconds, report = best(1, lambda: rulebook.check(models, as_of=AS_OF))
        line("row", "worker", n, seconds, f"{len(report.findings):,} findings")
    print(f"  peak RSS so far {rss_mib():,.0f} MiB", flush=True)


def end_to_end(n: int, args: argparse.Namespace) -> None:
    codes, totals, labour = budget_cents(n, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "big.csv"
        with csv.open("w", encoding="utf-8") as out:
            out.write("id,jurisdiction,total_funds,labour_cost\n")
            for i, (code, t, w) in enumerate(zip(codes, totals, labour, strict=True)):
                out.write(f"B{i},{code},{t // 100}.{t % 100:02d},{w // 100}.{w % 100:02d}\n")
        del codes, totals, labour
        target = Path(tmp) / "out.json"
        command = [
            sys.executable, "-m", "sw_policy", "check", str(csv), "--as-of", AS_OF.isoformat(),
            "--format", "json", "--only-failures", "--output", str(target), "--engine", "columnar",
        ]  # fmt: skip
        # Linux hands a forked child its parent's RSS high-water mark (kept across exec), so
        # the CLI is started from a small launcher process and its own peak is reported.
        launcher = [
            sys.executable, "-c",
            "import resource, subprocess, sys\n"
            "code = subprocess.run(sys.argv[1:], check=False).returncode\n"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.exit(code)",
            *command,
        ]  # fmt: skip
        times: list[float] = []
        peaks: list[float] = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            done = subprocess.run(launcher, check=False, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
            peaks.append(int(done.stdout.split()[-1]) / 1024)
        child = max(peaks)
        END_TO_END.update(seconds=min(times), peak_mib=child)
        size = target.stat().st_size / 1e6
        print(
            f"end-to-end   budget  {n:>9,} rows    {min(times):8.3f} s  exit {done.returncode}, "
            f"{size:,.0f} MB JSON, peak RSS {child:,.0f} MiB  ({' '.join(command[1:3])} …)",
            flush=True,
        )


END_TO_END: dict[str, float] = {}


def help_seconds(repeat: int = 5) -> float:
    """Best wall time of `sw-policy --help` in a fresh interpreter."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sw_policy", "--help"], check=True, capture_output=True
        )
        times.append(time.perf_counter() - started)
    return min(times)


def largest(engine: str, kind: str) -> tuple[int, float] | None:
    sizes = [n for (e, k, n) in RATES if e == engine and k == kind]
    return (max(sizes), RATES[engine, kind, max(sizes)]) if sizes else None


def summary() -> None:
    """The issue's targets beside this run's figures (ratios at the same size, same data)."""
    rows: list[tuple[str, str, str, bool | None]] = []

    def rate(label: str, engine: str, kind: str, target: float) -> None:
        got = largest(engine, kind)
        if got:
            n, r = got
            rows.append((f"{label} ({n:,})", f"{r:,.0f}/s", f">= {target:,.0f}/s", r >= target))

    def ratio(label: str, kind: str, other: str, target: float) -> None:
        sizes = [n for (e, k, n) in RATES if e == other and k == kind]
        sizes = [n for n in sizes if ("columnar/verdict", kind, n) in RATES]
        if sizes:
            n = max(sizes)
            x = RATES["columnar/verdict", kind, n] / RATES[other, kind, n]
            rows.append((f"{label} ({n:,})", f"{x:,.1f}x", f">= {target:g}x", x >= target))

    rate("columnar verdicts, budgets", "columnar/verdict", "budget", 5_000_000)
    rate("columnar verdicts, workers", "columnar/verdict", "worker", 1_000_000)
    ratio("columnar vs plain loop, budgets", "budget", "loop-2", 5)
    ratio("columnar vs durable_rules, budgets", "budget", "durable-2", 50)
    rate("row engine, budgets, explained", "row", "budget", 50_000)
    rate("row engine, workers, explained", "row", "worker", 50_000)
    if END_TO_END:
        seconds, peak = END_TO_END["seconds"], END_TO_END["peak_mib"]
        rows.append(("end to end, CSV to JSON", f"{seconds:.2f} s", "< 5 s", seconds < 5))
        rows.append(("end to end, peak RSS", f"{peak:,.0f} MiB", "< 1,536 MiB", peak < 1536))
    started = help_seconds()
    rows.append(("sw-policy --help", f"{started:.2f} s", "< 0.3 s", started < 0.3))
    print("\ntargets (issue #5)")
    for label, got, target, met in rows:
        print(f"  {label:44} {got:>16}  {target:>14}  {'met' if met else 'MISSED'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="10000,100000,1000000", help="comma-separated sizes")
    parser.add_argument("--kinds", default="budget,worker")
    parser.add_argument(
        "--row-max", type=int, default=100_000, help="largest size for the row engine"
    )
    parser.add_argument("--durable-max", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N (columnar and loop)")
    parser.add_argument(
        "--end-to-end", type=int, default=0, help="rows of the CLI CSV run (0: skip)"
    )
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rulebook = sw_policy.load_rulebook()
    load = os.getloadavg()
    print(
        f"sw-policy {sw_policy.__version__} · Python {platform.python_version()} · polars "
        f"{pl.__version__} · {platform.machine()} · {os.cpu_count()} cores · load "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )
    for size in (int(s) for s in args.records.split(",")):
        if "budget" in args.kinds:
            run_budgets(size, args, rulebook)
        if "worker" in args.kinds:
            run_workers(size, args, rulebook)
    if args.end_to_end:
        end_to_end(args.end_to_end, args)
    summary()


if __name__ == "__main__":
    main()
