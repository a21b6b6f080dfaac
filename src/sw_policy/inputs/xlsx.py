"""Excel workbooks (.xlsx): every sheet's rows as text cells, with sheet row numbers.

Read-only and values-only (a formula gives its last computed value; a formula
never computed, as in files written by scripts, reads as blank = unknown).
openpyxl is imported here, so `import sw_policy` stays light.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sw_policy.errors import InputFileError
from sw_policy.inputs.cells import cell_text

__all__ = ["workbook_sheets"]


def workbook_sheets(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, list[str | None]]]]]:
    """(sheet name, rows) per sheet in workbook order; rows are (row number, cells)."""

    from openpyxl import load_workbook  # noqa: PLC0415 - heavy, only for .xlsx

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputFileError(path, f"not a readable XLSX workbook ({exc})") from None
    try:
        for sheet in book.worksheets:
            yield sheet.title, _rows(sheet)
    finally:
        book.close()


def _rows(sheet: Any) -> Iterator[tuple[int, list[str | None]]]:
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [cell_text(v) for v in values]
