"""POST /v1/evaluate without the framework: the hot path of the service, as plain ASGI.

One record is judged in a fraction of a millisecond, so FastAPI's routing,
dependency solving and the thread-pool hop used to cost ten times the
judging. `FastEvaluate` sits in front of the FastAPI app and answers
`POST /v1/evaluate` itself, with the same bytes, headers and errors as the
declared route (which stays in the app for the OpenAPI document and is the
same function, `evaluate_body`). A small body is judged on the event loop;
one past INLINE_BYTES goes to the thread pool under the time limit, as the
other endpoints do. Everything else passes through untouched.
"""

from __future__ import annotations

import json
from typing import Any

from sw_policy.errors import PolicyError
from sw_policy.limits import using_limits
from sw_policy.server.errors import ServiceError, from_exception
from sw_policy.server.guard import STATE_KEY
from sw_policy.server.limits import ASGIApp, Message, Receive, Scope, Send
from sw_policy.server.models import EvaluateRequest, EvaluateResponse
from sw_policy.server.service import date_of, input_digest, parse_json, validated

__all__ = ["INLINE_BYTES", "PATH", "FastEvaluate", "evaluate_body"]

PATH = "/v1/evaluate"
INLINE_BYTES = 64 << 10
"""Bodies up to this size are judged on the event loop (well under a millisecond)."""

_JSON_HEADERS = (b"content-type", b"application/json")


def evaluate_body(service: Any, data: bytes, info: dict[str, Any]) -> bytes:
    """The response body for one evaluate request; ServiceError or PolicyError if refused.

    `info` collects what the decision log records. The rulebook is read once
    here, so an admin reload never changes it under a request.
    """
    asked = validated(EvaluateRequest, parse_json(data))
    day = date_of(asked.as_of)
    assert day is not None
    rulebook = service.rulebook
    info.update(as_of=day.isoformat(), records=1, rulebook_sha256=rulebook.sha256)
    with using_limits(service.reader_limits):
        findings = rulebook.evaluate(
            asked.record, as_of=day, include_not_applicable=asked.include_not_applicable
        )
    failing = [f for f in findings if f.outcome == "fail"]
    info["failing_rules"] = sorted({f.rule_id for f in failing})
    info["failing_records"] = sorted({f.record_id for f in failing})
    return EvaluateResponse(findings=findings).model_dump_json().encode("utf-8")


class FastEvaluate:
    """ASGI: answer POST /v1/evaluate directly; pass every other request to `app`."""

    def __init__(self, app: ASGIApp, service: Any) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        data = await _body(receive)
        info: dict[str, Any] = scope.setdefault(STATE_KEY, {})
        info["input_sha256"] = input_digest(data)
        try:
            if len(data) <= INLINE_BYTES:
                try:
                    body = evaluate_body(self.service, data, info)
                except PolicyError as exc:
                    raise from_exception(exc, self.service.config.limits.records) from None
            else:
                body = await self.service.run_plain(lambda: evaluate_body(self.service, data, info))
        except ServiceError as exc:
            info["error"] = exc.code
            await _send(send, exc.status, _error_bytes(exc.code, exc.message))
            return
        await _send(send, 200, body)


async def _body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message: Message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _error_bytes(code: str, message: str) -> bytes:
    # The bytes starlette's JSONResponse writes for the declared route's errors.
    content = {"error": {"code": code, "message": message}}
    return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def _send(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-length", str(len(body)).encode("latin-1")), _JSON_HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
