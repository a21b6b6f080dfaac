"""The line protocol of `sw-policy watch`: JSON lines in, changed findings out.

Each input line is a record in contract form (an upsert: the record's new full
state) or `{"op": "delete", "kind": K, "id": I}`. Each output line is one
finding whose outcome changed, `{"record_id", "rule_id", "from", "to",
"finding"}`, flushed at once. A bad line is reported (with its line number) to
`report_error` and the stream goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO

from sw_policy.engines.stream.monitor import Change, Monitor
from sw_policy.errors import RecordError
from sw_policy.inputs import json_text
from sw_policy.records import KINDS

__all__ = ["apply_line", "watch_lines"]

_PROTOCOL = 'a line is a record with a kind, or {"op": "delete", "kind": K, "id": I}'


class _BadLineError(Exception):
    pass


def _parse(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise _BadLineError(f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = json_text.loads(text)
    except json.JSONDecodeError as exc:
        raise _BadLineError(f"not valid JSON ({exc.msg}, column {exc.colno})") from None
    except (RecursionError, ValueError) as exc:
        raise _BadLineError(f"JSON not readable ({exc or 'nested too deeply'})") from None
    repeated = json_text.duplicate_keys(data) + json_text.long_strings(data)
    if repeated:
        raise _BadLineError("; ".join(repeated))
    return data


def apply_line(monitor: Monitor, data: Any) -> list[Change]:
    """Apply one decoded line to the monitor; RecordError or ValueError if it is not one."""
    if not isinstance(data, dict):
        raise ValueError(f"expected a JSON object; {_PROTOCOL}")
    op = data.get("op")
    if op is not None:
        if op != "delete":
            raise ValueError(f"unknown op {op!r}; {_PROTOCOL}")
        extra = sorted(set(data) - {"op", "kind", "id"})
        if data.get("kind") not in KINDS or data.get("id") in (None, "") or extra:
            raise ValueError(
                f"a delete needs kind (one of {', '.join(KINDS)}) and id, nothing else"
            )
        return monitor.delete(str(data["kind"]), str(data["id"]))
    if "kind" not in data:
        raise ValueError(f"kind: missing; {_PROTOCOL}")
    return monitor.upsert(data)


def watch_lines(
    monitor: Monitor,
    lines: Iterable[bytes],
    out: BinaryIO,
    report_error: Callable[[str], None],
) -> int:
    """Feed every line to the monitor, writing changes to `out`; returns the bad-line count."""
    bad = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            changes = apply_line(monitor, _parse(raw))
        except (_BadLineError, ValueError) as exc:
            bad += 1
            report_error(f"line {number}: {exc}")
            continue
        except RecordError as exc:
            bad += 1
            who = f" ({exc.record_id})" if exc.record_id else ""
            report_error(f"line {number}{who}: {'; '.join(exc.errors)}")
            continue
        if changes:
            out.write("".join(c.to_json() + "\n" for c in changes).encode("utf-8"))
            out.flush()
    return bad
