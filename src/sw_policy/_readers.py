"""Reading record files: JSON (an array, one object, or JSON Lines) and CSV (UTF-8, BOM allowed).

A record that fails validation is rejected with its file, row, id and one
"field: reason" per problem, and reading goes on: every row read is either a
record or a rejection (records = evaluated + rejected). A file that cannot be
read at all (missing, not UTF-8, broken JSON array) is an InputFileError.

Rows: in CSV the spreadsheet row (the header is row 1); in a JSON array the
element's position (1-based); in JSON Lines the line number.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ._errors import InputFileError, RecordError
from ._findings import InputSummary, Location, Rejected
from ._records import KINDS, MODEL_OF_KIND, Record

__all__ = ["LocatedRecord", "ReadResult", "infer_kind", "parse_record", "read_files"]

_RECORD_ADAPTER: TypeAdapter[Record] = TypeAdapter(Record)
_COMMON_FIELDS = {"id", "jurisdiction", "as_of", "name", "kind"}


@dataclass(frozen=True)
class LocatedRecord:
    """A validated record and where it was read from (None when built in Python)."""

    record: Any
    location: Location | None


@dataclass
class ReadResult:
    """What reading a set of files produced."""

    records: list[LocatedRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    inputs: list[InputSummary] = field(default_factory=list)


def _kind_fields(kind: str) -> set[str]:
    return set(MODEL_OF_KIND[kind].model_fields) - _COMMON_FIELDS


def infer_kind(columns: set[str]) -> str | None:
    """The one record kind whose fields best explain `columns`, or None if unclear."""
    specific = columns - _COMMON_FIELDS
    if not specific:
        return None
    scores = []
    for kind in KINDS:
        known = _kind_fields(kind)
        scores.append((len(specific & known), -len(specific - known), kind))
    scores.sort(reverse=True)
    best, second = scores[0], scores[1]
    if best[0] == 0 or best[:2] == second[:2]:
        return None
    return best[2]


def _format_errors(exc: ValidationError, kind: Any) -> list[str]:
    messages = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"] if p != kind]
        where = ".".join(loc) or "record"
        text = _plain_message(str(error["msg"]))
        if error["type"] == "extra_forbidden":
            text = "unknown field" + _suggest(loc[-1] if loc else "", kind)
        elif error["type"] == "literal_error" and loc == ["kind"]:
            text = f"unknown kind; expected one of {', '.join(KINDS)}"
        messages.append(f"{where}: {text}")
    return messages


def _plain_message(text: str) -> str:
    """Pydantic's wording, made to read as a rule: "must be greater than 0"."""
    text = text.removeprefix("Value error, ")
    if text == "Field required":
        return "required"
    return text.replace("Input should be", "must be")


def _suggest(name: str, kind: str | None) -> str:
    candidates = sorted(_kind_fields(kind) | _COMMON_FIELDS) if kind in MODEL_OF_KIND else []
    close = difflib.get_close_matches(name, candidates, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def parse_record(data: dict[str, Any], kind: str | None = None) -> Any:
    """Validate one record given as a dict; `kind` is used when the dict has none.

    Raises RecordError with one "field: reason" string per problem.
    """
    if "kind" not in data and kind is not None:
        data = {"kind": kind, **data}
    try:
        return _RECORD_ADAPTER.validate_python(data)
    except ValidationError as exc:
        record_id = data.get("id")
        raise RecordError(
            _format_errors(exc, data.get("kind")),
            record_id=None if record_id is None else str(record_id),
        ) from None


class _Collector:
    """Validates rows of one file, tracking ids so a duplicate is rejected, not lost."""

    def __init__(self, result: ReadResult, path: str, seen: dict[tuple[str, str], Location]):
        self.result = result
        self.path = path
        self.seen = seen
        self.count = 0
        self.rejected = 0

    def reject(self, row: int, record_id: Any, errors: list[str]) -> None:
        self.count += 1
        self.rejected += 1
        rid = None if record_id in (None, "") else str(record_id)
        self.result.rejected.append(Rejected(path=self.path, row=row, id=rid, errors=tuple(errors)))

    def add(self, row: int, data: Any, kind: str | None) -> None:
        if not isinstance(data, dict):
            self.reject(row, None, [f"record: expected an object, got {type(data).__name__}"])
            return
        record_kind = data.get("kind", kind)
        if record_kind is None:
            self.reject(
                row,
                data.get("id"),
                ["kind: missing; add a kind field or column, or pass --kind"],
            )
            return
        try:
            record = parse_record(data, kind)
        except RecordError as exc:
            self.reject(row, data.get("id"), exc.errors)
            return
        location = Location(path=self.path, row=row)
        key = (record.kind, record.id)
        if key in self.seen:
            first = self.seen[key]
            self.reject(
                row,
                record.id,
                [
                    f"id: duplicate {record.kind} id {record.id!r} "
                    f"(first at {first.path} row {first.row})"
                ],
            )
            return
        self.seen[key] = location
        self.count += 1
        self.result.records.append(LocatedRecord(record, location))


def _read_text(path: Path) -> tuple[bytes, str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror})") from None
    try:
        return raw, raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            path, f"not UTF-8 text (byte {exc.start}); save it as UTF-8 and try again"
        ) from None


def _json_rows(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputFileError(
                path, f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        if not isinstance(items, list):
            raise InputFileError(path, "expected a JSON array of records")
        yield from enumerate(items, start=1)
        return
    if stripped.startswith("{"):
        try:  # one record, possibly spread over several lines
            single = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError:
            pass  # JSON Lines: one object per line, read below
        else:
            yield 1, single
            return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            yield number, _BadLine(f"line: not valid JSON ({exc.msg}, column {exc.colno})")


@dataclass(frozen=True)
class _BadLine:
    reason: str


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return
    columns = [c.strip() for c in header]
    if len(set(columns)) != len(columns):
        dupes = sorted({c for c in columns if columns.count(c) > 1})
        raise InputFileError(path, f"the header repeats column(s) {', '.join(dupes)}")
    for cells in reader:
        row = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns):
            yield (
                row,
                _BadLine(f"row: {len(cells)} cells but the header has {len(columns)} columns"),
            )
            continue
        yield row, {c: v for c, v in zip(columns, cells, strict=False) if v.strip() != ""}


def read_files(paths: list[Path | str], *, kind: str | None = None) -> ReadResult:
    """Read every file; the format is chosen by extension (.csv, .json, .jsonl, .ndjson)."""
    result = ReadResult()
    seen: dict[tuple[str, str], Location] = {}
    for given in paths:
        path = Path(given)
        raw, text = _read_text(path)
        suffix = path.suffix.lower()
        if suffix == ".csv":
            rows = _csv_rows(path, text)
            header = next(csv.reader(io.StringIO(text)), [])
            file_kind = kind or infer_kind({c.strip() for c in header})
            if header and file_kind is None and "kind" not in {c.strip() for c in header}:
                raise InputFileError(
                    path,
                    "cannot tell which kind of record the columns describe; "
                    "add a kind column or pass --kind",
                )
        elif suffix in {".json", ".jsonl", ".ndjson"}:
            rows = _json_rows(path, text)
            file_kind = kind
        else:
            raise InputFileError(
                path, f"unknown format {suffix or '(no extension)'}; use .csv, .json or .jsonl"
            )
        collector = _Collector(result, str(given), seen)
        for row, data in rows:
            if isinstance(data, _BadLine):
                collector.reject(row, None, [data.reason])
                continue
            row_kind = file_kind
            if row_kind is None and isinstance(data, dict) and "kind" not in data:
                row_kind = infer_kind(set(data))
            collector.add(row, data, row_kind)
        result.inputs.append(
            InputSummary(
                path=str(given),
                sha256=hashlib.sha256(raw).hexdigest(),
                records=collector.count,
                evaluated=collector.count - collector.rejected,
                rejected=collector.rejected,
            )
        )
    return result
