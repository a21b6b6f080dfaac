"""Judging one record against one rule: the order of questions a careful auditor asks.

1. Is the record inside the rule's jurisdiction?           no  -> not_applicable
2. Was the source issued by the record's as-of date?       no  -> not_applicable
3. Does the rule speak of this record (applies_when)?      no  -> not_applicable
4. Is the provision due (deadline / milestone reached)?    no  -> pending
5. Can we tell whether it applies?                         no  -> insufficient_data
6. Does the condition hold?                 yes/no/unknown -> pass/fail/insufficient_data

Questions 1 and 2 depend on the record only through its jurisdiction and
as-of date, so the rulebook asks them once per pair (_row_select.py); `judge`
asks the rest. The outcome is decided first; the explanation is then built
once, from pieces each RulePlan keeps (_row_plan.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._describe import describe_observed
from ._findings import Citation, Finding, Location, Outcome
from ._jurisdiction import covers
from ._layering import Mark
from ._row_compile import Trace
from ._row_eval import Truth
from ._row_plan import RulePlan
from ._schema import Milestone, RuleSpec, SourceDoc
from ._trusted import trusted_finding

__all__ = [
    "evaluate_rule",
    "judge",
    "not_applicable",
    "out_of_scope",
    "scope_reason",
    "select_milestone",
]

_NOT_COVERED = ("记录不属于本条款所指对象", "the provision does not cover this record")

_VERDICT: dict[Truth, Outcome] = {
    Truth.TRUE: "pass",
    Truth.FALSE: "fail",
    Truth.UNKNOWN: "insufficient_data",
}


def select_milestone(rule: RuleSpec, year: int) -> Milestone | None:
    """The latest milestone whose year is not after `year`, or None if none is reached."""
    reached = [m for m in rule.milestones or () if m.year <= year]
    return reached[-1] if reached else None


def _parameters(rule: RuleSpec, milestone: Milestone | None) -> dict[str, Any]:
    """A rule's parameters as one milestone sets them (the columnar engine's view)."""
    params = {name: p.value for name, p in rule.parameters.items()}
    if milestone is not None:
        params.update(milestone.parameters)
    return params


def scope_reason(
    rule: RuleSpec, source: SourceDoc, jurisdiction: str, as_of: dt.date
) -> tuple[str, str] | None:
    """Why the rule cannot apply in this jurisdiction at this date (zh, en), or None."""
    scope = rule.scope or source.jurisdiction
    exact = rule.scope_match == "exact"
    if not covers(scope, jurisdiction, exact=exact):
        return (
            f"辖区 {jurisdiction} 不{'等于' if exact else '属于'} {scope}",
            f"jurisdiction {jurisdiction} is outside scope {scope}"
            + (" (targets apply to that exact code only)" if exact else ""),
        )
    if as_of < source.applies_from:
        return (
            f"截至 {as_of} 文件尚未印发（{source.applies_from}）",
            f"as of {as_of} the source was not yet issued ({source.applies_from})",
        )
    return None


def out_of_scope(
    rule: RuleSpec, source: SourceDoc, record: Any, as_of: dt.date
) -> tuple[str, str] | None:
    """Why the rule cannot apply to the record at all (zh, en), or None if it may."""
    return scope_reason(rule, source, record.jurisdiction, as_of)


def not_applicable(
    plan: RulePlan,
    record: Any,
    reason: tuple[str, str],
    *,
    location: Location | None = None,
    displaced: tuple[str, ...] = (),
    marks: tuple[Mark, ...] = (),
) -> Finding:
    """The finding of a rule that does not apply to the record, saying why."""
    zh, en = plan.verdict("not_applicable", reason=reason)
    return _finding(
        plan,
        record,
        "not_applicable",
        observed={},
        expected="",
        message=(zh, en),
        unmet=(),
        location=location,
        displaced=displaced,
        marks=marks,
    )


def judge(
    plan: RulePlan,
    record: Any,
    as_of: dt.date,
    *,
    location: Location | None = None,
    displaced: tuple[str, ...] = (),
    marks: tuple[Mark, ...] = (),
    keep_not_applicable: bool = True,
) -> Finding | None:
    """Questions 3 to 6 for a record already in the rule's scope at `as_of`.

    A rule whose applies_when is false gives a not_applicable finding, or None
    when `keep_not_applicable` is false (the caller would drop it).
    """
    if plan.years is not None:
        variant, pending = plan.variant_for(record.year)
    else:
        variant = plan.variants[0]
        deadline = plan.deadline
        pending = plan.deadline_reason if deadline is not None and as_of < deadline else None

    # Whether the provision speaks of this record is not an observation about it.
    applies = Truth.TRUE
    if plan.has_applies:
        scope = Trace(record, as_of)
        applies = variant.applies(scope)
        if applies is Truth.FALSE:
            if not keep_not_applicable:
                return None
            return not_applicable(
                plan, record, _NOT_COVERED, location=location, displaced=displaced, marks=marks
            )

    trace = Trace(record, as_of)
    holds = variant.condition(trace)
    observed = trace.observed_values()
    expected = variant.expected(observed)
    unmet: tuple[str, ...] = ()
    if pending is not None:
        outcome: Outcome = "pending"
        zh, en = plan.verdict(outcome, reason=pending)
    elif applies is Truth.UNKNOWN:
        outcome = "insufficient_data"
        zh, en = plan.verdict(outcome, missing=scope.missing + trace.missing)
    else:
        outcome = _VERDICT[holds]
        if outcome == "fail":
            failed = [node for node, truth in trace.parts if truth is Truth.FALSE]
            unmet = tuple(node.part for node in failed)
            labels = tuple(
                (n.label.zh, n.label.en) if n.label else (n.part, n.part) for n in failed
            )
            zh, en = plan.verdict(outcome, unmet=labels)
        else:
            zh, en = plan.verdict(outcome, missing=trace.missing)
    if observed:
        zh_seen, en_seen = describe_observed(observed, expected)
        zh, en = zh + zh_seen, en + en_seen
    return _finding(
        plan,
        record,
        outcome,
        observed=observed,
        expected=expected,
        message=(zh, en),
        unmet=unmet,
        location=location,
        displaced=displaced,
        marks=marks,
    )


def _finding(
    plan: RulePlan,
    record: Any,
    outcome: Outcome,
    *,
    observed: dict[str, Any],
    expected: str,
    message: tuple[str, str],
    unmet: tuple[str, ...],
    location: Location | None,
    displaced: tuple[str, ...],
    marks: tuple[Mark, ...],
) -> Finding:
    return trusted_finding(
        plan.rule,
        record.id,
        outcome,
        observed=observed,
        expected=expected,
        message=message,
        citation=plan.citation,
        unmet=unmet,
        location=location,
        displaced=displaced,
        marks=marks,
    )


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
    a rule `displaced_by` another (amends/supersedes) is not_applicable. The
    rulebook keeps a RulePlan per rule instead; this builds one for the call.
    """
    as_of: dt.date = record.as_of or run_as_of
    plan = RulePlan(rule, source, citation)
    excluded = out_of_scope(rule, source, record, as_of)
    if excluded is None and displaced_by is not None:
        excluded = displaced_reason(displaced_by)
    if excluded is not None:
        return not_applicable(
            plan, record, excluded, location=location, displaced=displaced, marks=marks
        )
    finding = judge(plan, record, as_of, location=location, displaced=displaced, marks=marks)
    assert finding is not None  # keep_not_applicable
    return finding


def displaced_reason(displaced_by: str) -> tuple[str, str]:
    """Why a rule displaced by another (amends/supersedes) is not applicable."""
    return (f"已由 {displaced_by} 取代", f"displaced by {displaced_by}")
