"""Reading record files: CSV, XLSX, Parquet, JSON (an array, one object, or JSON Lines).

A record that fails validation is rejected with its file, sheet, row, column,
id and one "field: reason" per problem, and reading goes on: every row read is
either a record or a rejection (records = evaluated + rejected). A file that
cannot be read at all (missing, undecodable, broken JSON array) is an
InputFileError.

Rows: in CSV and XLSX the spreadsheet row (title rows above the header count);
in a JSON array the element's position (1-based); in JSON Lines the line
number; in Parquet the record's position (1-based).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sw_policy.errors import InputFileError, RecordError
from sw_policy.findings import InputSummary, Location, Rejected, Skipped
from sw_policy.inputs import json_text
from sw_policy.inputs.aliases import kind_of_sheet
from sw_policy.inputs.csv_lines import LineLayout, csv_cells
from sw_policy.inputs.encodings import decode_text
from sw_policy.inputs.given_fields import ANY_KIND, given_of, note_given
from sw_policy.inputs.line_bounds import read_text_bytes
from sw_policy.inputs.office_values import office_mapping
from sw_policy.inputs.provenance import Duplicate, FirstReads, duplicate_reason
from sw_policy.inputs.row_kinds import is_note_sheet
from sw_policy.inputs.table_intake import TableIntake
from sw_policy.inputs.tabular import Header, TableRow, find_header
from sw_policy.limits import beyond, current_limits, read_bounded
from sw_policy.records import KINDS, MODEL_OF_KIND, Record, flat_columns

__all__ = ["LocatedRecord", "ReadResult", "infer_kind", "parse_record", "read_files"]


@functools.cache
def _record_adapter() -> TypeAdapter[Record]:
    """All five kinds' validator, for a record whose kind is missing or unknown."""
    return TypeAdapter(Record)


_COMMON_FIELDS = {"id", "jurisdiction", "as_of", "name", "kind"}
_JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
Progress = Callable[[int], None]


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
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)  # also among `rejected`


def _kind_fields(kind: str) -> set[str]:
    """The kind's fields, with a map field's flat columns (influential_orgs_by_field.elderly)."""
    return (set(MODEL_OF_KIND[kind].model_fields) | set(flat_columns(kind))) - _COMMON_FIELDS


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
        elif error["type"] == "enum" and isinstance(error.get("input"), str):
            expected = str(error.get("ctx", {}).get("expected", ""))
            text = f"{error['input']!r} is not one of {expected}"
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


def parse_record(
    data: Mapping[str, Any], kind: str | None = None, *, office_values: bool = True
) -> Record:
    """Validate one record given as a dict; `kind` is used when the dict has none.

    Returns Budget | Worker | Community | Institution | Region (narrow it with
    isinstance or `.kind`). Chinese keys and office values (本科, 是) are read as a
    spreadsheet's are, unless `office_values` is False (a table row, already read so).
    Raises RecordError with one "field: reason" string per problem, and TypeError when
    `data` is not a mapping at all.
    """
    if not isinstance(data, Mapping):
        hint = "; decode JSON text with json.loads first" if isinstance(data, str | bytes) else ""
        raise TypeError(f"data: expected a dict of field: value, got {type(data).__name__}{hint}")
    if office_values:
        data = office_mapping(dict(data))
    if "kind" not in data and kind is not None:
        data = {"kind": kind, **data}
    kind_given = data.get("kind")
    # A known kind validates with its own model (built on first use: a small check needs
    # one of five); the union gives the same record and errors, tagged with the kind.
    model = MODEL_OF_KIND.get(kind_given) if type(kind_given) is str else None
    try:
        if model is not None and type(data) is dict:
            return model.model_validate(data)  # type: ignore[return-value]
        return _record_adapter().validate_python(data)
    except ValidationError as exc:
        record_id = data.get("id")
        raise RecordError(
            _format_errors(exc, data.get("kind")),
            record_id=None if record_id is None else str(record_id),
        ) from None


class _Collector:
    """Validates rows of one file, tracking ids so a duplicate is rejected, not lost."""

    def __init__(
        self,
        result: ReadResult,
        path: str,
        first_reads: FirstReads,
        progress: Progress | None = None,
    ):
        self.result = result
        self.path = path
        self.first_reads = first_reads
        self.progress = progress
        self.count = 0
        self.rejected = 0
        self.max_rows = current_limits().rows
        self.skipped = 0
        self.unused: dict[str, None] = {}
        self.warnings: dict[str, None] = {}
        self.jurisdiction: str | None = None
        self.strict_columns = False
        self.given = given_of(path)  # fields a JSON record gives, per kind (given_fields)

    def _count(self) -> None:
        if self.count >= self.max_rows:
            raise beyond(self.path, f"more than {self.max_rows} rows", "rows")
        self.count += 1

    def skip(self, row: int, reason: str, text: str, *, sheet: str | None = None) -> None:
        """A row that is not a record (total, note, repeated header): listed, not counted."""
        self.skipped += 1
        self.result.skipped.append(
            Skipped(path=self.path, sheet=sheet, row=row, reason=reason, text=text)
        )

    def warn(self, text: str) -> None:
        self.warnings[text] = None

    def reject(
        self,
        row: int,
        record_id: Any,
        errors: list[str],
        *,
        sheet: str | None = None,
        column: str | None = None,
    ) -> None:
        self._count()
        self.rejected += 1
        rid = None if record_id in (None, "") else str(record_id)
        self.result.rejected.append(
            Rejected(
                path=self.path, sheet=sheet, row=row, column=column, id=rid, errors=tuple(errors)
            )
        )
        if self.progress:
            self.progress(1)

    def add(
        self,
        row: int,
        data: Any,
        kind: str | None,
        *,
        sheet: str | None = None,
        header: Header | None = None,
        earlier: list[str] | None = None,
        earlier_column: str | None = None,
    ) -> None:
        """Validate one row; `earlier` are problems found before validation (amounts)."""
        if not isinstance(data, dict):
            self.reject(row, None, [f"record: expected an object, got {type(data).__name__}"])
            return
        errors = list(earlier or [])
        column = earlier_column
        record_kind = data.get("kind", kind)
        if record_kind is None:
            self.reject(
                row,
                data.get("id"),
                [*errors, "kind: missing; add a kind field or column, or pass --kind"],
                sheet=sheet,
                column=column,
            )
            return
        try:
            record = parse_record(data, kind, office_values=header is None)
        except RecordError as exc:
            labelled, first = _label_errors(exc.errors, header)
            self.reject(row, data.get("id"), errors + labelled, sheet=sheet, column=column or first)
            return
        if errors:
            self.reject(row, record.id, errors, sheet=sheet, column=column)
            return
        if header is None and self.given is not None:  # a valid record, repeated id or not
            self.given.setdefault(record.kind, set()).update(record.model_fields_set)
        location = Location(path=self.path, sheet=sheet, row=row)
        first_at = self.first_reads.claim((record.kind, record.id), location)
        if first_at is not None:
            id_column = header.column_of("id") if header else None
            label = id_column.label() if id_column else "id"
            self.result.duplicates.append(
                Duplicate(record.kind, record.id, location, first_at, label)
            )
            self.reject(
                row,
                record.id,
                [duplicate_reason(record.kind, record.id, first_at, label)],
                sheet=sheet,
                column=id_column.header if id_column else None,
            )
            return
        self._count()
        self.result.records.append(LocatedRecord(record, location))
        if self.progress:
            self.progress(1)


def _label_errors(errors: list[str], header: Header | None) -> tuple[list[str], str | None]:
    """Name each error's column as the file writes it: "项目经费 (total_funds): ..."."""
    if header is None:
        return list(errors), None
    labelled, first = [], None
    for error in errors:
        name, sep, reason = error.partition(":")
        # A map entry's column is named in full (influential_orgs_by_field.elderly).
        column = (header.column_of(name) or header.column_of(name.split(".")[0])) if sep else None
        if column is None:
            labelled.append(error)
            continue
        first = first or column.header
        labelled.append(f"{column.label()}{name[len(column.field) :]}:{reason}")
    return labelled, first


def _read_bytes(path: Path, encoding: str | None = None) -> bytes:
    """A file's bytes, bounded; CSV and JSON Lines refused as soon as a line is too long."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv" or suffix in _JSON_SUFFIXES:
            return read_text_bytes(path, encoding, arrays_exempt=suffix != ".csv")
        return read_bounded(path)
    except FileNotFoundError:
        raise InputFileError(path, "file not found") from None
    except IsADirectoryError:
        raise InputFileError(path, "is a directory, not a file") from None
    except OSError as exc:
        raise InputFileError(path, f"cannot be read ({exc.strerror})") from None


def _decode(path: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    try:
        return decode_text(raw, encoding)
    except ValueError as exc:
        raise InputFileError(path, str(exc)) from None


def _warn_lines(collector: _Collector, warning: str | None) -> None:
    if warning is not None:
        collector.warn(warning)


def _json_rows(path: Path, text: str, blank: list[int] | None = None) -> Iterator[tuple[int, Any]]:
    """(row, decoded value) of a JSON document or of each JSON Lines line; blank lines
    of JSON Lines are listed in `blank` (the final line break ends a line, makes none)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json_text.loads(text)
        except json.JSONDecodeError as exc:
            raise InputFileError(
                path, f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
        except json_text.TooDeepError as exc:
            raise beyond(path, str(exc), "json_depth") from None
        except ValueError as exc:
            raise InputFileError(path, f"not readable JSON: {exc}") from None
        if not isinstance(items, list):
            raise InputFileError(path, "expected a JSON array of records")
        yield from enumerate(items, start=1)
        return
    if stripped.startswith("{"):
        try:  # one record, possibly spread over several lines
            single = json_text.loads(text)
        except ValueError:
            pass  # JSON Lines: one object per line, read below
        else:
            yield 1, single
            return
    line_limit = current_limits().line_chars
    for number, line in json_text.physical_lines(text.removesuffix("\n")):
        if not line.strip():
            if blank is not None:
                blank.append(number)
            continue
        if len(line) > line_limit:
            raise beyond(path, f"line {number} is {len(line)} characters long", "line_chars")
        try:
            yield number, json_text.loads(line)
        except json.JSONDecodeError as exc:
            yield number, _BadLine(f"line: not valid JSON ({exc.msg}, column {exc.colno})")
        except json_text.TooDeepError as exc:
            yield number, _BadLine(f"line: {exc} (limit json_depth; raise it with --limit)")
        except ValueError as exc:
            yield number, _BadLine(f"line: not readable JSON ({exc})")


@dataclass(frozen=True)
class _BadLine:
    reason: str


def _read_json(collector: _Collector, path: Path, text: str, kind: str | None) -> None:
    blank: list[int] = []
    _read_json_rows(collector, path, text, kind, blank)
    _warn_lines(collector, LineLayout(blank=blank).warning())


def _read_json_rows(
    collector: _Collector, path: Path, text: str, kind: str | None, blank: list[int]
) -> None:
    for row, data in _json_rows(path, text, blank):
        _read_json_item(collector, row, data, kind)


def _read_json_item(collector: _Collector, row: int, data: Any, kind: str | None) -> None:
    """One decoded JSON value (or unreadable line) of a JSON file: a record or a rejection."""
    if isinstance(data, _BadLine):
        collector.reject(row, None, [data.reason])
        return
    repeated = json_text.duplicate_keys(data) + json_text.long_strings(data)
    if repeated:
        record_id = data.get("id") if isinstance(data, dict) else None
        if isinstance(record_id, str):
            record_id = json_text.shown(record_id)
        collector.reject(row, record_id, repeated)
        return
    row_kind = kind
    if row_kind is None and isinstance(data, dict) and "kind" not in data:
        row_kind = infer_kind(set(data))
    collector.add(row, data, row_kind)


def _read_table(
    collector: _Collector,
    path: Path,
    rows: Iterable[tuple[int, list[str | None]]],
    kind: str | None,
    *,
    sheet: str | None = None,
    broken: dict[int, str] | None = None,
) -> None:
    """Read one CSV or sheet: header row found, kind from --kind, sheet name or columns.

    `broken` holds rows (by number) the splitter could not take as read, with why.
    """
    stream = iter(rows)
    where = f"sheet {sheet!r}: " if sheet else ""
    try:
        header, pending = find_header(stream, strict=collector.strict_columns)
    except ValueError as exc:
        raise InputFileError(path, f"{where}{exc}") from None
    if header is None:
        return
    known = header.fields & (set().union(*map(_kind_fields, KINDS)) | _COMMON_FIELDS)
    if sheet is not None and not known and is_note_sheet(sheet):
        collector.skip(header.row, "note", sheet, sheet=sheet)  # a 填表说明 sheet
        return
    if sheet is None and not known:  # a CSV or a frame without its header row
        raise InputFileError(  # its cells are not quoted: they may be a person's data
            path,
            f"no header row naming known columns in its first rows (first non-blank row "
            f"{header.row}); a table needs one, such as id,jurisdiction,total_funds",
        )
    if sheet is not None and not known:
        collector.reject(
            header.row,
            None,
            [
                f"sheet: no header row naming known columns in its first rows "
                f"(first non-blank row {header.row}); sheet not read"
            ],
            sheet=sheet,
        )
        return
    note_given(collector.path, ANY_KIND, header.fields)
    file_kind = kind or (kind_of_sheet(sheet) if sheet else None) or infer_kind(header.fields)
    if file_kind is None and "kind" not in header.fields:
        raise InputFileError(
            path,
            f"{where}cannot tell which kind of record the columns describe; "
            "add a kind column or pass --kind",
        )
    intake = TableIntake(collector, path, header, sheet)
    for number, cells in itertools.chain(pending, stream):
        row = intake.row(number, cells)
        if row is None:
            continue
        if broken and row.row in broken:
            collector.reject(row.row, None, [broken.pop(row.row)], sheet=sheet)
            continue
        _add_table_row(collector, row, file_kind, header, sheet)
    intake.close()


def _add_table_row(
    collector: _Collector, row: TableRow, kind: str | None, header: Header, sheet: str | None
) -> None:
    if row.errors and not row.data:
        collector.reject(row.row, None, row.errors, sheet=sheet, column=row.error_column)
        return
    collector.add(
        row.row,
        row.data,
        kind,
        sheet=sheet,
        header=header,
        earlier=row.errors,
        earlier_column=row.error_column,
    )


Reader = Callable[[_Collector, Path, bytes, str | None, str | None], str | None]
"""Reads one file's rows into the collector: (collector, path, bytes, kind, encoding)
-> the text encoding used (None for a binary format)."""


def _csv_reader(
    collector: _Collector, path: Path, raw: bytes, kind: str | None, encoding: str | None
) -> str | None:
    text, used = _decode(path, raw, encoding)
    broken: dict[int, str] = {}
    layout = LineLayout()
    rows = csv_cells(path, text, broken, layout)
    _read_table(collector, path, rows, kind, broken=broken)
    _warn_lines(collector, layout.warning())
    return used


def _json_reader(
    collector: _Collector, path: Path, raw: bytes, kind: str | None, encoding: str | None
) -> str | None:
    text, used = _decode(path, raw, encoding)
    _read_json(collector, path, text, kind)
    return used


def _xlsx_reader(
    collector: _Collector, path: Path, raw: bytes, kind: str | None, encoding: str | None
) -> str | None:
    from sw_policy.inputs.xlsx import workbook_sheets  # noqa: PLC0415

    for sheet, rows in workbook_sheets(path):
        _read_table(collector, path, rows, kind, sheet=sheet)
    return None


def _parquet_reader(
    collector: _Collector, path: Path, raw: bytes, kind: str | None, encoding: str | None
) -> str | None:
    from sw_policy.inputs.parquet import parquet_rows  # noqa: PLC0415

    _read_table(collector, path, parquet_rows(path), kind)
    return None


READERS: dict[str, Reader] = {
    ".csv": _csv_reader,
    **dict.fromkeys(sorted(_JSON_SUFFIXES), _json_reader),
    **dict.fromkeys(sorted(_XLSX_SUFFIXES), _xlsx_reader),
    ".parquet": _parquet_reader,
}
"""The one table from file type (suffix) to reader. The columnar engine's direct CSV
reader (inputs.csv_direct) is a faster strategy for plain CSV in front of this table,
with the same rows, rejections and duplicate-id policy (inputs.provenance)."""


def read_files(
    paths: list[Path | str],
    *,
    kind: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    strict_columns: bool = False,
    jurisdiction: str | None = None,
) -> ReadResult:
    """Read every file; the format is chosen by extension.

    .csv (UTF-8 or GB18030/GBK, detected unless `encoding` is given), .xlsx (every
    sheet), .parquet, .json/.jsonl/.ndjson. `progress`, if given, is called with 1
    for each row read. An id read twice is rejected after its first (inputs.provenance).
    """
    result = ReadResult()
    first_reads = FirstReads()
    for given in paths:
        read_file(
            result,
            given,
            first_reads,
            kind=kind,
            encoding=encoding,
            progress=progress,
            strict_columns=strict_columns,
            jurisdiction=jurisdiction,
        )
    return result


def read_file(
    result: ReadResult,
    given: Path | str,
    first_reads: FirstReads,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
    strict_columns: bool = False,
    jurisdiction: str | None = None,
) -> None:
    """One file into `result` by its reader in READERS; `first_reads` is the reading's
    duplicate-id policy, shared with every file and strategy of the same reading."""
    path = Path(given)
    raw = _read_bytes(path, encoding)
    suffix = path.suffix.lower()
    collector = _Collector(result, str(given), first_reads, progress)
    collector.strict_columns = strict_columns
    collector.jurisdiction = jurisdiction
    reader = READERS.get(suffix)
    if reader is None:
        raise InputFileError(
            path,
            f"unknown format {suffix or '(no extension)'}; "
            "use .csv, .xlsx, .parquet, .json or .jsonl",
        )
    used = reader(collector, path, raw, kind, encoding)
    result.inputs.append(
        InputSummary(
            path=str(given),
            sha256=hashlib.sha256(raw).hexdigest(),
            records=collector.count,
            evaluated=collector.count - collector.rejected,
            rejected=collector.rejected,
            encoding=used,
            skipped=collector.skipped,
            unused_columns=tuple(collector.unused),
            warnings=tuple(collector.warnings),
        )
    )
