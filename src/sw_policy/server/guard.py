"""The outer ASGI layer of every request: request id, bearer token, decision log, last resort.

It answers 401 before the body is read (an unauthenticated client cannot make
the server buffer anything; /v1/admin/ paths take the admin token instead, and
answer 403 when the server has none), stamps `x-request-id` on every response, writes
the decision-log line once the response has started, and turns anything that
escaped the application into 500 "internal" with the request id only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable
from typing import Any

from sw_policy._version import __version__
from sw_policy.server.auth import OPEN_PATHS, authorised
from sw_policy.server.decision_log import DecisionLog
from sw_policy.server.limits import ASGIApp, Message, Receive, Scope, Send, error_body

__all__ = ["ADMIN_PREFIX", "STATE_KEY", "Guard"]

ADMIN_PREFIX = "/v1/admin/"
"""Paths that need the admin token (--admin-token-file), never the clients' one."""

STATE_KEY = "sw_policy"
"""The scope entry where endpoints leave what the decision log records."""

_LOG = logging.getLogger("sw_policy.server")


def new_request_id() -> str:
    """32 random hex digits, as uuid4().hex gives them (without building a UUID)."""
    return os.urandom(16).hex()


class Guard:
    """See the module docstring; `rulebook_sha256` gives the digest of the rules served now
    (the log line's, unless the endpoint records the rulebook it actually used)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        log: DecisionLog | None,
        rulebook_sha256: Callable[[], str],
        admin_token: str | None = None,
    ) -> None:
        self.app = app
        self.token = token
        self.admin_token = admin_token
        self.log = log
        self.rulebook_sha256 = rulebook_sha256

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        info: dict[str, Any] = {"request_id": request_id, "rulebook_sha256": self.rulebook_sha256()}
        scope[STATE_KEY] = info
        started = time.perf_counter()
        status = {"code": 500}

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", ()))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            if scope["path"].startswith(ADMIN_PREFIX):
                if not await self._admin_allowed(scope, info, stamped):
                    return
            elif self.token is not None and scope["path"] not in OPEN_PATHS:
                header = _header(scope, b"authorization")
                if not authorised(header, self.token):
                    info["error"] = "unauthorized"
                    await _answer(
                        stamped,
                        401,
                        "unauthorized",
                        "a bearer token is required: Authorization: Bearer <token>",
                        extra=[(b"www-authenticate", b"Bearer")],
                    )
                    return
            started_response = False

            async def tracked(message: Message) -> None:
                nonlocal started_response
                started_response = True
                await stamped(message)

            try:
                await self.app(scope, receive, tracked)
            except Exception:
                _LOG.exception("request %s failed", request_id)
                if not started_response:
                    info["error"] = "internal"
                    await _answer(
                        stamped,
                        500,
                        "internal",
                        f"internal error (request {request_id}); please report it",
                    )
        finally:
            if self.log is not None:
                self._write(scope, request_id, status["code"], info, started)

    async def _admin_allowed(self, scope: Scope, info: dict[str, Any], send: Send) -> bool:
        """Whether an admin call may go on; if not, the 403 or 401 has been answered."""
        if self.admin_token is None:
            info["error"] = "admin_disabled"
            await _answer(
                send,
                403,
                "admin_disabled",
                "admin calls are off: start the server with --admin-token-file FILE",
            )
            return False
        if not authorised(_header(scope, b"authorization"), self.admin_token):
            info["error"] = "unauthorized"
            await _answer(
                send,
                401,
                "unauthorized",
                "the admin bearer token is required: Authorization: Bearer <admin token>",
                extra=[(b"www-authenticate", b"Bearer")],
            )
            return False
        return True

    def _write(
        self, scope: Scope, request_id: str, status: int, info: dict[str, Any], started: float
    ) -> None:
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "request_id": request_id,
            "method": scope.get("method"),
            "path": scope.get("path"),
            "status": status,
            "error": info.get("error"),
            "engine": __version__,
            "rulebook_sha256": info.get("rulebook_sha256"),
            "as_of": info.get("as_of"),
            "input_sha256": info.get("input_sha256"),
            "records": info.get("records"),
            "outcomes": info.get("outcomes"),
            "failing_rules": info.get("failing_rules", []),
            "failing_records": info.get("failing_records", [])[:100],
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        try:
            assert self.log is not None
            self.log.write(entry)
        except OSError:
            _LOG.exception("decision log: cannot write %s", self.log.path if self.log else "")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def _answer(
    send: Send,
    status: int,
    code: str,
    message: str,
    extra: list[tuple[bytes, bytes]] | None = None,
) -> None:
    body = error_body(code, message)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
