"""The OpenAPI document: FastAPI's, plus the record schemas and the declared errors.

Endpoints that read their body themselves (to parse numbers as exact
decimals and records as the CLI does) name their request schema here, and
every error response is the one ErrorResponse shape. docs/openapi.json is this
document; tests/test_server_openapi.py keeps the two in step.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.openapi.utils import get_openapi

from sw_policy.server.errors import ERROR_CODES
from sw_policy.server.models import (
    ISO_DATE,
    RECORD_PLACEHOLDER,
    DiffRequest,
    ErrorResponse,
    EvaluateRequest,
    record_schemas,
)
from sw_policy.server.runs import MEDIA_TYPES

__all__ = ["ADMIN_ERRORS", "ERRORS", "body_of", "check_responses", "document", "document_text"]

_STATUS_TEXT = {
    401: "No or a wrong bearer token (only when the server has --token-file).",
    404: "No such rule or endpoint.",
    413: "The body or upload is larger than the server's limit.",
    422: "The request cannot be used: the error code and message say why.",
    500: "A bug: the message carries the request id, never a trace.",
    503: "The request took longer than the server's time limit.",
}

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse, "description": text} for status, text in _STATUS_TEXT.items()
}
ADMIN_ERRORS: dict[int | str, dict[str, Any]] = {
    **{s: e for s, e in ERRORS.items() if s != 401},
    401: {"model": ErrorResponse, "description": "No or a wrong admin bearer token."},
    403: {
        "model": ErrorResponse,
        "description": "Admin calls are off: the server has no --admin-token-file.",
    },
}


def check_responses() -> dict[int | str, dict[str, Any]]:
    """The check endpoints: the report in the requested format, and the errors."""
    content: dict[str, Any] = {
        media.split(";")[0]: {"schema": {"type": "string"}}
        for fmt, media in MEDIA_TYPES.items()
        if fmt != "json"
    }
    return {
        200: {
            "description": "The report (JSON by default). Header x-sw-policy-status: the "
            "exit status the CLI would give (0 none failed, 1 a mandatory failure, "
            "3 incomplete).",
            "content": content,
            "headers": {
                "x-sw-policy-status": {
                    "schema": {"type": "string", "enum": ["0", "1", "3"]},
                    "description": "The CLI's exit status for this check.",
                }
            },
        },
        **ERRORS,
    }


def body_of(schema: str | None, media: str) -> dict[str, Any]:
    """openapi_extra for an endpoint that reads its own body."""
    body: dict[str, Any] = (
        {"$ref": f"#/components/schemas/{schema}"}
        if schema
        else {"type": "string", "format": "binary"}
    )
    return {"requestBody": {"required": True, "content": {media: {"schema": body}}}}


def _event_schemas() -> dict[str, Any]:
    event_id = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "integer"}]}
    kinds = ["budget", "worker", "community", "institution", "region"]
    return {
        "DeleteEvent": {
            "type": "object",
            "additionalProperties": False,
            "required": ["op", "kind", "id"],
            "properties": {
                "op": {"const": "delete"},
                "kind": {"enum": kinds},
                "id": {"type": "string", "minLength": 1, "maxLength": 200},
                "event_id": event_id,
            },
        },
        "AdvanceEvent": {
            "type": "object",
            "additionalProperties": False,
            "required": ["op", "as_of"],
            "properties": {
                "op": {"const": "advance"},
                "as_of": {"type": "string", "pattern": ISO_DATE},
                "event_id": event_id,
            },
        },
        "Event": {
            "description": "A record (an upsert: its new full state; any event may also carry "
            "event_id), a delete or an advance: one line of `sw-policy watch`.",
            "anyOf": [
                {"$ref": "#/components/schemas/Record"},
                {"$ref": "#/components/schemas/DeleteEvent"},
                {"$ref": "#/components/schemas/AdvanceEvent"},
            ],
        },
    }


def _with_record_refs(value: Any) -> Any:
    if isinstance(value, dict):
        if value.get(RECORD_PLACEHOLDER) is True:
            rest = {k: v for k, v in value.items() if k != RECORD_PLACEHOLDER}
            return {"$ref": "#/components/schemas/Record", **rest}
        return {k: _with_record_refs(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_record_refs(v) for v in value]
    return value


def document(app: Any) -> dict[str, Any]:
    """The whole document, built once per app."""
    if app.openapi_schema:
        return app.openapi_schema  # type: ignore[no-any-return]
    doc = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description="The sw-policy library over HTTP. Error codes: "
        + "; ".join(f"`{code}` {text}" for code, text in ERROR_CODES.items())
        + ". See docs/service.md.",
        routes=app.routes,
    )
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(record_schemas())
    schemas["RecordList"] = {"type": "array", "items": {"$ref": "#/components/schemas/Record"}}
    for model in (EvaluateRequest, DiffRequest):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = _with_record_refs(schema)
    schemas.update(_event_schemas())
    doc["components"]["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "--token-file"},
        "admin": {"type": "http", "scheme": "bearer", "description": "--admin-token-file"},
    }
    doc["security"] = [{}, {"bearer": []}]
    app.openapi_schema = doc
    return doc


def document_text(app: Any) -> str:
    """The document as docs/openapi.json holds it: 2-space indent, UTF-8, a final newline."""
    return json.dumps(document(app), ensure_ascii=False, indent=2) + "\n"
