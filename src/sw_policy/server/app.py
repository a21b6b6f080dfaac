"""The application factory: `create_app(ServiceConfig(...))` gives the FastAPI app.

The rulebook is loaded once, at creation, and never changes while serving
(a new rulebook means a restart). Every endpoint delegates to the library:
checks to server/runs.py (the CLI's run), evaluate to Rulebook.evaluate, the
impact to drafting/impact.py, coverage to drafting/catalogue.py, events to
the public Monitor. Blocking work runs in the thread pool under the time limit.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from sw_policy._version import __version__
from sw_policy.checking.coerce import as_of_date
from sw_policy.checking.monitoring import Monitor
from sw_policy.checking.rulebook import Rulebook, load_rulebook
from sw_policy.errors import PolicyError, RecordError
from sw_policy.findings import Report
from sw_policy.inputs import json_text
from sw_policy.limits import Limits, using_limits
from sw_policy.server.decision_log import DecisionLog
from sw_policy.server.errors import ServiceError, from_exception
from sw_policy.server.guard import STATE_KEY, Guard
from sw_policy.server.limits import BodyLimit, ServiceLimits
from sw_policy.server.models import (
    ISO_DATE,
    DiffRequest,
    DiffResponse,
    ErrorResponse,
    EvaluateRequest,
    EvaluateResponse,
    EventResponse,
    Health,
    VersionResponse,
)
from sw_policy.server.openapi import ERRORS, body_of, check_responses, document
from sw_policy.server.runs import CheckOptions, CheckResult, run_check

__all__ = ["ServiceConfig", "create_app"]

T = TypeVar("T")
Format = Literal["json", "jsonl", "csv", "html", "md", "xlsx"]
Kind = Literal["budget", "worker", "community", "institution", "region"]
InputFormat = Literal["csv", "xlsx", "json", "jsonl", "parquet"]


@dataclass(frozen=True)
class ServiceConfig:
    """Everything `sw-policy serve` is told (see its --help and docs/service.md)."""

    rules_dir: Path | None = None
    exclude_drafts: bool = False
    token: str | None = None
    cors_origins: tuple[str, ...] = ()
    decision_log: Path | None = None
    decision_log_bytes: int = 100 << 20
    state: Path | None = None
    monitor_as_of: dt.date | None = None
    limits: ServiceLimits = field(default_factory=ServiceLimits)


class _Service:
    """What the endpoints share: the rulebook (and its variants by --set), the monitor."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.rulebook = load_rulebook(config.rules_dir, exclude_drafts=config.exclude_drafts)
        self.rules_name = "bundled" if config.rules_dir is None else str(config.rules_dir)
        self._variants: OrderedDict[tuple[str, ...], Rulebook] = OrderedDict()
        self._variants_lock = threading.Lock()
        self.monitor_lock = threading.Lock()
        self.monitor: Monitor | None = None
        self.reader_limits = Limits(rows=config.limits.records)
        self.log: DecisionLog | None = None

    def with_sets(self, sets: tuple[str, ...]) -> Rulebook:
        """The rulebook with `--set` overrides (the last 16 kept)."""
        if not sets:
            return self.rulebook
        from sw_policy.rulebook.overrides import parse_overrides  # noqa: PLC0415

        key = tuple(sorted(sets))
        with self._variants_lock:
            found = self._variants.get(key)
            if found is not None:
                self._variants.move_to_end(key)
                return found
        changed = self.rulebook.with_parameters(parse_overrides(list(sets)))
        with self._variants_lock:
            self._variants[key] = changed
            while len(self._variants) > 16:
                self._variants.popitem(last=False)
        return changed

    def open_monitor(self) -> Monitor:
        if self.monitor is None:
            self.monitor = Monitor(
                self.rulebook, as_of=self.config.monitor_as_of, state=self.config.state
            )
        return self.monitor

    def close(self) -> None:
        """Close the monitor (its state file is committed) and the decision log."""
        with self.monitor_lock:
            if self.monitor is not None:
                self.monitor.close()
                self.monitor = None
        if self.log is not None:
            self.log.close()

    async def run(self, request: Request, work: Callable[[], T]) -> T:
        """`work` in the thread pool, under the reader limits and the time limit."""

        def limited() -> T:
            with using_limits(self.reader_limits):
                return work()

        try:
            return await asyncio.wait_for(
                run_in_threadpool(limited), timeout=self.config.limits.seconds
            )
        except TimeoutError:
            raise ServiceError(
                503,
                "timeout",
                f"the request took longer than this server's limit "
                f"seconds={self.config.limits.seconds:g}; send fewer records at a time",
            ) from None
        except PolicyError as exc:
            raise from_exception(exc, self.config.limits.records) from None


def _info(request: Request) -> dict[str, Any]:
    info: dict[str, Any] = request.scope.setdefault(STATE_KEY, {})
    return info


async def _body(request: Request) -> bytes:
    data = await request.body()
    _info(request)["input_sha256"] = hashlib.sha256(data).hexdigest()
    return data


def _json(data: bytes) -> Any:
    """The body as JSON, numbers as exact decimals; ServiceError when it is not JSON."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
        value = json_text.loads(text)
    except UnicodeDecodeError as exc:
        raise ServiceError(422, "request_invalid", f"body: not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ServiceError(
            422, "request_invalid", f"body: not valid JSON ({exc.msg}, column {exc.colno})"
        ) from None
    except (RecursionError, ValueError) as exc:
        raise ServiceError(422, "request_invalid", f"body: JSON not readable ({exc})") from None
    problems = json_text.duplicate_keys(value)
    if problems:
        raise ServiceError(422, "request_invalid", "body: " + "; ".join(problems))
    return value


def _validated(model: type[T], value: Any) -> T:
    try:
        return model.model_validate(value)  # type: ignore[attr-defined, no-any-return]
    except ValidationError as exc:
        raise ServiceError(422, "request_invalid", _validation_text(exc.errors())) from None


def _validation_text(errors: Any) -> str:
    parts = []
    for error in list(errors)[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def _as_of(text: str | None) -> dt.date | None:
    return None if text is None else as_of_date(text)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _check_response(request: Request, result: CheckResult, as_of: dt.date | None) -> Response:
    info = _info(request)
    info.update(
        as_of=as_of.isoformat() if as_of else None,
        records=result.summary.get("records"),
        outcomes=result.summary.get("by_outcome"),
        failing_rules=list(result.failing_rules),
        failing_records=list(result.failing_records),
    )
    return Response(
        result.body,
        media_type=result.media_type,
        headers={"x-sw-policy-status": str(result.status)},
    )


def create_app(config: ServiceConfig | None = None) -> Any:
    """The ASGI application: the FastAPI app inside the guard and the body limit."""
    config = config or ServiceConfig()
    service = _Service(config)
    app = FastAPI(
        title="sw-policy",
        version=__version__,
        summary="Chinese social-work workforce policy as executable, cited checks.",
        docs_url=None,
        redoc_url=None,
    )
    _routes(app, service)
    _handlers(app, service)
    app.openapi = lambda: document(app)  # type: ignore[method-assign]
    outer: Any = BodyLimit(app, config.limits)
    log = (
        DecisionLog(config.decision_log, max_bytes=config.decision_log_bytes)
        if config.decision_log is not None
        else None
    )
    service.log = log
    outer = Guard(outer, token=config.token, log=log, rulebook_sha256=service.rulebook.sha256)
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


def _handlers(app: FastAPI, service: _Service) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> JSONResponse:
        _info(request)["error"] = exc.code
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(PolicyError)
    async def policy_error(request: Request, exc: PolicyError) -> JSONResponse:
        mapped = from_exception(exc, service.config.limits.records)
        _info(request)["error"] = mapped.code
        return _error(mapped.status, mapped.code, mapped.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        _info(request)["error"] = "request_invalid"
        return _error(422, "request_invalid", _validation_text(exc.errors()))

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> JSONResponse:
        # Starlette answers with this, then raises again: the guard logs the trace.
        info = _info(request)
        info["error"] = "internal"
        request_id = info.get("request_id", "?")
        return _error(500, "internal", f"internal error (request {request_id}); please report it")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "request_invalid")
        _info(request)["error"] = code
        return _error(exc.status_code, code, str(exc.detail))


AsOfQuery = Annotated[
    str | None,
    Query(pattern=ISO_DATE, description="Date to judge at (YYYY-MM-DD) for records without one."),
]


def _routes(app: FastAPI, service: _Service) -> None:  # noqa: PLR0915 (one place for all)
    rulebook = service.rulebook

    @app.get("/health", response_model=Health, tags=["service"], openapi_extra={"security": []})
    async def health() -> dict[str, str]:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/ready", response_model=Health, tags=["service"], openapi_extra={"security": []})
    async def ready() -> dict[str, str]:
        """The rulebook is loaded (it is before the first request is accepted)."""
        return {"status": "ready"}

    @app.get("/v1/version", response_model=VersionResponse, tags=["service"], responses=ERRORS)
    async def version() -> dict[str, Any]:
        """Engine version, rulebook digest and the source documents with their status."""
        return {
            "api": "v1",
            "engine": {"name": "sw-policy", "version": __version__},
            "rulebook": {
                "sha256": rulebook.sha256,
                "rules": len(rulebook.rules),
                "rules_dir": service.rules_name,
            },
            "sources": [
                {
                    "id": s.id,
                    "number": s.number,
                    "title": s.title,
                    "issued": s.issued,
                    "status": s.status,
                    "jurisdiction": s.jurisdiction,
                }
                for s in rulebook.sources
            ],
        }

    @app.get("/v1/rules", response_model=list[dict[str, Any]], tags=["rules"], responses=ERRORS)
    async def rules() -> list[dict[str, Any]]:
        """Every rule, as `sw-policy rules list --format json` prints it."""
        return [r.model_dump(mode="json", exclude_none=True) for r in rulebook.rules]

    @app.get("/v1/rules/{rule_id}", response_model=dict[str, Any], tags=["rules"], responses=ERRORS)
    async def rule(rule_id: str) -> dict[str, Any]:
        """One rule in full; 404 unknown_rule (with suggestions) when there is none."""
        return rulebook.rule(rule_id).model_dump(mode="json", exclude_none=True)

    @app.get("/v1/coverage", response_model=list[dict[str, str]], tags=["rules"], responses=ERRORS)
    async def coverage() -> list[dict[str, str]]:
        """Every numbered clause: encoded by which rule, or why not (`rules coverage`)."""
        from sw_policy.drafting.catalogue import coverage_rows  # noqa: PLC0415

        return coverage_rows(rulebook)

    @app.post(
        "/v1/check",
        response_model=Report,
        tags=["check"],
        responses=check_responses(),
        openapi_extra=body_of("RecordList", "application/json"),
    )
    async def check(  # noqa: PLR0917 (query parameters)
        request: Request,
        as_of: AsOfQuery = None,
        fmt: Annotated[Format, Query(alias="format")] = "json",
        lang: Literal["zh", "en"] | None = None,
        kind: Kind | None = None,
        only_failures: bool = False,
        include_not_applicable: bool = False,
        drafts_binding: bool = False,
        strict_columns: bool = False,
        jurisdiction: Annotated[str | None, Query(max_length=40)] = None,
        sets: Annotated[list[str] | None, Query(alias="set", max_length=50)] = None,
    ) -> Response:
        """Records (a JSON array, as in a check input file) → the report.

        Byte-identical to `sw-policy check records.json --format F` for the same
        bytes and options; the exit status the CLI would give is in the
        `x-sw-policy-status` header (0, 1 or 3). A bad record is a rejection in
        the report, not a failed request.
        """
        data = await _body(request)
        options = _options(
            as_of,
            fmt,
            lang,
            kind,
            only_failures,
            include_not_applicable,
            drafts_binding,
            strict_columns,
            jurisdiction,
            sets,
        )
        result = await service.run(request, lambda: _check(service, data, "records.json", options))
        return _check_response(request, result, options.as_of)

    @app.post(
        "/v1/check/file",
        response_model=Report,
        tags=["check"],
        responses=check_responses(),
        openapi_extra=body_of(None, "application/octet-stream"),
    )
    async def check_file(  # noqa: PLR0917 (query parameters)
        request: Request,
        input_format: Annotated[InputFormat, Query(alias="input")],
        as_of: AsOfQuery = None,
        fmt: Annotated[Format, Query(alias="format")] = "json",
        lang: Literal["zh", "en"] | None = None,
        kind: Kind | None = None,
        only_failures: bool = False,
        include_not_applicable: bool = False,
        drafts_binding: bool = False,
        strict_columns: bool = False,
        jurisdiction: Annotated[str | None, Query(max_length=40)] = None,
        sets: Annotated[list[str] | None, Query(alias="set", max_length=50)] = None,
    ) -> Response:
        """An uploaded file (the raw bytes; `input` says its format) → the report.

        As `sw-policy check upload.<input> --format F`; the file is written to a
        private temporary folder and removed after the check.
        """
        data = await _body(request)
        options = _options(
            as_of,
            fmt,
            lang,
            kind,
            only_failures,
            include_not_applicable,
            drafts_binding,
            strict_columns,
            jurisdiction,
            sets,
        )
        name = f"upload.{input_format}"
        result = await service.run(request, lambda: _check(service, data, name, options))
        return _check_response(request, result, options.as_of)

    @app.post(
        "/v1/evaluate",
        response_model=EvaluateResponse,
        tags=["check"],
        responses=ERRORS,
        openapi_extra=body_of("EvaluateRequest", "application/json"),
    )
    async def evaluate(request: Request) -> Response:
        """One record → its findings, in rule order (422 record_invalid if it does not validate)."""
        asked = _validated(EvaluateRequest, _json(await _body(request)))
        day = _as_of(asked.as_of)
        assert day is not None

        def work() -> bytes:
            findings = rulebook.evaluate(
                asked.record, as_of=day, include_not_applicable=asked.include_not_applicable
            )
            info = _info(request)
            info["failing_rules"] = sorted({f.rule_id for f in findings if f.outcome == "fail"})
            info["failing_records"] = sorted({f.record_id for f in findings if f.outcome == "fail"})
            return EvaluateResponse(findings=findings).model_dump_json().encode("utf-8")

        _info(request).update(as_of=day.isoformat(), records=1)
        return Response(await service.run(request, work), media_type="application/json")

    @app.post(
        "/v1/diff",
        response_model=DiffResponse,
        tags=["drafting"],
        responses=ERRORS,
        openapi_extra=body_of("DiffRequest", "application/json"),
    )
    async def diff(request: Request) -> Response:
        """The impact of parameter overrides over the posted records (`sw-policy diff --set`)."""
        asked = _validated(DiffRequest, _json(await _body(request)))
        day = _as_of(asked.as_of)
        sets = tuple(f"{k}={v}" for k, v in sorted(asked.set.items()))
        _info(request).update(as_of=day.isoformat() if day else None, records=len(asked.records))

        def work() -> str:
            from sw_policy.drafting.impact import compare_reports, render_impact  # noqa: PLC0415

            if len(asked.records) > service.config.limits.records:
                raise ServiceError(*_too_many(service.config.limits.records))
            new = service.with_sets(sets)
            before = rulebook.check(asked.records, as_of=day)
            after = new.check(asked.records, as_of=day)
            return render_impact(compare_reports(before, after), "json")

        text = await service.run(request, work)
        return Response(text.encode("utf-8"), media_type="application/json")

    @app.post(
        "/v1/events",
        response_model=EventResponse,
        tags=["monitor"],
        responses=ERRORS,
        openapi_extra=body_of("Event", "application/json"),
    )
    async def events(request: Request) -> EventResponse:
        """One event (a record upsert, a delete or an advance) → the findings it changed.

        The line protocol of `sw-policy watch`; with `--state` the monitor's state
        survives a restart. An event whose event_id was applied before changes nothing.
        """
        data = _json(await _body(request))

        def work() -> EventResponse:
            from sw_policy.engines.stream.watch import apply_line, event_id_of  # noqa: PLC0415

            with service.monitor_lock:
                monitor = service.open_monitor()
                try:
                    event_id = event_id_of(data) if isinstance(data, dict) else None
                    if event_id is not None and monitor.applied(event_id):
                        return EventResponse(event_id=event_id, duplicate=True)
                    changes = apply_line(monitor, data, event_id)
                except RecordError as exc:
                    raise ServiceError(422, "record_invalid", "; ".join(exc.errors)) from None
                except ValueError as exc:
                    raise ServiceError(422, "request_invalid", str(exc)) from None
                _info(request)["as_of"] = monitor.as_of.isoformat()
            return EventResponse(
                event_id=event_id, changes=[json.loads(c.to_json()) for c in changes]
            )

        return await service.run(request, work)


def _too_many(limit: int) -> tuple[int, str, str]:
    return (
        422,
        "too_many_records",
        f"records: more than {limit} in one request, beyond this server's limit "
        f"records={limit}; split the request into smaller ones",
    )


def _options(  # noqa: PLR0917 (the query parameters, in order)
    as_of: str | None,
    fmt: str,
    lang: str | None,
    kind: str | None,
    only_failures: bool,
    include_not_applicable: bool,
    drafts_binding: bool,
    strict_columns: bool,
    jurisdiction: str | None,
    sets: list[str] | None,
) -> CheckOptions:
    return CheckOptions(
        as_of=_as_of(as_of),
        fmt=fmt,
        lang=lang,
        kind=kind,
        only_failures=only_failures,
        include_not_applicable=include_not_applicable,
        drafts_binding=drafts_binding,
        strict_columns=strict_columns,
        jurisdiction=jurisdiction,
        sets=tuple(sets or ()),
    )


def _check(service: _Service, data: bytes, name: str, options: CheckOptions) -> CheckResult:
    return run_check(
        service.with_sets(options.sets),
        data,
        name,
        options,
        rules_name=service.rules_name,
        exclude_drafts=service.config.exclude_drafts,
    )


_ = ErrorResponse  # declared in every error response (server/openapi.py)
