"""Is each figure a rule judges by written in the rule's own quote?

A drafter who edits `min_share: 0.80` to `0.75` and leaves the quote at
"不低于项目经费的 80%" has a rule that cites one figure and checks another; so has
one who pastes a new quote and forgets the parameter. Lint warns when a numeric
parameter with a unit (ratio, persons, hours, years, …) is not written in the
quote in any of the ways Chinese policy texts write numbers: digits (`120`),
万 (`14 万人` for 140 000), a percentage (`70%`, `70％`, `百分之七十`), or
Chinese numerals up to ninety-nine (`近五年`). A parameter without a unit (a
vocabulary value, a lookup table, a growth factor such as 倍增) is not checked.
It is a warning: a figure may rightly be derived from the text rather than
written in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from sw_policy.rulebook.schema import RuleSpec

__all__ = ["figure_forms", "figures_missing_from_quote"]

_CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str | None:
    """一 … 九十九 as policy texts write them (十, 十二, 二十, 二十五)."""
    if not 0 < n < 100:
        return None
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CHINESE_DIGITS[ones]
    head = "" if tens == 1 else _CHINESE_DIGITS[tens]
    return head + "十" + (_CHINESE_DIGITS[ones] if ones else "")


def _plain(value: Decimal) -> str:
    """70, 0.5, 12.5: the digits as a text writes them (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")


def figure_forms(value: Decimal, unit: str) -> list[str]:
    """Regular expressions for the ways a quote may write `value` in `unit`."""
    numbers = [value * 100] if unit == "ratio" else [value]
    forms: list[str] = []
    for number in numbers:
        digits = re.escape(_plain(number))
        # 70% for a ratio; a count's digits not followed by 万 (14 万人 is 140 000, not 14).
        tail = r"\s*[%％]" if unit == "ratio" else r"(?![0-9.]|\s*[万亿])"
        forms.append(rf"(?<![0-9.]){digits}{tail}")
        if number == number.to_integral_value():
            whole = int(number)
            word = _chinese(whole)
            if unit == "ratio" and word:
                forms.append("百分之" + word + "(?![十一二三四五六七八九])")
            elif word:
                forms.append(rf"(?<![十一二三四五六七八九零]){word}(?![十一二三四五六七八九])")
            if whole and whole % 10000 == 0:
                forms.append(rf"(?<![0-9.]){whole // 10000}\s*万")
    return forms


def _numbers(value: object) -> Iterator[Decimal]:
    """The numbers a parameter's value holds (a number, or the values of a table of numbers)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int | Decimal):
        yield Decimal(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)


def figures_missing_from_quote(rule: RuleSpec) -> list[tuple[str, Decimal]]:
    """(parameter, number) for each figure with a unit that the quote does not write."""
    missing = []
    for name, parameter in (rule.parameters or {}).items():
        if parameter.unit is None:
            continue
        for number in _numbers(parameter.value):
            forms = figure_forms(number, parameter.unit)
            if not any(re.search(form, rule.quote) for form in forms):
                missing.append((name, number))
    return missing
