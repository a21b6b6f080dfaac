"""What an engine reads of a loaded rulebook, as a Protocol.

The engines sit below `checking/` (where the Rulebook façade lives), so they
never import it: they are handed something with this shape instead, and
`checking.rulebook.Rulebook` is one (mypy checks it where the façade calls
them). Keeping the surface small keeps the engines testable on their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from typing import Any, Protocol

from sw_policy.findings import Citation, Finding, Location, Outcome
from sw_policy.rulebook.layering import Mark
from sw_policy.rulebook.schema import RuleSpec, SourceDoc

__all__ = ["Evaluator", "Judged", "RuleStore"]


class RuleStore(Protocol):
    """The rules, their citations and marks: what the columnar engine and reports read."""

    @property
    def sha256(self) -> str:
        """Digest of every rule file."""
        ...

    @property
    def rules(self) -> tuple[RuleSpec, ...]:
        """Every rule, in source order then clause order."""
        ...

    @property
    def layered(self) -> bool:
        """True when some rule amends or supersedes another."""
        ...

    def citation(self, rule_id: str) -> Citation:
        """How findings of this rule cite it."""
        ...

    def marks_of(self, rule_id: str, as_of: dt.date) -> tuple[Mark, ...]:
        """The marks every finding of this rule carries when judged at `as_of`."""
        ...

    def rules_of_kind(self, kind: str) -> Sequence[tuple[RuleSpec, SourceDoc, Citation]]:
        """The rules judging records of this kind, in rule order, with source and citation."""
        ...


class Judged(Protocol):
    """One rule's outcome for one record, its explained finding built on demand."""

    @property
    def rule_id(self) -> str:
        """The rule judged."""
        ...

    @property
    def outcome(self) -> Outcome:
        """The outcome (never not_applicable: those are left out)."""
        ...

    def finding(self, location: Location | None = None) -> Finding:
        """The finding evaluate() gives for this rule and record."""
        ...


class Evaluator(RuleStore, Protocol):
    """A rule store that also judges one record: what the stream monitor needs."""

    def source_of(self, rule_id: str) -> SourceDoc:
        """The source document a rule comes from."""
        ...

    def evaluate(
        self,
        record: Any,
        *,
        as_of: dt.date,
        location: Location | None = None,
        include_not_applicable: bool = False,
        rule_ids: Collection[str] | None = None,
    ) -> list[Finding]:
        """Every finding for one record, in rule order (only `rule_ids` when given)."""
        ...

    def verdicts(
        self, record: Any, *, as_of: dt.date, rule_ids: Collection[str] | None = None
    ) -> Sequence[Judged]:
        """evaluate()'s outcomes for one record model, in rule order; findings on demand."""
        ...
