"""Live monitoring: post events about records, get back the findings whose outcome changed.

A Monitor keeps every record's current state and, per record, each applicable
rule's current outcome, in plain dicts of its own. For each event it works out
which fields changed, asks durable_rules (see engines/stream/router.py) which rules
read them, judges those rules again with the exact engine that `check` uses,
and reports the findings whose outcome changed (or that appeared or
disappeared), each with its full finding. Full findings of unchanged outcomes
are not kept (about 4 KB each: 100 000 workers would need 400 MB more); they
are built again on demand by findings(), exactly as a batch `check` would.

Time does not advance by itself: a record is judged at its own `as_of`, or at
the monitor's `as_of` (fixed when it is opened; default today).

Thread-safety: every public method takes the monitor's lock, so one monitor may
be shared by threads; events are applied one at a time in the order the lock is
granted. Monitors are independent of each other.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sw_policy.engines.rule_store import Evaluator
from sw_policy.engines.stream.router import Router
from sw_policy.engines.stream.routing import ALWAYS_READ, SCOPE, routes, touched_fields
from sw_policy.errors import MonitorClosedError, RecordError
from sw_policy.findings import Finding, Outcome
from sw_policy.inputs.readers import parse_record
from sw_policy.records import MODEL_OF_KIND

__all__ = ["Change", "Monitor", "MonitorClosedError"]

RecordKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Change:
    """One finding whose outcome changed: `before`/`after` are outcomes, None if absent."""

    kind: str
    record_id: str
    rule_id: str
    before: Outcome | None
    after: Outcome | None
    finding: Finding | None  # the current finding; None when it disappeared

    def to_json(self) -> str:
        """One JSON line: record_id, rule_id, from, to, finding (as in the JSON report)."""
        head = json.dumps(
            {
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


class Monitor:
    """Stateful, exact monitoring of records as events arrive.

    Use as a context manager (or call close()) so durable_rules frees the
    monitor's rulesets.
    """

    def __init__(self, rulebook: Evaluator, *, as_of: dt.date | None = None) -> None:
        self._rulebook = rulebook
        self._as_of = as_of or dt.date.today()
        self._lock = threading.RLock()
        # Per kind, its rule ids in rulebook order: the order changes are reported in.
        self._rules: dict[str, list[str]] = {kind: [] for kind in MODEL_OF_KIND}
        for rule in self._rulebook.rules:
            self._rules[rule.kind].append(rule.id)
        self._fields = {kind: tuple(model.model_fields) for kind, model in MODEL_OF_KIND.items()}
        self._records: dict[RecordKey, Any] = {}
        self._outcomes: dict[RecordKey, dict[str, Outcome]] = {}
        self._stats = {"events": 0, "unrouted": 0, "rules_judged": 0, "changes": 0}
        self._router = Router(routes(self._rulebook.rules, MODEL_OF_KIND))
        # A monitor dropped without close() still frees its rulesets when collected.
        self._finalizer = weakref.finalize(self, self._router.close)

    # --- lifecycle ------------------------------------------------------------

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Free the durable_rules rulesets; the monitor then refuses events."""
        with self._lock:
            self._finalizer()

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._router.closed

    @property
    def as_of(self) -> dt.date:
        """The date records without their own as_of are judged at."""
        return self._as_of

    @property
    def rulebook(self) -> Evaluator:
        """The rules this monitor judges by."""
        return self._rulebook

    @property
    def stats(self) -> dict[str, int]:
        """Counts: events applied, events no rule reads, rules judged, changes reported."""
        with self._lock:
            return dict(self._stats)

    # --- reading state --------------------------------------------------------

    def __len__(self) -> int:
        return len(self._records)

    def record(self, kind: str, record_id: str) -> Any | None:
        """The current state of one record, or None if it is not monitored."""
        return self._records.get((kind, record_id))

    def outcomes(self) -> dict[tuple[str, str, str], Outcome]:
        """Every current outcome, keyed (kind, record id, rule id); kept as events arrive."""
        with self._lock:
            return {
                (kind, record_id, rule_id): outcome
                for (kind, record_id), per in self._outcomes.items()
                for rule_id, outcome in per.items()
            }

    def findings(self) -> list[Finding]:
        """Every current finding, built on demand: records in the order first seen.

        The same findings as `rulebook.check(monitor.records())`; this judges every
        record again, so it costs what a batch check costs.
        """
        with self._lock:
            records = list(self._records.values())
        return [f for r in records for f in self._rulebook.evaluate(r, as_of=self._as_of)]

    def findings_for(self, kind: str, record_id: str) -> list[Finding]:
        """The current findings of one record (empty if it is not monitored)."""
        record = self.record(kind, record_id)
        return [] if record is None else self._rulebook.evaluate(record, as_of=self._as_of)

    def records(self) -> list[Any]:
        """Every current record, in the order first seen."""
        with self._lock:
            return list(self._records.values())

    # --- events ---------------------------------------------------------------

    def upsert(self, record: Any) -> list[Change]:
        """A record's new full state: a model from sw_policy, or a dict in contract form."""
        if isinstance(record, Mapping):
            record = parse_record(dict(record))
        elif getattr(record, "kind", None) not in MODEL_OF_KIND:
            raise RecordError([f"record: expected a record, got {type(record).__name__}"])
        with self._lock:
            return self._apply(record)

    def delete(self, kind: str, record_id: str) -> list[Change]:
        """Stop monitoring a record: each of its findings disappears."""
        with self._lock:
            self._check_open()
            self._stats["events"] += 1
            key = (kind, str(record_id))
            self._records.pop(key, None)
            gone = self._outcomes.pop(key, {})
            changes = [
                Change(kind, key[1], rule_id, outcome, None, None)
                for rule_id, outcome in gone.items()
            ]
            self._stats["changes"] += len(changes)
            return changes

    def update(self, kind: str, record_id: str, **fields: Any) -> list[Change]:
        """Change some fields of a monitored record (validated as a whole record)."""
        with self._lock:
            current = self._require(kind, record_id)
            data = current.model_dump(exclude_none=True)
            data.update(fields)
            return self._apply(parse_record(data))

    def add_training(
        self, worker_id: str, *, date: dt.date | str, hours: Decimal | int | str
    ) -> list[Change]:
        """A worker completed a training session."""
        with self._lock:
            current = self._require("worker", worker_id)
            sessions = [s.model_dump() for s in current.training or ()]
            sessions.append({"date": date, "hours": hours})
            return self.update("worker", worker_id, training=sessions)

    def set_certificate(
        self, worker_id: str, certificate: str, *, registered: bool | None = None
    ) -> list[Change]:
        """A worker obtained (or lost) a certificate; optionally its registration too."""
        fields: dict[str, Any] = {"certificate": certificate}
        if registered is not None:
            fields["certificate_registered"] = registered
        return self.update("worker", worker_id, **fields)

    def set_post(
        self, worker_id: str, *, level: int | None = None, title: str | None = None
    ) -> list[Change]:
        """A worker was appointed to a post level and/or title."""
        fields: dict[str, Any] = {}
        if level is not None:
            fields["post_level"] = level
        if title is not None:
            fields["post_title"] = title
        return self.update("worker", worker_id, **fields)

    def revise_budget(
        self,
        budget_id: str,
        *,
        total_funds: Decimal | str | None = None,
        labour_cost: Decimal | str | None = None,
    ) -> list[Change]:
        """A budget's total funds and/or labour cost were revised."""
        fields: dict[str, Any] = {}
        if total_funds is not None:
            fields["total_funds"] = total_funds
        if labour_cost is not None:
            fields["labour_cost"] = labour_cost
        return self.update("budget", budget_id, **fields)

    # --- internals ------------------------------------------------------------

    def _check_open(self) -> None:
        if self._router.closed:
            raise MonitorClosedError("the monitor is closed; open a new one")

    def _require(self, kind: str, record_id: str) -> Any:
        self._check_open()
        record = self._records.get((kind, record_id))
        if record is None:
            raise RecordError(
                [f"id: no {kind} {record_id!r} is monitored; upsert it first"],
                record_id=record_id,
            )
        return record

    def _flags(self, old: Any | None, new: Any) -> frozenset[str]:
        touched = touched_fields(old, new, self._fields[new.kind])
        if old is None or touched & ALWAYS_READ:
            return frozenset({SCOPE})  # every rule reads the scope
        return touched

    def _apply(self, record: Any) -> list[Change]:
        self._check_open()
        self._stats["events"] += 1
        key = (record.kind, record.id)
        old = self._records.get(key)
        self._records[key] = record
        flags = self._flags(old, record)
        routed = self._router.route(record.kind, flags) if flags else set()
        if not routed:
            self._stats["unrouted"] += 1
            if old is None:
                self._outcomes[key] = {}
            return []
        self._stats["rules_judged"] += len(routed)
        previous = self._outcomes.get(key, {})
        current: dict[str, Outcome] = {}
        changes: list[Change] = []
        judged = {
            finding.rule_id: finding
            for finding in self._rulebook.evaluate(record, as_of=self._as_of, rule_ids=routed)
        }
        for rule_id in self._rules[record.kind]:
            before = previous.get(rule_id)
            if rule_id not in routed:
                if before is not None:
                    current[rule_id] = before
                continue
            finding = judged.get(rule_id)
            after = finding.outcome if finding is not None else None
            if after is not None:
                current[rule_id] = after
            if before != after:
                changes.append(Change(record.kind, record.id, rule_id, before, after, finding))
        self._outcomes[key] = current
        self._stats["changes"] += len(changes)
        return changes
