"""What the input says about how its report should read: language and money unit.

A human report defaults to Chinese when an input's column headers (or JSON
keys) are Chinese, and shows money in 万元 when an amount column's header names
万元 ("项目经费（万元）"). Only the first rows are looked at (headers come
first); findings are not changed, only how they are worded. An unreadable file
gives no hint: the reader reports it properly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sw_policy.inputs.amounts import header_unit
from sw_policy.inputs.encodings import decode_text
from sw_policy.limits import current_limits

__all__ = ["InputHints", "input_hints"]

_JSON_KEY = re.compile(r'"([^"\\]{1,80})"\s*:')
_PEEK = 64 * 1024
_HEADER_ROWS = 12


@dataclass(frozen=True)
class InputHints:
    """chinese: some input names its columns in Chinese; unit: 万元 if an amount header says so."""

    chinese: bool = False
    unit: str = "元"


def _up_to_header(rows: Iterable[list[str]]) -> list[str]:
    """Cells of the rows up to the header (the first with two filled cells): titles and header."""
    out: list[str] = []
    for n, row in enumerate(rows):
        filled = [c for c in row if c and c.strip()]
        out += filled
        if len(filled) >= 2 or n >= _HEADER_ROWS:
            break
    return out


def _headers(path: Path) -> list[str]:
    """Candidate header texts from the start of a file (first rows, or JSON keys)."""
    suffix = path.suffix.lower()
    try:
        # Only regular files within the size limit: a device (/dev/zero), a FIFO or an
        # oversized file gives no hint, and the reader then refuses it in one line.
        if not path.is_file() or path.stat().st_size > current_limits().file_bytes:
            return []
        if suffix in {".xlsx", ".xlsm"}:
            from sw_policy.inputs.xlsx import workbook_sheets  # noqa: PLC0415

            out: list[str] = []
            for _, rows in workbook_sheets(path):
                lines = ([c for c in cells if isinstance(c, str)] for _, cells in rows)
                out += _up_to_header(lines)
            return out
        if suffix in {".csv", ".txt", ".tsv"}:
            with path.open("rb") as handle:
                text, _ = decode_text(handle.read(_PEEK))
            return _up_to_header(re.split(r"[,\t]", line) for line in text.splitlines())
        if suffix in {".json", ".jsonl", ".ndjson"}:
            with path.open("rb") as handle:
                text, _ = decode_text(handle.read(_PEEK))
            return _JSON_KEY.findall(text)
    except Exception:
        return []
    return []


def input_hints(paths: tuple[Path, ...] | list[Path]) -> InputHints:
    """The hints all inputs give together."""
    chinese, unit = False, "元"
    for path in paths:
        for header in _headers(path):
            text = header.strip().strip('"')
            if len(text) > 40:
                continue  # a value, not a header
            if any("\u3400" <= ch <= "\u9fff" for ch in text):  # CJK; a regex took 4 ms to compile
                chinese = True
            if header_unit(text)[1] == 10_000:
                unit = "万元"
    return InputHints(chinese=chinese, unit=unit)
