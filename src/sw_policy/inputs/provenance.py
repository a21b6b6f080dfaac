"""One duplicate-id policy for every reader, as data.

A (kind, id) read twice keeps its first occurrence; every later one is
rejected, naming where the first was read. The row readers and the direct
columnar CSV reader both word the rejection with `duplicate_reason` and list
each repeat as a `Duplicate`, so a reader that combines files (inputs.csv_direct)
finds the repeats from the data, never by reading rejection text. One
`FirstReads` per reading holds where each id was first read: the reading's
entry point (inputs.readers.read_files, inputs.csv_direct.read_files_columnar)
owns it and hands it to every strategy and file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sw_policy.findings import Location

__all__ = ["Duplicate", "FirstReads", "duplicate_reason", "place"]


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


class FirstReads:
    """Where each (kind, id) of one reading was first read, over every file and strategy.

    A strategy that knows its ids only in bulk (the direct CSV reader's columns)
    hands them over lazily with `later`: they are listed only when another
    strategy asks, so a reading of direct CSVs alone never lists its ids here.
    """

    __slots__ = ("_first", "_later")

    def __init__(self) -> None:
        self._first: dict[tuple[str, str], Location] = {}
        self._later: list[Callable[[], Iterable[tuple[tuple[str, str], Location]]]] = []

    def later(self, ids: Callable[[], Iterable[tuple[tuple[str, str], Location]]]) -> None:
        """Ids read before whatever is read next, listed when first needed."""
        self._later.append(ids)

    def claim(self, key: tuple[str, str], location: Location) -> Location | None:
        """Where `key` was first read, or None after recording `location` as its first."""
        if self._later:
            for ids in self._later:
                for earlier, at in ids():
                    self._first.setdefault(earlier, at)
            self._later = []
        first = self._first.get(key)
        if first is None:
            self._first[key] = location
        return first
