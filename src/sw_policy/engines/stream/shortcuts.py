"""Named events for callers: a training session, a certificate, a post, a budget revision.

Each is an update() of the record's fields (validated as a whole record), so it
is routed, judged, numbered and stored like any other event.
"""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal
from typing import Any

from sw_policy.engines.stream.change import Change

__all__ = ["Shortcuts"]


class Shortcuts:
    """The named events of a Monitor, written in terms of its update()."""

    _lock: threading.RLock

    def _require(self, kind: str, record_id: str) -> Any:
        raise NotImplementedError

    def update(
        self, kind: str, record_id: str, *, event_id: str | None = None, **fields: Any
    ) -> list[Change]:
        """Change some fields of a monitored record (validated as a whole record)."""
        raise NotImplementedError

    def add_training(
        self,
        worker_id: str,
        *,
        date: dt.date | str,
        hours: Decimal | int | str,
        event_id: str | None = None,
    ) -> list[Change]:
        """A worker completed a training session."""
        with self._lock:
            current = self._require("worker", worker_id)
            # The sessions already held are valid models: validation takes them as they are.
            sessions: list[Any] = [*(current.training or ()), {"date": date, "hours": hours}]
            return self.update("worker", worker_id, event_id=event_id, training=sessions)

    def set_certificate(
        self,
        worker_id: str,
        certificate: str,
        *,
        registered: bool | None = None,
        event_id: str | None = None,
    ) -> list[Change]:
        """A worker obtained (or lost) a certificate; optionally its registration too."""
        fields: dict[str, Any] = {"certificate": certificate}
        if registered is not None:
            fields["certificate_registered"] = registered
        return self.update("worker", worker_id, event_id=event_id, **fields)

    def set_post(
        self,
        worker_id: str,
        *,
        level: int | None = None,
        title: str | None = None,
        event_id: str | None = None,
    ) -> list[Change]:
        """A worker was appointed to a post level and/or title."""
        fields: dict[str, Any] = {}
        if level is not None:
            fields["post_level"] = level
        if title is not None:
            fields["post_title"] = title
        return self.update("worker", worker_id, event_id=event_id, **fields)

    def revise_budget(
        self,
        budget_id: str,
        *,
        total_funds: Decimal | str | None = None,
        labour_cost: Decimal | str | None = None,
        event_id: str | None = None,
    ) -> list[Change]:
        """A budget's total funds and/or labour cost were revised."""
        fields: dict[str, Any] = {}
        if total_funds is not None:
            fields["total_funds"] = total_funds
        if labour_cost is not None:
            fields["labour_cost"] = labour_cost
        return self.update("budget", budget_id, event_id=event_id, **fields)
