"""Plain-text layout helpers that respect the double width of Chinese characters."""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Callable, Sequence

__all__ = ["display_width", "fit", "table", "terminal_width", "wrap", "wrapped_table"]

_BREAK_AFTER = frozenset(" ;，；、。：:/-")


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters count two."""
    if text.isascii():  # no ASCII character is wide; a table lays out thousands of cells
        return len(text)
    widths = list(map(unicodedata.east_asian_width, text))
    return len(text) + widths.count("W") + widths.count("F")


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` columns (ending in … when cut), then padded."""
    if display_width(text) > width:
        out, used = [], 0
        for ch in text:
            w = display_width(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * (width - display_width(text))


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    max_widths: Sequence[int],
    style: Callable[[int, str, str], str] | None = None,
) -> str:
    """Rows under a header, columns as wide as their content up to `max_widths`.

    `style(column, raw, padded)` may decorate a cell (colour) after it is laid out.
    """
    widths = [
        min(limit, max([display_width(h)] + [display_width(r[i]) for r in rows]))
        for i, (h, limit) in enumerate(zip(headers, max_widths, strict=True))
    ]
    lines = ["  ".join(fit(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        cells = [fit(c, w) for c, w in zip(row, widths, strict=True)]
        if style is not None:
            cells = [
                style(i, raw, cell) for i, (raw, cell) in enumerate(zip(row, cells, strict=True))
            ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def terminal_width(default: int = 100) -> int:
    """Columns to lay out in: $COLUMNS when set, else the terminal's, else `default`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return shutil.get_terminal_size((default, 24)).columns


def wrap(text: str, width: int) -> list[str]:
    """`text` broken into lines of at most `width` columns, never cut.

    A line breaks after a space or punctuation when one is near, else between
    any two characters (Chinese has no spaces); wide characters count two.
    """
    width = max(width, 2)
    lines: list[str] = []
    line, last_break = "", -1
    for ch in text:
        w = display_width(ch)
        while line and display_width(line) + w > width:
            if 0 < last_break < len(line) and last_break >= len(line) // 2:
                head, line = line[:last_break], line[last_break:]
            else:
                head, line = line, ""
            lines.append(head.rstrip())
            line = line.lstrip(" ")
            last_break = -1
        if not line and ch == " " and lines:
            continue  # a space at the start of a continued line
        line += ch
        if ch in _BREAK_AFTER:
            last_break = len(line)
    lines.append(line.rstrip())
    return lines or [""]


def wrap_at_dots(text: str, width: int) -> list[str]:
    """An identifier (zhejiang-2019.labour-cost-share) broken only after its dots, so each
    line is a whole part of it; a part wider than `width` stands on its own line."""
    lines: list[str] = []
    for part in _parts(text):
        if lines and display_width(lines[-1] + part) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return lines or [""]


def _parts(text: str) -> list[str]:
    pieces = text.split(".")
    return [p + "." for p in pieces[:-1]] + [pieces[-1]]


def _shares(
    natural: list[int], total: int, fixed: set[int], floors: dict[int, int] | None = None
) -> list[int]:
    """Column widths summing to at most `total`: fixed columns keep theirs, the rest share,
    none below its floor (`floors`, else 8 then 4)."""
    widths = list(natural)
    for floor, keep in ((8, fixed), (4, set())):
        while sum(widths) > total:
            flexible = [
                i
                for i in range(len(widths))
                if i not in keep and widths[i] > max(floor, (floors or {}).get(i, 0))
            ]
            if not flexible:
                break
            widest = max(flexible, key=lambda i: widths[i])
            widths[widest] -= 1
    return widths


def wrapped_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    total_width: int,
    *,
    fixed: Sequence[int] = (),
    identifiers: Sequence[int] = (),
    style: Callable[[int, str, str], str] | None = None,
) -> str:
    """Rows under a header fitted to `total_width` columns; long cells wrap onto more lines.

    Columns in `fixed` keep their natural width; the widest others give way first.
    Cells of `identifiers` columns (rule ids) break only after a dot (wrap_at_dots), and
    such a column keeps the width of its widest part.
    """
    gap = 2
    natural = [
        max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)
    ]
    floors = {
        i: max(display_width(p) for r in rows for p in _parts(r[i])) for i in identifiers if rows
    }
    widths = _shares(natural, total_width - gap * (len(headers) - 1), set(fixed), floors)
    out: list[str] = []
    for index, row in enumerate([list(headers), *rows]):
        cells = [
            (wrap_at_dots if i in identifiers and index else wrap)(c, w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        for n in range(max(len(c) for c in cells)):
            parts = []
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
                text = cell[n] if n < len(cell) else ""
                padded = text + " " * (w - display_width(text))
                if style is not None and index > 0 and n == 0:
                    padded = style(i, row[i], padded)
                parts.append(padded)
            out.append((" " * gap).join(parts).rstrip())
    return "\n".join(out)
