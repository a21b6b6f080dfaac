"""Chinese (and common English) names for the contract's fields and values.

The tables are data (rules/intake/vocabulary.yaml), read here once.
This is vocabulary, not policy: it says that a column headed 项目经费 holds
`total_funds` and that 大专 is `junior_college`, so a workbook exported by a
civil-affairs office reads without renaming. Matching ignores case, spaces and
full-width/half-width brackets. No thresholds live here.
"""

from __future__ import annotations

import re
import unicodedata

from sw_policy.inputs.vocabulary import bundled_vocabulary

__all__ = [
    "BOOL_FIELDS",
    "FIELD_ALIASES",
    "IGNORED_HEADERS",
    "MONEY_FIELDS",
    "SHEET_KINDS",
    "VALUE_ALIASES",
    "canonical_field",
    "canonical_value",
    "kind_of_sheet",
]

_VOCABULARY = bundled_vocabulary()
FIELD_ALIASES: dict[str, tuple[str, ...]] = dict(_VOCABULARY.fields)

# Columns office exports add that hold no record field: a running number and
# free-text remarks. They are read past without a "near miss" warning.
IGNORED_HEADERS = frozenset(_VOCABULARY.ignored)

VALUE_ALIASES: dict[str, dict[str, str]] = {k: dict(v) for k, v in _VOCABULARY.values.items()}

_TRUE = ("是", "有", "已登记", "y", "yes", "true", "√", "✓", "1")
_FALSE = ("否", "无", "未登记", "n", "no", "false", "×", "✗", "0")

BOOL_FIELDS = frozenset(
    {
        "certificate_registered",
        "direct_service",
        "counted_as_professional",
        "in_purchased_project",
        "demonstration",
        "community_fund",
        "sw_focused",
    }
)
MONEY_FIELDS = frozenset({"total_funds", "labour_cost"})

SHEET_KINDS: dict[str, tuple[str, ...]] = dict(_VOCABULARY.sheet_kinds)


def _key(text: str) -> str:
    """Case, spaces, line breaks and full-/half-width forms ignored (（万元） = (万元))."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


_FIELD_OF: dict[str, str] = {}
for _field, _names in FIELD_ALIASES.items():
    _FIELD_OF[_key(_field)] = _field
    for _name in _names:
        _FIELD_OF[_key(_name)] = _field


def canonical_field(header: str) -> str | None:
    """The contract field a column header names (itself or an alias), else None.

    An ignored column (序号, 备注) gives "".
    """
    key = _key(header)
    return "" if key in IGNORED_HEADERS else _FIELD_OF.get(key)


_VALUE_OF: dict[str, dict[str, str]] = {
    field: {_key(k): v for k, v in table.items()} for field, table in VALUE_ALIASES.items()
}
for _field in BOOL_FIELDS:
    _VALUE_OF[_field] = {**dict.fromkeys(_TRUE, "true"), **dict.fromkeys(_FALSE, "false")}


def canonical_value(field: str, value: str) -> str:
    """The contract's spelling of `value` for `field` (大专 -> junior_college); else unchanged."""
    table = _VALUE_OF.get(field)
    return value if table is None else table.get(_key(value), value)


def kind_of_sheet(name: str) -> str | None:
    """The record kind a sheet name announces (社工花名册 -> worker), or None if unclear."""
    key = _key(name)
    found = {kind for kind, words in SHEET_KINDS.items() if any(_key(w) in key for w in words)}
    # "社区社工" names two kinds: leave it to the columns.
    return found.pop() if len(found) == 1 else None
