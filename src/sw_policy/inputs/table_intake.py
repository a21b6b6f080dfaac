"""One table's rows as a county office lays them out, made ready for validation.

Between the header and the record: total rows, notes and repeated headers are
skipped (and a 合计 that disagrees with the rows above is a warning); unused
columns are listed once; a roster with no id column gets a stable id from file,
sheet and row; a row with no 行政区划代码 takes the run's jurisdiction (or one a
title names unambiguously), said in the report.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from sw_policy.inputs.aliases import MONEY_FIELDS
from sw_policy.inputs.headers import one_line
from sw_policy.inputs.row_kinds import classify_row, header_keys
from sw_policy.inputs.tabular import Header, TableRow, table_rows

__all__ = ["TableIntake", "row_id"]


def row_id(path: Path, sheet: str | None, row: int) -> str:
    """A stable id for a row of a file without ids: file stem, sheet, row ("名册:社工:5")."""
    return ":".join([path.stem, *([sheet] if sheet else []), str(row)])


class TableIntake:
    """Classifies and completes the rows of one table for a reader's collector."""

    def __init__(self, collector: Any, path: Path, header: Header, sheet: str | None):
        self.collector = collector
        self.path = path
        self.header = header
        self.sheet = sheet
        self.where = f"sheet {sheet}: " if sheet else ""
        self.after_note = False
        self.keys = header_keys(header)
        self.sums: dict[str, Decimal] = {}
        self.since_subtotal: dict[str, Decimal] = {}
        for text in header.unused:
            collector.unused[text] = None
        for text, field in header.near:
            collector.warn(
                f"{self.where}column {text!r} is not used; did you mean {field}? "
                "(add the name to rules/intake/vocabulary.yaml to use it)"
            )
        self.jurisdiction = collector.jurisdiction
        if self.jurisdiction is None and "jurisdiction" not in header.fields:
            self.jurisdiction = _title_jurisdiction(collector, header, sheet, self.where)

    def row(self, number: int, cells: list[str | None]) -> TableRow | None:
        """The row to validate, or None when it was skipped (total, note, header)."""
        kind = classify_row(cells, self.header, after_note=self.after_note, keys=self.keys)
        if kind is not None:
            self.after_note = self.after_note or kind.reason == "note"
            self.collector.skip(number, kind.reason, kind.text, sheet=self.sheet)
            if kind.reason == "total":
                self._check_total(number, cells, kind.text)
            return None
        out = next(table_rows(self.header, [(number, cells)]), None)
        if out is None:
            return None
        if out.data or not out.errors:
            if "id" not in self.header.fields:
                out.data.setdefault("id", row_id(self.path, self.sheet, number))
            if self.jurisdiction is not None:
                out.data.setdefault("jurisdiction", self.jurisdiction)
        for field in MONEY_FIELDS & out.data.keys():
            value = Decimal(out.data[field])
            self.sums[field] = self.sums.get(field, Decimal(0)) + value
            self.since_subtotal[field] = self.since_subtotal.get(field, Decimal(0)) + value
        return out

    def _check_total(self, number: int, cells: list[str | None], word: str) -> None:
        """Warn when a total row's amounts differ from the sum of the rows they total."""
        total = next(table_rows(self.header, [(number, cells)]), None)
        subtotal = word == "小计"
        sums = self.since_subtotal if subtotal else self.sums
        if total is not None:
            for field in sorted(MONEY_FIELDS & total.data.keys()):
                try:
                    given = Decimal(total.data[field])
                except ArithmeticError:
                    continue
                expected = sums.get(field, Decimal(0))
                if given != expected:
                    column = self.header.column_of(field)
                    name = one_line(column.header) if column else field
                    self.collector.warn(
                        f"{self.where}row {number}: {word} {name} is {given} but the rows "
                        f"above sum to {expected}"
                    )
        if subtotal:
            self.since_subtotal = {}

    def close(self) -> None:
        """Nothing is held past the table; kept so a reader's loop reads symmetrically."""


def _title_jurisdiction(
    collector: Any, header: Header, sheet: str | None, where: str
) -> str | None:
    """A division the title lines or the sheet name name unambiguously (淳安县 → 330127)."""
    from sw_policy.inputs.divisions import division_in_text  # noqa: PLC0415

    places = [("the title", text) for text in header.above]
    places += [("the sheet name", sheet)] if sheet else []
    for place, text in places:
        found = division_in_text(text)
        if found is not None:
            collector.warn(
                f"{where}jurisdiction {found.code} ({found.full_name}) taken from "
                f"{place} for rows without 行政区划代码"
            )
            return found.code
    return None
