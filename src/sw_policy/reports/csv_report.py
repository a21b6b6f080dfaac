"""The CSV report: one table an auditor can filter in Excel, stamp lines on top.

Layout: `#` lines with the stamp, then a header row, one row per finding and
one row per rejected record (outcome "rejected", the reasons as its message),
so nothing read is missing from the sheet. Every text cell is neutralised.
The text starts with a UTF-8 BOM: without it Excel on Chinese Windows reads a
CSV as GBK and garbles every heading.
"""

from __future__ import annotations

import csv
import io

from sw_policy.findings import Report
from sw_policy.reports.labels import Lang, label, outcome_label
from sw_policy.reports.rows import FINDING_KEYS, Row, finding_row, neutralise, stamp_rows

__all__ = ["render_csv"]


def _cells(row: Row) -> list[str]:
    return ["" if v is None else neutralise(v) if isinstance(v, str) else str(v) for v in row]


def render_csv(report: Report, lang: Lang) -> str:
    """The CSV report as text, BOM first, CRLF line ends (as Excel writes CSV)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for name, value in stamp_rows(report, lang):
        writer.writerow(_cells([f"# {name}: {value}"]))
    writer.writerow([label(k, lang) for k in FINDING_KEYS])
    for finding in report.findings:
        writer.writerow(_cells(finding_row(finding, lang)))
    blank_citation: Row = [None] * 5
    for r in report.rejected:
        row: Row = [
            r.path,
            r.sheet,
            r.row,
            None,
            r.id,
            None,
            outcome_label("rejected", lang),
            None,
            None,
            None,
            ("; ".join(r.errors) + (f" [{r.column}]" if r.column else "")),
            *blank_citation,
        ]
        writer.writerow(_cells(row))
    return out.getvalue()
