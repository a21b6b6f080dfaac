"""Records read for a monitor: a dict as parse_record reads it, or a record with fields changed.

read_record() is parse_record() with one shortcut: training sessions, the part
of a worker that repeats from event to event, are validated once per distinct
(date, hours) text and the valid model reused (a session is immutable, and
validation takes a model as it is); a session that does not validate is left
as given, so the record's errors are word for word parse_record's.

merged() changes fields of a monitored record, validated as a whole record.

The record is already valid, so its values are handed to validation as they
are (models, enums, Decimals) instead of being dumped, mapped as office values
and read again: only the changed fields are read as office values. The result
is the record `parse_record({**record.model_dump(exclude_none=True), **fields})`
gives, and so are the errors (tests/test_stream_fast_paths.py checks both ways).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from sw_policy.inputs.office_values import office_mapping
from sw_policy.inputs.readers import parse_record
from sw_policy.records import TrainingSession

__all__ = ["merged", "merged_slowly", "read_record"]


def read_record(data: Mapping[str, Any]) -> Any:
    """parse_record(data), reusing sessions already validated (see the module's docstring)."""
    mapped = office_mapping(dict(data))
    sessions = mapped.get("training")
    if type(sessions) is list:
        mapped["training"] = [_known_session(s) for s in sessions]
    return parse_record(mapped, office_values=False)


def _known_session(session: Any) -> Any:
    if type(session) is dict and len(session) == 2:
        date, hours = session.get("date"), session.get("hours")
        if type(date) is str and type(hours) is str:
            return _session(date, hours) or session
    return session


@functools.lru_cache(maxsize=4096)
def _session(date: str, hours: str) -> TrainingSession | None:
    try:
        return TrainingSession.model_validate({"date": date, "hours": hours})
    except ValidationError:
        return None


def merged(current: Any, fields: Mapping[str, Any]) -> Any:
    """`current` with `fields` changed; RecordError (as parse_record raises) if invalid."""
    if not all(type(key) is str and key.isascii() for key in fields):
        return merged_slowly(current, fields)  # a Chinese key: as one dict, clashes included
    data = {name: value for name, value in current.__dict__.items() if value is not None}
    data.update(office_mapping(dict(fields)))
    return parse_record(data, office_values=False)


def merged_slowly(current: Any, fields: Mapping[str, Any]) -> Any:
    """The reference: dump the record, change the fields, read it all again."""
    data = current.model_dump(exclude_none=True)
    data.update(fields)
    return parse_record(data)
