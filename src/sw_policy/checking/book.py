"""What checking files and columns needs of a rulebook, as a Protocol.

The `Rulebook` façade (checking/rulebook.py) hands itself to `read_and_check`
(files.py) and `check_columnar` (columnar.py). Those sit below the façade and take
anything of this shape, so only the façade knows both sides and no import runs
back up. `checking.rulebook.Rulebook` is one (mypy checks it where the façade
calls them).
"""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from typing import Any, Literal, Protocol, runtime_checkable

from sw_policy.engines.rule_store import RuleStore
from sw_policy.findings import Report

__all__ = ["CheckingBook"]


@runtime_checkable
class CheckingBook(RuleStore, Protocol):
    """A rule store that checks records and names the vocabulary its files are read with."""

    def check(
        self,
        records: Any,
        *,
        as_of: dt.date | str | None = None,
        kind: str | None = None,
        include_not_applicable: bool = False,
        only_failures: bool = False,
        engine: Literal["auto", "row", "columnar"] = "auto",
    ) -> Report:
        """Check records in whatever form the caller holds them."""
        ...

    def reading_vocabulary(self) -> AbstractContextManager[None]:
        """Files read inside this block use the rules directory's intake vocabulary."""
        ...
