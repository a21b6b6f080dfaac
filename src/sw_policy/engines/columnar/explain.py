"""Stage two of the columnar engine: the text of the findings listed, in columns.

Run only on the rows a report lists (after stage one decided every outcome),
in three steps so each value is computed once: the observed entries (formatting
may be the costly part), then the pieces several columns share, then every
finding column, with the same wording as engines.wording gives the row engine.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import polars as pl

from sw_policy.engines.columnar.expressions import Compiled, Entry, UnsupportedConstructError
from sw_policy.engines.columnar.rules import CODE, CompiledRule, Variant, outcome_name
from sw_policy.engines.wording import describe_expected, fail_heads

__all__ = ["explain"]

_SENTINEL = "\x00lookup\x00"


def _join(items: Sequence[pl.Expr], sep: str) -> pl.Expr:
    if not items:
        return pl.lit("")
    return pl.concat_str(items, separator=sep, ignore_nulls=True).fill_null("")


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
    """The observed values as a JSON object's text, and as the message's "name = value" list."""
    if not entries:
        return pl.lit("{}"), pl.lit("")
    present = [pl.col(f"__p{i}") for i in range(len(entries))]
    texts = [pl.col(f"__t{i}") for i in range(len(entries))]
    values = [
        pl.col(f"__j{i}") if e.json is not None else '"' + texts[i] + '"'
        for i, e in enumerate(entries)
    ]
    members = _join(
        [
            pl.when(p).then(pl.lit(json.dumps(e.name, ensure_ascii=False) + ": ") + v)
            for e, p, v in zip(entries, present, values, strict=True)
        ],
        ", ",
    )
    text = _join(
        [
            pl.when(p).then(pl.lit(f"{e.name} = ") + t)
            for e, p, t in zip(entries, present, texts, strict=True)
        ],
        ", ",
    )
    return pl.lit("{") + members + pl.lit("}"), text


def _expected(c: Compiled, variant: Variant) -> pl.Expr:
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


def _texts(c: CompiledRule, code: pl.Expr) -> tuple[list[pl.Expr], list[pl.Expr], list[pl.Expr]]:
    """Stage two, in three steps: entries, then shared pieces, then every finding column."""
    rule = c.rule
    cond = c.condition
    entries = _entries(cond)
    observed, observed_text = _observed(entries)
    na = code == CODE["not_applicable"]
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
    is_fail = code == CODE["fail"]
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
    fail_zh, fail_en = fail_heads(c.draft)
    zh = (
        pl.when(code == CODE["pass"])
        .then(pl.lit(f"符合：{s_zh}。") + obs_zh)
        .when(is_fail)
        .then(
            pl.lit(f"{fail_zh}{s_zh}。")
            + pl.when(has_unmet).then("未满足：" + unmet_zh + "。").otherwise(pl.lit(""))
            + obs_zh
        )
        .when(code == CODE["pending"])
        .then(pl.lit(f"尚未到期（{why_zh}）：{s_zh}。") + obs_zh)
        .when(code == CODE["insufficient_data"])
        .then(pl.lit(f"数据不足，无法判定：{s_zh}。缺少：") + fields + pl.lit("。") + obs_zh)
        .otherwise(pl.lit("不适用：") + c.reason[0] + pl.lit("。"))
    )
    en = (
        pl.when(code == CODE["pass"])
        .then(pl.lit(f"Meets: {s_en}.") + obs_en)
        .when(is_fail)
        .then(
            pl.lit(f"{fail_en}{s_en}.")
            + pl.when(has_unmet).then(" Unmet: " + unmet_en + ".").otherwise(pl.lit(""))
            + obs_en
        )
        .when(code == CODE["pending"])
        .then(pl.lit(f"Pending ({why_en}): {s_en}.") + obs_en)
        .when(code == CODE["insufficient_data"])
        .then(
            pl.lit(f"Cannot decide, data missing: {s_en}. Missing: ")
            + fields
            + pl.lit(".")
            + obs_en
        )
        .otherwise(pl.lit("Not applicable: ") + c.reason[1] + pl.lit("."))
    )
    empty_list = pl.lit([], dtype=pl.List(pl.String))
    return (
        _entry_columns(entries),
        shared,
        [
            pl.lit(rule.kind).alias("kind"),
            pl.col("id").alias("record_id"),
            pl.lit(rule.id).alias("rule_id"),
            outcome_name(code).alias("outcome"),
            pl.lit(rule.severity).alias("severity"),
            pl.when(na).then(pl.lit("{}")).otherwise(observed).alias("observed"),
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


def explain(judged: pl.DataFrame, c: CompiledRule) -> pl.DataFrame:
    """The finding columns for `judged` (rows of one rule variant, outcome code in `__code`).

    Keeps `__row` and `__asof` for ordering and marks; adds `__rule`, the rule's order.
    """
    entry_columns, shared, final = _texts(c, pl.col("__code"))
    return (
        judged.with_columns(entry_columns)
        .with_columns(shared)
        .select(pl.col("__row"), pl.lit(c.order, pl.Int64).alias("__rule"), "__asof", *final)
    )
