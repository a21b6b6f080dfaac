"""One entry point for every report format: `render_report(report, fmt, lang)`.

Text formats return str, XLSX returns bytes (it must go to a file).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sw_policy.findings import Report
from sw_policy.reports.labels import Lang

__all__ = ["BINARY_FORMATS", "FORMATS", "render_report"]

FORMATS = ("table", "json", "jsonl", "csv", "xlsx", "html", "md")
BINARY_FORMATS = frozenset({"xlsx"})


def render_report(
    report: Report,
    fmt: str,
    lang: Lang = "zh",
    *,
    base: Path | None = None,
    style: Callable[[str, str], str] | None = None,
    unit: str = "元",
    view: str = "full",
) -> str | bytes:
    """The report in `fmt`; `base` is the folder an XLSX report is saved in (for links).

    `lang` chooses headings and messages (the CLI picks it from the input when
    --lang is not given); `unit` (元 or 万元) is how amounts are shown; `view`
    (full, summary, quiet) applies to the terminal table.
    """
    # Each renderer is imported only when asked for: openpyxl loads only for xlsx.
    # ruff: noqa: PLC0415
    if fmt == "json":
        return report.to_json()
    if fmt == "table":
        from sw_policy.reports.terminal import render_table

        if style:
            return render_table(report, style=style, lang=lang, unit=unit, view=view)
        return render_table(report, lang=lang, unit=unit, view=view)
    if fmt == "jsonl":
        from sw_policy.reports.jsonl_report import render_jsonl

        return render_jsonl(report)
    if fmt == "csv":
        from sw_policy.reports.csv_report import render_csv

        return render_csv(report, lang, unit)
    if fmt == "md":
        from sw_policy.reports.md_report import render_md

        return render_md(report, lang, unit)
    if fmt == "html":
        from sw_policy.reports.html_report import render_html

        return render_html(report, lang, unit)
    if fmt == "xlsx":
        from sw_policy.reports.xlsx_report import render_xlsx

        return render_xlsx(report, lang, base, unit)
    raise ValueError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
