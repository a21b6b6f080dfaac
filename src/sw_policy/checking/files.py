"""A check run as the CLI does it: read files (encoding, progress), check, stamp.

Rulebook.check_files is the one way to check files from Python and delegates
here (check_paths, the other spelling, is deprecated): every reading option
(kind, encoding), the engine, and the run's options (the stamp) in one place.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from sw_policy.checking.book import CheckingBook
from sw_policy.checking.coerce import as_of_date, check_kind, require_paths
from sw_policy.checking.division_codes import codes_by_path_of_records, with_code_warnings
from sw_policy.checking.engine_choice import (
    COLUMNAR_FROM_ROWS,
    choose_engine,
    estimated_rows,
)
from sw_policy.errors import UsageError
from sw_policy.findings import Report, RunOptions
from sw_policy.inputs.divisions import resolve_jurisdiction
from sw_policy.inputs.encodings import normalise_encoding_name
from sw_policy.inputs.readers import Progress, read_files

__all__ = [
    "COLUMNAR_FROM_ROWS",
    "Engine",
    "check_paths",
    "choose_file_engine",
    "estimated_rows",
    "read_and_check",
]

Engine = Literal["auto", "row", "columnar"]


def choose_file_engine(
    rulebook: CheckingBook, paths: Iterable[Path | str]
) -> Literal["row", "columnar"]:
    """engine="auto" for these files (see checking/engine_choice.py)."""
    return choose_engine("auto", paths, layered=rulebook.layered)


def read_and_check(
    rulebook: CheckingBook,
    paths: Iterable[Path | str],
    *,
    as_of: dt.date | str | None = None,
    kind: str | None = None,
    encoding: str | None = None,
    engine: Engine = "row",
    include_not_applicable: bool | None = None,
    only_failures: bool | None = None,
    options: RunOptions | None = None,
    progress: Progress | None = None,
    jurisdiction: str | None = None,
    strict_columns: bool | None = None,
) -> Report:
    """Rulebook.check_files: read and check record files (see its docstring).

    `kind`, `encoding`, `include_not_applicable` and `only_failures`, when given,
    override the same fields of `options`; the report is stamped with `options`
    when they are given (None otherwise, as for records checked in Python).
    """
    if not isinstance(rulebook, CheckingBook):
        raise TypeError(
            f"rulebook: expected a Rulebook (sw_policy.load_rulebook()), "
            f"got {type(rulebook).__name__}"
        )
    files = require_paths(paths)
    day = as_of_date(as_of)
    if engine not in ("auto", "row", "columnar"):
        raise UsageError(f"engine: {engine!r} is not an engine; expected auto, row or columnar")
    if encoding is not None:
        if not isinstance(encoding, str):
            raise TypeError(
                f"encoding: expected a codec name such as gbk, got {type(encoding).__name__}"
            )
        try:
            encoding = normalise_encoding_name(encoding)
        except ValueError as exc:
            raise UsageError(f"encoding: {exc}") from None
    changes = {
        name: value
        for name, value in (
            ("kind", check_kind(kind)),
            ("encoding", encoding),
            ("include_not_applicable", include_not_applicable),
            ("only_failures", only_failures),
            ("jurisdiction", None if jurisdiction is None else resolve_jurisdiction(jurisdiction)),
            ("strict_columns", strict_columns),
        )
        if value is not None
    }
    stamp = options
    options = (options or RunOptions()).model_copy(update=changes)
    if stamp is not None:
        stamp = options
    chosen = choose_file_engine(rulebook, files) if engine == "auto" else engine
    if chosen == "columnar":
        from sw_policy.checking.columnar import check_files_columnar  # noqa: PLC0415
        from sw_policy.inputs.frames import ColumnarInputError  # noqa: PLC0415

        try:
            return (
                check_files_columnar(
                    rulebook,
                    files,
                    as_of=day,
                    kind=options.kind,
                    include_not_applicable=options.include_not_applicable,
                    only_failures=options.only_failures,
                    encoding=options.encoding,
                    options=options,
                )
                .to_report()
                .model_copy(update={"options": stamp})
            )
        except ColumnarInputError:
            if engine != "auto":
                raise  # asked for by name: say why it cannot be done
            # auto: a value the columnar engine cannot hold exactly; the row engine can.
    read = read_files(
        files,
        kind=options.kind,
        encoding=options.encoding,
        progress=progress,
        strict_columns=options.strict_columns,
        jurisdiction=options.jurisdiction,
    )
    report = rulebook.check(
        read.records,
        as_of=day,
        include_not_applicable=options.include_not_applicable,
        only_failures=options.only_failures,
    )
    return report.model_copy(
        update={
            "inputs": with_code_warnings(read.inputs, codes_by_path_of_records(read.records)),
            "rejected": tuple(read.rejected),
            "skipped": tuple(read.skipped),
            "options": stamp,
        }
    )


def check_paths(
    rulebook: CheckingBook,
    paths: Iterable[Path | str],
    *,
    as_of: dt.date | str | None = None,
    options: RunOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Deprecated: use rulebook.check_files(paths, ...), which takes every option.

    Stamps the report with `options` (RunOptions() when not given), as it always did.
    """
    warnings.warn(
        "sw_policy.check_paths is deprecated; use rulebook.check_files(paths, as_of=..., "
        "kind=..., encoding=..., engine=..., options=...)",
        DeprecationWarning,
        stacklevel=2,
    )
    return read_and_check(
        rulebook,
        paths,
        as_of=as_of,
        options=options or RunOptions(),
        progress=progress,
        engine="row",
    )
