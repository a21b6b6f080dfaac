"""Live monitoring: post events about records, get back the findings whose outcome changed.

A Monitor keeps every record's current state and, per record, each applicable
rule's current outcome, in plain dicts of its own (and, with `state=`, in a
SQLite file: engines/stream/state.py). For each event it works out which fields
changed, asks its router which rules read them (a table built from the rule
tree: engines/stream/table.py; or durable_rules: engines/stream/router.py),
judges those rules again with the exact engine that `check` uses, and reports
the findings whose outcome changed (or that appeared or disappeared), each with
its full finding, numbered. Full findings of unchanged outcomes are not kept
(about 4 KB each: 100 000 workers would need 400 MB more); they are built again
on demand by findings(), exactly as a batch `check` would.

A record is judged at its own `as_of`, or at the monitor's; advance() moves the
monitor's date and re-judges only the rules whose days fall in between
(engines/stream/timeline.py).

Thread-safety: every public method takes the monitor's lock, so one monitor may
be shared by threads; events are applied one at a time in the order the lock is
granted. Monitors are independent of each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import weakref
from collections.abc import Mapping, Set
from pathlib import Path
from typing import Any

from sw_policy.engines.rule_store import Evaluator
from sw_policy.engines.stream.change import Change
from sw_policy.engines.stream.merge import merged, read_record
from sw_policy.engines.stream.router import Router
from sw_policy.engines.stream.routing import ALWAYS_READ, SCOPE, routes, touched_fields
from sw_policy.engines.stream.shortcuts import Shortcuts
from sw_policy.engines.stream.state import StateFile
from sw_policy.engines.stream.table import ROUTERS, RuleRouter, TableRouter
from sw_policy.engines.stream.timeline import Timeline
from sw_policy.errors import MonitorClosedError, PolicyError, RecordError
from sw_policy.findings import Finding, Outcome
from sw_policy.records import MODEL_OF_KIND

__all__ = ["Change", "Monitor", "MonitorClosedError"]

RecordKey = tuple[str, str]
_SCOPE_ONLY = frozenset({SCOPE})
Cause = tuple[int, str | None, str]  # event number, event id, op


def _open_router(name: str, table: Any) -> RuleRouter:
    if name == "table":
        return TableRouter(table)
    if name == "durable_rules":
        return Router(table)
    raise PolicyError(f"router: expected one of {', '.join(ROUTERS)}, got {name!r}")


def _fingerprint(rulebook: Evaluator) -> str:
    """The rules a state file's outcomes were judged by: digest and rule ids."""
    ids = "\n".join(rule.id for rule in rulebook.rules)
    return f"{rulebook.sha256}:{hashlib.sha256(ids.encode()).hexdigest()[:16]}"


def _close(router: RuleRouter, state: StateFile | None) -> None:
    try:
        router.close()
    finally:
        if state is not None:
            state.close()


class Monitor(Shortcuts):
    """Stateful, exact monitoring of records as events arrive.

    `router`: "table" (default; any Python) or "durable_rules" (the [stream]
    extra). `state`: a SQLite file to keep state in and resume from (see
    engines/stream/state.py; `durability` "normal" or "full"); with
    `group_commit`, events are committed by commit() (whole events only).
    Use as a context manager (or call close()).
    """

    def __init__(
        self,
        rulebook: Evaluator,
        *,
        as_of: dt.date | None = None,
        router: str = "table",
        state: Path | str | None = None,
        durability: str = "normal",
        group_commit: bool = False,
    ) -> None:
        self._rulebook = rulebook
        self._lock = threading.RLock()
        # Per kind, its rule ids in rulebook order: the order changes are reported in.
        self._rules: dict[str, list[str]] = {kind: [] for kind in MODEL_OF_KIND}
        for rule in self._rulebook.rules:
            self._rules[rule.kind].append(rule.id)
        self._order = {kind: {r: n for n, r in enumerate(ids)} for kind, ids in self._rules.items()}
        self._fields = {kind: tuple(model.model_fields) for kind, model in MODEL_OF_KIND.items()}
        self._records: dict[RecordKey, Any] = {}
        self._outcomes: dict[RecordKey, dict[str, Outcome]] = {}
        self._stats = {
            "events": 0,
            "unrouted": 0,
            "rules_judged": 0,
            "changes": 0,
            "duplicates": 0,
        }
        self._event_ids: set[str] = set()
        self._last_event_id: str | None = None
        self._seq = 0
        self._timeline = Timeline(
            [(r, self._rulebook.source_of(r.id)) for r in self._rulebook.rules]
        )
        self._group = group_commit
        self._state: StateFile | None = None
        if state is not None:
            self._state = StateFile(state, _fingerprint(self._rulebook), durability)
        try:
            self._as_of = self._resume(as_of)
            self._router = _open_router(router, routes(self._rulebook.rules, MODEL_OF_KIND))
        except BaseException:
            if self._state is not None:
                self._state.close()
            raise
        # A monitor dropped without close() still frees its router and state when collected.
        self._finalizer = weakref.finalize(self, _close, self._router, self._state)

    def _resume(self, as_of: dt.date | None) -> dt.date:
        state = self._state
        saved = state.load() if state is not None else None
        if state is None or saved is None:
            day = as_of or dt.date.today()
            if state is not None:
                state.begin()
                state.applied(None, 0, 0, day)
                state.commit()
            return day
        if as_of is not None and as_of != saved.as_of:
            raise PolicyError(
                f"{state.path}: the state is at as-of {saved.as_of}, not {as_of}; "
                "open it without as_of and call advance() to move it"
            )
        for kind, record_id, text, outcomes in state.records():
            key = (kind, record_id)
            self._records[key] = MODEL_OF_KIND[kind].model_validate_json(text)
            self._outcomes[key] = outcomes  # type: ignore[assignment]
        self._stats["events"] = saved.events
        self._seq = self._stats["changes"] = saved.seq
        self._event_ids = saved.event_ids
        self._last_event_id = saved.last_event_id
        return saved.as_of

    # --- lifecycle ------------------------------------------------------------

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Commit and close the state file, free the router; the monitor then refuses events."""
        with self._lock:
            self._finalizer()

    def commit(self) -> None:
        """With group_commit: make every event applied so far durable."""
        with self._lock:
            if self._state is not None:
                self._state.commit()

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
        """Counts: events applied, unrouted, rules judged, changes, duplicates acknowledged."""
        with self._lock:
            return dict(self._stats)

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event applied (None if it had none, or no event was applied)."""
        return self._last_event_id

    def applied(self, event_id: str) -> bool:
        """True if an event with this id was applied (a re-sent one is not applied again)."""
        with self._lock:
            return str(event_id) in self._event_ids

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
    # Each takes `event_id`: an event whose id was already applied changes nothing.

    def upsert(self, record: Any, *, event_id: str | None = None) -> list[Change]:
        """A record's new full state: a model from sw_policy, or a dict in contract form."""
        if isinstance(record, Mapping):
            record = read_record(record)
        elif getattr(record, "kind", None) not in MODEL_OF_KIND:
            raise RecordError([f"record: expected a record, got {type(record).__name__}"])
        with self._lock:
            if self._duplicate(event_id):
                return []
            return self._apply(record, event_id)

    def delete(self, kind: str, record_id: str, *, event_id: str | None = None) -> list[Change]:
        """Stop monitoring a record: each of its findings disappears (op "delete")."""
        with self._lock:
            if self._duplicate(event_id):
                return []
            event = self._start()
            key = (kind, str(record_id))
            self._records.pop(key, None)
            gone = self._outcomes.pop(key, {})
            changes = [
                self._change(key, rule_id, outcome, None, None, cause=(event, event_id, "delete"))
                for rule_id, outcome in gone.items()
            ]
            if self._state is not None:
                self._state.begin()
                self._state.drop(*key)
            self._finish(event_id)
            return changes

    def advance(self, as_of: dt.date | str, *, event_id: str | None = None) -> list[Change]:
        """Time passes: judge records at `as_of` from now on, reporting what changes.

        Only the rules with a day (issue date, deadline, milestone year end, a
        training session entering or leaving its window) between the old and new
        date are judged again; records with their own as_of are not touched.
        """
        day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
        with self._lock:
            if self._duplicate(event_id):
                return []
            event = self._start()
            old, self._as_of = self._as_of, day
            start, end = min(old, day), max(old, day)
            fixed = {kind: self._timeline.fixed_rules(kind, start, end) for kind in self._rules}
            changes: list[Change] = []
            if start != end:
                for key, record in self._records.items():
                    if record.as_of is not None:
                        continue
                    rules = fixed[key[0]] | self._timeline.record_rules(record, start, end)
                    if rules:
                        changes += self._rejudge(
                            key, record, rules, cause=(event, event_id, "advance")
                        )
            self._finish(event_id)
            return changes

    def update(
        self, kind: str, record_id: str, *, event_id: str | None = None, **fields: Any
    ) -> list[Change]:
        """Change some fields of a monitored record (validated as a whole record)."""
        with self._lock:
            record = merged(self._require(kind, record_id), fields)
            if self._duplicate(event_id):
                return []
            return self._apply(record, event_id)

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

    def _duplicate(self, event_id: str | None) -> bool:
        self._check_open()
        if event_id is not None and str(event_id) in self._event_ids:
            self._stats["duplicates"] += 1
            return True
        return False

    def _start(self) -> int:
        """Number a new event (its changes are numbered as they are found)."""
        self._stats["events"] += 1
        return self._stats["events"]

    def _finish(self, event_id: str | None) -> None:
        """Record the event as applied, in memory and (one transaction) in the state file."""
        if event_id is not None:
            event_id = str(event_id)
            self._event_ids.add(event_id)
        self._last_event_id = event_id
        if self._state is not None:
            self._state.begin()
            self._state.applied(event_id, self._stats["events"], self._seq, self._as_of)
            if not self._group:
                self._state.commit()

    def _change(
        self,
        key: RecordKey,
        rule_id: str,
        before: Outcome | None,
        after: Outcome | None,
        finding: Finding | None,
        *,
        cause: Cause,
    ) -> Change:
        self._seq += 1
        self._stats["changes"] += 1
        event, event_id, op = cause
        eid = None if event_id is None else str(event_id)
        return Change(key[0], key[1], rule_id, before, after, finding, self._seq, event, eid, op)

    def _flags(self, old: Any | None, new: Any) -> frozenset[str]:
        if old is None:
            return _SCOPE_ONLY  # every rule reads the scope
        if type(old) is type(new):  # a model keeps every field, and only those, in __dict__
            before = old.__dict__
            touched = frozenset([n for n, v in new.__dict__.items() if before.get(n) != v])
        else:
            touched = touched_fields(old, new, self._fields[new.kind])
        return _SCOPE_ONLY if touched & ALWAYS_READ else touched

    def _apply(self, record: Any, event_id: str | None) -> list[Change]:
        event = self._start()
        key = (record.kind, record.id)
        old = self._records.get(key)
        self._records[key] = record
        flags = self._flags(old, record)
        routed = self._router.route(record.kind, flags) if flags else set()
        if not routed:
            self._stats["unrouted"] += 1
            if old is None:
                self._outcomes[key] = {}
            changes: list[Change] = []
        else:
            changes = self._rejudge(
                key, record, routed, cause=(event, event_id, "upsert"), save=False
            )
        if self._state is not None:
            self._state.begin()
            self._state.put(*key, record, dict(self._outcomes[key]))
        self._finish(event_id)
        return changes

    def _rejudge(
        self,
        key: RecordKey,
        record: Any,
        routed: Set[str],
        *,
        cause: Cause,
        save: bool = True,
    ) -> list[Change]:
        """Judge `routed` rules of one record again; keep and return what changed."""
        self._stats["rules_judged"] += len(routed)
        previous = self._outcomes.get(key, {})
        # Outcomes first; a finding is explained only when its outcome changed.
        judged = {
            verdict.rule_id: verdict
            for verdict in self._rulebook.verdicts(record, as_of=self._as_of, rule_ids=routed)
        }
        changes: list[Change] = []
        moved: dict[str, Outcome | None] = {}
        rules = self._rules[record.kind]
        # A few routed rules are put in rulebook order; many are picked from it.
        ordered = (
            sorted(routed, key=self._order[record.kind].__getitem__) if len(routed) <= 4 else rules
        )
        for rule_id in ordered:
            if rule_id not in routed:
                continue
            before = previous.get(rule_id)
            verdict = judged.get(rule_id)
            after = verdict.outcome if verdict is not None else None
            if before != after:
                finding = verdict.finding() if verdict is not None else None
                changes.append(self._change(key, rule_id, before, after, finding, cause=cause))
                moved[rule_id] = after
        self._outcomes[key] = current = _moved(previous, moved, rules)
        if save and changes and self._state is not None:
            self._state.begin()
            self._state.put_outcomes(*key, dict(current))
        return changes


def _moved(
    previous: dict[str, Outcome], moved: Mapping[str, Outcome | None], rules: list[str]
) -> dict[str, Outcome]:
    """`previous` with the outcomes that `moved` (None: gone), in rulebook order as before."""
    if not moved:
        return previous
    if not previous:  # a new record: `moved` is in rulebook order
        return {rule_id: after for rule_id, after in moved.items() if after is not None}
    if all(rule_id in previous for rule_id in moved):  # no new rule: the order stands
        current = dict(previous)
        for rule_id, after in moved.items():
            if after is None:
                del current[rule_id]
            else:
                current[rule_id] = after
        return current
    return {
        rule_id: outcome
        for rule_id in rules
        if (outcome := moved.get(rule_id, previous.get(rule_id))) is not None
    }
