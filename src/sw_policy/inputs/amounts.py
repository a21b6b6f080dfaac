"""Amounts as office software writes them, parsed to exact Decimals.

"1,200,000.00", "¥3,000", "3000元", "120万元", "12.5万", "1.2亿" all become
exact Decimals (万 = 10^4, 亿 = 10^8: units of counting, not thresholds).
Forms that could be read two ways are refused with a reason rather than
guessed: misplaced thousands separators ("1,20,000"), a comma used as the
decimal mark ("12,5"), two units ("1万亿"), a unit beside a header that
already names one, an exponent ("1e3": an office never writes an amount so), or
digits of another script ("٣٠٠"; full-width ０-９, as a Chinese input method types
them, are read as 0-9). parse_amount's refusal is the one wording of a refused
amount on every route (inputs/office_values.py carries it).
"""

from __future__ import annotations

import re
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, InvalidOperation

__all__ = ["UNIT_SCALES", "header_unit", "parse_amount", "scaled"]

UNIT_SCALES: dict[str, int] = {
    "元": 1,
    "万": 10_000,
    "万元": 10_000,
    "亿": 100_000_000,
    "亿元": 100_000_000,
}

_CURRENCY = ("¥", "￥", "RMB", "CNY", "人民币")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")
_NUMBER = re.compile(r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$")
_UNIT_SUFFIX = re.compile(r"(亿元|万元|亿|万|元)$")
_HEADER_UNIT = re.compile(r"[（(]\s*(亿元|万元|元)\s*[)）]\s*$")


_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def scaled(number: Decimal, factor: int) -> Decimal:
    """`number` × `factor`, exactly: the default context would round past 28 digits and
    overflow on a million-digit amount; the record's range check refuses those later,
    quoting the value as written."""
    return number if factor == 1 else _EXACT.multiply(number, factor)


def header_unit(header: str) -> tuple[str, int]:
    """Split "项目经费（万元）" into ("项目经费", 10000); no unit gives (header, 1)."""
    match = _HEADER_UNIT.search(header)
    if not match:
        return header, 1
    return header[: match.start()].strip(), UNIT_SCALES[match.group(1)]


def parse_amount(text: str, *, scale: int = 1) -> Decimal:
    """Parse one amount exactly; `scale` is the unit named by the column header.

    Raises ValueError saying why the text is not an amount.
    """
    value = text.strip().replace("\u3000", "").replace(" ", "")
    for mark in _CURRENCY:
        if value.startswith(mark):
            value = value[len(mark) :]
            break
    value = value.translate(_FULL_WIDTH)  # an IME's ０-９，．: the same keys, read as typed
    unit = 1
    match = _UNIT_SUFFIX.search(value)
    if match:
        value = value[: match.start()]
        unit = UNIT_SCALES[match.group(1)]
        if _UNIT_SUFFIX.search(value):
            raise ValueError(f"{text!r} names two units; write one")
        if scale != 1 and unit != 1:
            raise ValueError(
                f"{text!r} names a unit but the column header already does; write the plain number"
            )
    if not value:
        raise ValueError(f"{text!r} has no number")
    if not _NUMBER.match(value):
        if any(c.isdigit() and not c.isascii() for c in value):  # Decimal() reads ３ and ٣
            raise ValueError(f"{text!r} is not a number written in digits 0-9")
        if re.fullmatch(r"[+-]?[0-9]+,[0-9]{1,2}", value):
            raise ValueError(f"{text!r} is ambiguous: use '.' for decimals, ',' for thousands")
        if "," in value and re.fullmatch(r"[+-]?[0-9,]+(\.[0-9]+)?", value):
            raise ValueError(f"{text!r} has thousands separators in the wrong places")
        raise ValueError(f"{text!r} is not an amount such as 1,200,000.00, ¥3,000 or 120万元")
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
        raise ValueError(f"{text!r} is not a number") from None
    return scaled(number, unit * scale)
