"""Options and checks that keep a run safe from its inputs: `--limit`, output targets.

`--limit NAME=VALUE` raises (or lowers) one resource limit (sw_policy.limits).
The output file may not be one of the inputs, and a report is written to a
temporary file beside the target and renamed over it, so an interrupted run
never leaves half a report (or a truncated input) behind.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click

from sw_policy.errors import PolicyError
from sw_policy.limits import LIMIT_NAMES, Limits, parse_limit, using_limits

__all__ = [
    "limit_option",
    "limits_in_force",
    "refuse_output_among_inputs",
    "write_atomically",
    "writing_atomically",
]

F = TypeVar("F", bound=Callable[..., Any])


def limit_option(func: F) -> F:
    """`--limit NAME=VALUE` (repeatable), in force while the command runs."""

    @functools.wraps(func)
    def wrapper(*args: Any, limits: tuple[str, ...] = (), **kwargs: Any) -> Any:
        with limits_in_force(limits):
            return func(*args, **kwargs)

    option = click.option(
        "--limit",
        "limits",
        multiple=True,
        metavar="NAME=VALUE",
        help=f"Raise a resource limit for a genuine large file (repeatable): "
        f"{', '.join(LIMIT_NAMES)}. See docs/limits.md.",
    )
    return option(wrapper)  # type: ignore[return-value]


@contextlib.contextmanager
def limits_in_force(texts: tuple[str, ...]) -> Iterator[Limits]:
    """The defaults changed by `--limit` options, in force for the enclosed run."""
    try:
        limits = parse_limit(texts)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    with using_limits(limits):
        yield limits


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and a.samefile(b))
    except OSError:
        return False


def refuse_output_among_inputs(output: Path | None, inputs: tuple[Path, ...]) -> None:
    """PolicyError when the report would overwrite an input (before anything is written)."""
    if output is None:
        return
    for given in inputs:
        if _same_file(output, given):
            raise PolicyError(
                f"{output}: --output is one of the input files; the report would "
                "overwrite it. Choose another file name"
            )


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `target`, then rename it over `target`."""
    with writing_atomically(target) as out:
        out.write(data)


@contextlib.contextmanager
def writing_atomically(target: Path) -> Iterator[BinaryIO]:
    """A binary file beside `target`, renamed over it when the block ends without an error
    (and removed when it raises): for reports written piece by piece, never held whole."""
    import tempfile  # a report to the terminal needs no temporary file

    directory = target.parent if str(target.parent) else Path()
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:  # name the target, not the temporary file
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        temporary.chmod(0o666 & ~_umask())
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
