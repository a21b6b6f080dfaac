"""CSV text split into rows without losing any: a broken quote costs one row, not fifty.

A stray quote at the start of a cell (`"某项目,100,50`) opens a quoted field that
csv reads on until the next quote anywhere below, swallowing the rows between
into one cell. A row whose quoted cell runs over line ends and whose following
lines look like rows (they hold a comma) is taken as such a break: it is
reported (`broken`) with the line where it starts and the lines it swallowed,
and reading starts again on the next line, so every later row is still read.
A genuine multi-line cell (an address typed with Alt+Enter) has no comma in
its following lines and is kept.

Cells longer than the cell_chars limit and lines longer than line_chars are
refused here too: the first per row, the second for the file (a single line
of hundreds of megabytes is not a table).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sw_policy.errors import InputFileError
from sw_policy.limits import beyond, current_limits

__all__ = ["LineLayout", "csv_cells"]

_LINE_END = re.compile(r"\r\n|\r|\n")
csv.field_size_limit(sys.maxsize)  # cell size is bounded by the limits below, per row


@dataclass
class LineLayout:
    """Where a file's physical lines and its records part ways, for a warning: rows whose
    quoted cell runs over line ends, and blank lines (read as no row at all)."""

    spans: list[tuple[int, int]] = field(default_factory=list)  # (first line, last line)
    blank: list[int] = field(default_factory=list)

    def warning(self) -> str | None:
        """One line saying how lines and records differ, or None when they do not."""
        parts = []
        if self.spans:
            rows = [f"row {a} (lines {a}-{b})" for a, b in self.spans]
            parts.append(
                f"{_few(rows)} {'spans' if len(rows) == 1 else 'span'} more than one line "
                "(a quoted cell holds a line break)"
            )
        if self.blank:
            lines = _few([str(n) for n in self.blank])
            parts.append(f"blank line{'s' if len(self.blank) > 1 else ''} {lines} skipped")
        return lines_note(parts)


def lines_note(parts: list[str]) -> str | None:
    """The warning that physical lines and records differ, from what differs."""
    return f"physical lines are not records: {'; '.join(parts)}" if parts else None


def _few(items: list[str], shown: int = 3) -> str:
    """The first few items, then how many more: a warning stays one line."""
    more = len(items) - shown
    return ", ".join(items[:shown]) + (f" and {more} more" if more > 0 else "")


def _swallowed_rows(cells: list[str]) -> bool:
    """Whether a cell spanning lines carries what look like rows of the table."""
    for cell in cells:
        parts = _LINE_END.split(cell)
        if len(parts) > 1 and any("," in part for part in parts[1:]):
            return True
    return False


def csv_cells(
    path: Path, text: str, broken: dict[int, str], layout: LineLayout | None = None
) -> Iterator[tuple[int, list[str | None]]]:
    """(first line of the row, cells) for every row; a row that cannot be taken as read
    gets its reason in `broken` (keyed by that line) and is to be rejected. `layout`, if
    given, collects rows over several lines and blank lines."""
    layout = LineLayout() if layout is None else layout
    limits = current_limits()
    lines = io.StringIO(text, newline="").readlines()
    for number, line in enumerate(lines, start=1):
        if len(line) > limits.line_chars:
            raise beyond(path, f"line {number} is {len(line)} characters long", "line_chars")
    start_index = 0
    while start_index < len(lines):
        reader = csv.reader(lines[i] for i in range(start_index, len(lines)))
        consumed = 0
        restart = None
        try:
            for cells in reader:
                first = start_index + consumed + 1
                last = start_index + reader.line_num
                consumed = reader.line_num
                if last > first and _swallowed_rows(cells):
                    broken[first] = (
                        f"row: a quote opened in this row is not closed until line {last}, "
                        f"so {last - first + 1} lines were read as one row; fix the quotes "
                        f"(the lines after row {first} are read on their own)"
                    )
                    yield first, list(next(csv.reader([lines[first - 1]], quoting=csv.QUOTE_NONE)))
                    restart = first  # index of the line after the broken one
                    break
                if last > first:
                    layout.spans.append((first, last))
                elif not cells:
                    layout.blank.append(first)
                longest = max((len(c) for c in cells), default=0)
                if longest > limits.cell_chars:
                    broken[first] = (
                        f"row: a cell of {longest} characters, beyond the limit "
                        f"cell_chars={limits.cell_chars} (raise it with --limit cell_chars=N)"
                    )
                    yield first, [cell[:100] for cell in cells]
                    continue
                yield first, list(cells)
        except csv.Error as exc:
            at = start_index + reader.line_num
            raise InputFileError(path, f"line {at}: not readable CSV ({exc})") from None
        if restart is None:
            return
        start_index = restart
