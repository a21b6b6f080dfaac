"""Parquet files: columns as headers, rows as text cells (row 1 = the first record).

Polars is imported here, so `import sw_policy` stays light.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sw_policy.errors import InputFileError
from sw_policy.inputs.cells import cell_text

__all__ = ["parquet_rows"]


def parquet_rows(path: Path) -> Iterator[tuple[int, list[str | None]]]:
    """The header as row 0, then each record as (1-based index, cells)."""
    import polars as pl  # noqa: PLC0415 - heavy, only for .parquet

    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars raises its own error types for bad files
        raise InputFileError(path, f"not a readable Parquet file ({type(exc).__name__})") from None
    yield 0, list(frame.columns)
    for number, values in enumerate(frame.iter_rows(), start=1):
        yield number, [cell_text(v) for v in values]
