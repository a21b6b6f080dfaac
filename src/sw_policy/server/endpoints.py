"""The endpoints, each delegating to the library (see server/app.py for the whole).

Checks go to server/runs.py (the CLI's run), evaluate to Rulebook.evaluate,
the impact to drafting/impact.py, coverage to drafting/catalogue.py, events
to the public Monitor.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import Response

from sw_policy._version import __version__
from sw_policy.errors import RecordError
from sw_policy.findings import Report
from sw_policy.server.errors import ServiceError
from sw_policy.server.evaluation import evaluate_body
from sw_policy.server.models import (
    ISO_DATE,
    DiffRequest,
    DiffResponse,
    EvaluateResponse,
    EventResponse,
    Health,
    VersionResponse,
)
from sw_policy.server.openapi import ERRORS, body_of, check_responses
from sw_policy.server.runs import CheckOptions, CheckResult, run_check
from sw_policy.server.service import (
    Service,
    check_response,
    date_of,
    parse_json,
    read_body,
    request_info,
    validated,
)

__all__ = ["add_routes"]

Format = Literal["json", "jsonl", "csv", "html", "md", "xlsx"]
Kind = Literal["budget", "worker", "community", "institution", "region"]
InputFormat = Literal["csv", "xlsx", "json", "jsonl", "parquet"]

AsOfQuery = Annotated[
    str | None,
    Query(pattern=ISO_DATE, description="Date to judge at (YYYY-MM-DD) for records without one."),
]


def add_routes(app: FastAPI, service: Service) -> None:  # noqa: PLR0915 (one place for all)
    # Each request reads service.rulebook once: an admin reload swaps it between requests.

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
        rulebook = service.rulebook
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
        return [r.model_dump(mode="json", exclude_none=True) for r in service.rulebook.rules]

    @app.get("/v1/rules/{rule_id}", response_model=dict[str, Any], tags=["rules"], responses=ERRORS)
    async def rule(rule_id: str) -> dict[str, Any]:
        """One rule in full; 404 unknown_rule (with suggestions) when there is none."""
        return service.rulebook.rule(rule_id).model_dump(mode="json", exclude_none=True)

    @app.get("/v1/coverage", response_model=list[dict[str, str]], tags=["rules"], responses=ERRORS)
    async def coverage() -> list[dict[str, str]]:
        """Every numbered clause: encoded by which rule, or why not (`rules coverage`)."""
        from sw_policy.drafting.catalogue import coverage_rows  # noqa: PLC0415

        return coverage_rows(service.rulebook)

    @app.post(
        "/v1/check",
        response_model=Report,
        tags=["check"],
        responses=check_responses(),
        openapi_extra=body_of("RecordList", "application/json"),
    )
    async def check(request: Request, options: CheckQuery) -> Response:
        """Records (a JSON array, as in a check input file) → the report.

        Byte-identical to `sw-policy check records.json --format F` for the same
        bytes and options; the exit status the CLI would give is in the
        `x-sw-policy-status` header (0, 1 or 3). A bad record is a rejection in
        the report, not a failed request.
        """
        data = await read_body(request)
        info = request_info(request)
        result = await service.run(
            request, lambda: _check(service, data, "records.json", options, info)
        )
        return check_response(request, result, options.as_of)

    @app.post(
        "/v1/check/file",
        response_model=Report,
        tags=["check"],
        responses=check_responses(),
        openapi_extra=body_of(None, "application/octet-stream"),
    )
    async def check_file(
        request: Request,
        input_format: Annotated[InputFormat, Query(alias="input")],
        options: CheckQuery,
    ) -> Response:
        """An uploaded file (the raw bytes; `input` says its format) → the report.

        As `sw-policy check upload.<input> --format F`; the file is written to a
        private temporary folder and removed after the check.
        """
        data = await read_body(request)
        name = f"upload.{input_format}"
        info = request_info(request)
        result = await service.run(request, lambda: _check(service, data, name, options, info))
        return check_response(request, result, options.as_of)

    @app.post(
        "/v1/evaluate",
        response_model=EvaluateResponse,
        tags=["check"],
        responses=ERRORS,
        openapi_extra=body_of("EvaluateRequest", "application/json"),
    )
    async def evaluate(request: Request) -> Response:
        """One record → its findings, in rule order (422 record_invalid if it does not validate)."""
        data = await read_body(request)
        info = request_info(request)
        return Response(
            await service.run(request, lambda: evaluate_body(service, data, info)),
            media_type="application/json",
        )

    @app.post(
        "/v1/diff",
        response_model=DiffResponse,
        tags=["drafting"],
        responses=ERRORS,
        openapi_extra=body_of("DiffRequest", "application/json"),
    )
    async def diff(request: Request) -> Response:
        """The impact of parameter overrides over the posted records (`sw-policy diff --set`)."""
        asked = validated(DiffRequest, parse_json(await read_body(request)))
        day = date_of(asked.as_of)
        sets = tuple(f"{k}={v}" for k, v in sorted(asked.set.items()))
        request_info(request).update(
            as_of=day.isoformat() if day else None, records=len(asked.records)
        )

        def work() -> str:
            from sw_policy.drafting.impact import compare_reports, render_impact  # noqa: PLC0415

            if len(asked.records) > service.config.limits.records:
                raise ServiceError(*_too_many(service.config.limits.records))
            rulebook = service.rulebook
            new = service.with_sets(sets, rulebook)
            request_info(request)["rulebook_sha256"] = rulebook.sha256
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
        data = parse_json(await read_body(request))

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
                request_info(request).update(
                    as_of=monitor.as_of.isoformat(), rulebook_sha256=monitor.rulebook.sha256
                )
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


def check_options(  # noqa: PLR0917 (the query parameters, in order)
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
) -> CheckOptions:
    """The query parameters both check endpoints take (one dependency, one place)."""
    return CheckOptions(
        as_of=date_of(as_of),
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


CheckQuery = Annotated[CheckOptions, Depends(check_options)]


def _check(
    service: Service, data: bytes, name: str, options: CheckOptions, info: dict[str, Any]
) -> CheckResult:
    rulebook = service.rulebook
    info["rulebook_sha256"] = rulebook.sha256
    return run_check(
        service.with_sets(options.sets, rulebook),
        data,
        name,
        options,
        rules_name=service.rules_name,
        exclude_drafts=service.config.exclude_drafts,
    )
