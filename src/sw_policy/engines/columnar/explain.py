"""Stage two of the columnar engine: the text of the findings listed, in columns.

Run only on the rows a report lists (after stage one decided every outcome),
one outcome at a time: with the outcome known, each text column is a single
`concat_str` of per-rule literals and the few columns that vary per row, with
no when/then over the other outcomes' wordings. Which observed entries,
missing inputs and unmet parts are shown is asked of the data once per part:
a piece every row shows (or none does) is decided there, and only a piece
that varies between rows stays a per-row condition. The wording is
engines.wording's, as the row engine gives it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from sw_policy.engines.columnar.expressions import Compiled, Entry, UnsupportedConstructError
from sw_policy.engines.columnar.rules import CompiledRule, Variant
from sw_policy.engines.columnar.text import ESCAPED, plain_text
from sw_policy.engines.wording import describe_expected, fail_heads
from sw_policy.findings import OUTCOMES

__all__ = ["explain"]

_SENTINEL = "\x00lookup\x00"
_EMPTY_LIST = pl.List(pl.String)

Piece = str | pl.Expr
"""A literal or a column; a text is a list of pieces concatenated (null if any is null)."""


def _text(pieces: Sequence[Piece]) -> pl.Expr:
    """One concat_str of the pieces, adjacent literals merged."""
    merged: list[Piece] = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    exprs = [pl.lit(p) if isinstance(p, str) else p for p in merged]
    if not exprs:
        return pl.lit("")
    if len(exprs) == 1:
        return exprs[0]
    return pl.concat_str(exprs)


@dataclass(frozen=True)
class _Item:
    """A piece of a separated list, shown where `flag` holds; `state` is what the part's rows
    say of it: "all", "none" or "some"."""

    flag: pl.Expr
    pieces: tuple[Piece, ...]
    state: str


def _join(items: Sequence[_Item], sep: str) -> tuple[list[Piece], bool | None]:
    """The items shown, separated: as pieces, and whether the result is non-empty
    (None when that varies by row). Items every row shows become plain pieces."""
    shown = [i for i in items if i.state != "none"]
    if all(i.state == "all" for i in shown):
        pieces: list[Piece] = []
        for n, item in enumerate(shown):
            if n:
                pieces.append(sep)
            pieces += item.pieces
        return pieces, _nonempty(pieces)
    exprs = [
        _text(i.pieces) if i.state == "all" else pl.when(i.flag).then(_text(i.pieces))
        for i in shown
    ]
    joined = pl.concat_str(exprs, separator=sep, ignore_nulls=True).fill_null("")
    return [joined], None


def _nonempty(pieces: Sequence[Piece]) -> bool | None:
    if any(isinstance(p, str) and p for p in pieces):
        return True
    if all(isinstance(p, str) for p in pieces):
        return False
    return None


def _when_nonempty(known: bool | None, test: list[Piece], then: list[Piece]) -> list[Piece]:
    """`then` where the text `test` is non-empty (decided once when `known` is not None)."""
    if known is None:
        return [pl.when(_text(test) != "").then(_text(then)).otherwise(pl.lit(""))]
    return then if known else []


def _entries(c: Compiled) -> list[Entry]:
    """Observed values in the row engine's order: derived figures, then the fields read."""
    entries = list(c.derived)
    derived_names = {e.name: e.present for e in c.derived}
    for e in c.observed:
        present = e.present
        if e.name in derived_names:
            present = present & ~derived_names[e.name]
        entries.append(
            Entry(e.name, present, e.json, e.text, e.plain) if e.name in derived_names else e
        )
    return entries


def _bare(entries: list[Entry], part: pl.DataFrame) -> list[bool]:
    """Which entries are a field that no row of `part` leaves blank (Entry.bare applies)."""
    return [
        e.bare is not None and e.field is not None and part.get_column(e.field).null_count() == 0
        for e in entries
    ]


def _entry_columns(entries: list[Entry], bare: list[bool]) -> list[pl.Expr]:
    """Each entry's presence and text computed once (formatting may call Python); a bare
    entry's are used where they are needed, as expressions, not kept as columns."""
    out = []
    for i, e in enumerate(entries):
        if bare[i]:
            continue
        out += [e.present.alias(f"__p{i}"), e.text.alias(f"__t{i}")]
        if e.json is not None:
            out.append(e.json.alias(f"__j{i}"))
    return out


def _expected(c: Compiled, variant: Variant) -> Piece:
    if not c.lookups:
        return describe_expected(variant.condition, variant.params, {}, variant.year)
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


class _States:
    """How many of a part's rows each flag holds for, asked in one query."""

    def __init__(self, part: pl.DataFrame, flags: Sequence[pl.Expr]) -> None:
        self.height = part.height
        self.counts: tuple[int, ...] = ()
        if flags:
            sums = [f.fill_null(False).sum().alias(f"__s{i}") for i, f in enumerate(flags)]
            self.counts = tuple(int(n) for n in part.select(sums).row(0))

    def __getitem__(self, i: int) -> str:
        n = self.counts[i]
        return "none" if n == 0 else "all" if n == self.height else "some"


def _observed(
    entries: list[Entry], bare: list[bool], part: pl.DataFrame
) -> tuple[list[Piece], list[Piece], bool | None]:
    """The observed values as a JSON object's text, the message's "name = value" list,
    and whether that list is non-empty."""
    texts: list[pl.Expr] = []
    values: list[tuple[Piece, ...]] = []
    present: list[pl.Expr] = []
    json_flags: list[pl.Expr] = []
    for i, e in enumerate(entries):
        if bare[i]:
            assert e.bare is not None
            json_pieces, shown = e.bare
            texts.append(shown)
            values.append(json_pieces)
            present.append(pl.lit(True))
            # Null text gives a null JSON piece: omitted, as the full entry's null JSON is.
            json_flags.append(shown.is_not_null())
            continue
        texts.append(pl.col(f"__t{i}"))
        present.append(pl.col(f"__p{i}"))
        if e.json is not None:
            values.append((pl.col(f"__j{i}"),))
            json_flags.append(present[i] & pl.col(f"__j{i}").is_not_null())
        else:
            values.append(('"', texts[i], '"'))
            json_flags.append(present[i] & texts[i].is_not_null())
    text_flags = [p & t.is_not_null() for p, t in zip(present, texts, strict=True)]
    states = _States(part, json_flags + text_flags)
    n = len(entries)
    members, _ = _join(
        [
            _Item(p, (json.dumps(e.name, ensure_ascii=False) + ": ", *v), states[i])
            for i, (e, p, v) in enumerate(zip(entries, present, values, strict=True))
        ],
        ", ",
    )
    text, has_text = _join(
        [
            _Item(p, (f"{e.name} = ", t), states[n + i])
            for i, (e, p, t) in enumerate(zip(entries, present, texts, strict=True))
        ],
        ", ",
    )
    return ["{", *members, "}"], text, has_text


def _plain(c: CompiledRule, entries: list[Entry]) -> bool:
    """Whether no message or expected text of the rule can hold a character JSON escapes:
    every text they are made of is a literal checked here or a plain entry's value."""
    cond = c.condition
    texts = [c.rule.summary.zh, c.rule.summary.en, *fail_heads(c.draft), *c.variant.pending_reason]
    texts += [text for _, text in cond.missing]
    texts += [text for _, text in c.applies.missing] if c.applies is not None else []
    for node, _ in cond.parts:
        texts += [node.part, *((node.label.zh, node.label.en) if node.label else ())]
    texts += [e.name for e in entries]
    variant = c.variant
    texts.append(describe_expected(variant.condition, variant.params, {}, variant.year))
    for name in cond.lookups:
        texts.append(describe_expected(variant.condition, variant.params, {name: ""}, variant.year))
    return all(e.plain for e in entries) and all(map(plain_text, texts))


def _explain_code(part: pl.DataFrame, c: CompiledRule, outcome: str) -> tuple[pl.DataFrame, bool]:
    """The finding columns of `part`, whose rows all have the outcome `outcome`, and whether
    its messages and expected texts are plain (hold no character JSON escapes)."""
    rule = c.rule
    s_zh, s_en = rule.summary.zh, rule.summary.en
    observed: Piece = "{}"
    expected: Piece = ""
    unmet: pl.Expr = pl.lit([], dtype=_EMPTY_LIST)
    if outcome == "not_applicable":
        zh: list[Piece] = ["不适用：", c.reason[0], "。"]
        en: list[Piece] = ["Not applicable: ", c.reason[1], "."]
        escaped = part.select(pl.any_horizontal(r.str.contains(ESCAPED).any() for r in c.reason))
        plain = not escaped.item()
    else:
        cond = c.condition
        entries = _entries(cond)
        plain = _plain(c, entries)
        bare = _bare(entries, part)
        part = part.with_columns(_entry_columns(entries, bare))
        obs_json, obs_text, has_obs = _observed(entries, bare, part)
        observed, expected = _text(obs_json), _expected(cond, c.variant)
        if has_obs is None:  # some rows show observed values, some none
            part = part.with_columns(_text(obs_text).alias("__observed_text"))
            obs_text = [pl.col("__observed_text")]
        obs_zh = _when_nonempty(
            has_obs, obs_text, ["实际：", *obs_text, "；要求：", expected, "。"]
        )
        obs_en = _when_nonempty(
            has_obs, obs_text, [" Observed: ", *obs_text, "; expected: ", expected, "."]
        )
        if outcome == "pass":
            zh, en = [f"符合：{s_zh}。", *obs_zh], [f"Meets: {s_en}.", *obs_en]
        elif outcome == "fail":
            fail_zh, fail_en = fail_heads(c.draft)
            unmet, unmet_zh, unmet_en, has_unmet = _unmet(cond, part)
            zh = [f"{fail_zh}{s_zh}。"]
            zh += _when_nonempty(has_unmet, unmet_zh, ["未满足：", *unmet_zh, "。"])
            zh += obs_zh
            en = [f"{fail_en}{s_en}."]
            en += _when_nonempty(has_unmet, unmet_zh, [" Unmet: ", *unmet_en, "."])
            en += obs_en
        elif outcome == "pending":
            why_zh, why_en = c.variant.pending_reason
            zh = [f"尚未到期（{why_zh}）：{s_zh}。", *obs_zh]
            en = [f"Pending ({why_en}): {s_en}.", *obs_en]
        else:
            fields = _missing(c, part)
            zh = [f"数据不足，无法判定：{s_zh}。缺少：", *fields, "。", *obs_zh]
            en = [f"Cannot decide, data missing: {s_en}. Missing: ", *fields, ".", *obs_en]
    plain = plain and all(plain_text(p) for p in (*zh, *en) if isinstance(p, str))
    frame = part.select(
        pl.col("__row"),
        pl.lit(c.order, pl.Int64).alias("__rule"),
        "__asof",
        pl.lit(rule.kind).alias("kind"),
        pl.col("id").alias("record_id"),
        pl.lit(rule.id).alias("rule_id"),
        pl.lit(outcome).alias("outcome"),
        pl.lit(rule.severity).alias("severity"),
        _text([observed]).alias("observed"),
        _text([expected]).alias("expected"),
        _text(zh).alias("message_zh"),
        _text(en).alias("message_en"),
        unmet.alias("unmet"),
        pl.col("__path").alias("location_path"),
        pl.col("__sheet").alias("location_sheet"),
        pl.col("__line").alias("location_row"),
        pl.lit([], dtype=_EMPTY_LIST).alias("displaced"),
        pl.lit([], dtype=_EMPTY_LIST).alias("marks"),
    )
    return frame, plain


def _unmet(
    cond: Compiled, part: pl.DataFrame
) -> tuple[pl.Expr, list[Piece], list[Piece], bool | None]:
    """A failure's unmet parts: the list, the zh and en texts, and whether they are non-empty."""
    failed = [(node, (~truth).fill_null(False)) for node, truth in cond.parts]
    if not failed:
        return pl.lit([], dtype=_EMPTY_LIST), [], [], False
    states = _States(part, [f for _, f in failed])
    unmet = pl.concat_list(
        [pl.when(f).then(pl.lit(node.part)) for node, f in failed]
    ).list.drop_nulls()
    zh, has = _join(
        [
            _Item(f, (node.label.zh if node.label else node.part,), states[i])
            for i, (node, f) in enumerate(failed)
        ],
        "；",
    )
    en, _ = _join(
        [
            _Item(f, (node.label.en if node.label else node.part,), states[i])
            for i, (node, f) in enumerate(failed)
        ],
        "; ",
    )
    return unmet, zh, en, has


def _missing(c: CompiledRule, part: pl.DataFrame) -> list[Piece]:
    """What an undecided finding lacks ("inputs" when no particular input is missing)."""
    applies_unknown = pl.lit(False) if c.applies is None else c.applies.truth.is_null()
    scope_missing = [] if c.applies is None else c.applies.missing
    named = [(cond_ & applies_unknown, text) for cond_, text in scope_missing]
    named += list(c.condition.missing)
    merged: dict[str, pl.Expr] = {}  # each input named once, where it is first named
    for flag, name in named:
        merged[name] = merged[name] | flag if name in merged else flag
    states = _States(part, list(merged.values()))
    items = [_Item(flag, (name,), states[i]) for i, (name, flag) in enumerate(merged.items())]
    pieces, has = _join(items, ", ")
    if has is None:
        text = _text(pieces)
        return [pl.when(text == "").then(pl.lit("inputs")).otherwise(text)]
    return pieces if has else ["inputs"]


def explain(judged: pl.DataFrame, c: CompiledRule, code: int) -> tuple[pl.DataFrame, bool]:
    """The finding columns for `judged`: rows of one rule variant whose outcome is `code`;
    and whether their messages and expected texts hold no character JSON escapes (the
    writer then quotes them as they are).

    Keeps `__row` and `__asof` for ordering and marks; adds `__rule`, the rule's order.
    """
    return _explain_code(judged, c, OUTCOMES[code])
