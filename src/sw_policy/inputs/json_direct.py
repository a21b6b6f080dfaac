"""A JSON or JSON Lines file of records straight into columns, with the row reader's verdicts.

The text is parsed as the row reader parses it (inputs.json_text, through
readers._json_rows: same errors, same rows). Records whose keys name fields of
one kind and whose values are plain scalars (text, whole numbers, JSON decimals,
true/false, null where the field may be null) become text cells, the way a
CSV's are, and are split by inputs.csv_direct_plain: a cell in plain form is
typed by Polars expressions, with no model object per record. Every other
record (nested values, unknown or Chinese keys with a unit, blank text, a value
in any other form) is read by the row reader's own code for one JSON item, so
its rejection, or its acceptance, is exactly the row reader's. A value that
means something else as JSON than as a cell (0 for a date, 1 for a yes/no, ""
for an amount) never counts as plain.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from sw_policy.findings import InputSummary
from sw_policy.inputs.aliases import active_tables, canonical_value
from sw_policy.inputs.csv_direct_cells import ORDER, SKIP
from sw_policy.inputs.csv_direct_plain import split_plain
from sw_policy.inputs.csv_lines import LineLayout
from sw_policy.inputs.direct_read import FileRead, located, sha256_meanwhile
from sw_policy.inputs.frames import field_types, vocabulary
from sw_policy.inputs.given_fields import given_of
from sw_policy.inputs.headers import read_header
from sw_policy.inputs.provenance import FirstReads
from sw_policy.inputs.readers import (
    ReadResult,
    _Collector,
    _decode,
    _json_rows,
    _read_bytes,
    _read_json_item,
    infer_kind,
)
from sw_policy.limits import beyond, current_limits
from sw_policy.records import KINDS, MODEL_OF_KIND

__all__ = ["JSON_SUFFIXES", "read_json_direct"]

JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_BAD = object()  # a value the plain route does not read: the record goes to the row reader
_Plan = tuple[str, tuple[tuple[str, str], ...]] | None  # (kind, (key, column) ...) or row reader


def read_json_direct(given: str, kind: str | None, encoding: str | None) -> FileRead | None:
    """A JSON file read into columns (plain records) and by the row reader (the others);
    None when the file is better left to the row readers whole."""
    path = Path(given)
    raw = _read_bytes(path, encoding)
    sha256 = sha256_meanwhile(raw)
    text, used = _decode(path, raw, encoding)
    if _SURROGATE_ESCAPE.search(text):
        sha256()
        return None  # "\ud800" is no text: the row reader rejects it, Polars could not hold it
    blank: list[int] = []
    items = _items(given, path, text, blank)
    groups, slow = _grouped(items, kind)
    by_kind: dict[str, int] = {}
    for (group_kind, _), (positions, _) in groups.items():
        by_kind[group_kind] = by_kind.get(group_kind, 0) + len(positions)
    fast_kind = max(by_kind, key=by_kind.__getitem__) if by_kind else None
    for (group_kind, _), (positions, _) in groups.items():
        if group_kind != fast_kind:
            slow += positions
    typed: pl.DataFrame | None = None
    scales: dict[str, int] = {}
    if fast_kind is not None:
        mine = [(pairs, group) for (k, pairs), group in groups.items() if k == fast_kind]
        typed, scales, other = _typed(mine, items, fast_kind)
        slow += other
        _note_given(given, fast_kind, mine, items, typed)
    records, orders, rejected, count, duplicates = _read_slowly(
        [items[at] for at in sorted(set(slow))], given, kind
    )
    frame = None
    if typed is not None:
        frame = located(typed, given)
    total = (0 if typed is None else typed.height) + count
    warning = LineLayout(blank=blank).warning()
    digest = sha256()
    return FileRead(
        path=given,
        sha256=digest,
        frame=frame,
        kind=fast_kind,
        scales=scales,
        records=records,
        orders=orders,
        rejected=rejected,
        count=total,
        encoding=used,
        summary=InputSummary(
            path=given,
            sha256=digest,
            records=total,
            evaluated=total,
            rejected=0,
            warnings=(warning,) if warning else (),
        ),
        duplicates=duplicates,
    )


def _note_given(
    given: str,
    kind: str,
    groups: list[tuple[tuple[tuple[str, str], ...], tuple[list[int], list[dict[str, Any]]]]],
    items: list[tuple[int, Any]],
    typed: pl.DataFrame,
) -> None:
    """The fields the typed records give, as the row reader notes each record's (the
    others are read by it, and noted there): a group's keys, if one of its records is
    typed."""
    notes = given_of(given)
    if notes is None:
        return
    typed_rows = set(typed[ORDER].to_list())
    for pairs, (positions, _) in groups:
        if any(items[at][0] in typed_rows for at in positions):
            notes.setdefault(kind, set()).update(column for _, column in pairs)


def _items(given: str, path: Path, text: str, blank: list[int]) -> list[tuple[int, Any]]:
    """Every (row, value) the row reader would read, refused at the same row limit."""
    limit = current_limits().rows
    items: list[tuple[int, Any]] = []
    for item in _json_rows(path, text, blank):
        if len(items) >= limit:  # the row reader counts every item, record or rejection
            raise beyond(given, f"more than {limit} rows", "rows")
        items.append(item)
    return items


_Groups = dict[tuple[str, tuple[tuple[str, str], ...]], tuple[list[int], list[dict[str, Any]]]]


def _grouped(items: list[tuple[int, Any]], kind: str | None) -> tuple[_Groups, list[int]]:
    """Objects grouped by how their keys become columns (the plan, worked out once per
    set of keys), and the positions of the items only the row reader reads."""
    plans: dict[tuple[Any, ...], _Plan] = {}
    groups: _Groups = {}
    slow: list[int] = []
    for at, (_, data) in enumerate(items):
        if type(data) is dict:  # not a list, a scalar, or an object with a key given twice
            given_kind = data.get("kind")
            if given_kind is None or type(given_kind) is str:
                key = (given_kind, *data)
                plan = plans.get(key)
                if plan is None and key not in plans:
                    plan = plans[key] = _new_plan(list(data), given_kind, kind)
                if plan is not None:
                    group = groups.get(plan)
                    if group is None:
                        group = groups[plan] = ([], [])
                    group[0].append(at)
                    group[1].append(data)
                    continue
        slow.append(at)
    return groups, slow


def _new_plan(keys: list[str], given_kind: str | None, kind: str | None) -> _Plan:
    if "kind" in keys:
        if given_kind is None:
            return None
        record_kind: str | None = canonical_value("kind", given_kind)
    else:
        record_kind = kind or infer_kind(set(keys))
    if record_kind not in KINDS:
        return None
    assert record_kind is not None
    allowed = _columns_of(record_kind)
    pairs: list[tuple[str, str]] = []
    for key in keys:
        if type(key) is not str:
            return None  # a dict from Python may have any key
        if key == "kind":
            continue
        column: str | None = key
        if not key.isascii():  # as office_mapping reads it: a header's words
            reading = read_header(key)
            if reading.field is None and (reading.personal or reading.ignored):
                continue  # never copied
            column = reading.field if reading.scale == 1 else None
        if column not in allowed:
            return None
        pairs.append((key, column))
    columns = [c for _, c in pairs]
    if len(set(columns)) != len(columns):
        return None  # two keys for one field: validation says which
    return record_kind, tuple(pairs)


def _columns_of(kind: str) -> frozenset[str]:
    """Fields a plain record may give: the model's scalar fields, and a map's entries as
    flat files name them (influential_orgs_by_field.elderly), which the model also reads."""
    return frozenset(n for n, t in field_types(kind).items() if t != "training")


def _typed(
    groups: list[tuple[tuple[tuple[str, str], ...], tuple[list[int], list[dict[str, Any]]]]],
    items: list[tuple[int, Any]],
    kind: str,
    aliased: frozenset[str] | None = None,
) -> tuple[pl.DataFrame, dict[str, int], list[int]]:
    """The plain records of one kind typed; the positions (in `items`) of the others.

    `aliased`: the fields whose text is put in the contract's spelling (default: every
    field the vocabulary has words for, as office_mapping does)."""
    types = field_types(kind)
    parts = []
    for pairs, (positions, dicts) in groups:
        data: dict[str, Any] = {
            "__at": pl.Series(positions, dtype=pl.Int64),
            ORDER: pl.Series([items[at][0] for at in positions], dtype=pl.Int64),
        }
        bad = [False] * len(positions)
        for key, column in pairs:
            values = list(map(operator.itemgetter(key), dicts))
            texts = _texts(values, kind, column, types[column], bad, aliased=aliased)
            data[column] = pl.Series(texts, dtype=pl.String)
        data[SKIP] = pl.Series(bad, dtype=pl.Boolean)
        parts.append(pl.DataFrame(data))
    cells = pl.concat(parts, how="diagonal") if len(parts) > 1 else parts[0]
    columns = [c for c in cells.columns if c not in {"__at", ORDER, SKIP}]
    cells = cells.with_columns(pl.col(SKIP) | _unreadable(columns)).sort(ORDER)
    split = split_plain(cells.drop("__at"), columns, kind)
    others = cells.filter(~pl.col(ORDER).is_in(split.typed[ORDER].implode()))["__at"].to_list()
    return split.typed, split.scales, others


def _unreadable(columns: list[str]) -> pl.Expr:
    """Text the row reader reads otherwise than a cell: blank (a cell's blank is unknown, a
    JSON "" is not), or longer than the cell_chars limit (rejected whole)."""
    limit = current_limits().cell_chars
    checks = [
        (pl.col(c).str.strip_chars() == "") | (pl.col(c).str.len_chars() > limit) for c in columns
    ]
    return pl.any_horizontal(checks).fill_null(False) if checks else pl.lit(False)


def _texts(
    values: list[Any],
    kind: str,
    column: str,
    ftype: str,
    bad: list[bool],
    *,
    aliased: frozenset[str] | None = None,
) -> list[Any]:
    """A column's values as cell text; a value not read so marks its record in `bad`."""
    words = aliased is None or column in aliased
    table = active_tables().value_of.get(column) if words else None
    if table is None and set(map(type, values)) == {str}:
        return values
    convert = _converter(kind, column, ftype, words=table is not None)
    out: list[Any] = []
    for i, value in enumerate(values):
        text = convert(value)
        if text is _BAD:
            bad[i] = True
            text = None
        out.append(text)
    return out


def _converter(kind: str, column: str, ftype: str, *, words: bool) -> Callable[[Any], Any]:
    """value -> cell text (None = blank), or _BAD, for one field (`words`: office words
    put in the contract's spelling)."""
    info = MODEL_OF_KIND[kind].model_fields.get(column)  # None: a map's entry
    nullable = info is not None and info.default is None and not info.is_required()
    cache: dict[str, str] = {}
    by_type: dict[type, Callable[[Any], Any]] = {
        str: (lambda v: _office_word(column, v, cache)) if words else (lambda v: v)
    }
    if ftype == "decimal":
        by_type[int] = str
        by_type[Decimal] = str
    elif ftype == "int":
        by_type[int] = str
    elif ftype == "bool":
        by_type[bool] = lambda v: "true" if v else "false"
    elif ftype == "text" and vocabulary(kind, column) is None:
        by_type[int] = str  # read as text (coerce_numbers_to_str), as the model does
    if nullable:
        by_type[type(None)] = lambda v: None

    def convert(value: Any) -> Any:
        step = by_type.get(type(value))
        return _BAD if step is None else step(value)

    return convert


def _office_word(column: str, value: str, words: dict[str, str]) -> str:
    """The contract's spelling of `value`, as office_mapping gives it (cached per value)."""
    found = words.get(value)
    if found is None:
        found = words[value] = canonical_value(column, value)
    return found


def _read_slowly(
    items: list[tuple[int, Any]], given: str, kind: str | None
) -> tuple[list[Any], list[int], list[Any], int, list[Any]]:
    """Items read by the row reader's own code for one JSON item (same text, same rows)."""
    if not items:
        return [], [], [], 0, []
    result = ReadResult()
    collector = _Collector(result, given, FirstReads())  # this file's slow items alone
    for row, data in items:
        _read_json_item(collector, row, data, kind)
    orders = [r.location.row if r.location else 0 for r in result.records]
    return result.records, orders, result.rejected, collector.count, result.duplicates
