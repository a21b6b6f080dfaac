"""One duplicate-id policy for every reader, as data.

A (kind, id) read twice keeps its first occurrence; every later one is
rejected, naming where the first was read. The row readers and the direct
columnar CSV reader both word the rejection with `duplicate_reason` and list
each repeat as a `Duplicate`, so a reader that combines files (inputs.csv_direct)
finds the repeats from the data, never by reading rejection text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sw_policy.findings import Location

__all__ = ["Duplicate", "duplicate_reason", "place"]


@dataclass(frozen=True)
class Duplicate:
    """A record rejected because its (kind, id) was read before, at `first`."""

    kind: str
    id: str
    at: Location
    first: Location
    column: str = "id"  # the id column as the rejection labels it


def place(location: Location) -> str:
    """Where a record was read, as rejections word it: "path [sheet S] row R"."""
    sheet = f" sheet {location.sheet}" if location.sheet else ""
    return f"{location.path}{sheet} row {location.row}"


def duplicate_reason(kind: str, record_id: str, first: Location, column: str = "id") -> str:
    """The rejection of a repeated id; `column` as the file labels the id column."""
    return f"{column}: duplicate {kind} id {record_id!r} (first at {place(first)})"
