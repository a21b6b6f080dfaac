"""The XLSX report: findings (filters, frozen header, quotes, links to source cells),
a summary per rule and outcome, rejected rows, and the run stamp.

Text cells are neutralised (a leading ' before = + - @) and written as strings,
so no cell can run a formula; numbers (row numbers, counts) stay numeric.
The workbook is byte-identical for identical inputs: document dates are the
as-of date and zip entry times are fixed. openpyxl is imported here only.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from pathlib import Path
from typing import Any

from sw_policy.findings import OUTCOMES, Location, Report
from sw_policy.reports.labels import Lang, label, outcome_label
from sw_policy.reports.provisions import cited, rule_sections, short_ref
from sw_policy.reports.rows import (
    FINDING_KEYS,
    REJECTED_KEYS,
    Row,
    finding_row,
    neutralise,
    rejected_row,
    rule_counts,
    stamp_rows,
)
from sw_policy.reports.safe_text import escape_for_xml
from sw_policy.reports.verdict import incomplete_line, intake_notes, verdict_line

__all__ = ["render_xlsx", "source_link"]

_FILLS = {"pass": "C6EFCE", "fail": "FFC7CE", "pending": "FFEB9C", "insufficient_data": "E4DFEC"}
_WIDTHS = {
    "file": 18,
    "name": 24,
    "division": 20,
    "message": 50,
    "quote": 60,
    "observed": 40,
    "expected": 24,
    "rule": 36,
}
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_XLSX = (".xlsx", ".xlsm")


def source_link(location: Location, base: Path | None) -> tuple[str, str | None]:
    """(file target, cell within it) for a finding's source: ("w.xlsx", "'社工'!A12").

    The target is relative to `base` (the report's folder) when given, so the
    link works wherever the report and its inputs are moved together.
    """
    target = location.path
    if base is not None:
        target = os.path.relpath(Path(location.path).resolve(), base.resolve())
    target = target.replace(os.sep, "/")
    if location.sheet is not None and location.path.lower().endswith(_XLSX):
        sheet = location.sheet.replace("'", "''")
        return target, f"'{sheet}'!A{location.row}"
    return target, None


def _write(ws: Any, row: Row) -> int:
    """Append `row` (text neutralised, stored as strings); returns its row number.

    Cells are set one by one at a counted row: openpyxl's max_row scans every
    cell, which would make a large report quadratic.
    """
    number = ws.sw_rows = getattr(ws, "sw_rows", 0) + 1
    for column, value in enumerate(row, start=1):
        if value is None:
            continue
        cell = ws.cell(
            row=number,
            column=column,
            value=neutralise(escape_for_xml(value)) if isinstance(value, str) else value,
        )
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text
    return number


def _header(ws: Any, headers: list[str], widths: list[int]) -> None:
    from openpyxl.styles import Font  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    _write(ws, list(headers))
    bold = Font(bold=True)
    for column in range(1, len(headers) + 1):
        ws.cell(row=1, column=column).font = bold
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _filter(ws: Any) -> None:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    rows = getattr(ws, "sw_rows", 0)
    if rows > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(ws.max_column)}{rows}"


def _link(
    ws: Any, row: int, column: int, *, location: Location | None, base: Path | None, lang: Lang
) -> None:
    from openpyxl.worksheet.hyperlink import Hyperlink  # noqa: PLC0415

    if location is None:
        return
    target, cell_ref = source_link(location, base)
    cell = ws.cell(row=row, column=column)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target, location=cell_ref)
    cell.value = neutralise(
        escape_for_xml(f"{label('open_cell', lang)}: {location.path} {cell_ref or location.row}")
    )
    cell.data_type = "s"
    cell.style = "Hyperlink"


def _findings_sheet(wb: Any, report: Report, lang: Lang, base: Path | None, unit: str) -> None:
    from openpyxl.styles import Alignment, PatternFill  # noqa: PLC0415
    from openpyxl.worksheet.hyperlink import Hyperlink  # noqa: PLC0415

    ws = wb.active
    ws.title = label("findings", lang)
    keys = [*FINDING_KEYS, "source", "ref"]
    _header(ws, [label(k, lang) for k in keys], [_WIDTHS.get(k, 14) for k in keys])
    # Each row points at its rule's row on the provisions sheet (header first, §n at n + 1).
    number_of = {sec.rule_id: sec.number for sec in rule_sections(report)}
    provisions = label("cited", lang).replace("'", "''")
    outcome_col = FINDING_KEYS.index("outcome") + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    fills = {o: PatternFill("solid", fgColor=colour) for o, colour in _FILLS.items()}
    for finding in report.findings:
        row = _write(ws, finding_row(finding, lang, unit))
        _link(ws, row, len(keys) - 1, location=finding.location, base=base, lang=lang)
        number = number_of[finding.rule_id]
        ref = ws.cell(row=row, column=len(keys), value=short_ref(number))
        ref.hyperlink = Hyperlink(ref=ref.coordinate, location=f"'{provisions}'!A{number + 1}")
        ref.style = "Hyperlink"
        if finding.outcome in fills:
            ws.cell(row=row, column=outcome_col).fill = fills[finding.outcome]
        for key in ("message", "quote"):
            ws.cell(row=row, column=FINDING_KEYS.index(key) + 1).alignment = wrap
    _filter(ws)


def _summary_sheet(wb: Any, report: Report, lang: Lang) -> None:
    ws = wb.create_sheet(label("summary", lang))
    outcomes = list(OUTCOMES)
    headers = [label("rule", lang), label("severity", lang)]
    headers += [outcome_label(o, lang) for o in outcomes] + [label("total", lang)]
    _header(ws, headers, [36, 10] + [12] * (len(outcomes) + 1))
    for rc in rule_counts(report):
        _write(ws, [rc.rule_id, label(rc.severity, lang), *rc.counts.values(), rc.total])
    _filter(ws)
    s = report.summary
    evaluated = sum(i.evaluated for i in report.inputs) if report.inputs else s.records
    _write(ws, [])
    for key, value in (
        ("records", evaluated + len(report.rejected)),
        ("evaluated", evaluated),
        ("rejected", len(report.rejected)),
        ("findings", s.findings),
    ):
        _write(ws, [label(key, lang), None, value])
    for outcome, count in s.by_outcome.items():
        _write(ws, [outcome_label(outcome, lang), None, count])
    _write(ws, [verdict_line(report, lang)])


def _provisions_sheet(wb: Any, report: Report, lang: Lang, unit: str) -> None:
    """The law cited once: per rule its citation, quote, counts, failed records, worst figure."""
    from openpyxl.styles import Alignment  # noqa: PLC0415

    ws = wb.create_sheet(label("cited", lang))
    keys = ["ref", "rule", "severity", "document", "clause", "quote", "failed_records", "worst"]
    _header(ws, [label(k, lang) for k in keys], [6, 36, 8, 40, 10, 70, 30, 30])
    wrap = Alignment(wrap_text=True, vertical="top")
    for sec in rule_sections(report):
        row = _write(
            ws,
            [
                short_ref(sec.number),
                sec.rule_id,
                label(sec.severity, lang),
                cited(sec.citation, lang),
                sec.citation.clause,
                sec.citation.quote,
                ", ".join(sec.failed_records),
                sec.worst_text(lang, unit),
            ],
        )
        ws.cell(row=row, column=6).alignment = wrap
    _filter(ws)


def _reading_sheet(wb: Any, report: Report, lang: Lang) -> None:
    """What reading left aside; first of all sheets when the check is incomplete."""
    incomplete = incomplete_line(report, lang)
    notes = intake_notes(report, lang)
    if not incomplete and not notes:
        return
    title = "读取情况" if lang == "zh" else "Reading"
    ws = wb.create_sheet(title, 0) if incomplete else wb.create_sheet(title)
    _header(ws, [incomplete or title], [120])
    for note in notes:
        _write(ws, [note])


def _rejected_sheet(wb: Any, report: Report, lang: Lang, base: Path | None) -> None:
    ws = wb.create_sheet(label("rejected", lang))
    keys = [*REJECTED_KEYS, "source"]
    _header(ws, [label(k, lang) for k in keys], [18, 12, 8, 16, 14, 70, 30])
    for r in report.rejected:
        row = _write(ws, rejected_row(r, lang))
        where = Location(path=r.path, sheet=r.sheet, row=r.row)
        _link(ws, row, len(keys), location=where, base=base, lang=lang)
    _filter(ws)


def _stamp_sheet(wb: Any, report: Report, lang: Lang) -> None:
    ws = wb.create_sheet(label("stamp_sheet", lang))
    _header(ws, [label("stamp", lang), ""], [24, 100])
    for name, value in stamp_rows(report, lang):
        _write(ws, [name, value])


def _deterministic(data: bytes, when: dt.datetime) -> bytes:
    """Re-pack the workbook with fixed entry times and document dates."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()


def render_xlsx(report: Report, lang: Lang, base: Path | None = None, unit: str = "元") -> bytes:
    """The XLSX report as bytes; `base` is the folder the report will be saved in."""
    from openpyxl import Workbook  # noqa: PLC0415

    wb = Workbook()
    _findings_sheet(wb, report, lang, base, unit)
    _summary_sheet(wb, report, lang)
    _provisions_sheet(wb, report, lang, unit)
    _rejected_sheet(wb, report, lang, base)
    _reading_sheet(wb, report, lang)
    _stamp_sheet(wb, report, lang)
    when = dt.datetime.combine(report.as_of, dt.time())
    wb.properties.creator = f"{report.engine.name} {report.engine.version}"
    wb.properties.created = when
    buffer = io.BytesIO()
    wb.save(buffer)
    return _deterministic(buffer.getvalue(), when)
