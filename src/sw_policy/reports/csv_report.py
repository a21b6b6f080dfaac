"""The CSV report: one header row and data only, so pandas, Polars and Excel load it as is.

One row per finding and one row per rejected record (outcome "rejected", the
reasons as its message), so nothing read is missing from the sheet. The run
stamp is not in the table: `render_stamp_json` gives it for a sidecar file
(`report.csv` → `report.stamp.json`), and the JSON report carries it too.
Every text cell is neutralised. The text starts with a UTF-8 BOM: without it
Excel on Chinese Windows reads a CSV as GBK and garbles every heading.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sw_policy.findings import Report
from sw_policy.reports.labels import Lang, label, outcome_label
from sw_policy.reports.rows import FINDING_KEYS, Row, finding_row, neutralise, reasons

__all__ = ["render_csv", "render_stamp_json", "stamp_path"]


def _cells(row: Row) -> list[str]:
    return ["" if v is None else neutralise(v) if isinstance(v, str) else str(v) for v in row]


def render_csv(report: Report, lang: Lang, unit: str = "元") -> str:
    """The CSV report as text, BOM first, CRLF line ends (as Excel writes CSV)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([label(k, lang) for k in FINDING_KEYS])
    for finding in report.findings:
        writer.writerow(_cells(finding_row(finding, lang, unit)))
    message = FINDING_KEYS.index("message")
    for r in report.rejected:
        row: Row = [None] * len(FINDING_KEYS)
        row[:3] = [r.path, r.sheet, r.row]
        row[FINDING_KEYS.index("record")] = r.id
        row[FINDING_KEYS.index("outcome")] = outcome_label("rejected", lang)
        column = f" [{r.column}]" if r.column else ""
        row[message] = reasons(r, lang) + column
        writer.writerow(_cells(row))
    return out.getvalue()


def stamp_path(output: Path) -> Path:
    """Where a CSV report's stamp goes: `report.csv` → `report.stamp.json`."""
    return output.with_name(output.stem + ".stamp.json")


def render_stamp_json(report: Report) -> str:
    """The run stamp (engine, rulebook, as-of, inputs, rejected, summary, options) as JSON.

    The JSON report's own fields, findings left out: a CSV's provenance beside it.
    """
    head = report.model_dump(mode="json", exclude={"findings"})
    return json.dumps(head, ensure_ascii=False, indent=2) + "\n"
