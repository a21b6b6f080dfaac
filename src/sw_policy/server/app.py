"""The application factory: `create_app(ServiceConfig(...))` gives the ASGI application.

The FastAPI app (endpoints in server/endpoints.py, shared state in
server/service.py) wrapped in the body limit, the guard (request id, token,
decision log) and, only when origins are named, CORS. The error handlers
turn every error into the declared {"error": {"code", "message"}} answer.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from sw_policy._version import __version__
from sw_policy.errors import PolicyError
from sw_policy.server.admin import add_admin_routes
from sw_policy.server.decision_log import DecisionLog
from sw_policy.server.endpoints import add_routes
from sw_policy.server.errors import ServiceError, from_exception
from sw_policy.server.evaluation import FastEvaluate
from sw_policy.server.guard import Guard
from sw_policy.server.limits import BodyLimit
from sw_policy.server.openapi import document
from sw_policy.server.service import (
    Service,
    ServiceConfig,
    error_response,
    request_info,
    validation_text,
)

__all__ = ["ServiceConfig", "create_app"]


def create_app(config: ServiceConfig | None = None) -> Any:
    """The ASGI application: the FastAPI app inside the guard and the body limit."""
    config = config or ServiceConfig()
    service = Service(config)
    app = FastAPI(
        title="sw-policy",
        version=__version__,
        summary="Chinese social-work workforce policy as executable, cited checks.",
        docs_url=None,
        redoc_url=None,
    )
    add_routes(app, service)
    add_admin_routes(app, service)
    _handlers(app, service)
    app.openapi = lambda: document(app)  # type: ignore[method-assign]
    outer: Any = BodyLimit(FastEvaluate(app, service), config.limits)
    log = (
        DecisionLog(config.decision_log, max_bytes=config.decision_log_bytes)
        if config.decision_log is not None
        else None
    )
    service.log = log
    outer = Guard(
        outer,
        token=config.token,
        admin_token=config.admin_token,
        log=log,
        rulebook_sha256=lambda: service.rulebook.sha256,
    )
    if config.cors_origins:
        from starlette.middleware.cors import CORSMiddleware  # noqa: PLC0415

        outer = CORSMiddleware(
            outer,
            allow_origins=list(config.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type"],
        )
    outer.service = service  # tests and the CLI close the monitor through it
    outer.fastapi = app  # the OpenAPI document is built from it
    return outer


def _handlers(app: FastAPI, service: Service) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        request_info(request)["error"] = exc.code
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(PolicyError)
    async def policy_error(request: Request, exc: PolicyError) -> JSONResponse:
        mapped = from_exception(exc, service.config.limits.records)
        request_info(request)["error"] = mapped.code
        return error_response(mapped.status, mapped.code, mapped.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        request_info(request)["error"] = "request_invalid"
        return error_response(422, "request_invalid", validation_text(exc.errors()))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        # Starlette answers with this, then raises again: the guard logs the trace.
        info = request_info(request)
        info["error"] = "internal"
        request_id = info.get("request_id", "?")
        return error_response(
            500, "internal", f"internal error (request {request_id}); please report it"
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "request_invalid")
        request_info(request)["error"] = code
        return error_response(exc.status_code, code, str(exc.detail))
