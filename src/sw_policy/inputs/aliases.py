"""Chinese (and common English) names for the contract's fields and values.

The tables are data (rules/intake/vocabulary.yaml), read here once.
This is vocabulary, not policy: it says that a column headed 项目经费 holds
`total_funds` and that 大专 is `junior_college`, so a workbook exported by a
civil-affairs office reads without renaming. Matching ignores case, spaces and
full-width/half-width brackets. No thresholds live here.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from sw_policy.inputs.vocabulary import Vocabulary, bundled_vocabulary

__all__ = [
    "BOOL_FIELDS",
    "FIELD_ALIASES",
    "IGNORED_HEADERS",
    "MONEY_FIELDS",
    "SHEET_KINDS",
    "VALUE_ALIASES",
    "VocabularyTables",
    "active_tables",
    "canonical_field",
    "canonical_value",
    "kind_of_sheet",
    "using_vocabulary",
]

_VOCABULARY = bundled_vocabulary()
FIELD_ALIASES: dict[str, tuple[str, ...]] = dict(_VOCABULARY.fields)

# Columns office exports add that hold no record field: a running number and
# free-text remarks. They are read past without a "near miss" warning.
IGNORED_HEADERS = frozenset(_VOCABULARY.ignored)

VALUE_ALIASES: dict[str, dict[str, str]] = {k: dict(v) for k, v in _VOCABULARY.values.items()}

_TRUE: tuple[str, ...] = ("是", "有", "已登记", "y", "yes", "true", "√", "✓", "1")
_FALSE: tuple[str, ...] = ("否", "无", "未登记", "n", "no", "false", "×", "✗", "0")
# Yes/no as pay and enrolment columns write it (职业津贴 已发放, 社保 已参保, 公积金 已缴存).
_TRUE += ("已发放", "已参保", "已缴纳", "已缴存")
_FALSE += ("未发放", "未参保", "未缴纳", "未缴存")

BOOL_FIELDS = frozenset(
    {
        "certificate_registered",
        "direct_service",
        "counted_as_professional",
        "in_purchased_project",
        "demonstration",
        "community_fund",
        "sw_focused",
        "occupational_allowance",
        "social_insurance",
        "housing_fund",
    }
)
MONEY_FIELDS = frozenset({"total_funds", "labour_cost"})

SHEET_KINDS: dict[str, tuple[str, ...]] = dict(_VOCABULARY.sheet_kinds)


def _key(text: str) -> str:
    """Case, spaces, line breaks and full-/half-width forms ignored (（万元） = (万元))."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@dataclass(frozen=True, eq=False)
class VocabularyTables:
    """A vocabulary's lookups, keyed as `_key` normalises: built once per vocabulary."""

    vocabulary: Vocabulary
    field_of: dict[str, str] = field(default_factory=dict)
    value_of: dict[str, dict[str, str]] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()

    @classmethod
    def of(cls, vocabulary: Vocabulary) -> VocabularyTables:
        field_of: dict[str, str] = {}
        for name, aliases in vocabulary.fields.items():
            field_of[_key(name)] = name
            for alias in aliases:
                field_of[_key(alias)] = name
        value_of = {f: {_key(k): v for k, v in t.items()} for f, t in vocabulary.values.items()}
        for name in BOOL_FIELDS:
            value_of[name] = {**dict.fromkeys(_TRUE, "true"), **dict.fromkeys(_FALSE, "false")}
        return cls(vocabulary, field_of, value_of, frozenset(vocabulary.ignored))


_BUNDLED = VocabularyTables.of(_VOCABULARY)
_ACTIVE: ContextVar[VocabularyTables | None] = ContextVar("sw_policy_vocabulary", default=None)


def active_tables() -> VocabularyTables:
    """The vocabulary files are being read with: an office's (see using_vocabulary) or the
    bundled one."""
    return _ACTIVE.get() or _BUNDLED


@contextlib.contextmanager
def using_vocabulary(vocabulary: Vocabulary | None) -> Iterator[None]:
    """Read files with `vocabulary` inside the block (None: the bundled one)."""
    token = _ACTIVE.set(None if vocabulary is None else VocabularyTables.of(vocabulary))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def canonical_field(header: str) -> str | None:
    """The contract field a column header names (itself or an alias), else None.

    An ignored column (序号, 备注) gives "".
    """
    tables = active_tables()
    key = _key(header)
    return "" if key in tables.ignored else tables.field_of.get(key)


def canonical_value(field: str, value: str) -> str:
    """The contract's spelling of `value` for `field` (大专 -> junior_college, 上城区 ->
    330102: a division's name, when exactly one current division bears it; 2024/6/30 ->
    2024-06-30, inputs/dates.py); else unchanged."""
    if field == "jurisdiction":
        return _division_code(value)
    if field == "as_of":
        from sw_policy.inputs.dates import office_date  # noqa: PLC0415

        return office_date(value) or value
    table = active_tables().value_of.get(field)
    return value if table is None else table.get(_key(value), value)


def _division_code(value: str) -> str:
    """A division code cell as is; a division's unambiguous name as its code."""
    if value.isascii():
        return value
    from sw_policy.inputs.divisions import code_of_name  # noqa: PLC0415 (table read on need)

    return code_of_name(value) or value


def kind_of_sheet(name: str) -> str | None:
    """The record kind a sheet name announces (社工花名册 -> worker), or None if unclear."""
    key = _key(name)
    kinds = active_tables().vocabulary.sheet_kinds
    found = {kind for kind, words in kinds.items() if any(_key(w) in key for w in words)}
    # "社区社工" names two kinds: leave it to the columns.
    return found.pop() if len(found) == 1 else None
