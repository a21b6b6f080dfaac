"""Where `check` writes its report(s): standard output or one file per `--output`.

Each `--output` takes its format from its suffix (report.xlsx, report.html…),
so one run can file an XLSX and show an HTML; each file is byte-identical for
identical inputs. A CSV report gets its stamp in a sidecar `NAME.stamp.json`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ._common import emit, fail
from ._safety import write_atomically

if TYPE_CHECKING:
    from sw_policy.findings import Report
    from sw_policy.inputs.hints import InputHints
    from sw_policy.reports.labels import Lang

_DATA_FORMATS = frozenset({"csv", "json", "jsonl"})
"""Formats that keep input text as it is; escaped only when printed on a terminal."""

__all__ = ["SUFFIX_FORMATS", "Target", "plan_targets", "write_target"]

SUFFIX_FORMATS = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".txt": "table",
}


@dataclass(frozen=True)
class Target:
    """One report to write: its format, language and file (None = standard output)."""

    fmt: str
    lang: Lang
    path: Path | None


def _language(fmt: str, lang: str | None, hints: InputHints) -> Lang:
    """--lang if given; else Chinese for Chinese headers, else en for the table, zh for files."""
    if lang is not None:
        return cast("Lang", lang)
    if hints.chinese:
        return "zh"
    return "en" if fmt == "table" else "zh"


def plan_targets(
    fmt: str | None, outputs: tuple[Path, ...], lang: str | None, hints: InputHints
) -> list[Target]:
    """The reports a run writes, refusing impossible combinations (exit 2)."""
    if len(outputs) > 1:
        if fmt is not None:
            fail("with several --output files each format comes from its suffix; drop --format")
        targets = []
        for path in outputs:
            found = SUFFIX_FORMATS.get(path.suffix.lower())
            if found is None:
                fail(
                    f"{path}: cannot tell the format from the suffix; use one of "
                    + ", ".join(sorted(SUFFIX_FORMATS))
                )
                raise AssertionError  # pragma: no cover - fail exits
            targets.append(Target(found, _language(found, lang, hints), path))
        if len({t.path for t in targets}) != len(targets):
            fail("the same --output file is named twice")
        return targets
    only = outputs[0] if outputs else None
    chosen = fmt or (SUFFIX_FORMATS.get(only.suffix.lower(), "table") if only else "table")
    if chosen == "xlsx" and only is None:
        fail(f"--format {chosen} writes a binary workbook; give --output FILE.{chosen}")
    return [Target(chosen, _language(chosen, lang, hints), only)]


def write_target(
    report: Report,
    target: Target,
    *,
    unit: str,
    view: str,
    style: Callable[[str, str], str],
) -> None:
    """Render `report` for `target` and write it (a CSV file also gets its stamp sidecar)."""
    from sw_policy.reports.csv_report import render_stamp_json, stamp_path
    from sw_policy.reports.formats import render_report

    if report.options is not None:
        options = report.options.model_copy(update={"format": target.fmt, "lang": target.lang})
        report = report.model_copy(update={"options": options})
    rendered = render_report(
        report,
        target.fmt,
        target.lang,
        base=target.path.parent if target.path is not None else None,
        style=style,
        unit=unit,
        view=view,
    )
    if isinstance(rendered, bytes):
        assert target.path is not None  # refused in plan_targets
        write_atomically(target.path, rendered)
    else:
        if target.path is None and target.fmt in _DATA_FORMATS and sys.stdout.isatty():
            from sw_policy.reports.safe_text import escape_lines

            rendered = escape_lines(rendered, json=target.fmt != "csv")  # others escape as rendered
        emit(rendered, target.path)
    if target.fmt == "csv" and target.path is not None:
        write_atomically(stamp_path(target.path), render_stamp_json(report).encode("utf-8"))
