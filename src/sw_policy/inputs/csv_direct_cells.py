"""A contract-format CSV's cells as text columns, split by Polars' own CSV reader.

Without quotes or lone carriage returns, csv.reader splits a line on every
comma and reads one row per line; Polars' reader with quoting off does the
same, in parallel and without a Python object per row. It is trusted only
when it gives one row per line of the file (its row count is checked), and
a row with more cells than the header (which it truncates) is taken from the
line itself and handed over whole, so the row reader judges it.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import AnyStr

import polars as pl

from sw_policy.inputs.tabular import find_header

__all__ = ["ORDER", "SKIP", "Cells", "CsvText", "header_row_is_first_line", "split_cells"]

ORDER = "__order"  # the row's line number in the file (the header is line 1)
SKIP = "__skip"  # a row of empty cells (skipped) or too wide (read whole, from `wide`)


@dataclass
class Cells:
    """Rows of one CSV: cells as text columns, and the rows too wide for them."""

    frame: pl.DataFrame  # ORDER, one String column per header cell, SKIP
    wide: dict[int, list[str | None]] = field(default_factory=dict)  # ORDER -> every cell


def _lines(data: AnyStr, newline: AnyStr) -> Iterator[tuple[int, AnyStr]]:
    start, number = 0, 1
    while (end := data.find(newline, start)) >= 0:
        yield number, data[start:end]
        start, number = end + 1, number + 1
    yield number, data[start:]


@dataclass
class CsvText:
    """A CSV file's bytes and text. An ASCII file is decoded only if a line must be read
    as text: its bytes are already its UTF-8 text, which is what decode_text finds."""

    raw: bytes
    encoding: str
    decoded: str | None = None

    @property
    def text(self) -> str:
        if self.decoded is None:
            self.decoded = self.raw.decode("ascii")
        return self.decoded

    def has(self, sub: str) -> bool:
        """Whether `sub` (ASCII) occurs in the text."""
        return sub.encode("ascii") in self.raw if self.decoded is None else sub in self.decoded

    def count(self, sub: str) -> int:
        """How often `sub` (ASCII) occurs in the text."""
        if self.decoded is None:
            return self.raw.count(sub.encode("ascii"))
        return self.decoded.count(sub)

    def lines(self) -> Iterator[tuple[int, list[str | None]]]:
        """(line number, cells) lazily, as csv.reader gives them for a file without quotes."""
        found: Iterator[tuple[int, str]]
        if self.decoded is None:
            found = ((n, line.decode("ascii")) for n, line in _lines(self.raw, b"\n"))
        else:
            found = _lines(self.decoded, "\n")
        for number, line in found:
            yield number, list(line.removesuffix("\r").split(","))

    def utf8(self) -> bytes:
        """The text as UTF-8 bytes (the file's own bytes when it is UTF-8)."""
        if self.encoding in {"utf-8", "utf-8-sig"} or self.decoded is None:
            return self.raw.removeprefix(codecs.BOM_UTF8)
        return self.decoded.encode("utf-8")


def header_row_is_first_line(source: CsvText, columns: list[str]) -> tuple[bool, int | None]:
    """Whether the row reader takes line 1 as the header, each cell naming its own field.

    Also gives the first non-blank row under it: the row the row reader looks at for
    a second header line (None when there is none).
    """
    try:
        header, pending = find_header(source.lines())
    except ValueError:  # two columns give one field: the row reader refuses the file
        return False, None
    exact = [(i, name, name, 1) for i, name in enumerate(columns)]
    same = (
        header is not None
        and header.row == 1
        and header.width == len(columns)
        and [(c.index, c.header, c.field, c.scale) for c in header.columns] == exact
    )
    return same, pending[0][0] if pending else None


def _read(data: bytes, *, truncate: bool) -> pl.DataFrame:
    """Every cell as text, no quoting: one row per line, split on every comma."""
    return pl.read_csv(
        data, has_header=True, infer_schema=False, quote_char=None, truncate_ragged_lines=truncate
    )


def split_cells(source: CsvText, columns: list[str]) -> Cells | None:
    """Every row under the header, split into cells; None when Polars' split cannot be trusted.

    Rows of empty cells and rows too wide for the header are marked SKIP in the frame.
    """
    data = source.utf8()
    wide = False
    try:
        frame = _read(data, truncate=False)
    except pl.exceptions.PolarsError:  # a row has more cells than the header, or worse
        wide = True
        try:
            frame = _read(data, truncate=True)
        except pl.exceptions.PolarsError:
            return None
    lines = data.count(b"\n") - data.endswith(b"\n")  # lines under the header
    if frame.width != len(columns) or frame.height != lines:
        return None
    frame.columns = columns
    empty = pl.all_horizontal(pl.col(columns).is_null())
    if not wide:
        return Cells(frame.with_row_index(ORDER, offset=2).with_columns(empty.alias(SKIP)))
    rows = _wide_rows(source.text, len(columns), frame.height)
    marked = frame.with_row_index(ORDER, offset=2).with_columns(
        (empty | pl.col(ORDER).is_in(list(rows))).alias(SKIP)
    )
    return Cells(marked, rows)


def _wide_rows(text: str, width: int, height: int) -> dict[int, list[str | None]]:
    """Rows with more commas than the header allows, as every cell of their line."""
    lines = pl.Series("line", [text]).str.split("\n").explode(empty_as_null=False).slice(1, height)
    is_wide = (lines.str.count_matches(",", literal=True) >= width).alias("__wide")
    found = pl.DataFrame([lines, is_wide]).with_row_index(ORDER, offset=2).filter("__wide")
    return {
        int(order): list(line.removesuffix("\r").split(",")) for order, line, _ in found.iter_rows()
    }
