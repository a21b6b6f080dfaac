"""Records as callers hold them, made into the validated models the engines read.

A system that imports sw_policy has models, dicts decoded from JSON (with
Chinese keys or values, as an office types them), generators of either, or a
table: a Polars or pandas DataFrame or a PyArrow table. Each is read the way
the CLI reads the file it resembles: a dict as a JSON record, a table as a
sheet (header aliases, amounts such as "12.5万", blank = unknown). An invalid
record or a repeated id is a `Rejected` with its position, never an exception
half-way and never a silent drop. Anything that is not records at all is a
TypeError naming what was given.

Positions: a rejection's `path` is IN_MEMORY and its `row` the record's
position in what was given, counting from 0 (so `records[row]`, `df.row(row)`,
`pandas_df.iloc[row]` is the record). Findings of in-memory records carry no
location; join them back on `record_id`, unique per kind once repeats are
rejected.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from pydantic import BaseModel

from sw_policy.errors import InputFileError, RecordError, UsageError
from sw_policy.findings import Location, Rejected
from sw_policy.inputs.aliases import (
    BOOL_FIELDS,
    MONEY_FIELDS,
    VALUE_ALIASES,
    VocabularyTables,
    active_tables,
    canonical_field,
    canonical_value,
)
from sw_policy.inputs.amounts import parse_amount, scaled
from sw_policy.inputs.headers import read_header
from sw_policy.inputs.provenance import FirstReads
from sw_policy.inputs.readers import (
    LocatedRecord,
    ReadResult,
    _Collector,
    _read_table,
    infer_kind,
    parse_record,
)
from sw_policy.records import KINDS, MODEL_OF_KIND

__all__ = [
    "IN_MEMORY",
    "Intake",
    "as_of_date",
    "frame_module",
    "intake",
    "record_from_dict",
    "require_paths",
]


IN_MEMORY = "<records>"
"""The `path` of a rejection of a record given in Python rather than read from a file."""

_ALIASED = frozenset(VALUE_ALIASES) | BOOL_FIELDS | {"jurisdiction", "as_of"}  # 上城区, 2024/6/30
_RECORD_TYPES = tuple(MODEL_OF_KIND.values())
_WHAT = "records (an iterable of models or dicts, or a Polars/pandas DataFrame or PyArrow table)"


def as_of_date(value: object, argument: str = "as_of") -> dt.date | None:
    """A date from a date, a datetime (its date) or ISO text (YYYY-MM-DD); None stays None.

    Text that is not a date is a UsageError; any other type a TypeError naming `argument`.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise UsageError(
                f"{argument}: {value!r} is not a date; write YYYY-MM-DD such as 2024-06-30"
            ) from None
    raise TypeError(
        f"{argument}: expected a date, a datetime or ISO date text (YYYY-MM-DD), "
        f"got {type(value).__name__}"
    )


def require_paths(paths: object, argument: str = "paths") -> list[Path | str]:
    """`paths` as a list, refusing one path given bare (a str would be read letter by letter)."""
    if isinstance(paths, str | bytes | PurePath):
        raise TypeError(
            f"{argument}: expected a list of file paths, got one {type(paths).__name__} "
            f"({str(paths)[:60]!r}); write [{str(paths)[:60]!r}]"
        )
    if not isinstance(paths, Iterable):
        raise TypeError(f"{argument}: expected a list of file paths, got {type(paths).__name__}")
    out: list[Path | str] = []
    for item in paths:
        if not isinstance(item, str | PurePath):
            raise TypeError(
                f"{argument}: expected file paths (str or Path), got an item of type "
                f"{type(item).__name__}"
            )
        out.append(item if isinstance(item, str | Path) else Path(item))  # subclasses kept
    return out


def check_kind(kind: object) -> str | None:
    """`kind=` checked: None or one of the record kinds."""
    if kind is None:
        return None
    if not isinstance(kind, str):
        raise TypeError(f"kind: expected one of {', '.join(KINDS)}, got {type(kind).__name__}")
    if kind not in KINDS:
        raise UsageError(f"kind: {kind!r} is not a record kind; expected one of {', '.join(KINDS)}")
    return kind


def frame_module(value: object) -> str | None:
    """'polars', 'pandas' or 'pyarrow' when `value` is a table of one, else None.

    Decided by the type's module, so none of them is imported to ask.
    """
    module = type(value).__module__.split(".", 1)[0]
    if module == "polars" and type(value).__name__ == "DataFrame":
        return "polars"
    if module == "pandas" and type(value).__name__ == "DataFrame":
        return "pandas"
    if module == "pyarrow" and type(value).__name__ in {"Table", "RecordBatch"}:
        return "pyarrow"
    return None


@dataclass
class Intake:
    """What the given records became: validated records in order, and the rejections."""

    records: list[tuple[Any, Location | None]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


def intake(records: object, *, kind: str | None = None) -> Intake:
    """Validate whatever `records` holds; see the module docstring for what is accepted."""
    kind = check_kind(kind)
    module = frame_module(records)
    if module is not None:
        return _from_frame(records, module, kind)
    if isinstance(records, LocatedRecord):
        return Intake([(records.record, records.location)])
    if isinstance(records, BaseModel | Mapping):
        what = type(records).__name__
        raise TypeError(f"records: expected an iterable of records, got one {what}; pass [record]")
    if isinstance(records, str | bytes | PurePath):
        raise TypeError(
            f"records: expected {_WHAT}, got {type(records).__name__}; "
            "to check files use sw_policy.check_paths(rulebook, [path])"
        )
    if not isinstance(records, Iterable):
        raise TypeError(f"records: expected {_WHAT}, got {type(records).__name__}")
    return _from_items(records, kind)


def _from_items(items: Iterable[Any], kind: str | None) -> Intake:
    """Models pass as they are, dicts are read as JSON records; both checked for repeats.

    The row reader's rules and wording (inputs/readers.py's _Collector), without a
    Location per record: in-memory records have none.
    """
    out = Intake()
    rejected = out.rejected
    seen: dict[tuple[str, str], int] = {}
    append = out.records.append

    def reject(row: int, record_id: Any, errors: list[str], column: str | None = None) -> None:
        rid = None if record_id in (None, "") else str(record_id)
        rejected.append(
            Rejected(path=IN_MEMORY, row=row, column=column, id=rid, errors=tuple(errors))
        )

    for row, item in enumerate(items):
        record: Any
        is_dict = type(item) is dict
        if not is_dict and (type(item) in _RECORD_TYPES or isinstance(item, _RECORD_TYPES)):
            record = item
        elif not is_dict and isinstance(item, LocatedRecord):
            append((item.record, item.location))
            continue
        elif is_dict or isinstance(item, Mapping):
            data, errors, column = _canonical(item)
            row_kind = data.get("kind", kind)
            if row_kind is None:
                row_kind = infer_kind(set(data))
                if row_kind is None:
                    missing = "kind: missing; add a kind field, or pass kind="
                    reject(row, data.get("id"), [*errors, missing], column)
                    continue
            try:
                # _canonical did what office_mapping does, unless a key it did not know is left
                office = not "".join(data).isascii()
                record = parse_record(data, row_kind, office_values=office)
            except RecordError as exc:
                reject(row, data.get("id"), errors + exc.errors, column)
                continue
            if errors:
                reject(row, record.id, errors, column)
                continue
        else:
            reject(row, None, [f"record: expected an object, got {type(item).__name__}"])
            continue
        key = (record.kind, record.id)
        first = seen.get(key)
        if first is not None:
            where = f"{IN_MEMORY} row {first}"
            reject(
                row, record.id, [f"id: duplicate {record.kind} id {record.id!r} (first at {where})"]
            )
            continue
        seen[key] = row
        append((record, None))
    return out


_PLAIN_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


@functools.lru_cache(maxsize=4096)
def _value_of(field: str, value: str) -> str:
    """canonical_value, kept per pair: vocabulary values repeat from record to record."""
    return canonical_value(field, value)


def _blank(value: object) -> bool:
    """pandas' NaN/NaT/NA and float NaN are a blank cell: the value is unknown."""
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in {"NaTType", "NAType"}


def _field_of(key: str) -> str | None:
    """canonical_field, kept per key: a dict's keys repeat from record to record."""
    return _slot_in(key, active_tables())[0]


_MONEY, _ALIAS, _KEEP = 1, 2, 3


def _slot(name: str) -> tuple[str, int, int] | None:
    """Where a key's value goes (its field), how it is read and the unit its key names
    (项目经费（万元）: 10 000, as in a table header); None for an ignored column."""
    return _slot_in(name, active_tables())[1]


@functools.lru_cache(maxsize=1024)
def _slot_in(name: str, tables: VocabularyTables) -> tuple[str | None, tuple[str, int, int] | None]:
    """canonical_field and the slot of a key, kept per key and vocabulary (the bundled
    one, or an office's layered over it): a dict's keys repeat from record to record."""
    mapped = canonical_field(name)
    if mapped == "":
        return mapped, None  # a running number or remarks (序号, 备注)
    target = mapped or name
    how = _MONEY if target in MONEY_FIELDS else _ALIAS if target in _ALIASED else _KEEP
    scale = read_header(name).scale if how == _MONEY and not name.isascii() else 1
    return mapped, (target, how, scale)


def _canonical(item: Mapping[Any, Any]) -> tuple[dict[str, Any], list[str], str | None]:
    """A dict with Chinese keys and values in the contract's spelling; amounts parsed.

    Returns the data, problems found before validation (an amount that is not
    one) and the key of the first such problem. An amount becomes the Decimal
    the record will hold (what validating parse_amount's text gives), so it is
    parsed once; everything per key is looked up once per batch (`_slot`).
    """
    data: dict[str, Any] = {}
    errors: list[str] = []
    column: str | None = None
    for key, value in item.items():
        given = value
        is_text = type(given) is str or isinstance(given, str)
        if not is_text and _blank(given):
            continue
        slot = _slot(key if type(key) is str or isinstance(key, str) else str(key))
        if slot is None:
            continue
        target, how, scale = slot
        if how == _MONEY and scale != 1 and _is_number(given):
            given, is_text = (repr(given) if isinstance(given, float) else str(given)), True
        if is_text:
            if how == _MONEY:
                if _PLAIN_AMOUNT.fullmatch(given):
                    data[target] = scaled(Decimal(given), scale)  # parse_amount's result
                    continue
                try:
                    data[target] = parse_amount(given, scale=scale)
                except ValueError as exc:
                    name = key if isinstance(key, str) else str(key)
                    errors.append(f"{name}: {exc}")
                    column = column or name
                continue
            if how == _ALIAS:
                data[target] = _value_of(target, given)
                continue
        elif how == _MONEY and isinstance(given, float):
            data[target] = Decimal(repr(given))  # the figure as written, not the binary float
            continue
        data[target] = given
    return data, errors, column


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def record_from_dict(data: Mapping[Any, Any], kind: str | None = None) -> Any:
    """One dict read as a record of a list is (Chinese keys and values, amounts);
    RecordError when it does not validate."""
    canonical, errors, _ = _canonical(data)
    record = parse_record(canonical, kind)  # RecordError for fields that do not validate
    if errors:
        raise RecordError(errors, record_id=record.id)
    return record


def _from_frame(frame: Any, module: str, kind: str | None) -> Intake:
    """A table read as a sheet is: header aliases, amounts, blank = unknown."""
    import polars as pl  # noqa: PLC0415

    from sw_policy.inputs.frame_direct import as_polars, text_cells  # noqa: PLC0415

    df = as_polars(frame, module)
    nested = [n for n, t in df.schema.items() if isinstance(t, pl.List | pl.Struct | pl.Object)]
    if nested:  # a training list per row: each row read as a dict
        return _from_items(df.to_dicts(), kind)
    header = [str(n) for n in df.columns]
    if not any(read_header(name).field for name in header):
        raise UsageError(
            f"records: no column of the frame names a field (columns: {', '.join(header[:8])}"
            f"{', …' if len(header) > 8 else ''}); name them as the contract does (id, "
            "jurisdiction, total_funds, …) or as an office does (项目编号, 行政区划代码, …)"
        )
    text = text_cells(df)
    result = ReadResult()
    collector = _Collector(result, IN_MEMORY, FirstReads())
    rows: Iterator[tuple[int, list[str | None]]] = enumerate(list(r) for r in text.iter_rows())
    try:
        _read_table(collector, Path(IN_MEMORY), _with_header(header, rows), kind)
    except InputFileError as exc:
        raise UsageError(
            exc.reason.replace("pass --kind", "pass kind=").replace("keep one", "rename one")
        ) from None
    return Intake([(r.record, None) for r in result.records], result.rejected)


def _with_header(
    header: list[str], rows: Iterator[tuple[int, list[str | None]]]
) -> Iterator[tuple[int, list[str | None]]]:
    cells: list[str | None] = list(header)
    yield -1, cells
    yield from rows
