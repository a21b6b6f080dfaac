"""The rows every tabular report shares (CSV, XLSX, Markdown, HTML), and formula safety.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return
before them) as a formula. Every text cell a report writes goes through
`neutralise`, which puts a leading apostrophe before such text, the OWASP
remedy: the cell then shows the text and never computes. Plain numbers such
as "-5" or "-0.25" are left alone: they cannot run anything.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sw_policy.findings import OUTCOMES, Finding, Location, Rejected, Report
from sw_policy.inputs.divisions import display_name
from sw_policy.reports.figures import exact_text, expected_text, observed_figures, verdict_text
from sw_policy.reports.labels import Lang, label, marks_text, outcome_label
from sw_policy.reports.terms import reason_text, value_label

__all__ = [
    "FINDING_KEYS",
    "REJECTED_KEYS",
    "Row",
    "division_text",
    "finding_row",
    "neutralise",
    "observed_text",
    "reasons",
    "record_text",
    "rejected_row",
    "rule_counts",
    "stamp_rows",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")

FINDING_KEYS = (
    "file",
    "sheet",
    "row",
    "kind",
    "record",
    "name",
    "division",
    "rule",
    "outcome",
    "severity",
    "observed",
    "expected",
    "message",
    "marks",
    "exact",
    "document",
    "document_number",
    "clause",
    "status",
    "quote",
)
REJECTED_KEYS = ("file", "sheet", "row", "column", "record", "errors")

Row = list[str | int | None]


def neutralise(text: str) -> str:
    """`text` made safe for a spreadsheet cell: formula-leading text gets a leading '."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def observed_text(finding: Finding) -> str:
    """Observed figures exactly, as "name=value, ..." (unknown shown as ?)."""
    return exact_text(finding)


def _where(location: Location | None) -> Row:
    if location is None:
        return [None, None, None]
    return [location.path, location.sheet, location.row]


def division_text(code: str | None) -> str | None:
    """A division code with its GB/T 2260 name: "330106 杭州市西湖区" (the code alone if the
    table has no such code, so an unknown code is still shown as given)."""
    if code is None:
        return None
    name = display_name(code)
    return code if name is None else f"{code} {name}"


def record_text(finding: Finding) -> str:
    """The record's id with its name beside it when the input has one: "P-1 某社区项目"."""
    if finding.record_name:
        return f"{finding.record_id} {finding.record_name}"
    return finding.record_id


def finding_row(finding: Finding, lang: Lang, unit: str = "元") -> Row:
    """One finding in FINDING_KEYS order, in `lang` (texts not yet neutralised)."""
    c = finding.citation
    return [
        *_where(finding.location),
        value_label(finding.kind, lang),
        finding.record_id,
        finding.record_name,
        division_text(finding.jurisdiction),
        finding.rule_id,
        outcome_label(finding.outcome, lang),
        label(finding.severity, lang),
        observed_figures(finding, lang, unit),
        expected_text(finding, lang),
        verdict_text(finding, lang),
        marks_text(finding.marks, finding.displaced, lang),
        exact_text(finding, lang),
        c.title,
        c.document_number,
        c.clause,
        label(c.status, lang),
        c.quote,
    ]


def reasons(rejected: Rejected, lang: Lang) -> str:
    """A rejected record's reasons in `lang` (the JSON report keeps the original text)."""
    return ("；" if lang == "zh" else "; ").join(reason_text(e, lang) for e in rejected.errors)


def rejected_row(rejected: Rejected, lang: Lang) -> Row:
    """One rejected record in REJECTED_KEYS order."""
    return [
        rejected.path,
        rejected.sheet,
        rejected.row,
        rejected.column,
        rejected.id,
        reasons(rejected, lang),
    ]


@dataclass(frozen=True)
class RuleCount:
    """How one rule came out over all listed findings."""

    rule_id: str
    severity: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def rule_counts(report: Report) -> list[RuleCount]:
    """Per rule (in first-seen order), the count of each outcome among listed findings."""
    counts: dict[str, Counter[str]] = {}
    severity: dict[str, str] = {}
    for f in report.findings:
        counts.setdefault(f.rule_id, Counter())[f.outcome] += 1
        severity.setdefault(f.rule_id, f.severity)
    return [
        RuleCount(rule, severity[rule], {o: c[o] for o in OUTCOMES}) for rule, c in counts.items()
    ]


def stamp_rows(report: Report, lang: Lang) -> list[tuple[str, str]]:
    """What makes the report reproducible, as (label, value) pairs."""
    rows = [
        (label("engine", lang), f"{report.engine.name} {report.engine.version}"),
        (label("rulebook_sha256", lang), report.rulebook.sha256),
        (label("rules", lang), str(report.rulebook.rules)),
        (label("as_of", lang), report.as_of.isoformat()),
    ]
    for item in report.inputs:
        encoding = f" ({item.encoding})" if item.encoding else ""
        rows.append((label("input", lang), f"{item.path}{encoding} sha256 {item.sha256}"))
    if report.options is not None:
        options = report.options.model_dump(mode="json")
        overrides = options.pop("parameter_overrides")
        text = ", ".join(f"{k}={'' if v is None else v}" for k, v in options.items())
        if overrides:
            text += ", set: " + ", ".join(f"{k}={v}" for k, v in sorted(overrides.items()))
        rows.append((label("options", lang), text))
    return rows
