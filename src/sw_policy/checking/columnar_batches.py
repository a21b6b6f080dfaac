"""The columnar JSON report written batch by batch: findings never held all at once.

A check's records are judged in bounded slices of `__row` (every kind's rows
of that slice, and their training sessions), and each slice's findings are
written before the next is judged. The report is byte-identical to the one
written whole (ColumnarReport.write_json): findings are listed in (record,
rule) order and a slice holds whole records, so slices in row order give the
same list; the summary (after the findings in the report) adds up the slices'
counts; the inputs and rejected rows come before the findings and are known
once the files are read. What stays whole is the input: the records' columns
(about a tenth of what the findings and their text took).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

import polars as pl

from sw_policy.checking.overlap import ReadAhead, WriteBehind
from sw_policy.engines.columnar.engine import ColumnarResult, evaluate_frames
from sw_policy.engines.columnar.report import finding_batches, report_shell, write_lines
from sw_policy.inputs.frames import KindFrame, RecordFrames
from sw_policy.reports.verdict import is_incomplete

if TYPE_CHECKING:
    from sw_policy.checking.rulebook import Rulebook
    from sw_policy.findings import InputSummary, Rejected, RunOptions, Skipped

__all__ = [
    "BATCH_ROWS",
    "BatchOutcome",
    "frame_batches",
    "write_json_from_parts",
    "write_json_in_batches",
]

BATCH_ROWS = 100_000
"""Records judged per slice: large enough that Polars' per-query cost is small (measured
with benchmarks/constant_memory.py), small enough that a slice's findings text (about
1 KB a finding) stays in the tens of megabytes."""

_MARKER = '"findings": []'


@dataclass(frozen=True)
class BatchOutcome:
    """What the exit status needs from a report written in batches."""

    has_mandatory_failure: bool
    incomplete: bool


def frame_batches(frames: RecordFrames, rows: int) -> Iterator[RecordFrames]:
    """`frames` in slices of `rows` records (by `__row`), every kind's rows of each slice."""
    if rows < 1:
        raise ValueError(f"rows: expected a positive number of records, got {rows}")
    kinds = {
        kind: KindFrame(
            kind,
            frame.df,
            frame.scales,
            None if frame.sessions is None else frame.sessions.sort("__row", maintain_order=True),
            frame.session_scale,
        )
        for kind, frame in frames.frames.items()
    }
    for start in range(0, max(frames.count, 1), rows):
        end = min(start + rows, frames.count)
        yield RecordFrames(
            {kind: _slice(frame, start, end) for kind, frame in kinds.items()}, end - start
        )


def _slice(frame: KindFrame, start: int, end: int) -> KindFrame:
    """The kind's records numbered start <= __row < end (each frame is sorted by __row)."""
    df = _rows_between(frame.df, start, end)
    sessions = None if frame.sessions is None else _rows_between(frame.sessions, start, end)
    return KindFrame(frame.kind, df, frame.scales, sessions, frame.session_scale)


def _rows_between(df: pl.DataFrame, start: int, end: int) -> pl.DataFrame:
    rows = df.get_column("__row")
    low = int(rows.search_sorted(start, side="left"))
    high = int(rows.search_sorted(end, side="left"))
    return df.slice(low, high - low)


def _binding_failure(rulebook: Rulebook, result: ColumnarResult, binding: bool) -> bool:
    """ColumnarReport.has_mandatory_failure, for one slice's findings."""
    failed = (pl.col("outcome") == "fail") & (pl.col("severity") == "mandatory")
    if not binding:
        drafts = [r.id for r in rulebook.rules if rulebook.citation(r.id).status == "draft"]
        failed = failed & ~pl.col("rule_id").is_in(drafts)
    return result.findings.filter(failed).height > 0


def write_json_in_batches(
    out: BinaryIO,
    rulebook: Rulebook,
    frames: RecordFrames,
    *,
    rows: int = BATCH_ROWS,
    **given: Any,
) -> BatchOutcome:
    """Judge `frames` slice by slice, writing the JSON report as ColumnarReport.write_json
    does (byte for byte), and say whether a binding mandatory provision failed.
    `given`: the keyword arguments of write_json_from_parts."""
    return write_json_from_parts(out, rulebook, frame_batches(frames, rows), **given)


def write_json_from_parts(
    out: BinaryIO,
    rulebook: Rulebook,
    parts: Iterable[RecordFrames],
    *,
    as_of: dt.date,
    inputs: tuple[InputSummary, ...] | Callable[[], tuple[InputSummary, ...]] = (),
    rejected: tuple[Rejected, ...] = (),
    skipped: tuple[Skipped, ...] = (),
    options: RunOptions | None = None,
    include_not_applicable: bool = False,
    only_failures: bool = False,
    overlap: bool = True,
) -> BatchOutcome:
    """Judge each part (records numbered on from the part before, in reading order) and
    write its findings before the next part is taken: the report written whole, byte for
    byte, when the parts together are the records read whole. The head (inputs, rejected
    rows) is written once the first part is judged, so a refusal by the engine there
    writes nothing. `inputs` may be a function giving them: it is called then, once.

    `overlap` (checking/overlap.py): the next part is taken in a worker thread while one
    is judged, and each part's findings are turned into text and written in another;
    the same bytes, and the same exception after the same bytes, as without."""

    known: list[tuple[InputSummary, ...]] = []

    def summaries() -> tuple[InputSummary, ...]:
        if not known:
            known.append(inputs() if callable(inputs) else inputs)
        return known[0]

    def shell(result: ColumnarResult) -> str:
        return report_shell(
            rulebook,
            result,
            as_of=as_of,
            inputs=summaries(),
            rejected=rejected,
            options=options,
            skipped=skipped,
        ).to_json()

    empty = ColumnarResult(pl.DataFrame(), {}, 0)
    binding = options is not None and options.drafts_binding
    counts: dict[str, int] = {}
    records = drafts = 0
    failed = False
    written = started = False
    write = functools.partial(_write_piece, out, rulebook)
    reading = ReadAhead(parts) if overlap else _Inline(parts)
    with reading as ahead, _writer(write, overlap) as behind:
        for part in ahead:
            result = evaluate_frames(
                rulebook,
                part,
                as_of=as_of,
                include_not_applicable=include_not_applicable,
                only_failures=only_failures,
            )
            if not started:  # after the first slice is judged: an engine refusal writes nothing
                behind.put(shell(empty).partition(_MARKER)[0].encode("utf-8"))
                started = True
            records += result.records
            drafts += result.draft_failures
            for outcome, n in result.outcome_counts.items():
                counts[outcome] = counts.get(outcome, 0) + n
            if result.findings.height == 0:
                continue
            failed = failed or _binding_failure(rulebook, result, binding)
            behind.put(_Findings(result.findings, result.plain_text, first=not written))
            written = True
    out.write(b"\n  ]" if written else _MARKER.encode("utf-8"))
    total = ColumnarResult(empty.findings, counts, records, drafts)
    whole = shell(total)
    out.write(whole.partition(_MARKER)[2].encode("utf-8"))
    stamp = report_shell(rulebook, total, as_of=as_of, inputs=summaries(), rejected=rejected)
    return BatchOutcome(failed, is_incomplete(stamp))


@dataclass(frozen=True)
class _Findings:
    """One part's findings, to be written as text (the first part's opens the array)."""

    findings: pl.DataFrame
    plain: bool
    first: bool


def _write_piece(out: BinaryIO, rulebook: Rulebook, piece: bytes | _Findings) -> None:
    """Write the head's bytes, or a part's findings: every finding but the part's last
    followed by a comma and newline, the last by nothing (a comma or the array's end
    comes after it, once it is known whether another part has findings)."""
    if isinstance(piece, bytes):
        out.write(piece)
        return
    out.write(b'"findings": [\n' if piece.first else b",\n")
    previous: pl.DataFrame | None = None
    for text in finding_batches(piece.findings, rulebook, plain=piece.plain):
        if previous is not None:
            write_lines(previous, out)
        previous = text
    assert previous is not None
    write_lines(previous, out, end=False)


class _Writer(Protocol):
    def put(self, item: bytes | _Findings) -> None: ...


class _WriteNow:
    """The sequential stand-in for WriteBehind: each piece written when handed over."""

    def __init__(self, write: Callable[[bytes | _Findings], None]) -> None:
        self.put = write


def _writer(
    write: Callable[[bytes | _Findings], None], overlap: bool
) -> contextlib.AbstractContextManager[_Writer]:
    if overlap:
        return WriteBehind(write, depth=1)
    return contextlib.nullcontext(_WriteNow(write))


class _Inline(contextlib.AbstractContextManager[Iterator[RecordFrames]]):
    """The sequential stand-in for ReadAhead: the parts taken in the caller's thread."""

    def __init__(self, parts: Iterable[RecordFrames]) -> None:
        self._parts = iter(parts)

    def __enter__(self) -> Iterator[RecordFrames]:
        return self._parts

    def __exit__(self, *exc: object) -> None:
        close = getattr(self._parts, "close", None)
        if close is not None:
            close()
