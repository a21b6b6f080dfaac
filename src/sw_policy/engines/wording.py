"""Human text derived from the rule tree: the `expected` column and the messages.

Nothing here is written per rule: the text comes from the condition tree and
the parameter values, so a drafter who changes 0.70 to 0.75 in YAML changes
what every finding says as well as what it decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sw_policy.findings import Message, Outcome
from sw_policy.rulebook.conditions import (
    COMPARISON_SYMBOLS,
    AllOf,
    AnyOf,
    Compare,
    FieldRef,
    In,
    KeysOf,
    Known,
    LiteralValue,
    Lookup,
    MapEntry,
    Not,
    ParamRef,
    Product,
    RankAtLeast,
    Ratio,
    TrainingHours,
)
from sw_policy.rulebook.schema import RuleSpec

__all__ = [
    "describe_expected",
    "describe_message",
    "describe_node",
    "describe_observed",
    "describe_verdict",
    "fail_heads",
]


# The registry's node types (rulebook/conditions.py NODE_TYPES) _expr or describe_node words,
# and those it refuses with a reason; tests/test_operator_registry.py keeps them whole.
HANDLED: frozenset[type] = frozenset(
    {FieldRef, ParamRef, KeysOf, LiteralValue, Ratio, Product, TrainingHours, Lookup, MapEntry}
    | {Compare, RankAtLeast, In, Known, AllOf, AnyOf, Not}
)
UNSUPPORTED: dict[type, str] = {}


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _expr(node: Any, params: Mapping[str, Any], observed: Mapping[str, Any]) -> str:
    if isinstance(node, FieldRef):
        return node.field
    if isinstance(node, ParamRef):
        value = params[node.param]
        # A list or table is named, not spelt out: `rules show ID` prints it in full.
        return node.param if isinstance(value, tuple | list | Mapping) else _scalar(value)
    if isinstance(node, KeysOf):
        return node.keys_of
    if isinstance(node, LiteralValue):
        return _scalar(node.value)
    if isinstance(node, Ratio | Product) and node.name:
        return node.name
    if isinstance(node, Ratio | Product):
        return _spelled_out(node, params, observed)
    if isinstance(node, TrainingHours):
        return node.name
    if isinstance(node, MapEntry):
        return node.column
    if isinstance(node, Lookup):
        if node.name and node.name in observed:
            return _scalar(observed[node.name])
        return f"{_expr(node.table, params, observed)}[{_expr(node.key, params, observed)}]"
    return type(node).__name__


def _spelled_out(
    node: Ratio | Product, params: Mapping[str, Any], observed: Mapping[str, Any]
) -> str:
    """`a / b` or `a × b`, ignoring the node's name (a threshold reads better spelt out)."""
    symbol = "/" if isinstance(node, Ratio) else "×"
    return f"{_expr(node.of[0], params, observed)} {symbol} {_expr(node.of[1], params, observed)}"


def describe_node(
    node: Any, params: Mapping[str, Any], observed: Mapping[str, Any], *, top: bool = False
) -> str:
    """A predicate as text, e.g. `labour_cost_share ≤ 0.70`; at top level just `≤ 0.70`."""
    if isinstance(node, Compare):
        right = (
            _spelled_out(node.right, params, observed)
            if isinstance(node.right, Product)
            else _expr(node.right, params, observed)
        )
        symbol = COMPARISON_SYMBOLS[node.op]
        if top:
            return f"{symbol} {right}"
        return f"{_expr(node.left, params, observed)} {symbol} {right}"
    if isinstance(node, RankAtLeast):
        minimum = _expr(node.min, params, observed)
        return f"≥ {minimum}" if top else f"{node.field} ≥ {minimum}"
    if isinstance(node, In):
        return f"{_expr(node.value, params, observed)} in {_expr(node.set, params, observed)}"
    if isinstance(node, Known):
        return f"{node.field} known"
    if isinstance(node, AllOf | AnyOf):
        joiner = " and " if isinstance(node, AllOf) else " or "
        parts = [describe_node(child, params, observed) for child in node.of]
        if isinstance(node, AnyOf) and top:
            return "any of: " + "; ".join(parts)
        text = joiner.join(parts)
        return text if top else f"({text})"
    if isinstance(node, Not):
        return f"not {describe_node(node.of, params, observed)}"
    return type(node).__name__


def describe_expected(
    condition: Any,
    params: Mapping[str, Any],
    observed: Mapping[str, Any],
    milestone_year: int | None,
) -> str:
    """The `expected` text of a finding."""
    text = describe_node(condition, params, observed, top=True)
    if milestone_year is not None:
        return f"{milestone_year}: {text}"
    return text


def _observed_text(observed: Mapping[str, Any]) -> str:
    return ", ".join(
        [
            f"{k} = {v if type(v) is str else 'unknown' if v is None else _scalar(v)}"
            for k, v in observed.items()
        ]
    )


def describe_message(
    rule: RuleSpec,
    outcome: Outcome,
    *,
    observed: Mapping[str, Any],
    expected: str,
    unmet: list[tuple[str, str]],
    missing: list[str],
    reason: tuple[str, str] | None = None,
) -> Message:
    """The bilingual message: verdict, rule summary, and why (unmet parts, missing data)."""
    zh, en = describe_verdict(rule, outcome, unmet=unmet, missing=missing, reason=reason)
    if outcome != "not_applicable" and observed:
        zh_seen, en_seen = describe_observed(observed, expected)
        zh, en = zh + zh_seen, en + en_seen
    return Message(zh=zh, en=en)


def describe_verdict(
    rule: RuleSpec,
    outcome: Outcome,
    *,
    unmet: Sequence[tuple[str, str]],
    missing: Sequence[str],
    reason: tuple[str, str] | None = None,
    draft: bool = False,
) -> tuple[str, str]:
    """The message's first sentence (zh, en): verdict, rule summary, unmet parts or gaps.

    It depends on no observed value, so the row engine keeps it per rule and outcome.
    A failure of a draft for comment says in the message itself that it does not bind.
    """
    zh_summary, en_summary = rule.summary.zh, rule.summary.en
    if outcome == "pass":
        zh, en = f"符合：{zh_summary}。", f"Meets: {en_summary}."
    elif outcome == "fail":
        zh_head, en_head = fail_heads(draft)
        zh, en = f"{zh_head}{zh_summary}。", f"{en_head}{en_summary}."
        if unmet:
            zh += "未满足：" + "；".join(z for z, _ in unmet) + "。"
            en += " Unmet: " + "; ".join(e for _, e in unmet) + "."
    elif outcome == "pending":
        why_zh, why_en = reason or ("尚未到期", "not yet due")
        zh, en = f"尚未到期（{why_zh}）：{zh_summary}。", f"Pending ({why_en}): {en_summary}."
    elif outcome == "insufficient_data":
        fields = ", ".join(dict.fromkeys(missing)) or "inputs"  # each input named once
        zh = f"数据不足，无法判定：{zh_summary}。缺少：{fields}。"
        en = f"Cannot decide, data missing: {en_summary}. Missing: {fields}."
    else:
        why_zh, why_en = reason or ("不在适用范围内", "outside the rule's scope")
        zh, en = f"不适用：{why_zh}。", f"Not applicable: {why_en}."
    return zh, en


DRAFT_FAIL = (
    "不符合（征求意见稿，不具约束力）：",
    "Does not meet (draft for comment, not binding): ",
)


def fail_heads(draft: bool) -> tuple[str, str]:
    """How a failure's message begins (zh, en): a draft's failure says it does not bind."""
    return DRAFT_FAIL if draft else ("不符合：", "Does not meet: ")


def describe_observed(observed: Mapping[str, Any], expected: str) -> tuple[str, str]:
    """The message's second sentence (zh, en): what was observed and what was expected."""
    seen = _observed_text(observed)
    return f"实际：{seen}；要求：{expected}。", f" Observed: {seen}; expected: {expected}."
