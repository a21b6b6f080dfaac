"""One change a monitor reports: a finding whose outcome changed, numbered, with its cause."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sw_policy.findings import Finding, Outcome

__all__ = ["Change"]


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
        """One JSON line: numbering, cause, record, rule, from, to, finding (as in the report)."""
        head = json.dumps(
            {
                "seq": self.seq,
                "event": self.event,
                "event_id": self.event_id,
                "op": self.op,
                "kind": self.kind,
                "record_id": self.record_id,
                "rule_id": self.rule_id,
                "from": self.before,
                "to": self.after,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        body = "null" if self.finding is None else self.finding.model_dump_json()
        return f'{head[:-1]},"finding":{body}}}'
