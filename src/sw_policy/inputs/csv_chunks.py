"""A plain CSV read in chunks of lines, for checks in bounded memory.

A contract-format CSV that is ASCII, unquoted, with one header line and every
row in plain form (inputs/csv_direct_plain.py) gives the same columns whether
it is read whole or a few lines at a time: each chunk is the header plus the
next lines, read by the direct reader's own code, its line numbers and record
numbers moved on by the lines before it. `scan_plain_csv` reads the file once
without keeping it (its sha256, its lines, and the whole-file tests the direct
reader makes: quotes, carriage returns, blank lines, total rows, a repeated
header); `plain_chunks` then yields RecordFrames chunk by chunk. Anything the
chunks cannot give exactly (a row not in plain form, a rejection, an id read
twice, found by a compact set of 64-bit id hashes, distinct hashes meaning
distinct ids) raises NotPlainError, and the caller reads the file whole.
"""

from __future__ import annotations

import hashlib
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from sw_policy.findings import InputSummary
from sw_policy.inputs.csv_direct import _fast_eligible, _read_csv_fast, may_skip_rows
from sw_policy.inputs.csv_direct_cells import ORDER, CsvText
from sw_policy.inputs.frames import KindFrame, RecordFrames
from sw_policy.inputs.readers import infer_kind
from sw_policy.limits import current_limits

__all__ = [
    "CHUNK_BYTES",
    "NotPlainError",
    "PlainCsv",
    "PlainHead",
    "plain_chunks",
    "plain_head",
    "scan_plain_csv",
    "scan_plain_rows",
]

CHUNK_BYTES = 4 << 20
"""Bytes of lines read per chunk (about 100 000 budget rows)."""

_SCAN_BYTES = 16 << 20


class NotPlainError(Exception):
    """The file is not all plain rows with distinct ids: read it whole instead."""


@dataclass(frozen=True)
class PlainHead:
    """A CSV whose first line lets it be read in chunks (plain_head): enough to read them."""

    path: Path
    given: str
    header: bytes
    columns: list[str]
    kind: str


@dataclass(frozen=True)
class PlainCsv(PlainHead):
    """A CSV the scan found fit to be read in chunks, and its summary if every row is plain."""

    summary: InputSummary
    codes: frozenset[str] = frozenset()
    """The distinct division codes of its rows, for the GB/T 2260 warnings in the head."""


def scan_plain_csv(given: Path | str, *, kind: str | None = None) -> PlainCsv | None:
    """The file's header, kind and summary if it may be read in chunks, else None.

    None sends the file to the whole-file readers, which give its errors as before
    (a missing file, a file beyond the file_bytes limit, a device).
    """
    head = plain_head(given, kind=kind)
    return None if head is None else scan_plain_rows(head)


def plain_head(given: Path | str, *, kind: str | None = None) -> PlainHead | None:
    """What scan_plain_csv finds from the file's name, size and first line; None when that
    already sends the file to the whole-file readers. Chunks may be read from it while
    scan_plain_rows reads the rest (its answer decides, before a byte is written)."""
    path = Path(given)
    if path.suffix.lower() != ".csv":
        return None
    try:
        info = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > current_limits().file_bytes:
        return None
    with path.open("rb") as stream:
        header = stream.readline()
    if not header.endswith(b"\n") or not header.isascii():
        return None
    columns = [c.strip() for c in header[:-1].decode("ascii").split(",")]
    file_kind = kind or infer_kind(set(columns))
    if file_kind is None or not _fast_eligible(CsvText(header, "utf-8"), columns, file_kind):
        return None
    return PlainHead(path, str(given), header, columns, file_kind)


def scan_plain_rows(head: PlainHead) -> PlainCsv | None:
    """The rest of scan_plain_csv: the file read once without keeping it (its sha256, its
    lines, the whole-file tests of the direct reader, its division codes)."""
    digest = hashlib.sha256()
    columns = head.columns
    with head.path.open("rb") as stream:
        if stream.readline() != head.header:
            return None  # changed since plain_head read it
        digest.update(head.header)
        repeat = ",".join(columns[:2]).encode("ascii")
        codes: set[str] = set()
        lines, tail, last = 0, b"", b"\n"
        while block := stream.read(_SCAN_BYTES):
            digest.update(block)
            data = tail + block
            cut = data.rfind(b"\n") + 1
            whole, tail = data[:cut], data[cut:]
            if whole and not _plain_lines(whole, repeat, after_newline=last == b"\n"):
                return None
            if whole:
                last = whole[-1:]
                codes.update(column_values(whole, columns, "jurisdiction"))
            lines += whole.count(b"\n")
        if tail:
            if not _plain_lines(tail, repeat, after_newline=True):
                return None
            codes.update(column_values(tail, columns, "jurisdiction"))
            lines += 1
    if lines == 0:
        return None
    summary = InputSummary(
        path=head.given,
        sha256=digest.hexdigest(),
        records=lines,
        evaluated=lines,
        rejected=0,
        encoding="utf-8",
    )
    shown = frozenset(code.strip() for code in codes)
    return PlainCsv(head.path, head.given, head.header, columns, head.kind, summary, shown)


def _column_pattern(columns: list[str], name: str) -> re.Pattern[bytes] | None:
    """A pattern whose one group is the `name` column of each plain (unquoted) line."""
    if name not in columns:
        return None
    before = columns.index(name)
    return re.compile(rb"^(?:[^,\n]*,){%d}([^,\n]*)" % before, re.MULTILINE)


_NOT_COMMA_OR_NEWLINE = bytes(b for b in range(256) if b not in b",\n")


def column_values(data: bytes, columns: list[str], name: str) -> set[str]:
    """The distinct texts of the `name` column in these lines: what `_column_pattern` finds.

    When every line has the header's count of commas (checked on the data with all else
    deleted), Polars splits the lines, and its cells are the pattern's groups; other data
    goes through the pattern, one match object per line (0.9 s per million lines).
    """
    pattern = _column_pattern(columns, name)
    if pattern is None:
        return set()
    ends = data.endswith(b"\n")
    shape = (b"," * (len(columns) - 1) + b"\n") * (data.count(b"\n") + (0 if ends else 1))
    if (
        data
        and data.isascii()
        and b"\r" not in data
        and data.translate(None, _NOT_COMMA_OR_NEWLINE) + (b"" if ends else b"\n") == shape
    ):
        cells = pl.read_csv(
            data,
            has_header=False,
            columns=[columns.index(name)],
            infer_schema=False,
            quote_char=None,
            empty_string_is_null=False,
        )
        found = set(cells.to_series().unique().to_list())
        if columns.index(name) == 0 and data.endswith(b"\n"):
            found.add("")  # the pattern's empty match after the last newline
        return found
    return {value.decode("ascii", "replace") for value in pattern.findall(data)}


def _plain_lines(data: bytes, repeat: bytes, *, after_newline: bool) -> bool:
    """Whole lines with nothing that makes the direct reader read the file otherwise."""
    if not data.isascii() or b'"' in data or b"\r" in data or repeat in data:
        return False
    if b"\n\n" in data or (after_newline and data.startswith(b"\n")):
        return False  # a blank line: the row reader counts it apart
    return not may_skip_rows(CsvText(data, "utf-8"))


def plain_chunks(plain: PlainHead, chunk_bytes: int = CHUNK_BYTES) -> Iterator[RecordFrames]:
    """The file's records, a chunk of lines at a time, numbered as the whole file numbers them.

    Raises NotPlainError as soon as a chunk has a row not in plain form, and after the
    last chunk if an id was read twice.
    """
    hashes: list[pl.Series] = []
    line, row = 2, 0
    for piece in _pieces(plain, chunk_bytes):
        count = piece.count(b"\n") + (0 if piece.endswith(b"\n") else 1)
        source = CsvText(plain.header + piece, "utf-8")
        read = _read_csv_fast(plain.given, source, columns=plain.columns, kind=plain.kind)
        if (
            read is None
            or read.frame is None
            or read.records
            or read.rejected
            or read.count != count
            or read.frame.height != count
        ):
            raise NotPlainError(plain.given)
        moved = line - 2
        df = read.frame.with_columns(
            (pl.col("__line") + moved).alias("__line"),
            pl.int_range(row, row + count, dtype=pl.Int64).alias("__row"),
        ).drop(ORDER)
        hashes.append(df.get_column("id").hash())
        yield RecordFrames({plain.kind: KindFrame(plain.kind, df, read.scales)}, count)
        line, row = line + count, row + count
    if hashes:
        every = pl.concat(hashes)
        if every.n_unique() != every.len():
            raise NotPlainError(f"{plain.given}: an id may be read twice")


def _pieces(plain: PlainHead, size: int) -> Iterator[bytes]:
    """The lines under the header, in pieces of at least `size` bytes cut after a newline."""
    with plain.path.open("rb") as stream:
        stream.readline()
        pending = b""
        while block := stream.read(max(size, 1)):
            data = pending + block
            cut = data.rfind(b"\n") + 1
            if cut:
                yield data[:cut]
            pending = data[cut:]
        if pending:
            yield pending
