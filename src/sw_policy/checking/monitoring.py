"""The public Monitor: the stream engine's monitor, judging by the bundled rulebook by default.

engines/stream/monitor.py sits below checking/, so it takes any Evaluator and
cannot load a Rulebook itself; this subclass is where "no rulebook given"
becomes the bundled one, and where `rulebook` is typed as the Rulebook façade.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sw_policy.checking.rulebook import Rulebook, load_rulebook
from sw_policy.engines.stream.monitor import Monitor as _StreamMonitor

__all__ = ["Monitor"]


class Monitor(_StreamMonitor):
    """Stateful, exact monitoring of records as events arrive (see engines/stream/monitor.py).

    Use as a context manager (or call close()) so durable_rules frees the
    monitor's rulesets.
    """

    def __init__(self, rulebook: Rulebook | None = None, *, as_of: dt.date | None = None) -> None:
        super().__init__(rulebook if rulebook is not None else load_rulebook(), as_of=as_of)

    @property
    def rulebook(self) -> Rulebook:
        """The rules this monitor judges by."""
        return cast("Rulebook", super().rulebook)
