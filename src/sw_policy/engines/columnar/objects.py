"""The columnar engine's findings frame as Finding objects, built from whole columns.

`Rulebook.check` returns a Report holding one Finding per finding; building
them one row at a time (a dict per row, a `json.loads` and a validating
constructor per finding, a Python dict of every record's name) cost more than
reading and judging the records. Here each column is taken to Python once;
the observed texts are parsed in one `json.loads` per batch; names and
division codes are joined in Polars; each distinct list (unmet, displaced,
marks) and location becomes one shared tuple or Location (immutable, so
sharing is invisible to `==`, `model_dump` and `model_copy`); one Citation per
rule. Each Finding is then the object validation would build
(engines/trusted.py); a finding whose values are not all of their exact
expected type, or a pydantic whose layout differs, is validated instead.
Every Python object made here is acyclic, and each finding leaves three
tracked by the garbage collector (Finding, its __dict__, its Message).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from typing import TYPE_CHECKING, Any

import polars as pl

from sw_policy.engines.trusted import FINDING_FIELDS, MESSAGE_FIELDS, TRUSTED, TRUSTED_SETTERS
from sw_policy.findings import OUTCOMES, Finding, Location, Message
from sw_policy.rulebook.layering import MARKS

if TYPE_CHECKING:
    from sw_policy.engines.columnar.engine import ColumnarResult
    from sw_policy.engines.rule_store import RuleStore
    from sw_policy.inputs.frames import RecordFrames

__all__ = ["finding_objects"]

_BATCH = 100_000
_OBSERVED_TYPES = frozenset({str, int, bool, type(None)})
_LISTS = ("unmet", "displaced", "marks")


def finding_objects(
    result: ColumnarResult, rulebook: RuleStore, frames: RecordFrames | None = None
) -> list[Finding]:
    """One Finding per row of `result.findings`, in order, equal to the validated ones
    (report.finding_models); `frames` (the records judged) gives each its record's name and
    division code."""
    findings = result.findings
    out: list[Finding] = []
    if findings.height == 0:
        return out
    findings = _with_labels(findings, frames)
    rules = {rule.id: rule for rule in rulebook.rules}
    citations = {rule_id: rulebook.citation(rule_id) for rule_id in rules}
    checked = TRUSTED and _trustworthy(findings, rules)
    with collector_paused():
        for start in range(0, findings.height, _BATCH):
            batch = findings.slice(start, _BATCH)
            out += _batch(batch, rules, citations, checked)
    return out


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the findings are built, as it was after.

    Every object built here survives (it is the result) and none refers back to
    another, so a collection in the loop frees nothing of ours; with a small heap it
    ran several full collections per 100 000 findings, more CPU than building them.
    They are examined once, as any new objects, at the next collections. Off only if
    it was on, and on again at the end even on an error (another thread meanwhile
    only loses collections it would have had, never memory).
    """
    was_on = gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _with_labels(findings: pl.DataFrame, frames: RecordFrames | None) -> pl.DataFrame:
    """The findings with `__name` and `__code`: each record's name and division code
    (null without frames), joined on (kind, record id), the last record of an id as in
    report.record_labels (the readers reject repeated ids, so there is one)."""
    parts = []
    for kind, kf in frames.frames.items() if frames is not None else ():
        df = kf.df
        name = pl.col("name") if "name" in df.columns else pl.lit(None, pl.String)
        labels = df.select(
            pl.col("id").cast(pl.String).alias("record_id"),
            name.cast(pl.String).alias("__name"),
            pl.col("jurisdiction").cast(pl.String).alias("__code"),
        )
        if labels.get_column("record_id").n_unique() != labels.height:
            labels = labels.unique(subset="record_id", keep="last", maintain_order=True)
        parts.append((kind, labels))
    if not parts:
        return findings.with_columns(
            pl.lit(None, pl.String).alias("__name"), pl.lit(None, pl.String).alias("__code")
        )
    if len(parts) == 1 and (findings.get_column("kind") == parts[0][0]).all():
        return findings.join(parts[0][1], on="record_id", how="left", maintain_order="left")
    labels = pl.concat(
        [labels.with_columns(pl.lit(kind, pl.String).alias("kind")) for kind, labels in parts]
    )
    return findings.join(labels, on=["kind", "record_id"], how="left", maintain_order="left")


def _trustworthy(findings: pl.DataFrame, rules: dict[str, Any]) -> bool:
    """Whether every value the trusted constructor takes from the frame as it is has its
    type's allowed values: kind and severity those of the row's rule, an outcome, marks."""
    known = findings.get_column("rule_id").is_in(list(rules)).all()
    if not known:
        return False
    for attribute in ("kind", "severity"):
        values = {rule_id: getattr(rule, attribute) for rule_id, rule in rules.items()}
        expected = findings.get_column("rule_id").replace_strict(values, return_dtype=pl.String)
        if not findings.get_column(attribute).equals(expected):
            return False
    outcomes = set(findings.get_column("outcome").unique().to_list())
    marks = set(findings.get_column("marks").explode().drop_nulls().unique().to_list())
    return outcomes <= set(OUTCOMES) and marks <= set(MARKS)


def _shared(column: pl.Series) -> list[tuple[str, ...]]:
    """Each row's list as a tuple, one tuple per distinct list."""
    if column.list.len().max() in (0, None):
        return [()] * column.len()
    ranks = column.rank("dense")
    distinct = pl.DataFrame({"rank": ranks, "value": column}).unique(subset="rank")
    tuples = {
        rank: tuple(value)
        for rank, value in zip(
            distinct.get_column("rank").to_list(),
            distinct.get_column("value").to_list(),
            strict=True,
        )
    }
    return [tuples[rank] for rank in ranks.to_list()]


def _locations(batch: pl.DataFrame) -> list[Location | None]:
    """Each row's Location (None without a path), one object per distinct location."""
    paths = batch.get_column("location_path")
    if paths.null_count() == batch.height:
        return [None] * batch.height
    made: dict[tuple[Any, Any, Any], Location] = {}
    out: list[Location | None] = []
    for path, sheet, row in zip(
        paths.to_list(),
        batch.get_column("location_sheet").to_list(),
        batch.get_column("location_row").to_list(),
        strict=True,
    ):
        if path is None:
            out.append(None)
            continue
        key = (path, sheet, row)
        where = made.get(key)
        if where is None:
            where = made[key] = Location(path=path, sheet=sheet, row=row)
        out.append(where)
    return out


def _observed(batch: pl.DataFrame) -> list[dict[str, Any]]:
    """Every observed text parsed in one call (the texts are the engine's JSON objects)."""
    texts = batch.get_column("observed").to_list()
    values: list[dict[str, Any]] = json.loads("[" + ",".join(texts) + "]")
    if len(values) != len(texts):  # pragma: no cover - each text is one JSON object
        values = [json.loads(text) for text in texts]
    return values


def _batch(
    batch: pl.DataFrame,
    rules: dict[str, Any],
    citations: dict[str, Any],
    checked: bool,
) -> list[Finding]:
    """The Findings of one batch of rows (see the module's docstring)."""
    observed = _observed(batch)
    trusted = (
        checked
        and all(
            batch.get_column(name).null_count() == 0
            for name in ("record_id", "expected", "message_zh", "message_en")
        )
        and _OBSERVED_TYPES.issuperset(map(type, chain.from_iterable(map(dict.values, observed))))
    )
    columns = zip(
        batch.get_column("record_id").to_list(),
        batch.get_column("rule_id").to_list(),
        batch.get_column("outcome").to_list(),
        observed,
        batch.get_column("expected").to_list(),
        batch.get_column("message_zh").to_list(),
        batch.get_column("message_en").to_list(),
        _shared(batch.get_column("unmet")),
        _locations(batch),
        _shared(batch.get_column("displaced")),
        _shared(batch.get_column("marks")),
        batch.get_column("__name").to_list(),
        batch.get_column("__code").to_list(),
        strict=True,
    )
    if not trusted:
        return [_validated(rules[row[1]], citations, row) for row in columns]
    out: list[Finding] = []
    append = out.append
    new, set_dict, set_fields, set_extra, set_private = TRUSTED_SETTERS
    message_fields, finding_fields = MESSAGE_FIELDS, FINDING_FIELDS
    for (
        rid,
        rule_id,
        outcome,
        values,
        expected,
        zh,
        en,
        unmet,
        where,
        displaced,
        marks,
        name,
        code,
    ) in columns:
        rule = rules[rule_id]
        text = new(Message)
        set_dict(text, {"zh": zh, "en": en})
        set_fields(text, message_fields)
        set_extra(text, None)
        set_private(text, None)
        finding = new(Finding)
        set_dict(
            finding,
            {
                "kind": rule.kind,
                "record_id": rid,
                "rule_id": rule_id,
                "outcome": outcome,
                "severity": rule.severity,
                "observed": values,
                "expected": expected,
                "message": text,
                "citation": citations[rule_id],
                "unmet": unmet,
                "location": where,
                "displaced": displaced,
                "marks": marks,
                "record_name": name,
                "jurisdiction": code,
            },
        )
        set_fields(finding, finding_fields)
        set_extra(finding, None)
        set_private(finding, None)
        append(finding)
    return out


def _validated(rule: Any, citations: dict[str, Any], row: tuple[Any, ...]) -> Finding:
    """One finding through validation (a value not of its exact type somewhere in the batch):
    `row` holds the columns _batch zips, in its order."""
    rid, rule_id, outcome, observed, expected, zh, en, unmet, location, displaced, marks = row[:11]
    name, code = row[11:]
    return Finding(
        kind=rule.kind,
        record_id=rid,
        rule_id=rule_id,
        outcome=outcome,
        severity=rule.severity,
        observed=observed,
        expected=expected,
        message=Message(zh=zh, en=en),
        citation=citations[rule_id],
        unmet=unmet,
        location=location,
        displaced=displaced,
        marks=marks,
        record_name=name,
        jurisdiction=code,
    )
