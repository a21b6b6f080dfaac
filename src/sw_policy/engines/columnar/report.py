"""The columnar findings as a report: the exact JSON `Report.to_json()` writes, built in columns.

The report's shell (engine, rulebook, inputs, rejected, summary: whatever
fields the Report model has) is serialised by pydantic itself with an empty
findings array; the findings array is then spliced in, each finding rendered
by string expressions in the same layout (2-space indent, key order, escapes)
and each citation rendered once per rule and joined by rule id. Written in
batches, so hundreds of thousands of findings never become one Python object
each.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

import polars as pl

from sw_policy._version import __version__
from sw_policy.engines.columnar.text import ESCAPED, json_string
from sw_policy.findings import (
    OUTCOMES,
    EngineInfo,
    Finding,
    InputSummary,
    Location,
    Message,
    Rejected,
    Report,
    RulebookInfo,
    RunOptions,
    Skipped,
    Summary,
)

if TYPE_CHECKING:
    from sw_policy.engines.columnar.engine import ColumnarResult
    from sw_policy.engines.rule_store import RuleStore
    from sw_policy.inputs.frames import RecordFrames

Labels = dict[tuple[str, str], tuple[str | None, str | None]]
"""(kind, record id) → (name, division code)."""

__all__ = [
    "finding_batches",
    "finding_models",
    "report_shell",
    "write_lines",
    "write_report_json",
]

_BATCH = 50_000
_MARKER = '"findings": []'


def summary_of(result: ColumnarResult) -> Summary:
    """The summary the row engine would give for the same findings."""
    counts = result.outcome_counts
    return Summary(
        records=result.records,
        findings=sum(counts.values()),
        by_outcome={
            o: counts.get(o, 0) for o in OUTCOMES if counts.get(o) or o != "not_applicable"
        },
        draft_failures=result.draft_failures,
    )


def report_shell(
    rulebook: RuleStore,
    result: ColumnarResult,
    *,
    as_of: dt.date,
    inputs: Iterable[InputSummary] = (),
    rejected: Iterable[Rejected] = (),
    options: RunOptions | None = None,
    skipped: Iterable[Skipped] = (),
) -> Report:
    """The Report with every field but the findings (which stay in columns)."""
    return Report(
        engine=EngineInfo(version=__version__),
        rulebook=RulebookInfo(sha256=rulebook.sha256, rules=len(rulebook.rules)),
        as_of=as_of,
        inputs=tuple(inputs),
        rejected=tuple(rejected),
        skipped=tuple(skipped),
        findings=(),
        summary=summary_of(result),
        options=options,
    )


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return text.replace("\n", "\n" + pad)


def _citations(rulebook: RuleStore) -> dict[str, str]:
    return {
        r.id: _indent(rulebook.citation(r.id).model_dump_json(indent=2), 6) for r in rulebook.rules
    }


def _list_text(column: pl.Expr) -> pl.Expr:
    items = column.list.eval(pl.lit('        "') + pl.element() + pl.lit('"')).list.join(",\n")
    return (
        pl.when(column.list.len() == 0)
        .then(pl.lit("[]"))
        .otherwise(pl.lit("[\n") + items + pl.lit("\n      ]"))
    )


def _lists(batch: pl.DataFrame, name: str) -> pl.Expr:
    """A list column's JSON text; the literal `[]` when the batch's lists are all empty."""
    if batch.get_column(name).list.len().max() in (0, None):
        return pl.lit("[]")
    return _list_text(pl.col(name))


def _observed_text() -> pl.Expr:
    """`observed` pretty-printed as the report indents it."""
    observed = pl.col("observed")
    return (
        pl.when(observed == "{}")
        .then(observed)
        .otherwise(
            observed.str.replace('{"', '{\n        "', literal=True)
            .str.replace_all(', "', ',\n        "', literal=True)
            .str.head(-1)
            + pl.lit("\n      }")
        )
    )


def _finding_columns(batch: pl.DataFrame, citations: dict[str, str], plain: bool) -> list[pl.Expr]:
    """Each finding's JSON text in three columns, to be written with a newline between them
    (write_lines): up to the message, the citation (one text per rule, not built per row),
    and the rest. `plain`: the messages and expected texts need no escaping."""

    def literal(name: str) -> pl.Expr:
        if plain and batch.get_column(name).null_count() == 0:
            return pl.concat_str([pl.lit('"'), pl.col(name), pl.lit('"')])
        return json_string(pl.col(name))

    location = (
        pl.when(pl.col("location_path").is_null())
        .then(pl.lit("null"))
        .otherwise(
            pl.concat_str(
                [
                    pl.lit('{\n        "path": '),
                    json_string(pl.col("location_path")),
                    pl.lit(',\n        "sheet": '),
                    json_string(pl.col("location_sheet")),
                    pl.lit(',\n        "row": '),
                    pl.col("location_row").cast(pl.String),
                    pl.lit("\n      }"),
                ]
            )
        )
    )
    head = pl.concat_str(
        [
            pl.lit('    {\n      "kind": "'),
            pl.col("kind"),
            pl.lit('",\n      "record_id": '),
            json_string(pl.col("record_id")),
            *_verdict_members(),
            literal("expected"),
            pl.lit(',\n      "message": {\n        "zh": '),
            literal("message_zh"),
            pl.lit(',\n        "en": '),
            literal("message_en"),
        ]
    )
    citation = {rule: f'      }},\n      "citation": {text},' for rule, text in citations.items()}
    tail = pl.concat_str(
        [
            pl.lit('      "unmet": '),
            _lists(batch, "unmet"),
            pl.lit(',\n      "location": '),
            location,
            pl.lit(',\n      "displaced": '),
            _lists(batch, "displaced"),
            pl.lit(',\n      "marks": '),
            _lists(batch, "marks"),
            pl.lit("\n    }"),
        ]
    )
    return [
        head.alias("a"),
        pl.col("rule_id").replace_strict(citation, return_dtype=pl.String).alias("b"),
        tail.alias("c"),
    ]


def _verdict_members() -> list[pl.Expr]:
    """A finding's members from rule_id to the key of `expected`, in both layouts."""
    return [
        pl.lit(',\n      "rule_id": "'),
        pl.col("rule_id"),
        pl.lit('",\n      "outcome": "'),
        pl.col("outcome"),
        pl.lit('",\n      "severity": "'),
        pl.col("severity"),
        pl.lit('",\n      "observed": '),
        # the object's compact text ({"k": v, "k2": v2}); a JSON string value escapes
        # its quotes, so `{"` and `, "` occur only where members start.
        _observed_text(),
        pl.lit(',\n      "expected": '),
    ]


_QUOTED = "__quote_separated"
"""The first column's name in a batch whose columns are joined by `"` (see write_lines)."""


def _split_citations(citations: dict[str, str]) -> tuple[str, dict[str, str], str] | None:
    """Each citation's text cut at its first and last quote: (what comes before, the middle
    per rule, what comes after), the outer parts the same for every rule; None if not."""
    heads, middles, tails = set(), {}, set()
    for rule, text in citations.items():
        first, last = text.find('"'), text.rfind('"')
        if first < 0 or first == last:
            return None
        heads.add(text[:first])
        middles[rule] = text[first + 1 : last]
        tails.add(text[last + 1 :])
    if len(heads) != 1 or len(tails) != 1:
        return None
    return heads.pop(), middles, tails.pop()


def _quoted_columns(
    batch: pl.DataFrame, citations: tuple[str, dict[str, str], str], tail: pl.Expr
) -> list[pl.Expr] | None:
    """The finding's text as columns to be joined by `"`, each value the quoted text of a
    string (messages, expected, record id written as they are, not copied into one text
    per finding); None when a value would need escaping or is null."""
    record_id = batch.get_column("record_id")
    for name in ("record_id", "expected", "message_zh", "message_en"):
        if batch.get_column(name).null_count():
            return None
    if record_id.str.contains(ESCAPED).any():
        return None
    before, middles, after = citations
    columns = [
        pl.lit('    {\n      "kind": ').alias(_QUOTED),
        pl.col("kind"),
        pl.lit(',\n      "record_id": '),
        pl.col("record_id"),
        pl.concat_str(_verdict_members()),
        pl.col("expected"),
        pl.lit(',\n      "message": {\n        "zh": '),
        pl.col("message_zh"),
        pl.lit(',\n        "en": '),
        pl.col("message_en"),
        pl.lit('\n      },\n      "citation": ' + before),
        pl.col("rule_id").replace_strict(middles, return_dtype=pl.String),
        pl.concat_str([pl.lit(after + ",\n"), tail]),
    ]
    return [columns[0], *(c.alias(f"q{i}") for i, c in enumerate(columns) if i)]


def finding_batches(
    findings: pl.DataFrame, rulebook: RuleStore, *, plain: bool = False
) -> Iterator[pl.DataFrame]:
    """Each finding's JSON text, one per row in a few columns (written by write_lines), a
    comma after every one but the last. `plain` (ColumnarResult.plain_text): no message or
    expected text needs escaping."""
    citations = _citations(rulebook)
    split = _split_citations(citations) if plain else None
    last = findings.height - 1
    for start in range(0, findings.height, _BATCH):
        batch = findings.slice(start, _BATCH)
        a, b, c = _finding_columns(batch, citations, plain)
        if start + batch.height - 1 == last:
            is_last = pl.int_range(pl.len()) + start == last
            c = pl.concat_str([c, pl.when(is_last).then(pl.lit("")).otherwise(pl.lit(","))])
        else:
            c = pl.concat_str([c, pl.lit(",")])
        quoted = None if split is None else _quoted_columns(batch, split, c)
        if quoted is not None:
            yield batch.select(quoted)
        else:
            yield batch.select(a, b, c.alias("c"))


def write_lines(batch: pl.DataFrame, out: BinaryIO, *, end: bool = True) -> None:
    """Write a batch of finding_batches: its columns joined by newlines, a newline after each
    row (`end` false: not after the last). The texts are written as they are (no quoting:
    they are JSON already)."""
    separator = '"' if batch.columns[0] == _QUOTED else "\n"
    if end or batch.height == 0:
        batch.write_csv(out, include_header=False, quote_style="never", separator=separator)
        return
    if batch.height > 1:
        head = batch.slice(0, batch.height - 1)
        head.write_csv(out, include_header=False, quote_style="never", separator=separator)
    last = batch.row(batch.height - 1)  # every column is text; a null is written empty
    out.write(separator.join("" if v is None else v for v in last).encode("utf-8"))


def write_report_json(
    out: BinaryIO, shell: Report, rulebook: RuleStore, result: ColumnarResult
) -> None:
    """Write the JSON report (UTF-8), byte for byte as Report.to_json() would.

    `shell` is the report without findings (report_shell); they are spliced in from
    columns, and Polars writes each batch straight to the stream (one finding per
    "line", no quoting), so no finding ever becomes a Python string.
    """
    text = shell.to_json()
    head, marker, tail = text.partition(_MARKER)
    if not marker:  # pragma: no cover - the Report model always has findings
        raise AssertionError("report shell has no findings array")

    out.write(head.encode("utf-8"))
    if result.findings.height == 0:
        out.write(marker.encode("utf-8"))
    else:
        out.write(b'"findings": [\n')
        for lines in finding_batches(result.findings, rulebook, plain=result.plain_text):
            write_lines(lines, out)
        out.write(b"  ]")
    out.write(tail.encode("utf-8"))


def record_labels(frames: RecordFrames) -> Labels:
    """Each record's name and division code by (kind, id): what human reports show beside
    the id (the findings frame and the JSON report do not carry them)."""
    out: Labels = {}
    for kind, kf in frames.frames.items():
        names = kf.df["name"] if "name" in kf.df.columns else [None] * kf.df.height
        for rid, name, code in zip(kf.df["id"], names, kf.df["jurisdiction"], strict=True):
            out[(kind, rid)] = (name, code)
    return out


def finding_models(
    result: ColumnarResult, rulebook: RuleStore, labels: Labels | None = None
) -> list[Finding]:
    """The findings as Finding models (for callers who want objects, and for tests);
    `labels` (record_labels) gives each its record's name and division code."""
    out = []
    for row in result.findings.iter_rows(named=True):
        out.append(_finding(row, rulebook, labels))
    return out


def _finding(row: dict[str, Any], rulebook: RuleStore, labels: Labels | None) -> Finding:
    location = None
    if row["location_path"] is not None:
        location = Location(
            path=row["location_path"], sheet=row["location_sheet"], row=row["location_row"]
        )
    name, code = (None, None)
    if labels is not None:
        name, code = labels.get((row["kind"], row["record_id"]), (None, None))
    return Finding(
        kind=row["kind"],
        record_id=row["record_id"],
        rule_id=row["rule_id"],
        outcome=row["outcome"],
        severity=row["severity"],
        observed=json.loads(row["observed"]),
        expected=row["expected"],
        message=Message(zh=row["message_zh"], en=row["message_en"]),
        citation=rulebook.citation(row["rule_id"]),
        unmet=tuple(row["unmet"]),
        location=location,
        displaced=tuple(row["displaced"]),
        marks=tuple(row["marks"]),
        record_name=name,
        jurisdiction=code,
    )
