"""Judging whole columns of records: the row engine's order of questions, as expressions.

For each kind, every rule (and each milestone of a target) is compiled once
(engines/columnar/rules.py). Findings are built in two stages: stage one decides an
outcome code for every record and rule in one lazy query (the summary counts
them all); stage two (engines/columnar/explain.py) builds the text columns only for
the findings listed. The result is a DataFrame with the JSON report's finding
fields; citations are not repeated per row but joined from the rulebook by rule id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from sw_policy.engines.columnar.explain import explain as explain_rows
from sw_policy.engines.columnar.expressions import UnsupportedConstructError
from sw_policy.engines.columnar.rules import CODE, CompiledRule, compile_rule
from sw_policy.engines.columnar.text import NormalisedColumns
from sw_policy.engines.columnar.training import TrainingColumns
from sw_policy.findings import FINDING_COLUMNS, OUTCOMES
from sw_policy.inputs.frames import RecordFrames

if TYPE_CHECKING:
    from sw_policy.engines.rule_store import RuleStore

__all__ = ["FINDING_COLUMNS", "ColumnarResult", "evaluate_frames"]


@dataclass(frozen=True)
class ColumnarResult:
    """Findings (one row each, in report order) and outcome counts over every applicable one."""

    findings: pl.DataFrame
    outcome_counts: dict[str, int]
    records: int
    draft_failures: int = 0
    plain_text: bool = False
    """True when no message or expected text holds a character JSON escapes (the JSON
    writer then quotes them as they are, without encoding each)."""


def evaluate_frames(
    rulebook: RuleStore,
    frames: RecordFrames,
    *,
    as_of: dt.date,
    include_not_applicable: bool = False,
    only_failures: bool = False,
    explain: bool = True,
) -> ColumnarResult:
    """Judge every record in `frames` against every rule of its kind, in columns.

    With explain=False only the outcome counts are computed (no finding rows):
    the verdicts alone, for a summary or a measurement of the rule evaluation.
    """
    if rulebook.layered:
        raise UnsupportedConstructError(
            "the columnar engine does not compile amends/supersedes layering; use --engine row"
        )
    parts: list[pl.DataFrame] = []
    counts: dict[str, int] = {}
    draft_failures = 0
    plain = True
    marks = _Marks(rulebook)
    counted = [o for o in OUTCOMES if include_not_applicable or o != "not_applicable"]
    listed = ["fail"] if only_failures else counted
    for kind, frame in frames.frames.items():
        rules = rulebook.rules_of_kind(kind)
        if not rules or frame.df.height == 0:
            continue
        df = frame.df.with_columns(pl.coalesce(pl.col("as_of"), pl.lit(as_of)).alias("__asof"))
        uniform = frame.df.get_column("as_of").null_count() == frame.df.height
        asof = pl.lit(as_of, pl.Date) if uniform else pl.col("__asof")
        training = TrainingColumns(frame)
        texts = NormalisedColumns()
        compiled = [
            c
            for order, (rule, source, _) in enumerate(rules)
            for c in compile_rule(
                rule, source, order, frame, training=training, texts=texts, asof=asof
            )
        ]
        df = texts.add_columns(training.add_columns(df))
        outcomes = _outcomes(df, compiled)
        _count(outcomes, len(compiled), counted, counts)
        drafts = [f"__o{i}" for i, c in enumerate(compiled) if c.draft]
        if drafts:
            fails = outcomes.select((pl.col(d) == CODE["fail"]).sum() for d in drafts).row(0)
            draft_failures += sum(fails)
        if not explain:
            continue
        wanted = [OUTCOMES.index(o) for o in listed]
        for i, c in enumerate(compiled):
            column = outcomes.get_column(f"__o{i}")
            present = set(column.unique().drop_nulls().to_list())
            # One part per outcome: its wording is then literals, not a when/then per row.
            explained = [
                explain_rows(df.filter(column == code), c, code)
                for code in wanted
                if code in present
            ]
            plain = plain and all(p for _, p in explained)
            rule_parts = [frame for frame, _ in explained]
            if rule_parts:
                part = rule_parts[0] if len(rule_parts) == 1 else pl.concat(rule_parts)
                parts.append(marks.index(rules[c.order][0].id, part, as_of if uniform else None))
    if parts:
        # Ordered by (record, rule) as one Int64 key: a single-key sort, not a multi-column one.
        width = 1 + max(len(rulebook.rules_of_kind(kind)) for kind in frames.frames)
        key = pl.col("__row").cast(pl.Int64) * width + pl.col("__rule")
        findings = pl.concat(parts).with_columns(key.alias("__key"))
        # Parts that follow each other in record order (one rule, one outcome) need no sort.
        if not findings.get_column("__key").is_sorted():
            findings = findings.sort("__key")
        # Marks are added after the sort: a list column is costly to reorder, a small index is not.
        findings = findings.with_columns(marks.gather(findings.get_column("__mark"))).drop(
            "__row", "__rule", "__asof", "__mark", "__key"
        )
    else:
        findings = _empty_findings()
    return ColumnarResult(
        findings,
        {o: counts[o] for o in OUTCOMES if o in counts},
        frames.count,
        draft_failures,
        plain_text=plain,
    )


def _outcomes(df: pl.DataFrame, compiled: list[CompiledRule]) -> pl.DataFrame:
    """Stage one: an outcome code per record and rule variant, column `__o<i>`.

    Null where a target's milestone variant does not cover the record. Each
    variant's applies_when and condition truths are columns first and the query
    is lazy, so a value several tests share (a ratio, a truth the order of
    questions asks three times) is computed once.
    """
    truths = [
        expr
        for i, c in enumerate(compiled)
        for expr in (c.applies_truth.alias(f"__a{i}"), c.condition.truth.alias(f"__c{i}"))
    ]
    codes = [
        pl.when(c.variant.rows)
        .then(c.outcome(pl.col(f"__a{i}"), pl.col(f"__c{i}")))
        .alias(f"__o{i}")
        for i, c in enumerate(compiled)
    ]
    return df.lazy().with_columns(truths).select(codes).collect()


def _count(
    outcomes: pl.DataFrame, variants: int, counted: Sequence[str], counts: dict[str, int]
) -> None:
    """Add each counted outcome's number of records over every variant to `counts`."""
    totals = outcomes.select(
        (pl.col(f"__o{i}") == CODE[o]).sum().alias(f"{o}{i}")
        for i in range(variants)
        for o in counted
    ).row(0)
    for j, n in enumerate(totals):
        name = counted[j % len(counted)]
        counts[name] = counts.get(name, 0) + n


class _Marks:
    """Each finding's marks (RuleStore.marks_of) as an index into the distinct mark lists,
    one per rule and as-of date, taken once the findings are in order."""

    def __init__(self, rulebook: RuleStore) -> None:
        self.rulebook = rulebook
        self.lists: list[list[str]] = []
        self.seen: dict[tuple[str, dt.date], int] = {}

    def _of(self, rule_id: str, day: dt.date) -> int:
        if (rule_id, day) not in self.seen:
            self.seen[rule_id, day] = len(self.lists)
            self.lists.append(list(self.rulebook.marks_of(rule_id, day)))
        return self.seen[rule_id, day]

    def index(self, rule_id: str, part: pl.DataFrame, day: dt.date | None) -> pl.DataFrame:
        """`part` without its marks, with `__mark`; `day` is every row's as-of date, if one."""
        part = part.drop("marks")
        if day is not None:
            return part.with_columns(pl.lit(self._of(rule_id, day), pl.Int64).alias("__mark"))
        days = part.get_column("__asof").unique().sort().to_list()
        table = pl.DataFrame(
            {"__asof": days, "__mark": [self._of(rule_id, d) for d in days]},
            schema={"__asof": pl.Date, "__mark": pl.Int64},
        )
        return part.join(table, on="__asof", how="left", maintain_order="left")

    def gather(self, index: pl.Series) -> pl.Series:
        table = pl.Series("marks", self.lists, dtype=pl.List(pl.String))
        return table.gather(index)


def _empty_findings() -> pl.DataFrame:
    strings = pl.String
    lists = pl.List(pl.String)
    return pl.DataFrame(
        schema={
            "kind": strings,
            "record_id": strings,
            "rule_id": strings,
            "outcome": strings,
            "severity": strings,
            "observed": strings,
            "expected": strings,
            "message_zh": strings,
            "message_en": strings,
            "unmet": lists,
            "location_path": strings,
            "location_sheet": strings,
            "location_row": pl.Int64,
            "displaced": lists,
            "marks": lists,
        }
    )
