"""Whether a check is complete, said before any pass figure.

A run in which a row could not be read (or no record was read at all) has not
checked the file: its report says so first, in the report's language, and the
CLI exits 3 unless a mandatory provision failed (exit 1 wins).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sw_policy.findings import Report

__all__ = ["incomplete_line", "intake_notes", "is_incomplete"]


def is_incomplete(report: Report) -> bool:
    """A record was rejected, or no record was read at all."""
    return bool(report.rejected) or report.summary.records == 0


def incomplete_line(report: Report, lang: str) -> str | None:
    """ "incomplete: N rows could not be read" (zh or en), or None for a complete check."""
    count = len(report.rejected)
    if count:
        if lang == "zh":
            return f"检查不完整：{count} 行未能读取"
        row_word = "row" if count == 1 else "rows"
        return f"incomplete: {count} {row_word} could not be read"
    if report.summary.records == 0:
        return "检查不完整：没有读到任何记录" if lang == "zh" else "incomplete: no record was read"
    return None


_SKIP_WHY = {
    "total": ("合计行", "total row"),
    "note": ("表下说明", "note under the table"),
    "header": ("重复表头", "repeated header"),
}


def intake_notes(report: Report, lang: str) -> list[str]:
    """What reading left aside, one line each: unused columns per file, skipped rows, warnings.

    Column headers and marker words only: no value of an unused column is ever shown.
    """
    zh = lang == "zh"
    lines = []
    for item in report.inputs:
        if item.unused_columns:
            names = ", ".join(item.unused_columns)
            lines.append(
                f"{item.path}：未使用的列：{names}"
                if zh
                else f"{item.path}: columns not used: {names}"
            )
        lines += [f"{item.path}: {warning}" for warning in item.warnings]
    for skipped in report.skipped:
        where = skipped.path + (f" {skipped.sheet}" if skipped.sheet else "")
        why = _SKIP_WHY[skipped.reason][0 if zh else 1]
        lines.append(
            f"{where} 第 {skipped.row} 行：已跳过（{why}：{skipped.text}）"
            if zh
            else f"{where} row {skipped.row}: skipped ({why}: {skipped.text})"
        )
    return lines
