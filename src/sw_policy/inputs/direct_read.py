"""One file read by a direct path (CSV, JSON, a caller's frame or dicts): what the
reading entry point (inputs.csv_direct) combines across files.

Its own module so each direct reader can build one without importing the others.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from sw_policy.findings import InputSummary, Location, Rejected, Skipped
from sw_policy.inputs.csv_direct_cells import ORDER
from sw_policy.inputs.provenance import Duplicate
from sw_policy.inputs.readers import LocatedRecord

__all__ = ["TABLES", "FileRead", "located", "sha256_meanwhile"]

TABLES = {".csv", ".parquet", ".xlsx"}  # files with a header: a rejection names its column


@dataclass
class FileRead:
    """One file as a direct path read it: typed columns for its plain rows, records for the
    rest, and what the report says of the file."""

    path: str
    sha256: str
    frame: pl.DataFrame | None  # fast path: one kind, `__order` within the file
    kind: str | None
    scales: dict[str, int]
    records: list[LocatedRecord]  # slow path or slow rows, with `__order`
    orders: list[int]
    rejected: list[Rejected]
    count: int
    encoding: str | None = None
    # Read by the row readers: record n (order n) came from where[n - 1] (sheet and row).
    where: list[Location] | None = None
    # Read by the row readers: skipped rows, unused columns and warnings, as they gave them.
    summary: InputSummary | None = None
    skipped: list[Skipped] = field(default_factory=list)
    # Repeated ids the row readers rejected in this file (inputs.provenance), as data.
    duplicates: list[Duplicate] = field(default_factory=list)
    # The id column as the caller's table heads it (a frame's "编号"); None: "id" in a file
    # with a header row, no column in one without.
    id_header: str | None = None

    def id_column(self) -> tuple[str | None, str]:
        """(column, label) a repeated id's rejection gives, as the row reader words it."""
        if self.id_header is not None:
            header = self.id_header
        elif Path(self.path).suffix.lower() in TABLES:
            header = "id"
        else:
            return None, "id"
        return header, "id" if header == "id" else f"{header} (id)"

    def at(self, order: int) -> tuple[str | None, int]:
        """(sheet, row) of the record numbered `order` in this file."""
        if self.where is None:
            return None, order
        location = self.where[order - 1]
        return location.sheet, location.row


def sha256_meanwhile(raw: bytes) -> Callable[[], str]:
    """The file's sha256, hashed on another thread while Polars reads it (both let go of
    the GIL); call the result to wait for it."""
    digest: list[str] = []
    worker = threading.Thread(target=lambda: digest.append(hashlib.sha256(raw).hexdigest()))
    worker.start()

    def wait() -> str:
        worker.join()
        return digest[0]

    return wait


def located(typed: pl.DataFrame, given: str) -> pl.DataFrame:
    """A direct read's typed rows with where each was read: the file, no sheet, its line."""
    return typed.select(
        pl.col(ORDER),
        pl.lit(given).alias("__path"),
        pl.lit(None, pl.String).alias("__sheet"),
        pl.col(ORDER).cast(pl.Int64).alias("__line"),
        pl.exclude(ORDER),
    )
