"""Admin calls: `POST /v1/admin/reload` swaps in the rules directory as it is now on disk.

Off unless `sw-policy serve --admin-token-file FILE` is given: the admin token
is its own secret, so the systems that post records (with `--token-file`'s
token) cannot change the rules they are judged by. The guard checks the admin
token on every /v1/admin/ path (server/guard.py); this module only reloads.
"""

from __future__ import annotations

from fastapi import FastAPI, Request

from sw_policy.errors import PolicyError
from sw_policy.reports.safe_text import escape_controls
from sw_policy.server.errors import ServiceError
from sw_policy.server.models import ReloadResponse
from sw_policy.server.openapi import ADMIN_ERRORS
from sw_policy.server.service import Service, request_info

__all__ = ["add_admin_routes"]


def add_admin_routes(app: FastAPI, service: Service) -> None:
    @app.post(
        "/v1/admin/reload",
        response_model=ReloadResponse,
        tags=["admin"],
        responses=ADMIN_ERRORS,
        openapi_extra={"security": [{"admin": []}]},
    )
    async def reload(request: Request) -> ReloadResponse:
        """Re-read and validate the rules directory the server was started with; swap it in.

        Needs `Authorization: Bearer <admin token>` (`--admin-token-file`).
        Requests already running finish on the old rulebook. A rulebook that
        does not load leaves the old one serving: 422 rulebook_invalid with
        the loader's message. The monitor of /v1/events keeps its rules.
        """

        def work() -> ReloadResponse:
            try:
                old, new = service.reload()
            except PolicyError as exc:
                raise ServiceError(422, "rulebook_invalid", escape_controls(str(exc))) from None
            request_info(request)["rulebook_sha256"] = new.sha256
            return ReloadResponse(
                old_sha256=old.sha256,
                new_sha256=new.sha256,
                changed=old.sha256 != new.sha256,
                rules=len(new.rules),
                rules_dir=service.rules_name,
            )

        return await service.run_plain(work)
