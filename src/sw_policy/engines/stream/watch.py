"""The line protocol of `sw-policy watch`: JSON lines in, numbered changes out.

Each input line is a record in contract form (an upsert: the record's new full
state), `{"op": "delete", "kind": K, "id": I}` or `{"op": "advance", "as_of":
D}`; any line may carry `"event_id"` (a string or integer), and a line whose
id was already applied is acknowledged with `{"event_id": E, "duplicate":
true}` and changes nothing. Each other output line is one change (see
Change.to_json). A bad line is reported (with its line number) to
`report_error` and the stream goes on.

Output goes through an `Output`: lines are gathered and written (and flushed)
in one write per batch: when 64 KiB are waiting, before every commit, and
whenever no input is waiting (read_lines calls on_idle then). So a live pipe
sees each change as soon as the input chunk that caused it (at most 64 KiB,
read in one go) has been applied; piped files are written in large blocks.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import select
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from sw_policy.engines.stream.monitor import Change, Monitor
from sw_policy.errors import RecordError
from sw_policy.inputs import json_text
from sw_policy.inputs.line_bounds import BYTES_PER_CHAR
from sw_policy.limits import current_limits
from sw_policy.records import KINDS

__all__ = ["Output", "apply_line", "event_id_of", "read_lines", "tick", "watch_lines"]

_PROTOCOL = (
    'a line is a record with a kind, {"op": "delete", "kind": K, "id": I} '
    'or {"op": "advance", "as_of": "YYYY-MM-DD"}'
)
_COMMIT_EVERY = 1000  # with group commits: at most this many events per transaction
_OUTPUT_BATCH = 1 << 16  # bytes of change lines gathered before one write


class Output:
    """Change lines gathered and written to `out` in one write (and flush) per batch."""

    def __init__(self, out: BinaryIO, batch: int = _OUTPUT_BATCH) -> None:
        self._out = out
        self._batch = batch
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, text: str) -> None:
        """Lines (each ending in "\n"), written once a batch is full or at flush()."""
        self._add(text.encode("utf-8"))

    def _add(self, data: bytes) -> None:
        self._parts.append(data)
        self._size += len(data)
        if self._size >= self._batch:
            self.flush()

    def changes(self, changes: list[Change]) -> None:
        """One line per change."""
        if changes:
            self._add(b"".join([c.to_line() for c in changes]))

    def flush(self) -> None:
        """Write and flush what is gathered (before a commit, when idle, at the end)."""
        if self._parts:
            self._out.write(b"".join(self._parts))
            self._parts.clear()
            self._size = 0
        self._out.flush()


class _BadLineError(Exception):
    pass


class _LongLine(bytes):
    """Stands for a line dropped while read, beyond line_chars (a bad line)."""


LONG_LINE = _LongLine(b"-")


def _parse(raw: bytes) -> Any:
    if isinstance(raw, _LongLine):
        chars = current_limits().line_chars
        raise _BadLineError(f"more than {chars} characters, beyond the limit line_chars={chars}")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _BadLineError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        data, repeats = json_text.loads_noting_repeats(text)
    except json.JSONDecodeError as exc:
        raise _BadLineError(f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    except (RecursionError, ValueError) as exc:
        raise _BadLineError(f"JSON not readable ({exc or 'nested too deeply'})") from None
    if repeats or _may_be_flawed(text):
        repeated = json_text.duplicate_keys(data) + json_text.long_strings(data)
        if repeated:
            raise _BadLineError("; ".join(repeated))
    return data


def _may_be_flawed(text: str) -> bool:
    """False only when the line can hold no long string or lone surrogate.

    A string is never longer than the text it is read from, and strict UTF-8
    decoding refuses surrogates, so a lone one can only come from a \\u escape.
    (A repeated key is noted while parsing: json_text.loads_noting_repeats.)
    """
    return "\\u" in text or len(text) > current_limits().cell_chars


def event_id_of(data: dict[str, Any]) -> str | None:
    """The line's event id (removed from `data`), or None; ValueError if malformed."""
    if "event_id" not in data:
        return None
    value = data.pop("event_id")
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ValueError("event_id: expected a non-empty string or an integer")
    return str(value)


def apply_line(monitor: Monitor, data: Any, event_id: str | None = None) -> list[Change]:
    """Apply one decoded line to the monitor; RecordError or ValueError if it is not one."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object; {_PROTOCOL}")
    op = data.get("op")
    if op is not None:
        if op == "advance":
            if set(data) != {"op", "as_of"} or not isinstance(data["as_of"], str):
                raise ValueError('an advance needs as_of ("YYYY-MM-DD"), nothing else')
            try:
                day = dt.date.fromisoformat(data["as_of"])
            except ValueError:
                raise ValueError(f"as_of: not a date: {data['as_of']!r}") from None
            return monitor.advance(day, event_id=event_id)
        if op != "delete":
            raise ValueError(f"unknown op {op!r}; {_PROTOCOL}")
        extra = sorted(set(data) - {"op", "kind", "id"})
        if data.get("kind") not in KINDS or data.get("id") in (None, "") or extra:
            raise ValueError(
                f"a delete needs kind (one of {', '.join(KINDS)}) and id, nothing else"
            )
        return monitor.delete(str(data["kind"]), str(data["id"]), event_id=event_id)
    if "kind" not in data:
        raise ValueError(f"kind: missing; {_PROTOCOL}")
    return monitor.upsert(data, event_id=event_id)


def watch_lines(
    monitor: Monitor,
    lines: Iterable[bytes],
    out: BinaryIO | Output,
    report_error: Callable[[str], None],
    clock: Callable[[], dt.date] | None = None,
) -> int:
    """Feed every line to the monitor, writing changes to `out`; returns the bad-line count.

    Changes are written and flushed before their event is committed, so after a
    crash an event may be applied again on restart and its changes written
    again, with the same numbers (`seq`): a consumer skips seq it has seen.
    """
    sink = out if isinstance(out, Output) else Output(out)
    bad = 0
    since_commit = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = _parse(raw)
            event_id = event_id_of(data) if isinstance(data, dict) else None
            if event_id is not None and monitor.applied(event_id):
                ack = json.dumps({"event_id": event_id, "duplicate": True}, ensure_ascii=False)
                sink.add(ack + "\n")
                continue
            changes = apply_line(monitor, data, event_id)
        except (_BadLineError, ValueError) as exc:
            bad += 1
            report_error(f"line {number}: {exc}")
            continue
        except RecordError as exc:
            bad += 1
            who = f" ({exc.record_id})" if exc.record_id else ""
            report_error(f"line {number}{who}: {'; '.join(exc.errors)}")
            continue
        sink.changes(changes)
        since_commit += 1
        if since_commit >= _COMMIT_EVERY:
            sink.flush()  # the lines of an event are out before it is committed
            monitor.commit()
            since_commit = 0
    sink.flush()
    monitor.commit()
    return bad


def tick(monitor: Monitor, out: BinaryIO | Output, clock: Callable[[], dt.date]) -> None:
    """Advance the monitor to clock() if that is a later day, writing the changes."""
    sink = out if isinstance(out, Output) else Output(out)
    today = clock()
    if today > monitor.as_of:
        sink.changes(monitor.advance(today))
    sink.flush()


def read_lines(
    fd: int, on_idle: Callable[[], None], wake: Callable[[], float | None]
) -> Iterator[bytes]:
    """Lines read from a file descriptor, calling on_idle() whenever no input is waiting.

    `wake()` gives how long to wait for input before calling on_idle() again
    (None: for ever); the clock of `watch --clock` uses it to advance at midnight.
    """
    pending = b""
    dropping = False  # inside a line already too long: its bytes are not kept
    most = current_limits().line_chars * BYTES_PER_CHAR
    while True:
        if not _ready(fd, 0):
            on_idle()
            while not _ready(fd, wake()):
                on_idle()
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        if dropping and lines:
            lines[0], dropping = LONG_LINE, False
        yield from lines
        if len(pending) > most:  # bounded: a line with no end is not held whole
            pending, dropping = b"", True
    if dropping:
        yield LONG_LINE
    elif pending:
        yield pending


def _ready(fd: int, timeout: float | None) -> bool:
    try:
        return bool(select.select([fd], [], [], timeout)[0])
    except (OSError, ValueError):  # not selectable (e.g. a Windows file): just read
        return True
