"""Judging one record against one rule: the order of questions a careful auditor asks.

1. Is the record inside the rule's jurisdiction?           no  -> not_applicable
2. Was the source issued by the record's as-of date?       no  -> not_applicable
3. Does the rule speak of this record (applies_when)?      no  -> not_applicable
4. Is the provision due (deadline / milestone reached)?    no  -> pending
5. Can we tell whether it applies?                         no  -> insufficient_data
6. Does the condition hold?                 yes/no/unknown -> pass/fail/insufficient_data
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._describe import describe_expected, describe_message
from ._findings import Citation, Finding, Location, Outcome
from ._jurisdiction import covers
from ._layering import Mark
from ._row_eval import EvalContext, Truth, observed_values, truth_of
from ._schema import Milestone, RuleSpec, SourceDoc

__all__ = ["evaluate_rule", "out_of_scope", "select_milestone"]


def select_milestone(rule: RuleSpec, year: int) -> Milestone | None:
    """The latest milestone whose year is not after `year`, or None if none is reached."""
    reached = [m for m in rule.milestones or () if m.year <= year]
    return reached[-1] if reached else None


def _parameters(rule: RuleSpec, milestone: Milestone | None) -> dict[str, Any]:
    params = {name: p.value for name, p in rule.parameters.items()}
    if milestone is not None:
        params.update(milestone.parameters)
    return params


def out_of_scope(
    rule: RuleSpec, source: SourceDoc, record: Any, as_of: dt.date
) -> tuple[str, str] | None:
    """Why the rule cannot apply to the record at all (zh, en), or None if it may."""
    scope = rule.scope or source.jurisdiction
    exact = rule.scope_match == "exact"
    if not covers(scope, record.jurisdiction, exact=exact):
        return (
            f"辖区 {record.jurisdiction} 不{'等于' if exact else '属于'} {scope}",
            f"jurisdiction {record.jurisdiction} is outside scope {scope}"
            + (" (targets apply to that exact code only)" if exact else ""),
        )
    if as_of < source.applies_from:
        return (
            f"截至 {as_of} 文件尚未印发（{source.applies_from}）",
            f"as of {as_of} the source was not yet issued ({source.applies_from})",
        )
    return None


_VERDICT: dict[Truth, Outcome] = {
    Truth.TRUE: "pass",
    Truth.FALSE: "fail",
    Truth.UNKNOWN: "insufficient_data",
}


def evaluate_rule(
    *,
    rule: RuleSpec,
    source: SourceDoc,
    citation: Citation,
    record: Any,
    run_as_of: dt.date,
    location: Location | None = None,
    displaced: tuple[str, ...] = (),
    marks: tuple[Mark, ...] = (),
    displaced_by: str | None = None,
) -> Finding:
    """Judge `record` against `rule`; always returns a finding (maybe not_applicable).

    `displaced` and `marks` come from _layering and are copied into the finding;
    a rule `displaced_by` another (amends/supersedes) is not_applicable.
    """
    as_of: dt.date = record.as_of or run_as_of

    def finding(
        outcome: Outcome,
        ctx: EvalContext | None = None,
        expected: str = "",
        reason: tuple[str, str] | None = None,
    ) -> Finding:
        observed = observed_values(ctx) if ctx else {}
        unmet = []
        if ctx is not None and outcome == "fail":
            unmet = [n for n, truth in ctx.parts if truth is Truth.FALSE]
        labels = [(n.label.zh, n.label.en) if n.label else (n.part, n.part) for n in unmet]
        message = describe_message(
            rule,
            outcome,
            observed=observed,
            expected=expected,
            unmet=labels,
            missing=ctx.missing if ctx else [],
            reason=reason,
        )
        return Finding(
            kind=rule.kind,
            record_id=record.id,
            rule_id=rule.id,
            outcome=outcome,
            severity=rule.severity,
            observed=observed,
            expected=expected,
            message=message,
            citation=citation,
            unmet=tuple(n.part for n in unmet),
            location=location,
            displaced=displaced,
            marks=marks,
        )

    excluded = out_of_scope(rule, source, record, as_of)
    if excluded is None and displaced_by is not None:
        excluded = (f"已由 {displaced_by} 取代", f"displaced by {displaced_by}")
    if excluded is not None:
        return finding("not_applicable", reason=excluded)

    milestone: Milestone | None = None
    pending_reason: tuple[str, str] | None = None
    if rule.milestones is not None:
        milestone = select_milestone(rule, record.year)
        if milestone is None:
            first = rule.milestones[0].year
            pending_reason = (f"首个目标年份为 {first} 年", f"first milestone is {first}")
    elif rule.deadline is not None and as_of < rule.deadline:
        pending_reason = (f"期限 {rule.deadline}", f"deadline {rule.deadline}")

    # A target not yet due is still shown against its first milestone.
    judged_against = milestone or (rule.milestones[0] if rule.milestones else None)
    params = _parameters(rule, judged_against)
    condition = (judged_against.condition if judged_against else None) or rule.condition

    # Whether the provision speaks of this record is not an observation about it.
    scope_ctx = EvalContext(record=record, as_of=as_of, params=params)
    applies = Truth.TRUE if rule.applies_when is None else truth_of(rule.applies_when, scope_ctx)
    if applies is Truth.FALSE:
        return finding(
            "not_applicable",
            reason=("记录不属于本条款所指对象", "the provision does not cover this record"),
        )

    ctx = EvalContext(record=record, as_of=as_of, params=params)
    holds = truth_of(condition, ctx)
    expected = describe_expected(
        condition, params, observed_values(ctx), judged_against.year if judged_against else None
    )
    if pending_reason is not None:
        return finding("pending", ctx, expected, reason=pending_reason)
    if applies is Truth.UNKNOWN:
        ctx.missing[:0] = scope_ctx.missing
        return finding("insufficient_data", ctx, expected)
    return finding(_VERDICT[holds], ctx, expected)
