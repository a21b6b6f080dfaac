"""Stage one of the columnar engine: each rule compiled to one outcome expression.

The row engine's order of questions (scope, issue date, applies_when, deadline
or milestone, condition) becomes a single when/then chain per rule variant.
Outcomes are small integer codes (indexes into OUTCOMES), so judging and
counting a million records touches no strings; names are attached only to the
findings listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from sw_policy.engines.columnar.expressions import Compiled, compile_predicate
from sw_policy.engines.columnar.text import NormalisedColumns
from sw_policy.engines.columnar.training import TrainingColumns
from sw_policy.findings import OUTCOMES
from sw_policy.inputs.frames import KindFrame, field_types, vocabulary
from sw_policy.rulebook.jurisdiction import level_of
from sw_policy.rulebook.schema import RuleSpec, SourceDoc
from sw_policy.rulebook.variants import variant_of, variants_of

__all__ = ["CODE", "CompiledRule", "Variant", "compile_rule", "outcome_name", "variants"]

CODE: dict[str, pl.Expr] = {name: pl.lit(i, pl.UInt8) for i, name in enumerate(OUTCOMES)}


def outcome_name(code: pl.Expr) -> pl.Expr:
    """The outcome's name for its code."""
    return code.replace_strict(dict(enumerate(OUTCOMES)), return_dtype=pl.String)


@dataclass(frozen=True)
class Variant:
    """One way a rule is judged: its parameters, condition and which records it covers."""

    params: dict[str, Any]
    condition: Any
    year: int | None
    rows: pl.Expr
    pending: pl.Expr
    pending_reason: tuple[str, str]


def variants(rule: RuleSpec, asof: pl.Expr) -> list[Variant]:
    """The rule itself, or for a target one variant per milestone plus "before the first"."""
    if rule.milestones is None:
        pending = pl.lit(False)
        reason = ("", "")
        if rule.deadline is not None:
            pending = asof < pl.lit(rule.deadline)
            reason = (f"期限 {rule.deadline}", f"deadline {rule.deadline}")
        (only,) = variants_of(rule)
        return [Variant(only.params, only.condition, None, pl.lit(True), pending, reason)]
    each = variants_of(rule)
    first = each[0]
    year = pl.col("year")
    out = [
        Variant(
            first.params,
            first.condition,
            first.year,
            year < first.year,
            pl.lit(True),
            (f"首个目标年份为 {first.year} 年", f"first milestone is {first.year}"),
        )
    ]
    milestones = rule.milestones
    for i, m in enumerate(milestones):
        rows = year >= m.year
        if i + 1 < len(milestones):
            rows = rows & (year < milestones[i + 1].year)
        # Judged only once the milestone's year has ended (as-of on or after 31 December).
        pending = asof < pl.lit(m.year_end)
        reason = (f"目标年份 {m.year} 年尚未结束", f"milestone year {m.year} has not ended")
        own = variant_of(rule, m)
        if m.carry is not None:  # later years: the level carried forward
            out.append(Variant(own.params, own.condition, m.year, year == m.year, pending, reason))
            rows, own = rows & (year > m.year), variant_of(rule, m, carried=True)
        out.append(Variant(own.params, own.condition, m.year, rows, pending, reason))
    return out


def _scope(rule: RuleSpec, source: SourceDoc) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """In scope?, and the not-applicable reason texts (zh, en) when not."""
    scope = rule.scope or source.jurisdiction
    exact = rule.scope_match == "exact"
    code = pl.col("jurisdiction")
    level = "county" if exact else level_of(scope)
    width = {"province": 2, "city": 4, "county": 6}[level]
    inside = code == scope if width == 6 else code.str.starts_with(scope[:width])
    zh = pl.concat_str([pl.lit("辖区 "), code, pl.lit(f" 不{'等于' if exact else '属于'} {scope}")])
    en = pl.concat_str(
        [
            pl.lit("jurisdiction "),
            code,
            pl.lit(
                f" is outside scope {scope}"
                + (" (targets apply to that exact code only)" if exact else "")
            ),
        ]
    )
    return inside, zh, en


@dataclass
class CompiledRule:
    """One rule variant compiled: the tests its outcome depends on, and what explains it."""

    rule: RuleSpec
    order: int
    variant: Variant
    applies: Compiled | None
    condition: Compiled
    in_force: pl.Expr  # inside the scope and issued by the as-of date
    reason: tuple[pl.Expr, pl.Expr]
    draft: bool = False  # from a draft for comment: its failures say they do not bind

    @property
    def applies_truth(self) -> pl.Expr:
        """Whether the rule speaks of the record (true, false or unknown)."""
        return pl.lit(True) if self.applies is None else self.applies.truth

    def outcome(self, applies: pl.Expr, truth: pl.Expr) -> pl.Expr:
        """The outcome code, given the applies_when and condition truths (as columns,
        so each is computed once however often the order of questions asks it)."""
        return (
            pl.when(~self.in_force | ~applies)
            .then(CODE["not_applicable"])
            .when(self.variant.pending)
            .then(CODE["pending"])
            .when(applies.is_null())
            .then(CODE["insufficient_data"])
            .when(truth)
            .then(CODE["pass"])
            .when(~truth)
            .then(CODE["fail"])
            .otherwise(CODE["insufficient_data"])
        )


def compile_rule(
    rule: RuleSpec,
    source: SourceDoc,
    order: int,
    frame: KindFrame,
    *,
    training: TrainingColumns,
    texts: NormalisedColumns,
    asof: pl.Expr,
) -> list[CompiledRule]:
    """The rule's variants over one kind's columns, each with its outcome as a small code.

    `asof` is each record's as-of date: the `__asof` column, or a literal when every
    record shares the run's date (then the issue-date and deadline tests fold away).
    """
    types = field_types(frame.kind)
    vocabularies = {
        name: words for name in types if (words := vocabulary(frame.kind, name)) is not None
    }
    inside, out_zh, out_en = _scope(rule, source)
    issued = asof >= pl.lit(source.applies_from)
    asof_text = pl.col("__asof").dt.to_string("%Y-%m-%d")
    date_zh = pl.concat_str(
        [pl.lit("截至 "), asof_text, pl.lit(f" 文件尚未印发（{source.applies_from}）")]
    )
    date_en = pl.concat_str(
        [
            pl.lit("as of "),
            asof_text,
            pl.lit(f" the source was not yet issued ({source.applies_from})"),
        ]
    )
    compiled = []
    for variant in variants(rule, asof):

        def build(node: Any, params: dict[str, Any] = variant.params) -> Compiled:
            return compile_predicate(
                node,
                types=types,
                scales=frame.scales,
                params=params,
                training=training,
                vocabularies=vocabularies,
                normalise=texts,
            )

        applies = None if rule.applies_when is None else build(rule.applies_when)
        condition = build(variant.condition)
        applies_false = (
            pl.lit("记录不属于本条款所指对象"),
            pl.lit("the provision does not cover this record"),
        )
        reason_zh = (
            pl.when(~inside).then(out_zh).when(~issued).then(date_zh).otherwise(applies_false[0])
        )
        reason_en = (
            pl.when(~inside).then(out_en).when(~issued).then(date_en).otherwise(applies_false[1])
        )
        compiled.append(
            CompiledRule(
                rule,
                order,
                variant,
                applies,
                condition,
                inside & issued,
                (reason_zh, reason_en),
                draft=source.status == "draft",
            )
        )
    return compiled
