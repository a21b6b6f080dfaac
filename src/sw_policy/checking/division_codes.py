"""Division codes in the rows checked against the GB/T 2260 table, said once per file.

Both engines call `with_code_warnings` on what they read (records, or frames with
their `__path` and `jurisdiction` columns), so a code the table does not have, or
a retired one, is the same warning in every report, whatever engine or reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sw_policy.findings import InputSummary
from sw_policy.inputs.divisions import codes_warnings

__all__ = ["codes_by_path_of_frames", "codes_by_path_of_records", "with_code_warnings"]


def codes_by_path_of_records(located: Iterable[Any]) -> dict[str, set[str]]:
    """Each file's division codes, from LocatedRecords (the row readers' output)."""
    out: dict[str, set[str]] = {}
    for item in located:
        if item.location is not None:
            out.setdefault(item.location.path, set()).add(item.record.jurisdiction)
    return out


def codes_by_path_of_frames(frames: Any) -> dict[str, set[str]]:
    """Each file's division codes, from RecordFrames (the columnar readers' output)."""
    out: dict[str, set[str]] = {}
    for kf in frames.frames.values():
        pairs = kf.df.select("__path", "jurisdiction").unique()
        for path, code in pairs.iter_rows():
            if path is not None and code is not None:
                out.setdefault(path, set()).add(code)
    return out


def with_code_warnings(
    inputs: Iterable[InputSummary], codes: Mapping[str, Iterable[str]]
) -> tuple[InputSummary, ...]:
    """The input summaries, each with its codes' warnings after the reader's own."""
    out = []
    for item in inputs:
        extra = [w for w in codes_warnings(codes.get(item.path, ())) if w not in item.warnings]
        warned = item.model_copy(update={"warnings": (*item.warnings, *extra)})
        out.append(warned if extra else item)
    return tuple(out)
