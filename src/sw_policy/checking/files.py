"""A check run as the CLI does it: read files (encoding, progress), check, stamp.

Kept apart from Rulebook.check_files so the run's options (the stamp) and the
reading options auditors need travel together without widening the rulebook.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from sw_policy.checking.rulebook import Rulebook
from sw_policy.findings import Report, RunOptions
from sw_policy.inputs.readers import Progress, read_files

__all__ = ["check_paths"]


def check_paths(
    rulebook: Rulebook,
    paths: Iterable[Path | str],
    *,
    as_of: dt.date | None = None,
    options: RunOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Read and check `paths` with `options` (kind, encoding, filters) and stamp the report."""
    options = options or RunOptions()
    read = read_files(
        list(paths),
        kind=options.kind,
        encoding=options.encoding,
        progress=progress,
        strict_columns=options.strict_columns,
        jurisdiction=options.jurisdiction,
    )
    report = rulebook.check(
        read.records,
        as_of=as_of,
        include_not_applicable=options.include_not_applicable,
        only_failures=options.only_failures,
    )
    return report.model_copy(
        update={
            "inputs": tuple(read.inputs),
            "rejected": tuple(read.rejected),
            "skipped": tuple(read.skipped),
            "options": options,
        }
    )
