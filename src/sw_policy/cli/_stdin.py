"""`check -`: records read from standard input, named `<stdin>` in the report.

Standard input is copied once, bounded by file_bytes, to a temporary file
(`_common.stdin_as_file`) so every reader and both engines read it as a file.
The path handed to them prints as `<stdin>` (its `__fspath__` still opens the
copy), so report rows, rejections and the input summary name it as the user
wrote it; a one-line refusal that names the copy is reworded the same way.
The format is `--input-format`, else sniffed from the bytes (JSON array, JSON
Lines, Parquet, XLSX, else CSV).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path, PosixPath, WindowsPath
from typing import Any, TypeVar

import click

from ._common import STDIN, stdin_as_file

__all__ = ["INPUT_FORMATS", "STDIN_NAME", "input_format_option", "reads_stdin"]

STDIN_NAME = "<stdin>"
INPUT_FORMATS = {"csv": ".csv", "json": ".json", "jsonl": ".jsonl", "xlsx": ".xlsx"}
INPUT_FORMATS["parquet"] = ".parquet"
F = TypeVar("F", bound=Callable[..., Any])
_Base: Any = WindowsPath if isinstance(Path(), WindowsPath) else PosixPath


class StdinPath(_Base):  # type: ignore[misc]
    """The copy of standard input: opened as the copy, shown as `<stdin>`."""

    def __str__(self) -> str:
        return STDIN_NAME

    def __fspath__(self) -> str:
        return str(_Base(self))


def input_format_option(func: F) -> F:
    return click.option(
        "--input-format",
        type=click.Choice(sorted(INPUT_FORMATS)),
        default=None,
        help="Format of standard input (FILE `-`). Default: told from its bytes "
        "(JSON array, JSON Lines, Parquet, XLSX, else CSV).",
    )(func)


def reads_stdin(func: F) -> F:
    """Run a command with `-` among its `files` replaced by standard input's copy."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sw_policy.errors import PolicyError

        fmt = kwargs.pop("input_format", None)
        files: tuple[Path, ...] = kwargs["files"]
        if fmt is not None and STDIN not in files:
            raise click.UsageError("--input-format is the format of standard input; add `-`")
        if files.count(STDIN) > 1:
            raise click.UsageError("standard input (`-`) can be read only once")
        with stdin_as_file(files, INPUT_FORMATS[fmt] if fmt else None) as readable:
            if readable == files:
                return func(*args, **kwargs)
            copy = next(p for p, given in zip(readable, files, strict=True) if given == STDIN)
            kwargs["files"] = tuple(StdinPath(p) if p == copy else p for p in readable)
            try:
                return func(*args, **kwargs)
            except PolicyError as exc:
                raise PolicyError(str(exc).replace(str(copy), STDIN_NAME)) from None

    return wrapper  # type: ignore[return-value]
