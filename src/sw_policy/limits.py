"""Resource limits on what sw-policy reads: each one far above any honest office file.

A file that breaks a limit is refused with one line naming the file, the limit
and how to raise it (`--limit NAME=VALUE` on the command line, `using_limits`
in a program), so a 40-byte file can never cost minutes or gigabytes. The
defaults and what each one bounds are listed in docs/limits.md.

The limits in force are held in a context variable, so the readers, the rule
loader and both engines see the same ones without every signature carrying them.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sw_policy.errors import LimitError, PolicyError

__all__ = [
    "LIMIT_NAMES",
    "LimitError",
    "Limits",
    "beyond",
    "current_limits",
    "parse_limit",
    "read_bounded",
    "using_limits",
]


@dataclass(frozen=True)
class Limits:
    """The limits in force; every field is one `--limit NAME=VALUE`."""

    file_bytes: int = 1 << 30
    """An input or rule file: 1 GiB (an XLSX of a million rows is about 50 MB)."""
    rows: int = 10_000_000
    """Rows (records) in one input file."""
    cell_chars: int = 32_767
    """Characters in one cell or JSON string: Excel's own limit for a cell."""
    line_chars: int = 1 << 20
    """Characters in one physical line of a CSV or JSON Lines file (1 Mi)."""
    json_depth: int = 32
    """Nesting of arrays and objects in JSON (a record needs 4)."""
    xlsx_bytes: int = 1 << 30
    """Uncompressed size of an XLSX workbook's parts together (zip bombs)."""
    condition_depth: int = 64
    """Nesting of conditions (all/any/not) in a rule file."""
    rule_bytes: int = 16 << 20
    """A rule, vocabulary or overrides file: 16 MiB (the largest bundled one is 150 KB).

    Apart from file_bytes so that lowering the input limit never refuses the rulebook."""


_SCAN_CHUNK = 1 << 20
LIMIT_NAMES = tuple(f.name for f in dataclasses.fields(Limits))
_DEFAULTS = Limits()
_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar("limits", default=_DEFAULTS)


def beyond(path: object, what: str, name: str) -> LimitError:
    """The LimitError for limit `name` as it stands in this context."""
    return LimitError(path, what, name, getattr(current_limits(), name))


def current_limits() -> Limits:
    """The limits in force in this context."""
    return _CURRENT.get()


@contextlib.contextmanager
def using_limits(limits: Limits) -> Iterator[Limits]:
    """Run the enclosed code with `limits` in force."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def parse_limit(texts: tuple[str, ...] | list[str], base: Limits | None = None) -> Limits:
    """`NAME=VALUE` texts applied to `base` (default: the defaults); ValueError says why not."""
    limits = base or Limits()
    for text in texts:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or name not in LIMIT_NAMES:
            raise ValueError(
                f"--limit {text!r}: expected NAME=VALUE with NAME one of {', '.join(LIMIT_NAMES)}"
            )
        try:
            number = int(value.strip().replace("_", ""))
        except ValueError:
            number = -1
        if number <= 0:
            raise ValueError(f"--limit {text!r}: the value must be a whole number above 0")
        limits = dataclasses.replace(limits, **{name: number})
    return limits


def read_bounded(
    path: Path, limit_name: str = "file_bytes", *, scan: Callable[[bytes], None] | None = None
) -> bytes:
    """A regular file's bytes, refused beyond `limit_name` (file_bytes for inputs,
    rule_bytes for rule files); devices, FIFOs and sockets refused.

    /dev/zero (or a rule file linked to it) would otherwise be read for ever,
    and a FIFO with no writer would block. OSError for a missing file. `scan`,
    if given, sees the file in 1 MiB chunks before it is read whole and may
    refuse it (raise) with only those chunks in memory.
    """
    limit: int = getattr(current_limits(), limit_name)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise PolicyError(
                f"{path}: not a regular file (a device, pipe or socket); save the data "
                "to a file and check that"
            )
        if info.st_size > limit:
            raise beyond(path, f"{info.st_size} bytes", limit_name)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            if scan is not None:
                seen = 0
                while seen <= limit and (chunk := handle.read(min(_SCAN_CHUNK, limit + 1))):
                    scan(chunk)
                    seen += len(chunk)
                handle.seek(0)
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise beyond(path, f"more than {limit} bytes", limit_name)
        return data
    finally:
        os.close(fd)
