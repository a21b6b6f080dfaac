"""`sw-policy check` on the columnar engine: same report, same exit status, written in columns."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import EXIT_FAILURES, EXIT_OK, OUTCOME_COLOURS, emit

if TYPE_CHECKING:
    from sw_policy._rulebook import Rulebook

__all__ = ["AUTO_BYTES", "check_columnar_cli", "is_large"]

AUTO_BYTES = 1_000_000
"""--engine auto switches to columnar from this much input (about 20 000 budget rows)."""


def is_large(files: tuple[Path, ...]) -> bool:
    """Whether the inputs together are big enough for the columnar engine to pay off."""
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            return False  # let the reader report the problem
    return total >= AUTO_BYTES


def check_columnar_cli(
    rulebook: Rulebook,
    files: tuple[Path, ...],
    *,
    as_of: dt.date | None,
    kind: str | None,
    include_not_applicable: bool,
    only_failures: bool,
    fmt: str,
    output: Path | None,
) -> None:
    from sw_policy._columnar_check import check_files_columnar
    from sw_policy._render_report import render_table

    report = check_files_columnar(
        rulebook,
        files,
        as_of=as_of,
        kind=kind,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
    )
    if fmt == "json":
        if output is None:
            report.write_json(sys.stdout)
            sys.stdout.flush()
        else:
            with output.open("w", encoding="utf-8", newline="") as out:
                report.write_json(out)
    else:
        colour = output is None and sys.stdout.isatty()

        def style(text: str, outcome: str) -> str:
            return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

        emit(render_table(report.to_report(), style=style), output)
    sys.exit(EXIT_FAILURES if report.has_mandatory_failure else EXIT_OK)
