"""The rule-test file format (rules/tests/<source>.yaml): cases as data, beside the rules.

Inspired by OpenFisca's YAML tests (name, period, input, output). A file:

    rules: ..                 # rules directory, relative to this file (default: bundled)
    cases:
      - name: exactly 70% passes 不超过70%
        as_of: 2024-06-30
        records:
          - {kind: budget, id: B-1, jurisdiction: "330106",
             total_funds: 1000000.00, labour_cost: 700000.00}
        expect:
          zhejiang-2019.labour-cost-share: pass
          # or: {outcome: fail, record: B-1, observed: {labour_cost_share: "0.75"},
          #      unmet: [...], displaced: [...], marks: [...]}
          zhejiang-2019.labour-cost-share@B-2: fail   # rule_id@record_id: one record


An expectation holds for every record of the rule's kind in the case (or the
one named by `record`); `not_applicable` means the rule gives no finding.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sw_policy.findings import Outcome

__all__ = ["Expectation", "RuleTestCase", "RuleTestFile"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expectation(_Strict):
    """What one rule should say about the case's records."""

    outcome: Outcome
    record: str | None = Field(default=None, description="Only this record id (default: all).")
    observed: dict[str, Any] | None = Field(
        default=None, description="Observed values that must match (others are not checked)."
    )
    unmet: tuple[str, ...] | None = Field(default=None, description="Exact unmet part ids.")
    displaced: tuple[str, ...] | None = Field(default=None, description="Exact displaced ids.")
    marks: tuple[str, ...] | None = Field(default=None, description="Exact marks.")


class RuleTestCase(_Strict):
    """One case: records judged at a date, and the expected outcome per rule id."""

    name: str = Field(min_length=1)
    as_of: dt.date
    records: tuple[dict[str, Any], ...] = Field(min_length=1)
    expect: dict[str, Outcome | Expectation] = Field(min_length=1)


class RuleTestFile(_Strict):
    """One test file."""

    rules: str | None = Field(
        default=None, description="Rules directory relative to this file; default: bundled."
    )
    cases: tuple[RuleTestCase, ...] = ()
