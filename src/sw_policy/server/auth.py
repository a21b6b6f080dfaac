"""Optional bearer-token auth: `--token-file FILE`, compared in constant time.

The token is read once at start-up from a file (never from the command line,
where `ps` would show it). /health and /ready stay open so a load balancer can
probe without the secret; every /v1/ endpoint and the OpenAPI document need it.
"""

from __future__ import annotations

import hmac
from pathlib import Path

from sw_policy.errors import UsageError

__all__ = ["OPEN_PATHS", "authorised", "read_token"]

OPEN_PATHS = frozenset({"/health", "/ready"})


def read_token(path: Path, option: str = "--token-file") -> str:
    """The token in `path`: its first line, stripped; UsageError (naming `option`) if empty
    or unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{option} {path}: cannot read it ({exc})") from None
    token = text.strip().splitlines()[0].strip() if text.strip() else ""
    if len(token) < 16:
        raise UsageError(f"{option} {path}: the token must be at least 16 characters")
    return token


def authorised(header: str | None, token: str) -> bool:
    """Whether an Authorization header carries `Bearer <token>`."""
    if header is None:
        return False
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))
