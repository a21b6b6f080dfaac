"""What the endpoints share: the configuration, the loaded rulebook, the monitor, body parsing.

The rulebook is loaded once, when the Service is made, and changes only by
restart or an explicit admin call (Service.reload: the new rulebook is loaded
and validated whole, then swapped in one assignment; a request holds the
rulebook it started with). Blocking work runs in the thread pool under the
readers' limits and the time limit (Service.run).
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
from typing import Any, TypeVar

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from sw_policy.checking.coerce import as_of_date
from sw_policy.checking.monitoring import Monitor
from sw_policy.checking.rulebook import Rulebook, load_rulebook
from sw_policy.errors import PolicyError
from sw_policy.inputs import json_text
from sw_policy.limits import Limits, using_limits
from sw_policy.server.decision_log import DecisionLog
from sw_policy.server.errors import ServiceError, from_exception
from sw_policy.server.guard import STATE_KEY
from sw_policy.server.limits import ServiceLimits
from sw_policy.server.runs import CheckResult

__all__ = ["Service", "ServiceConfig"]

T = TypeVar("T")


@dataclass(frozen=True)
class ServiceConfig:
    """Everything `sw-policy serve` is told (see its --help and docs/service.md)."""

    rules_dir: Path | None = None
    exclude_drafts: bool = False
    token: str | None = None
    admin_token: str | None = None
    cors_origins: tuple[str, ...] = ()
    decision_log: Path | None = None
    decision_log_bytes: int = 100 << 20
    state: Path | None = None
    monitor_as_of: dt.date | None = None
    limits: ServiceLimits = field(default_factory=ServiceLimits)


class Service:
    """What the endpoints share: the rulebook (and its variants by --set), the monitor."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.rulebook = load_rulebook(config.rules_dir, exclude_drafts=config.exclude_drafts)
        self.rules_name = "bundled" if config.rules_dir is None else str(config.rules_dir)
        self._variants: OrderedDict[tuple[str, ...], Rulebook] = OrderedDict()
        self._variants_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self.monitor_lock = threading.Lock()
        self.monitor: Monitor | None = None
        self.reader_limits = Limits(rows=config.limits.records)
        self.log: DecisionLog | None = None

    def with_sets(self, sets: tuple[str, ...], base: Rulebook | None = None) -> Rulebook:
        """`base` (default: the rulebook served) with `--set` overrides (the last 16 kept)."""
        base = self.rulebook if base is None else base
        if not sets:
            return base
        from sw_policy.rulebook.overrides import parse_overrides  # noqa: PLC0415

        # Keyed by the base's digest too: a variant made from the rulebook before a
        # reload is never served after it.
        key = (base.sha256, *sorted(sets))
        with self._variants_lock:
            found = self._variants.get(key)
            if found is not None:
                self._variants.move_to_end(key)
                return found
        changed = base.with_parameters(parse_overrides(list(sets)))
        with self._variants_lock:
            self._variants[key] = changed
            while len(self._variants) > 16:
                self._variants.popitem(last=False)
        return changed

    def reload(self) -> tuple[Rulebook, Rulebook]:
        """Re-read the rules directory served, validate it whole, then swap: (old, new).

        A PolicyError (the loader's one-line message) leaves the old rulebook
        serving. The monitor of /v1/events keeps the rulebook it opened with:
        its state is bound to those rules (restart to change them).
        """
        with self._reload_lock:
            old = self.rulebook
            new = load_rulebook(self.config.rules_dir, exclude_drafts=self.config.exclude_drafts)
            self.rulebook = new
            with self._variants_lock:
                self._variants.clear()
        return old, new

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
        return await self.run_plain(work)

    async def run_plain(self, work: Callable[[], T]) -> T:
        """As `run`, for callers outside FastAPI (server/evaluation.py)."""

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


def request_info(request: Request) -> dict[str, Any]:
    info: dict[str, Any] = request.scope.setdefault(STATE_KEY, {})
    return info


async def read_body(request: Request) -> bytes:
    data = await request.body()
    request_info(request)["input_sha256"] = input_digest(data)
    return data


def input_digest(data: bytes) -> str:
    """What the decision log records of a request body: its sha256."""
    return hashlib.sha256(data).hexdigest()


def parse_json(data: bytes) -> Any:
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


def validated(model: type[T], value: Any) -> T:
    try:
        return model.model_validate(value)  # type: ignore[attr-defined, no-any-return]
    except ValidationError as exc:
        raise ServiceError(422, "request_invalid", validation_text(exc.errors())) from None


def validation_text(errors: Any) -> str:
    parts = []
    for error in list(errors)[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    return "; ".join(parts)


def date_of(text: str | None) -> dt.date | None:
    return None if text is None else as_of_date(text)


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def check_response(request: Request, result: CheckResult, as_of: dt.date | None) -> Response:
    info = request_info(request)
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
