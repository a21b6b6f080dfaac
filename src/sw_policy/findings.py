"""Findings and the report: what a check returns, field for field as the contract's JSON.

All models are frozen; field order is the JSON key order, so a report
serialises the same way every time (byte-identical for identical inputs).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sw_policy.records import RecordKind
from sw_policy.rulebook.layering import Mark
from sw_policy.rulebook.schema import Severity

__all__ = [
    "CITATION_FIELDS",
    "FINDING_COLUMNS",
    "OUTCOMES",
    "Citation",
    "EngineInfo",
    "Finding",
    "InputSummary",
    "Location",
    "Message",
    "Outcome",
    "Rejected",
    "Report",
    "RulebookInfo",
    "RunOptions",
    "Skipped",
    "Summary",
]

Outcome = Literal["pass", "fail", "pending", "insufficient_data", "not_applicable"]
OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "pending", "insufficient_data", "not_applicable")
ObservedValue = str | int | bool | None
"""An observed value: numbers as exact decimal text ("0.75", "119.5"), counts and years as
int, flags as bool, vocabularies as their contract spelling (str), unknown as None."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Message(_Frozen):
    """The same message in Chinese and English."""

    zh: str
    en: str


class Citation(_Frozen):
    """Where a provision comes from: document and clause, with the verbatim quote."""

    source_id: str
    document_number: str | None
    title: str
    issued: str
    status: Literal["in_force", "draft"]
    clause: str
    quote: str


class Location(_Frozen):
    """Where a record was read from: file, sheet of a workbook, and row (1 = the header row)."""

    path: str
    sheet: str | None = None
    row: int


class Finding(_Frozen):
    """One rule's verdict on one record."""

    kind: RecordKind
    record_id: str
    rule_id: str
    outcome: Outcome
    severity: Severity
    observed: dict[str, ObservedValue]
    expected: str
    message: Message
    citation: Citation
    unmet: tuple[str, ...] = Field(
        default=(), description="Ids of the unmet parts of a failing multi-part rule."
    )
    location: Location | None = None
    displaced: tuple[str, ...] = Field(
        default=(),
        description="Ids of rules this one amends or supersedes, directly or through a chain, "
        "that also applied to this record and so were not judged (see rulebook/layering.py).",
    )
    marks: tuple[Mark, ...] = Field(
        default=(),
        description="Why this finding deserves a second look, never changing its outcome: "
        "draft_source (a draft for comment), target_ended (a target's last milestone year is "
        "over), review_due (the source is past its review period). See rulebook.layering.MARKS.",
    )
    record_name: str | None = Field(
        default=None,
        exclude=True,
        description="The record's name (项目名称, 姓名) for human reports; not in the JSON "
        "report, whose finding shape the contract fixes.",
    )
    jurisdiction: str | None = Field(
        default=None,
        exclude=True,
        description="The record's division code, shown with its GB/T 2260 name in human "
        "reports; not in the JSON report.",
    )


class Rejected(_Frozen):
    """A record that could not be read; it is not evaluated but never lost.

    `sheet` is the workbook sheet (None outside XLSX); `column` the header of the
    first column at fault as written in the file (None when no one column is).
    """

    path: str
    sheet: str | None = None
    row: int
    column: str | None = None
    id: str | None
    errors: tuple[str, ...]


class Skipped(_Frozen):
    """A row that is not a record: a total row, a note under the table, a repeated header.

    Counted apart from records (records = evaluated + rejected). `text` is only the word
    that marks the row (合计, 注), never the rest of it: a footer may hold a phone number.
    """

    path: str
    sheet: str | None = None
    row: int
    reason: Literal["total", "note", "header"]
    text: str


class InputSummary(_Frozen):
    """One input file: records read = evaluated + rejected."""

    path: str
    sha256: str
    records: int
    evaluated: int
    rejected: int
    encoding: str | None = Field(
        default=None, description="Text encoding used for CSV/JSON (None for XLSX, Parquet)."
    )
    skipped: int = Field(default=0, description="Total rows, notes and repeated headers.")
    unused_columns: tuple[str, ...] = Field(
        default=(), description="Headers no field uses, as written (values never copied)."
    )
    warnings: tuple[str, ...] = Field(
        default=(), description="Near-miss headers, totals that disagree, jurisdiction taken."
    )


class EngineInfo(_Frozen):
    name: Literal["sw-policy"] = "sw-policy"
    version: str


class RulebookInfo(_Frozen):
    sha256: str
    rules: int


class Summary(_Frozen):
    """Counts over every applicable finding, whatever filter chose the listed ones."""

    records: int
    findings: int
    by_outcome: dict[str, int]
    draft_failures: int = Field(
        default=0,
        description="Failures (counted in by_outcome too) of a draft for comment: reported, "
        "but not binding unless drafts are made binding.",
    )

    @classmethod
    def of(cls, records: int, outcomes: list[Outcome], draft_failures: int = 0) -> Summary:
        counts = Counter(outcomes)
        return cls(
            records=records,
            findings=len(outcomes),
            by_outcome={o: counts[o] for o in OUTCOMES if counts[o] or o != "not_applicable"},
            draft_failures=draft_failures,
        )


class RunOptions(_Frozen):
    """The options a report was made with: with the digests, enough to reproduce it."""

    format: str = "json"
    lang: str = "zh"
    kind: str | None = None
    encoding: str | None = None
    rules: str = "bundled"
    exclude_drafts: bool = False
    drafts_binding: bool = False
    include_not_applicable: bool = False
    only_failures: bool = False
    parameter_overrides: dict[str, str] = Field(default_factory=dict)
    strict_columns: bool = False
    jurisdiction: str | None = Field(
        default=None, description="--jurisdiction: the code given to rows without one."
    )
    divisions: str | None = Field(
        default=None, description="The GB/T 2260 table used: its source and year."
    )


class Report(_Frozen):
    """The result of one check run."""

    report_version: Literal[1] = 1
    engine: EngineInfo
    rulebook: RulebookInfo
    as_of: dt.date
    inputs: tuple[InputSummary, ...] = ()
    rejected: tuple[Rejected, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    findings: tuple[Finding, ...]
    summary: Summary
    options: RunOptions | None = Field(
        default=None, description="The run's options (the stamp); None when built in Python."
    )

    @property
    def has_mandatory_failure(self) -> bool:
        """True when a mandatory provision in force failed: the CLI then exits 1.

        A draft for comment binds only when the run's options say so (--drafts-binding).
        """
        return self.has_binding_failure(self.options is not None and self.options.drafts_binding)

    def has_binding_failure(self, drafts_binding: bool = False) -> bool:
        """True when a mandatory provision failed that binds: in force, or any draft too if
        `drafts_binding` (a draft for comment has no binding force of its own)."""
        return any(
            f.outcome == "fail"
            and f.severity == "mandatory"
            and (drafts_binding or f.citation.status != "draft")
            for f in self.findings
        )

    def to_json(self) -> str:
        """The contract's JSON report: UTF-8 text, 2-space indent, stable key order."""
        return self.model_dump_json(indent=2) + "\n"

    def to_polars(self) -> Any:
        """The listed findings as a Polars DataFrame, one row per finding.

        Columns, in order: FINDING_COLUMNS (the columnar engine's findings frame:
        `observed` as compact JSON text, `message_zh`/`message_en`, `location_*`),
        then the citation's fields prefixed `citation_`. The same frame as
        ColumnarReport.to_polars() for the same input.
        """
        import polars as pl  # noqa: PLC0415 (only callers who ask for a frame need Polars)

        rows = [_finding_row(f) for f in self.findings]
        return pl.DataFrame(rows, schema=_frame_schema(pl), orient="row")

    def to_arrow(self) -> Any:
        """The listed findings as a PyArrow Table (to_polars()'s columns; needs pyarrow)."""
        return self.to_polars().to_arrow()


CITATION_FIELDS = tuple(Citation.model_fields)
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
"""The findings frame's own columns; citation_<field> columns follow (see Report.to_polars)."""


def _frame_schema(pl: Any) -> dict[str, Any]:
    lists = {"unmet", "displaced", "marks"}
    schema: dict[str, Any] = {
        name: pl.List(pl.String)
        if name in lists
        else pl.Int64
        if name == "location_row"
        else pl.String
        for name in FINDING_COLUMNS
    }
    schema.update({f"citation_{name}": pl.String for name in CITATION_FIELDS})
    return schema


def _finding_row(f: Finding) -> tuple[Any, ...]:
    where = f.location
    return (
        f.kind,
        f.record_id,
        f.rule_id,
        f.outcome,
        f.severity,
        json.dumps(f.observed, ensure_ascii=False),
        f.expected,
        f.message.zh,
        f.message.en,
        list(f.unmet),
        None if where is None else where.path,
        None if where is None else where.sheet,
        None if where is None else where.row,
        list(f.displaced),
        list(f.marks),
        *(getattr(f.citation, name) for name in CITATION_FIELDS),
    )
