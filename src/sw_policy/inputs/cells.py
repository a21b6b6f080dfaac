"""Spreadsheet and Parquet cell values as the text a CSV cell would hold.

Floats (how Excel stores every number) become their shortest decimal text,
so 333333.33 stays "333333.33" and is then read as an exact Decimal; whole
floats lose the ".0". Dates become ISO dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

__all__ = ["cell_text"]


def cell_text(value: object) -> str | None:
    """`value` as text; None stays None (a blank cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
