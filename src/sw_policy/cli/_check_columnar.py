"""`sw-policy check` on the columnar engine: same report, same exit status, written in columns."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._common import OUTCOME_COLOURS
from ._safety import write_atomically

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.findings import RunOptions

    from ._outputs import Target

__all__ = ["check_columnar_cli"]


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
    from sw_policy.checking.columnar import check_files_columnar

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
            buffer = io.BytesIO()
            report.write_json(buffer)
            write_atomically(output, buffer.getvalue())
    else:
        first = targets[0]
        colour = first.fmt == "table" and first.path is None and sys.stdout.isatty()

        def style(text: str, outcome: str) -> str:
            return click.style(text, fg=OUTCOME_COLOURS[outcome]) if colour else text

        whole = report.to_report()
        for target in targets:
            write_target(whole, target, unit=unit, view=view, style=style)
    from sw_policy.reports.verdict import is_incomplete

    from ._status import exit_status

    incomplete = is_incomplete(report.shell())
    sys.exit(exit_status(mandatory_failure=report.has_mandatory_failure, incomplete=incomplete))
