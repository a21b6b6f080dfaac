"""Which fields the rows of each file give, noted while the readers read.

A field that no row of a file gives takes the contract's default in every row
(`certificate_registered`: false), and a rule reading it judges the default as
if an office had written it; checking/defaults_taken.py says so in the file's
warnings. The readers note what they read here, in a collection the checking
layer opens around a reading, so no reader's result changes shape:

- a table (CSV, XLSX sheet, Parquet) gives the fields its header names, for
  every kind: a column gives its field even where a cell is left blank;
- a JSON file gives, per kind, the fields some accepted record of that kind has.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["ANY_KIND", "Given", "given_of", "note_given", "noting_given"]

ANY_KIND = "*"
"""The kind a table's header fields are noted under: its columns serve every row."""

Given = dict[str, dict[str, set[str]]]
"""path -> kind (or ANY_KIND) -> the fields given."""

_NOTES: ContextVar[Given | None] = ContextVar("sw_policy_given_fields", default=None)


@contextmanager
def noting_given() -> Iterator[Given]:
    """Collect what the readings inside the block give, per file."""
    notes: Given = {}
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def given_of(path: str) -> dict[str, set[str]] | None:
    """The notes of one file (kind -> fields) to add to; None when nobody collects."""
    notes = _NOTES.get()
    return None if notes is None else notes.setdefault(path, {})


def note_given(path: str, kind: str, fields: Iterable[str]) -> None:
    """`fields` are given for records of `kind` (or ANY_KIND) in the file `path`."""
    notes = given_of(path)
    if notes is not None:
        notes.setdefault(kind, set()).update(fields)
