"""Spreadsheet and Parquet cell values as the text a CSV cell would hold.

Floats (how Excel stores every number) become their shortest decimal text,
so 333333.33 stays "333333.33" and is then read as an exact Decimal; whole
floats lose the ".0"; no number is written with an exponent. Dates become ISO
dates.
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
        return str(int(value)) if value.is_integer() else _positional(repr(value))
    if isinstance(value, Decimal):
        return _positional(str(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _positional(text: str) -> str:
    """A number's text without an exponent: a number cell is a number, not office text, and
    amount text refuses exponents (Excel's 1e-07, Parquet's Decimal 0E-9 are 0.0000001 and
    0.000000000). An exponent beyond any amount's range stays, to be refused as written."""
    if "e" not in text and "E" not in text:
        return text
    number = Decimal(text)
    exponent = number.as_tuple().exponent
    if not number.is_finite() or not isinstance(exponent, int) or abs(exponent) > 64:
        return text
    return format(number, "f")
