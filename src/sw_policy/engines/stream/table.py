"""The default router: which rules an event must re-judge, looked up in a table.

The table maps each field (flag) a rule reads to the rules that read it, and is
built from the same rule-tree walk the durable_rules router compiles
(engines/stream/routing.py), so both routers give the same answer. It needs
nothing beyond the standard library, so it works on every supported Python;
a lookup costs a dictionary probe per touched field (answers for a set of
flags are kept, since events touch few distinct sets).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

__all__ = ["ROUTERS", "RuleRouter", "TableRouter"]

# The routers a Monitor can be opened with; the first is the default.
ROUTERS = ("table", "durable_rules")

_CACHE_SIZE = 4096


class RuleRouter(Protocol):
    """What a Monitor asks of a router (TableRouter, or durable_rules' Router)."""

    @property
    def closed(self) -> bool: ...

    def route(self, kind: str, flags: frozenset[str]) -> set[str] | frozenset[str]: ...

    def close(self) -> None: ...


class TableRouter:
    """Per record kind, the rules reading each flag; an event's rules are the union."""

    def __init__(self, routes: Mapping[str, Sequence[tuple[str, frozenset[str]]]]) -> None:
        self._table: dict[str, dict[str, frozenset[str]]] = {}
        for kind, rules in routes.items():
            by_flag: dict[str, set[str]] = {}
            for rule_id, flags in rules:
                for flag in flags:
                    by_flag.setdefault(flag, set()).add(rule_id)
            self._table[kind] = {flag: frozenset(ids) for flag, ids in by_flag.items()}
        self._answers: dict[tuple[str, frozenset[str]], frozenset[str]] = {}
        self._closed = False

    @property
    def closed(self) -> bool:
        """True after close()."""
        return self._closed

    def route(self, kind: str, flags: frozenset[str]) -> frozenset[str]:
        """Ids of the rules that read any of `flags`; empty when none does."""
        key = (kind, flags)
        answer = self._answers.get(key)
        if answer is None:
            by_flag = self._table.get(kind, {})
            answer = frozenset().union(*(by_flag.get(flag, ()) for flag in flags))
            if len(self._answers) >= _CACHE_SIZE:
                self._answers.clear()
            self._answers[key] = answer
        return answer

    def close(self) -> None:
        """Nothing to free; the monitor then refuses events. Idempotent."""
        self._closed = True
