"""Plain-text layout helpers that respect the double width of Chinese characters."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

__all__ = ["display_width", "fit", "table"]


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


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
