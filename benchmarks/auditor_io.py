"""Auditor inputs and reports: rows/s reading GBK CSV and XLSX, seconds per report format.

    python benchmarks/auditor_io.py --rows 20000

Writes a GBK CSV (title row, Chinese headers, amounts like "1,200,000.00" and
"120万元") and an XLSX workbook of the same budgets into a temporary folder
(fixed seed), times read_files on each, then times Rulebook.check_files and every
report format on the CSV run. Numbers: notes/issue-7.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

import sw_policy

HEADER = ["项目编号", "行政区划代码", "项目名称", "项目经费", "人力成本"]


def rows(n: int, rng: random.Random) -> list[list[str]]:
    out = []
    for i in range(n):
        total = rng.randint(10_000, 5_000_000)
        labour = total * rng.randint(500, 950) // 1000
        total_text = f"{total:,}.00" if i % 2 else f"{total / 10_000}万元"
        out.append([f"P{i}", rng.choice(["361126", "330106"]), "项目", total_text, f"{labour:,}"])
    return out


def timed(label: str, func, unit_count: int | None = None):
    start = time.perf_counter()
    value = func()
    took = time.perf_counter() - start
    rate = f"  {unit_count / took:,.0f} rows/s" if unit_count else ""
    print(f"{label:<28} {took:8.3f} s{rate}")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    from openpyxl import Workbook  # noqa: PLC0415 - only this benchmark needs it

    print(f"Python {sys.version.split()[0]} on {platform.machine()}, {args.rows:,} rows")
    data = rows(args.rows, random.Random(7))
    folder = Path(tempfile.mkdtemp())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([["某县项目经费表"], HEADER, *data])
    csv_path = folder / "budgets.csv"
    csv_path.write_bytes(buffer.getvalue().encode("gbk"))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("购买服务项目")
    for row in [["某县项目经费表"], HEADER, *data]:
        ws.append(row)
    xlsx_path = folder / "budgets.xlsx"
    wb.save(xlsx_path)

    timed("read GBK CSV", lambda: sw_policy.read_files([csv_path]), args.rows)
    timed("read XLSX", lambda: sw_policy.read_files([xlsx_path]), args.rows)
    rulebook = sw_policy.load_rulebook()
    report = timed(
        "read + check (CSV)",
        lambda: rulebook.check_files([csv_path], as_of=dt.date(2024, 6, 30)),
        args.rows,
    )
    for fmt in ("json", "jsonl", "csv", "md", "html", "xlsx", "table"):
        timed(f"render {fmt}", lambda fmt=fmt: sw_policy.render_report(report, fmt, "zh"))


if __name__ == "__main__":
    main()
