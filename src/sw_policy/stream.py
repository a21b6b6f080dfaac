"""Live monitoring of records as events arrive (needs the extra: pip install 'sw-policy[stream]').

    >>> import datetime, sw_policy.stream
    >>> with sw_policy.stream.Monitor(as_of=datetime.date(2024, 6, 30)) as monitor:
    ...     monitor.upsert({"kind": "budget", "id": "P-1", "jurisdiction": "330106",
    ...                     "total_funds": "100", "labour_cost": "71"})[0].after
    'fail'

Importing this module never needs durable-rules; opening a Monitor without it
raises StreamUnavailableError with the one line that installs it. See
docs/stream.md for events, thread-safety and how durable_rules is used.
"""

from __future__ import annotations

from sw_policy.checking.monitoring import Monitor
from sw_policy.engines.stream.monitor import Change, MonitorClosedError
from sw_policy.engines.stream.router import INSTALL_HINT, StreamUnavailableError

__all__ = ["INSTALL_HINT", "Change", "Monitor", "MonitorClosedError", "StreamUnavailableError"]
