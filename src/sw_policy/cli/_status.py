"""The exit status of `check`, exactly the contract's table, in one place.

2 is raised before a report exists (usage, unreadable rules or file); then 1 for
a mandatory failure of a provision in force, 3 for an incomplete check
(a row rejected, or nothing read), 0 otherwise.
"""

from __future__ import annotations

from ._common import EXIT_FAILURES, EXIT_OK

__all__ = ["EXIT_INCOMPLETE", "exit_status"]

EXIT_INCOMPLETE = 3


def exit_status(*, mandatory_failure: bool, incomplete: bool) -> int:
    """1 beats 3 beats 0."""
    if mandatory_failure:
        return EXIT_FAILURES
    return EXIT_INCOMPLETE if incomplete else EXIT_OK
