"""A monitored record with some fields changed, validated as a whole record.

The record is already valid, so its values are handed to validation as they
are (models, enums, Decimals) instead of being dumped, mapped as office values
and read again: only the changed fields are read as office values. The result
is the record `parse_record({**record.model_dump(exclude_none=True), **fields})`
gives, and so are the errors (tests/test_stream_fast_paths.py checks both ways).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sw_policy.inputs.office_values import office_mapping
from sw_policy.inputs.readers import parse_record

__all__ = ["merged", "merged_slowly"]


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
