"""The service's own limits (body, upload, records, time) and the body-size guard.

The readers' limits (sw_policy.limits) still apply inside a request; these sit
in front of them, so a client cannot make the server buffer more than
`body_bytes` or judge more than `records` records in one call.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

__all__ = ["BodyLimit", "ServiceLimits", "error_body", "parse_service_limits"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass(frozen=True)
class ServiceLimits:
    """Every field is one `sw-policy serve` option (see docs/service.md)."""

    body_bytes: int = 64 << 20
    """A JSON request body: 64 MiB (100 000 budgets are about 12 MB)."""
    upload_bytes: int = 64 << 20
    """A file posted to /v1/check/file."""
    records: int = 100_000
    """Records in one request (the rows limit of the readers while the request runs)."""
    seconds: float = 120.0
    """Wall time one request may take before the client gets 503 timeout."""

    def replace(self, **changes: Any) -> ServiceLimits:
        return dataclasses.replace(self, **changes)


def parse_service_limits(texts: tuple[str, ...], base: ServiceLimits) -> ServiceLimits:
    """`NAME=VALUE` texts applied to `base`; ValueError says why one cannot be used."""
    names = [f.name for f in dataclasses.fields(ServiceLimits)]
    limits = base
    for text in texts:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or name not in names:
            raise ValueError(
                f"--limit {text!r}: expected NAME=VALUE with NAME one of {', '.join(names)}"
            )
        try:
            number = float(value.strip().replace("_", ""))
        except ValueError:
            number = -1
        if number <= 0:
            raise ValueError(f"--limit {text!r}: the value must be a number above 0")
        limits = limits.replace(**{name: number if name == "seconds" else int(number)})
    return limits


def error_body(code: str, message: str) -> bytes:
    """The declared error response: {"error": {"code": ..., "message": ...}}."""
    data = {"error": {"code": code, "message": message}}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


class BodyLimit:
    """ASGI middleware: read the whole body up to the limit, else answer 413 at once.

    The body is read here (bounded) and replayed to the application, so no
    endpoint ever sees more than the limit, whether or not the client sent
    Content-Length. /v1/check/file has the upload limit, every other path the
    body limit.
    """

    def __init__(self, app: ASGIApp, limits: ServiceLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope.get("path") == "/v1/check/file"
        limit = self.limits.upload_bytes if upload else self.limits.body_bytes
        name = "upload_bytes" if upload else "body_bytes"
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send, declared, limit, name)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(send, None, limit, name)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", ()):
        if key == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(send: Send, declared: int | None, limit: int, name: str) -> None:
    size = f"{declared} bytes" if declared is not None else f"more than {limit} bytes"
    body = error_body(
        "body_too_large",
        f"request body: {size}, beyond the limit {name}={limit}; "
        f"if the data is genuine, raise it with sw-policy serve --limit {name}=N",
    )
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
