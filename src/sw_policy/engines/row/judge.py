"""Judging one record against one rule: the order of questions a careful auditor asks.

1. Is the record inside the rule's jurisdiction?           no  -> not_applicable
2. Was the source issued by the record's as-of date?       no  -> not_applicable
3. Does the rule speak of this record (applies_when)?      no  -> not_applicable
4. Is the provision due (deadline / milestone reached)?    no  -> pending
5. Can we tell whether it applies?                         no  -> insufficient_data
6. Does the condition hold?                 yes/no/unknown -> pass/fail/insufficient_data

Questions 1 and 2 depend on the record only through its jurisdiction and
as-of date, so the rulebook asks them once per pair (engines/row/selection.py); `judge`
asks the rest. The outcome is decided first; the explanation is then built
once, from pieces each RulePlan keeps (engines/row/plan.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sw_policy.engines.row.compile import Trace
from sw_policy.engines.row.plan import Entry, RulePlan, Variant
from sw_policy.engines.row.tree_walk import Truth
from sw_policy.engines.row.trusted import trusted_finding
from sw_policy.engines.wording import describe_observed
from sw_policy.findings import Citation, Finding, Location, Outcome
from sw_policy.rulebook.jurisdiction import covers
from sw_policy.rulebook.layering import Mark
from sw_policy.rulebook.schema import Milestone, RuleSpec, SourceDoc
from sw_policy.rulebook.variants import parameters_of

__all__ = [
    "Verdict",
    "decide",
    "evaluate_rule",
    "judge",
    "not_applicable",
    "out_of_scope",
    "scope_reason",
    "select_milestone",
]

_NOT_COVERED = ("记录不属于本条款所指对象", "the provision does not cover this record")

# Module constants: an enum member read through its class costs a lookup each time.
_TRUE, _FALSE, _UNKNOWN = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def year_end(year: int) -> dt.date:
    """The last day of a milestone's year: its figures are judged from then on."""
    return dt.date(year, 12, 31)


def year_not_ended(year: int) -> tuple[str, str]:
    """Why a region's figures are pending before the milestone's year has ended."""
    return (f"目标年份 {year} 年尚未结束", f"milestone year {year} has not ended")


def select_milestone(rule: RuleSpec, year: int) -> Milestone | None:
    """The latest milestone whose year is not after `year`, or None if none is reached."""
    reached = [m for m in rule.milestones or () if m.year <= year]
    return reached[-1] if reached else None


_parameters = parameters_of  # the old name, kept for callers of the row engine


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
    entry: Entry,
    record: Any,
    reason: tuple[str, str],
    location: Location | None,
) -> Finding:
    """The finding of a rule that does not apply to the record, saying why."""
    plan = entry.plan
    zh, en = plan.verdict("not_applicable", reason=reason)
    return trusted_finding(
        plan.rule,
        record.id,
        "not_applicable",
        observed={},
        expected="",
        message=(zh, en),
        citation=plan.citation,
        unmet=(),
        location=location,
        displaced=entry.displaced,
        marks=entry.marks,
        record_name=getattr(record, "name", None),
        jurisdiction=record.jurisdiction,
    )


class Verdict:
    """A rule's outcome for one record, decided; its explained finding built on demand.

    A monitor re-judging a record needs the full finding only when an outcome
    changed: deciding is the tree walk, explaining (messages, observed values,
    the finding model) is about as much again.
    """

    __slots__ = ("entry", "outcome", "pending", "record", "scope", "trace", "variant")

    def __init__(  # noqa: PLR0917 - positional: made once per judged rule, in the hot loop
        self,
        entry: Entry,
        record: Any,
        outcome: Outcome,
        variant: Variant,
        pending: tuple[str, str] | None,
        scope: Trace | None,
        trace: Trace,
    ) -> None:
        self.entry = entry
        self.record = record
        self.outcome: Outcome = outcome
        self.variant = variant
        self.pending = pending
        self.scope = scope  # the applies_when trace, when it left the outcome unknown
        self.trace = trace

    @property
    def rule_id(self) -> str:
        """The rule judged."""
        return self.entry.plan.rule.id

    def finding(self, location: Location | None = None) -> Finding:
        """The explained finding, exactly as judge() gives it."""
        return _explain(self, location)


def _variant_and_pending(
    plan: RulePlan, record: Any, as_of: dt.date
) -> tuple[Variant, tuple[str, str] | None]:
    """The variant that judges `record` and, before its deadline or year end, why pending."""
    if plan.years is None:
        deadline = plan.deadline
        pending = None if deadline is None or as_of >= deadline else plan.deadline_reason
        return plan.variants[0], pending
    variant, pending = plan.variant_for(record.year)
    if pending is None and variant.year is not None and as_of < year_end(variant.year):
        pending = year_not_ended(variant.year)
    return variant, pending


def decide(entry: Entry, record: Any, as_of: dt.date) -> Verdict | None:
    """Questions 3 to 6 for a record already in the rule's scope at `as_of`, outcome only.

    None when applies_when is false (the rule does not speak of the record).
    """
    plan = entry.plan
    variant, pending = _variant_and_pending(plan, record, as_of)

    # Whether the provision speaks of this record is not an observation about it.
    applies = _TRUE
    scope = None
    if plan.has_applies:
        scope = Trace(record, as_of)
        applies = variant.applies(scope)
        if applies is _FALSE:
            return None

    trace = Trace(record, as_of)
    holds = variant.condition(trace)
    outcome: Outcome
    if pending is not None:
        outcome = "pending"
    elif applies is _UNKNOWN:
        outcome = "insufficient_data"
    elif holds is _TRUE:
        outcome = "pass"
    elif holds is _FALSE:
        outcome = "fail"
    else:
        outcome = "insufficient_data"
    unknown_scope = scope if applies is _UNKNOWN else None
    return Verdict(entry, record, outcome, variant, pending, unknown_scope, trace)


def _explain(verdict: Verdict, location: Location | None) -> Finding:
    """The finding of a decided verdict: its message, observed and expected values."""
    entry, record, trace = verdict.entry, verdict.record, verdict.trace
    plan = entry.plan
    outcome = verdict.outcome
    unmet: tuple[str, ...] = ()
    if verdict.pending is not None:
        zh, en = plan.verdict(outcome, reason=verdict.pending)
    elif verdict.scope is not None:
        zh, en = plan.verdict(outcome, missing=verdict.scope.missing + trace.missing)
    elif outcome == "pass":
        zh, en = plan.met
    elif outcome == "fail":
        unmet, (zh, en) = _unmet(plan, trace)
    else:
        zh, en = plan.verdict(outcome, missing=trace.missing)
    return _finding(entry, record, outcome, (zh, en), unmet, trace, verdict.variant, location)


def _unmet(plan: RulePlan, trace: Trace) -> tuple[tuple[str, ...], tuple[str, str]]:
    """A failure's unmet parts and its message naming them (or the rule's own words)."""
    failed = [node for node, truth in trace.parts if truth is _FALSE]
    if not failed:
        return (), plan.unmet
    labels = tuple((n.label.zh, n.label.en) if n.label else (n.part, n.part) for n in failed)
    return tuple(node.part for node in failed), plan.verdict("fail", unmet=labels)


def _finding(  # noqa: PLR0917 - the pieces judge() and _explain() both hold
    entry: Entry,
    record: Any,
    outcome: Outcome,
    message: tuple[str, str],
    unmet: tuple[str, ...],
    trace: Trace,
    variant: Variant,
    location: Location | None,
) -> Finding:
    """The finding from a decided outcome and its message: observed and expected appended."""
    plan = entry.plan
    zh, en = message
    observed = trace.observed_values()
    expected = variant.expected(observed)
    if observed:
        zh_seen, en_seen = describe_observed(observed, expected)
        zh, en = zh + zh_seen, en + en_seen
    return trusted_finding(
        plan.rule,
        record.id,
        outcome,
        observed=observed,
        expected=expected,
        message=(zh, en),
        citation=plan.citation,
        unmet=unmet,
        location=location,
        displaced=entry.displaced,
        marks=entry.marks,
        record_name=getattr(record, "name", None),
        jurisdiction=record.jurisdiction,
    )


def judge(
    entry: Entry,
    record: Any,
    as_of: dt.date,
    location: Location | None,
    keep_not_applicable: bool,
) -> Finding | None:
    """Questions 3 to 6 for a record already in the rule's scope at `as_of`.

    A rule whose applies_when is false gives a not_applicable finding, or None
    when `keep_not_applicable` is false (the caller would drop it).

    decide() and Verdict.finding() give the same, in two steps; judge() keeps
    them in one body because it is the batch engine's hot loop (a Verdict per
    judged rule cost `check` about 10 %). tests/test_stream_fast_paths.py holds
    the two to the same findings byte for byte.
    """
    plan = entry.plan
    variant, pending = _variant_and_pending(plan, record, as_of)

    # Whether the provision speaks of this record is not an observation about it.
    applies = _TRUE
    if plan.has_applies:
        scope = Trace(record, as_of)
        applies = variant.applies(scope)
        if applies is _FALSE:
            if not keep_not_applicable:
                return None
            return not_applicable(entry, record, _NOT_COVERED, location)

    # The outcome first; then its explanation, from pieces the plan keeps.
    trace = Trace(record, as_of)
    holds = variant.condition(trace)
    unmet: tuple[str, ...] = ()
    if pending is not None:
        outcome: Outcome = "pending"
        zh, en = plan.verdict(outcome, reason=pending)
    elif applies is _UNKNOWN:
        outcome = "insufficient_data"
        zh, en = plan.verdict(outcome, missing=scope.missing + trace.missing)
    elif holds is _TRUE:
        outcome = "pass"
        zh, en = plan.met
    elif holds is _FALSE:
        outcome = "fail"
        unmet, (zh, en) = _unmet(plan, trace)
    else:
        outcome = "insufficient_data"
        zh, en = plan.verdict(outcome, missing=trace.missing)
    return _finding(entry, record, outcome, (zh, en), unmet, trace, variant, location)


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

    `displaced` and `marks` come from rulebook.layering and are copied into the finding;
    a rule `displaced_by` another (amends/supersedes) is not_applicable. The
    rulebook keeps a RulePlan per rule instead; this builds one for the call.
    """
    as_of: dt.date = record.as_of or run_as_of
    excluded = out_of_scope(rule, source, record, as_of)
    if excluded is None and displaced_by is not None:
        excluded = displaced_reason(displaced_by)
    entry = Entry(RulePlan(rule, source, citation), displaced, marks, excluded)
    if excluded is not None:
        return not_applicable(entry, record, excluded, location)
    finding = judge(entry, record, as_of, location, True)
    assert finding is not None  # not_applicable findings are kept
    return finding


def displaced_reason(displaced_by: str) -> tuple[str, str]:
    """Why a rule displaced by another (amends/supersedes) is not applicable."""
    return (f"已由 {displaced_by} 取代", f"displaced by {displaced_by}")
