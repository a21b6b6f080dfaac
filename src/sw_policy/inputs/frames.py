"""Records as columns: one Polars DataFrame per record kind, ready for the columnar engine.

Conventions the compiler (engines/columnar/expressions.py) relies on:
- `__row` is the record's position in the input (findings are ordered by it),
  `__path`/`__sheet`/`__line` its location (null when built in Python);
- `id`, `jurisdiction` text, `as_of` a Date (null = the run's as-of);
- a Decimal field `f` is an Int64/Int128 column of exact integers scaled by
  10**scales[f], with `f__text` holding the value as the row engine prints it
  (str(Decimal)); integers are Int64, booleans Boolean, vocabularies text;
- a map of counts (region.influential_orgs_by_field) is one Int64 column per key,
  named as flat files name it (`influential_orgs_by_field.elderly`), null = unknown;
- a worker's training sessions live in a separate long frame (`__row`, `date`,
  `hours` scaled by 10**session_scale, `hours_places` = decimals of the value),
  and `__has_training` says whether the record carried a list at all.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

import polars as pl

from sw_policy.errors import ColumnarInputError
from sw_policy.inputs.readers import LocatedRecord
from sw_policy.records import MODEL_OF_KIND, flat_columns

__all__ = [
    "MAX_SCALE",
    "ColumnarInputError",
    "KindFrame",
    "RecordFrames",
    "field_types",
    "frame_from_records",
    "vocabulary",
]

MAX_SCALE = 9
"""Most decimal places a money or hours value may have in the columnar engine."""

_LIMIT = 10**30  # scaled integers stay far below Int128's range after cross-multiplying


FieldType = str  # "decimal" | "int" | "bool" | "text" | "date" | "training"


def field_types(kind: str) -> dict[str, FieldType]:
    """Each field of a record kind and how it is held in columns."""
    return dict(_field_types(kind))


@functools.cache
def _field_types(kind: str) -> tuple[tuple[str, FieldType], ...]:
    """field_types, worked out from the model's type hints once per kind."""
    out: dict[str, FieldType] = {}
    hints = typing.get_type_hints(MODEL_OF_KIND[kind], include_extras=False)
    for name in MODEL_OF_KIND[kind].model_fields:
        if name == "kind":
            continue
        text = repr(hints[name])
        if name == "training":
            out[name] = "training"
        elif "dict[" in text:  # a map of counts: one Int64 column per key, as flat files write it
            for column, (field, _) in flat_columns(kind).items():
                if field == name:
                    out[column] = "int"
        elif "Decimal" in text:
            out[name] = "decimal"
        elif "bool" in text:
            out[name] = "bool"
        elif "datetime.date" in text:
            out[name] = "date"
        elif "int" in text:
            out[name] = "int"
        else:
            out[name] = "text"
    return tuple(out.items())


@functools.cache
def vocabulary(kind: str, name: str) -> tuple[str, ...] | None:
    """Every value a text field can hold, when its type is a vocabulary (an Enum).

    Validated records hold only these, so the compiler can decide text tests
    (membership, lookups) for each value once, when compiling, instead of per row.
    """
    hint = typing.get_type_hints(MODEL_OF_KIND[kind], include_extras=False).get(name)
    for member in typing.get_args(hint) or (hint,):
        if isinstance(member, type) and issubclass(member, Enum):
            return tuple(str(m.value) for m in member)
    return None


@dataclass(frozen=True)
class KindFrame:
    """The records of one kind, as columns."""

    kind: str
    df: pl.DataFrame
    scales: dict[str, int]
    sessions: pl.DataFrame | None = None
    session_scale: int = 0


@dataclass(frozen=True)
class RecordFrames:
    """Every record read, by kind, with `__row` numbering them in input order."""

    frames: dict[str, KindFrame]
    count: int


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _scaled(values: Sequence[Decimal | None], field: str) -> tuple[list[int | None], int]:
    scale = max((_places(v) for v in values if v is not None), default=0)
    if scale > MAX_SCALE:
        raise ColumnarInputError(
            f"{field}: more than {MAX_SCALE} decimal places; use --engine row for this input"
        )
    out: list[int | None] = []
    for v in values:
        if v is None:
            out.append(None)
            continue
        n = int(v.scaleb(scale))
        if abs(n) >= _LIMIT:
            raise ColumnarInputError(f"{field}: {v} is too large for the columnar engine")
        out.append(n)
    return out, scale


def frame_from_records(located: Iterable[LocatedRecord | Any]) -> RecordFrames:
    """Columns from validated records (any reader's output), keeping their order and location."""
    by_kind: dict[str, list[tuple[int, Any, Any]]] = {}
    count = 0
    for index, item in enumerate(located):
        count += 1
        entry = item if isinstance(item, LocatedRecord) else LocatedRecord(item, None)
        by_kind.setdefault(entry.record.kind, []).append((index, entry.record, entry.location))
    frames: dict[str, KindFrame] = {}
    for kind, rows in by_kind.items():
        types = field_types(kind)
        data: dict[str, Any] = {
            "__row": pl.Series([r[0] for r in rows], dtype=pl.Int64),
            "__path": pl.Series([loc.path if loc else None for _, _, loc in rows], dtype=pl.String),
            "__sheet": pl.Series(
                [loc.sheet if loc else None for _, _, loc in rows], dtype=pl.String
            ),
            "__line": pl.Series([loc.row if loc else None for _, _, loc in rows], dtype=pl.Int64),
        }
        scales: dict[str, int] = {}
        sessions = None
        session_scale = 0
        flat = flat_columns(kind)
        for name, ftype in types.items():
            if name in flat:
                values = [_entry_of(r, *flat[name]) for _, r, _ in rows]
            else:
                values = [getattr(r, name) for _, r, _ in rows]
            if ftype == "decimal":
                ints, scale = _scaled(values, name)
                scales[name] = scale
                data[name] = pl.Series(ints, dtype=pl.Int128)
                data[f"{name}__text"] = pl.Series(
                    [None if v is None else str(v) for v in values], dtype=pl.String
                )
            elif ftype == "int":
                data[name] = pl.Series(values, dtype=pl.Int64)
            elif ftype == "bool":
                data[name] = pl.Series(values, dtype=pl.Boolean)
            elif ftype == "date":
                data[name] = pl.Series(values, dtype=pl.Date)
            elif ftype == "text":
                data[name] = pl.Series(
                    [v.value if isinstance(v, Enum) else v for v in values], dtype=pl.String
                )
            else:  # training
                data["__has_training"] = pl.Series([v is not None for v in values])
                sessions, session_scale = _sessions(rows)
        frames[kind] = KindFrame(kind, pl.DataFrame(data), scales, sessions, session_scale)
    return RecordFrames(frames, count)


def _entry_of(record: Any, name: str, key: str) -> Any:
    """One entry of a record's map field (None when the map or the entry is absent)."""
    entries = getattr(record, name, None)
    return None if entries is None else entries.get(key)


def _sessions(rows: list[tuple[int, Any, Any]]) -> tuple[pl.DataFrame, int]:
    owners: list[int] = []
    dates: list[dt.date] = []
    hours: list[Decimal] = []
    for index, record, _ in rows:
        for s in record.training or ():
            owners.append(index)
            dates.append(s.date)
            hours.append(s.hours)
    ints, scale = _scaled(hours, "training.hours")
    frame = pl.DataFrame(
        {
            "__row": pl.Series(owners, dtype=pl.Int64),
            "date": pl.Series(dates, dtype=pl.Date),
            "hours": pl.Series(ints, dtype=pl.Int128),
            "hours_places": pl.Series([_places(h) for h in hours], dtype=pl.Int64),
        }
    )
    return frame, scale
