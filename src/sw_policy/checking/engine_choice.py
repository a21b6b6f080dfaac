"""Which engine judges a check: the one decision the CLI and library callers share.

`--engine row` and `--engine columnar` are obeyed. `auto` takes the columnar
engine from COLUMNAR_FROM_ROWS rows (records in hand, or rows estimated from
the files) when the rulebook has no amends/supersedes layering, which only the
row engine compiles; otherwise the row engine. Both give the same findings and
byte-identical reports, so the choice is about speed only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Literal

__all__ = ["COLUMNAR_FROM_ROWS", "EngineName", "choose_engine", "estimated_rows"]

EngineName = Literal["row", "columnar"]

COLUMNAR_FROM_ROWS = 1_000
"""`auto` uses the columnar engine from this many rows. Measured with benchmarks/library.py
(budget CSV, 2 cores): the row engine is faster at 300 rows, the columnar from 700 (3.8x
wall, 1.3x CPU) on; 1 000 is where it won in every run. Below it Polars' fixed cost
dominates. See docs/performance.md."""

_BYTES_PER_ROW = 60  # a row of a workbook or JSON file, for formats whose rows are not lines
_LINE_FILES = frozenset({".csv", ".jsonl", ".ndjson"})
_CHUNK = 1 << 20


def estimated_rows(paths: Iterable[Path | str], *, enough: int = COLUMNAR_FROM_ROWS) -> int:
    """Rows in the inputs: lines of CSV/JSON Lines files, size / 60 bytes for other formats.

    Counting stops once `enough` rows are seen, so a huge file costs one chunk, not a read.
    A file that cannot be read counts 0 (the reader then reports it).
    """
    total = 0
    for given in paths:
        path = Path(given)
        try:
            if path.suffix.lower() in _LINE_FILES and path.is_file():
                with path.open("rb") as stream:
                    while total < enough and (chunk := stream.read(_CHUNK)):
                        total += chunk.count(b"\n")
            else:
                total += path.stat().st_size // _BYTES_PER_ROW
        except OSError:
            continue
        if total >= enough:
            break
    return total


def choose_engine(engine: str, inputs: Iterable[Path | str] | int, *, layered: bool) -> EngineName:
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
    rows = inputs if isinstance(inputs, int) else estimated_rows(inputs)
    return "columnar" if rows >= COLUMNAR_FROM_ROWS else "row"
