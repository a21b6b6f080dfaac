"""Live monitoring of records as events arrive: on every Python, no extra needed.

    >>> import datetime, sw_policy.stream
    >>> with sw_policy.stream.Monitor(as_of=datetime.date(2024, 6, 30)) as monitor:
    ...     monitor.upsert({"kind": "budget", "id": "P-1", "jurisdiction": "330106",
    ...                     "total_funds": "100", "labour_cost": "71"})[0].after
    'fail'

The default router is a table built from the rule files; durable_rules is an
optional router (Monitor(router="durable_rules"), the [stream] extra) and,
where it cannot load, asking for it raises StreamUnavailableError in one line.
Monitor(state="file.db") keeps state in SQLite and resumes from it; advance()
lets time pass. See docs/stream.md.
"""

from __future__ import annotations

from sw_policy.checking.monitoring import Monitor
from sw_policy.engines.stream.monitor import Change, MonitorClosedError
from sw_policy.engines.stream.router import INSTALL_HINT, StreamUnavailableError

__all__ = ["INSTALL_HINT", "Change", "Monitor", "MonitorClosedError", "StreamUnavailableError"]
