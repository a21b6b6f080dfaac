"""Whether a check is complete, and the one verdict line every human report carries.

A run in which a row could not be read (or no record was read at all) has not
checked the file: its report says so first, in the report's language, and the
CLI exits 3 unless a mandatory provision in force failed (exit 1 wins). Every
format calls `verdict_line`, so each status is worded once, here, for all of them.
"""

from __future__ import annotations

from sw_policy.findings import Report
from sw_policy.reports.labels import Lang, label
from sw_policy.reports.warning_words import warning_text

__all__ = ["incomplete_line", "intake_notes", "is_incomplete", "verdict_key", "verdict_line"]


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
        colon = "：" if zh else ": "
        lines += [f"{item.path}{colon}{warning_text(w, lang)}" for w in item.warnings]
    for skipped in report.skipped:
        where = skipped.path + (f" {skipped.sheet}" if skipped.sheet else "")
        why = _SKIP_WHY[skipped.reason][0 if zh else 1]
        lines.append(
            f"{where} 第 {skipped.row} 行：已跳过（{why}：{skipped.text}）"
            if zh
            else f"{where} row {skipped.row}: skipped ({why}: {skipped.text})"
        )
    return lines


def verdict_key(report: Report) -> str:
    """The label key of the report's verdict: result_fail, result_incomplete or result_ok."""
    if report.has_mandatory_failure:
        return "result_fail"
    return "result_incomplete" if is_incomplete(report) else "result_ok"


def verdict_line(report: Report, lang: Lang) -> str:
    """The verdict in `lang`, e.g. 至少一项强制性条款未通过（退出状态 1）。"""
    key = verdict_key(report)
    if key == "result_incomplete":
        line = incomplete_line(report, lang) or ""
        return f"{line}（退出状态 3）。" if lang == "zh" else f"{line} (exit status 3)."
    return label(key, lang)
