"""A list of dicts straight into the columnar engine's frames, with the dict intake's verdicts.

Dicts whose keys name fields of one kind and whose values are plain scalars
(text, whole numbers, Decimal objects, True/False, None where the field may be
None) are typed in columns as JSON records are (inputs/json_direct.py); every
other item (a float, NaN, a model, an amount in office words, a nested value,
an unknown key) is read by the dict intake (checking/coerce.py) alone, so its
rejection or acceptance is the intake's. Repeated ids are rejected across both,
the first kept, in the intake's words; positions count from 0 and rejections
name IN_MEMORY, as the intake does.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from sw_policy.checking.coerce import _ALIASED, IN_MEMORY, _from_items
from sw_policy.engines.columnar.objects import collector_paused
from sw_policy.findings import Rejected
from sw_policy.inputs.csv_direct import _duplicates, _merge, _numbered, _pieces, _without
from sw_policy.inputs.csv_direct_cells import ORDER
from sw_policy.inputs.direct_read import FileRead
from sw_policy.inputs.frames import RecordFrames
from sw_policy.inputs.json_direct import _grouped, _typed
from sw_policy.inputs.readers import LocatedRecord

__all__ = ["frames_of_dicts"]


def frames_of_dicts(
    records: list[Any], kind: str | None
) -> tuple[RecordFrames, tuple[Rejected, ...]]:
    """`records` as frames and the rejections, as intake + frame_from_records give them."""
    with collector_paused():  # a tracked pair per record, all alive till the typing ends
        items = list(enumerate(records))
        groups, slow = _grouped(items, kind)
        sizes: dict[str, int] = {}
        for (group_kind, _), (positions, _) in groups.items():
            sizes[group_kind] = sizes.get(group_kind, 0) + len(positions)
        fast_kind = max(sizes, key=sizes.__getitem__) if sizes else None
        frame = None
        scales: dict[str, int] = {}
        for (group_kind, _), (positions, _) in groups.items():
            if group_kind != fast_kind:
                slow += positions
        if fast_kind is not None:
            mine = [(pairs, group) for (k, pairs), group in groups.items() if k == fast_kind]
            typed, scales, other = _typed(mine, items, fast_kind, _ALIASED)
            slow += other
            frame = typed.select(
                pl.col(ORDER),
                pl.lit(None, pl.String).alias("__path"),
                pl.lit(None, pl.String).alias("__sheet"),
                pl.lit(None, pl.Int64).alias("__line"),
                pl.exclude(ORDER),
            )
        del items, groups
    located: list[LocatedRecord] = []
    orders: list[int] = []
    rejected: list[tuple[int, Rejected]] = []
    for position in sorted(set(slow)):
        taken = _from_items([records[position]], kind)  # one item: no repeats to find
        for record, where in taken.records:
            located.append(LocatedRecord(record, where))
            orders.append(position)
        rejected += [(0, r.model_copy(update={"row": position})) for r in taken.rejected]
    read = FileRead(
        path=IN_MEMORY,
        sha256="",
        frame=frame,
        kind=fast_kind,
        scales=scales,
        records=located,
        orders=orders,
        rejected=[r for _, r in rejected],
        count=len(records),
    )
    files = [read]
    merged = {k: _merge(parts) for k, parts in _pieces(files).items()}
    duplicates = _duplicates(merged, files, rejected)
    merged = {k: (_without(p[0], duplicates), p[1], p[2], p[3]) for k, p in merged.items()}
    rejected.sort(key=lambda item: item[1].row)
    frames, total = _numbered(merged)
    return RecordFrames(frames, total), tuple(r for _, r in rejected)
