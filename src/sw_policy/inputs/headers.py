"""Column headers as offices write them, mapped to record fields.

"其中：人力成本（万元）", "项目经费\n(万元)", "近五年培训学时[小时]", "【万元】项目资金"
and full-width forms all name a field and, for money, a unit applied to the
values (万元 → ×10000, exactly). A header that names no field is not an error:
the column is unused (listed once per file), a warning when it closely
resembles a field's name, and never copied when it holds personal data
(身份证号, 联系电话). The names themselves are data (rules/intake/vocabulary.yaml).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

from sw_policy.inputs.aliases import (
    MONEY_FIELDS,
    VocabularyTables,
    active_tables,
    canonical_field,
)

__all__ = [
    "HeaderReading",
    "group_header",
    "money_unit",
    "one_line",
    "read_header",
    "unit_line_scale",
]

MONEY_UNITS: dict[str, int] = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
_OTHER_UNITS = ("小时", "学时", "课时", "人", "个", "次", "%", "‰", "年")
_UNIT = "|".join(sorted([*MONEY_UNITS, *_OTHER_UNITS], key=len, reverse=True))
_BRACKETED_UNIT = re.compile(rf"[(\[【〔]\s*(?:单位[:：])?\s*({_UNIT})\s*[)\]】〕]")
_PREFIX = re.compile(r"^(?:其中[:：]?|含[:：]|包括[:：]|[:：])")
_MARKS = re.compile(r"^[*＊]+|[*＊]+$|[(\[【](?:必填|选填|可选)[)\]】]$")
_UNIT_LINE = re.compile(rf"单位\s*[:：]\s*({'|'.join(MONEY_UNITS)})(?![\u4e00-\u9fff])")


@dataclass(frozen=True)
class HeaderReading:
    """What a header cell says: the field (None: unused), the money scale, and why."""

    text: str
    field: str | None
    scale: int = 1
    unit_given: bool = False
    personal: bool = False
    ignored: bool = False
    near: str | None = None


def one_line(text: str) -> str:
    """The header as a report shows it: line breaks and runs of spaces made one space."""
    return re.sub(r"\s+", " ", text).strip()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class _Words:
    personal: frozenset[str]
    candidates: dict[str, str]  # every known name (alias or field) -> its field
    totals: frozenset[str]


@functools.lru_cache(maxsize=8)
def _words(tables: VocabularyTables) -> _Words:
    """The header words of a vocabulary (the bundled one, or an office's layered on it)."""
    vocabulary = tables.vocabulary
    names = {
        _squeeze(name).lower(): field
        for field, aliases in vocabulary.fields.items()
        for name in aliases
    }
    names.update({field: field for field in vocabulary.fields})
    return _Words(
        frozenset(_squeeze(w).lower() for w in vocabulary.personal),
        names,
        frozenset(_squeeze(w).lower() for w in vocabulary.total_rows),
    )


def _strip(text: str) -> tuple[str, str | None]:
    """(name without prefix, marks and unit brackets, the unit named if any)."""
    name = _MARKS.sub("", _PREFIX.sub("", text))
    unit = None
    match = _BRACKETED_UNIT.search(name)
    while match:
        unit = unit or match.group(1)
        name = (name[: match.start()] + name[match.end() :]).strip()
        match = _BRACKETED_UNIT.search(name)
    return _PREFIX.sub("", _MARKS.sub("", name)), unit


def _near(key: str, candidates: dict[str, str]) -> str | None:
    """The field a header closely resembles (证书级别 ~ 证书等级), if exactly one."""
    close = difflib.get_close_matches(key, list(candidates), n=3, cutoff=0.7)
    fields = {candidates[c] for c in close}
    if len(fields) == 1:
        return fields.pop()
    inside = {f for name, f in candidates.items() if len(name) >= 3 and name in key}
    return inside.pop() if len(inside) == 1 else None


def read_header(cell: str) -> HeaderReading:
    """Read one header cell with the vocabulary in use (see aliases.using_vocabulary)."""
    return _read_header(cell, active_tables())


@functools.lru_cache(maxsize=4096)
def _read_header(cell: str, tables: VocabularyTables) -> HeaderReading:
    """read_header, cached: the same headers come back sheet after sheet."""
    text = one_line(cell)
    squeezed = _squeeze(cell)
    name, unit = _strip(squeezed)
    field = canonical_field(name)
    if field is None:
        field = canonical_field(squeezed)
    if field == "":
        return HeaderReading(text, None, ignored=True)
    key = name.lower()
    if field is None:
        words = _words(tables)
        personal = key in words.personal or squeezed.lower() in words.personal
        near = None if personal else _near(key, words.candidates)
        return HeaderReading(text, None, personal=personal, near=near)
    scale = MONEY_UNITS.get(unit or "", 1) if field in MONEY_FIELDS else 1
    return HeaderReading(text, field, scale, unit_given=unit in MONEY_UNITS)


def unit_line_scale(lines: list[str]) -> int | None:
    """The money unit a line above the table names ("单位：万元"), or None."""
    for line in lines:
        match = _UNIT_LINE.search(_squeeze(line))
        if match:
            return MONEY_UNITS[match.group(1)]
    return None


def money_unit(cell: str) -> str | None:
    """The money unit a header names in brackets ("经费情况（万元）" → 万元), else None."""
    unit = _strip(_squeeze(cell))[1]
    return unit if unit in MONEY_UNITS else None


def group_header(upper: list[str | None], lower: list[str | None]) -> list[str | None] | None:
    """Two header rows made one when `lower` holds the sub-headers of `upper`'s groups.

    A merged group heading ("项目经费（万元）" over "合计" / "其中：人力成本") is read
    from its first column, and its sub-columns follow with blank cells above them.
    Under a heading that names a field, a total word (合计, 小计) is that field; a
    sub-header naming a money field without a unit takes the heading's unit. Every
    filled lower cell must then name a field, else None (`lower` is data).
    """
    totals = _words(active_tables()).totals
    width = max(len(upper), len(lower))
    up = list(upper) + [None] * (width - len(upper))
    lo = list(lower) + [None] * (width - len(lower))
    if all(_is_blank(c) for c in lo):
        return None
    out: list[str | None] = []
    group: str | None = None
    for top, sub in zip(up, lo, strict=True):
        if not _is_blank(top):
            group = str(top)
        elif _is_blank(sub):
            group = None
        if _is_blank(sub):
            out.append(top)
            continue
        text = str(sub)
        heading = read_header(group) if group is not None else None
        if heading is not None and heading.field and _squeeze(text).lower() in totals:
            text = group or text
        reading = read_header(text)
        if reading.field is None:
            return None
        unit = money_unit(group) if group is not None else None
        if unit and reading.field in MONEY_FIELDS and not reading.unit_given:
            text = f"{text}（{unit}）"
        out.append(text)
    return out


def _is_blank(cell: str | None) -> bool:
    return cell is None or not str(cell).strip()
