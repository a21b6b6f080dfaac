"""What every engine means by a number's text and a text's comparison form.

The row tree walk, the row compiler, the columnar engine and the drafting tools
must agree to the byte on these, so they live here once, below all three back
ends (engines/row, engines/columnar, engines/stream never import each other).
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from decimal import Context, Decimal
from fractions import Fraction

__all__ = ["format_number", "normalise_text", "years_before"]


@functools.lru_cache(maxsize=4096)
def normalise_text(text: str) -> str:
    """Text as compared by `in` and `lookup`: NFKC, case-folded, no spaces, - or _."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "-_")


def format_number(value: Decimal | Fraction | int) -> str:
    """Exact decimal text; a quotient that does not terminate shows 10 significant digits

    (or, for a large one, its whole part and one decimal place).
    """
    if isinstance(value, int | Decimal):
        return str(value)
    numerator, denominator = value.numerator, value.denominator
    if denominator == 1:
        return str(numerator)
    places = _terminating_places(denominator)
    if places is not None:  # exact, in integers: numerator * 10**places / denominator
        digits = str(abs(numerator) * 10**places // denominator).rjust(places + 1, "0")
        text = f"{digits[:-places]}.{digits[-places:]}".rstrip("0").rstrip(".")
        return f"-{text}" if numerator < 0 else text
    whole = len(str(abs(numerator) // denominator))
    return format(_context(max(10, whole + 1)).divide(numerator, denominator), "f")


@functools.lru_cache(maxsize=32)
def _context(precision: int) -> Context:
    """A decimal context of this many significant digits (built once, not per number)."""
    return Context(prec=precision)


@functools.lru_cache(maxsize=4096)
def _terminating_places(denominator: int) -> int | None:
    """Decimal places of 1/denominator when it terminates (only 2s and 5s), else None."""
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
