"""Excel workbooks (.xlsx): every sheet's rows as text cells, with sheet row numbers.

Read-only and values-only (a formula gives its last computed value; a formula
never computed, as in files written by scripts, reads as blank = unknown).
openpyxl is imported here, so `import sw_policy` stays light.

A workbook is a zip of XML parts, so it is checked before openpyxl opens it:
the parts' uncompressed size against the xlsx_bytes limit (a zip bomb), and
the sheet's declared dimension is ignored (a 1.6 KB file may declare
A1:XFD1048576): only the cells the sheet really holds are read. Whatever
openpyxl or the XML parser raises on a malformed, encrypted or entity-bomb
workbook is one InputFileError naming the file.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sw_policy.errors import InputFileError
from sw_policy.inputs.cells import cell_text
from sw_policy.limits import beyond, current_limits

__all__ = ["workbook_sheets"]


def workbook_sheets(path: Path) -> Iterator[tuple[str, Iterator[tuple[int, list[str | None]]]]]:
    """(sheet name, rows) per sheet in workbook order; rows are (row number, cells)."""

    from openpyxl import load_workbook  # noqa: PLC0415 - heavy, only for .xlsx

    _check_parts(path)
    # The file is opened here, not by openpyxl: a workbook that fails half-way through
    # loading would otherwise leave openpyxl's own file handle open.
    with path.open("rb") as handle:
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl and the XML parser raise many types on bad input
            raise InputFileError(path, f"not a readable XLSX workbook ({_reason(exc)})") from None
        try:
            for sheet in book.worksheets:
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()  # the real cells, not the declared dimension
                yield sheet.title, _rows(path, sheet)
        finally:
            book.close()


def _reason(exc: Exception) -> str:
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_parts(path: Path) -> None:
    """Refuse what is not a zip, an encrypted workbook, and a zip bomb, before parsing."""
    limit = current_limits().xlsx_bytes
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputFileError(
            path,
            "an encrypted (password-protected) or old-format (.xls) workbook; "
            "save it unprotected as .xlsx",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputFileError(path, f"not a readable XLSX workbook ({_reason(exc)})") from None
    if total > limit:
        raise beyond(path, f"parts {total} bytes uncompressed", "xlsx_bytes")


def _rows(path: Path, sheet: Any) -> Iterator[tuple[int, list[str | None]]]:
    rows = enumerate(sheet.iter_rows(values_only=True), start=1)
    while True:
        try:
            number, values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # a malformed sheet part
            raise InputFileError(
                path, f"sheet {sheet.title!r}: not a readable XLSX sheet ({_reason(exc)})"
            ) from None
        yield number, [cell_text(v) for v in values]
