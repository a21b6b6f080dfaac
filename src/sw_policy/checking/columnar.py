"""Checking with the columnar engine: the same report as Rulebook.check, built in columns.

`check_columnar` takes records (models, LocatedRecords or ready RecordFrames);
`check_files_columnar` reads files, going straight to columns for
contract-format CSV (see inputs/csv_direct.py) and through the ordinary readers
otherwise. Either returns a ColumnarReport whose JSON is byte-identical to the
row engine's report for the same input.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

import polars as pl

from sw_policy.checking.book import CheckingBook
from sw_policy.checking.coerce import IN_MEMORY, as_of_date, check_kind, frame_module, intake
from sw_policy.checking.columnar_findings import findings_of
from sw_policy.checking.defaults_taken import kinds_by_path_of_frames, with_defaults_taken
from sw_policy.checking.division_codes import codes_by_path_of_frames, with_code_warnings
from sw_policy.engines.columnar.engine import ColumnarResult, evaluate_frames
from sw_policy.engines.columnar.report import report_shell, write_report_json
from sw_policy.findings import CITATION_FIELDS, InputSummary, Rejected, Report, RunOptions, Skipped
from sw_policy.inputs.aliases import canonical_field
from sw_policy.inputs.csv_direct import read_files_columnar
from sw_policy.inputs.frame_direct import as_polars, direct_columns, read_frame_columnar
from sw_policy.inputs.frames import RecordFrames, frame_from_records
from sw_policy.inputs.given_fields import noting_given
from sw_policy.inputs.readers import LocatedRecord, infer_kind

__all__ = ["ColumnarReport", "check_columnar", "check_files_columnar"]


@dataclass(frozen=True)
class ColumnarReport:
    """A check's result with the findings as a DataFrame (citations joined by rule id)."""

    rulebook: CheckingBook
    result: ColumnarResult
    as_of: dt.date
    inputs: tuple[InputSummary, ...] = ()
    rejected: tuple[Rejected, ...] = field(default_factory=tuple)
    options: RunOptions | None = None
    skipped: tuple[Skipped, ...] = field(default_factory=tuple)
    frames: RecordFrames | None = field(default=None, repr=False, compare=False)

    @property
    def findings(self) -> pl.DataFrame:
        """One row per listed finding, with the columns of the JSON report's findings."""
        return self.result.findings

    @property
    def citations(self) -> pl.DataFrame:
        """One row per rule: its citation, to join on rule_id."""
        rows = [
            {"rule_id": r.id, **self.rulebook.citation(r.id).model_dump()}
            for r in self.rulebook.rules
        ]
        return pl.DataFrame(rows)

    def to_polars(self) -> pl.DataFrame:
        """The findings with their citations joined: the frame Report.to_polars() gives."""
        citations = self.citations.rename({n: f"citation_{n}" for n in CITATION_FIELDS})
        return self.findings.join(citations, on="rule_id", how="left", maintain_order="left")

    def to_arrow(self) -> Any:
        """to_polars() as a PyArrow Table (needs pyarrow)."""
        return self.to_polars().to_arrow()

    @property
    def has_mandatory_failure(self) -> bool:
        """True when a listed mandatory finding in force failed (drafts only when the options
        make them binding): the CLI then exits 1."""
        binding = self.options is not None and self.options.drafts_binding
        frame = self.result.findings
        failed = (pl.col("outcome") == "fail") & (pl.col("severity") == "mandatory")
        if not binding:
            drafts = [
                r.id for r in self.rulebook.rules if self.rulebook.citation(r.id).status == "draft"
            ]
            failed = failed & ~pl.col("rule_id").is_in(drafts)
        return frame.filter(failed).height > 0

    def shell(self) -> Report:
        """The Report with every field but the findings (which stay in columns)."""
        return report_shell(
            self.rulebook,
            self.result,
            as_of=self.as_of,
            inputs=self.inputs,
            rejected=self.rejected,
            options=self.options,
            skipped=self.skipped,
        )

    def write_json(self, out: BinaryIO | TextIO) -> None:
        """Write the contract's JSON report, in batches.

        Give a binary stream (a file opened "wb", sys.stdout.buffer) for large reports:
        the findings then go from Polars to it directly. A text stream gets the same
        text, assembled in memory first.
        """
        if isinstance(out, io.TextIOBase):
            out.write(self.to_json())
        else:
            write_report_json(cast("BinaryIO", out), self.shell(), self.rulebook, self.result)

    def to_json(self) -> str:
        """The JSON report, identical to Report.to_json() from the row engine."""
        buffer = io.BytesIO()
        write_report_json(buffer, self.shell(), self.rulebook, self.result)
        return buffer.getvalue().decode("utf-8")

    def to_report(self) -> Report:
        """The findings as a pydantic Report (one object per finding: for small results)."""
        findings = findings_of(self.result, self.rulebook, frames=self.frames)
        return self.shell().model_copy(update={"findings": tuple(findings)})


def check_columnar(
    rulebook: CheckingBook,
    records: RecordFrames | Iterable[Any] | Any,
    *,
    as_of: dt.date | str | None = None,
    kind: str | None = None,
    include_not_applicable: bool = False,
    only_failures: bool = False,
) -> ColumnarReport:
    """Rulebook.check, in columns: records in any form Rulebook.check takes, or RecordFrames.

    A Polars/pandas DataFrame or PyArrow table whose headers all name fields of one
    kind goes to columns directly (inputs/frame_direct.py); anything else is read as
    Rulebook.check reads it (checking/coerce.py). Rejections are the same either way.
    """
    day = as_of_date(as_of) or dt.date.today()
    rejected: tuple[Rejected, ...] = ()
    if isinstance(records, RecordFrames):
        frames = records
    else:
        frames, rejected = _frames(records, check_kind(kind))
    result = evaluate_frames(
        rulebook,
        frames,
        as_of=day,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
    )
    return ColumnarReport(rulebook, result, day, rejected=rejected, frames=frames)


def _frames(records: Any, kind: str | None) -> tuple[RecordFrames, tuple[Rejected, ...]]:
    module = frame_module(records)
    if module is not None:
        df = as_polars(records, module)
        headers = {canonical_field(str(h).strip()) for h in df.columns}
        wanted = kind or infer_kind({h for h in headers if h})
        columns = direct_columns(df, wanted)
        if wanted is not None and columns is not None:
            read = read_frame_columnar(df, wanted, columns, path=IN_MEMORY)
            return read.frames, tuple(read.rejected)
    if type(records) is list and records and type(records[0]) is dict:
        from sw_policy.checking.dict_columns import frames_of_dicts  # noqa: PLC0415

        return frames_of_dicts(records, kind)
    taken = intake(records, kind=kind)
    located = [LocatedRecord(record, where) for record, where in taken.records]
    return frame_from_records(located), tuple(taken.rejected)


def check_files_columnar(
    rulebook: CheckingBook,
    paths: Iterable[Path | str],
    *,
    as_of: dt.date | None = None,
    kind: str | None = None,
    include_not_applicable: bool = False,
    only_failures: bool = False,
    encoding: str | None = None,
    options: RunOptions | None = None,
) -> ColumnarReport:
    """Rulebook.check_files, in columns: same inputs, rejections and findings."""
    with rulebook.reading_vocabulary(), noting_given() as given:
        read = read_files_columnar(
            list(paths),
            kind=kind,
            encoding=encoding,
            strict_columns=options.strict_columns if options else False,
            jurisdiction=options.jurisdiction if options else None,
        )
    report = check_columnar(
        rulebook,
        read.frames,
        as_of=as_of,
        include_not_applicable=include_not_applicable,
        only_failures=only_failures,
    )
    return ColumnarReport(
        rulebook,
        report.result,
        report.as_of,
        with_defaults_taken(
            with_code_warnings(read.inputs, codes_by_path_of_frames(read.frames)),
            given,
            kinds_by_path_of_frames(read.frames),
            rulebook,
        ),
        tuple(read.rejected),
        options,
        tuple(read.skipped),
        read.frames,
    )
