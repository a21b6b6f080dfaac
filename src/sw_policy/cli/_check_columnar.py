"""`sw-policy check` on the columnar engine: same report, same exit status, written in columns."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import EXIT_FAILURES, EXIT_OK, OUTCOME_COLOURS

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.findings import RunOptions

    from ._outputs import Target

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
    options: RunOptions,
    targets: list[Target],
    unit: str,
    view: str,
) -> None:
    """Check on the columnar engine: JSON is written in columns, other formats as usual."""
    from sw_policy.engines.columnar.check import check_files_columnar

    from ._outputs import write_target

    report = check_files_columnar(
        rulebook,
        files,
        as_of=as_of,
        kind=options.kind,
        include_not_applicable=options.include_not_applicable,
        only_failures=options.only_failures,
        encoding=options.encoding,
        options=options,
    )
    if len(targets) == 1 and targets[0].fmt == "json":
        output = targets[0].path
        if output is None:
            sys.stdout.flush()
            report.write_json(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                report.write_json(out)
    else:
        first = targets[0]
        colour = first.fmt == "table" and first.path is None and sys.stdout.isatty()

        def style(text: str, outcome: str) -> str:
            return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

        whole = report.to_report()
        for target in targets:
            write_target(whole, target, unit=unit, view=view, style=style)
    sys.exit(EXIT_FAILURES if report.has_mandatory_failure else EXIT_OK)
