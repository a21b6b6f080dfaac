"""Findings built from values the row engine has already checked, without validating again.

Validating each Finding and its Message cost the row engine more than judging
the record: every value comes from the rulebook (validated when loaded) or from
the engine, which gives it the right type. `trusted_finding` builds the very
object validation would (what pydantic's model_construct does, without its
per-field loop). Any observed value, record id or location not of an exact
expected type, or a pydantic whose model layout differs from the one relied on
here, takes the validating constructor instead, so a Finding is never invalid.
The fields-set of every trusted Finding (and Message) is one shared set: pydantic
never changes it in place on a frozen model, and copies take their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from sw_policy.findings import Citation, Finding, Location, Message, Outcome
from sw_policy.rulebook.layering import Mark
from sw_policy.rulebook.schema import RuleSpec

__all__ = ["FINDING_FIELDS", "MESSAGE_FIELDS", "TRUSTED", "TRUSTED_SETTERS", "trusted_finding"]

_new = object.__new__
_LAYOUT = ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__")
_OBSERVED_TYPES = frozenset({str, int, bool, type(None)})
_FINDING_FIELDS = set(Finding.model_fields)
_MESSAGE_FIELDS = set(Message.model_fields)


def _plain_model(model: type[BaseModel]) -> bool:
    """A model whose instances are just their __dict__ (no private, extra or hooks)."""
    return (
        not model.__private_attributes__
        and model.model_config.get("extra") != "allow"
        and not model.__pydantic_decorators__.model_validators
        and not model.__pydantic_decorators__.field_validators
        and not model.__pydantic_post_init__
    )


_ENABLED = (
    getattr(BaseModel, "__slots__", None) == _LAYOUT
    and all(name in vars(BaseModel) for name in _LAYOUT)
    and _plain_model(Finding)
    and _plain_model(Message)
    and list(Finding.model_fields)
    == [
        "kind",
        "record_id",
        "rule_id",
        "outcome",
        "severity",
        "observed",
        "expected",
        "message",
        "citation",
        "unmet",
        "location",
        "displaced",
        "marks",
        "record_name",
        "jurisdiction",
    ]
)


def _setter(name: str) -> Callable[[Any, Any], None]:
    """A slot's own setter: object.__setattr__ without looking the name up each time."""
    slot = vars(BaseModel).get(name)
    if slot is not None and hasattr(slot, "__set__"):
        setter: Callable[[Any, Any], None] = slot.__set__
        return setter
    return lambda target, value: object.__setattr__(target, name, value)


_set_dict, _set_fields, _set_extra, _set_private = (_setter(name) for name in _LAYOUT)

TRUSTED = _ENABLED
"""Whether this pydantic's model layout is the one relied on here (else: validate)."""


TRUSTED_SETTERS = (_new, _set_dict, _set_fields, _set_extra, _set_private)
"""What a loop building many objects binds once: object.__new__ and the four slot setters
(__dict__, fields set, extra, private), to be used as trusted_finding uses them."""
FINDING_FIELDS = _FINDING_FIELDS
MESSAGE_FIELDS = _MESSAGE_FIELDS


def trusted_finding(
    rule: RuleSpec,
    record_id: Any,
    outcome: Outcome,
    *,
    observed: dict[str, Any],
    expected: str,
    message: tuple[str, str],
    citation: Citation,
    unmet: tuple[str, ...],
    location: Location | None,
    displaced: tuple[str, ...],
    marks: tuple[Mark, ...],
    record_name: str | None = None,
    jurisdiction: str | None = None,
) -> Finding:
    """The Finding that Finding(...) would validate, built directly when that is safe.

    `observed` is taken over, not copied: the caller must not change it afterwards.
    """
    zh, en = message
    if not (
        _ENABLED
        and type(record_id) is str
        and (location is None or type(location) is Location)
        and (record_name is None or type(record_name) is str)
        and (jurisdiction is None or type(jurisdiction) is str)
        and _OBSERVED_TYPES.issuperset(map(type, observed.values()))
    ):
        return Finding(
            kind=rule.kind,
            record_id=record_id,
            rule_id=rule.id,
            outcome=outcome,
            severity=rule.severity,
            observed=observed,
            expected=expected,
            message=Message(zh=zh, en=en),
            citation=citation,
            unmet=unmet,
            location=location,
            displaced=displaced,
            marks=marks,
            record_name=record_name,
            jurisdiction=jurisdiction,
        )
    text = _new(Message)
    _set_dict(text, {"zh": zh, "en": en})
    _set_fields(text, _MESSAGE_FIELDS)
    _set_extra(text, None)
    _set_private(text, None)
    finding = _new(Finding)
    _set_dict(
        finding,
        {
            "kind": rule.kind,
            "record_id": record_id,
            "rule_id": rule.id,
            "outcome": outcome,
            "severity": rule.severity,
            "observed": observed,
            "expected": expected,
            "message": text,
            "citation": citation,
            "unmet": unmet,
            "location": location,
            "displaced": displaced,
            "marks": marks,
            "record_name": record_name,
            "jurisdiction": jurisdiction,
        },
    )
    _set_fields(finding, _FINDING_FIELDS)
    _set_extra(finding, None)
    _set_private(finding, None)
    return finding
