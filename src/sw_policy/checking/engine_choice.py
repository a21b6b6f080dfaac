"""Which engine judges a check: the one decision the CLI and library callers share.

`--engine row` and `--engine columnar` are obeyed. `auto` takes the columnar
engine when the input is large enough for it to pay off (a size test: counting
rows would cost a read) and the rulebook has no amends/supersedes layering,
which only the row engine compiles; otherwise the row engine. Both give the
same findings and byte-identical reports, so the choice is about speed only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

__all__ = ["AUTO_BYTES", "AUTO_RECORDS", "EngineName", "choose_engine", "is_large"]

EngineName = Literal["row", "columnar"]

AUTO_BYTES = 1_000_000
"""`auto` switches to columnar from this much input (about 20 000 budget rows)."""

AUTO_RECORDS = 20_000
"""`auto` switches to columnar from this many records (records already in memory)."""


def is_large(files: Iterable[Path]) -> bool:
    """Whether the inputs together are big enough for the columnar engine to pay off."""
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            return False  # let the reader report the problem
    return total >= AUTO_BYTES


def choose_engine(engine: str, inputs: Iterable[Path] | int, *, layered: bool) -> EngineName:
    """ "row" or "columnar" for `engine` ("auto", "row" or "columnar") on these inputs.

    `inputs` are the files to read, or the number of records already in hand.
    """
    if engine == "row":
        return "row"
    if engine == "columnar":
        return "columnar"
    if engine != "auto":
        raise ValueError(f"engine must be auto, row or columnar, not {engine!r}")
    if layered:
        return "row"
    large = inputs >= AUTO_RECORDS if isinstance(inputs, int) else is_large(inputs)
    return "columnar" if large else "row"
