"""A check run for the service: the CLI's run, on a private temporary copy of the posted data.

The data is written to a temporary folder only this request uses (never a
path from the client), read by the same readers, judged by the engine the
CLI would choose, stamped with the options the CLI would stamp and rendered
by the same writers, so the report is byte-identical to `sw-policy check
NAME --format F` for the same bytes. Only the name differs from the temporary
path: the report calls the input NAME (records.json, upload.csv …).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sw_policy.checking.engine_choice import choose_engine
from sw_policy.checking.rulebook import Rulebook
from sw_policy.errors import ColumnarInputError, PolicyError
from sw_policy.findings import Report, RunOptions
from sw_policy.inputs.divisions import divisions_stamp, resolve_jurisdiction
from sw_policy.inputs.hints import input_hints
from sw_policy.reports.formats import render_report
from sw_policy.reports.verdict import is_incomplete

__all__ = ["MEDIA_TYPES", "CheckOptions", "CheckResult", "run_check"]

MEDIA_TYPES = {
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class CheckOptions:
    """The options of `sw-policy check` that a request may give."""

    as_of: dt.date | None = None
    fmt: str = "json"
    lang: str | None = None
    kind: str | None = None
    only_failures: bool = False
    include_not_applicable: bool = False
    drafts_binding: bool = False
    strict_columns: bool = False
    jurisdiction: str | None = None
    sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    """What the response carries: the rendered report, the exit status and the summary."""

    body: bytes
    media_type: str
    status: int
    summary: dict[str, Any]
    failing_rules: tuple[str, ...]
    failing_records: tuple[str, ...]


def run_check(
    rulebook: Rulebook,
    data: bytes,
    name: str,
    options: CheckOptions,
    *,
    rules_name: str = "bundled",
    exclude_drafts: bool = False,
) -> CheckResult:
    """Check `data` (the bytes of a file called `name`) as `sw-policy check name` would."""
    with tempfile.TemporaryDirectory(prefix="sw-policy-serve-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return _check_file(
                rulebook, path, name, options, rules_name=rules_name, exclude=exclude_drafts
            )
        except PolicyError as exc:  # the message names the input as the client knows it
            exc.args = tuple(
                a.replace(str(path), name) if isinstance(a, str) else a for a in exc.args
            )
            raise


def _check_file(
    rulebook: Rulebook,
    path: Path,
    name: str,
    options: CheckOptions,
    *,
    rules_name: str,
    exclude: bool,
) -> CheckResult:
    files = (path,)
    hints = input_hints(files)
    lang = options.lang or "zh"  # the CLI's default for every report that is not the table
    jurisdiction = (
        resolve_jurisdiction(options.jurisdiction) if options.jurisdiction is not None else None
    )
    pairs = (text.partition("=") for text in options.sets)
    stamp = RunOptions(
        format=options.fmt,
        lang=lang,
        kind=options.kind,
        encoding=None,
        rules=rules_name,
        exclude_drafts=exclude,
        drafts_binding=options.drafts_binding,
        include_not_applicable=options.include_not_applicable,
        only_failures=options.only_failures,
        parameter_overrides={key.strip(): value.strip() for key, _, value in sorted(pairs)},
        strict_columns=options.strict_columns,
        jurisdiction=jurisdiction,
        divisions=divisions_stamp(),
    )
    label = {str(path): name}
    if choose_engine("auto", files, layered=rulebook.layered) == "columnar":
        from sw_policy.checking.columnar import check_files_columnar  # noqa: PLC0415

        try:
            columnar = check_files_columnar(
                rulebook,
                files,
                as_of=options.as_of,
                kind=stamp.kind,
                include_not_applicable=stamp.include_not_applicable,
                only_failures=stamp.only_failures,
                encoding=None,
                options=stamp,
            )
        except ColumnarInputError:
            pass  # the CLI's auto: a value only the row engine holds exactly
        else:
            columnar = _relabel_columnar(columnar, label)
            shell = columnar.shell()
            if options.fmt == "json":
                buffer = io.BytesIO()
                columnar.write_json(buffer)
                failing = columnar.findings.filter(columnar.findings["outcome"] == "fail")
                return _result(
                    buffer.getvalue(),
                    options.fmt,
                    shell,
                    mandatory_failure=columnar.has_mandatory_failure,
                    rules=tuple(sorted(set(failing["rule_id"].to_list()))),
                    records=tuple(sorted(set(failing["record_id"].to_list()))),
                )
            report = columnar.to_report()
            return _rendered(report, options.fmt, lang, hints.unit)
    report = rulebook.check_files(files, as_of=options.as_of, options=stamp)
    return _rendered(_relabel(report, label), options.fmt, lang, hints.unit)


def _rendered(report: Report, fmt: str, lang: str, unit: str) -> CheckResult:
    rendered = render_report(report, fmt, lang, unit=unit)  # type: ignore[arg-type]
    body = rendered if isinstance(rendered, bytes) else rendered.encode("utf-8")
    failing = [f for f in report.findings if f.outcome == "fail"]
    return _result(
        body,
        fmt,
        report,
        mandatory_failure=report.has_mandatory_failure,
        rules=tuple(sorted({f.rule_id for f in failing})),
        records=tuple(sorted({f.record_id for f in failing})),
    )


def _result(
    body: bytes,
    fmt: str,
    shell: Report,
    *,
    mandatory_failure: bool,
    rules: tuple[str, ...],
    records: tuple[str, ...],
) -> CheckResult:
    status = 1 if mandatory_failure else 3 if is_incomplete(shell) else 0
    summary = shell.summary.model_dump(mode="json")
    summary["rejected"] = len(shell.rejected)
    return CheckResult(body, MEDIA_TYPES[fmt], status, summary, rules, records)


def _renamer(label: dict[str, str]) -> Any:
    """Rename an input, rejection or skip: its path, and the path inside its messages."""
    [(temporary, name)] = label.items()

    def named(item: Any) -> Any:
        if item.path != temporary:
            return item
        changes: dict[str, Any] = {"path": name}
        for words in ("errors", "warnings"):
            texts = getattr(item, words, None)
            if texts and any(temporary in text for text in texts):
                changes[words] = type(texts)(text.replace(temporary, name) for text in texts)
        return item.model_copy(update=changes)

    return named


def _relabel(report: Report, label: dict[str, str]) -> Report:
    """The report with the temporary path replaced by the name the client knows."""

    named = _renamer(label)

    findings = tuple(
        f
        if f.location is None or f.location.path not in label
        else f.model_copy(update={"location": named(f.location)})
        for f in report.findings
    )
    return report.model_copy(
        update={
            "inputs": tuple(named(i) for i in report.inputs),
            "rejected": tuple(named(r) for r in report.rejected),
            "skipped": tuple(named(s) for s in report.skipped),
            "findings": findings,
        }
    )


def _relabel_columnar(report: Any, label: dict[str, str]) -> Any:
    import polars as pl  # noqa: PLC0415

    named = _renamer(label)

    frame = report.result.findings.with_columns(
        pl.col("location_path").replace(label).alias("location_path")
    )
    return dataclasses.replace(
        report,
        inputs=tuple(named(i) for i in report.inputs),
        rejected=tuple(named(r) for r in report.rejected),
        skipped=tuple(named(s) for s in report.skipped),
        result=dataclasses.replace(report.result, findings=frame),
    )
