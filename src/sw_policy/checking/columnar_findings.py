"""The columnar engine's findings frame as Finding objects, built the row engine's fast way.

`ColumnarReport.to_report()` (and so `Rulebook.check` on a large frame) needs
one Finding per row of the findings frame. Validating each one cost more than
judging the records: every value comes from the rulebook or the engine, so the
row engine's `trusted_finding` builds the object validation would (falling back
to validation itself for any value not of an exact expected type). The objects
are equal to engines/columnar/report.py's `finding_models`; a test compares.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from sw_policy.engines.columnar.engine import ColumnarResult
from sw_policy.engines.columnar.report import Labels, finding_models
from sw_policy.engines.row.trusted import trusted_finding
from sw_policy.findings import FINDING_COLUMNS, Finding, Location

__all__ = ["findings_of"]


def findings_of(
    result: ColumnarResult, rulebook: Any, labels: Labels | None = None
) -> list[Finding]:
    """One Finding per row of `result.findings`, in order (`rulebook`: the Rulebook);
    `labels` (record_labels) gives each its record's name and division code."""
    frame = result.findings
    if frame.height == 0:
        return []
    rules = {rule.id: rule for rule in rulebook.rules}
    citations = {rule_id: rulebook.citation(rule_id) for rule_id in rules}
    if not (
        frame.get_column("kind").equals(_rule_values(frame, rules, "kind"))
        and frame.get_column("severity").equals(_rule_values(frame, rules, "severity"))
    ):  # pragma: no cover - the engine writes both from the rule
        return finding_models(result, rulebook, labels)
    loads = json.loads
    columns = [frame.get_column(name).to_list() for name in _COLUMNS]
    out: list[Finding] = []
    append = out.append
    no_label: tuple[str | None, str | None] = (None, None)
    for (
        rid,
        rule_id,
        outcome,
        observed,
        expected,
        zh,
        en,
        unmet,
        path,
        sheet,
        line,
        displaced,
        marks,
    ) in zip(*columns, strict=True):
        rule = rules[rule_id]
        name, code = no_label if labels is None else labels.get((rule.kind, rid), no_label)
        append(
            trusted_finding(
                rule,
                rid,
                outcome,
                observed=loads(observed),
                expected=expected,
                message=(zh, en),
                citation=citations[rule_id],
                unmet=tuple(unmet),
                location=None if path is None else Location(path=path, sheet=sheet, row=line),
                displaced=tuple(displaced),
                marks=tuple(marks),
                record_name=name,
                jurisdiction=code,
            )
        )
    return out


_COLUMNS = tuple(name for name in FINDING_COLUMNS if name not in {"kind", "severity"})
"""The columns read per finding, in the findings frame's order (kind and severity come
from the rule, checked against the frame above)."""


def _rule_values(frame: pl.DataFrame, rules: dict[str, Any], attribute: str) -> pl.Series:
    """Each row's rule's `attribute` (kind or severity), to compare with the frame's column."""
    values = {rule_id: getattr(rule, attribute) for rule_id, rule in rules.items()}
    return frame.get_column("rule_id").replace_strict(values, return_dtype=pl.String)
