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

import polars as pl

from ._tabular import find_header

__all__ = ["Cells", "header_row_is_first_line", "split_cells"]

ORDER = "__order"  # the row's line number in the file (the header is line 1)


@dataclass
class Cells:
    """Rows of one CSV: cells as text columns, and the rows too wide for them."""

    frame: pl.DataFrame  # ORDER, then one String column per header cell; empty rows left out
    wide: dict[int, list[str | None]] = field(default_factory=dict)  # ORDER -> every cell


def _lines(text: str) -> Iterator[tuple[int, list[str | None]]]:
    """(line number, cells) lazily, as csv.reader gives them for a file without quotes."""
    start, number = 0, 1
    while True:
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        yield number, list(line.removesuffix("\r").split(","))
        if end < 0:
            return
        start, number = end + 1, number + 1


def header_row_is_first_line(text: str, columns: list[str]) -> tuple[bool, int | None]:
    """Whether the row reader takes line 1 as the header, each cell naming its own field.

    Also gives the first non-blank row under it: the row the row reader looks at for
    a second header line (None when there is none).
    """
    try:
        header, pending = find_header(_lines(text))
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


def _utf8(raw: bytes, text: str, encoding: str) -> bytes:
    if encoding in {"utf-8", "utf-8-sig"}:
        return raw.removeprefix(codecs.BOM_UTF8)
    return text.encode("utf-8")


def _read(data: bytes, *, truncate: bool) -> pl.DataFrame:
    """Every cell as text, no quoting: one row per line, split on every comma."""
    return pl.read_csv(
        data, has_header=True, infer_schema=False, quote_char=None, truncate_ragged_lines=truncate
    )


def split_cells(raw: bytes, text: str, encoding: str, columns: list[str]) -> Cells | None:
    """Every row under the header, split into cells; None when Polars' split cannot be trusted."""
    data = _utf8(raw, text, encoding)
    wide = False
    try:
        frame = _read(data, truncate=False)
    except pl.exceptions.ComputeError:  # a row has more cells than the header
        wide = True
        frame = _read(data, truncate=True)
    lines = data.count(b"\n") - data.endswith(b"\n")  # lines under the header
    if frame.width != len(columns) or frame.height != lines:
        return None
    frame.columns = columns
    frame = frame.with_row_index(ORDER, offset=2)
    cells = Cells(frame)
    if wide:
        cells = _wide_rows(frame, text, len(columns))
    cells.frame = cells.frame.filter(~pl.all_horizontal(pl.col(columns).is_null()))
    return cells


def _wide_rows(frame: pl.DataFrame, text: str, width: int) -> Cells:
    """Rows with more commas than the header allows, as every cell of their line."""
    body = text.split("\n", 1)[1] if "\n" in text else ""
    lines = pl.Series("line", [body]).str.split("\n").explode().head(frame.height)
    commas = lines.str.count_matches(",", literal=True)
    is_wide = (commas >= width).alias("__wide")
    found = pl.DataFrame([lines, is_wide]).with_row_index(ORDER, offset=2).filter("__wide")
    wide: dict[int, list[str | None]] = {
        int(order): list(line.removesuffix("\r").split(",")) for order, line, _ in found.iter_rows()
    }
    kept = frame.filter(~pl.col(ORDER).is_in(list(wide)))
    return Cells(kept, wide)
