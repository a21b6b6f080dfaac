"""The law cited once: one section per rule, which the rows of a report refer to.

Each rule that produced a finding gets a number (in the order rules first
appear), its citation (document, clause, status, verbatim quote) and a summary:
how many findings passed, failed, were pending or lacked data, which records
failed, and the worst figure among the failures (人力成本占项目经费比例最高 91.20%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sw_policy.findings import Citation, Finding, Report
from sw_policy.reports.figures import figure, threshold
from sw_policy.reports.labels import Lang, label
from sw_policy.reports.rows import rule_counts
from sw_policy.reports.terms import field_label

__all__ = ["RuleSection", "cited", "rule_sections", "short_ref"]


@dataclass(frozen=True)
class RuleSection:
    """One rule's section: its number, citation, counts, failed records and worst figure."""

    number: int
    rule_id: str
    severity: str
    citation: Citation
    counts: dict[str, int]
    failed_records: tuple[str, ...]
    worst: Finding | None
    worst_field: str | None
    worst_highest: bool

    def worst_text(self, lang: Lang, unit: str = "元") -> str:
        """ "人力成本占项目经费比例最高 91.20%" (empty when nothing failed on a figure)."""
        if self.worst is None or self.worst_field is None:
            return ""
        value = self.worst.observed[self.worst_field]
        shown = figure(self.worst_field, value, lang, unit, threshold(self.worst))
        name = field_label(self.worst_field, lang)
        record = self.worst.record_id
        if lang == "zh":
            return f"{name}{'最高' if self.worst_highest else '最低'} {shown}（{record}）"
        return f"{'highest' if self.worst_highest else 'lowest'} {name} {shown} ({record})"


def short_ref(number: int) -> str:
    """How a row points at a rule's section: "§1"."""
    return f"§{number}"


def cited(c: Citation, lang: Lang) -> str:
    """文号《标题》条款（状态）: the citation in one line."""
    number = f"{c.document_number} " if c.document_number else ""
    status = label(c.status, lang)
    return (
        f"{number}《{c.title}》{c.clause}（{status}）"
        if lang == "zh"
        else (f"{number}《{c.title}》{c.clause} ({status})")
    )


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _worst(failures: list[Finding]) -> tuple[Finding | None, str | None, bool]:
    """The failure with the most extreme first figure: highest for ≤/<, lowest for ≥/>."""
    if not failures:
        return None, None, True
    first = failures[0]
    # The figure judged comes first; a looked-up requirement (required_…) is not it.
    name = next((k for k in first.observed if not k.startswith("required_")), None)
    expected = first.expected.split(": ", 1)[-1]
    if name is None or not re.fullmatch(r"[≤<≥>] \d+(\.\d+)?", expected):
        return None, None, True  # only a bound on one figure has a "worst" figure
    highest = expected[:1] in ("≤", "<")
    scored = [(n, f) for f in failures if (n := _number(f.observed.get(name))) is not None]
    if not scored:
        return None, None, True
    pick = max if highest else min
    worst = pick(scored, key=lambda pair: pair[0])[1]
    return worst, name, highest


def rule_sections(report: Report) -> list[RuleSection]:
    """Every rule with a listed finding, numbered in order of first appearance."""
    first: dict[str, Finding] = {}
    failures: dict[str, list[Finding]] = {}
    for f in report.findings:
        first.setdefault(f.rule_id, f)
        if f.outcome == "fail":
            failures.setdefault(f.rule_id, []).append(f)
    out = []
    for number, rc in enumerate(rule_counts(report), start=1):
        failed = failures.get(rc.rule_id, [])
        worst, name, highest = _worst(failed)
        out.append(
            RuleSection(
                number=number,
                rule_id=rc.rule_id,
                severity=rc.severity,
                citation=first[rc.rule_id].citation,
                counts=rc.counts,
                failed_records=tuple(dict.fromkeys(f.record_id for f in failed)),
                worst=worst,
                worst_field=name,
                worst_highest=highest,
            )
        )
    return out
