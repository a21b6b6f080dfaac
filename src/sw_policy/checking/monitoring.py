"""The public Monitor: the stream engine's monitor, judging by the bundled rulebook by default.

engines/stream/monitor.py sits below checking/, so it takes any Evaluator and
cannot load a Rulebook itself; this subclass is where "no rulebook given"
becomes the bundled one, and where `rulebook` is typed as the Rulebook façade.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import cast

from sw_policy.checking.rulebook import Rulebook, load_rulebook
from sw_policy.engines.stream.monitor import Monitor as _StreamMonitor

__all__ = ["Monitor"]


class Monitor(_StreamMonitor):
    """Stateful, exact monitoring of records as events arrive (see engines/stream/monitor.py).

    `router`: "table" (default; any Python) or "durable_rules" (the [stream] extra).
    `state`: a SQLite file to keep state in and resume from (`durability` "normal" or
    "full"); with `group_commit`, events are committed by commit() (whole events only).
    Use as a context manager (or call close()).
    """

    def __init__(
        self,
        rulebook: Rulebook | None = None,
        *,
        as_of: dt.date | None = None,
        router: str = "table",
        state: Path | str | None = None,
        durability: str = "normal",
        group_commit: bool = False,
    ) -> None:
        super().__init__(
            rulebook if rulebook is not None else load_rulebook(),
            as_of=as_of,
            router=router,
            state=state,
            durability=durability,
            group_commit=group_commit,
        )

    @property
    def rulebook(self) -> Rulebook:
        """The rules this monitor judges by."""
        return cast("Rulebook", super().rulebook)
