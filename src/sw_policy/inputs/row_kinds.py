"""Rows of a table that are not records: totals, notes under the table, repeated headers.

Office exports close a table with 合计/小计/总计 rows and 注：/说明：/填表说明 lines,
and long sheets repeat the header row for printing. Such rows are skipped and
listed (file, sheet, row, why), never evaluated or rejected. The marker words are
data (rules/intake/vocabulary.yaml).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sw_policy.inputs.tabular import Header
from sw_policy.inputs.vocabulary import bundled_vocabulary

__all__ = ["RowKind", "classify_row", "header_keys", "is_note_sheet", "marker_words"]

_SEPARATOR = re.compile(r"^[:：、.．,，(（\d]")


@dataclass(frozen=True)
class RowKind:
    """Why a row is not a record: "total", "note" or "header", and the word that says so."""

    reason: str
    text: str


def _squeeze(cell: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell)).lower()


_TOTALS = tuple(sorted((_squeeze(w) for w in bundled_vocabulary().total_rows), key=len))
_NOTES = tuple(sorted((_squeeze(w) for w in bundled_vocabulary().note_rows), key=len, reverse=True))


_FIRST = frozenset(w[0] for w in (*_TOTALS, *_NOTES) if w)


def _may_mark(cell: str) -> bool:
    """A cheap test before normalising: could the cell start with a marker word?"""
    head = cell.lstrip()[:1]
    return head.lower() in _FIRST or not head.isascii()


def _total_word(cell: str) -> str | None:
    if not _may_mark(cell):
        return None
    key = _squeeze(cell).rstrip(":：")
    for word in _TOTALS:
        if key == word or (key.startswith(word) and _SEPARATOR.match(key[len(word) :])):
            return word
    return None


def _note_word(cell: str) -> str | None:
    if not _may_mark(cell):
        return None
    key = _squeeze(cell)
    for word in _NOTES:
        if key.startswith(word):
            rest = key[len(word) :]
            if not rest or _SEPARATOR.match(rest) or len(word) >= 4:
                return word
    return None


def header_keys(header: Header) -> dict[int, str]:
    """The header's mapped cells as compared with a row (to spot a repeated header)."""
    cells = list(header.cells)
    return {
        c.index: str(cells[c.index]).strip()
        for c in header.columns
        if c.index < len(cells) and cells[c.index] is not None
    }


def classify_row(
    cells: list[str | None],
    header: Header,
    *,
    after_note: bool = False,
    keys: dict[int, str] | None = None,
) -> RowKind | None:
    """The kind of a non-record row, or None for a row to read as a record.

    A total word counts in the first two filled cells (序号 may be blank or hold it);
    a note word only in the first; once a note was seen, a row of one filled cell
    continues it.
    """
    filled = [(i, str(c)) for i, c in enumerate(cells) if c is not None and str(c).strip()]
    if not filled:
        return None
    for _, cell in filled[:2]:
        word = _total_word(cell)
        if word is not None:
            return RowKind("total", word)
    word = _note_word(filled[0][1])
    if word is not None:
        return RowKind("note", word)
    if after_note and len(filled) == 1:
        return RowKind("note", "…")
    keys = header_keys(header) if keys is None else keys
    same = sum(1 for i, cell in filled if i in keys and cell.strip() == keys[i])
    if same >= 2 and same >= len(filled) - 1:
        return RowKind("header", "表头")
    return None


def marker_words() -> tuple[str, ...]:
    """The Chinese words that can mark a skipped row (a reader may look for them first)."""
    words = (*bundled_vocabulary().total_rows, *bundled_vocabulary().note_rows)
    return tuple(w for w in words if not w.isascii())


def is_note_sheet(name: str) -> bool:
    """A sheet of notes (填表说明, 说明): skipped when no header names a field."""
    key = _squeeze(name)
    return any(word in key for word in _NOTES if len(word) >= 2 and "说明" in word) or key in _NOTES
