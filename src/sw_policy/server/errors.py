"""Every error the service answers with: a status, a machine-readable code, the CLI's words.

A PolicyError becomes the line `sw-policy check` would print after
"sw-policy: error: " (control characters escaped the same way); anything
unexpected becomes 500 "internal" with a request id and nothing else, never a
stack trace. ERROR_CODES is the declared list (docs/service.md, the OpenAPI
document).
"""

from __future__ import annotations

from sw_policy.errors import (
    ColumnarInputError,
    InputFileError,
    LimitError,
    MonitorClosedError,
    OverrideError,
    PolicyError,
    RecordError,
    RuleFileError,
    StreamUnavailableError,
    UnknownRuleError,
    UnsupportedConstructError,
    UsageError,
)
from sw_policy.reports.safe_text import escape_controls

__all__ = ["ERROR_CODES", "ServiceError", "from_exception"]

ERROR_CODES: dict[str, str] = {
    "request_invalid": "the request is not what the endpoint takes (the message says why)",
    "record_invalid": "a record does not validate (field: reason, as the CLI says it)",
    "input_unreadable": "the posted data cannot be read at all (not JSON, not a known format)",
    "override_invalid": "a parameter override names no parameter or gives a bad value",
    "too_many_records": "more records in one request than this server's limit `records`",
    "limit_exceeded": "the data goes beyond a reader limit (cell, line, nesting, workbook size)",
    "body_too_large": "the request body or upload is larger than the server's limit",
    "unknown_rule": "no rule with this id (suggestions in the message)",
    "unauthorized": "a bearer token is required and was missing or wrong",
    "admin_disabled": "an admin call, and the server was started without --admin-token-file",
    "rulebook_invalid": "an admin reload found rules that do not load; the old ones still serve",
    "not_found": "no such endpoint",
    "method_not_allowed": "the endpoint does not take this method",
    "unsupported": "an engine cannot judge a construct exactly, or the monitor is unavailable",
    "timeout": "the request took longer than the server's limit `seconds`",
    "internal": "a bug: the message carries only the request id to report",
}


class ServiceError(Exception):
    """An error response: HTTP status, code (one of ERROR_CODES) and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(status, code, message)
        self.status = status
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"


_BY_TYPE: tuple[tuple[type[PolicyError], int, str], ...] = (
    (UnknownRuleError, 404, "unknown_rule"),
    (RecordError, 422, "record_invalid"),
    (InputFileError, 422, "input_unreadable"),
    (OverrideError, 422, "override_invalid"),
    (ColumnarInputError, 422, "input_unreadable"),
    (UsageError, 422, "request_invalid"),
    (UnsupportedConstructError, 422, "unsupported"),
    (StreamUnavailableError, 422, "unsupported"),
    (MonitorClosedError, 503, "unsupported"),
    (RuleFileError, 422, "request_invalid"),
)


def from_exception(exc: PolicyError, records_limit: int) -> ServiceError:
    """The response for a PolicyError raised while serving a request."""
    message = escape_controls(str(exc))
    if isinstance(exc, LimitError):
        if exc.name == "rows":
            return ServiceError(
                422,
                "too_many_records",
                f"records: more than {records_limit} in one request, beyond this server's "
                f"limit records={records_limit}; split the request into smaller ones",
            )
        if exc.name == "file_bytes":
            return ServiceError(413, "body_too_large", message)
        return ServiceError(422, "limit_exceeded", message)
    for kind, status, code in _BY_TYPE:
        if isinstance(exc, kind):
            return ServiceError(status, code, message)
    return ServiceError(422, "request_invalid", message)
