"""Why a rule gave the outcome it did: the condition tree with each node's value.

OPA's `--explain`, OpenFisca's `/trace`: the most asked-for answer after the
verdict itself. The trace is built from the rule the engine judges with (the
same RulePlan and variant the row engine selects, the same scope, issue-date
and layering decision) and each node is evaluated by the tree walk
(engines/row/tree_walk.py), whose meaning the compiled engine is tested to
share. The outcome the trace arrives at is kept beside the engine's finding;
tests check the two agree on every fixture and on random records.

Node values are three-valued: `true`, `false`, or `undecided` (an input is
unknown); each operand is shown with its value, or as unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any, Literal

from sw_policy.engines.row.judge import year_end, year_not_ended
from sw_policy.engines.row.plan import Entry, Variant
from sw_policy.engines.row.tree_walk import EvalContext, Truth, format_number, truth_of, value_of
from sw_policy.engines.wording import describe_node
from sw_policy.findings import Finding, Outcome
from sw_policy.rulebook.conditions import (
    AllOf,
    AnyOf,
    Compare,
    FieldRef,
    In,
    Known,
    LiteralValue,
    Not,
    RankAtLeast,
)

__all__ = ["Explanation", "NodeTrace", "NodeValue", "trace_rule"]

NodeValue = Literal["true", "false", "undecided"]
_VALUE: dict[Truth, NodeValue] = {
    Truth.TRUE: "true",
    Truth.FALSE: "false",
    Truth.UNKNOWN: "undecided",
}
_MARK = {"true": "✓", "false": "✗", "undecided": "?"}
_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "true": "真",
        "false": "假",
        "undecided": "未定",
        "unknown": "未知",
        "outcome": "结果",
        "record": "记录",
        "as_of": "判断日期",
        "variant": "适用版本",
        "own": "条款自身参数",
        "milestone": "{year} 年目标",
        "displaces": "取代 {ids}（本条款修订或替代它们）",
        "parameters": "参数",
        "applies": "适用条件",
        "condition": "条件",
        "none": "（无）",
        "reason": "原因",
        "not_evaluated": "未判断条件",
    },
    "en": {
        "true": "true",
        "false": "false",
        "undecided": "undecided",
        "unknown": "unknown",
        "outcome": "outcome",
        "record": "record",
        "as_of": "as of",
        "variant": "variant",
        "own": "the rule's own parameters",
        "milestone": "milestone {year}",
        "displaces": "displaces {ids} (this rule amends or supersedes them)",
        "parameters": "parameters",
        "applies": "applies when",
        "condition": "condition",
        "none": "(none)",
        "reason": "reason",
        "not_evaluated": "condition not evaluated",
    },
}


@dataclass(frozen=True)
class NodeTrace:
    """One predicate node: its text, its value, the operands it read and its children."""

    op: str
    text: str
    value: NodeValue
    operands: dict[str, str | None] = field(default_factory=dict)  # None: unknown
    part: str | None = None
    children: tuple[NodeTrace, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        out: dict[str, Any] = {"op": self.op, "text": self.text, "value": self.value}
        if self.operands:
            out["operands"] = dict(self.operands)
        if self.part is not None:
            out["part"] = self.part
        if self.children:
            out["children"] = [c.to_dict() for c in self.children]
        return out

    def lines(self, lang: str, depth: int = 0) -> list[str]:
        words = _WORDS[lang]
        shown = ", ".join(
            f"{k} = {words['unknown'] if v is None else v}" for k, v in self.operands.items()
        )
        part = f" [{self.part}]" if self.part else ""
        head = f"{'  ' * depth}{_MARK[self.value]} {words[self.value]}: {self.text}{part}"
        out = [head + (f"  ({shown})" if shown else "")]
        for child in self.children:
            out.extend(child.lines(lang, depth + 1))
        return out


@dataclass(frozen=True)
class Explanation:
    """How one rule judged one record, node by node; `finding` is the engine's own verdict."""

    rule_id: str
    kind: str
    record_id: str
    as_of: dt.date
    outcome: Outcome
    finding: Finding
    reason: tuple[str, str] | None  # why not applicable or pending (zh, en)
    milestone: int | None
    displaces: tuple[str, ...]
    parameters: dict[str, str]
    applies: NodeTrace | None
    condition: NodeTrace | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (the form `check --trace` and `explain --format json` print)."""
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "record_id": self.record_id,
            "as_of": self.as_of.isoformat(),
            "outcome": self.outcome,
            "reason": None if self.reason is None else {"zh": self.reason[0], "en": self.reason[1]},
            "variant": {"milestone": self.milestone, "displaces": list(self.displaces)},
            "parameters": dict(self.parameters),
            "applies_when": None if self.applies is None else self.applies.to_dict(),
            "condition": None if self.condition is None else self.condition.to_dict(),
        }

    def text(self, lang: Literal["zh", "en"] = "zh") -> str:
        """The trace as indented lines, in Chinese or English."""
        words = _WORDS[lang]
        message = self.finding.message.zh if lang == "zh" else self.finding.message.en
        variant = (
            words["own"]
            if self.milestone is None
            else words["milestone"].format(year=self.milestone)
        )
        if self.displaces:
            variant += "; " + words["displaces"].format(ids=", ".join(self.displaces))
        lines = [
            f"{self.rule_id} · {words['record']} {self.kind} {self.record_id} · "
            f"{words['as_of']} {self.as_of}",
            f"{words['outcome']}: {self.outcome} ({self.finding.severity}) — {message}",
            f"{words['variant']}: {variant}",
        ]
        if self.reason is not None:
            lines.append(f"{words['reason']}: {self.reason[0] if lang == 'zh' else self.reason[1]}")
        params = ", ".join(f"{k} = {v}" for k, v in self.parameters.items()) or words["none"]
        lines.append(f"{words['parameters']}: {params}")
        for title, node in ((words["applies"], self.applies), (words["condition"], self.condition)):
            if node is None:
                continue
            lines.append(f"{title}:")
            lines.extend(node.lines(lang, 1))
        if self.condition is None and self.outcome == "not_applicable":
            lines.append(words["not_evaluated"])
        return "\n".join(lines) + "\n"


def _shown(value: Any) -> str | None:
    """An operand as text; None when unknown. A table or list is summarised."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return format_number(value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal | int | str):
        return str(value)
    if isinstance(value, Mapping):
        return f"{{{len(value)} entries}}"
    if isinstance(value, tuple | list | frozenset | set):
        items = sorted(str(v) for v in value)
        return "{" + ", ".join(items[:6]) + (", …" if len(items) > 6 else "") + "}"
    return str(value)


def _operand_name(node: Any, params: Mapping[str, Any]) -> str:
    name = getattr(node, "field", None) or getattr(node, "param", None)
    name = name or getattr(node, "name", None) or getattr(node, "keys_of", None)
    if name:
        return str(name)
    return describe_node(Compare(op="eq", left=node, right=node), params, {}).split(" = ")[0]


def _node(node: Any, record: Any, as_of: dt.date, params: Mapping[str, Any]) -> NodeTrace:
    """One predicate node evaluated by the tree walk, with its operands and children."""
    truth = truth_of(node, EvalContext(record, as_of, params))
    operands: dict[str, str | None] = {}
    children: tuple[NodeTrace, ...] = ()
    if isinstance(node, Compare):
        for side in (node.left, node.right):
            if isinstance(side, LiteralValue):
                continue  # written in the rule: the node's text shows it
            value = value_of(side, EvalContext(record, as_of, params))
            operands.setdefault(_operand_name(side, params), _shown(value))
    elif isinstance(node, RankAtLeast):
        operands[node.field] = _shown(value_of(FieldRef(field=node.field), _ctx(record, as_of)))
        operands[_operand_name(node.min, params)] = _shown(
            value_of(node.min, EvalContext(record, as_of, params))
        )
    elif isinstance(node, In):
        for side in (node.value, node.set):
            value = value_of(side, EvalContext(record, as_of, params))
            operands.setdefault(_operand_name(side, params), _shown(value))
    elif isinstance(node, Known):
        operands[node.field] = _shown(getattr(record, node.field, None))
    elif isinstance(node, AllOf | AnyOf):
        children = tuple(_node(child, record, as_of, params) for child in node.of)
    elif isinstance(node, Not):
        children = (_node(node.of, record, as_of, params),)
    return NodeTrace(
        op=str(getattr(node, "op", type(node).__name__)),
        text=describe_node(node, params, {}).removeprefix("(").removesuffix(")"),
        value=_VALUE[truth],
        operands=operands,
        part=getattr(node, "part", None),
        children=children,
    )


def _ctx(record: Any, as_of: dt.date) -> EvalContext:
    return EvalContext(record, as_of, {})


def trace_rule(entry: Entry, record: Any, run_as_of: dt.date, finding: Finding) -> Explanation:
    """The explanation of `entry`'s rule on `record`, following engines/row/judge.py's order."""
    plan = entry.plan
    as_of = record.as_of or run_as_of
    reason: tuple[str, str] | None = None
    variant: Variant
    if plan.years is None:
        variant = plan.variants[0]
        if plan.deadline is not None and as_of < plan.deadline:
            reason = plan.deadline_reason
    else:
        variant, reason = plan.variant_for(record.year)
        if reason is None and variant.year is not None and as_of < year_end(variant.year):
            reason = year_not_ended(variant.year)
    params = variant.params
    shown_params = {
        name: text for name, value in params.items() if (text := _shown(value)) is not None
    }
    common = {
        "rule_id": plan.rule.id,
        "kind": plan.rule.kind,
        "record_id": record.id,
        "as_of": as_of,
        "finding": finding,
        "milestone": variant.year,
        "displaces": entry.displaced,
        "parameters": shown_params,
    }
    if entry.excluded is not None:
        return Explanation(
            outcome="not_applicable",
            reason=entry.excluded,
            applies=None,
            condition=None,
            **common,
        )
    applies = None
    if variant.applies_node is not None:
        applies = _node(variant.applies_node, record, as_of, params)
    condition = _node(variant.condition_node, record, as_of, params)
    outcome: Outcome
    if applies is not None and applies.value == "false":
        outcome, reason = "not_applicable", None
    elif reason is not None:
        outcome = "pending"
    elif applies is not None and applies.value == "undecided":
        outcome = "insufficient_data"
    else:
        outcome = {"true": "pass", "false": "fail", "undecided": "insufficient_data"}[
            condition.value
        ]  # type: ignore[assignment]
    return Explanation(
        outcome=outcome, reason=reason, applies=applies, condition=condition, **common
    )
