"""Judging whole columns of records: the row engine's order of questions, as expressions.

For each rule of a kind (and each milestone of a target) the rule's trees are
compiled once (_columnar.py); scope, issue date, applies_when, deadline or
milestone and condition become one `outcome` expression. Findings are built in
two stages: outcomes for every record (the summary counts them all), then the
text columns (observed, expected, messages) only for the findings listed.
The result is a DataFrame with the JSON report's finding fields; citations are
not repeated per row but joined from the rulebook by rule id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from ._columnar import Compiled, Entry, UnsupportedConstructError, compile_predicate
from ._columnar_frame import KindFrame, RecordFrames, field_types
from ._columnar_training import TrainingColumns
from ._describe import describe_expected
from ._engine import _parameters
from ._jurisdiction import level_of
from ._schema import Milestone, RuleSpec, SourceDoc

if TYPE_CHECKING:
    from ._rulebook import Rulebook

__all__ = ["FINDING_COLUMNS", "ColumnarResult", "evaluate_frames"]

FINDING_COLUMNS = (
    "kind",
    "record_id",
    "rule_id",
    "outcome",
    "severity",
    "observed",
    "expected",
    "message_zh",
    "message_en",
    "unmet",
    "location_path",
    "location_sheet",
    "location_row",
    "displaced",
    "marks",
)

_SENTINEL = "\x00lookup\x00"


@dataclass(frozen=True)
class ColumnarResult:
    """Findings (one row each, in report order) and outcome counts over every applicable one."""

    findings: pl.DataFrame
    outcome_counts: dict[str, int]
    records: int


@dataclass(frozen=True)
class _Variant:
    """One way a rule is judged: its parameters, condition and which records it covers."""

    params: dict[str, Any]
    condition: Any
    year: int | None
    rows: pl.Expr
    pending: pl.Expr
    pending_reason: tuple[str, str]


def _variants(rule: RuleSpec) -> list[_Variant]:
    if rule.milestones is None:
        pending = pl.lit(False)
        reason = ("", "")
        if rule.deadline is not None:
            pending = pl.col("__asof") < pl.lit(rule.deadline)
            reason = (f"期限 {rule.deadline}", f"deadline {rule.deadline}")
        params = _parameters(rule, None)
        return [_Variant(params, rule.condition, None, pl.lit(True), pending, reason)]
    milestones: list[Milestone] = list(rule.milestones)
    first = milestones[0]
    year = pl.col("year")
    out = [
        _Variant(
            _parameters(rule, first),
            first.condition or rule.condition,
            first.year,
            year < first.year,
            pl.lit(True),
            (f"首个目标年份为 {first.year} 年", f"first milestone is {first.year}"),
        )
    ]
    for i, m in enumerate(milestones):
        rows = year >= m.year
        if i + 1 < len(milestones):
            rows = rows & (year < milestones[i + 1].year)
        out.append(
            _Variant(
                _parameters(rule, m),
                m.condition or rule.condition,
                m.year,
                rows,
                pl.lit(False),
                ("", ""),
            )
        )
    return out


def _scope(rule: RuleSpec, source: SourceDoc) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """In scope?, and the not-applicable reason texts (zh, en) when not."""
    scope = rule.scope or source.jurisdiction
    exact = rule.scope_match == "exact"
    code = pl.col("jurisdiction")
    level = "county" if exact else level_of(scope)
    width = {"province": 2, "city": 4, "county": 6}[level]
    inside = code == scope if width == 6 else code.str.slice(0, width) == scope[:width]
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


def _join(items: Sequence[pl.Expr], sep: str) -> pl.Expr:
    if not items:
        return pl.lit("")
    return pl.concat_str(items, separator=sep, ignore_nulls=True).fill_null("")


@dataclass
class _CompiledRule:
    rule: RuleSpec
    order: int
    variant: _Variant
    applies: Compiled | None
    condition: Compiled
    outcome: pl.Expr
    reason: tuple[pl.Expr, pl.Expr]


def _compile_rule(
    rule: RuleSpec, source: SourceDoc, order: int, frame: KindFrame, training: TrainingColumns
) -> list[_CompiledRule]:
    types = field_types(frame.kind)
    inside, out_zh, out_en = _scope(rule, source)
    issued = pl.col("__asof") >= pl.lit(source.applies_from)
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
    for variant in _variants(rule):

        def build(node: Any, params: dict[str, Any] = variant.params) -> Compiled:
            return compile_predicate(
                node, types=types, scales=frame.scales, params=params, training=training
            )

        applies = None if rule.applies_when is None else build(rule.applies_when)
        condition = build(variant.condition)
        applies_truth = pl.lit(True) if applies is None else applies.truth
        truth = condition.truth
        outcome = (
            pl.when(~inside | ~issued | ~applies_truth)
            .then(pl.lit("not_applicable"))
            .when(variant.pending)
            .then(pl.lit("pending"))
            .when(applies_truth.is_null())
            .then(pl.lit("insufficient_data"))
            .when(truth)
            .then(pl.lit("pass"))
            .when(~truth)
            .then(pl.lit("fail"))
            .otherwise(pl.lit("insufficient_data"))
        )
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
            _CompiledRule(rule, order, variant, applies, condition, outcome, (reason_zh, reason_en))
        )
    return compiled


def _entries(c: Compiled) -> list[Entry]:
    """Observed values in the row engine's order: derived figures, then the fields read."""
    entries = list(c.derived)
    derived_names = {e.name: e.present for e in c.derived}
    for e in c.observed:
        present = e.present
        if e.name in derived_names:
            present = present & ~derived_names[e.name]
        entries.append(Entry(e.name, present, e.json, e.text))
    return entries


def _entry_columns(entries: list[Entry]) -> list[pl.Expr]:
    """Stage 2a: each entry's presence and text computed once (formatting may call Python)."""
    out = []
    for i, e in enumerate(entries):
        out += [e.present.alias(f"__p{i}"), e.text.alias(f"__t{i}")]
        if e.json is not None:
            out.append(e.json.alias(f"__j{i}"))
    return out


def _observed(entries: list[Entry]) -> tuple[pl.Expr, pl.Expr]:
    """The observed JSON entries (list of key/value structs) and their message text."""
    if not entries:
        empty = pl.lit([], dtype=pl.List(pl.Struct({"key": pl.String, "value": pl.String})))
        return empty, pl.lit("")
    present = [pl.col(f"__p{i}") for i in range(len(entries))]
    texts = [pl.col(f"__t{i}") for i in range(len(entries))]
    values = [
        pl.col(f"__j{i}") if e.json is not None else '"' + texts[i] + '"'
        for i, e in enumerate(entries)
    ]
    structs = pl.concat_list(
        [
            pl.when(p).then(pl.struct(key=pl.lit(e.name), value=v))
            for e, p, v in zip(entries, present, values, strict=True)
        ]
    ).list.drop_nulls()
    text = _join(
        [
            pl.when(p).then(pl.lit(f"{e.name} = ") + t)
            for e, p, t in zip(entries, present, texts, strict=True)
        ],
        ", ",
    )
    return structs, text


def _expected(c: Compiled, variant: _Variant) -> pl.Expr:
    if not c.lookups:
        return pl.lit(describe_expected(variant.condition, variant.params, {}, variant.year))
    if len(c.lookups) > 1:
        raise UnsupportedConstructError("expected text with more than one named lookup")
    ((name, (text, _)),) = c.lookups.items()
    present = next(e.present for e in c.derived if e.name == name)
    without = describe_expected(variant.condition, variant.params, {}, variant.year)
    with_ = describe_expected(variant.condition, variant.params, {name: _SENTINEL}, variant.year)
    pieces = with_.split(_SENTINEL)
    filled: list[pl.Expr] = []
    for i, piece in enumerate(pieces):
        if i:
            filled.append(text)
        filled.append(pl.lit(piece))
    return pl.when(present).then(pl.concat_str(filled)).otherwise(pl.lit(without))


def _texts(
    c: _CompiledRule, outcome: pl.Expr
) -> tuple[list[pl.Expr], list[pl.Expr], list[pl.Expr]]:
    """Stage two, in three steps: entries, then shared pieces, then every finding column."""
    rule = c.rule
    cond = c.condition
    entries = _entries(cond)
    observed, observed_text = _observed(entries)
    na = outcome == "not_applicable"
    expected = _expected(cond, c.variant)
    shared = [
        observed.alias("__observed"),
        observed_text.alias("__observed_text"),
        expected.alias("__expected"),
    ]
    observed, observed_text, expected = (
        pl.col("__observed"),
        pl.col("__observed_text"),
        pl.col("__expected"),
    )
    applies_unknown = pl.lit(False) if c.applies is None else c.applies.truth.is_null()
    scope_missing = [] if c.applies is None else c.applies.missing
    missing = _join(
        [pl.when(cond_ & applies_unknown).then(pl.lit(text)) for cond_, text in scope_missing]
        + [pl.when(cond_).then(pl.lit(text)) for cond_, text in cond.missing],
        ", ",
    )
    failed = [(node, (~truth).fill_null(False)) for node, truth in cond.parts]
    if failed:
        unmet = pl.concat_list(
            [pl.when(f).then(pl.lit(node.part)) for node, f in failed]
        ).list.drop_nulls()
        unmet_zh = _join(
            [
                pl.when(f).then(pl.lit(node.label.zh if node.label else node.part))
                for node, f in failed
            ],
            "；",
        )
        unmet_en = _join(
            [
                pl.when(f).then(pl.lit(node.label.en if node.label else node.part))
                for node, f in failed
            ],
            "; ",
        )
    else:
        unmet = pl.lit([], dtype=pl.List(pl.String))
        unmet_zh = unmet_en = pl.lit("")
    is_fail = outcome == "fail"
    unmet = pl.when(is_fail).then(unmet).otherwise(pl.lit([], dtype=pl.List(pl.String)))
    s_zh, s_en = rule.summary.zh, rule.summary.en
    has_obs = observed_text != ""
    obs_zh = (
        pl.when(has_obs)
        .then(
            pl.concat_str(
                [pl.lit("实际："), observed_text, pl.lit("；要求："), expected, pl.lit("。")]
            )
        )
        .otherwise(pl.lit(""))
    )
    obs_en = (
        pl.when(has_obs)
        .then(
            pl.concat_str(
                [
                    pl.lit(" Observed: "),
                    observed_text,
                    pl.lit("; expected: "),
                    expected,
                    pl.lit("."),
                ]
            )
        )
        .otherwise(pl.lit(""))
    )
    has_unmet = unmet_zh != ""
    fields = pl.when(missing == "").then(pl.lit("inputs")).otherwise(missing)
    why_zh, why_en = c.variant.pending_reason
    zh = (
        pl.when(outcome == "pass")
        .then(pl.lit(f"符合：{s_zh}。") + obs_zh)
        .when(is_fail)
        .then(
            pl.lit(f"不符合：{s_zh}。")
            + pl.when(has_unmet).then("未满足：" + unmet_zh + "。").otherwise(pl.lit(""))
            + obs_zh
        )
        .when(outcome == "pending")
        .then(pl.lit(f"尚未到期（{why_zh}）：{s_zh}。") + obs_zh)
        .when(outcome == "insufficient_data")
        .then(pl.lit(f"数据不足，无法判定：{s_zh}。缺少：") + fields + pl.lit("。") + obs_zh)
        .otherwise(pl.lit("不适用：") + c.reason[0] + pl.lit("。"))
    )
    en = (
        pl.when(outcome == "pass")
        .then(pl.lit(f"Meets: {s_en}.") + obs_en)
        .when(is_fail)
        .then(
            pl.lit(f"Does not meet: {s_en}.")
            + pl.when(has_unmet).then(" Unmet: " + unmet_en + ".").otherwise(pl.lit(""))
            + obs_en
        )
        .when(outcome == "pending")
        .then(pl.lit(f"Pending ({why_en}): {s_en}.") + obs_en)
        .when(outcome == "insufficient_data")
        .then(
            pl.lit(f"Cannot decide, data missing: {s_en}. Missing: ")
            + fields
            + pl.lit(".")
            + obs_en
        )
        .otherwise(pl.lit("Not applicable: ") + c.reason[1] + pl.lit("."))
    )
    empty_obs = pl.lit([], dtype=pl.List(pl.Struct({"key": pl.String, "value": pl.String})))
    empty_list = pl.lit([], dtype=pl.List(pl.String))
    return (
        _entry_columns(entries),
        shared,
        [
            pl.lit(rule.kind).alias("kind"),
            pl.col("id").alias("record_id"),
            pl.lit(rule.id).alias("rule_id"),
            outcome.alias("outcome"),
            pl.lit(rule.severity).alias("severity"),
            pl.when(na).then(empty_obs).otherwise(observed).alias("observed"),
            pl.when(na).then(pl.lit("")).otherwise(expected).alias("expected"),
            zh.alias("message_zh"),
            en.alias("message_en"),
            unmet.alias("unmet"),
            pl.col("__path").alias("location_path"),
            pl.col("__sheet").alias("location_sheet"),
            pl.col("__line").alias("location_row"),
            empty_list.alias("displaced"),
            empty_list.alias("marks"),
        ],
    )


def evaluate_frames(
    rulebook: Rulebook,
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
    for kind, frame in frames.frames.items():
        rules = rulebook._by_kind.get(kind, [])
        if not rules or frame.df.height == 0:
            continue
        df = frame.df.with_columns(pl.coalesce(pl.col("as_of"), pl.lit(as_of)).alias("__asof"))
        training = TrainingColumns(frame)
        compiled = [
            c
            for order, (rule, source, _) in enumerate(rules)
            for c in _compile_rule(rule, source, order, frame, training)
        ]
        df = training.add_columns(df)
        # Stage one, every rule of the kind in one pass: an outcome column per rule variant
        # (null where a target's milestone variant does not cover the record).
        outcomes = df.select(
            pl.when(c.variant.rows).then(c.outcome).alias(f"__o{i}") for i, c in enumerate(compiled)
        )
        for i, c in enumerate(compiled):
            column = outcomes.get_column(f"__o{i}")
            for value, n in column.value_counts().iter_rows():
                if value is not None and (include_not_applicable or value != "not_applicable"):
                    counts[value] = counts.get(value, 0) + n
            if not explain:
                continue
            listed = column.is_not_null()
            if not include_not_applicable:
                listed = listed & (column != "not_applicable")
            if only_failures:
                listed = listed & (column == "fail")
            judged = df.with_columns(column.alias("__outcome")).filter(listed)
            if judged.height == 0:
                continue
            entry_columns, shared, final = _texts(c, pl.col("__outcome"))
            part = (
                judged.with_columns(entry_columns)
                .with_columns(shared)
                .select(
                    pl.col("__row"), pl.lit(c.order, pl.Int64).alias("__rule"), "__asof", *final
                )
            )
            parts.append(_with_marks(rulebook, rules[c.order][0].id, part))
    if parts:
        findings = pl.concat(parts).sort(["__row", "__rule"]).drop("__row", "__rule")
    else:
        findings = _empty_findings()
    return ColumnarResult(findings, counts, frames.count)


def _with_marks(rulebook: Rulebook, rule_id: str, part: pl.DataFrame) -> pl.DataFrame:
    """Fill `marks` from Rulebook.marks_of, once per distinct as-of date (no second copy)."""
    days = part.get_column("__asof").unique().sort().to_list()
    table = pl.DataFrame(
        {"__asof": days, "__marks": [list(rulebook.marks_of(rule_id, day)) for day in days]},
        schema={"__asof": pl.Date, "__marks": pl.List(pl.String)},
    )
    return (
        part.join(table, on="__asof", how="left", maintain_order="left")
        .with_columns(pl.col("__marks").alias("marks"))
        .drop("__asof", "__marks")
    )


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
            "observed": pl.List(pl.Struct({"key": pl.String, "value": pl.String})),
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
