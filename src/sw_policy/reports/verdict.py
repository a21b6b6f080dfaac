"""The one line every human report ends (or starts) with: which exit status applies and why.

Every format calls `verdict_line`, so a new status (an incomplete check, a
draft's failures counted apart) is worded once, here, for all of them.
"""

from __future__ import annotations

from sw_policy.findings import Report
from sw_policy.reports.labels import Lang, label

__all__ = ["verdict_key", "verdict_line"]


def verdict_key(report: Report) -> str:
    """The label key of the report's verdict: result_fail or result_ok."""
    return "result_fail" if report.has_mandatory_failure else "result_ok"


def verdict_line(report: Report, lang: Lang) -> str:
    """The verdict in `lang`, e.g. 至少一项强制性条款未通过（退出状态 1）。"""
    return label(verdict_key(report), lang)
