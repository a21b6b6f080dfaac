"""Headings and labels of the human-readable reports, in Chinese and English.

Findings carry their own bilingual messages; this is only the frame around them.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["LANGS", "Lang", "label", "marks_text", "outcome_label"]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    "title": ("社会工作政策核查报告", "Social-work policy check report"),
    "summary": ("概要", "Summary"),
    "findings": ("核查结果", "Findings"),
    "rejected": ("未能读取的记录", "Rejected records"),
    "stamp": ("运行信息（可复现）", "Run stamp (for reproduction)"),
    "stamp_sheet": ("运行信息", "Run stamp"),
    "by_rule": ("各条款结果", "Outcomes per rule"),
    "provisions": ("未通过的条款及原文", "Failed provisions and their text"),
    "file": ("文件", "File"),
    "sheet": ("工作表", "Sheet"),
    "row": ("行", "Row"),
    "column": ("列", "Column"),
    "source": ("来源", "Source"),
    "kind": ("类别", "Kind"),
    "record": ("记录", "Record"),
    "rule": ("条款编号", "Rule"),
    "outcome": ("结果", "Outcome"),
    "severity": ("约束力", "Severity"),
    "observed": ("实际数据", "Observed"),
    "expected": ("要求", "Expected"),
    "message": ("说明", "Message"),
    "document": ("文件名称", "Document"),
    "document_number": ("文号", "Document number"),
    "clause": ("条款", "Clause"),
    "status": ("文件状态", "Status"),
    "quote": ("原文", "Quote"),
    "errors": ("原因", "Reason"),
    "total": ("合计", "Total"),
    "records": ("记录数", "Records"),
    "evaluated": ("已核查", "Evaluated"),
    "count": ("数量", "Count"),
    "engine": ("引擎版本", "Engine version"),
    "rulebook_sha256": ("规则库 sha256", "Rulebook sha256"),
    "rules": ("规则数", "Rules"),
    "as_of": ("核查基准日", "As of"),
    "input": ("输入文件", "Input"),
    "sha256": ("sha256", "sha256"),
    "encoding": ("编码", "Encoding"),
    "options": ("选项", "Options"),
    "none": ("无", "None"),
    "result_fail": (
        "至少一项强制性条款未通过（退出状态 1）。",
        "At least one mandatory provision failed (exit status 1).",
    ),
    "result_ok": (
        "没有现行有效的强制性条款未通过（征求意见稿的不符合项不具约束力）。",
        "No mandatory provision in force failed (failures of a draft for comment do not bind).",
    ),
    "draft": ("征求意见稿", "draft for comment"),
    "in_force": ("现行有效", "in force"),
    "mandatory": ("强制", "mandatory"),
    "target": ("目标", "target"),
    "advisory": ("倡导", "advisory"),
    "open_cell": ("打开源单元格", "open source cell"),
    "marks": ("提示", "Marks"),
    "marked": (
        "带提示的结果（结果不变；JSON 报告逐项列出提示）",
        "Marked findings (outcomes unchanged; --format json lists marks per finding)",
    ),
    "draft_source": ("出自征求意见稿", "from a draft for comment (征求意见稿)"),
    "target_ended": ("目标的最后期限已过", "a target whose last milestone has passed"),
    "review_due": ("来源文件已超过复核期", "from a source past its review period"),
    "displaced": ("取代", "displaced"),
    "judged_instead": ("代替", "judged instead of"),
    "n_findings": ("项结果", "finding(s)"),
    "exact": ("精确值", "Exact values"),
    "filter": ("筛选核查结果", "Filter findings"),
    "exact_note_html": (
        "比例按百分数显示（保留两位小数），金额按输入单位显示；鼠标悬停可见精确值。"
        "点击表头可排序。",
        "Shares are shown as percentages (two decimals), amounts in the input's unit; "
        "hover for the exact values. Click a heading to sort.",
    ),
    "cited": ("所涉条款及原文", "Provisions cited"),
    "ref": ("条款索引", "Ref."),
    "failed_records": ("未通过的记录", "Records that failed"),
    "worst": ("最大偏差", "Worst figure"),
    "contents": ("目录", "Contents"),
    "verdict": ("结论", "Verdict"),
    "exact_note": (
        "比例按百分数显示（保留两位小数），金额按输入单位显示；精确值见“精确值”一列或 JSON 报告。",
        "Shares are shown as percentages (two decimals), amounts in the input's unit; "
        "exact values are in the Exact values column and the JSON report.",
    ),
    "name": ("名称", "Name"),
    "division": ("行政区划", "Division"),
    "record_context": ("名称 · 行政区划", "Name · division"),
}

_OUTCOMES: dict[str, tuple[str, str]] = {
    "pass": ("通过", "pass"),
    "fail": ("未通过", "fail"),
    "pending": ("未到期", "pending"),
    "insufficient_data": ("数据不足", "insufficient data"),
    "not_applicable": ("不适用", "not applicable"),
    "rejected": ("未读取", "rejected"),
}


def label(key: str, lang: Lang) -> str:
    """The heading or label `key` in `lang`."""
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def outcome_label(outcome: str, lang: Lang) -> str:
    """An outcome as a reader says it: 未通过 / fail."""
    zh, en = _OUTCOMES.get(outcome, (outcome, outcome))
    return zh if lang == "zh" else en


def marks_text(marks: tuple[str, ...], displaced: tuple[str, ...], lang: Lang) -> str:
    """A finding's marks and the rules it displaced, as one cell: never silently dropped."""
    parts = [label(mark, lang) for mark in marks]
    parts += [f"{label('displaced', lang)} {rule_id}" for rule_id in displaced]
    return "; ".join(parts)
