"""`sw-policy serve`: the HTTP service (the [server] extra), a thin shell over sw_policy.server."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ._common import choose, fail, policy_errors, rules_options


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@rules_options
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Require `Authorization: Bearer <token>` on /v1/ (the token: this file's first line).",
)
@click.option(
    "--admin-token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Allow POST /v1/admin/reload with `Authorization: Bearer <this file's first line>`.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Allow browser pages from this origin (repeatable). Default: CORS off.",
)
@click.option(
    "--decision-log",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Append one JSON line per request to this file (rotated by size, see docs/service.md).",
)
@click.option(
    "--decision-log-bytes",
    default=100 << 20,
    show_default=True,
    type=click.IntRange(1024),
    help="Rotate the decision log to FILE.1 (… FILE.5) past this size.",
)
@click.option(
    "--state",
    "state_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep the monitor's (/v1/events) state in this SQLite file; resume from it.",
)
@click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The monitor's date (/v1/events) when it starts without state. Default: today.",
)
@click.option(
    "--limit",
    "limits",
    multiple=True,
    metavar="NAME=VALUE",
    help="Raise or lower a service limit (repeatable): body_bytes, upload_bytes, records, "
    "seconds. See docs/service.md.",
)
@click.option(
    "--openapi",
    "print_openapi",
    is_flag=True,
    help="Print the OpenAPI document (docs/openapi.json) and exit.",
)
@policy_errors
def serve(
    host: str,
    port: int,
    rules_dir: Path | None,
    exclude_drafts: bool,
    token_file: Path | None,
    admin_token_file: Path | None,
    cors_origins: tuple[str, ...],
    decision_log: Path | None,
    decision_log_bytes: int,
    state_path: Path | None,
    as_of: dt.datetime | None,
    limits: tuple[str, ...],
    print_openapi: bool = False,
) -> None:
    """Serve the checks over HTTP: /v1/check, /v1/evaluate, /v1/rules … (docs/service.md).

    The rulebook is read once at start-up and stays as it is while serving:
    restart, or POST /v1/admin/reload (with --admin-token-file), to change
    it. Listens on 127.0.0.1 unless --host says otherwise.

    \b
    Example:
      sw-policy serve --port 8000 --decision-log decisions.jsonl
    """
    try:
        import uvicorn

        from sw_policy.server.app import ServiceConfig, create_app
    except ImportError:
        fail("sw-policy serve needs the server extra: pip install 'sw-policy[server]'")
        raise AssertionError from None  # pragma: no cover - fail exits
    from sw_policy.server.auth import read_token
    from sw_policy.server.limits import ServiceLimits, parse_service_limits

    try:
        service_limits = parse_service_limits(limits, ServiceLimits())
    except ValueError as exc:
        fail(str(exc))
        raise AssertionError from None  # pragma: no cover
    choice = choose(rules_dir)
    token = read_token(token_file) if token_file is not None else None
    admin_token = (
        read_token(admin_token_file, "--admin-token-file") if admin_token_file is not None else None
    )
    if admin_token is not None and admin_token == token:
        fail("--admin-token-file: the admin token must differ from the --token-file token")
    config = ServiceConfig(
        rules_dir=None if choice.bundled else choice.path,
        exclude_drafts=exclude_drafts,
        token=token,
        admin_token=admin_token,
        cors_origins=cors_origins,
        decision_log=decision_log,
        decision_log_bytes=decision_log_bytes,
        state=state_path,
        monitor_as_of=as_of.date() if as_of else None,
        limits=service_limits,
    )
    app = create_app(config)
    if print_openapi:
        from sw_policy.server.openapi import document_text

        click.echo(document_text(app.fastapi), nl=False)
        return
    click.echo(
        f"sw-policy: serving on http://{host}:{port} (rulebook {choice.describe()})", err=True
    )
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
    finally:
        app.service.close()
