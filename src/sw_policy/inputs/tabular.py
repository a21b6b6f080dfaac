"""Tables as exported by office software: find the header row, map headers and values.

A sheet or CSV may have a title row or blank rows above the header; the header
is the first of the top rows that names at least two known fields (in English
or Chinese), else the first non-blank row (so unknown columns are reported per
row, never silently dropped). A two-level header (a merged group heading over
field names) is read as one. Cells are text here; readers convert first.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sw_policy.inputs.aliases import MONEY_FIELDS, canonical_value
from sw_policy.inputs.amounts import parse_amount
from sw_policy.inputs.headers import group_header, read_header, unit_line_scale

__all__ = ["HEADER_SEARCH_ROWS", "Column", "Header", "TableRow", "find_header", "table_rows"]

HEADER_SEARCH_ROWS = 10
Cells = list[str | None]


@dataclass(frozen=True)
class Column:
    """One column: its header as written, the field it maps to and the header's unit."""

    index: int
    header: str
    field: str
    scale: int = 1

    @property
    def letter(self) -> str:
        """The spreadsheet column letter (0 -> A, 26 -> AA)."""
        n, letters = self.index + 1, ""
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        return letters

    def label(self) -> str:
        """How an error names the column: "项目经费 (total_funds)" or just "total_funds"."""
        return self.field if self.header == self.field else f"{self.header} ({self.field})"


@dataclass(frozen=True)
class Header:
    """The header row: its row number and its columns (blank headers left out)."""

    row: int
    columns: tuple[Column, ...]
    width: int
    cells: tuple[str | None, ...] = ()
    unused: tuple[str, ...] = ()
    near: tuple[tuple[str, str], ...] = ()
    above: tuple[str, ...] = ()

    def column_of(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    @property
    def fields(self) -> set[str]:
        return {c.field for c in self.columns}


@dataclass
class TableRow:
    """One data row: the record's fields (blank cells left out) and problems found so far."""

    row: int
    data: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    error_column: str | None = None


def _blank(cell: str | None) -> bool:
    return cell is None or not cell.strip()


def _width(cells: Cells) -> int:
    """Cells up to the last non-blank one (spreadsheets pad rows with empty cells)."""
    return max((i + 1 for i, c in enumerate(cells) if not _blank(c)), default=0)


def _columns(
    cells: Cells, *, strict: bool = False, unit_scale: int | None = None
) -> tuple[tuple[Column, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The mapped columns, the headers no field uses, and the near misses among them.

    With `strict`, a header that maps to nothing (but 序号, 备注) stays a column named
    as written, so every row under it is refused as an unknown field.
    """
    columns, unused, near = [], [], []
    for index, cell in enumerate(cells):
        if _blank(cell):
            if index == 0 and _width(cells) > 1:
                unused.append("A")  # pandas' index column: a blank header over 0, 1, 2…
            continue
        reading = read_header(str(cell))
        if reading.ignored:
            continue  # 序号, 备注
        if reading.field is None:
            if strict and not reading.personal:
                text = str(cell).strip()
                columns.append(Column(index, text, text))
                continue
            unused.append(reading.text)
            if reading.near:
                near.append((reading.text, reading.near))
            continue
        scale = reading.scale
        if unit_scale is not None and not reading.unit_given and reading.field in MONEY_FIELDS:
            scale = unit_scale
        columns.append(Column(index, str(cell).strip(), reading.field, scale))
    return tuple(columns), tuple(unused), tuple(near)


def _known(cells: Cells) -> int:
    return len(_columns(cells)[0])


def _second_header_row(upper: Cells, lower: Cells) -> Cells | None:
    """`upper` merged with `lower` when `lower` is the second row of a two-level header.

    Exports often merge a group heading (经费情况（万元）, or 项目经费（万元） over 合计 /
    其中：人力成本) over two columns while 项目编号 spans both rows; see
    headers.group_header, which also carries the heading's unit down.
    """
    return group_header(list(upper), list(lower))


def find_header(
    rows: Iterable[tuple[int, Cells]], *, strict: bool = False
) -> tuple[Header | None, list[tuple[int, Cells]]]:
    """The header among the first rows, and the rows read past it (to be re-read as data).

    Raises ValueError when two columns give the same field.
    """
    stream = iter(rows)
    looked: list[tuple[int, Cells]] = []
    for number, cells in stream:
        if all(_blank(c) for c in cells):
            continue
        looked.append((number, cells))
        if _known(cells) >= 2 or len(looked) >= HEADER_SEARCH_ROWS:
            break
    if not looked:
        return None, []
    chosen = next((i for i, (_, cells) in enumerate(looked) if _known(cells) >= 2), 0)
    if chosen == len(looked) - 1:  # peek at the row under the header
        following = next(((n, c) for n, c in stream if not all(_blank(x) for x in c)), None)
        if following is not None:
            looked.append(following)
    number, cells = looked[chosen]
    above = tuple(str(c).strip() for _, row in looked[:chosen] for c in row if not _blank(c))
    if chosen + 1 < len(looked):
        merged = _second_header_row(cells, looked[chosen + 1][1])
        if merged is not None:
            chosen += 1
            number, cells = looked[chosen][0], merged
    columns, unused, near = _columns(cells, strict=strict, unit_scale=unit_line_scale(list(above)))
    seen: dict[str, str] = {}
    for column in columns:
        if column.field in seen:
            raise ValueError(
                f"columns {seen[column.field]!r} and {column.header!r} both give "
                f"{column.field}; keep one"
            )
        seen[column.field] = column.header
    header = Header(number, columns, _width(cells), tuple(cells), unused, near, above)
    return header, looked[chosen + 1 :]


def table_rows(header: Header, rows: Iterable[tuple[int, Cells]]) -> Iterator[TableRow]:
    """Data rows under `header` as field -> text, amounts parsed exactly, values aliased."""
    by_index = {c.index: c for c in header.columns}
    header_cells = list(header.cells) + [None] * max(0, header.width - len(header.cells))
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        out = TableRow(number)
        if _width(cells) > header.width:
            out.errors.append(
                f"row: {_width(cells)} cells but the header has {header.width} columns"
            )
            yield out
            continue
        for index, cell in enumerate(cells):
            if _blank(cell):
                continue
            text = str(cell).strip()
            column = by_index.get(index)
            if column is None and (not _blank(header_cells[index]) or index == 0):
                continue  # an unused column (or pandas' index): read past, listed once
            if column is None:
                out.errors.append(
                    f"column {Column(index, '', '').letter}: a value ({text[:40]!r}) "
                    "under no header"
                )
                continue
            if column.field in MONEY_FIELDS:
                try:
                    text = str(parse_amount(text, scale=column.scale))
                except ValueError as exc:
                    out.errors.append(f"{column.label()}: {exc}")
                    out.error_column = out.error_column or column.header
                    continue
            out.data[column.field] = canonical_value(column.field, text)
        yield out
