"""Reading record files straight into columns, with the row readers' rejections.

A contract-format CSV (UTF-8, a header of known field names, no quoting) is
split and validated with column expressions: a cell in the plain form
(`1050000.00`, `330106`, `true`, `intermediate`) is taken as is, and only rows
with a cell in any other form go through the ordinary record validation
(parse_record), so their rejection text, or their acceptance, is exactly the
row reader's. Any other file (JSON, JSON Lines, quoted CSV, unknown columns) is
read by _readers.read_files and converted with frame_from_records. Duplicate
ids are rejected across all files, first occurrence kept, as read_files does.
"""

from __future__ import annotations

import hashlib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import annotated_types
import polars as pl

from ._columnar_frame import MAX_SCALE, KindFrame, RecordFrames, field_types, frame_from_records
from ._findings import InputSummary, Location, Rejected
from ._readers import (
    LocatedRecord,
    ReadResult,
    _Collector,
    _decode,
    _read_bytes,
    _read_table,
    infer_kind,
    read_files,
)
from ._records import MODEL_OF_KIND, Certificate, CommunitySetting, Education, EmployerType

__all__ = ["ColumnarRead", "read_files_columnar"]

_PLAIN = {
    "decimal": rf"^-?(0|[1-9][0-9]*)(\.[0-9]{{1,{MAX_SCALE}}})?$",
    "int": r"^-?(0|[1-9][0-9]*)$",
    "bool": r"^(true|false)$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}
_TABLES = {".csv", ".parquet", ".xlsx"}  # files with a header: a rejection names its column
_VOCABULARIES: dict[str, list[str]] = {
    "certificate": [m.value for m in Certificate],
    "education": [m.value for m in Education],
    "employer_type": [m.value for m in EmployerType],
    "setting": [m.value for m in CommunitySetting],
}


@dataclass
class ColumnarRead:
    """Frames of every record read, plus the per-file summary and rejected rows."""

    frames: RecordFrames
    inputs: list[InputSummary] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class _FileRead:
    path: str
    sha256: str
    frame: pl.DataFrame | None  # fast path: one kind, `__order` within the file
    kind: str | None
    scales: dict[str, int]
    records: list[LocatedRecord]  # slow path or slow rows, with `__order`
    orders: list[int]
    rejected: list[Rejected]
    count: int
    encoding: str | None = None
    # Read by the row readers: record n (order n) came from where[n - 1] (sheet and row).
    where: list[Location] | None = None

    def at(self, order: int) -> tuple[str | None, int]:
        """(sheet, row) of the record numbered `order` in this file."""
        if self.where is None:
            return None, order
        location = self.where[order - 1]
        return location.sheet, location.row


def _bounds(kind: str, name: str) -> list[tuple[str, Any]]:
    """Range checks from the model's constraints (ge, gt, le, lt) for a plain cell."""
    info = MODEL_OF_KIND[kind].model_fields[name]
    metadata: list[Any] = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        metadata += list(getattr(arg, "__metadata__", ()))
        for inner in typing.get_args(arg):
            metadata += list(getattr(inner, "__metadata__", ()))
    checks: list[tuple[str, Any]] = []
    for item in metadata:
        for sub in getattr(item, "metadata", [item]):
            if isinstance(sub, annotated_types.Ge):
                checks.append(("ge", sub.ge))
            elif isinstance(sub, annotated_types.Gt):
                checks.append(("gt", sub.gt))
            elif isinstance(sub, annotated_types.Le):
                checks.append(("le", sub.le))
            elif isinstance(sub, annotated_types.Lt):
                checks.append(("lt", sub.lt))
    return checks


def _plain_cell(kind: str, name: str, ftype: str, cell: pl.Expr) -> pl.Expr:
    """True when the cell needs no Python validation: plain form and within bounds."""
    if name == "id":
        return (cell.str.strip_chars() == cell) & (cell.str.len_chars() <= 200)
    if name == "jurisdiction":
        return cell.str.contains(r"^[1-9][0-9]{5}$")
    if name in _VOCABULARIES:
        return cell.is_in(_VOCABULARIES[name])
    if ftype == "text":
        return cell.str.strip_chars() == cell
    ok = cell.str.contains(_PLAIN[ftype])
    if ftype == "date":
        return ok & cell.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    if ftype in {"decimal", "int"}:
        number = cell.cast(pl.Float64, strict=False)  # bounds are whole numbers: exact enough
        for op, bound in _bounds(kind, name):
            value = float(bound)
            ok = (
                ok
                & {
                    "ge": number >= value,
                    "gt": number > value,
                    "le": number <= value,
                    "lt": number < value,
                }[op]
            )
    return ok


def _scaled(cell: pl.Expr, scale: int) -> pl.Expr:
    places = (
        pl.when(cell.str.contains(".", literal=True))
        .then(cell.str.len_chars() - cell.str.find(".", literal=True) - 1)
        .otherwise(0)
        .cast(pl.Int64)
    )
    digits = cell.str.replace(".", "", literal=True).cast(pl.Int128)
    return digits * pl.lit(10, pl.Int128).pow(pl.lit(scale, pl.Int64) - places)


def _fast_eligible(text: str, columns: list[str], kind: str | None) -> bool:
    if kind is None or '"' in text or "\r" in text.replace("\r\n", "\n"):
        return False
    known = set(field_types(kind)) | {"name"}
    return len(set(columns)) == len(columns) and set(columns) <= known and "training" not in columns


def _split(lines: list[str], columns: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows split into cells (blank cells null), and rows with more cells than the header."""
    body = pl.DataFrame({"line": pl.Series(lines[1:], dtype=pl.String)}).with_row_index(
        "__order", offset=2
    )
    cells = pl.col("line").str.split(",")
    body = body.with_columns(cells.alias("__cells")).with_columns(
        pl.col("__cells").list.len().alias("__n"),
        pl.col("__cells").list.eval(pl.element().str.strip_chars() != "").list.any().alias("__any"),
    )
    body = body.filter(pl.col("__any"))  # blank rows are skipped, as the csv reader does
    too_many = body.filter(pl.col("__n") > len(columns))
    body = body.filter(pl.col("__n") <= len(columns))
    body = body.with_columns(
        [
            pl.col("__cells").list.get(i, null_on_oob=True).alias(name)
            for i, name in enumerate(columns)
        ]
    ).with_columns(
        [
            pl.when(pl.col(name).str.strip_chars() == "")
            .then(None)
            .otherwise(pl.col(name))
            .alias(name)
            for name in columns
        ]
    )
    return body, too_many


def _plain_rows(columns: list[str], kind: str) -> pl.Expr:
    """True for a row whose every cell is in plain form (no Python validation needed)."""
    types = field_types(kind)
    required: list[str] = [n for n in ("id", "jurisdiction", "year") if n in types]
    plain = pl.lit(True)
    for name in required:
        if name not in columns:
            plain = pl.lit(False)
    for name in columns:
        if name == "name":
            continue
        cell = pl.col(name)
        check = _plain_cell(kind, name, types[name], cell)
        plain = plain & (cell.is_null() | check.fill_null(False))
        if name in required:
            plain = plain & cell.is_not_null()
    return plain


def _read_csv_fast(path: Path, given: str, raw: bytes, text: str, kind: str) -> _FileRead:
    lines = text.replace("\r\n", "\n").split("\n")
    columns = [c.strip() for c in lines[0].split(",")]
    body, too_many = _split(lines, columns)
    body = body.with_columns(_plain_rows(columns, kind).alias("__plain"))
    fast = body.filter(pl.col("__plain"))
    slow = body.filter(~pl.col("__plain"))
    rejected: list[Rejected] = [
        Rejected(
            path=given,
            row=row,
            id=None,
            errors=(f"row: {n} cells but the header has {len(columns)} columns",),
        )
        for row, n in too_many.select("__order", "__n").iter_rows()
    ]
    records, orders = _validate_rows(slow, columns, kind, given, rejected)
    frame, scales = _typed(fast, columns, kind, given)
    return _FileRead(
        path=given,
        sha256=hashlib.sha256(raw).hexdigest(),
        frame=frame,
        kind=kind,
        scales=scales,
        records=records,
        orders=orders,
        rejected=rejected,
        count=body.height + too_many.height,
    )


def _validate_rows(
    slow: pl.DataFrame, columns: list[str], kind: str, given: str, rejected: list[Rejected]
) -> tuple[list[LocatedRecord], list[int]]:
    """Rows not in plain form, read by the row reader's own table code (same text, same rows)."""
    result = ReadResult()
    collector = _Collector(result, given, {})
    rows: list[tuple[int, list[str | None]]] = [(1, list(columns))]
    rows += [
        (int(order), ["" if v is None else str(v) for v in values])
        for order, *values in slow.select("__order", *columns).iter_rows()
    ]
    _read_table(collector, Path(given), rows, kind)
    rejected.extend(result.rejected)
    return result.records, [r.location.row if r.location else 0 for r in result.records]


def _typed(
    fast: pl.DataFrame, columns: list[str], kind: str, given: str
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Plain-form cells as typed columns (the frame conventions of _columnar_frame)."""
    types = field_types(kind)
    scales: dict[str, int] = {}
    out: dict[str, pl.Expr] = {}
    decimals = [n for n in columns if types.get(n) == "decimal"]
    if decimals:
        fractional = fast.select(
            [
                pl.col(n)
                .str.split_exact(".", 1)
                .struct.field("field_1")
                .str.len_chars()
                .max()
                .fill_null(0)
                .alias(n)
                for n in decimals
            ]
        ).row(0, named=True)
        scales = {n: int(fractional[n] or 0) for n in decimals}
    for name, ftype in types.items():
        if ftype == "training":
            out["__has_training"] = pl.lit(False)
            continue
        cell = pl.col(name) if name in columns else pl.lit(None, pl.String)
        default = MODEL_OF_KIND[kind].model_fields[name].default
        if ftype == "decimal":
            out[name] = _scaled(cell, scales.get(name, 0)).cast(pl.Int128)
            out[f"{name}__text"] = cell
        elif ftype == "int":
            out[name] = cell.cast(pl.Int64)
        elif ftype == "bool":
            value = cell == "true"
            out[name] = value if default is None else value.fill_null(bool(default))
        elif ftype == "date":
            out[name] = cell.str.to_date("%Y-%m-%d")
        else:
            fill = getattr(default, "value", default)
            out[name] = cell if fill is None or not isinstance(fill, str) else cell.fill_null(fill)
    frame = fast.select(
        pl.col("__order"),
        pl.lit(given).alias("__path"),
        pl.lit(None, pl.String).alias("__sheet"),
        pl.col("__order").cast(pl.Int64).alias("__line"),
        *[expr.alias(name) for name, expr in out.items()],
    )
    return frame, scales


def _read_one(
    given: str | Path,
    kind: str | None,
    encoding: str | None,
    seen: dict[tuple[str, str], Location],
) -> _FileRead:
    path = Path(given)
    if path.suffix.lower() == ".csv":
        raw = _read_bytes(path)
        text, used = _decode(path, raw, encoding)
        header = text.split("\n", 1)[0].rstrip("\r")
        columns = [c.strip() for c in header.split(",")] if header else []
        file_kind = kind or infer_kind(set(columns))
        if columns and _fast_eligible(text, columns, file_kind):
            assert file_kind is not None
            fast = _read_csv_fast(path, str(given), raw, text, file_kind)
            fast.encoding = used
            return fast
    read = read_files([given], kind=kind, encoding=encoding, seen=seen)
    summary = read.inputs[0]
    return _FileRead(
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


def _pieces(files: list[_FileRead]) -> dict[str, list[_Piece]]:
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
    """One kind's pieces as one frame, decimals at one common scale."""
    target: dict[str, int] = {}
    for _, scales, _, _ in parts:
        for n, s in scales.items():
            target[n] = max(target.get(n, 0), s)
    frames = [
        _rescale(df.with_columns(pl.col("__order").cast(pl.Int64)), s, target)
        for df, s, _, _ in parts
    ]
    df = pl.concat(frames, how="diagonal_relaxed")
    scales_of_sessions = [scale for (_, _, sess, scale) in parts if sess is not None]
    if not scales_of_sessions:
        return df, target, None, 0
    return df, target, _merge_sessions(parts), max(scales_of_sessions)


def _duplicates(
    merged: dict[str, _Piece], files: list[_FileRead], rejected: list[tuple[int, Rejected]]
) -> set[tuple[int, int]]:
    """(file, row) of every repeated id after its first occurrence; rejections appended."""
    all_ids = [
        df.select("__file", "__order", "id").with_columns(pl.lit(k).alias("__kind"))
        for k, (df, _, _, _) in merged.items()
    ]
    duplicates: set[tuple[int, int]] = set()
    if not all_ids:
        return duplicates
    ids = pl.concat(all_ids).sort("__file", "__order")
    first = ids.group_by("__kind", "id", maintain_order=True).first()
    dupes = ids.join(first, on=["__kind", "id"], suffix="_first").filter(
        (pl.col("__file") != pl.col("__file_first"))
        | (pl.col("__order") != pl.col("__order_first"))
    )
    for file_i, order, rid, k, file_f, order_f in dupes.select(
        "__file", "__order", "id", "__kind", "__file_first", "__order_first"
    ).iter_rows():
        duplicates.add((file_i, order))
        text = f"id: duplicate {k} id {rid!r} (first at {_place(files[file_f], order_f)})"
        sheet, row = files[file_i].at(order)
        rejected.append(
            (
                file_i,
                Rejected(
                    path=files[file_i].path,
                    sheet=sheet,
                    row=row,
                    column="id" if Path(files[file_i].path).suffix.lower() in _TABLES else None,
                    id=rid,
                    errors=(text,),
                ),
            )
        )
    rejected[:] = [(i, _refer_to_first(r, first, files)) for i, r in rejected]
    return duplicates


def _without(df: pl.DataFrame, duplicates: set[tuple[int, int]]) -> pl.DataFrame:
    if not duplicates:
        return df
    dup = pl.DataFrame(
        {"__file": [d[0] for d in duplicates], "__order": [d[1] for d in duplicates]},
        schema={"__file": df.schema["__file"], "__order": pl.Int64},
    )
    return df.join(dup, on=["__file", "__order"], how="anti")


def _numbered(merged: dict[str, _Piece]) -> tuple[dict[str, KindFrame], int]:
    """Number records in input order across kinds: (file, order) becomes `__row`."""
    keys = [
        df.select("__file", "__order").with_columns(pl.lit(k).alias("__kind"))
        for k, (df, _, _, _) in merged.items()
    ]
    if not keys:
        return {}, 0
    numbering = pl.concat(keys).sort("__file", "__order").with_row_index("__row")
    frames_out: dict[str, KindFrame] = {}
    for k, (df, scales, sessions, session_scale) in merged.items():
        mine = numbering.filter(pl.col("__kind") == k).select(
            pl.col("__row").cast(pl.Int64), "__file", "__order"
        )
        numbered = df.join(mine, on=["__file", "__order"], how="left").sort("__row")
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
    paths: list[Path | str], *, kind: str | None = None, encoding: str | None = None
) -> ColumnarRead:
    """Read every file into columns; every row is a record or a rejection, as in read_files."""
    # Ids read so far, so a file read by the row readers rejects repeats with their own wording.
    seen: dict[tuple[str, str], Location] = {}
    files: list[_FileRead] = []
    for index, given in enumerate(paths):
        files.append(_read_one(given, kind, encoding, seen))
        if index + 1 < len(paths):
            _remember(files[-1], seen)
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
        )
        for i, f in enumerate(files)
    ]
    return ColumnarRead(RecordFrames(frames_out, total), inputs, [r for _, r in rejected])


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


def _refer_to_first(rejection: Rejected, first: pl.DataFrame, files: list[_FileRead]) -> Rejected:
    """A duplicate found within one file names the first occurrence over all files."""
    if len(rejection.errors) != 1 or not rejection.errors[0].startswith("id: duplicate "):
        return rejection
    kind = rejection.errors[0].removeprefix("id: duplicate ").split(" ", 1)[0]
    match = first.filter((pl.col("__kind") == kind) & (pl.col("id") == rejection.id))
    if match.height != 1:
        return rejection
    file_f, order_f = match.select("__file", "__order").row(0)
    text = f"id: duplicate {kind} id {rejection.id!r} (first at {_place(files[file_f], order_f)})"
    return rejection.model_copy(update={"errors": (text,)})


def _remember(read: _FileRead, seen: dict[tuple[str, str], Location]) -> None:
    """Add a fast-read file's ids (first occurrences) to `seen`; row-read files did so already."""
    if read.frame is None or read.kind is None:
        return
    for order, record_id in read.frame.select("__order", "id").sort("__order").iter_rows():
        seen.setdefault((read.kind, str(record_id)), Location(path=read.path, row=int(order)))
    for located in read.records:
        if located.location is not None:
            seen.setdefault((located.record.kind, located.record.id), located.location)


def _sheet_ranks(read: _FileRead) -> dict[str | None, int]:
    """Sheets of a workbook in reading order, so rejections sort as the row reader lists them."""
    ranks: dict[str | None, int] = {}
    for sheet in [w.sheet for w in read.where or ()] + [r.sheet for r in read.rejected]:
        ranks.setdefault(sheet, len(ranks))
    return ranks


def _place(read: _FileRead, order: int) -> str:
    """Where a record was read, as the row reader words it: "path [sheet S] row R"."""
    sheet, row = read.at(order)
    return f"{read.path}{f' sheet {sheet}' if sheet else ''} row {row}"
