"""Request and response models of the service, and the record schema its document shows.

Requests are strict about their envelope (unknown fields refused, dates only
as ISO text); the records inside are read exactly as `sw-policy check` reads a
JSON file (Chinese keys and values too), so one bad record is a rejection in
the report, never a failed request. Amounts: a JSON number is read from its
text as an exact decimal (never a binary float), a string as the CLI reads a
cell; generated clients whose JSON libraries use doubles should send strings.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter, WithJsonSchema

from sw_policy.findings import Finding
from sw_policy.records import Record

__all__ = [
    "ISO_DATE",
    "JURISDICTION",
    "RECORD_PLACEHOLDER",
    "DiffRequest",
    "DiffResponse",
    "ErrorResponse",
    "EvaluateRequest",
    "EvaluateResponse",
    "EventResponse",
    "Health",
    "ReloadResponse",
    "VersionResponse",
    "record_schemas",
]

ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
JURISDICTION = r"^[0-9]{6}$"
DECIMAL_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"

RECORD_PLACEHOLDER = "x-sw-policy-record"
"""Stands for `$ref: Record` in the models' schemas (pydantic would follow a real $ref);
server/openapi.py swaps it for the reference."""

IsoDateText = Annotated[
    str, StringConstraints(pattern=ISO_DATE), Field(description="An ISO date, YYYY-MM-DD.")
]
RecordObject = Annotated[
    dict[str, Any],
    WithJsonSchema({RECORD_PLACEHOLDER: True}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(_Strict):
    code: str = Field(description="Machine-readable: one of the codes in docs/service.md.")
    message: str = Field(description="The line `sw-policy` would print after 'error: '.")


class ErrorResponse(_Strict):
    """Every non-2xx answer."""

    error: ErrorBody


class EvaluateRequest(_Strict):
    record: RecordObject = Field(description="One record with its kind, as in check's JSON input.")
    as_of: IsoDateText = Field(description="The date to judge at when the record has no as_of.")
    include_not_applicable: bool = False


class EvaluateResponse(_Strict):
    findings: list[Finding]


Overrides = dict[
    Annotated[str, StringConstraints(min_length=3, max_length=200)],
    Annotated[str, StringConstraints(max_length=100)] | Decimal,
]


class DiffRequest(_Strict):
    records: list[RecordObject] = Field(description="Records with their kinds.")
    set: Overrides = Field(
        description="Parameter overrides `rule_id.parameter` to value, as `--set` takes them."
    )
    as_of: IsoDateText


class Move(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    count: int
    records: list[str]


class RuleMoves(_Strict):
    rule_id: str
    unchanged: int
    moves: list[Move]


class DiffResponse(_Strict):
    """`sw-policy diff --format json`: how each rule's findings moved."""

    old_rulebook: str
    new_rulebook: str
    moved: int
    rules: list[RuleMoves]


class EventResponse(_Strict):
    """The changes one event caused (as `sw-policy watch` prints them), or a duplicate's ack."""

    event_id: str | None = None
    duplicate: bool = False
    changes: list[dict[str, Any]] = Field(default_factory=list)


class EngineVersion(_Strict):
    name: Literal["sw-policy"] = "sw-policy"
    version: str


class RulebookVersion(_Strict):
    sha256: str
    rules: int
    rules_dir: str = Field(description="bundled, or the directory the server was started with.")


class SourceVersion(_Strict):
    id: str
    number: str | None
    title: str
    issued: str
    status: Literal["in_force", "draft"]
    jurisdiction: str


class VersionResponse(_Strict):
    api: Literal["v1"] = "v1"
    engine: EngineVersion
    rulebook: RulebookVersion
    sources: list[SourceVersion]


class Health(_Strict):
    status: Literal["ok", "ready"]


def record_schemas() -> dict[str, Any]:
    """The JSON Schemas of the five record kinds (and `Record`, their union) for the document.

    From the models that validate records, with two things the models check in
    code written into the schema: the jurisdiction pattern and the decimal text
    of an amount.
    """
    schema = TypeAdapter(Record).json_schema(ref_template="#/components/schemas/{model}")
    defs: dict[str, Any] = copy.deepcopy(schema.pop("$defs"))
    for name in ("Budget", "Worker", "Community", "Institution", "Region"):
        properties = defs[name]["properties"]
        properties["jurisdiction"]["pattern"] = JURISDICTION
        defs[name]["required"] = ["kind", *defs[name]["required"]]  # a posted record says it
        for field in properties.values():
            _tighten_amount(field)
    defs["Record"] = schema
    return defs


def _tighten_amount(field: dict[str, Any]) -> None:
    """number|string amounts: the string must be decimal text (a hint for client generators)."""
    for option in field.get("anyOf", ()):
        inner = option.get("anyOf")
        if inner and {o.get("type") for o in inner} == {"number", "string"}:
            for o in inner:
                if o.get("type") == "string":
                    o["pattern"] = DECIMAL_TEXT
        option.pop("gt", None)
        option.pop("ge", None)


class ReloadResponse(_Strict):
    old_sha256: str = Field(description="The rulebook served until this call.")
    new_sha256: str = Field(description="The rulebook served from now on.")
    changed: bool = Field(description="Whether the two differ.")
    rules: int = Field(description="Rules in the new rulebook.")
    rules_dir: str = Field(description="bundled, or the directory the server was started with.")
