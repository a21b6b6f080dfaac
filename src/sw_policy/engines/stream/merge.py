"""Records read for a monitor: a dict as parse_record reads it, or a record with fields changed.

read_record() is parse_record() with one shortcut: training sessions, the part
of a worker that repeats from event to event, are validated once per distinct
(date, hours) text and the valid model reused (a session is immutable, and
validation takes a model as it is); a session that does not validate is left
as given, so the record's errors are word for word parse_record's.

merged() changes fields of a monitored record, with the result and errors of
validating it as a whole record.

The record is already valid, so only the changed fields need validating:
each is read as an office value and validated alone, by a one-field model
with that field's declaration and the record's config, and the record is
copied with the new values (new training sessions reuse the models read_record
caches). Fields a model validator reads together with
others (a worker's post title and series; a region's flat map columns),
`kind`, `id` and unknown names take the whole-record path, and so does any
value that does not validate (its error is then word for word parse_record's).
The whole-record path hands the held values (models, enums, Decimals) to
validation as they are, with only the changed fields read as office values.
Either way the result is the record `parse_record({**record.model_dump(
exclude_none=True), **fields})` gives, and so are the errors
(tests/test_stream_fast_paths.py checks all three paths against each other).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from sw_policy.inputs.office_values import office_mapping
from sw_policy.inputs.readers import parse_record
from sw_policy.records import TrainingSession

__all__ = ["merged", "merged_slowly", "merged_wholly", "read_record"]

# Fields a model validator reads beside others: never validated alone.
_TOGETHER: dict[str, frozenset[str]] = {
    "worker": frozenset({"post_title", "post_series"}),  # Worker._series_from_title
}
_WHOLE_KINDS = frozenset({"region"})  # Region folds flat map columns before validation
_NEVER_ALONE = frozenset({"kind", "id"})


def read_record(data: Mapping[str, Any]) -> Any:
    """parse_record(data), reusing sessions already validated (see the module's docstring)."""
    mapped = office_mapping(dict(data))
    if "training" in mapped:
        mapped["training"] = _sessions(mapped["training"])
    return parse_record(mapped, office_values=False)


def _sessions(sessions: Any) -> Any:
    """A list of sessions with those already validated replaced by their models."""
    return [_known_session(s) for s in sessions] if type(sessions) is list else sessions


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
    mapped = office_mapping(dict(fields))
    alone = _fields_alone(current, mapped)
    if alone is not None:
        return alone
    return _whole(current, mapped)


def merged_wholly(current: Any, fields: Mapping[str, Any]) -> Any:
    """merged() without the one-field path: the held values and the new ones, validated."""
    if not all(type(key) is str and key.isascii() for key in fields):
        return merged_slowly(current, fields)
    return _whole(current, office_mapping(dict(fields)))


def _whole(current: Any, mapped: dict[str, Any]) -> Any:
    data = {name: value for name, value in current.__dict__.items() if value is not None}
    data.update(mapped)
    return parse_record(data, office_values=False)


def _fields_alone(current: Any, mapped: dict[str, Any]) -> Any | None:
    """`current` with each mapped field validated alone, or None to validate it whole."""
    kind = current.kind
    if kind in _WHOLE_KINDS or not mapped:
        return None
    model: type[BaseModel] = type(current)
    together = _TOGETHER.get(kind, frozenset())
    values: dict[str, Any] = {}
    for name, given in mapped.items():
        if name in _NEVER_ALONE or name in together or name not in model.model_fields:
            return None
        value = _sessions(given) if name == "training" else given
        try:
            values[name] = _one_field(model, name).model_validate({name: value}).__dict__[name]
        except ValidationError:
            return None  # the whole-record path words the error
    # A copy, as model_copy makes one, marking as set what whole validation would:
    # every value it was handed.
    held = current.__dict__
    new = model.__new__(model)
    given = {name for name, value in held.items() if value is not None}
    given.update(values)
    object.__setattr__(new, "__dict__", {**held, **values})
    object.__setattr__(new, "__pydantic_fields_set__", given)
    object.__setattr__(new, "__pydantic_extra__", None)
    object.__setattr__(new, "__pydantic_private__", None)
    return new


_ONE_FIELD: dict[tuple[str, str], type[BaseModel]] = {}


def _one_field(model: type[BaseModel], name: str) -> type[BaseModel]:
    """A model of one field, declared as `model` declares it, under `model`'s config."""
    key = (model.__name__, name)
    one = _ONE_FIELD.get(key)
    if one is None:
        field = model.model_fields[name]
        one = _ONE_FIELD[key] = create_model(  # type: ignore[call-overload]
            f"{model.__name__}_{name}",
            __config__=model.model_config,
            **{name: (field.annotation, field)},
        )
    return one


def merged_slowly(current: Any, fields: Mapping[str, Any]) -> Any:
    """The reference: dump the record, change the fields, read it all again."""
    data = current.model_dump(exclude_none=True)
    data.update(fields)
    return parse_record(data)
