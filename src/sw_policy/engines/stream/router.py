"""The optional router: durable_rules' Rete core, with its sharp edges wrapped.

The default router is a table (engines/stream/table.py); this one is used with
Monitor(router="durable_rules") or `watch --router durable_rules`, where the
[stream] extra is installed and loads (Python 3.11 and 3.12).

durable_rules answers one question here: given the fields an event changed,
which rules must be judged again? Each record kind gets a ruleset; each YAML
rule of that kind becomes one durable rule whose pattern is "the change touched
a field this rule reads". A change is asserted as a fact carrying one flag per
touched field, so every matching rule fires (an event would be consumed by the
first match). durable_rules never compares a threshold: its comparisons are
binary floating point, so outcomes are decided by the exact evaluator instead.

Sharp edges and how they are kept away from users:

- a change that no rule reads is answered "not handled", and deleting the
  session state after such an answer crashes the process (SIGSEGV or SIGABRT in
  ``delete_state``, reproduced by routing a change of ``name`` alone): a change
  is cut to the fields some rule of its kind reads before it is asserted, one
  that no rule reads never reaches durable_rules, and the state is deleted only
  after a handled change;
- a ruleset holds at most 1024 session states: every change is asserted in one
  session ("0") whose state is deleted straight after, so state never grows,
  however many records flow;
- about 254 properties per fact are refused: a fact carries only flags for the
  touched fields (a kind has a few dozen at most; checked when compiling);
- a ruleset name is registered once per process: names carry a process-wide
  counter and a random suffix, so monitors never share rulesets;
- deleting rulesets (``delete_ruleset``) while others are alive corrupts the C
  heap (seen here: ``free(): invalid size`` and an abort after a few hundred
  monitors were opened and closed in random order): rulesets are never
  deleted. A closed router hands its rulesets back to a process-wide pool and
  the next router with the same rules takes them, with their state already
  empty; so memory is bounded by the most monitors open at once, however many
  are opened and closed;
- post_batch returns before its work is done, and catch-all rules were seen to
  hang: neither is used;
- fact ids must not repeat: facts are numbered process-wide.

The C core (``durable_rules_engine``) is driven directly rather than through
``durable.engine.Host``: the Host starts two timer threads that never stop, and
its per-action Python layer (a closure and a JSON round trip of the session
state per fired rule) would halve throughput for actions that only name a rule.
"""

from __future__ import annotations

import importlib
import itertools
import json
import platform
import sys
import threading
import uuid
from collections.abc import Mapping, Sequence
from types import ModuleType
from typing import Any

from sw_policy.errors import PolicyError, StreamUnavailableError

__all__ = ["INSTALL_HINT", "Router", "StreamUnavailableError", "load_core"]

INSTALL_HINT = "pip install 'sw-policy[stream]'"

_MAX_FLAGS = 200  # durable_rules refuses facts with about 254 properties (error 302)
_SESSION = "0"
_names = itertools.count(1)
_facts = itertools.count(1)  # fact ids never repeat in a process, even on a reused ruleset
# Ruleset definition (JSON text) -> handles of closed routers' rulesets, ready for reuse.
_idle: dict[str, list[int]] = {}
_idle_lock = threading.Lock()


def load_core() -> ModuleType:
    """durable_rules' C core, or StreamUnavailableError naming this Python and the alternative."""
    try:
        return importlib.import_module("durable_rules_engine")
    except (ImportError, OSError) as exc:
        missing = isinstance(exc, ModuleNotFoundError)
        version = platform.python_version()
        why = "is not installed" if missing else f"does not load on Python {version}"
        fix = (
            f"{INSTALL_HINT} (Python 3.11 or 3.12)"
            if missing and sys.version_info < (3, 13)
            else "it loads on Python 3.11 and 3.12 only"
        )
        raise StreamUnavailableError(
            f"the durable_rules router needs durable-rules, which {why} (Python {version}): "
            f"{fix}; or use the default router, which needs nothing extra "
            "(Monitor() or `sw-policy watch` without --router)"
        ) from None


def _pattern(flags: Sequence[str]) -> dict[str, Any]:
    branches = [{"$ex": {f"t_{flag}": 1}} for flag in flags]
    return branches[0] if len(branches) == 1 else {"$or": branches}


class Router:
    """Per record kind, which rules a change must re-evaluate, asked of durable_rules.

    `routes` maps a kind to its rules in order, each as (rule id, flags it reads).
    Not thread-safe: the Monitor serialises calls.
    """

    def __init__(self, routes: Mapping[str, Sequence[tuple[str, frozenset[str]]]]) -> None:
        self._core = load_core()
        self._handles: dict[str, int] = {}
        self._definitions: dict[str, str] = {}
        self._rule_of: dict[str, dict[str, str]] = {}
        self._read: dict[str, frozenset[str]] = {}
        self._closed = False
        prefix = f"sw-policy-{next(_names)}-{uuid.uuid4().hex[:8]}"
        try:
            for kind, rules in routes.items():
                if not rules:
                    continue
                flags = sorted(set().union(*(f for _, f in rules)))
                if len(flags) > _MAX_FLAGS:
                    raise PolicyError(
                        f"{kind} rules read {len(flags)} fields; durable_rules takes at most "
                        f"{_MAX_FLAGS} per change"
                    )
                names = {f"r{i}": rule_id for i, (rule_id, _) in enumerate(rules)}
                definition = {
                    name: {"all": [{"m": _pattern(sorted(fields))}]}
                    for name, (_, fields) in zip(names, rules, strict=True)
                }
                text = json.dumps(definition, sort_keys=True)
                self._definitions[kind] = text
                self._handles[kind] = self._take(f"{prefix}-{kind}", text)
                self._rule_of[kind] = names
                self._read[kind] = frozenset(flags)
        except BaseException:
            self.close()
            raise

    def _take(self, name: str, definition: str) -> int:
        """An idle ruleset with this definition, or a new one."""
        with _idle_lock:
            handles = _idle.get(definition)
            if handles:
                return handles.pop()
        handle: int = self._core.create_ruleset(name, definition)
        return handle

    @property
    def closed(self) -> bool:
        """True once close() has freed the rulesets."""
        return self._closed

    def route(self, kind: str, flags: frozenset[str]) -> set[str]:
        """Ids of the rules that read any of `flags`; empty when none does."""
        handle = self._handles.get(kind)
        read = flags & self._read.get(kind, frozenset())
        if handle is None or not read:
            return set()
        fact: dict[str, Any] = {"sid": _SESSION, "id": next(_facts)}
        fact.update((f"t_{flag}", 1) for flag in sorted(read))
        core = self._core
        code, state = core.assert_fact(handle, json.dumps(fact))
        if code != 0:  # 1 (not handled) cannot happen: some rule reads every flag asserted
            raise PolicyError(f"durable_rules refused a change (code {code})")
        try:
            names = self._rule_of[kind]
            matched: set[str] = set()
            started = core.start_action_for_state(handle, state)
            message = started[1] if started else None
            while message:
                matched.update(names[name] for name in json.loads(message))
                message = core.complete_and_start_action(handle, state)
            return matched
        finally:
            core.delete_state(handle, _SESSION)

    def close(self) -> None:
        """Hand this router's rulesets back for reuse (never deleted: see above); idempotent."""
        handles, self._handles = self._handles, {}
        self._rule_of = {}
        self._read = {}
        self._closed = True
        with _idle_lock:
            for kind, handle in handles.items():
                _idle.setdefault(self._definitions[kind], []).append(handle)
