"""Reading record files straight into columns, with the row readers' rejections.

A contract-format CSV (a header of known field names on line 1, no quoting)
is split by Polars (inputs.csv_direct_cells) and its cells checked with column
expressions (inputs.csv_direct_plain): a cell in the plain form (`1050000.00`,
`330106`, `true`, `intermediate`) is taken as is, and only rows with a cell
in any other form go through the row reader's own table code, so their
rejection text, or their acceptance, is exactly the row reader's. Any other
file (JSON, JSON Lines, quoted CSV, unknown columns, title rows) is read by
inputs.readers.read_files and converted with frame_from_records. Duplicate ids are
rejected across all files, first occurrence kept, as read_files does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from sw_policy.findings import InputSummary, Location, Rejected, Skipped
from sw_policy.inputs.csv_direct_cells import ORDER, CsvText, header_row_is_first_line, split_cells
from sw_policy.inputs.csv_direct_plain import ODD_SPACES, split_plain
from sw_policy.inputs.direct_read import FileRead, located, sha256_meanwhile
from sw_policy.inputs.frames import KindFrame, RecordFrames, field_types, frame_from_records
from sw_policy.inputs.provenance import Duplicate, FirstReads, duplicate_reason
from sw_policy.inputs.readers import (
    LocatedRecord,
    ReadResult,
    _Collector,
    _decode,
    _read_bytes,
    _read_table,
    infer_kind,
    read_file,
)
from sw_policy.inputs.row_kinds import marker_words

__all__ = ["ColumnarRead", "read_files_columnar"]


@dataclass
class ColumnarRead:
    """Frames of every record read, plus the per-file summary and rejected rows."""

    frames: RecordFrames
    inputs: list[InputSummary] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def _fast_eligible(source: CsvText, columns: list[str], kind: str | None) -> bool:
    """A header of two or more distinct field names including id and jurisdiction, no quotes,
    no lone carriage return, no blank line, and no row the row reader would skip (合计, 注：)."""
    if kind is None or len(columns) < 2 or source.has('"') or may_skip_rows(source):
        return False
    if not {"id", "jurisdiction"} <= set(columns) or source.count(",".join(columns[:2])) > 1:
        return False  # ids or codes to fill in, or a header repeated mid-file
    if source.has("\r") and source.count("\r") != source.count("\r\n"):
        return False
    if source.has("\n\n") or source.has("\n\r\n"):
        return False  # blank lines: the row reader warns of them (inputs.csv_lines)
    known = set(field_types(kind)) | {"name"}
    return len(set(columns)) == len(columns) and set(columns) <= known and "training" not in columns


_ASCII_TOTAL = re.compile(rb"(?im)(?:^|,)[ \t]*(?:sub)?total[ \t]*(?:,|\r?$)")


def has_total_row(raw: bytes) -> bool:
    """`_ASCII_TOTAL.search(raw)`, searched only in the lines holding "total" in any case.

    A match lies within one line and holds "total", so this gives the same answer;
    the regex tried at every byte of a 1M-row file cost about a second.
    """
    lowered = raw.lower()  # ASCII letters only, as the pattern's IGNORECASE on bytes
    at = lowered.find(b"total")
    while at != -1:
        start = raw.rfind(b"\n", 0, at) + 1
        end = raw.find(b"\n", at)
        end = len(raw) if end == -1 else end
        if _ASCII_TOTAL.search(raw, start, end):
            return True
        at = lowered.find(b"total", end)
    return False


def may_skip_rows(source: CsvText) -> bool:
    """Whether a row might be a total, note or header repeat (then the row reader reads it)."""
    if has_total_row(source.raw):
        return True
    if source.decoded is None:
        return False  # ASCII: no Chinese marker words
    return any(word in source.decoded for word in marker_words())


def _read_csv_fast(
    given: str, source: CsvText, *, columns: list[str], kind: str
) -> FileRead | None:
    """Plain rows typed in columns, the others read by the row reader; None if not possible."""
    header_first, first_row = header_row_is_first_line(source, columns)
    if not header_first:
        return None
    sha256 = sha256_meanwhile(source.raw)
    cells = split_cells(source, columns)
    if cells is None:
        return None
    odd_spaces = any(source.has(c) for c in ODD_SPACES)
    split = split_plain(cells.frame, columns, kind, odd_spaces=odd_spaces)
    typed = split.typed
    other = split.other
    # The row reader looks at the first row under the header for a second header line, so
    # it reads that row too; a plain one stays typed (its record is dropped below).
    borrowed = typed.height > 0 and typed[ORDER][0] == first_row
    if borrowed:
        first = cells.frame.filter(pl.col(ORDER) == first_row).select(ORDER, *columns)
        other = pl.concat([first, other])
    rows: list[tuple[int, list[str | None]]] = [
        (int(order), ["" if v is None else str(v) for v in values])
        for order, *values in other.select(ORDER, *columns).iter_rows()
    ]
    rows = sorted(rows + list(cells.wide.items()))
    records, orders, rejected, count, duplicates = _validate_rows(rows, columns, kind, given)
    if borrowed and first_row in orders:
        at = orders.index(first_row)
        del records[at], orders[at]
        count -= 1
    frame = located(typed, given)
    return FileRead(
        path=given,
        sha256=sha256(),
        frame=frame,
        kind=kind,
        scales=split.scales,
        records=records,
        orders=orders,
        rejected=rejected,
        count=typed.height + count,
        encoding=source.encoding,
        duplicates=duplicates,
    )


def _validate_rows(
    rows: list[tuple[int, list[str | None]]], columns: list[str], kind: str, given: str
) -> tuple[list[LocatedRecord], list[int], list[Rejected], int, list[Duplicate]]:
    """Rows not in plain form, read by the row reader's own table code (same text, same rows).

    Gives the records, their rows, the rejections, how many rows were not blank, and
    the repeated ids among them.
    """
    if not rows:
        return [], [], [], 0, []
    result = ReadResult()
    collector = _Collector(result, given, FirstReads())
    _read_table(collector, Path(given), [(1, list(columns)), *rows], kind)
    orders = [r.location.row if r.location else 0 for r in result.records]
    return result.records, orders, result.rejected, collector.count, result.duplicates


def _read_one(given: str | Path, kind: str | None, encoding: str | None) -> FileRead | None:
    """A CSV or JSON file read by the direct path, or None for the row readers."""
    path = Path(given)
    if path.suffix.lower() in {".json", ".jsonl", ".ndjson"}:
        from sw_policy.inputs.json_direct import read_json_direct  # noqa: PLC0415

        return read_json_direct(str(given), kind, encoding)
    if path.suffix.lower() != ".csv":
        return None
    raw = _read_bytes(path, encoding)
    if encoding is None and raw.isascii():
        source = CsvText(raw, "utf-8")  # ASCII needs no decoding to be checked
    else:
        text, used = _decode(path, raw, encoding)
        source = CsvText(raw, used, text)
    _, header = next(source.lines())
    columns = [str(c).strip() for c in header] if header != [""] else []
    file_kind = kind or infer_kind(set(columns))
    if not columns or not _fast_eligible(source, columns, file_kind):
        return None
    assert file_kind is not None
    return _read_csv_fast(str(given), source, columns=columns, kind=file_kind)


def _read_rows(
    given: str | Path,
    kind: str | None,
    encoding: str | None,
    first_reads: FirstReads,
    **intake: Any,
) -> FileRead:
    """A file read by the row readers (`first_reads`: the reading's ids so far, for their
    repeats; `intake`: strict_columns, jurisdiction)."""
    read = ReadResult()
    read_file(read, given, first_reads, kind=kind, encoding=encoding, **intake)
    summary = read.inputs[0]
    return FileRead(
        path=str(given),
        sha256=summary.sha256,
        frame=None,
        kind=None,
        scales={},
        records=read.records,
        orders=list(range(1, len(read.records) + 1)),  # reading order: sheets stay apart
        rejected=read.rejected,
        count=summary.records,
        encoding=summary.encoding,
        where=[r.location or Location(path=str(given), row=0) for r in read.records],
        summary=summary,
        skipped=read.skipped,
        duplicates=read.duplicates,
    )


def _rescale(frame: pl.DataFrame, scales: dict[str, int], target: dict[str, int]) -> pl.DataFrame:
    return frame.with_columns(
        [
            (pl.col(n) * pl.lit(10 ** (target[n] - s), pl.Int128)).alias(n)
            for n, s in scales.items()
            if target[n] != s
        ]
    )


_Piece = tuple[pl.DataFrame, dict[str, int], pl.DataFrame | None, int]


def _pieces(files: list[FileRead]) -> dict[str, list[_Piece]]:
    """Per kind, the frames read (each row keyed by `__file` and `__order` in its file)."""
    pieces: dict[str, list[_Piece]] = {}
    for index, f in enumerate(files):
        if f.frame is not None and f.kind is not None and f.frame.height:
            pieces.setdefault(f.kind, []).append(
                (f.frame.with_columns(pl.lit(index).alias("__file")), f.scales, None, 0)
            )
        if f.records:
            slow = frame_from_records(f.records)
            for k, kf in slow.frames.items():
                orders = pl.Series("__order", [f.orders[i] for i in kf.df["__row"].to_list()])
                df = kf.df.rename({"__row": "__src"}).with_columns(
                    orders.cast(pl.Int64), pl.lit(index).alias("__file")
                )
                pieces.setdefault(k, []).append((df, kf.scales, kf.sessions, kf.session_scale))
    return pieces


def _merge(parts: list[_Piece]) -> _Piece:
    """One kind's pieces as one frame in reading order (file, then row), at common scales."""
    target: dict[str, int] = {}
    for _, scales, _, _ in parts:
        for n, s in scales.items():
            target[n] = max(target.get(n, 0), s)
    frames = [
        _rescale(df.with_columns(pl.col("__order").cast(pl.Int64)), s, target)
        for df, s, _, _ in parts
    ]
    df = _in_reading_order(pl.concat(frames, how="diagonal_relaxed"))
    scales_of_sessions = [scale for (_, _, sess, scale) in parts if sess is not None]
    if not scales_of_sessions:
        return df, target, None, 0
    return df, target, _merge_sessions(parts), max(scales_of_sessions)


def _key() -> pl.Expr:
    """(file, order) as one integer, ordered as the pair is."""
    return pl.col("__file").cast(pl.Int64) * (1 << 32) + pl.col("__order").cast(pl.Int64)


def _in_reading_order(df: pl.DataFrame) -> pl.DataFrame:
    key = df.select(_key()).to_series()
    return df if key.is_sorted() else df.sort(key)  # one file's frame usually is sorted


def _duplicates(
    merged: dict[str, _Piece], files: list[FileRead], rejected: list[tuple[int, Rejected]]
) -> set[tuple[int, int]]:
    """(file, row) of every repeated id after its first occurrence; rejections appended."""
    duplicates: set[tuple[int, int]] = set()
    for k, (df, _, _, _) in merged.items():
        ids = df.select("__file", "__order", "id")
        hashes = ids["id"].hash()
        if ids.height < 2 or hashes.n_unique() == ids.height:
            continue  # distinct hashes: distinct ids
        again = hashes.filter(~hashes.is_first_distinct()).unique().to_list()
        candidates = ids.filter(hashes.is_in(again))  # every id seen twice, and a few more
        repeated = candidates.filter(pl.col("id").is_duplicated())  # in reading order
        first = repeated.group_by("id", maintain_order=True).agg(
            pl.col("__file").first().alias("__file_first"),
            pl.col("__order").first().alias("__order_first"),
        )
        dupes = repeated.join(first, on="id").filter(
            (pl.col("__file") != pl.col("__file_first"))
            | (pl.col("__order") != pl.col("__order_first"))
        )
        for file_i, order, rid, file_f, order_f in dupes.select(
            "__file", "__order", "id", "__file_first", "__order_first"
        ).iter_rows():
            duplicates.add((file_i, order))
            column, label = files[file_i].id_column()
            text = duplicate_reason(k, rid, _location(files[file_f], order_f), label)
            sheet, row = files[file_i].at(order)
            rejected.append(
                (
                    file_i,
                    Rejected(
                        path=files[file_i].path,
                        sheet=sheet,
                        row=row,
                        column=column,
                        id=rid,
                        errors=(text,),
                    ),
                )
            )
    _refer_to_first(rejected, merged, files)
    return duplicates


def _without(df: pl.DataFrame, duplicates: set[tuple[int, int]]) -> pl.DataFrame:
    if not duplicates:
        return df
    return df.filter(~_key().is_in([(f << 32) + o for f, o in duplicates]))


def _numbered(merged: dict[str, _Piece]) -> tuple[dict[str, KindFrame], int]:
    """Number records in input order across kinds: (file, order) becomes `__row`.

    Each kind's frame is in reading order, so its numbers line up with its rows.
    """
    keys = [
        df.select("__file", "__order", pl.lit(i).alias("__kind"))
        for i, (df, _, _, _) in enumerate(merged.values())
    ]
    if not keys:
        return {}, 0
    numbering = pl.concat(keys, how="vertical_relaxed")
    if len(keys) > 1:
        numbering = numbering.sort(_key())
    numbering = numbering.with_row_index("__row").with_columns(pl.col("__row").cast(pl.Int64))
    frames_out: dict[str, KindFrame] = {}
    for i, (k, (df, scales, sessions, session_scale)) in enumerate(merged.items()):
        mine = numbering.filter(pl.col("__kind") == i).select("__row", "__file", "__order")
        numbered = df.with_columns(mine["__row"])
        renumbered = None
        if sessions is not None:
            renumbered = sessions.join(
                mine.rename({"__row": "__new"}), on=["__file", "__order"], how="inner"
            ).select(pl.col("__new").alias("__row"), "date", "hours", "hours_places")
        frames_out[k] = KindFrame(
            k,
            numbered.drop("__file", "__order", "__src", strict=False),
            scales,
            renumbered,
            session_scale,
        )
    return frames_out, numbering.height


def read_files_columnar(
    paths: list[Path | str],
    *,
    kind: str | None = None,
    encoding: str | None = None,
    strict_columns: bool = False,
    jurisdiction: str | None = None,
) -> ColumnarRead:
    """Read every file into columns; every row is a record or a rejection, as in read_files."""
    intake: dict[str, Any] = {"strict_columns": strict_columns, "jurisdiction": jurisdiction}
    # One duplicate-id policy for the reading: a file read by the row readers rejects repeats
    # of any earlier file with their own wording; a direct file's ids are listed only then.
    first_reads = FirstReads()
    files: list[FileRead] = []
    for given in paths:
        read = _read_one(given, kind, encoding)
        if read is None:
            read = _read_rows(given, kind, encoding, first_reads, **intake)
        else:
            first_reads.later(functools.partial(_first_ids, read))
        files.append(read)
    merged = {k: _merge(parts) for k, parts in _pieces(files).items()}
    rejected: list[tuple[int, Rejected]] = [(i, r) for i, f in enumerate(files) for r in f.rejected]
    duplicates = _duplicates(merged, files, rejected)
    merged = {k: (_without(p[0], duplicates), p[1], p[2], p[3]) for k, p in merged.items()}
    ranks = [_sheet_ranks(f) for f in files]
    rejected.sort(key=lambda item: (item[0], ranks[item[0]].get(item[1].sheet, 0), item[1].row))
    per_file_rejected = dict.fromkeys(range(len(files)), 0)
    for i, _ in rejected:
        per_file_rejected[i] += 1
    frames_out, total = _numbered(merged)
    inputs = [
        InputSummary(
            path=f.path,
            sha256=f.sha256,
            records=f.count,
            evaluated=f.count - per_file_rejected[i],
            rejected=per_file_rejected[i],
            encoding=f.encoding,
            **_intake_notes(f.summary),
        )
        for i, f in enumerate(files)
    ]
    skipped = [s for f in files for s in f.skipped]
    return ColumnarRead(RecordFrames(frames_out, total), inputs, [r for _, r in rejected], skipped)


def _intake_notes(summary: InputSummary | None) -> dict[str, Any]:
    """What the row reader said of a file besides counts: skipped rows, unused columns."""
    if summary is None:
        return {}
    return {
        "skipped": summary.skipped,
        "unused_columns": summary.unused_columns,
        "warnings": summary.warnings,
    }


def _merge_sessions(
    parts: list[_Piece],
) -> pl.DataFrame:
    """Training sessions of every part, keyed by (file, order), at one common scale."""
    scale = max(s for _, _, sess, s in parts if sess is not None)
    out = []
    for df, _, sess, s in parts:
        if sess is None:
            continue
        keyed = df.select("__src", "__file", "__order")
        local = sess.with_columns(
            (pl.col("hours") * pl.lit(10 ** (scale - s), pl.Int128)).alias("hours")
        )
        out.append(
            local.join(keyed, left_on="__row", right_on="__src", how="inner").select(
                "__file", "__order", "date", "hours", "hours_places"
            )
        )
    return pl.concat(out)


def _refer_to_first(
    rejected: list[tuple[int, Rejected]], merged: dict[str, _Piece], files: list[FileRead]
) -> None:
    """A duplicate found within one file names the first occurrence over all files.

    The row readers' repeats are known from their data (`FileRead.duplicates`).
    """
    repeats = {(i, d.at.sheet, d.at.row): d for i, f in enumerate(files) for d in f.duplicates}
    wanted: dict[str, set[str]] = {}
    for d in repeats.values():
        wanted.setdefault(d.kind, set()).add(d.id)
    firsts: dict[tuple[str, str], tuple[int, int]] = {}
    for kind, ids in wanted.items():
        if kind not in merged:
            continue
        found = (
            merged[kind][0]
            .select("__file", "__order", "id")
            .filter(pl.col("id").is_in(sorted(ids)))
            .unique("id", keep="first", maintain_order=True)
        )
        for file_f, order_f, rid in found.iter_rows():
            firsts[(kind, rid)] = (file_f, order_f)
    for at, (i, rejection) in enumerate(rejected):
        repeat = repeats.get((i, rejection.sheet, rejection.row))
        if repeat is None or (repeat.kind, repeat.id) not in firsts:
            continue
        file_f, order_f = firsts[(repeat.kind, repeat.id)]
        first = _location(files[file_f], order_f)
        text = duplicate_reason(repeat.kind, repeat.id, first, repeat.column)
        rejected[at] = (i, rejection.model_copy(update={"errors": (text,)}))


def _first_ids(read: FileRead) -> Iterator[tuple[tuple[str, str], Location]]:
    """A fast-read file's ids and where each was read, for the reading's FirstReads."""
    if read.frame is None or read.kind is None:
        return
    for order, record_id in read.frame.select("__order", "id").sort("__order").iter_rows():
        yield (read.kind, str(record_id)), Location(path=read.path, row=int(order))
    for item in read.records:
        if item.location is not None:
            yield (item.record.kind, item.record.id), item.location


def _sheet_ranks(read: FileRead) -> dict[str | None, int]:
    """Sheets of a workbook in reading order, so rejections sort as the row reader lists them."""
    ranks: dict[str | None, int] = {}
    for sheet in [w.sheet for w in read.where or ()] + [r.sheet for r in read.rejected]:
        ranks.setdefault(sheet, len(ranks))
    return ranks


def _location(read: FileRead, order: int) -> Location:
    """Where the record numbered `order` in this file was read."""
    sheet, row = read.at(order)
    return Location(path=read.path, sheet=sheet, row=row)
