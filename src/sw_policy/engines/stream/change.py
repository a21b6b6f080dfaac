"""One change a monitor reports: a finding whose outcome changed, numbered, with its cause."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sw_policy.findings import Finding, Outcome

__all__ = ["Change"]

_encode = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses


@dataclass(frozen=True, slots=True)
class Change:
    """One finding whose outcome changed: `before`/`after` are outcomes, None if absent.

    `seq` numbers changes 1, 2, 3… over the monitor's life (kept in its state
    file); `event` numbers the events applied, `event_id` is the caller's id of
    the causing event (None if it gave none) and `op` what it was: "upsert",
    "delete" (the record is gone) or "advance" (time passed).
    """

    kind: str
    record_id: str
    rule_id: str
    before: Outcome | None
    after: Outcome | None
    finding: Finding | None  # the current finding; None when it disappeared
    seq: int = 0
    event: int = 0
    event_id: str | None = None
    op: str = "upsert"

    def to_json(self) -> str:
        """One JSON line: numbering, cause, record, rule, from, to, finding (as in the report).

        Written from a template: the same text as json.dumps of the fields in this
        order (compact, ensure_ascii=False), then the finding as the report writes
        it; tests/test_stream_fast_paths.py holds it to that reference.
        """
        body = "null" if self.finding is None else self.finding.model_dump_json()
        return f"{self._head()}{body}}}"

    def to_line(self) -> bytes:
        """to_json() and a newline, as UTF-8: what `watch` writes.

        The finding goes from pydantic's serialiser to bytes directly:
        model_dump_json() decodes its bytes to a str that the writer then
        encodes again, about half as long again as serialising itself.
        """
        head = self._head().encode("utf-8")
        if self.finding is None:
            return head + b"null}\n"
        body = type(self.finding).__pydantic_serializer__.to_json(self.finding)
        return b"".join((head, body, b"}\n"))

    def _head(self) -> str:
        """The line up to its finding: json.dumps of the fields in order, compact."""
        return (
            f'{{"seq":{self.seq:d},"event":{self.event:d},"event_id":{_text(self.event_id)},'
            f'"op":{_text(self.op)},"kind":{_text(self.kind)},'
            f'"record_id":{_text(self.record_id)},"rule_id":{_text(self.rule_id)},'
            f'"from":{_text(self.before)},"to":{_text(self.after)},"finding":'
        )


def _text(value: str | None) -> str:
    """A JSON string (as json.dumps with ensure_ascii=False writes it) or null."""
    return "null" if value is None else _encode(value)
